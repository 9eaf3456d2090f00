import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ewmaVarianceSeries, ewmaVolatility } from './ewma.ts';

describe('EWMA variance (RiskMetrics)', () => {
  it('follows s_t = lambda s_{t-1} + (1 - lambda) r_t^2 from s_0 = r_0^2', () => {
    const s = ewmaVarianceSeries(Float64Array.of(0.01, 0.02), 0.94);
    expect(s[0]).toBe(1e-4);
    expect(s[1]).toBeCloseTo(1.18e-4, 18);
    expect(ewmaVolatility(Float64Array.of(0.01, 0.02), 0.94, 252)).toBeCloseTo(Math.sqrt(252 * 1.18e-4), 15);
  });

  it('equals the direct weighted sum (1 - l) sum_k l^k r_{t-k}^2 + l^t s_0', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.2, max: 0.2, noNaN: true }), { minLength: 1, maxLength: 80 }),
        fc.double({ min: 0.5, max: 0.999, noNaN: true }),
        fc.option(fc.double({ min: 0, max: 0.01, noNaN: true }), { nil: undefined }),
        (xs, lambda, seed) => {
          const r = Float64Array.from(xs);
          const s = ewmaVarianceSeries(r, lambda, seed);
          const s0 = seed ?? r[0] * r[0];
          for (let t = 0; t < r.length; t++) {
            let direct = lambda ** t * s0;
            for (let k = 0; k < t; k++) direct += (1 - lambda) * lambda ** k * r[t - k] ** 2;
            expect(Math.abs(s[t] - direct)).toBeLessThanOrEqual(1e-13 * Math.max(direct, 1e-300) + 1e-300);
          }
        },
      ),
      { seed: 20261125, numRuns: 200 },
    );
  });

  it('weights sum to one: a constant |r| series stays at r^2', () => {
    const r = Float64Array.from({ length: 500 }, (_, i) => (i % 2 ? 0.01 : -0.01));
    const s = ewmaVarianceSeries(r, 0.97);
    for (const v of s) expect(v).toBeCloseTo(1e-4, 17);
  });

  it('rejects lambda outside (0, 1) and a negative seed', () => {
    expect(() => ewmaVarianceSeries(Float64Array.of(0.1), 1)).toThrow(/lambda \(1\) must be in \(0, 1\)/);
    expect(() => ewmaVarianceSeries(Float64Array.of(0.1), 0)).toThrow(/lambda/);
    expect(() => ewmaVarianceSeries(Float64Array.of(0.1), 0.9, -1)).toThrow(/seed/);
    expect(() => ewmaVarianceSeries(new Float64Array(0))).toThrow(/returns.length/);
  });
});
