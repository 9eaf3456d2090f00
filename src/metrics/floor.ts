/**
 * The protection floor the metrics measure against — owned by the metrics, not the engine:
 *   Fₜ = level·V₀·e^{∫₀ᵗ r(s) ds}  (the integral only when the floor accrues),
 * with ∫ r dt accumulated step by step at the rate that held over each step (left-point rule,
 * exactly like the book's cash accrual).
 */
import { restoreFields, snapshotFields } from '../core/plain-state.ts';
import { advanceRateIntegral, type RateIntegral, startRateIntegral } from '../core/time.ts';
import type { MarketView } from '../market/market-view.ts';
import type { FloorSpec, PathMetricsAccumulator, RunMetrics } from './types.ts';

/** Tracks ∫₀ᵗ r ds and the floor per path along a run. Shape: floor [nPaths]. */
export class FloorTracker {
  readonly spec: FloorSpec;
  readonly initialValue: number;
  floor = new Float64Array(0);
  /** ∫₀ᵗ r ds so far and the rate of the coming step. */
  rate: RateIntegral = startRateIntegral(0);

  constructor(spec: FloorSpec, initialValue: number) {
    this.spec = spec;
    this.initialValue = initialValue;
  }

  /** Step 0: F₀ = level·V₀. */
  begin(view: MarketView): Float64Array {
    if (this.floor.length !== view.nPaths) this.floor = new Float64Array(view.nPaths);
    this.rate = startRateIntegral(view.rate);
    return this.fill();
  }

  /** Step i ≥ 1: adds r·dt of the step just ended. */
  observe(view: MarketView): Float64Array {
    advanceRateIntegral(this.rate, view.dt, view.rate);
    return this.fill();
  }

  private fill(): Float64Array {
    const { level, accrues } = this.spec;
    this.floor.fill(level * this.initialValue * (accrues ? Math.exp(this.rate.value) : 1));
    return this.floor;
  }
}

/**
 * Metrics of one run measured against a floor: the accumulator sees the floor every step.
 * @example withFloor(new PathMetrics(1024), { level: 0.8, accrues: false }, 100)
 */
export function withFloor(acc: PathMetricsAccumulator, spec: FloorSpec, initialValue: number): RunMetrics {
  const tracker = new FloorTracker(spec, initialValue);
  const withResults = acc as PathMetricsAccumulator & { results?: () => Record<string, Float64Array> };
  return {
    ...(withResults.results ? { results: () => withResults.results!() } : {}),
    begin(view, book) {
      acc.begin(view, book, tracker.begin(view));
    },
    observe(view, book, benchmark) {
      acc.observe(view, book, tracker.observe(view), benchmark);
    },
    finish(view, book, firstPath) {
      acc.finish(view, book, firstPath);
    },
    snapshot() {
      return { tracker: snapshotFields(tracker), acc: snapshotFields(acc) };
    },
    restore(s) {
      const saved = s as { tracker: Record<string, unknown>; acc: Record<string, unknown> };
      restoreFields(tracker, saved.tracker);
      restoreFields(acc, saved.acc);
    },
  };
}
