import { describe, expect, it } from 'vitest';
import fixture from '../../test/fixtures/quantlib/american-bivariate.json' with { type: 'json' };
import { normCdf } from '../core/normal.ts';
import { bivariateNormalCdf } from './bivariate-normal.ts';

describe('bivariateNormalCdf', () => {
  it('matches 30-digit mpmath quadrature within 1e-14 absolute / 1e-12 relative', () => {
    const { abs, rel } = fixture.tolerance;
    for (const c of fixture.cases) {
      const got = bivariateNormalCdf(c.a, c.b, c.rho);
      const tol = Math.max(abs, rel * c.p);
      if (!(Math.abs(got - c.p) <= tol)) {
        throw new Error(`M(${c.a}, ${c.b}; ${c.rho}) = ${got}, expected ${c.p} (tol ${tol})`);
      }
    }
    expect(fixture.cases.length).toBeGreaterThan(200);
  });

  it('reduces to Φ(a)Φ(b) at ρ = 0 and to the closed form 1/4 + asin(ρ)/(2π) at the origin', () => {
    expect(bivariateNormalCdf(0.3, -1.2, 0)).toBeCloseTo(normCdf(0.3) * normCdf(-1.2), 15);
    for (const r of [-0.99, -0.5, 0.2, 0.93, 0.999]) {
      expect(bivariateNormalCdf(0, 0, r)).toBeCloseTo(0.25 + Math.asin(r) / (2 * Math.PI), 14);
    }
  });

  it('is symmetric in (a, b) and satisfies M(a, b; ρ) + M(a, −b; −ρ) = Φ(a)', () => {
    for (const [a, b, r] of [
      [0.7, -0.4, 0.3],
      [-1.5, 2.1, 0.95],
      [2.5, 0.1, -0.97],
      [-0.2, -0.3, -0.6],
    ] as const) {
      expect(bivariateNormalCdf(a, b, r)).toBeCloseTo(bivariateNormalCdf(b, a, r), 15);
      expect(bivariateNormalCdf(a, b, r) + bivariateNormalCdf(a, -b, -r)).toBeCloseTo(normCdf(a), 14);
    }
  });

  it('handles ρ = ±1, infinite limits and NaN', () => {
    expect(bivariateNormalCdf(0.5, 1, 1)).toBeCloseTo(normCdf(0.5), 15);
    expect(bivariateNormalCdf(0.5, 1, -1)).toBeCloseTo(Math.max(0, normCdf(0.5) - normCdf(-1)), 15);
    expect(bivariateNormalCdf(Number.POSITIVE_INFINITY, 0.3, 0.4)).toBeCloseTo(normCdf(0.3), 15);
    expect(bivariateNormalCdf(Number.NEGATIVE_INFINITY, 0.3, 0.4)).toBe(0);
    expect(bivariateNormalCdf(Number.NaN, 0.3, 0.4)).toBeNaN();
  });
});
