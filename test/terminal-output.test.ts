/**
 * Issue 11 §6: output that fits the terminal (the comparison tables, the headline and the regimes
 * list within `io.columns`, `--wide` for everything, `--columns` to choose), no colour codes, and
 * help texts and README examples that exist and run.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/program.ts';

const root = new URL('../', import.meta.url).pathname;

async function cli(argv: string[], columns?: number) {
  const out: string[] = [];
  let err = '';
  const code = await runCli(argv, { stdout: (l) => out.push(l), stderr: (t) => (err += t), columns });
  return { code, out, err, stdout: out.join('\n') };
}

const widest = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));
const SCENARIO = join(root, 'examples/cppi-gap-risk.yaml');

describe('reports fit the terminal width', () => {
  it.each([80, 100, 120])('run fits %i columns, and says which columns it left out', async (w) => {
    const r = await cli(['run', SCENARIO, '--paths', '40'], w);
    expect(r.code).toBe(0);
    expect(widest(r.stdout)).toBeLessThanOrEqual(w);
    expect(r.stdout).toMatch(new RegExp(`not shown, to fit ${w} columns: upside lost`));
    expect(r.stdout).toContain('excess');
  });

  it('--wide prints every column whatever the width; no width (not a terminal) is as wide as needed', async () => {
    const wide = await cli(['run', SCENARIO, '--paths', '40', '--wide'], 80);
    const pipe = await cli(['run', SCENARIO, '--paths', '40']);
    expect(wide.stdout).toBe(pipe.stdout);
    expect(widest(wide.stdout)).toBeGreaterThan(130);
    for (const h of ['upside lost', 'CVaR95', 'P(touch F)']) expect(wide.stdout).toContain(h);
    expect(wide.stdout).not.toContain('not shown');
  });

  it('--columns picks the table columns by header or metric key; an unknown one lists the columns', async () => {
    const r = await cli(
      ['run', SCENARIO, '--paths', '40', '--columns', 'ann. return,probEndBelowFloor,excess'],
      80,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/│ strategy +│ ann\. return │ P\(end<F\) │ +excess │/);
    const bad = await cli(['run', SCENARIO, '--paths', '40', '--columns', 'sharpe']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--columns: unknown column "sharpe" (columns: ann. return, vol, max DD');
  });

  it('the regimes list wraps its descriptions to the terminal', async () => {
    const narrow = await cli(['regimes'], 80);
    expect(widest(narrow.stdout)).toBeLessThanOrEqual(80);
    const pipe = await cli(['regimes']);
    expect(widest(pipe.stdout)).toBeGreaterThan(150);
  });

  it('no colour or cursor codes in any output, terminal or --json', async () => {
    for (const argv of [
      ['run', SCENARIO, '--paths', '40'],
      ['run', SCENARIO, '--paths', '40', '--json'],
      [
        'price',
        '--type',
        'call',
        '--spot',
        '100',
        '--strike',
        '100',
        '--expiry',
        '1',
        '--vol',
        '0.2',
        '--rate',
        '0',
      ],
      ['regimes'],
    ]) {
      const r = await cli(argv, 100);
      expect(r.stdout).not.toContain('\u001b');
    }
  });
});

describe('help texts and README examples are true', () => {
  it('iv --help lists no barrier flags, which iv refuses', async () => {
    const r = await cli(['iv', '--help']);
    expect(r.stdout).not.toMatch(/--barrier|--rebate/);
    const b = await cli([
      'iv',
      '--type',
      'call',
      '--spot',
      '100',
      '--strike',
      '100',
      '--expiry',
      '1',
      '--rate',
      '0',
      '--price',
      '5',
      '--barrier',
      '80',
    ]);
    expect(b.code).toBe(2);
    expect(b.err).toContain("unknown option '--barrier'");
  });

  /** `hedgekit …` example lines: from every command's --help, and from the README's sh blocks. */
  async function examples(): Promise<{ where: string; argv: string[] }[]> {
    const out: { where: string; argv: string[] }[] = [];
    const top = await cli(['--help']);
    const commands = [...top.stdout.matchAll(/^ {2}([a-z]+)\b/gm)]
      .map((m) => m[1])
      .filter((c) => c !== 'help');
    for (const c of commands) {
      const h = await cli([c, '--help']);
      for (const m of h.stdout.matchAll(/^ {2}hedgekit (.+)$/gm))
        out.push({ where: `${c} --help`, argv: m[1].split(/\s+/) });
    }
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const block of readme.matchAll(/```sh\n([\s\S]*?)```/g))
      for (const m of block[1].matchAll(/^npx hedgekit (.+)$/gm))
        out.push({ where: 'README.md', argv: m[1].replace(/\s+#.*$/, '').split(/\s+/) });
    // Shell redirections are the shell's, not hedgekit's.
    return out.map((e) => {
      const k = e.argv.indexOf('>');
      return k < 0 ? e : { ...e, argv: e.argv.slice(0, k) };
    });
  }

  /** Example commands not run by the test below, and where they are tested instead. */
  const NOT_RUN_HERE: Record<string, string> = {
    feed: 'a WebSocket server until stopped: src/live/feed/*.test.ts',
    live: 'a session with a ledger on disk: src/live/*.test.ts',
    worker: 'a queue worker until stopped: test/sweep-queue.test.ts',
    sweep: 'minutes of work and a cache on disk: test/cli-sweep.test.ts',
    runs: 'needs stored runs: src/cli/commands/runs.test.ts',
    report: 'needs stored runs or writes a file: src/cli/commands/runs.test.ts, test/browser',
  };

  it('every file an example names exists', async () => {
    const all = await examples();
    expect(all.length).toBeGreaterThan(30);
    const files = all.flatMap((e) =>
      e.argv.filter((a) => /^(examples|scenarios|data)\//.test(a)).map((f) => [e.where, f]),
    );
    expect(files.length).toBeGreaterThan(15);
    for (const [where, f] of files) expect(existsSync(join(root, f)), `${where}: ${f}`).toBe(true);
  });

  it('every example runs (exit 0; the bad-chain example its documented 1), run examples on 40 paths', async () => {
    const all = await examples();
    for (const e of all) {
      // Servers and sessions that run until stopped, and commands that need a run store or a
      // queue, are exercised by their own tests; here only their files are checked (above).
      if (e.argv[0] in NOT_RUN_HERE || e.argv.includes('--queue')) continue;
      let argv = e.argv.map((a) => (/^(examples|scenarios|data)\//.test(a) ? join(root, a) : a));
      if (argv[0] === 'init')
        argv = ['init', join(mkdtempSync(join(tmpdir(), 'hedgekit-init-')), 'my-scenario.yaml'), '--force'];
      if (argv[0] === 'run') {
        const k = argv.indexOf('--paths');
        argv = k < 0 ? [...argv, '--paths', '40'] : argv.map((a, i) => (i === k + 1 ? '40' : a));
      }
      const r = await cli(argv);
      const expected = argv.some((a) => a.endsWith('bad-chain.csv')) ? 1 : 0;
      expect(r.code, `${e.where}: hedgekit ${e.argv.join(' ')}\n${r.err}`).toBe(expected);
    }
  }, 300_000);
});
