/**
 * Per-path metrics of one strategy run, accumulated while the engine streams through time: the
 * state is a few numbers per path of the current chunk (no paths × steps storage); `finish` turns
 * them into per-path results in arrays sized for the whole run. Formulas and conventions:
 * docs/metrics.md.
 *
 * The value series of a path is V₀ = the initial capital (`book.initialValue`, before any trade),
 * then Vᵢ = the marked value after trading at step i = 1 … N (the step-0 value after the inception
 * trades is also checked for drawdown, floor and cushion). Step log returns rᵢ = ln(Vᵢ/Vᵢ₋₁), so
 * inception costs fall in the first step's return and Σ rᵢ = ln(V_N/V₀). The benchmark series starts
 * at the same capital. Undefined statistics are NaN, never a sentinel.
 *
 * References: Sharpe, "The Sharpe ratio", J. Portfolio Management 21 (1994); Sortino & Price,
 * "Performance measurement in a downside risk framework", J. Investing 3 (1994); Young, "Calmar
 * ratio: a smoother tool", Futures 20 (1991); Welford, Technometrics 4 (1962) (streaming variance).
 */
import { DomainError } from '../core/errors.ts';
import { advanceRateIntegral, type RateIntegral, startRateIntegral } from '../core/time.ts';
import type { MarketView } from '../market/market-view.ts';
import type { BookView } from '../portfolio/book.ts';
import { PATH_METRIC_NAMES, type PathMetricName } from './names.ts';
import { type MetricsSummary, type SummaryOptions, summarize } from './summary.ts';
import type { PathMetricsAccumulator } from './types.ts';

export { PATH_METRIC_NAMES, type PathMetricName } from './names.ts';

/** Per-path results: one Float64Array per metric, index = path (relative to the run's first path). */
export type PathResults = { [K in PathMetricName]: Float64Array };

/**
 * Annualized volatilities at or below this are treated as zero (the round-off of a riskless value
 * path, ~1e-15), making Sharpe and Sortino NaN rather than a ratio of round-off errors.
 */
export const ZERO_VOL = 1e-10;

// Per-path state layout (interleaved: one sequential stream per step instead of ~18).
const PREV = 0; // V_{i−1}
const PREV_B = 1; // benchmark B_{i−1}
const PEAK = 2; // running peak of V
const MAX_DD = 3; // max drawdown so far, fraction
const MEAN = 4; // Welford mean of rᵢ
const M2 = 5; // Welford Σ(r − mean)²
const DOWN2 = 6; // Σ min(rᵢ, 0)²
const MEAN_D = 7; // Welford mean of rᵢ − r^Bᵢ (non-finite once either series was non-finite or ≤ 0)
const M2_D = 8;
const UP_S = 9; // Σ strategy simple returns over benchmark-up steps
const UP_B = 10;
const DN_S = 11;
const DN_B = 12;
const FLOOR = 13; // last floor seen (F_N at finish)
const TOUCHED = 14; // 1 once V_t < F_t
const MIN_CUSH = 15; // min (V_t − F_t)/V_t
const SUM_V = 16; // Σ V_t, t = 0 … N (non-finite once a value was: the path's NaN flag)
const TURN0 = 17; // book.turnover after the inception trades
const STRIDE = 18;

/**
 * The benchmark run's step log returns ln(Bᵢ/Bᵢ₋₁), shared by the accumulators of one engine call
 * (made together by {@link PathMetrics.forRuns}) so that each computes one logarithm per path-step
 * instead of two. State of that one call only: never module-level, so concurrent runs in one
 * process cannot see each other's values. Results are bit-identical with or without it (the same
 * ln(Bᵢ/Bᵢ₋₁) either way); an accumulator made alone computes the benchmark's logs itself.
 */
export class BenchmarkLogShare {
  /** The benchmark book's value array the logs belong to (a new one per chunk). */
  values: Float64Array | undefined = undefined;
  /** The step the logs belong to (0 after `begin`: none yet). */
  step = 0;
  /** ln(Bᵢ/Bᵢ₋₁) per path of the chunk. Shape: [≥ nPaths of the chunk]. */
  logReturn = new Float64Array(0);
}

