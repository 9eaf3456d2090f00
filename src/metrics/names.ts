/** The per-path metrics' names, shared by the accumulator and the summary. */

/** Names of the per-path result arrays, in report order (see docs/metrics.md for each formula). */
export const PATH_METRIC_NAMES = [
  'terminalValue',
  'horizonReturn',
  'annualizedReturn',
  'annualizedVolatility',
  'sharpe',
  'sortino',
  'maxDrawdown',
  'calmar',
  'endedBelowFloor',
  'touchedFloor',
  'shortfall',
  'minCushion',
  'benchmarkReturn',
  'excessReturn',
  'trackingError',
  'upsideCapture',
  'downsideCapture',
  'upStrategy',
  'upBenchmark',
  'downStrategy',
  'downBenchmark',
  'costs',
  'premiums',
  'turnover',
  'trades',
] as const;

/** One per-path metric name. */
export type PathMetricName = (typeof PATH_METRIC_NAMES)[number];
