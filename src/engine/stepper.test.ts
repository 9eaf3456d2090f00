import { describe, expect, it } from 'vitest';
import { loadPriceHistory } from '../market/history-csv.ts';
import { pricingVol } from '../market/pricing-vol.ts';
import { constantRate } from '../market/rate.ts';
import { withFloor } from '../metrics/floor.ts';
import { PathMetrics } from '../metrics/path-metrics.ts';
import { HestonGenerator } from '../paths/heston.ts';
import { HistoricalReplay } from '../paths/replay.ts';
import { uniformGrid } from '../paths/types.ts';
import { costModel } from '../portfolio/costs.ts';
import { tradeListHash } from '../portfolio/ledger.ts';
import { buyAndHold } from '../strategies/buy-and-hold.ts';
import { cppi } from '../strategies/cppi.ts';
import { deltaHedge } from '../strategies/delta-hedge.ts';
import { protectivePut } from '../strategies/protective-put.ts';
import type { Strategy } from '../strategies/types.ts';
import { drive, runEngine, type StrategyRun } from './engine.ts';
import { GridSource } from './market-source.ts';
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
    const gen = new HistoricalReplay(history, { dayCount: 'rows', rate: constantRate(0.03) });
    const grid = gen.grid();
    const batch = runEngine({
      generator: gen,
      grid,
      nPaths: 1,
      seed: 1,
      initialValue: 100,
      runs: runs(),
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
      stepsPerYear: 252,
      ledgerPaths: [0],
    });
    const prices = history.prices[0];
    const spot = [new Float64Array(1)];
    const vol = [new Float64Array(1)];
    const logReturn = [new Float64Array(1)];
    const state = gen.init(1);
    for (let i = 0; i <= grid.nSteps; i++) {
      spot[0][0] = prices[i];
      logReturn[0][0] = i === 0 ? 0 : Math.log(prices[i] / prices[i - 1]);
      // the replay's causal EWMA vol, read from the generator's own state for the same tick
      if (i > 0) gen.step(grid.times[i - 1], grid.times[i] - grid.times[i - 1], state, undefined as never);
      vol[0][0] = state.vol[0][0];
      const t = grid.times;
      live.step({
        i,
        t: t[i],
        date: gen.dates[i],
        spot,
        vol,
        logReturn,
        rateOverStep: 0.03,
        rateNext: 0.03,
        // a live feed knows only the last step; a grid the coming one (the same on a daily grid here)
        dtNext: i < grid.nSteps ? t[i + 1] - t[i] : t[i] - t[i - 1],
        final: i === grid.nSteps,
        end: t[grid.nSteps],
      });
    }
    for (let r = 0; r < 3; r++) {
      expect(live.books[r].value[0]).toBe(batch.runs[r].terminal[0]);
      expect(tradeListHash(live.ledgers[r].records)).toBe(tradeListHash(batch.runs[r].ledger));
    }
    expect(live.lastStep).toBe(grid.nSteps);
    expect(batch.runs[2].ledger.filter((t) => t.kind === 'option').length).toBeGreaterThan(2); // it rolled
  });
});