/**
 * Drawdown, floor and cushion bookkeeping of one path at one step (shared by both observe loops).
 * The cushion (V − F)/V is only divided out when it sets a new minimum (V > 0); V ≤ 0 gives −∞.
 */
function trackValue(s: Float64Array, o: number, vp: number, f: number): void {
  const peak = s[o + PEAK];
  if (vp > peak) s[o + PEAK] = vp;
  else if (peak - vp > s[o + MAX_DD] * peak) s[o + MAX_DD] = (peak - vp) / peak;
  if (vp < f) s[o + TOUCHED] = 1;
  if (vp > 0) {
    if (vp - f < s[o + MIN_CUSH] * vp) s[o + MIN_CUSH] = (vp - f) / vp;
  } else s[o + MIN_CUSH] = Number.NEGATIVE_INFINITY;
  s[o + FLOOR] = f;
  s[o + SUM_V] += vp;
  s[o + PREV] = vp;
}

/**
 * Streaming per-path metrics of one strategy run (the engine's {@link PathMetricsAccumulator}).
 * Per path: terminal value, horizon return, annualized return, volatility, Sharpe, Sortino, maximum
 * drawdown, Calmar, floor breach / touch / shortfall, minimum cushion, excess return and tracking
 * error against the benchmark, up/down capture, costs, net premiums, turnover and trades.
 *
 * Shape: every result array has length nPaths (the whole run of this engine call); per-chunk state
 * is 18 numbers per path of the chunk. `observe` allocates nothing.
 * @param nPaths - paths of the whole run, integer ≥ 1.
 * @throws DomainError if nPaths is not an integer ≥ 1.
 * @example
 * const m = new PathMetrics(1024);
 * runEngine({ ...cfg, nPaths: 1024, metrics: () => m }); // one accumulator per run in practice
 * m.results().maxDrawdown[0]; // returns the first path's maximum drawdown, e.g. 0.1736
 * References: Sortino & Price (1994); Young (1991); Welford (1962).
 */
export class PathMetrics implements PathMetricsAccumulator {
  readonly nPaths: number;
  /** The benchmark's step logs shared with the other runs of the same engine call, if any. */
  private readonly share: BenchmarkLogShare | undefined;
  private readonly out: PathResults;
  private state = new Float64Array(0);
  /** Scratch: the step log returns of the current observe (length >= n). */
  private logs = new Float64Array(0);
  private n = 0;
  private steps = 0;
  /** Whether the chunk's benchmark is this run itself (its UP_S/DN_S/PREV_B are then not kept). */
  private self = false;
  /** ∫ r dt over the steps observed (left-point, like the engine's cash accrual). */
  private rateTime: RateIntegral = startRateIntegral(0);
  /** Time of the first observation (begin). */
  private t0 = 0;

  /**
   * @param share - the benchmark's step logs shared by the accumulators of one engine call (see
   *   {@link PathMetrics.forRuns}); without it the benchmark's logs are computed here.
   */
  constructor(nPaths: number, share?: BenchmarkLogShare) {
    if (!(Number.isSafeInteger(nPaths) && nPaths >= 1))
      throw new DomainError('nPaths', nPaths, 'must be an integer >= 1');
    this.nPaths = nPaths;
    this.share = share;
    const out = {} as Record<PathMetricName, Float64Array>;
    for (const k of PATH_METRIC_NAMES) out[k] = new Float64Array(nPaths).fill(Number.NaN);
    this.out = out;
  }

  /**
   * One accumulator per run of one engine call, sharing the benchmark run's step log returns (one
   * logarithm per path-step instead of two; results identical to separate accumulators).
   * @param nRuns - number of runs (strategies) of the engine call, integer ≥ 1.
   * @param nPaths - paths of the whole call, integer ≥ 1.
   * @throws DomainError if nRuns or nPaths is not an integer ≥ 1.
   * @example
   * const ms = PathMetrics.forRuns(runs.length, 1024);
   * runEngine({ ...cfg, runs, nPaths: 1024, metrics: (r) => ms[r] });
   * ms[1].results().excessReturn[0]; // returns the first path's excess return over the benchmark
   */
  static forRuns(nRuns: number, nPaths: number): PathMetrics[] {
    if (!(Number.isSafeInteger(nRuns) && nRuns >= 1))
      throw new DomainError('nRuns', nRuns, 'must be an integer >= 1');
    const share = new BenchmarkLogShare();
    return Array.from({ length: nRuns }, () => new PathMetrics(nPaths, share));
  }

