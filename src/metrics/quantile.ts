/**
 * Empirical quantiles and the tail risk of a sample: NumPy's default ("linear", Hyndman–Fan type 7)
 * percentile, value at risk and conditional value at risk of returns, all on a sorted copy.
 *
 * Conventions: probabilities are given in percent (like `numpy.percentile`); VaR and CVaR are
 * positive numbers for losses (a VaR of 0.12 = a 12 % loss of the horizon return).
 *
 * References: Hyndman & Fan, "Sample quantiles in statistical packages", The American Statistician
 * 50 (1996), definition 7; Artzner, Delbaen, Eber & Heath, "Coherent measures of risk", Mathematical
 * Finance 9 (1999); Acerbi & Tasche, "On the coherence of expected shortfall", J. Banking & Finance
 * 26 (2002).
 */
import { DomainError } from '../core/errors.ts';

/**
 * A sorted (ascending) copy of `x` without its NaN entries (±Infinity are kept).
 *
 * Shape: x [n]; returns [number of non-NaN entries].
 * @example
 * sortedDefined(Float64Array.of(3, NaN, 1)); // returns Float64Array [1, 3]
 * References: ECMAScript TypedArray.prototype.sort (numeric order).
 */
export function sortedDefined(x: Float64Array): Float64Array {
  let m = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i])) m++;
  const out = new Float64Array(m);
  let j = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (!Number.isNaN(v)) out[j++] = v;
  }
  return out.sort();
}

/**
 * Percentile of a sorted sample, NumPy's default method (`numpy.percentile(x, pct)`, "linear"):
 * h = (n − 1)·pct/100, x_(⌊h⌋) + (h − ⌊h⌋)·(x_(⌊h⌋+1) − x_(⌊h⌋)), evaluated with NumPy's
 * two-sided lerp so the result matches it to the last bit. One value → that value; empty → NaN.
 *
 * Shape: sorted [n], ascending, no NaN (see {@link sortedDefined}).
 * @param pct - percent in [0, 100], e.g. 20 for the 20th percentile.
 * @throws DomainError if pct is not in [0, 100].
 * @example
 * percentileSorted(Float64Array.of(1, 2, 3, 4), 20); // returns 1.6
 * References: Hyndman & Fan (1996), definition 7; NumPy `numpy.percentile` (method='linear').
 */
export function percentileSorted(sorted: Float64Array, pct: number): number {
  if (!(pct >= 0 && pct <= 100)) throw new DomainError('pct', pct, 'must be in [0, 100]');
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * (pct / 100);
  const lo = Math.floor(h);
  if (lo >= n - 1) return sorted[n - 1];
  const t = h - lo;
  const a = sorted[lo];
  const b = sorted[lo + 1];
  const d = b - a;
  // NumPy's _lerp: a + d·t below t = 0.5, b − d·(1 − t) above (exact at both ends).
  return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}

/**
 * Value at risk of a sample of returns at confidence `level`, as a positive loss:
 * VaR_α = −percentile(R, 100 − 100·α) (empirical quantile, {@link percentileSorted}).
 *
 * Shape: sortedReturns [n], ascending, no NaN. Units: fraction (0.12 = a 12 % loss); negative when
 * even the tail quantile is a gain.
 * @param level - confidence α in (0, 1), e.g. 0.95.
 * @throws DomainError if level is not in (0, 1).
 * @example
 * valueAtRisk(Float64Array.of(-0.3, -0.1, 0, 0.1, 0.2), 0.95); // returns 0.26
 * References: Jorion, Value at Risk (3rd ed., 2007), ch. 5; Hyndman & Fan (1996), definition 7.
 */
export function valueAtRisk(sortedReturns: Float64Array, level: number): number {
  if (!(level > 0 && level < 1)) throw new DomainError('level', level, 'must be in (0, 1)');
  return -percentileSorted(sortedReturns, 100 - 100 * level);
}

/**
 * Conditional value at risk (expected shortfall) of a sample of returns, as a positive loss:
 * CVaR_α = −mean{ Rᵢ : Rᵢ ≤ −VaR_α }. The set is never empty (the minimum is ≤ every
 * interpolated quantile), so CVaR_α ≥ VaR_α; with one return both equal −R.
 *
 * Shape: sortedReturns [n], ascending, no NaN. Units: fraction. Empty sample → NaN.
 * @param level - confidence α in (0, 1), e.g. 0.99.
 * @throws DomainError if level is not in (0, 1).
 * @example
 * conditionalValueAtRisk(Float64Array.of(-0.3, -0.1, 0, 0.1, 0.2), 0.95); // returns 0.3
 * References: Artzner et al. (1999); Acerbi & Tasche (2002).
 */
export function conditionalValueAtRisk(sortedReturns: Float64Array, level: number): number {
  const q = -valueAtRisk(sortedReturns, level);
  let sum = 0;
  let m = 0;
  for (let i = 0; i < sortedReturns.length && sortedReturns[i] <= q; i++) {
    sum += sortedReturns[i];
    m++;
  }
  return m === 0 ? Number.NaN : -sum / m;
}