describe('EngineStepper: snapshot / restore', () => {
  // Heston paths (generator state beyond spot), an EWMA pricing vol (estimator state), a rolling put
  // (lines opened and freed), CPPI (strategy state) and path metrics with a floor (metrics state).
  const assets = [{ name: 'EQ', assetClass: 'equity' as const, spot: 100, carry: 0.01 }];
  const heston = () =>
    new HestonGenerator({
      assets,
      rate: constantRate(0.02),
      heston: [{ v0: 0.04, kappa: 2, theta: 0.05, xi: 0.5, rho: -0.7 }],
    });
  const mcRuns = (): StrategyRun[] => {
    const w = Float64Array.of(1);
    const common = {
      costs: costModel({ bps: { equity: 5 }, optionSpreadVol: 0.01 }),
      rebalance: {},
      vols: { kind: 'ewma' as const, lambda: 0.94, initial: 0.2 },
    };
    return [
      { strategy: buyAndHold({ weights: w }), ...common },
      { strategy: cppi({ weights: w, floor: 0.8, multiplier: 4 }), ...common },
      { strategy: protectivePut({ weights: w, strike: 0.95, tenor: 0.25, roll: 'monthly' }), ...common },
      {
        strategy: deltaHedge({ asset: 0, type: 'call', strike: 100, tenor: 0.5, quantity: -10 }),
        ...common,
      },
    ];
  };
  const grid = uniformGrid(1, 52);
  const nPaths = 300;
  const build = () => {
    const metrics = mcRuns().map(() => new PathMetrics(nPaths));
    const stepper = new EngineStepper({
      assets,
      nPaths,
      firstPath: 0,
      initialValue: 100,
      runs: mcRuns(),
      benchmark: 0,
      stepsPerYear: 52,
      ledgerPaths: [0, 7, 299],
      metrics: metrics.map((m) => withFloor(m, { level: 0.8, accrues: true }, 100)),
      attribution: 'lines',
    });
    const source = new GridSource({ generator: heston(), grid, nPaths, seed: 99, stepsPerYear: 52 });
    return { stepper, source, metrics };
  };
  const finish = (x: ReturnType<typeof build>) => {
    drive(x.stepper, x.source);
    for (let r = 0; r < 4; r++)
      x.stepper.books[r].mark(x.stepper.view, pricingVol({ kind: 'constant', vol: 0.2 }));
    return {
      values: x.stepper.books.map((b) => Array.from(b.value)),
      ledgers: x.stepper.ledgers.map((l) => tradeListHash(l.records)),
      metrics: x.metrics.map((m) => m.results()),
      attribution: x.stepper.attribution!.map((t) => [
        Array.from(t.book.sums),
        [...t.lines.entries()].map(([id, l]) => [id, l.contract, Array.from(l.att.sums)]),
      ]),
    };
  };

  it('continues bit-identically from a snapshot taken at step k in a fresh engine', () => {
    const whole = finish(build());
    for (const k of [1, 20, 37]) {
      const first = build();
      expect(drive(first.stepper, first.source, undefined, k)).toBe(k);
      const saved = structuredClone({ engine: first.stepper.snapshot(), source: first.source.snapshot() });
      const second = build();
      second.stepper.restore(saved.engine);
      second.source.restore(saved.source);
      const resumed = finish(second);
      expect(resumed.values, `k = ${k}`).toEqual(whole.values);
      expect(resumed.ledgers, `k = ${k}`).toEqual(whole.ledgers);
      expect(resumed.attribution, `k = ${k}`).toEqual(whole.attribution);
      for (let r = 0; r < 4; r++)
        for (const [name, arr] of Object.entries(whole.metrics[r]))
          expect(resumed.metrics[r][name as keyof (typeof whole.metrics)[0]], `k = ${k} ${name}`).toEqual(
            arr,
          );
    }
  });

  it('refuses strategy state that is not plain data', () => {
    const bad: Strategy<{ f: () => void }> = {
      name: 'bad',
      kind: 'test',
      init: () => ({ f: () => {} }),
      decide() {},
    };
    const x = build();
    const stepper = new EngineStepper({
      assets,
      nPaths: 1,
      firstPath: 0,
      initialValue: 100,
      runs: [{ strategy: bad as Strategy, costs: costModel(), rebalance: {}, vols: { kind: 'model' } }],
      benchmark: 0,
      stepsPerYear: 52,
    });
    drive(
      stepper,
      new GridSource({ generator: heston(), grid, nPaths: 1, seed: 1, stepsPerYear: 52 }),
      undefined,
      2,
    );
    expect(() => stepper.snapshot()).toThrow('strategy state must be plain data');
    expect(x.stepper.lastStep).toBe(-1);
  });
});
