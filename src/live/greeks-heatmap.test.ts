/**
 * The Greeks heat map (greeks-heatmap.ts, through analytics.ts `riskReport`): every cell equals a
 * direct sum over the book's positions of quantity × per-unit Greek (the asset holdings' Δ in the
 * spot column), and every row sums to the asset's totals the dashboard already shows.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Book, DEFAULT_VEGA_EDGES, vegaBucket } from '../risk/book-greeks.ts';
import { contractGreeks } from '../risk/contract-value.ts';
import { riskReport } from './analytics.ts';
import { SPOT_COLUMN } from './greeks-heatmap.ts';

const asset = fc.record({
  spot: fc.double({ min: 20, max: 500, noNaN: true }),
  vol: fc.double({ min: 0.05, max: 0.8, noNaN: true }),
  carry: fc.double({ min: 0, max: 0.04, noNaN: true }),
});
const position = fc.record({
  asset: fc.nat(),
  kind: fc.constantFrom('asset', 'call', 'put', 'forward'),
  moneyness: fc.double({ min: 0.6, max: 1.4, noNaN: true }),
  expiry: fc.double({ min: 0.01, max: 2.5, noNaN: true }),
  quantity: fc.double({ min: -200, max: 200, noNaN: true }),
});

function book(
  assets: { spot: number; vol: number; carry: number }[],
  positions: { asset: number; kind: string; moneyness: number; expiry: number; quantity: number }[],
): Book {
  return {
    rate: 0.02,
    assets: assets.map((a, i) => ({ name: `A${i}`, ...a })),
    positions: positions.map((p, k) => {
      const a = p.asset % assets.length;
      const S = assets[a].spot;
      if (p.kind === 'asset')
        return {
          name: `p${k}`,
          contract: {
            id: `A${a}`,
            terms: { kind: 'asset', asset: a },
            strike: 0,
            expiry: Number.POSITIVE_INFINITY,
          },
          quantity: p.quantity,
        };
      const terms =
        p.kind === 'forward'
          ? ({ kind: 'forward', asset: a } as const)
          : ({ kind: 'option', asset: a, type: p.kind as 'call' | 'put', style: 'european' } as const);
      return {
        name: `p${k}`,
        contract: { id: `c${k}`, terms, strike: p.moneyness * S, expiry: p.expiry },
        quantity: p.quantity,
      };
    }),
  };
}

describe('Greeks heat map by asset × expiry bucket', () => {
  it('has, in every cell, Σ qty·Greek over the positions of its asset and bucket (units in the spot column)', () => {
    fc.assert(
      fc.property(
        fc.array(asset, { minLength: 1, maxLength: 3 }),
        fc.array(position, { minLength: 1, maxLength: 12 }),
        (assets, positions) => {
          const b = book(assets, positions);
          const r = riskReport(b, undefined);
          const h = r.heatmap;
          expect(h.columns).toEqual([SPOT_COLUMN, ...r.bucketLabels]);
          expect(h.assets).toEqual(b.assets.map((a) => a.name));
          // the direct sums
          const nc = h.columns.length;
          const want = b.assets.map(() => ({
            d: new Array<number>(nc).fill(0),
            g: new Array<number>(nc).fill(0),
            v: new Array<number>(nc).fill(0),
            scale: new Array<number>(nc).fill(0),
          }));
          for (const p of b.positions) {
            const a = p.contract.terms.asset;
            const q = b.assets[a];
            const g = contractGreeks(p.contract, q, b.rate);
            const c =
              p.contract.terms.kind === 'asset' ? 0 : 1 + vegaBucket(p.contract.expiry, DEFAULT_VEGA_EDGES);
            want[a].d[c] += p.quantity * g.delta * q.spot;
            want[a].g[c] += (p.quantity * g.gamma * q.spot * q.spot) / 100;
            want[a].v[c] += p.quantity * g.vega;
            // the size of what was summed: a tolerance of a few roundings of it
            want[a].scale[c] +=
              Math.abs(p.quantity) *
              (Math.abs(g.delta * q.spot) + Math.abs((g.gamma * q.spot * q.spot) / 100) + Math.abs(g.vega));
          }
          b.assets.forEach((_, a) => {
            for (let c = 0; c < nc; c++) {
              const tol = 1e-12 * (1 + want[a].scale[c]);
              expect(Math.abs(h.cashDelta[a][c] - want[a].d[c])).toBeLessThanOrEqual(tol);
              expect(Math.abs(h.cashGamma[a][c] - want[a].g[c])).toBeLessThanOrEqual(tol);
              expect(Math.abs(h.vega[a][c] - want[a].v[c])).toBeLessThanOrEqual(tol);
            }
            expect(h.vega[a][0]).toBe(0); // the assets themselves carry no vega
          });
        },
      ),
      { seed: 10, numRuns: 200 },
    );
  });

  it('sums each asset row to the per-asset totals, and its vega columns are the vega buckets', () => {
    fc.assert(
      fc.property(
        fc.array(asset, { minLength: 1, maxLength: 3 }),
        fc.array(position, { minLength: 1, maxLength: 12 }),
        (assets, positions) => {
          const r = riskReport(book(assets, positions), undefined);
          const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
          const mag = (xs: readonly number[]) => xs.reduce((s, x) => s + Math.abs(x), 0);
          r.perAsset.forEach((a, i) => {
            const h = r.heatmap;
            expect(Math.abs(sum(h.cashDelta[i]) - a.cashDelta)).toBeLessThanOrEqual(
              1e-12 * (1 + mag(h.cashDelta[i])),
            );
            expect(Math.abs(sum(h.cashGamma[i]) - a.cashGamma)).toBeLessThanOrEqual(
              1e-12 * (1 + mag(h.cashGamma[i])),
            );
            expect(Math.abs(sum(h.vega[i]) - a.vega)).toBeLessThanOrEqual(1e-12 * (1 + mag(h.vega[i])));
            expect(h.vega[i].slice(1)).toEqual(a.vegaBuckets);
          });
        },
      ),
      { seed: 11, numRuns: 200 },
    );
  });
});
