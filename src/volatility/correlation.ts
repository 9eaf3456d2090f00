/**
 * Covariance and correlation matrices for multi-asset sleeves: RiskMetrics EWMA and rolling
 * (trailing-window) sample estimates. Both are positive semi-definite by construction: EWMA is a
 * sum of outer products r rᵀ with non-negative weights, the sample covariance is Xᵀ X/(m − 1) of
 * the demeaned window, and correlation is D^{-1/2} S D^{-1/2} of a PSD S.
 *
 * Matrices are k×k row-major Float64Arrays (`m[i * k + j]`), per period (not annualized).
 * Input: one return column per asset, all of the same length n (struct-of-arrays, as PriceHistory).
 */

import { DomainError } from '../core/errors.ts';
import { checkLambda, RISKMETRICS_DAILY_LAMBDA } from './ewma.ts';
import { requireFiniteSeries } from './returns.ts';

function checkColumns(returns: readonly Float64Array[], minLength: number): number {
  if (returns.length < 1)
    throw new DomainError('returns.length', returns.length, 'must be >= 1 (one column per asset)');
  const n = returns[0].length;
  for (let a = 0; a < returns.length; a++) {
    if (returns[a].length !== n) {
      throw new DomainError(`returns[${a}].length`, returns[a].length, `must equal returns[0].length (${n})`);
    }
    requireFiniteSeries(`returns[${a}]`, returns[a], minLength);
  }
  return n;
}

/**
 * RiskMetrics EWMA covariance after the last return: S_t = λ S_{t−1} + (1 − λ) r_t r_tᵀ,
 * S_0 = r_0 r_0ᵀ (zero mean; the diagonal equals {@link ewmaVarianceSeries}' last value).
 *
 * Shape: `returns` k columns of length n ≥ 1; result k×k row-major, per period.
 *
 * @param returns per-period returns, one Float64Array per asset.
 * @param lambda decay factor in (0, 1) (default 0.94).
 * @throws DomainError on ragged or non-finite input, or lambda ∉ (0, 1).
 * @example
 * ewmaCovariance([Float64Array.of(0.01, 0.02), Float64Array.of(-0.01, 0.01)], 0.94);
 * // [1.18e-4, -8.2e-5, -8.2e-5, 1e-4]   (S_12 = 0.94·(−1e-4) + 0.06·(0.02·0.01))
 * References: J.P. Morgan/Reuters, RiskMetrics — Technical Document (1996), §5.3.
 */
export function ewmaCovariance(
  returns: readonly Float64Array[],
  lambda = RISKMETRICS_DAILY_LAMBDA,
): Float64Array {
  const n = checkColumns(returns, 1);
  checkLambda(lambda);
  const k = returns.length;
  const s = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) s[i * k + j] = returns[i][0] * returns[j][0];
  }
  const w = 1 - lambda;
  for (let t = 1; t < n; t++) {
    for (let i = 0; i < k; i++) {
      const ri = w * returns[i][t];
      for (let j = i; j < k; j++) {
        const v = lambda * s[i * k + j] + ri * returns[j][t];
        s[i * k + j] = v;
        s[j * k + i] = v;
      }
    }
  }
  return s;
}

/**
 * Sample covariance of the window [start, end): S = Σ (r_t − r̄)(r_t − r̄)ᵀ / (m − 1), m = end − start.
 *
 * Shape: `returns` k columns of length n; result k×k row-major, per period.
 *
 * @param returns per-period returns, one Float64Array per asset.
 * @param start first index (inclusive), default 0.
 * @param end last index (exclusive), default n; needs end − start ≥ 2.
 * @throws DomainError on ragged or non-finite input or an invalid window.
 * @example
 * sampleCovariance([Float64Array.of(0.01, 0.03), Float64Array.of(0.02, 0.0)]); // [2e-4, -2e-4, -2e-4, 2e-4]
 * References: Anderson, An Introduction to Multivariate Statistical Analysis, 3rd ed. (2003), §3.2.
 */
export function sampleCovariance(returns: readonly Float64Array[], start = 0, end?: number): Float64Array {
  const n = checkColumns(returns, 0);
  const e = end ?? n;
  if (!(Number.isInteger(start) && Number.isInteger(e) && start >= 0 && e <= n && e - start >= 2)) {
    throw new DomainError(
      'window',
      `[${start}, ${e})`,
      `must be integers with 0 <= start, end <= ${n}, end - start >= 2`,
    );
  }
  const k = returns.length;
  const out = new Float64Array(k * k);
  const mean = new Float64Array(k);
  windowCovariance(returns, start, e, mean, out);
  return out;
}

