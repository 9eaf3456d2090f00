/**
 * `hedgekit run` stores every run (in `<cwd>/.hedgekit/runs.sqlite`, `$HEDGEKIT_STORE` or
 * `--store`; not with `--no-store`), and `hedgekit runs` lists, shows, diffs and removes them. A
 * corrupt store is one line on stderr and exit code 2, before any run starts.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../io.ts';
import { runCli } from '../program.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const SMALL = join(root, 'test/fixtures/report/small.yaml');
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'hedgekit-runs-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function cli(io: Partial<CliIo>, ...argv: string[]) {
  const out: string[] = [];
  let err = '';
  const code = await runCli(argv, { stdout: (l) => out.push(l), stderr: (t) => (err += t), ...io });
  return { code, stdout: out.join('\n'), err };
}

describe('hedgekit run + runs', () => {
  it('stores every run under the working directory by default, and not with --no-store', async () => {
    const cwd = tmp();
    const r = await cli({ cwd }, 'run', SMALL, '--paths', '256');
    expect(r.code).toBe(0);
    const file = join(cwd, '.hedgekit', 'runs.sqlite');
    expect(r.stdout).toContain(`Saved as run 1 in ${file}`);
    expect(existsSync(file)).toBe(true);
    const none = await cli({ cwd: tmp() }, 'run', SMALL, '--no-store');
    expect(none.code).toBe(0);
    expect(none.stdout).not.toContain('Saved as run');
    // --json keeps stdout pure JSON, and still stores.
    const j = await cli({ cwd }, 'run', SMALL, '--json', '--seed', '8');
    expect(JSON.parse(j.stdout).seed).toBe(8);
    const list = await cli({ cwd }, 'runs', '--json');
    expect((JSON.parse(list.stdout) as { id: number; seed: number }[]).map((x) => [x.id, x.seed])).toEqual([
      [1, 7],
      [2, 8],
    ]);
  });

  it('uses $HEDGEKIT_STORE, and --store over it', async () => {
    const cwd = tmp();
    const envFile = join(cwd, 'env.sqlite');
    await cli({ cwd, env: { HEDGEKIT_STORE: envFile } }, 'run', SMALL);
    expect(existsSync(envFile)).toBe(true);
    expect(existsSync(join(cwd, '.hedgekit'))).toBe(false);
    await cli({ cwd, env: { HEDGEKIT_STORE: envFile } }, 'run', SMALL, '--store', 'flag.sqlite');
    expect(existsSync(join(cwd, 'flag.sqlite'))).toBe(true);
    const l = await cli({ cwd }, 'runs', '--store', envFile, '--json');
    expect(JSON.parse(l.stdout)).toHaveLength(1);
    // Looking at a store that does not exist creates nothing.
    const none = await cli({ cwd }, 'runs', '--store', 'nothing.sqlite');
    expect(none.code).toBe(2);
    expect(none.err).toContain(
      'nothing.sqlite: no run store here yet (hedgekit run <scenario> saves the first run)',
    );
    expect(existsSync(join(cwd, 'nothing.sqlite'))).toBe(false);
  });

  it('shows, diffs and removes runs', async () => {
    const cwd = tmp();
    await cli({ cwd }, 'run', SMALL);
    await cli({ cwd }, 'run', SMALL, '--seed', '8');
    const list = await cli({ cwd }, 'runs');
    expect(list.stdout).toMatch(/│ 1 +│ run +│ report-small │ 7 /);
    const show = await cli({ cwd }, 'runs', 'show', 'latest');
    expect(show.stdout).toContain('report-small');
    expect(show.stdout).toContain('cppi m=4');
    const scen = await cli({ cwd }, 'runs', 'show', '1', '--scenario');
    expect(`${scen.stdout}\n`).toBe(readFileSync(SMALL, 'utf8'));
    const diff = await cli({ cwd }, 'runs', 'diff', '1', '2');
    expect(diff.code).toBe(0);
    expect(diff.stdout).toMatch(/seed +│ changed: 7 → 8/);
    expect(diff.stdout).toMatch(/scenario +│ same/);
    expect(diff.stdout).toContain('key.terminalP20');
    expect(diff.stdout).not.toMatch(/NaN|Infinity/);
    const dj = JSON.parse((await cli({ cwd }, 'runs', 'diff', '1', '2', '--json')).stdout);
    expect(dj.seedChanged).toBe(true);
    expect(dj.changes.length).toBeGreaterThan(0);
    const rm = await cli({ cwd }, 'runs', 'rm', '1');
    expect(rm.stdout).toContain('Removed 1 run');
    const gone = await cli({ cwd }, 'runs', 'show', '1');
    expect(gone.code).toBe(2);
    expect(gone.err).toMatch(/^hedgekit: .*runs\.sqlite: run 1: not found/);
    const bad = await cli({ cwd }, 'runs', 'show', 'x1');
    expect(bad.err).toContain('run id: must be a run number >= 1 or "latest" (got "x1")');
  });

  it('writes the HTML report of a stored run, of a scenario, and with run --report', async () => {
    const cwd = tmp();
    const r = await cli({ cwd }, 'run', SMALL, '--report', 'out/run.html');
    expect(r.stdout).toContain(`Report: ${join(cwd, 'out/run.html')} (14 charts,`);
    const fromStore = await cli({ cwd }, 'report', 'latest', '-o', 'stored.html');
    expect(fromStore.code).toBe(0);
    const strip = (f: string) =>
      readFileSync(join(cwd, f), 'utf8').replace(/20\d\d-\d\d-\d\dT[\d:.]+Z/g, 'T');
    expect(strip('stored.html')).toBe(strip('out/run.html'));
    const fromFile = await cli({ cwd }, 'report', SMALL, '-o', 'file.html', '--no-store', '--paths', '256');
    expect(fromFile.stdout).toMatch(/^Report: .*file\.html \(14 charts, 0\.\d MB\)\.$/);
    expect((await cli({ cwd }, 'runs', '--json')).stdout).toMatch(/^\[\{"id":1,[^\]]*\}\]$/); // --no-store: still one run
    const missing = await cli({ cwd }, 'report', '9', '-o', 'x.html');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/run 9: not found/);
    expect(existsSync(join(cwd, 'x.html'))).toBe(false);
  });

  it('refuses a corrupt store with one line and exit code 2, before running', async () => {
    const cwd = tmp();
    const file = join(cwd, 'bad.sqlite');
    writeFileSync(file, 'not a database\n'.repeat(100));
    const r = await cli({ cwd }, 'run', SMALL, '--store', file);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.err).toBe(
      `hedgekit: ${file}: not a hedgekit run store, or corrupt (file is not a database); pick another file with --store\n`,
    );
    const l = await cli({ cwd }, 'runs', '--store', file);
    expect(l.code).toBe(2);
    expect(l.err.split('\n')).toHaveLength(2);
  });
});
