/**
 * Per-path, streaming volatility forecasts for the vol-targeting overlay (vol-target.ts): one
 * forecast per "leg" (a sleeve return or one asset's return) on every path, stepped once per
 * observation with the volatility module's own kernels — no second implementation of a recursion.
 *
 *   ewma       σ̂²ₜ = λ·σ̂²ₜ₋₁ + (1 − λ)·rₜ²/Δtₜ,  λ = 2^{−1/h}     `ewmaVarianceStep` (RiskMetrics)
 *   garch      σ̂²ₜ = (ω + α·rₜ² + β·σ̂²ₜ₋₁·Δtₜ)/Δtₜ                `garchVarianceStep` (Bollerslev)
 *   realized   σ̂²ₜ = sample variance of the last W values rₛ/√Δtₛ  `sampleVariance` (two-pass)
 *   covariance Σₜ = λ·Σₜ₋₁ + (1 − λ)·rₜrₜᵀ/Δtₜ per path (k×k; its diagonal is the ewma recursion)
 *
 * Variances are annualized (returns divided by the step length in years), zero-mean (RiskMetrics).
 * Before any data (and for `realized` until W returns were seen) the forecast is the prior σ₀².
 * A non-finite return leaves that path's forecast unchanged and is counted by the caller.
 *
 * Memory per leg: ewma / garch 2 × nPaths doubles; realized (W + 2) × nPaths; covariance
 * k(k+1)/2 × nPaths for the whole sleeve (one array per pair i ≤ j, so every loop runs over paths). E.g. realized W = 20, 3 legs, a 4096-path chunk: 3·22·4096·8 B ≈ 2.2 MB.
 *
 * References: J.P. Morgan/Reuters, RiskMetrics — Technical Document (1996), §5.2–5.3;
 * T. Bollerslev, J. Econometrics 31 (1986) 307–327.
 */
import { ewmaVarianceStep } from '../../volatility/ewma.ts';
import { garchVarianceStep } from '../../volatility/garch.ts';
import { sampleVariance } from '../../volatility/realized.ts';

/** How the overlay forecasts a leg's volatility (observations, not years, for h and W). */
export type VolEstimatorSpec =
  | { readonly kind: 'ewma'; readonly halfLife: number }
  | { readonly kind: 'realized'; readonly window: number }
  | { readonly kind: 'garch'; readonly omega: number; readonly alpha: number; readonly beta: number }
  | { readonly kind: 'covariance'; readonly halfLife: number };

/** EWMA decay of a half-life in observations: λ = 2^{−1/h}. @example halfLifeLambda(1) // 0.5 */
export function halfLifeLambda(halfLife: number): number {
  return 2 ** (-1 / halfLife);
}

/**
 * The forecasts of one chunk of paths, plain data (snapshots with the strategy state).
 * Shape: variance[l], prev[l], count[l]: [nPaths]; ring[l]: [nPaths × W] (path-major);
 * cov: [nPaths × K] path-major, K = k(k+1)/2: path p's pair (i, j), i ≤ j, at p·K + pair(i, j) with
 * pair(i, j) = i·k − i(i−1)/2 + (j − i) (empty unless `covariance`). One array with a path's pairs
 * side by side: the covariance step reads and writes one cache line per path, not K arrays.
 */
export interface VolForecastState {
  /** Current annualized variance forecast per leg and path. */
  readonly variance: Float64Array[];
  /** Scratch: the variances before this step (restored where the return was not finite). */
  readonly prev: Float64Array[];
  /** Realized: finite returns pushed so far per leg and path. */
  readonly count: Float64Array[];
  readonly ring: Float64Array[];
  readonly cov: Float64Array;
}

/** Index of the pair (i, j), i ≤ j, among the k(k+1)/2 covariance arrays. @example pairIndex(1, 2, 3) // 4 */
export function pairIndex(i: number, j: number, k: number): number {
  return i * k - (i * (i - 1)) / 2 + (j - i);
}

/** Allocates the forecasts with every variance at its prior (annualized). */
export function initVolForecast(
  spec: VolEstimatorSpec,
  prior: Float64Array,
  nPaths: number,
  k: number,
): VolForecastState {
  const nLegs = prior.length;
  const W = spec.kind === 'realized' ? spec.window : 0;
  const legs = (len: number) => Array.from({ length: nLegs }, () => new Float64Array(len));
  const st: VolForecastState = {
    variance: legs(nPaths),
    prev: legs(nPaths),
    count: legs(W > 0 ? nPaths : 0),
    ring: legs(nPaths * W),
    cov: new Float64Array(spec.kind === 'covariance' ? (nPaths * k * (k + 1)) / 2 : 0),
  };
  for (let l = 0; l < nLegs; l++) st.variance[l].fill(prior[l]);
  return st;
}

/**
 * Steps leg l's forecast with the returns r (per path) of the step just ended, dt years long.
 * Paths whose return is not finite keep their forecast (pass `someMissing = false` only when no
 * return is missing: it skips the copy that restores them). No allocation; never throws.
 */
export function stepLegForecast(
  spec: VolEstimatorSpec,
  st: VolForecastState,
  l: number,
  r: Float64Array,
  dt: number,
  someMissing = true,
): void {
  const v = st.variance[l];
  const n = v.length;
  if (spec.kind === 'realized') {
    const W = spec.window;
    const ring = st.ring[l];
    const count = st.count[l];
    const scale = 1 / Math.sqrt(dt);
    for (let p = 0; p < n; p++) {
      const x = r[p];
      if (!(x - x === 0)) continue; // not finite
      const c = count[p];
      ring[p * W + (c % W)] = x * scale;
      count[p] = c + 1;
      if (c + 1 >= W) v[p] = sampleVariance(ring, p * W, p * W + W);
    }
    return;
  }
  // Keep a copy only when some return is missing (the caller knows: it has just read them).
  const prev = st.prev[l];
  if (someMissing) prev.set(v);
  if (spec.kind === 'garch') garchVarianceStep(v, r, spec.omega, spec.alpha, spec.beta, dt);
  else ewmaVarianceStep(v, r, halfLifeLambda(spec.halfLife), dt);
  if (someMissing) for (let p = 0; p < n; p++) if (!(r[p] - r[p] === 0)) v[p] = prev[p];
}

/**
 * Steps the per-path EWMA covariance of the k sleeve assets: Σᵢⱼ ← λ·Σᵢⱼ + (1 − λ)·rᵢrⱼ/Δt. An entry
 * whose update is not finite (a missing return) keeps its value (pairwise-complete).
 * Shape: returns[i]: [nPaths], i < k (the sleeve assets' log returns). No allocation; never throws.
 */
export function stepCovariance(
  st: VolForecastState,
  k: number,
  returns: readonly Float64Array[],
  lambda: number,
  dt: number,
): void {
  const w = (1 - lambda) / dt;
  const K = (k * (k + 1)) / 2;
  const c = st.cov;
  const n = c.length / K;
  for (let p = 0; p < n; p++) {
    let q = p * K;
    for (let i = 0; i < k; i++) {
      const ri = returns[i][p];
      for (let j = i; j < k; j++, q++) {
        const x = lambda * c[q] + w * ri * returns[j][p];
        if (x - x === 0) c[q] = x; // finite (x − x is NaN for NaN and ±∞); Number.isFinite costs 2× here
      }
    }
  }
}
