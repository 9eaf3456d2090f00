/**
 * Close-to-close realized volatility: the sample standard deviation of per-period returns,
 * annualized by √periodsPerYear.
 */

import { DomainError } from '../core/errors.ts';
import { TRADING_DAYS_PER_YEAR } from '../core/time.ts';
import { requireFiniteSeries } from './returns.ts';

/**
 * Realized (close-to-close) volatility of a return series, annualized:
 * σ = √( periodsPerYear · Σ (r_t − r̄)² / (n − 1) ).
 *
 * Shape: `returns` length n ≥ 2 (log returns per period).
 *
 * @param returns per-period returns (dimensionless, e.g. daily log returns).
 * @param periodsPerYear periods per year (default 252 for daily data); result in annualized decimals.
 * @throws DomainError when n < 2, a return is not finite, or periodsPerYear is not > 0.
 * @example
 * realizedVolatility(Float64Array.of(0.01, -0.01, 0.01, -0.01), 252); // 0.18330302779823363
 * References: Hull, Options, Futures, and Other Derivatives (10th ed., 2018), §15.4.
 */
export function realizedVolatility(returns: Float64Array, periodsPerYear = TRADING_DAYS_PER_YEAR): number {
  requireFiniteSeries('returns', returns, 2);
  checkPpy(periodsPerYear);
  return Math.sqrt(periodsPerYear * sampleVariance(returns, 0, returns.length));
}

/**
 * Rolling realized volatility over a trailing window of `window` returns, annualized.
 * `out[t]` uses returns t−window+1..t; the first window−1 entries are NaN (not enough data).
 *
 * Shape: `returns` length n; result length n, aligned with `returns`.
 * Cost O(n·window): each window is a two-pass mean/variance, so a constant series gives exactly 0.
 *
 * @param returns per-period returns (dimensionless).
 * @param window number of returns per window, integer ≥ 2.
 * @param periodsPerYear periods per year (default 252).
 * @throws DomainError when window is not an integer ≥ 2, a return is not finite, or periodsPerYear ≤ 0.
 * @example
 * rollingRealizedVolatility(Float64Array.of(0.01, -0.01, 0.01), 2, 252); // [NaN, 0.2244994432, 0.2244994432]
 * References: Hull (2018), §15.4.
 */
export function rollingRealizedVolatility(
  returns: Float64Array,
  window: number,
  periodsPerYear = TRADING_DAYS_PER_YEAR,
): Float64Array {
  if (!(Number.isInteger(window) && window >= 2))
    throw new DomainError('window', window, 'must be an integer >= 2');
  requireFiniteSeries('returns', returns, 0);
  checkPpy(periodsPerYear);
  const n = returns.length;
  const out = new Float64Array(n).fill(Number.NaN);
  for (let t = window - 1; t < n; t++) {
    out[t] = Math.sqrt(periodsPerYear * sampleVariance(returns, t - window + 1, t + 1));
  }
  return out;
}

/**
 * Sample variance Σ (r_t − r̄)² / (m − 1) of returns[start..end), m = end − start ≥ 2, per period.
 * Two-pass and shifted by the window's first value, so a constant window gives exactly 0.
 * No validation (internal helper for callers that have checked their input).
 *
 * Shape: `r` any length ≥ end.
 *
 * @example
 * sampleVariance(Float64Array.of(0.01, 0.03), 0, 2); // 2e-4
 * References: Chan, Golub & LeVeque, "Algorithms for computing the sample variance", Am. Stat. 37 (1983).
 */
export function sampleVariance(r: Float64Array, start: number, end: number): number {
  const k = r[start];
  let mean = 0;
  for (let i = start; i < end; i++) mean += r[i] - k;
  mean /= end - start;
  let ss = 0;
  for (let i = start; i < end; i++) {
    const d = r[i] - k - mean;
    ss += d * d;
  }
  return ss / (end - start - 1);
}

function checkPpy(periodsPerYear: number): void {
  if (!(Number.isFinite(periodsPerYear) && periodsPerYear > 0)) {
    throw new DomainError('periodsPerYear', periodsPerYear, 'must be > 0');
  }
}