  /** Starts a chunk: step 0 after the inception trades. */
  begin(view: MarketView, book: BookView, floor: Float64Array): void {
    const n = view.nPaths;
    if (this.state.length < n * STRIDE) this.state = new Float64Array(n * STRIDE);
    this.n = n;
    this.steps = 0;
    this.self = false;
    this.rateTime = startRateIntegral(view.rate);
    this.t0 = view.t;
    const s = this.state;
    const v = book.value;
    const v0 = book.initialValue;
    const turn = book.turnover;
    s.fill(0, 0, n * STRIDE);
    for (let p = 0, o = 0; p < n; p++, o += STRIDE) {
      const vp = v[p];
      const f = floor[p];
      s[o + PREV] = v0;
      s[o + PREV_B] = v0;
      const peak = Math.max(vp, v0);
      s[o + PEAK] = peak;
      s[o + MAX_DD] = (peak - vp) / peak;
      s[o + FLOOR] = f;
      s[o + TOUCHED] = vp < f ? 1 : 0;
      s[o + MIN_CUSH] = vp > 0 ? (vp - f) / vp : Number.NEGATIVE_INFINITY;
      s[o + SUM_V] = vp;
      s[o + TURN0] = turn[p];
    }
    // A new chunk: the shared logs of the previous one are stale.
    if (this.share) this.share.step = 0;
  }

  /** One step i ≥ 1 after trading; hot loop, no allocation. */
  observe(view: MarketView, book: BookView, floor: Float64Array, benchmark: Float64Array): void {
    const n = this.n;
    const s = this.state;
    const v = book.value;
    const k = ++this.steps;
    const invK = 1 / k;
    this.self = benchmark === v;
    advanceRateIntegral(this.rateTime, view.dt, view.rate);
    if (benchmark === v) {
      // The benchmark run itself: r − r^B = 0 and its capture sums are its own (kept in UP_B / DN_B).
      // It publishes its log returns for the other runs.
      const share = this.share;
      if (share) {
        if (share.logReturn.length < n) share.logReturn = new Float64Array(n);
        share.values = v;
        share.step = k;
      }
      this.observeSelf(v, floor, share?.logReturn);
      return;
    }
    const share = this.share;
    // The benchmark run's logs are usable once it has observed this very step (the engine runs it first).
    const lb = share?.values === benchmark && share.step === k ? share.logReturn : undefined;
    const lr = this.stepLogs(v);
    for (let p = 0, o = 0; p < n; p++, o += STRIDE) {
      const vp = v[p];
      const q = vp / s[o + PREV];
      const r = lr[p];
      const d1 = r - s[o + MEAN];
      const mean = s[o + MEAN] + d1 * invK;
      s[o + MEAN] = mean;
      s[o + M2] += d1 * (r - mean);
      // min(r, 0) without a branch (r's sign is a coin flip) and with NaN propagating
      const neg = 0.5 * (r - Math.abs(r));
      s[o + DOWN2] += neg * neg;

      const b = benchmark[p];
      const qb = b / s[o + PREV_B];
      const diff = r - (lb ? lb[p] : Math.log(qb));
      s[o + PREV_B] = b;
      const d2 = diff - s[o + MEAN_D];
      const meanD = s[o + MEAN_D] + d2 * invK;
      s[o + MEAN_D] = meanD;
      s[o + M2_D] += d2 * (diff - meanD);
      // Up / down benchmark steps as 0/1 weights: no unpredictable branch.
      const rb = qb - 1;
      const rs = q - 1;
      const up = +(rb > 0);
      const dn = +(rb < 0);
      s[o + UP_S] += up * rs;
      s[o + UP_B] += up * rb;
      s[o + DN_S] += dn * rs;
      s[o + DN_B] += dn * rb;
      trackValue(s, o, vp, floor[p]);
    }
  }

