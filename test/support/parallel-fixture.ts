/**
 * Engine builders used by the parallel runner's tests (src/engine/parallel.test.ts imports its
 * types; every worker thread imports the module itself by file URL): a
 * two-asset correlated GBM market with buy-and-hold and a costed constant-mix, ledgers and value
 * paths kept for a few paths, and an optional toy metrics accumulator with `results()`.
 *
 * References: see src/engine/parallel.ts.
 */
import { DomainError } from '../../src/core/errors.ts';
import type { EngineConfig } from '../../src/engine/engine.ts';
import type { PathRange } from '../../src/engine/parallel.ts';
import type { MarketView } from '../../src/market/market-view.ts';
import { constantRate } from '../../src/market/rate.ts';
import { withFloor } from '../../src/metrics/floor.ts';
import { PathMetrics } from '../../src/metrics/path-metrics.ts';
import type { PathMetricsAccumulator } from '../../src/metrics/types.ts';
import { GbmGenerator } from '../../src/paths/gbm.ts';
import { uniformGrid } from '../../src/paths/types.ts';
import type { BookView } from '../../src/portfolio/book.ts';
import { costModel } from '../../src/portfolio/costs.ts';
import { buyAndHold } from '../../src/strategies/buy-and-hold.ts';
import { constantMix } from '../../src/strategies/constant-mix.ts';

/** Arguments of {@link gbmScenario} (JSON data only: they cross the thread boundary). */
export interface GbmScenarioArgs {
  readonly seed: number;
  readonly nSteps: number;
  readonly ledgerPaths: readonly number[];
  readonly keepValuePaths: readonly number[];
  /** Metrics per run: the toy running minimum below, the library's PathMetrics, or none. */
  readonly metrics: 'toy' | 'path' | false;
  /** Throw from the builder (tests error propagation). */
  readonly fail?: boolean;
}

/** Per path: running minimum of the value and the number of steps below the floor. */
class MinValue implements PathMetricsAccumulator {
  private readonly min: Float64Array;
  private readonly below: Float64Array;
  private chunkMin = new Float64Array(0);
  private chunkBelow = new Float64Array(0);
  constructor(nPaths: number) {
    this.min = new Float64Array(nPaths);
    this.below = new Float64Array(nPaths);
  }
  begin(view: MarketView, book: BookView): void {
    this.chunkMin = Float64Array.from(book.value.subarray(0, view.nPaths));
    this.chunkBelow = new Float64Array(view.nPaths);
  }
  observe(view: MarketView, book: BookView, floor: Float64Array): void {
    for (let p = 0; p < view.nPaths; p++) {
      const v = book.value[p];
      if (v < this.chunkMin[p]) this.chunkMin[p] = v;
      if (v < floor[p]) this.chunkBelow[p] += 1;
    }
  }
  finish(_view: MarketView, _book: BookView, firstPath: number): void {
    this.min.set(this.chunkMin, firstPath);
    this.below.set(this.chunkBelow, firstPath);
  }
  results(): Record<string, Float64Array> {
    return { minValue: this.min, stepsBelowFloor: this.below };
  }
}

const FLOOR = { level: 0.9, accrues: true } as const;

/** Two correlated GBM assets, buy-and-hold (benchmark) and constant-mix 60/40 with costs. */
export function gbmScenario(args: GbmScenarioArgs, range: PathRange): EngineConfig {
  if (args.fail) throw new DomainError('fail', true, 'was requested by the test');
  const w = Float64Array.of(0.6, 0.4);
  const plain = { rebalance: {}, vols: { kind: 'constant', vol: 0.2 } } as const;
  const pathMetrics = args.metrics === 'path' ? PathMetrics.forRuns(2, range.nPaths) : [];
  return {
    generator: new GbmGenerator({
      assets: [
        { name: 'EQ', assetClass: 'equity', spot: 100, carry: 0.01 },
        { name: 'BD', assetClass: 'bond', spot: 100 },
      ],
      vols: [0.2, 0.05],
      correlation: [
        [1, -0.2],
        [-0.2, 1],
      ],
      rate: constantRate(0.02),
    }),
    grid: uniformGrid(1, args.nSteps),
    nPaths: range.nPaths,
    firstPath: range.firstPath,
    seed: args.seed,
    initialValue: 100,
    runs: [
      { strategy: buyAndHold({ weights: w }), costs: costModel(), ...plain },
      { strategy: constantMix({ weights: w }), costs: costModel({ bps: { equity: 5, bond: 2 } }), ...plain },
    ],
    stepsPerYear: args.nSteps,
    chunkPaths: 512,
    ledgerPaths: args.ledgerPaths,
    keepValuePaths: args.keepValuePaths,
    ...(args.metrics === 'toy' ? { metrics: () => withFloor(new MinValue(range.nPaths), FLOOR, 100) } : {}),
    ...(args.metrics === 'path' ? { metrics: (r: number) => withFloor(pathMetrics[r], FLOOR, 100) } : {}),
  };
}
