import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { HedgekitError } from '../../api.ts';
import { CliError } from '../cli-error.ts';
import { registerInit } from './init.ts';
import { registerRun } from './run.ts';

/** The two commands on a bare program, with runCli's error → exit-code mapping (0 / 2, one line). */
async function cli(...argv: string[]) {
  const out: string[] = [];
  let err = '';
  const program = new Command()
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => (err += s) });
  const io = { stdout: (l: string) => out.push(l), stderr: (t: string) => (err += t) };
  registerRun(program, io);
  registerInit(program, io);
  for (const c of program.commands)
    c.exitOverride().configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => (err += s) });
  let code = 0;
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) code = e.exitCode === 0 ? 0 : 2;
    else {
      code = e instanceof CliError ? e.exitCode : 2;
      expect(e instanceof HedgekitError || e instanceof CliError, String(e)).toBe(true);
      err += `hedgekit: ${(e as Error).message}\n`;
    }
  }
  return { code, out, err, stdout: out.join('\n') };
}

const root = new URL('../../../', import.meta.url).pathname;
const tmp = () => mkdtempSync(join(tmpdir(), 'hedgekit-run-'));

const TINY = `name: tiny
portfolio:
  assets: [{ name: eq, class: equity, weight: 1 }]
floor: { level: 0.8 }
stepsPerYear: 12
paths: 256
markets:
  - { kind: regime, preset: crash }
  - { kind: history, file: ${join(root, 'data/eustockmarkets.csv')}, from: 1998-07-01, to: 1998-08-14 }
strategies:
  - { kind: buy-and-hold }
  - { kind: cppi, multiplier: 4 }
`;

describe('hedgekit run', () => {
  it('prints one comparison table per market with the key metrics', async () => {
    const f = join(tmp(), 'tiny.yaml');
    writeFileSync(f, TINY);
    const r = await cli('run', f);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.stdout).toContain('crash — regime preset crash, 256 paths × 12 steps');
    expect(r.stdout).toMatch(
      /history eustockmarkets\.csv 1998-07-01…1998-08-14 — historical replay, 1 path × 32 steps/,
    );
    for (const h of [
      'ann. return',
      'max DD',
      'P(end<F)',
      'P(touch F)',
      'V_T p20',
      'CVaR95',
      'cost',
      'excess',
    ])
      expect(r.stdout).toContain(h);
    expect(r.stdout).toContain('buy-and-hold (benchmark)');
    expect(r.stdout).toContain('cppi m=4');
  });

  it('--json writes every metric and the value path of the historical replay', async () => {
    const f = join(tmp(), 'tiny.yaml');
    writeFileSync(f, TINY);
    const r = await cli('run', f, '--json', '--paths', '256', '--seed', '5');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.seed).toBe(5);
    expect(j.markets).toHaveLength(2);
    const mc = j.markets[0].strategies[1];
    expect(mc.summary.tail.cvar99).toEqual(expect.any(Number));
    expect(mc.summary.metrics.sortino.mean).toEqual(expect.any(Number));
    expect(mc.valuePath).toBeUndefined();
    const replay = j.markets[1];
    expect(replay.dates).toHaveLength(33);
    expect(replay.strategies[0].valuePath).toHaveLength(33);
  });

  it('a bad scenario exits 2 with one line naming file:line and the path, no stack trace', async () => {
    const f = join(tmp(), 'bad.yaml');
    writeFileSync(f, TINY.replace('multiplier: 4', 'multiplier: -1'));
    const r = await cli('run', f);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`hedgekit: ${f}:12: strategies[1].multiplier: must be > 0 (got -1)\n`);
    expect(r.stdout).toBe('');
  });

  it('a missing scenario file and bad flags exit 2 with one line', async () => {
    const missing = await cli('run', join(tmp(), 'nope.yaml'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^hedgekit: .*nope\.yaml: cannot read scenario file \(ENOENT\)\n$/);
    const f = join(tmp(), 'tiny.yaml');
    writeFileSync(f, TINY);
    const flag = await cli('run', f, '--paths', '0');
    expect(flag.code).toBe(2);
    expect(flag.err).toBe('hedgekit: --paths: must be an integer >= 1 (got "0")\n');
    const att = await cli('run', f, '--attribution', 'all');
    expect(att.code).toBe(2);
    expect(att.err).toBe('hedgekit: --attribution: must be off, book or lines (got "all")\n');
  });

  it('--attribution book adds the P&L attribution table, and its components sum to the total in --json', async () => {
    const f = join(tmp(), 'tiny.yaml');
    writeFileSync(f, TINY);
    const table = await cli('run', f, '--attribution', 'book');
    expect(table.code, table.err).toBe(0);
    expect(table.stdout).toContain(
      'P&L attribution — crash (present value at inception, mean per path, currency):',
    );
    const json = await cli('run', f, '--attribution', 'book', '--json');
    const r = JSON.parse(json.stdout);
    const a = r.markets[0].strategies[1].attribution.book;
    const parts = [
      'delta',
      'gamma',
      'vega',
      'theta',
      'vanna',
      'volga',
      'carry',
      'financing',
      'costs',
      'residual',
    ];
    const sum = parts.reduce((t: number, k: string) => t + a[k].mean, 0);
    expect(sum).toBeCloseTo(a.total.mean, 9);
    expect(Math.abs(a.delta.mean)).toBeGreaterThan(0); // CPPI holds the sleeve: its P&L is mostly delta
    // without the flag, no attribution (and no cost of computing it)
    const plain = JSON.parse((await cli('run', f, '--json')).stdout);
    expect(plain.markets[0].strategies[1].attribution).toBeUndefined();
  });
});

describe('hedgekit init', () => {
  it('writes a commented starter scenario that validates and runs', async () => {
    const f = join(tmp(), 'scenario.yaml');
    const r = await cli('init', f);
    expect(r.code).toBe(0);
    const text = readFileSync(f, 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=.*schemas\/scenario\.schema\.json/);
    expect(text).toContain('# The protection floor');
    const run = await cli('run', f, '--paths', '256', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).markets).toHaveLength(3);
  });

  it('refuses to overwrite an existing file unless --force', async () => {
    const f = join(tmp(), 'mine.yaml');
    writeFileSync(f, 'keep me');
    const r = await cli('init', f);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`hedgekit: ${f} already exists (use --force to overwrite it)\n`);
    expect(readFileSync(f, 'utf8')).toBe('keep me');
    const forced = await cli('init', f, '--force');
    expect(forced.code).toBe(0);
    expect(readFileSync(f, 'utf8')).toContain('name: my-scenario');
  });

  it('writes scenario.yaml in the working directory by default', async () => {
    const dir = tmp();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect((await cli('init')).code).toBe(0);
      expect(existsSync(join(dir, 'scenario.yaml'))).toBe(true);
    } finally {
      process.chdir(cwd);
    }
  });
});
