import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.ts';
import { realizedVolatility, rollingRealizedVolatility } from './realized.ts';
import { logReturns, simpleReturns } from './returns.ts';

describe('returns', () => {
  it('computes log and simple returns', () => {
    const p = Float64Array.of(100, 110, 99);
    const lr = logReturns(p);
    expect(lr.length).toBe(2);
    expect(lr[0]).toBeCloseTo(Math.log(1.1), 15);
    expect(lr[1]).toBeCloseTo(Math.log(0.9), 15);
    const sr = simpleReturns(p);
    expect(sr[0]).toBeCloseTo(0.1, 15);
    expect(sr[1]).toBeCloseTo(-0.1, 15);
  });

  it('rejects non-positive prices and too-short series', () => {
    expect(() => logReturns(Float64Array.of(1))).toThrow(DomainError);
    expect(() => logReturns(Float64Array.of(1, 0))).toThrow(/prices\[1\] \(0\) must be > 0/);
  });
});

describe('realized volatility', () => {
  it('is the annualized sample standard deviation', () => {
    const r = Float64Array.of(0.01, -0.01, 0.01, -0.01);
    // mean 0, Σr² = 4e-4, /(n−1) = 1.3333e-4, ×252 = 0.0336
    expect(realizedVolatility(r, 252)).toBeCloseTo(Math.sqrt(0.0336), 15);
    expect(realizedVolatility(r, 1)).toBeCloseTo(Math.sqrt(4e-4 / 3), 16);
  });

  it('is 0 for a constant-return series, whole sample and rolling', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -0.2, max: 0.2, noNaN: true }),
        fc.integer({ min: 2, max: 60 }),
        (c, n) => {
          const r = new Float64Array(n + 5).fill(c);
          expect(realizedVolatility(r)).toBe(0);
          const roll = rollingRealizedVolatility(r, n);
          for (let t = n - 1; t < r.length; t++) expect(roll[t]).toBe(0);
        },
      ),
      { seed: 20261125, numRuns: 100 },
    );
  });

  it('scales with |c| when returns are multiplied by c and with sqrt(periodsPerYear)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.1, max: 0.1, noNaN: true }), { minLength: 3, maxLength: 40 }),
        fc.double({ min: -10, max: 10, noNaN: true }).filter((c) => Math.abs(c) > 1e-3),
        (xs, c) => {
          const r = Float64Array.from(xs);
          const v = realizedVolatility(r, 252);
          expect(
            realizedVolatility(
              r.map((x) => x * c),
              252,
            ),
          ).toBeCloseTo(Math.abs(c) * v, 12);
          expect(realizedVolatility(r, 52)).toBeCloseTo(v * Math.sqrt(52 / 252), 12);
        },
      ),
      { seed: 20261125, numRuns: 100 },
    );
  });

  it('rolling windows equal the whole-sample estimate on each window and start with NaN', () => {
    const r = Float64Array.from({ length: 50 }, (_, i) => Math.sin(i * 1.7) * 0.02);
    const roll = rollingRealizedVolatility(r, 10, 252);
    for (let t = 0; t < 9; t++) expect(roll[t]).toBeNaN();
    for (let t = 9; t < 50; t++)
      expect(roll[t]).toBeCloseTo(realizedVolatility(r.subarray(t - 9, t + 1), 252), 15);
  });

  it('rejects bad windows, periods and non-finite returns', () => {
    expect(() => rollingRealizedVolatility(Float64Array.of(1, 2, 3), 1)).toThrow(/window/);
    expect(() => realizedVolatility(Float64Array.of(0.1, 0.2), 0)).toThrow(/periodsPerYear/);
    expect(() => realizedVolatility(Float64Array.of(0.1, Number.NaN))).toThrow(/returns\[1\]/);
  });
});
