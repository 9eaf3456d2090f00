import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.ts';
import { normInv } from '../core/normal.ts';
import { loadPriceHistory } from '../market/history-csv.ts';
import {
  fitGarch,
  type GarchParams,
  garchConditionalVariance,
  garchForecastVariance,
  garchLogLikelihood,
  garchLogLikelihoodGradient,
  simulateGarch,
  volatilityTermStructure,
} from './garch.ts';
import { logReturns } from './returns.ts';

interface LlhPoint {
  params: GarchParams;
  logLikelihood: number;
  h1: number;
  hLast: number;
}
interface FgarchCase {
  column: string;
  from: number;
  to: number;
  nObs: number;
  sumReturns: number;
  params: GarchParams;
  logLikelihood: number;
  lastVariance: number;
  predictSd: number[];
  llhPoints: LlhPoint[];
}
const fixture = JSON.parse(readFileSync('test/fixtures/r-fgarch/garch.json', 'utf8')) as {
  source: string;
  tolerance: {
    llhAtSameParamsRel: number;
    paramsRel: number;
    logLikelihoodRel: number;
    predictSdRel: number;
  };
  cases: FgarchCase[];
};
const tol = fixture.tolerance;
const history = loadPriceHistory('data/eustockmarkets.csv');
const returnsOf = (column: string): Float64Array =>
  logReturns(history.prices[history.columns.indexOf(column)]);
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);
/** The case's returns: 1-based inclusive range from..to of the column's log returns, as in R. */
const caseReturns = (c: FgarchCase): Float64Array => returnsOf(c.column).slice(c.from - 1, c.to);
const label = (c: FgarchCase): string => `${c.column}[${c.from}..${c.to}]`;
const fits = new Map(fixture.cases.map((c) => [label(c), fitGarch(caseReturns(c))]));

/** Small seeded generator for test data (mulberry32 → inverse normal CDF). */
function normals(n: number, seed: number): Float64Array {
  let a = seed >>> 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
    out[i] = normInv(u);
  }
  return out;
}

describe(`GARCH(1,1) vs ${fixture.source}`, () => {
  for (const c of fixture.cases) {
    describe(label(c), () => {
      const r = caseReturns(c);

      it('uses the same return series as R', () => {
        expect(r.length).toBe(c.nObs);
        let s = 0;
        for (let i = 0; i < r.length; i++) s += r[i];
        expect(Math.abs(s - c.sumReturns)).toBeLessThan(1e-13);
      });

      it(`log-likelihood and variances at fGarch's parameter points agree to ${tol.llhAtSameParamsRel} relative`, () => {
        for (const p of c.llhPoints) {
          const ctx = JSON.stringify({ case: label(c), ...p });
          expect(rel(garchLogLikelihood(r, p.params), p.logLikelihood), ctx).toBeLessThan(
            tol.llhAtSameParamsRel,
          );
          const h = garchConditionalVariance(r, p.params);
          expect(rel(h[0], p.h1), ctx).toBeLessThan(tol.llhAtSameParamsRel);
          expect(rel(h[h.length - 1], p.hLast), ctx).toBeLessThan(tol.llhAtSameParamsRel);
        }
      });

      it(`fitted mu, omega, alpha, beta agree to ${tol.paramsRel} relative and the likelihood is at least fGarch's`, () => {
        const fit = fits.get(label(c))!;
        const ctx = JSON.stringify({ case: label(c), ours: fit.params, fGarch: c.params });
        expect(fit.converged, ctx).toBe(true);
        for (const k of ['mu', 'omega', 'alpha', 'beta'] as const) {
          expect(rel(fit.params[k], c.params[k]), `${k}: ${ctx}`).toBeLessThan(tol.paramsRel);
        }
        expect(rel(fit.logLikelihood, c.logLikelihood), ctx).toBeLessThan(tol.logLikelihoodRel);
        expect(fit.logLikelihood, ctx).toBeGreaterThanOrEqual(
          c.logLikelihood - 1e-12 * Math.abs(c.logLikelihood),
        );
      });

      it('10-step forecast standard deviations match predict(fit, n.ahead = 10)', () => {
        const fit = fits.get(label(c))!;
        const ours = garchForecastVariance(fit, 10);
        const atR = garchForecastVariance(
          { params: c.params, lastVariance: c.lastVariance, lastResidual: r[r.length - 1] - c.params.mu },
          10,
        );
        for (let k = 0; k < 10; k++) {
          const ctx = JSON.stringify({ case: label(c), step: k + 1, fGarch: c.predictSd[k] });
          expect(rel(Math.sqrt(ours[k]), c.predictSd[k]), ctx).toBeLessThan(tol.predictSdRel);
          expect(rel(Math.sqrt(atR[k]), c.predictSd[k]), ctx).toBeLessThan(1e-12);
        }
      });
    });
  }
});

