/**
 * Gauss–Legendre quadrature rules on [−1, 1], computed once to full double precision by Newton's
 * method on the three-term recurrence of the Legendre polynomials (Golub–Welsch would do as well;
 * Newton from the Tricomi initial guess converges in 3–5 steps for every n used here).
 *
 * References: Abramowitz & Stegun (1964) §25.4.29; Press et al., "Numerical Recipes", 3rd ed.,
 * §4.6 (`gauleg`).
 */

/** A quadrature rule: nodes x (ascending) and weights w, Σ w = 2. Shape: both length n. */
export interface QuadratureRule {
  readonly x: Float64Array;
  readonly w: Float64Array;
}

/** Memo of a pure function of n (rules are never mutated once built): no run state. */
const cache = new Map<number, QuadratureRule>();

/**
 * The n-point Gauss–Legendre rule on [−1, 1]: ∫₋₁¹ f(x) dx ≈ Σᵢ wᵢ f(xᵢ), exact for degree ≤ 2n−1.
 * Rules are cached; the returned arrays must not be modified.
 *
 * @param n  number of nodes, integer in [1, 1000]
 * @throws RangeError for n outside [1, 1000] (internal helper; callers pass constants)
 * @example gaussLegendre(2).x[1] // returns 0.5773502691896257 (= 1/√3)
 * References: Numerical Recipes §4.6.
 */
export function gaussLegendre(n: number): QuadratureRule {
  const hit = cache.get(n);
  if (hit) return hit;
  if (!(Number.isInteger(n) && n >= 1 && n <= 1000)) throw new RangeError(`n (${n}) must be in [1, 1000]`);
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  const m = (n + 1) >> 1;
  for (let i = 0; i < m; i++) {
    // Tricomi's approximation of the i-th largest root.
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = 0;
      for (let j = 1; j <= n; j++) {
        const p2 = p1;
        p1 = p0;
        p0 = ((2 * j - 1) * z * p1 - (j - 1) * p2) / j;
      }
      dp = (n * (z * p0 - p1)) / (z * z - 1);
      const dz = p0 / dp;
      z -= dz;
      if (Math.abs(dz) < 1e-16) break;
    }
    // Recompute the derivative at the converged root for the weight.
    let p0 = 1;
    let p1 = 0;
    for (let j = 1; j <= n; j++) {
      const p2 = p1;
      p1 = p0;
      p0 = ((2 * j - 1) * z * p1 - (j - 1) * p2) / j;
    }
    dp = (n * (z * p0 - p1)) / (z * z - 1);
    const wi = 2 / ((1 - z * z) * dp * dp);
    x[i] = -z;
    x[n - 1 - i] = z;
    w[i] = wi;
    w[n - 1 - i] = wi;
  }
  if (n % 2 === 1) x[m - 1] = 0;
  const rule = { x, w };
  cache.set(n, rule);
  return rule;
}
