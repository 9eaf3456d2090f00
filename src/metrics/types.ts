/**
 * The engine's interface to metrics: one accumulator per strategy run observes every path at every
 * step (streaming; no paths × steps storage) and writes per-path results at the end of a chunk.
 */
import type { MarketView } from '../market/market-view.ts';
import type { BookView } from '../portfolio/book.ts';

/** The protection floor the metrics measure against: level × V0 × (e^{r·t} if it accrues). */
export interface FloorSpec {
  /** Fraction of the initial value, e.g. 0.8. */
  readonly level: number;
  /** Whether the floor grows at the short rate (a zero-coupon floor) or stays constant. */
  readonly accrues: boolean;
}

export interface PathMetricsAccumulator {
  /** Called at step 0 after the initial trades. */
  begin(view: MarketView, book: BookView, floor: Float64Array): void;
  /**
   * Called at every step i >= 1 after trading. `floor[p]` is the floor value at this step;
   * `benchmark` is the benchmark strategy's value per path at this step (its own values when this
   * run is the benchmark).
   */
  observe(view: MarketView, book: BookView, floor: Float64Array, benchmark: Float64Array): void;
  /** Copies the chunk's per-path results into the run's global arrays at offset `firstPath`. */
  finish(view: MarketView, book: BookView, firstPath: number): void;
}

/**
 * What the engine's step loop calls: metrics that own their floor (the engine keeps none). Built
 * from a PathMetricsAccumulator and a FloorSpec by `withFloor` (floor.ts).
 */
export interface RunMetrics {
  /** Step 0, after the inception trades. */
  begin(view: MarketView, book: BookView): void;
  /** Every step i ≥ 1 after trading; `benchmark` is the benchmark run's value per path. */
  observe(view: MarketView, book: BookView, benchmark: Float64Array): void;
  /** Copies the chunk's per-path results at offset `firstPath`. */
  finish(view: MarketView, book: BookView, firstPath: number): void;
  /** Per-path results of the wrapped accumulator, when it has them (PathMetrics). */
  results?(): Record<string, Float64Array>;
  /** The accumulator's state as plain data (engine snapshots). */
  snapshot?(): unknown;
  restore?(snapshot: unknown): void;
}