  /** observe() for the benchmark run: one log per path, published for the other runs. */
  /**
   * ln(Vₜ/Vₜ₋₁) for every path, in a short loop of its own: Math.log is an out-of-line call that,
   * inside the long accumulation loop, would spill every live double on each path.
   */
  private stepLogs(v: Float64Array): Float64Array {
    const n = this.n;
    const s = this.state;
    if (this.logs.length < n) this.logs = new Float64Array(n);
    const lr = this.logs;
    for (let p = 0, o = 0; p < n; p++, o += STRIDE) lr[p] = Math.log(v[p] / s[o + PREV]);
    return lr;
  }

  private observeSelf(v: Float64Array, floor: Float64Array, lb: Float64Array | undefined): void {
    const n = this.n;
    const s = this.state;
    const invK = 1 / this.steps;
    const lr = this.stepLogs(v);
    for (let p = 0, o = 0; p < n; p++, o += STRIDE) {
      const vp = v[p];
      const q = vp / s[o + PREV];
      const r = lr[p];
      if (lb) lb[p] = r;
      const d1 = r - s[o + MEAN];
      const mean = s[o + MEAN] + d1 * invK;
      s[o + MEAN] = mean;
      s[o + M2] += d1 * (r - mean);
      const neg = 0.5 * (r - Math.abs(r));
      s[o + DOWN2] += neg * neg;
      const rb = q - 1;
      s[o + UP_B] += +(rb > 0) * rb;
      s[o + DN_B] += +(rb < 0) * rb;
      trackValue(s, o, vp, floor[p]);
    }
  }

  /** Writes the chunk's per-path results at `offset` (= global path − the run's first path). */
  finish(view: MarketView, book: BookView, offset: number): void {
    const n = this.n;
    if (!(Number.isInteger(offset) && offset >= 0 && offset + n <= this.nPaths))
      throw new DomainError('offset', offset, `must be an integer in [0, ${this.nPaths - n}]`);
    const s = this.state;
    const o_ = this.out;
    const self = this.self;
    const acc = book;
    const v0 = book.initialValue;
    const T = view.t - this.t0; // from the first observation to the last: this run's horizon
    const k = this.steps;
    const ppy = view.stepsPerYear;
    const sqrtPpy = Math.sqrt(ppy);
    const invT = T > 0 ? 1 / T : Number.NaN;
    // Effective annual equivalent of the average continuously compounded short rate.
    const rf = Math.expm1(this.rateTime.value * invT);
    for (let p = 0, o = 0; p < n; p++, o += STRIDE) {
      const g = offset + p;
      const vT = s[o + PREV];
      // Multipliers that turn path-dependent results into NaN once a value was not finite.
      const ok = Number.isFinite(s[o + SUM_V]) ? 1 : Number.NaN;
      const okB = Number.isFinite(s[o + MEAN_D]) ? ok : Number.NaN;
      const ret = vT / v0 - 1;
      const annRet = (vT / v0) ** invT - 1;
      const vol = k >= 2 ? Math.sqrt(s[o + M2] / (k - 1)) * sqrtPpy * ok : Number.NaN;
      const down = k >= 1 ? Math.sqrt(s[o + DOWN2] / k) * sqrtPpy * ok : Number.NaN;
      const mdd = s[o + MAX_DD] * ok;
      const fT = s[o + FLOOR];
      o_.terminalValue[g] = vT;
      o_.horizonReturn[g] = ret;
      o_.annualizedReturn[g] = annRet;
      o_.annualizedVolatility[g] = vol;
      o_.sharpe[g] = vol > ZERO_VOL ? (annRet - rf) / vol : Number.NaN;
      o_.sortino[g] = down > ZERO_VOL ? annRet / down : Number.NaN;
      o_.maxDrawdown[g] = mdd;
      o_.calmar[g] = mdd > 0 ? annRet / mdd : Number.NaN;
      o_.endedBelowFloor[g] = (vT < fT ? 1 : 0) * ok;
      o_.touchedFloor[g] = s[o + TOUCHED] * ok;
      o_.shortfall[g] = Math.max(fT - vT, 0) * ok;
      o_.minCushion[g] = s[o + MIN_CUSH] * ok;
      const bT = self ? vT : s[o + PREV_B];
      const retB = bT / v0 - 1;
      o_.benchmarkReturn[g] = retB + 0 * okB;
      o_.excessReturn[g] = annRet - ((bT / v0) ** invT - 1) + 0 * okB;
      o_.trackingError[g] = k >= 2 ? Math.sqrt(s[o + M2_D] / (k - 1)) * sqrtPpy * okB : Number.NaN;
      const upB = s[o + UP_B] * okB;
      const dnB = s[o + DN_B] * okB;
      const upS = self ? upB : s[o + UP_S] * okB;
      const dnS = self ? dnB : s[o + DN_S] * okB;
      o_.upStrategy[g] = upS;
      o_.upBenchmark[g] = upB;
      o_.downStrategy[g] = dnS;
      o_.downBenchmark[g] = dnB;
      o_.upsideCapture[g] = upB > 0 ? upS / upB : Number.NaN;
      o_.downsideCapture[g] = dnB < 0 ? dnS / dnB : Number.NaN;
      const avgV = s[o + SUM_V] / (k + 1);
      o_.costs[g] = acc.fees[p];
      o_.premiums[g] = acc.premiums[p];
      o_.turnover[g] = ((acc.turnover[p] - s[o + TURN0]) / avgV) * invT;
      o_.trades[g] = acc.trades[p];
    }
  }

