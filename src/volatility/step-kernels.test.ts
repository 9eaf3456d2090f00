/**
 * The per-path step kernels of the volatility module (ewmaVarianceStep, garchVarianceStep): the one
 * implementation of the EWMA and GARCH(1,1) filter recursions that the series functions, the
 * replay's model vol and the pricing vol step.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ewmaVarianceSeries, ewmaVarianceStep } from './ewma.ts';
import {
  garchConditionalVariance,
  garchForecastVariance,
  garchVarianceStep,
  simulateGarch,
} from './garch.ts';

/** Column p of a step-major matrix of nSteps × nPaths returns. */
function column(r: Float64Array, nPaths: number, p: number): Float64Array {
  const out = new Float64Array(r.length / nPaths);
  for (let i = 0; i < out.length; i++) out[i] = r[i * nPaths + p];
  return out;
}

const returnsArb = (nPaths: number) =>
  fc
    .array(fc.double({ min: -0.1, max: 0.1, noNaN: true }), { minLength: 2 * nPaths, maxLength: 40 * nPaths })
    .map((xs) => Float64Array.from(xs.slice(0, xs.length - (xs.length % nPaths))));

describe('ewmaVarianceStep', () => {
  it('gives the documented example: 20 % vol, one daily return of 1 % → σ² = 0.039112', () => {
    const s = Float64Array.of(0.04);
    ewmaVarianceStep(s, Float64Array.of(0.01), 0.94, 1 / 252);
    expect(s[0]).toBeCloseTo(0.039112, 15);
  });

  it('stepped over paths (dt = 1) is bit for bit ewmaVarianceSeries of each path', () => {
    const nPaths = 3;
    fc.assert(
      fc.property(returnsArb(nPaths), fc.double({ min: 0.5, max: 0.999, noNaN: true }), (r, lambda) => {
        const nSteps = r.length / nPaths;
        const s = new Float64Array(nPaths);
        for (let p = 0; p < nPaths; p++) s[p] = r[p] * r[p];
        const series = Array.from({ length: nPaths }, (_, p) =>
          ewmaVarianceSeries(column(r, nPaths, p), lambda),
        );
        for (let i = 1; i < nSteps; i++) {
          ewmaVarianceStep(s, r.subarray(i * nPaths, (i + 1) * nPaths), lambda, 1);
          for (let p = 0; p < nPaths; p++) expect(s[p]).toBe(series[p][i]);
        }
      }),
      { seed: 20261125, numRuns: 100 },
    );
  });

  it('with dt in years keeps an annualized variance: s_ann = s_per_period / dt', () => {
    const dt = 1 / 252;
    const r = Float64Array.from({ length: 300 }, (_, i) => 0.012 * Math.sin(1.7 * i));
    const per = ewmaVarianceSeries(r, 0.94, 0.04 * dt);
    const ann = Float64Array.of(0.04);
    const x = new Float64Array(1);
    for (let i = 1; i < r.length; i++) {
      x[0] = r[i];
      ewmaVarianceStep(ann, x, 0.94, dt);
      expect(Math.abs(ann[0] * dt - per[i]) / per[i]).toBeLessThan(1e-14);
    }
  });
});

describe('garchVarianceStep', () => {
  const omega = 1e-6;
  const alpha = 0.1;
  const beta = 0.8;

  it('gives the documented example: h = 1e-6 + 0.1·1e-4 + 0.8·1e-4 = 9.1e-5', () => {
    const h = Float64Array.of(1e-4);
    garchVarianceStep(h, Float64Array.of(0.01), omega, alpha, beta, 1);
    expect(h[0]).toBeCloseTo(9.1e-5, 18);
  });

  it('is the first step of garchForecastVariance and the variance simulateGarch draws with (bit for bit)', () => {
    const h = Float64Array.of(2e-4);
    garchVarianceStep(h, Float64Array.of(-0.013), omega, alpha, beta, 1);
    const f = garchForecastVariance(
      { params: { mu: 0, omega, alpha, beta }, lastVariance: 2e-4, lastResidual: -0.013 },
      1,
    );
    expect(f[0]).toBe(h[0]);

    const eps = Float64Array.of(0.3, -1.2, 2.1, -0.4, 0.9);
    const y = simulateGarch({ mu: 0, omega, alpha, beta }, eps);
    const v = Float64Array.of(omega / (1 - alpha - beta));
    const z = new Float64Array(1);
    for (let t = 0; t < eps.length; t++) {
      expect(y[t]).toBe(Math.sqrt(v[0]) * eps[t]);
      z[0] = y[t];
      garchVarianceStep(v, z, omega, alpha, beta, 1);
    }
  });

  it('filters like the likelihood kernel (garchConditionalVariance) up to rounding of α·z²', () => {
    // The likelihood kernel rounds α·(z²) (it shares z² with ∂h/∂α); the filter (α·z)·z.
    const r = Float64Array.from({ length: 500 }, (_, i) => 0.01 * Math.cos(0.37 * i * i));
    const hLik = garchConditionalVariance(r, { mu: 0, omega, alpha, beta });
    const h = Float64Array.of(hLik[0]);
    const z = new Float64Array(1);
    for (let t = 1; t < r.length; t++) {
      z[0] = r[t - 1];
      garchVarianceStep(h, z, omega, alpha, beta, 1);
      expect(Math.abs(h[0] / hLik[t] - 1)).toBeLessThan(1e-13);
    }
  });

  it('with dt in years keeps an annualized variance over paths: h_ann·dt = the per-period filter', () => {
    const dt = 1 / 252;
    const nPaths = 4;
    const ann = new Float64Array(nPaths).fill(0.04);
    const per = new Float64Array(nPaths).fill(0.04 * dt);
    const r = new Float64Array(nPaths);
    for (let i = 1; i < 200; i++) {
      for (let p = 0; p < nPaths; p++) r[p] = 0.01 * Math.sin(i * (p + 1));
      garchVarianceStep(ann, r, omega, alpha, beta, dt);
      garchVarianceStep(per, r, omega, alpha, beta, 1);
      for (let p = 0; p < nPaths; p++) expect(Math.abs((ann[p] * dt) / per[p] - 1)).toBeLessThan(1e-14);
    }
  });
});
