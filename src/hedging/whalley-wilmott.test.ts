import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.ts';
import { bsmGreeks } from '../pricing/black-scholes.ts';
import { noTransactionBand, whalleyWilmottBatch, whalleyWilmottWidth } from './whalley-wilmott.ts';

// pfhedge's WhalleyWilmott docstring (pfhedge/nn/modules/ww.py): EuropeanOption call, K = 1, r = 0,
// inputs (log-moneyness, time to maturity 0.1, volatility 0.2, previous hedge 0.5), a = 1.
const LOG_MONEYNESS = [-0.05, -0.01, 0, 0.01, 0.05];
const PFHEDGE_COST_1E5 = [0.2946, 0.5, 0.5, 0.5, 0.7284];
const PFHEDGE_NO_COST = [0.2239, 0.4497, 0.5126, 0.5752, 0.7945];

function pfhedgeCase(s: number) {
  const spot = Math.exp(s); // K = 1
  const g = bsmGreeks('call', spot, 1, 0.1, 0, 0, 0.2);
  return { spot, delta: g.delta, gamma: g.gamma };
}

describe('Whalley–Wilmott band', () => {
  it("matches pfhedge's docstring vectors to 4 decimals (cost 1e-5, a = 1, previous hedge 0.5)", () => {
    const got = LOG_MONEYNESS.map((s) => {
      const c = pfhedgeCase(s);
      return noTransactionBand(0.5, c.delta, whalleyWilmottWidth(c.gamma, c.spot, 1e-5, 1));
    });
    for (const [i, v] of got.entries()) expect(v).toBeCloseTo(PFHEDGE_COST_1E5[i], 4);
  });

  it('with zero cost the band collapses to the Black–Scholes delta (pfhedge no-cost vectors)', () => {
    const got = LOG_MONEYNESS.map((s) => {
      const c = pfhedgeCase(s);
      return noTransactionBand(0.5, c.delta, whalleyWilmottWidth(c.gamma, c.spot, 0, 1));
    });
    for (const [i, v] of got.entries()) expect(v).toBeCloseTo(PFHEDGE_NO_COST[i], 4);
  });

  it('width follows (1.5·c·e^{−rτ}·S·Γ²/a)^{1/3}: ×2^{1/3} for double cost, ×e^{−rτ/3} with discounting', () => {
    const w = whalleyWilmottWidth(0.04, 100, 1e-3, 2);
    expect(w).toBeCloseTo(Math.cbrt((1.5 * 1e-3 * 100 * 0.0016) / 2), 15);
    expect(whalleyWilmottWidth(0.04, 100, 2e-3, 2) / w).toBeCloseTo(Math.cbrt(2), 14);
    expect(whalleyWilmottWidth(0.04, 100, 1e-3, 2, 0.05, 0.6) / w).toBeCloseTo(Math.exp(-0.01), 14);
  });

  it('batch equals the scalar form on every path and gives NaN (no throw) for NaN inputs', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            prev: fc.double({ min: -1, max: 2, noNaN: true }),
            delta: fc.double({ min: -1, max: 1, noNaN: true }),
            gamma: fc.double({ min: 0, max: 0.2, noNaN: true }),
            spot: fc.double({ min: 1, max: 500, noNaN: true }),
            tau: fc.double({ min: 0, max: 2, noNaN: true }),
          }),
          { minLength: 1, maxLength: 30 },
        ),
        (rows) => {
          const col = (f: (r: (typeof rows)[number]) => number) => Float64Array.from(rows, f);
          const out = new Float64Array(rows.length);
          const width = new Float64Array(rows.length);
          const params = { cost: 2e-3, riskAversion: 1.5, rate: 0.03 };
          whalleyWilmottBatch(
            {
              prevHedge: col((r) => r.prev),
              delta: col((r) => r.delta),
              gamma: col((r) => r.gamma),
              spot: col((r) => r.spot),
              timeToExpiry: col((r) => r.tau),
            },
            params,
            out,
            width,
          );
          rows.forEach((r, p) => {
            const w = whalleyWilmottWidth(r.gamma, r.spot, 2e-3, 1.5, 0.03, r.tau);
            expect(width[p]).toBeCloseTo(w, 14);
            expect(out[p]).toBeCloseTo(noTransactionBand(r.prev, r.delta, w), 14);
            expect(Math.abs(out[p] - r.delta)).toBeLessThanOrEqual(w + 1e-15);
          });
        },
      ),
      { seed: 1997, numRuns: 100 },
    );
    const out = new Float64Array(2);
    whalleyWilmottBatch(
      {
        prevHedge: Float64Array.of(0.5, Number.NaN),
        delta: Float64Array.of(Number.NaN, 0.5),
        gamma: Float64Array.of(0.1, 0.1),
        spot: Float64Array.of(100, 100),
      },
      { cost: 1e-3, riskAversion: 1 },
      out,
    );
    expect(Array.from(out)).toEqual([Number.NaN, Number.NaN]);
  });

  it('names the invalid parameter', () => {
    expect(() => whalleyWilmottWidth(0.1, -1, 1e-3, 1)).toThrow(/spot \(-1\)/);
    expect(() => whalleyWilmottWidth(0.1, 100, 1e-3, 0)).toThrow(DomainError);
    expect(() => noTransactionBand(0.5, 0.5, -0.1)).toThrow(/width/);
  });
});
