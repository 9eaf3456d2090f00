/**
 * RiskMetrics exponentially weighted moving average (EWMA) variance.
 *
 * Recursion (zero mean, as RiskMetrics): s_t = λ·s_{t−1} + (1 − λ)·r_t², t ≥ 1, seeded with
 * s_0 = r_0² unless a seed is given. s_t is the variance forecast for period t + 1 made after
 * observing r_t. Unrolled, s_t = (1 − λ)·Σ_{k=0}^{t−1} λ^k r_{t−k}² + λ^t·s_0, so the default seed
 * gives the first return the residual weight λ^t (the `adjust=False` convention of pandas' `ewm`).
 *
 * {@link ewmaVarianceStep} is the one implementation of the recursion in hedgekit: the series
 * functions here, the replay's model vol (paths/replay.ts) and the EWMA pricing vol
 * (market/pricing-vol.ts) all step it.
 */

import { DomainError } from '../core/errors.ts';
import { TRADING_DAYS_PER_YEAR } from '../core/time.ts';
import { requireFiniteSeries } from './returns.ts';

/** RiskMetrics decay factor for daily data (J.P. Morgan/Reuters 1996). */
export const RISKMETRICS_DAILY_LAMBDA = 0.94;

/**
 * One EWMA step on every path, in place: s_p ← λ·s_p + (1 − λ)·r_p²/dt.
 *
 * With dt = 1 the variances are per period (the RiskMetrics recursion on per-period returns); with
 * dt the step length in years and s annualized, s stays an annualized variance (r²/dt is the
 * step's annualized squared return). The division by dt is exact for dt = 1, so the per-period
 * series and the annualized per-path filter are the same arithmetic.
 *
 * Shape: `variance` [nPaths] (updated in place), `logReturn` [nPaths] (at least as long); no
 * allocation, never throws (NaN propagates). Zero-mean returns, as RiskMetrics.
 *
 * @param variance s_{t−1} per path on entry, s_t on exit (per period if dt = 1, else per year).
 * @param logReturn r_t per path, the log return of the step just ended (dimensionless).
 * @param lambda decay factor in (0, 1); not validated here (see {@link checkLambda}).
 * @param dt step length the variance is expressed per: 1 for per-period, years for annualized.
 * @example
 * const s = Float64Array.of(0.04); // 20 % vol, annualized
 * ewmaVarianceStep(s, Float64Array.of(0.01), 0.94, 1 / 252);
 * // s[0] = 0.94·0.04 + 0.06·1e-4·252 = 0.039112 (vol 19.777 %)
 * References: J.P. Morgan/Reuters, RiskMetrics — Technical Document, 4th ed. (1996), §5.2.
 */
export function ewmaVarianceStep(
  variance: Float64Array,
  logReturn: Float64Array,
  lambda: number,
  dt: number,
): void {
  const w = 1 - lambda;
  const n = variance.length;
  for (let p = 0; p < n; p++) {
    const r = logReturn[p];
    variance[p] = lambda * variance[p] + (w * r * r) / dt;
  }
}

/**
 * EWMA variance series s_t = λ s_{t−1} + (1 − λ) r_t², s_0 = seed ?? r_0².
 *
 * Shape: `returns` length n ≥ 1; result length n, `out[t]` = one-step-ahead variance after r_t
 * (per period, not annualized).
 *
 * @param returns per-period returns (dimensionless), treated as zero-mean.
 * @param lambda decay factor in (0, 1) (default 0.94).
 * @param seed initial variance s_0 ≥ 0 per period (default r_0²).
 * @throws DomainError when lambda ∉ (0, 1), seed < 0, n < 1 or a return is not finite.
 * @example
 * ewmaVarianceSeries(Float64Array.of(0.01, 0.02), 0.94); // [1e-4, 0.94e-4 + 0.06·4e-4 = 1.18e-4]
 * References: J.P. Morgan/Reuters, RiskMetrics — Technical Document, 4th ed. (1996), §5.2.
 */
export function ewmaVarianceSeries(
  returns: Float64Array,
  lambda = RISKMETRICS_DAILY_LAMBDA,
  seed?: number,
): Float64Array {
  requireFiniteSeries('returns', returns, 1);
  checkLambda(lambda);
  if (seed !== undefined && !(Number.isFinite(seed) && seed >= 0))
    throw new DomainError('seed', seed, 'must be >= 0');
  const n = returns.length;
  const out = new Float64Array(n);
  // One "path": the step kernel on length-1 views, dt = 1 (per-period variance).
  const s = Float64Array.of(seed ?? returns[0] * returns[0]);
  const r = new Float64Array(1);
  out[0] = s[0];
  for (let t = 1; t < n; t++) {
    r[0] = returns[t];
    ewmaVarianceStep(s, r, lambda, 1);
    out[t] = s[0];
  }
  return out;
}

/**
 * Current EWMA volatility, annualized: √(periodsPerYear · s_{n−1}).
 *
 * Shape: `returns` length n ≥ 1.
 *
 * @param returns per-period returns (dimensionless).
 * @param lambda decay factor in (0, 1) (default 0.94).
 * @param periodsPerYear periods per year (default 252); result in annualized decimals.
 * @throws DomainError as {@link ewmaVarianceSeries}, or when periodsPerYear ≤ 0.
 * @example
 * ewmaVolatility(Float64Array.of(0.01, 0.02), 0.94, 252); // √(252 · 1.18e-4) = 0.1724412944
 * References: RiskMetrics — Technical Document (1996), §5.2.
 */
export function ewmaVolatility(
  returns: Float64Array,
  lambda = RISKMETRICS_DAILY_LAMBDA,
  periodsPerYear = TRADING_DAYS_PER_YEAR,
): number {
  if (!(Number.isFinite(periodsPerYear) && periodsPerYear > 0)) {
    throw new DomainError('periodsPerYear', periodsPerYear, 'must be > 0');
  }
  const s = ewmaVarianceSeries(returns, lambda);
  return Math.sqrt(periodsPerYear * s[s.length - 1]);
}

/**
 * Checks an EWMA decay factor.
 *
 * @throws DomainError unless 0 < lambda < 1.
 * @example
 * checkLambda(1); // throws "lambda (1) must be in (0, 1)"
 * References: RiskMetrics — Technical Document (1996), §5.2.
 */
export function checkLambda(lambda: number): void {
  if (!(lambda > 0 && lambda < 1)) throw new DomainError('lambda', lambda, 'must be in (0, 1)');
}
