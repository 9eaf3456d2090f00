/**
 * Test-only helpers for the option strategies: run one strategy over a hand-made price path
 * (HistoricalReplay, one path, full ledger and value path) and the replay's pricing vol.
 */
import { type EngineResult, runEngine, type StrategyRun } from '../src/engine/engine.ts';
import type { PriceHistory } from '../src/market/price-history.ts';
import type { PricingVolSpec } from '../src/market/pricing-vol.ts';
import { constantRate } from '../src/market/rate.ts';
import { ewmaVolColumn, HistoricalReplay, REPLAY_EWMA_LAMBDA } from '../src/paths/replay.ts';
import { type CostModel, costModel } from '../src/portfolio/costs.ts';
import type { RebalanceSpec } from '../src/portfolio/rebalance.ts';
import type { Strategy } from '../src/strategies/types.ts';

/** A one- or many-column daily history named A, B, … starting 2024-01-01 (dates are labels only). */
export function handHistory(...columns: number[][]): PriceHistory {
  const n = columns[0].length;
  const dates = Array.from({ length: n }, (_, i) =>
    new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10),
  );
  return {
    dates,
    columns: columns.map((_, j) => String.fromCharCode(65 + j)),
    prices: columns.map((c) => Float64Array.from(c)),
    source: 'hand',
  };
}

export interface HandRunOptions {
  readonly rate?: number;
  readonly vols?: PricingVolSpec;
  readonly costs?: CostModel;
  readonly rebalance?: RebalanceSpec;
  readonly initialValue?: number;
}

/** Runs `strategy` over the hand path with ledger and value path of path 0 kept. */
export function runHand(history: PriceHistory, strategy: Strategy, opts: HandRunOptions = {}): EngineResult {
  const gen = new HistoricalReplay(history, { dayCount: 'rows', rate: constantRate(opts.rate ?? 0) });
  const run: StrategyRun = {
    strategy: strategy as Strategy,
    costs: opts.costs ?? costModel(),
    rebalance: opts.rebalance ?? {},
    vols: opts.vols ?? { kind: 'model' },
  };
  return runEngine({
    generator: gen,
    grid: gen.grid(),
    nPaths: 1,
    seed: 1,
    initialValue: opts.initialValue ?? 100,
    runs: [run],
    stepsPerYear: 252,
    ledgerPaths: [0],
    keepValuePaths: [0],
    dates: gen.dates,
  });
}

/** The pricing vol the replay reports at row i (what `{ kind: 'model' }` prices with). */
export function replayVol(prices: readonly number[], i: number): number {
  return ewmaVolColumn(Float64Array.from(prices), REPLAY_EWMA_LAMBDA, 252)[i];
}
