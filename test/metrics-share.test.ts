import { describe, expect, it } from 'vitest';
import { type EngineConfig, runEngine, type StrategyRun } from '../src/engine/engine.ts';
import { constantRate } from '../src/market/rate.ts';
import { withFloor } from '../src/metrics/floor.ts';
import { BenchmarkLogShare, PATH_METRIC_NAMES, PathMetrics } from '../src/metrics/path-metrics.ts';
import { GbmGenerator } from '../src/paths/gbm.ts';
import { uniformGrid } from '../src/paths/types.ts';
import { costModel } from '../src/portfolio/costs.ts';
import { buyAndHold } from '../src/strategies/buy-and-hold.ts';
import { constantMix } from '../src/strategies/constant-mix.ts';

const run = (strategy: StrategyRun['strategy'], costs = costModel()): StrategyRun => ({
  strategy,
  costs,
  rebalance: {},
  vols: { kind: 'constant', vol: 0.2 },
});

const cfg = (seed: number, nPaths: number, extra: Partial<EngineConfig> = {}): EngineConfig => ({
  generator: new GbmGenerator({
    assets: [
      { name: 'eq', assetClass: 'equity', spot: 100 },
      { name: 'bd', assetClass: 'bond', spot: 100 },
    ],
    vols: [0.2, 0.05],
    correlation: [
      [1, 0.1],
      [0.1, 1],
    ],
    rate: constantRate(0.02),
  }),
  grid: uniformGrid(1, 52),
  nPaths,
  seed,
  initialValue: 100,
  runs: [
    run(buyAndHold({ weights: Float64Array.of(0.6, 0.4) })),
    run(constantMix({ weights: Float64Array.of(0.6, 0.4) }), costModel({ bps: { equity: 5, bond: 2 } })),
    run(constantMix({ weights: Float64Array.of(0.6, 0.4), riskyFraction: 0.5 })),
  ],
  stepsPerYear: 52,
  ...extra,
});

const FLOOR = { level: 0.9, accrues: true } as const;

describe('PathMetrics.forRuns: the benchmark logs are the state of one engine call', () => {
  it('gives bit-identical results to separate accumulators, chunked or not, and shares the logs', () => {
    const nPaths = 512;
    const separate = [0, 1, 2].map(() => new PathMetrics(nPaths));
    runEngine({ ...cfg(7, nPaths), metrics: (r) => withFloor(separate[r], FLOOR, 100) });
    for (const chunkPaths of [512, 256]) {
      const grouped = PathMetrics.forRuns(3, nPaths);
      runEngine({ ...cfg(7, nPaths, { chunkPaths }), metrics: (r) => withFloor(grouped[r], FLOOR, 100) });
      for (let r = 0; r < 3; r++)
        for (const k of PATH_METRIC_NAMES)
          expect(grouped[r].results()[k], `${r} ${k}`).toEqual(separate[r].results()[k]);
    }
    // the share is filled by the benchmark run and read by the others (last step of the last chunk)
    const share = new BenchmarkLogShare();
    const ms = [0, 1, 2].map(() => new PathMetrics(nPaths, share));
    runEngine({ ...cfg(7, nPaths), metrics: (r) => withFloor(ms[r], FLOOR, 100) });
    expect(share.step).toBe(52);
    expect(share.logReturn.length).toBe(nPaths);
  });

  it('two engine calls in one process do not see each other (different seeds, same shapes)', () => {
    const a = PathMetrics.forRuns(3, 256);
    const b = PathMetrics.forRuns(3, 256);
    runEngine({ ...cfg(1, 256), metrics: (r) => withFloor(a[r], FLOOR, 100) });
    runEngine({ ...cfg(2, 256), metrics: (r) => withFloor(b[r], FLOOR, 100) });
    const alone = [0, 1, 2].map(() => new PathMetrics(256));
    runEngine({ ...cfg(1, 256), metrics: (r) => withFloor(alone[r], FLOOR, 100) });
    for (let r = 0; r < 3; r++)
      for (const k of PATH_METRIC_NAMES)
        expect(a[r].results()[k], `${r} ${k}`).toEqual(alone[r].results()[k]);
  });

  it('checks its arguments', () => {
    expect(() => PathMetrics.forRuns(0, 4)).toThrow('nRuns (0) must be an integer >= 1');
    expect(() => PathMetrics.forRuns(2, 0)).toThrow(/nPaths/);
  });
});
