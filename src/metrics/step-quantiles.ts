/**
 * Bounded-memory per-step quantiles of the portfolio value across paths (the report's fan chart),
 * without keeping a paths × steps matrix: at each sampled step a fixed histogram of x = ln(V/V₀)
 * on [−{@link LOG_RANGE}, +{@link LOG_RANGE}] with {@link BINS} bins (width 2·4/1600 = 0.005, i.e.
 * about 0.5 % of value), plus an underflow and an overflow bin (V ≤ 0 falls in the underflow bin)
 * and the exact minimum and maximum. Memory is (samples × (BINS + 2)) counts, whatever the number
 * of paths; histograms add across chunks of paths, so the result does not depend on the chunking.
 *
 * Quantile: the rank h = q·(n − 1) (Hyndman & Fan 1996, definition 7, as NumPy's default) is
 * located in the cumulative counts and interpolated linearly inside its bin (in log value), then
 * clamped to the exact [min, max]. Error: the estimate lies in the bin of the order statistic of
 * rank ⌊h⌋, so within one bin width in log value (|Δ ln V| ≤ 0.005) of it for values inside the
 * range — close to the exact percentile wherever paths are dense (thousands of paths), coarser in
 * sparse tails; exact when all paths agree (one path: the quantiles equal its value).
 * Values outside e^{±4}·V₀ are represented by the exact minimum or maximum.
 *
 * References: Hyndman & Fan, "Sample quantiles in statistical packages", Am. Statistician 50 (1996).
 */
import { DomainError } from '../core/errors.ts';

/** Half-width of the histogram's range in ln(V/V₀). */
export const LOG_RANGE = 4;
/** Bins inside the range. */
export const BINS = 1600;
const W = BINS + 2; // with underflow (0) and overflow (BINS + 1)
const SCALE = BINS / (2 * LOG_RANGE);

/** A {@link StepQuantiles}' content as plain typed arrays (crosses thread boundaries). */
export interface StepQuantilesState {
  readonly samples: number;
  readonly v0: number;
  readonly counts: Uint32Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
  readonly n: Float64Array;
}

/** Per-step quantile accumulator over `samples` sampled steps. */
export class StepQuantiles {
  readonly samples: number;
  readonly v0: number;
  private readonly counts: Uint32Array;
  private readonly min: Float64Array;
  private readonly max: Float64Array;
  private readonly n: Float64Array;

  /**
   * @param samples number of sampled steps, integer ≥ 1
   * @param v0 the initial value V₀ > 0 (the histogram is of ln(V/V₀))
   * @throws DomainError for samples < 1 or v0 ≤ 0
   */
  constructor(samples: number, v0: number) {
    if (!(Number.isSafeInteger(samples) && samples >= 1))
      throw new DomainError('samples', samples, 'must be an integer >= 1');
    if (!(v0 > 0)) throw new DomainError('v0', v0, 'must be > 0');
    this.samples = samples;
    this.v0 = v0;
    this.counts = new Uint32Array(samples * W);
    this.min = new Float64Array(samples).fill(Number.POSITIVE_INFINITY);
    this.max = new Float64Array(samples).fill(Number.NEGATIVE_INFINITY);
    this.n = new Float64Array(samples);
  }

  /**
   * Adds the values of n paths at sampled step k (NaN values are left out).
   * Shape: values [≥ n].
   */
  add(k: number, values: Float64Array, n: number): void {
    const c = this.counts;
    const o = k * W;
    const inv = 1 / this.v0;
    let lo = this.min[k];
    let hi = this.max[k];
    let cnt = 0;
    for (let p = 0; p < n; p++) {
      const v = values[p];
      if (Number.isNaN(v)) continue;
      cnt++;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      let b: number;
      if (v <= 0) b = 0;
      else {
        const x = (Math.log(v * inv) + LOG_RANGE) * SCALE;
        b = x < 0 ? 0 : x >= BINS ? BINS + 1 : 1 + Math.floor(x);
      }
      c[o + b]++;
    }
    this.min[k] = lo;
    this.max[k] = hi;
    this.n[k] += cnt;
  }

  /** A copy of the accumulator's content (e.g. a worker thread's part of the paths). */
  state(): StepQuantilesState {
    return {
      samples: this.samples,
      v0: this.v0,
      counts: this.counts.slice(),
      min: this.min.slice(),
      max: this.max.slice(),
      n: this.n.slice(),
    };
  }

  /**
   * Adds another accumulator's content, as if its values had been added here next: counts add,
   * the extremes compare as {@link add} does (a part absorbed in path order gives the bits of one
   * accumulator fed every path in that order).
   * @throws DomainError if the state has another number of samples or another V₀
   */
  absorb(s: StepQuantilesState): void {
    if (s.samples !== this.samples || s.v0 !== this.v0)
      throw new DomainError(
        'state',
        `${s.samples} samples, V0 ${s.v0}`,
        `must match ${this.samples} samples, V0 ${this.v0}`,
      );
    for (let i = 0; i < this.counts.length; i++) this.counts[i] += s.counts[i];
    for (let k = 0; k < this.samples; k++) {
      if (s.min[k] < this.min[k]) this.min[k] = s.min[k];
      if (s.max[k] > this.max[k]) this.max[k] = s.max[k];
      this.n[k] += s.n[k];
    }
  }

  /** Paths counted at step k. */
  count(k: number): number {
    return this.n[k];
  }

  /**
   * The q-quantile (q in [0, 1]) of the values at sampled step k; NaN when none was added.
   * @example // 1 path of value 103 at step 0: quantile(0, 0.5) === 103
   */
  quantile(k: number, q: number): number {
    const n = this.n[k];
    if (n === 0) return Number.NaN;
    const h = q * (n - 1);
    const o = k * W;
    let cum = 0;
    let b = 0;
    for (; b < W; b++) {
      const cb = this.counts[o + b];
      if (cum + cb > h) break;
      cum += cb;
    }
    if (b >= W) b = W - 1;
    let v: number;
    if (b === 0) v = this.min[k];
    else if (b === W - 1) v = this.max[k];
    else {
      // The bin's counts sit at evenly spaced points (j + ½)/count; stay inside the bin.
      const frac = Math.min((h - cum + 0.5) / this.counts[o + b], 1);
      const x = (b - 1 + frac) / SCALE - LOG_RANGE;
      v = this.v0 * Math.exp(x);
    }
    return Math.min(Math.max(v, this.min[k]), this.max[k]);
  }
}
