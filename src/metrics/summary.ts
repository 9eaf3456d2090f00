/**
 * The distribution of a run's per-path metrics across paths: what the risk committee reads.
 * Terminal-value and return percentiles (the 20th included), VaR / CVaR of the horizon return,
 * floor-breach probabilities and shortfall, minimum cushion, cost of protection and capture.
 * Everything is a plain JSON-serialisable object; returns and probabilities are fractions (0.05 =
 * 5 %), values and costs are currency. Formulas: docs/metrics.md.
 *
 * Statistics are taken over the paths where the quantity is defined (not NaN), and each block says
 * how many that was; a statistic over no path, or a ratio with a zero denominator, is NaN (which
 * `JSON.stringify` writes as null, like ±Infinity).
 *
 * References: Hyndman & Fan (1996), definition 7 (percentiles, as NumPy's default); Artzner et al.
 * (1999) and Acerbi & Tasche (2002) (CVaR); Sortino & Price (1994); Young (1991).
 */
import { DomainError } from '../core/errors.ts';
import { PATH_METRIC_NAMES, type PathMetricName } from './names.ts';
import { conditionalValueAtRisk, percentileSorted, sortedDefined, valueAtRisk } from './quantile.ts';

/** Default percentiles (percent) of terminal value, horizon return and minimum cushion. */
export const DEFAULT_PERCENTILES: readonly number[] = [1, 5, 10, 20, 25, 50, 75, 90, 95, 99];
/** Default confidence levels of VaR and CVaR. */
export const DEFAULT_CONFIDENCE: readonly number[] = [0.95, 0.99];

const NAMES: readonly PathMetricName[] = PATH_METRIC_NAMES;

export interface SummaryOptions {
  /** Percentiles to report, percent in [0, 100] (default {@link DEFAULT_PERCENTILES}). */
  readonly percentiles?: readonly number[];
  /** VaR / CVaR confidence levels in (0, 1) (default {@link DEFAULT_CONFIDENCE}). */
  readonly confidence?: readonly number[];
}

/** A distribution across paths. */
export interface Distribution {
  /** Paths where the quantity is defined (not NaN). */
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1 divisor); NaN for one path. */
  readonly std: number;
  readonly min: number;
  readonly max: number;
  /** `p20` = the 20th percentile (NumPy's linear method); one path → every percentile is its value. */
  readonly percentiles: Readonly<Record<string, number>>;
}

/** Mean and median across the paths where a per-path metric is defined. */
export interface Central {
  readonly mean: number;
  readonly median: number;
  /** Paths where the metric is defined (not NaN). */
  readonly defined: number;
}

export interface FloorSummary {
  /** P(V_T < F_T), fraction of paths. */
  readonly probEndBelow: number;
  /** P(V_t < F_t for some t), fraction of paths. */
  readonly probTouched: number;
  /** E[max(F_T − V_T, 0)], currency. */
  readonly expectedShortfall: number;
  /** E[F_T − V_T | V_T < F_T], currency; NaN without a breach. */
  readonly conditionalShortfall: number;
  /** Number of paths ending below the floor. */
  readonly breaches: number;
}

export interface CostOfProtection {
  /** Mean transaction costs paid (commissions, spreads, fees), currency. */
  readonly costs: number;
  /** Mean net option premiums paid at mid (bought − sold), currency. */
  readonly premiums: number;
  /** Mean of costs + net premiums per path, currency. */
  readonly total: number;
  /** E[R^B − R | R^B > 0]: horizon return given up when the benchmark rose, fraction; NaN if it never rose. */
  readonly returnGivenUpInRisingMarkets: number;
  /** Number of paths where the benchmark's horizon return was > 0. */
  readonly risingPaths: number;
}

export interface CaptureSummary {
  /** Σ over paths and benchmark-up (down) steps of strategy returns / the same Σ of benchmark returns. */
  readonly pooled: number;
  /** E[R | R^B > 0] / E[R^B | R^B > 0] (downside: R^B < 0) over horizon returns. */
  readonly horizon: number;
}

