/**
 * `hedgekit sweep` saves every finished sweep in the run store (not with --no-store, nothing when
 * interrupted); `hedgekit runs` lists sweeps with their kind, shows a sweep's table, diffs two
 * sweeps point by point, refuses a run against a sweep and removes sweeps; `hedgekit report` and
 * `sweep --report` write the sweep's HTML report.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli, tempDirs } from './support/cli-harness.ts';
import { BASE, SWEEP, writeSweep } from './support/sweep-fixture.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const SMALL = join(root, 'test/fixtures/report/small.yaml');
const tmp = tempDirs('hedgekit-sweep-store-cli-');

describe('hedgekit sweep + runs', () => {
  it('stores sweeps; lists, shows, diffs and removes them next to runs', async () => {
    const cwd = tmp();
    const a = writeSweep();
    const out = join(cwd, 'a.json');
    const s1 = await cli({ cwd }, 'sweep', a.file, '--threads', '1', '--cache', a.cache, '--out', out);
    expect(s1.code).toBe(0);
    const store = join(cwd, '.hedgekit', 'runs.sqlite');
    expect(s1.stdout).toContain(`Saved as run 1 in ${store} (hedgekit runs show 1).`);
    const json = JSON.parse(readFileSync(out, 'utf8'));

    // --no-store: nothing saved (in another directory: no store file at all)
    const other = tmp();
    const none = await cli({ cwd: other }, 'sweep', a.file, '--cache', a.cache, '--no-store');
    expect(none.code).toBe(0);
    expect(none.stdout).not.toContain('Saved as run');
    expect(existsSync(join(other, '.hedgekit'))).toBe(false);

    const run = await cli({ cwd }, 'run', SMALL, '--threads', '1');
    expect(run.stdout).toContain('Saved as run 2');
    const b = writeSweep(`${SWEEP}seed: 9\n`);
    const s3 = await cli({ cwd }, 'sweep', b.file, '--threads', '1', '--cache', b.cache);
    expect(s3.stdout).toContain('Saved as run 3');

    const list = await cli({ cwd }, 'runs');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/│ 1 +│ sweep +│ small +│ 20261203 /);
    expect(list.stdout).toMatch(/│ 2 +│ run +│ report-small +│ 7 /);
    expect(list.stdout).toMatch(/│ 3 +│ sweep +│ small +│ 9 /);
    const listed = JSON.parse((await cli({ cwd }, 'runs', '--json')).stdout) as {
      id: number;
      kind: string;
    }[];
    expect(listed.map((r) => [r.id, r.kind])).toEqual([
      [1, 'sweep'],
      [2, 'run'],
      [3, 'sweep'],
    ]);

    // show: provenance and the sweep's table; the texts; everything as JSON equal to the sweep's
    const show = await cli({ cwd }, 'runs', 'show', '1');
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/sweep sha256/);
    expect(show.stdout).toMatch(/Sweep "small" — 4 parameter points/);
    expect(show.stdout).toMatch(/Market: crash/);
    expect(show.stdout).toContain('◆');
    expect(show.stdout).not.toMatch(/NaN|Infinity/);
    expect((await cli({ cwd }, 'runs', 'show', '1', '--sweep-file')).stdout).toBe(SWEEP.replace(/\n$/, ''));
    expect((await cli({ cwd }, 'runs', 'show', '1', '--scenario')).stdout).toBe(BASE.replace(/\n$/, ''));
    const shown = JSON.parse((await cli({ cwd }, 'runs', 'show', '1', '--json')).stdout);
    expect(shown.kind).toBe('sweep');
    expect(JSON.stringify(shown.result.rows)).toBe(JSON.stringify(json.rows));
    const wrong = await cli({ cwd }, 'runs', 'show', '2', '--sweep-file');
    expect(wrong.code).toBe(2);
    expect(wrong.err).toBe('hedgekit: run 2 is a scenario run: --sweep-file is for sweeps\n');

    // diff: two sweeps point by point; a run against a sweep is refused
    const same = await cli({ cwd }, 'runs', 'diff', '1', '1');
    expect(same.stdout).toMatch(
      /16 rows \(point × market × strategy\) in both, \d+ metrics compared, 0 differ\./,
    );
    const diff = await cli({ cwd }, 'runs', 'diff', '1', '3');
    expect(diff.code).toBe(0);
    expect(diff.stdout).toMatch(/seed +│ changed: 20261203 → 9/);
    expect(diff.stdout).toMatch(/sweep file +│ changed/);
    expect(diff.stdout).toMatch(/base scenario +│ same/);
    expect(diff.stdout).toMatch(/16 rows \(point × market × strategy\) in both/);
    expect(diff.stdout).toMatch(
      /floor\.level=0\.9, strategies\[cppi\]\.multiplier=5 +│ crash +│ cppi +│ key\.terminalP20/,
    );
    expect(diff.stdout).not.toMatch(/NaN|Infinity/);
    const dj = JSON.parse((await cli({ cwd }, 'runs', 'diff', '1', '3', '--json')).stdout);
    expect(dj.rows).toBe(16);
    expect(dj.changes.length).toBeGreaterThan(0);
    const mixed = await cli({ cwd }, 'runs', 'diff', '2', '3');
    expect(mixed.code).toBe(2);
    expect(mixed.err).toBe(
      `hedgekit: ${store}: run 2 is a scenario run and run 3 is a sweep: runs diff compares two scenario runs or two sweeps\n`,
    );

    // rm
    const rm = await cli({ cwd }, 'runs', 'rm', '1');
    expect(rm.stdout).toContain('Removed 1 run');
    const gone = await cli({ cwd }, 'runs', 'show', '1');
    expect(gone.code).toBe(2);
    expect(gone.err).toMatch(/run 1: not found/);
    expect(
      (JSON.parse((await cli({ cwd }, 'runs', '--json')).stdout) as { id: number }[]).map((r) => r.id),
    ).toEqual([2, 3]);
  }, 120_000);

  it('stores nothing when the sweep is interrupted', async () => {
    const cwd = tmp();
    const a = writeSweep();
    const ctl = new AbortController();
    ctl.abort();
    const r = await cli(
      { cwd, interrupts: () => ctl.signal },
      'sweep',
      a.file,
      '--cache',
      a.cache,
      '--threads',
      '2',
    );
    expect(r.code).toBe(130);
    const list = await cli({ cwd }, 'runs', '--json');
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });
});

describe('hedgekit report of a sweep', () => {
  it('writes the sweep report from sweep --report, a stored sweep and a sweep file', async () => {
    const cwd = tmp();
    const a = writeSweep();
    const r = await cli(
      { cwd },
      'sweep',
      a.file,
      '--threads',
      '1',
      '--cache',
      a.cache,
      '--report',
      'out/s.html',
    );
    expect(r.code).toBe(0);
    // 2 markets × (frontier + 3 heat maps)
    expect(r.stdout).toContain(`Report: ${join(cwd, 'out/s.html')} (8 charts,`);
    const html = readFileSync(join(cwd, 'out/s.html'), 'utf8');
    expect(html).toContain('<td data-field="stored run">1</td>');
    expect(html).not.toMatch(/NaN|Infinity/);

    const stored = await cli({ cwd }, 'report', 'latest', '-o', 'stored.html', '--x', 'floor.level');
    expect(stored.code).toBe(0);
    expect(stored.stdout).toMatch(/^Report: .*stored\.html \(8 charts, \d\.\d MB\)\.$/);
    expect(readFileSync(join(cwd, 'stored.html'), 'utf8')).toContain(
      'Heat maps over floor.level (horizontal)',
    );

    const fromFile = await cli({ cwd }, 'report', a.file, '-o', 'file.html', '--no-store');
    expect(fromFile.code).toBe(0);
    expect(fromFile.stdout).toMatch(/^Report: .*file\.html \(8 charts, \d\.\d MB\)\.$/);
    expect((JSON.parse((await cli({ cwd }, 'runs', '--json')).stdout) as unknown[]).length).toBe(1);

    const bad = await cli({ cwd }, 'report', '1', '-o', 'bad.html', '--x', 'rate');
    expect(bad.code).toBe(2);
    expect(bad.err).toBe(
      'hedgekit: --x ("rate") must be a swept parameter (strategies[cppi].multiplier, floor.level)\n',
    );
    const hold = await cli({ cwd }, 'report', '1', '-o', 'bad.html', '--hold', 'floor.level');
    expect(hold.code).toBe(2);
    expect(hold.err).toBe('hedgekit: --hold: must be path=value, e.g. floor.level=0.8 (got "floor.level")\n');
    const seed = await cli({ cwd }, 'report', a.file, '-o', 'bad.html', '--seed', '3');
    expect(seed.code).toBe(2);
    expect(seed.err).toBe(
      'hedgekit: --paths, --seed: for scenario files; a sweep file sets its own paths and seed\n',
    );
    expect(existsSync(join(cwd, 'bad.html'))).toBe(false);
  }, 120_000);
});
