import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadPriceHistory } from '../market/history-csv.ts';
import {
  covarianceToCorrelation,
  ewmaCorrelation,
  ewmaCovariance,
  rollingCorrelation,
  rollingCovariance,
  sampleCovariance,
} from './correlation.ts';
import { ewmaVarianceSeries } from './ewma.ts';
import { logReturns } from './returns.ts';

/** Smallest pivot of an LDLᵀ factorization relative to the trace; ≥ −tol for a PSD matrix. */
function minPivot(m: Float64Array, k: number): number {
  const a = Float64Array.from(m);
  let trace = 0;
  for (let i = 0; i < k; i++) trace += Math.abs(a[i * k + i]);
  let min = Number.POSITIVE_INFINITY;
  for (let c = 0; c < k; c++) {
    const d = a[c * k + c];
    min = Math.min(min, d / (trace || 1));
    if (d <= 1e-12 * trace) continue; // (near-)zero pivot: skip the column (PSD, rank-deficient)
    for (let r = c + 1; r < k; r++) {
      const f = a[r * k + c] / d;
      for (let j = c; j < k; j++) a[r * k + j] -= f * a[c * k + j];
    }
  }
  return min;
}

const columnsArb = fc
  .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 2, max: 25 }))
  .chain(([k, n]) =>
    fc.array(fc.array(fc.double({ min: -0.1, max: 0.1, noNaN: true }), { minLength: n, maxLength: n }), {
      minLength: k,
      maxLength: k,
    }),
  )
  .map((cols) => cols.map((c) => Float64Array.from(c)));

describe('covariance and correlation matrices', () => {
  const h = loadPriceHistory('data/eustockmarkets.csv');
  const rets = h.prices.map((p) => logReturns(p));

  it('EWMA covariance diagonal equals the univariate EWMA variance and is symmetric', () => {
    const s = ewmaCovariance(rets, 0.94);
    for (let a = 0; a < 4; a++) {
      const v = ewmaVarianceSeries(rets[a], 0.94);
      expect(s[a * 4 + a]).toBeCloseTo(v[v.length - 1], 18);
      for (let b = 0; b < 4; b++) expect(s[a * 4 + b]).toBe(s[b * 4 + a]);
    }
  });

  it('EWMA covariance follows S_t = lambda S_{t-1} + (1 - lambda) r_t r_t^T', () => {
    const x = Float64Array.of(0.01, 0.02);
    const y = Float64Array.of(-0.01, 0.01);
    const s = ewmaCovariance([x, y], 0.94);
    expect(s[1]).toBeCloseTo(0.94 * -1e-4 + 0.06 * 2e-4, 18);
    expect(Array.from(s).map((v) => Number(v.toPrecision(12)))).toEqual([1.18e-4, -8.2e-5, -8.2e-5, 1e-4]);
  });

  it('sample covariance matches the textbook formula', () => {
    const s = sampleCovariance([Float64Array.of(0.01, 0.03), Float64Array.of(0.02, 0.0)]);
    expect(Array.from(s).map((v) => Number(v.toPrecision(12)))).toEqual([2e-4, -2e-4, -2e-4, 2e-4]);
  });

  it('rolling blocks equal the sample covariance of each window', () => {
    const sub = rets.map((r) => r.subarray(0, 120));
    const roll = rollingCovariance(sub, 60);
    expect(roll.length).toBe(61 * 16);
    for (const b of [0, 17, 60]) {
      const direct = sampleCovariance(sub, b, b + 60);
      for (let i = 0; i < 16; i++) expect(roll[b * 16 + i]).toBe(direct[i]);
    }
    const corr = rollingCorrelation(sub, 60);
    for (let b = 0; b < 61; b++) for (let a = 0; a < 4; a++) expect(corr[b * 16 + a * 5]).toBe(1);
  });

  it('correlations of the European indices are in (0, 1) with unit diagonal', () => {
    const c = ewmaCorrelation(rets, 0.94);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        if (i === j) expect(c[i * 4 + j]).toBe(1);
        else {
          expect(c[i * 4 + j]).toBeGreaterThan(0);
          expect(c[i * 4 + j]).toBeLessThan(1);
        }
      }
    }
  });

  it('all estimates are positive semi-definite, including rank-deficient cases (n < k)', () => {
    fc.assert(
      fc.property(columnsArb, fc.double({ min: 0.5, max: 0.999, noNaN: true }), (cols, lambda) => {
        const k = cols.length;
        const n = cols[0].length;
        expect(minPivot(ewmaCovariance(cols, lambda), k)).toBeGreaterThanOrEqual(-1e-12);
        expect(minPivot(sampleCovariance(cols), k)).toBeGreaterThanOrEqual(-1e-12);
        if (n >= 3) {
          const roll = rollingCovariance(cols, 3);
          for (let b = 0; b + 3 <= n; b++) {
            expect(minPivot(roll.subarray(b * k * k, (b + 1) * k * k), k)).toBeGreaterThanOrEqual(-1e-12);
          }
        }
        const corr = ewmaCorrelation(cols, lambda);
        if (corr.every((v) => !Number.isNaN(v))) expect(minPivot(corr, k)).toBeGreaterThanOrEqual(-1e-12);
      }),
      { seed: 20261125, numRuns: 300 },
    );
  });

  it('marks a zero-variance asset NaN in the correlation matrix', () => {
    const c = covarianceToCorrelation(Float64Array.of(4e-4, 0, 0, 0), 2);
    expect(c[0]).toBe(1);
    expect(c[1]).toBeNaN();
    expect(c[3]).toBeNaN();
    expect(Array.from(covarianceToCorrelation(Float64Array.of(4e-4, 1e-4, 1e-4, 1e-4), 2))).toEqual([
      1, 0.5, 0.5, 1,
    ]);
  });

  it('rejects ragged columns and bad windows', () => {
    expect(() => ewmaCovariance([Float64Array.of(1, 2), Float64Array.of(1)])).toThrow(/returns\[1\].length/);
    expect(() => rollingCovariance([Float64Array.of(1, 2)], 3)).toThrow(/window/);
    expect(() => sampleCovariance([Float64Array.of(1, 2, 3)], 2, 3)).toThrow(/window/);
    expect(() => covarianceToCorrelation(new Float64Array(5), 2)).toThrow(/k/);
  });
});