/** The cross-path summary of one strategy run. */
export interface MetricsSummary {
  /** Number of paths summarized. */
  readonly paths: number;
  /** V_T, currency. */
  readonly terminalValue: Distribution;
  /** R = V_T/V₀ − 1, fraction. */
  readonly horizonReturn: Distribution;
  /** min_t (V_t − F_t)/V_t per path, fraction of value. */
  readonly minCushion: Distribution;
  /** `var95`, `cvar95`, `var99`, `cvar99`: of the horizon return, positive = loss, fraction. */
  readonly tail: Readonly<Record<string, number>>;
  readonly floor: FloorSummary;
  readonly costOfProtection: CostOfProtection;
  readonly capture: { readonly upside: CaptureSummary; readonly downside: CaptureSummary };
  /** Mean and median of every per-path metric (units as in docs/metrics.md). */
  readonly metrics: Readonly<Record<PathMetricName, Central>>;
}

/** `97.5` → `'97.5'`, `20` → `'20'`: a key suffix for a percent. */
function pctKey(pct: number): string {
  return String(Number(pct.toPrecision(12)));
}

function mean(sorted: Float64Array): number {
  if (sorted.length === 0) return Number.NaN;
  let s = 0;
  for (let i = 0; i < sorted.length; i++) s += sorted[i];
  return s / sorted.length;
}

/**
 * Distribution of one per-path quantity across paths (NaN entries left out).
 *
 * Shape: x [nPaths].
 * @param percentiles - percents in [0, 100].
 * @throws DomainError if a percentile is outside [0, 100].
 * @example
 * distribution(Float64Array.of(1, 2, 3, 4), [20]).percentiles.p20; // returns 1.6
 * References: Hyndman & Fan (1996), definition 7.
 */
export function distribution(
  x: Float64Array,
  percentiles: readonly number[] = DEFAULT_PERCENTILES,
): Distribution {
  const s = sortedDefined(x);
  const n = s.length;
  const m = mean(s);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (s[i] - m) ** 2;
  const pct: Record<string, number> = {};
  for (const p of percentiles) pct[`p${pctKey(p)}`] = percentileSorted(s, p);
  return {
    n,
    mean: m,
    std: n >= 2 ? Math.sqrt(ss / (n - 1)) : Number.NaN,
    min: n > 0 ? s[0] : Number.NaN,
    max: n > 0 ? s[n - 1] : Number.NaN,
    percentiles: pct,
  };
}

/** Mean over the indices where `cond(p)` holds and x is defined; NaN if none. */
function conditionalMean(x: Float64Array, cond: (p: number) => boolean): { mean: number; count: number } {
  let s = 0;
  let c = 0;
  for (let p = 0; p < x.length; p++) {
    const v = x[p];
    if (!Number.isNaN(v) && cond(p)) {
      s += v;
      c++;
    }
  }
  return { mean: c > 0 ? s / c : Number.NaN, count: c };
}

/** Σ x / Σ y over the paths where both are defined; NaN when Σ y = 0. */
function pooledRatio(x: Float64Array, y: Float64Array): number {
  let sx = 0;
  let sy = 0;
  for (let p = 0; p < x.length; p++) {
    const a = x[p];
    const b = y[p];
    if (!(Number.isNaN(a) || Number.isNaN(b))) {
      sx += a;
      sy += b;
    }
  }
  return sy !== 0 ? sx / sy : Number.NaN;
}

/**
 * Summarizes per-path metrics across paths (formulas in docs/metrics.md): distributions of V_T, R
 * and the minimum cushion; VaR_α = −percentile(R, 100 − 100α) and CVaR_α = −mean{R ≤ −VaR_α};
 * P(V_T < F_T), P(touch), E[shortfall] and E[shortfall | breach]; mean costs and premiums and
 * E[R^B − R | R^B > 0]; pooled and horizon capture; mean and median of every per-path metric.
 * Works with a single path (historical replay): percentiles and VaR then equal that path's value.
 *
 * Shape: every array of `perPath` [nPaths], the keys of {@link PathResults}.
 * @throws DomainError if a metric array is missing, the lengths differ or are 0, or an option is out
 *   of range, e.g. `perPath.sharpe (3) must be a Float64Array of length 4`.
 * @example
 * summarize(metrics.results()).tail.var95; // returns e.g. 0.183 (an 18.3 % loss at 95 %)
 * References: Hyndman & Fan (1996); Artzner et al. (1999); Acerbi & Tasche (2002).
 */