  /**
   * The per-path result arrays (live views, not copies): index = path − the run's first path;
   * NaN where a path was not finished yet or a statistic is undefined.
   *
   * Shape: each [nPaths].
   * @example
   * new PathMetrics(4).results().sharpe.length; // returns 4
   * References: docs/metrics.md.
   */
  results(): PathResults {
    return this.out;
  }

  /**
   * The cross-path summary of this run's results ({@link summarize}).
   * @throws DomainError as {@link summarize}.
   * @example
   * m.summary().terminalValue.percentiles.p20; // returns the 20th percentile of V_T
   * References: docs/metrics.md.
   */
  summary(opts?: SummaryOptions): MetricsSummary {
    return summarize(this.out, opts);
  }

  /**
   * Summary from per-path arrays built elsewhere (e.g. merged from worker threads with
   * {@link concatResults}); same as {@link summarize}.
   * @throws DomainError as {@link summarize}.
   * @example
   * PathMetrics.summarize(concatResults([a.results(), b.results()])).paths; // returns the total paths
   * References: docs/metrics.md.
   */
  static summarize(perPath: Readonly<Record<string, Float64Array>>, opts?: SummaryOptions): MetricsSummary {
    return summarize(perPath, opts);
  }
}

/**
 * Concatenates per-path results of consecutive path ranges (e.g. worker threads with firstPath 0,
 * 512, …) into one set, in the order given.
 *
 * Shape: each part's arrays [nᵢ]; returns arrays [Σ nᵢ].
 * @throws DomainError if parts is empty or a part lacks a metric or has arrays of unequal length.
 * @example
 * concatResults([new PathMetrics(2).results(), new PathMetrics(3).results()]).sharpe.length; // returns 5
 * References: docs/metrics.md.
 */
export function concatResults(parts: readonly Readonly<Record<string, Float64Array>>[]): PathResults {
  if (parts.length === 0) throw new DomainError('parts.length', 0, 'must be >= 1');
  const lengths = parts.map((part, i) => {
    const len = part.terminalValue?.length;
    for (const k of PATH_METRIC_NAMES) {
      const a = part[k];
      if (!a || a.length !== len)
        throw new DomainError(`parts[${i}].${k}`, a?.length, `must be a Float64Array of length ${len}`);
    }
    return len!;
  });
  const total = lengths.reduce((x, y) => x + y, 0);
  const out = {} as Record<PathMetricName, Float64Array>;
  for (const k of PATH_METRIC_NAMES) {
    const a = new Float64Array(total);
    let at = 0;
    for (let i = 0; i < parts.length; i++) {
      a.set(parts[i][k], at);
      at += lengths[i];
    }
    out[k] = a;
  }
  return out;
}
