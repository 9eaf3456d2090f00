import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../program.ts';

async function cli(...argv: string[]) {
  const out: string[] = [];
  let err = '';
  const code = await runCli(argv, { stdout: (l) => out.push(l), stderr: (t) => (err += t) });
  return { code, out, err, stdout: out.join('\n') };
}

const root = new URL('../../../', import.meta.url).pathname;
const BOOK = join(root, 'examples', 'book.yaml');
const TEXT = readFileSync(BOOK, 'utf8');

function bookWith(...edits: [string, string][]): string {
  let t = TEXT;
  for (const [a, b] of edits) {
    expect(t).toContain(a);
    t = t.replace(a, b);
  }
  const f = join(mkdtempSync(join(tmpdir(), 'hedgekit-hedge-')), 'book.yaml');
  writeFileSync(f, t);
  return f;
}

describe('hedgekit hedge', () => {
  it('--frontier 5 --json: an optimal plan inside every band, 5 frontier points, no NaN or Infinity', async () => {
    const r = await cli('hedge', BOOK, '--frontier', '5', '--json');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe('');
    expect(r.stdout).not.toMatch(/NaN|Infinity/);
    const j = JSON.parse(r.stdout);
    expect(j.status).toBe('optimal');
    for (const b of j.buckets) {
      expect(b.after, b.name).toBeGreaterThanOrEqual(b.lo - 1e-6 * Math.abs(b.lo));
      expect(b.after, b.name).toBeLessThanOrEqual(b.hi + 1e-6 * Math.abs(b.hi));
      expect(b.residual).toBe(0);
    }
    expect(j.trades.length).toBeGreaterThan(0);
    expect(j.frontier.length).toBe(5);
    for (let k = 1; k < 5; k++) {
      expect(j.frontier[k].cost).toBeGreaterThanOrEqual(j.frontier[k - 1].cost - 1e-9);
      expect(j.frontier[k].residualNorm).toBeLessThanOrEqual(j.frontier[k - 1].residualNorm + 1e-6);
    }
    expect(j.frontier[4].residualNorm).toBe(0);
  });

  it('prints the exposures before/after, the trades, the status and binding constraints', async () => {
    const r = await cli('hedge', BOOK);
    expect(r.code, r.err).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(
      /^least-cost hedge of .*book\.yaml valued 2025-01-15: optimal \(HiGHS optimal\), cost [\d.]+/,
    );
    for (const s of [
      'bucket',
      'before',
      'after',
      'SPX gamma',
      'cash gamma 1%',
      'SPX vega 3M–6M',
      'vega/pt',
      'lots',
      'total',
      'binding constraints',
    ])
      expect(r.stdout).toContain(s);
    expect(r.stdout).not.toContain('frontier');
    expect(r.stdout).not.toMatch(/NaN|Infinity/);
  });

  it('a book inside its bands: no trades', async () => {
    const f = bookWith(
      ['delta: { SPX: 25 }', 'delta: { SPX: 1000 }'],
      ['gamma: { SPX: [-2500, 2500] }', 'gamma: { SPX: 20000 }'],
      ['buckets: [300, 300, 400, 400, 400]', 'buckets: [2000, 2000, 2000, 2000, 2000]'],
    );
    const r = await cli('hedge', f);
    expect(r.code, r.err).toBe(0);
    expect(r.stdout).toContain('trades: none (the book is inside its bands)');
    expect(r.stdout.split('\n')[0]).toMatch(/optimal .*cost 0, 0 of 41 instruments traded$/);
  });

  it('bands out of reach: best-effort plan, residuals and binding limits, a warning line, exit code 0', async () => {
    const f = bookWith(
      ['maxQty: 5000, lotSize: 1 }', 'maxQty: 100, lotSize: 1 }'],
      ['maxQty: 2000 ', 'maxQty: 10 '],
    );
    const r = await cli('hedge', f, '--json');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(
      /^hedgekit: warning: the bands cannot all be met; best-effort plan \(weighted residual [\d.e+]+\): SPX delta \+[\d.]+ units/,
    );
    expect(r.err.split('\n').filter(Boolean).length).toBe(1);
    expect(r.stdout).not.toMatch(/NaN|Infinity/);
    const j = JSON.parse(r.stdout);
    expect(j.status).toBe('best-effort');
    expect(j.buckets[0].residual).toBeGreaterThan(0);
    expect(j.binding).toContainEqual({ kind: 'size-min', name: 'SPX', limit: -100 });
    const text = await cli('hedge', f);
    expect(text.stdout.split('\n')[0]).toContain('best-effort');
    expect(text.stdout).toContain('size-min');
  });

  it('bad hedge sections and flags: one file:line line, exit code 2', async () => {
    const f = bookWith(['delta: { SPX: 25 }', 'delta: { SPX: -25 }']);
    const line = TEXT.split('\n').findIndex((l) => l.includes('delta: { SPX: 25 }')) + 1;
    const r = await cli('hedge', f);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`hedgekit: ${f}:${line}: hedge.targets.delta.SPX: a band ±x needs x >= 0 (got -25)\n`);
    expect(r.stdout).toBe('');
    const g = bookWith(['spread: { volPoints: 0.5 }', 'spread: { volPoints: -0.5 }']);
    const line2 = TEXT.split('\n').findIndex((l) => l.includes('spread: { volPoints: 0.5 }')) + 1;
    expect((await cli('hedge', g)).err).toBe(
      `hedgekit: ${g}:${line2}: hedge.instruments.SPX.options.spread.volPoints: must be >= 0 (got -0.5)\n`,
    );
    const none = bookWith([TEXT.slice(TEXT.indexOf('\n# The least-cost hedge')), '\n']);
    const n = await cli('hedge', none);
    expect(n.code).toBe(2);
    expect(n.err).toMatch(/^hedgekit: .*book\.yaml: hedge: is required by `hedgekit hedge`/);
    const bad = await cli('hedge', BOOK, '--frontier', '0');
    expect(bad.code).toBe(2);
    expect(bad.err).toBe('hedgekit: --frontier: must be an integer from 1 to 100 (got "0")\n');
  });
});