export function summarize(
  perPath: Readonly<Record<string, Float64Array>>,
  opts: SummaryOptions = {},
): MetricsSummary {
  const n = perPath.terminalValue?.length ?? 0;
  if (n === 0) throw new DomainError('perPath.terminalValue.length', n, 'must be >= 1');
  for (const k of NAMES) {
    const a = perPath[k];
    if (!(a instanceof Float64Array) || a.length !== n)
      throw new DomainError(`perPath.${k}`, a?.length, `must be a Float64Array of length ${n}`);
  }
  const pcts = opts.percentiles ?? DEFAULT_PERCENTILES;
  pcts.forEach((p, i) => {
    if (!(p >= 0 && p <= 100)) throw new DomainError(`percentiles[${i}]`, p, 'must be in [0, 100]');
  });
  const levels = opts.confidence ?? DEFAULT_CONFIDENCE;
  levels.forEach((a, i) => {
    if (!(a > 0 && a < 1)) throw new DomainError(`confidence[${i}]`, a, 'must be in (0, 1)');
  });
  const r = perPath as Readonly<Record<PathMetricName, Float64Array>>;

  const ret = sortedDefined(r.horizonReturn);
  const tail: Record<string, number> = {};
  for (const a of levels) {
    const key = pctKey(100 * a);
    tail[`var${key}`] = ret.length > 0 ? valueAtRisk(ret, a) : Number.NaN;
    tail[`cvar${key}`] = ret.length > 0 ? conditionalValueAtRisk(ret, a) : Number.NaN;
  }

  const below = conditionalMean(r.endedBelowFloor, () => true);
  const breach = conditionalMean(r.shortfall, (p) => r.endedBelowFloor[p] === 1);
  const rb = r.benchmarkReturn;
  const rs = r.horizonReturn;
  const gaveUp = new Float64Array(n);
  const costTotal = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    gaveUp[p] = rb[p] - rs[p];
    costTotal[p] = r.costs[p] + r.premiums[p];
  }
  const rising = conditionalMean(gaveUp, (p) => rb[p] > 0);
  const ratio = (cond: (p: number) => boolean) =>
    conditionalMean(rs, (p) => cond(p) && !Number.isNaN(rb[p])).mean /
    conditionalMean(rb, (p) => cond(p) && !Number.isNaN(rs[p])).mean;

  const metrics = {} as Record<PathMetricName, Central>;
  for (const k of NAMES) {
    const s = sortedDefined(r[k]);
    metrics[k] = { mean: mean(s), median: percentileSorted(s, 50), defined: s.length };
  }

  return {
    paths: n,
    terminalValue: distribution(r.terminalValue, pcts),
    horizonReturn: distribution(r.horizonReturn, pcts),
    minCushion: distribution(r.minCushion, pcts),
    tail,
    floor: {
      probEndBelow: below.mean,
      probTouched: conditionalMean(r.touchedFloor, () => true).mean,
      expectedShortfall: conditionalMean(r.shortfall, () => true).mean,
      conditionalShortfall: breach.mean,
      breaches: breach.count,
    },
    costOfProtection: {
      costs: metrics.costs.mean,
      premiums: metrics.premiums.mean,
      total: mean(sortedDefined(costTotal)),
      returnGivenUpInRisingMarkets: rising.mean,
      risingPaths: rising.count,
    },
    capture: {
      upside: { pooled: pooledRatio(r.upStrategy, r.upBenchmark), horizon: ratio((p) => rb[p] > 0) },
      downside: { pooled: pooledRatio(r.downStrategy, r.downBenchmark), horizon: ratio((p) => rb[p] < 0) },
    },
    metrics,
  };
}
