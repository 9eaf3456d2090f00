/**
 * What the HTML report draws beyond the scenario result: per market, the sampled steps, and per
 * strategy the value quantile bands (fan chart), the mean exposure and Greeks over time, the
 * terminal-value and maximum-drawdown histograms and a sample of (benchmark V_T, V_T) pairs for
 * the payoff map. Bounded size whatever the number of paths: ≤ {@link MAX_POINTS} + 1 sampled
 * steps, {@link HIST_BINS} bins, ≤ {@link PAYOFF_SAMPLE} pairs per strategy.
 */

/** Quantiles of the fan chart (5–95 % and 20–80 % bands, median). */
export const FAN_QUANTILES = [0.05, 0.2, 0.5, 0.8, 0.95] as const;
/** Sampled steps per market at most (+ the last step): every ⌈nSteps / MAX_POINTS⌉-th step. */
export const MAX_POINTS = 60;
/** Bins of the terminal-value and drawdown histograms. */
export const HIST_BINS = 40;
/** Paths in the payoff map: the first PAYOFF_SAMPLE paths (paths are i.i.d.: a uniform sample). */
export const PAYOFF_SAMPLE = 300;

export interface StrategyDetail {
  /** Value quantiles per sampled step, quantile-major. Shape: [FAN_QUANTILES.length × samples]. */
  readonly fan: Float32Array;
  /** Mean over paths of Σₐ Δₐ·Sₐ / V (units count Δ = 1): the risky exposure as a fraction of value. Shape: [samples]. */
  readonly exposure: Float32Array;
  /** Mean over paths of ½·Σₐ Γₐ·Sₐ²·0.01² / V: value gained by convexity from a 1 % move in every asset, fraction of V. Shape: [samples]. */
  readonly gamma: Float32Array;
  /** Mean over paths of Σₐ νₐ·0.01 / V: value change for +1 vol point, fraction of V. Shape: [samples]. */
  readonly vega: Float32Array;
  /** Path counts per bin of V_T (edges: MarketDetail.terminalEdges). Shape: [HIST_BINS]. */
  readonly terminalHist: Float32Array;
  /** Path counts per bin of the maximum drawdown (edges: MarketDetail.drawdownEdges). Shape: [HIST_BINS]. */
  readonly drawdownHist: Float32Array;
  /** (benchmark V_T, V_T) of the first paths, interleaved. Shape: [2 × min(paths, PAYOFF_SAMPLE)]. */
  readonly payoff: Float32Array;
}

export interface MarketDetail {
  /** Grid step index of each sampled step. Shape: [samples]. */
  readonly steps: Float32Array;
  /** Time of each sampled step, years from the start. Shape: [samples]. */
  readonly times: Float32Array;
  /** [lo, hi] of the terminal-value histogram, currency (values outside fall in the end bins). */
  readonly terminalEdges: Float64Array;
  /** [lo, hi] of the maximum-drawdown histogram, fraction. */
  readonly drawdownEdges: Float64Array;
  readonly strategies: readonly StrategyDetail[];
}

export interface ReportDetail {
  readonly markets: readonly MarketDetail[];
}