function windowCovariance(
  returns: readonly Float64Array[],
  start: number,
  end: number,
  mean: Float64Array,
  out: Float64Array,
  offset = 0,
): void {
  const k = returns.length;
  const m = end - start;
  for (let a = 0; a < k; a++) {
    const col = returns[a];
    let s = 0;
    for (let t = start; t < end; t++) s += col[t];
    mean[a] = s / m;
  }
  for (let i = 0; i < k; i++) {
    const ci = returns[i];
    const mi = mean[i];
    for (let j = i; j < k; j++) {
      const cj = returns[j];
      const mj = mean[j];
      let s = 0;
      for (let t = start; t < end; t++) s += (ci[t] - mi) * (cj[t] - mj);
      const v = s / (m - 1);
      out[offset + i * k + j] = v;
      out[offset + j * k + i] = v;
    }
  }
}

/**
 * Rolling sample covariance over trailing windows of `window` returns: block b (b = 0..n − window)
 * is {@link sampleCovariance} of returns [b, b + window), i.e. the window ending at index b + window − 1.
 *
 * Shape: result (n − window + 1)·k·k; block b at offset b·k·k, each k×k row-major.
 * Cost O(n·window·k²) (two-pass per window, exact for constant data).
 *
 * @param returns per-period returns, one Float64Array per asset, length n ≥ window.
 * @param window integer ≥ 2.
 * @throws DomainError on ragged or non-finite input or an invalid window.
 * @example
 * rollingCovariance([Float64Array.of(0.01, 0.03, 0.01)], 2); // [2e-4, 2e-4]
 * References: Anderson (2003), §3.2.
 */
export function rollingCovariance(returns: readonly Float64Array[], window: number): Float64Array {
  const n = checkColumns(returns, 0);
  if (!(Number.isInteger(window) && window >= 2 && window <= n)) {
    throw new DomainError('window', window, `must be an integer in [2, ${n}]`);
  }
  const k = returns.length;
  const blocks = n - window + 1;
  const out = new Float64Array(blocks * k * k);
  const mean = new Float64Array(k);
  for (let b = 0; b < blocks; b++) windowCovariance(returns, b, b + window, mean, out, b * k * k);
  return out;
}

/**
 * Correlation from covariance: ρ_ij = S_ij / √(S_ii S_jj), ρ_ii = 1. Entries of an asset with zero
 * variance are NaN (the correlation is undefined), including its diagonal. Works on a single k×k
 * matrix or a stack of them (length a multiple of k²).
 *
 * Shape: `cov` m·k·k; result m·k·k.
 *
 * @param cov covariance matrix (or stack), row-major.
 * @param k number of assets.
 * @throws DomainError when cov.length is not a multiple of k².
 * @example
 * covarianceToCorrelation(Float64Array.of(4e-4, 1e-4, 1e-4, 1e-4), 2); // [1, 0.5, 0.5, 1]
 * References: Anderson (2003), §2.5.
 */
export function covarianceToCorrelation(cov: Float64Array, k: number): Float64Array {
  if (!(Number.isInteger(k) && k >= 1 && cov.length % (k * k) === 0)) {
    throw new DomainError(
      'k',
      k,
      `must be a positive integer with cov.length (${cov.length}) a multiple of k²`,
    );
  }
  const out = new Float64Array(cov.length);
  const inv = new Float64Array(k);
  for (let off = 0; off < cov.length; off += k * k) {
    for (let i = 0; i < k; i++) {
      const v = cov[off + i * k + i];
      inv[i] = v > 0 ? 1 / Math.sqrt(v) : Number.NaN;
    }
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        const idx = off + i * k + j;
        if (i === j) out[idx] = Number.isNaN(inv[i]) ? Number.NaN : 1;
        else out[idx] = Math.max(-1, Math.min(1, cov[idx] * inv[i] * inv[j]));
      }
    }
  }
  return out;
}

/**
 * EWMA correlation matrix: {@link covarianceToCorrelation} of {@link ewmaCovariance}.
 *
 * Shape: `returns` k columns of length n ≥ 1; result k×k row-major.
 *
 * @throws DomainError as {@link ewmaCovariance}.
 * @example
 * ewmaCorrelation([x, x]); // [1, 1, 1, 1] for any non-zero series x
 * References: RiskMetrics — Technical Document (1996), §5.3.
 */
export function ewmaCorrelation(
  returns: readonly Float64Array[],
  lambda = RISKMETRICS_DAILY_LAMBDA,
): Float64Array {
  return covarianceToCorrelation(ewmaCovariance(returns, lambda), returns.length);
}

/**
 * Rolling correlation matrices: {@link covarianceToCorrelation} of {@link rollingCovariance}.
 *
 * Shape: result (n − window + 1)·k·k.
 *
 * @throws DomainError as {@link rollingCovariance}.
 * @example
 * rollingCorrelation([x, y], 60); // one 2×2 correlation matrix per 60-return window
 * References: Anderson (2003), §2.5.
 */
export function rollingCorrelation(returns: readonly Float64Array[], window: number): Float64Array {
  return covarianceToCorrelation(rollingCovariance(returns, window), returns.length);
}
