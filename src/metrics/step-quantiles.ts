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
