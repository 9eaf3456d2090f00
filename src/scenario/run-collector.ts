/**
 * An optional observer of a scenario run (RunOptions.collect): it sees every step of every strategy
 * run through the run's metrics, and each market's per-path results at the end. The HTML report
 * uses it for its per-step quantile bands, exposures and distributions (src/report/detail/).
 */
import type { RunMetrics } from '../metrics/types.ts';
import type { BuiltMarket } from './build.ts';

export interface RunCollector {
  /**
   * Wraps the metrics of strategy run `run` in market `market`: the wrapper must forward every call
   * to `metrics` unchanged (results stay bit-identical) and may observe the views and books.
   */
  metrics(market: number, run: number, metrics: RunMetrics, built: BuiltMarket): RunMetrics;
  /** After market `market` ran: each run's per-path results (PathMetrics.results(), index = run). */
  marketDone(market: number, perPath: readonly Readonly<Record<string, Float64Array>>[]): void;
}
