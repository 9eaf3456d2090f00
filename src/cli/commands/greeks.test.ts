import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bookGreeks, contractGreeks, loadBookFile } from '../../api.ts';
import { runCli } from '../program.ts';

async function cli(...argv: string[]) {
  const out: string[] = [];
  let err = '';
  const code = await runCli(argv, { stdout: (l) => out.push(l), stderr: (t) => (err += t) });
  return { code, out, err, stdout: out.join('\n') };
}

const root = new URL('../../../', import.meta.url).pathname;
const BOOK = join(root, 'examples', 'book.yaml');

describe('hedgekit greeks', () => {
  it('writes the report of examples/book.yaml as JSON with the numbers of the risk module', async () => {
    const r = await cli('greeks', BOOK, '--json');
    expect(r.code, r.err).toBe(0);
    expect(r.stdout).not.toMatch(/NaN|Infinity/);
    const j = JSON.parse(r.stdout);
    const lb = loadBookFile(BOOK);
    const g = bookGreeks(lb.book, { vegaEdges: lb.vegaEdges, betaIndex: 'SPX' });
    expect(j.greeks.perAsset.map((a: { asset: string }) => a.asset)).toEqual(['SPX', 'WTI', 'BUND']);
    expect(j.greeks.perAsset[0].cashGamma).toBeCloseTo(g.perAsset[0].cashGamma, 6);
    expect(j.greeks.total.vegaBuckets).toEqual(g.total.vegaBuckets);
    expect(j.greeks.bucketLabels).toEqual(['≤1M', '1M–3M', '3M–6M', '6M–1Y', '>1Y']);
    // the holdings: BUND delta = quantity, cash delta = quantity × spot
    expect(j.greeks.perAsset[2].delta).toBe(15000);
    expect(j.greeks.perAsset[2].cashDelta).toBe(15000 * 98.5);
    // the forward: delta = 20000·e^{−qτ}
    expect(j.greeks.perAsset[1].delta).toBeCloseTo(20000 * Math.exp(-0.03 * 0.75), 9);
    // one vanilla position = quantity × its contract Greeks
    const put = lb.book.positions[1];
    const unit = contractGreeks(put.contract, lb.book.assets[0], 0.04);
    expect(j.greeks.positions[1].vega).toBeCloseTo(400 * unit.vega, 8);
    // the ladder: 8 × 6 grid, zero at zero shock, beta-weighted delta present
    expect(j.ladder.pnl.length).toBe(8);
    expect(j.ladder.pnl[4][2]).toBe(0);
    expect(j.greeks.betaWeighted.units).toBeCloseTo(g.betaWeighted!.units, 9);
    // the index holding of 1000 units dominates the index delta
    expect(j.greeks.perAsset[0].delta).toBeGreaterThan(500);
  });

  it('prints tables with cash gamma, vega buckets and the ladder', async () => {
    const r = await cli('greeks', BOOK);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('cash gamma 1%');
    expect(r.stdout).toContain('1M–3M');
    expect(r.stdout).toContain('beta-weighted delta to SPX');
    expect(r.stdout).toContain('P&L ladder by full repricing');
    expect(r.stdout).not.toMatch(/NaN|Infinity/);
  });

  it('an invalid book file exits 2 with file:line: path: rule', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hedgekit-greeks-'));
    const f = join(dir, 'book.yaml');
    writeFileSync(
      f,
      'rate: 0.04\nassets:\n  - { name: X, spot: 100, vol: 0.2 }\npositions:\n  - { instrument: forward, asset: Y, strike: 100, expiry: 1, quantity: 1 }\n',
    );
    const r = await cli('greeks', f);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `hedgekit: ${f}:5: positions[0].asset: position "Y forward K=100 T=1" names an unknown asset: must be one of X (got "Y")\n`,
    );
  });

  it('an unpriceable position exits 2 naming it (never a NaN result)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hedgekit-greeks-'));
    const f = join(dir, 'book.yaml');
    // r < 0 with b = 0: the knock-out rebate's lambda = sqrt(mu^2 + 2r/vol^2) is not real
    writeFileSync(
      f,
      'rate: -0.05\nassets:\n  - { name: X, spot: 100, carry: -0.05, vol: 0.2 }\npositions:\n  - { name: deep, instrument: option, asset: X, type: put, strike: 90, expiry: 0.9, barrier: { type: down-out, level: 80, rebate: 1 }, quantity: 1 }\n',
    );
    const r = await cli('greeks', f, '--json');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^hedgekit: position "deep": /);
    expect(r.stdout).toBe('');
  });
});
