/**
 * A run collector that also works on threaded runs (src/scenario/run-threaded.ts): every range of
 * paths (one engine chunk) is observed by a collector of its own — in a worker, through the
 * collector's EngineBuilder `partBuilder`, or on the calling thread through `forRange()` — whose
 * per-run part comes back as plain data; the main collector absorbs the parts in path order, so
 * what it collects is bit-identical to observing every chunk itself on one thread.
 */
import type { RunCollector } from './run-collector.ts';

export interface SplitCollector extends RunCollector {
  /**
   * The module URL and export of an EngineBuilder over MarketJobArgs (src/scenario/market-builder.ts)
   * whose config observes the range with a fresh collector and returns, from `answerExtras()`, one
   * part per strategy run.
   */
  readonly partBuilder: { readonly module: string; readonly builder: string };
  /** A fresh collector for one range computed on the calling thread (see {@link partsOf}). */
  forRange(): SplitCollector;
  /** The parts of market `market`'s `runs` runs observed by this collector. */
  partsOf(market: number, runs: number): unknown[];
  /** Adds one range's parts (one per run; ranges in path order) to market `market`. */
  absorb(market: number, parts: readonly unknown[]): void;
}

/** Whether a collector can observe a threaded run. */
export function isSplitCollector(c: RunCollector | undefined): c is SplitCollector {
  return c !== undefined && typeof (c as Partial<SplitCollector>).absorb === 'function';
}