describe('GARCH(1,1) identities and properties', () => {
  const r = returnsOf('DAX');
  const fit = fits.get('DAX[1..1859]')!;

  it('the analytic gradient matches central differences of the log-likelihood', () => {
    const p = { mu: 3e-4, omega: 8e-6, alpha: 0.12, beta: 0.8 };
    const g = garchLogLikelihoodGradient(r, p);
    const keys = ['mu', 'omega', 'alpha', 'beta'] as const;
    keys.forEach((k, j) => {
      const step = 1e-6 * p[k];
      const up = garchLogLikelihood(r, { ...p, [k]: p[k] + step });
      const dn = garchLogLikelihood(r, { ...p, [k]: p[k] - step });
      const fd = (up - dn) / (2 * step);
      expect(Math.abs(g[j] - fd), `${k}: analytic ${g[j]}, fd ${fd}`).toBeLessThan(
        1e-5 * Math.abs(fd) + 1e-3,
      );
    });
  });

  it('the gradient vanishes at the fitted optimum', () => {
    expect(fit.gradientNorm).toBeLessThan(1e-9);
  });

  it('the log-likelihood at the optimum is >= at perturbed feasible points', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -0.05, max: 0.05, noNaN: true }),
        fc.double({ min: -0.05, max: 0.05, noNaN: true }),
        fc.double({ min: -0.05, max: 0.05, noNaN: true }),
        fc.double({ min: -0.05, max: 0.05, noNaN: true }),
        (dm, dw, da, db) => {
          const p = fit.params;
          const q = {
            mu: p.mu * (1 + dm),
            omega: p.omega * (1 + dw),
            alpha: p.alpha * (1 + da),
            beta: p.beta * (1 + db),
          };
          if (q.alpha + q.beta >= 1) return;
          expect(garchLogLikelihood(r, q)).toBeLessThanOrEqual(fit.logLikelihood + 1e-9);
        },
      ),
      { seed: 20261125, numRuns: 200 },
    );
  });

  it('is scale invariant: returns × c gives mu × c, omega × c², the same alpha and beta', () => {
    fc.assert(
      fc.property(fc.double({ min: -3, max: 3, noNaN: true }), (e) => {
        const c = 10 ** e;
        const scaled = r.map((v) => v * c);
        const f = fitGarch(scaled);
        expect(rel(f.params.mu, fit.params.mu * c)).toBeLessThan(1e-7);
        expect(rel(f.params.omega, fit.params.omega * c * c)).toBeLessThan(1e-7);
        expect(rel(f.params.alpha, fit.params.alpha)).toBeLessThan(1e-7);
        expect(rel(f.params.beta, fit.params.beta)).toBeLessThan(1e-7);
        expect(Math.abs(f.logLikelihood - (fit.logLikelihood - r.length * Math.log(c)))).toBeLessThan(1e-6);
      }),
      { seed: 20261125, numRuns: 8 },
    );
  });

  it('forecasts converge to the unconditional variance omega / (1 - alpha - beta)', () => {
    const h = garchForecastVariance(fit, 2000);
    const vbar = fit.params.omega / (1 - fit.params.alpha - fit.params.beta);
    expect(fit.unconditionalVariance).toBe(vbar);
    expect(rel(h[1999], vbar)).toBeLessThan(1e-12);
    // Geometric approach: h_{n+k} − σ̄² = (α+β)^{k−1} (h_{n+1} − σ̄²).
    const pers = fit.persistence;
    for (const k of [1, 5, 50]) {
      expect(rel(h[k] - vbar, pers ** k * (h[0] - vbar))).toBeLessThan(1e-9);
    }
    expect(h[0]).toBe(fit.nextVariance);
  });

  it('the term structure averages the per-step variances and tends to the unconditional vol', () => {
    const h = garchForecastVariance(fit, 5000);
    const ts = volatilityTermStructure(h, 252);
    expect(ts[0]).toBeCloseTo(Math.sqrt(252 * h[0]), 15);
    expect(ts[2]).toBeCloseTo(Math.sqrt((252 * (h[0] + h[1] + h[2])) / 3), 15);
    // Closed form: Σ_{j=1}^{k} h_{n+j} = k σ̄² + (h_{n+1} − σ̄²)(1 − p^k)/(1 − p), p = α + β.
    const vbar = fit.unconditionalVariance;
    const p = fit.persistence;
    for (const k of [1, 10, 100, 5000]) {
      const avg = (k * vbar + ((h[0] - vbar) * (1 - p ** k)) / (1 - p)) / k;
      expect(rel(ts[k - 1], Math.sqrt(252 * avg)), `k=${k}`).toBeLessThan(1e-10);
    }
    expect(rel(ts[4999], Math.sqrt(252 * vbar))).toBeLessThan(5e-3);
  });

  it('recovers the parameters of a simulated GARCH series within 4 standard errors', () => {
    const truth = { mu: 2e-4, omega: 2e-6, alpha: 0.08, beta: 0.9 };
    const y = simulateGarch(truth, normals(20_000, 7));
    const f = fitGarch(y);
    expect(f.converged).toBe(true);
    // Asymptotic standard errors for n = 20,000 at these values are about 0.006 (alpha), 0.008 (beta).
    expect(Math.abs(f.params.alpha - truth.alpha)).toBeLessThan(0.024);
    expect(Math.abs(f.params.beta - truth.beta)).toBeLessThan(0.032);
    expect(f.params.alpha + f.params.beta).toBeLessThan(1);
  });

  it("replicates fGarch's mean bound ±10|mean| and can lift it (meanBounds: 'none')", () => {
    const c = fixture.cases.find((k) => k.column === 'DAX' && k.to === 500)!;
    const y = caseReturns(c);
    const bounded = fits.get(label(c))!;
    let ybar = 0;
    for (let i = 0; i < y.length; i++) ybar += y[i];
    ybar /= y.length;
    expect(bounded.muAtBound).toBe(true);
    expect(rel(bounded.params.mu, -10 * Math.abs(ybar))).toBeLessThan(1e-12);
    const free = fitGarch(y, { meanBounds: 'none' });
    expect(free.muAtBound).toBe(false);
    expect(free.params.mu).toBeLessThan(bounded.params.mu);
    expect(free.logLikelihood).toBeGreaterThan(bounded.logLikelihood);
    expect(free.gradientNorm).toBeLessThan(1e-9);
    expect(fit.muAtBound).toBe(false);
  });

  it('keeps alpha + beta < 1 and alpha, beta >= 0 on white noise', () => {
    const y = normals(3000, 11).map((v) => 0.01 * v);
    const f = fitGarch(y);
    expect(f.params.alpha).toBeGreaterThanOrEqual(0);
    expect(f.params.beta).toBeGreaterThanOrEqual(0);
    expect(f.params.omega).toBeGreaterThan(0);
    expect(f.persistence).toBeLessThan(1);
  });

  it('rejects short, constant or non-finite series and bad horizons with DomainError', () => {
    expect(() => fitGarch(new Float64Array(5))).toThrow(DomainError);
    expect(() => fitGarch(new Float64Array(50).fill(0.01))).toThrow(/positive sample variance/);
    const bad = Float64Array.from(r.subarray(0, 20));
    bad[3] = Number.NaN;
    expect(() => fitGarch(bad)).toThrow(/returns\[3\]/);
    expect(() => garchForecastVariance(fit, 0)).toThrow(/horizon/);
    expect(() => garchLogLikelihood(r, { mu: 0, omega: -1, alpha: 0.1, beta: 0.8 })).toThrow(/omega/);
  });
});
