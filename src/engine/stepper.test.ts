import { describe, expect, it } from 'vitest';
import { loadPriceHistory } from '../market/history-csv.ts';
import { constantRate } from '../market/rate.ts';
import { HistoricalReplay } from '../paths/replay.ts';
import { costModel } from '../portfolio/costs.ts';
import { tradeListHash } from '../portfolio/ledger.ts';
import { buyAndHold } from '../strategies/buy-and-hold.ts';
import { cppi } from '../strategies/cppi.ts';
import { protectivePut } from '../strategies/protective-put.ts';
import { runEngine, type StrategyRun } from './engine.ts';
import { EngineStepper } from './stepper.ts';

const history = loadPriceHistory(new URL('../../data/eustockmarkets.csv', import.meta.url).pathname, {
  columns: ['DAX'],
  from: '1998-01-02',
  to: '1998-08-14',
});

function runs(): StrategyRun[] {
  const w = Float64Array.of(1);
  const common = {
    costs: costModel({ bps: { equity: 5 }, optionSpreadFraction: 0.02 }),
    rebalance: {},
    vols: { kind: 'model' as const },
  };
  return [
    { strategy: buyAndHold({ weights: w }), ...common },
    { strategy: cppi({ weights: w, floor: 0.8, multiplier: 4 }), ...common },
    { strategy: protectivePut({ weights: w, strike: 0.9, tenor: 0.25, roll: 'quarterly' }), ...common },
  ];
}

describe('EngineStepper: one price update at a time (the live-monitor path)', () => {
  it('gives bit-identical books and ledgers to runEngine on the same real history', () => {
    const gen = new HistoricalReplay(history, { rate: constantRate(0.03) });
    const grid = gen.grid();
    const batch = runEngine({
      generator: gen,
      grid,
      nPaths: 1,
      seed: 1,
      initialValue: 100,
      runs: runs(),
      floor: { level: 0.8, accrues: true },
      stepsPerYear: 252,
      ledgerPaths: [0],
      dates: gen.dates,
    });

    // Feed the same prices tick by tick, as a live feed would: nPaths = 1, arrays of length 1.
    const live = new EngineStepper({
      assets: gen.assets,
      nPaths: 1,
      firstPath: 0,
      initialValue: 100,
      runs: runs(),
      benchmark: 0,
      floor: { level: 0.8, accrues: true },
      stepsPerYear: 252,
      nSteps: grid.nSteps,
      horizon: grid.times[grid.nSteps]!,
      ledgerPaths: [0],
    });
    const prices = history.prices[0]!;
    const spot = [new Float64Array(1)];
    const vol = [new Float64Array(1)];
    const logReturn = [new Float64Array(1)];
    const state = gen.init(1);
    for (let i = 0; i <= grid.nSteps; i++) {
      spot[0]![0] = prices[i]!;
      logReturn[0]![0] = i === 0 ? 0 : Math.log(prices[i]! / prices[i - 1]!);
      // the replay's causal EWMA vol, read from the generator's own state for the same tick
      if (i > 0) gen.step(grid.times[i - 1]!, grid.times[i]! - grid.times[i - 1]!, state, undefined as never);
      vol[0]![0] = state.vol[0]![0]!;
      live.step(i, grid.times[i]!, { spot, vol, logReturn }, 0.03, 0.03, gen.dates[i]);
    }
    for (let r = 0; r < 3; r++) {
      expect(live.books[r]!.value[0]).toBe(batch.runs[r]!.terminal[0]);
      expect(tradeListHash(live.ledgers[r]!.records)).toBe(tradeListHash(batch.runs[r]!.ledger));
    }
    expect(live.lastStep).toBe(grid.nSteps);
    expect(batch.runs[2]!.ledger.filter((t) => t.kind === 'option').length).toBeGreaterThan(2); // it rolled
  });
});
