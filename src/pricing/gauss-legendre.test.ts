import { describe, expect, it } from 'vitest';
import { integrateAdaptive } from './gauss-kronrod.ts';
import { gaussLegendre } from './gauss-legendre.ts';

describe('gaussLegendre', () => {
  it('integrates polynomials of degree 2n − 1 exactly and its weights sum to 2', () => {
    for (const n of [1, 2, 6, 12, 20, 32, 64]) {
      const { x, w } = gaussLegendre(n);
      let sw = 0;
      let s = 0;
      for (let i = 0; i < n; i++) {
        sw += w[i];
        s += w[i] * x[i] ** (2 * n - 2);
      }
      expect(sw).toBeCloseTo(2, 14);
      expect(s).toBeCloseTo(2 / (2 * n - 1), 13);
    }
  });

  it('returns the textbook 2-point nodes ±1/√3', () => {
    expect(gaussLegendre(2).x[1]).toBeCloseTo(1 / Math.sqrt(3), 15);
  });
});

describe('integrateAdaptive', () => {
  it('integrates smooth and steep integrands to ~1e-13', () => {
    expect(integrateAdaptive(Math.sin, 0, Math.PI, 1e-14, 1e-14)).toBeCloseTo(2, 13);
    // A logistic step of width 1e-4 at x = 0.3: the integral over [0, 1] is 0.7 to ~1e-17.
    const v = integrateAdaptive((x) => 1 / (1 + Math.exp(-(x - 0.3) / 1e-4)), 0, 1, 1e-14, 1e-14);
    expect(v).toBeCloseTo(0.7, 12);
  });
});
