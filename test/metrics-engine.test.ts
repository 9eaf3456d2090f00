import { describe, expect, it } from 'vitest';
import { type EngineConfig, runEngine, type StrategyRun } from '../src/engine/engine.ts';
import type { PriceHistory } from '../src/market/price-history.ts';
import { constantRate } from '../src/market/rate.ts';
import { withFloor } from '../src/metrics/floor.ts';
import { concatResults, PATH_METRIC_NAMES, PathMetrics } from '../src/metrics/path-metrics.ts';
import { summarize } from '../src/metrics/summary.ts';
import { GbmGenerator } from '../src/paths/gbm.ts';
import { HistoricalReplay } from '../src/paths/replay.ts';
import { uniformGrid } from '../src/paths/types.ts';
import { costModel } from '../src/portfolio/costs.ts';
import { buyAndHold } from '../src/strategies/buy-and-hold.ts';
import { constantMix } from '../src/strategies/constant-mix.ts';

/** One equity over five trading days: 100 → 110 → 99 → 121 → 100 → 105. */
const S = [100, 110, 99, 121, 100, 105];
const history: PriceHistory = {
  dates: ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08'],
  columns: ['A'],
  prices: [Float64Array.from(S)],
  source: 'hand',
};
const T = 5 / 252;
const ann = (growth: number) => growth ** (1 / T) - 1;
const w = Float64Array.of(1);
const run = (strategy: StrategyRun['strategy'], costs = costModel()): StrategyRun => ({
  strategy,
  costs,
  rebalance: {},
  vols: { kind: 'constant', vol: 0.2 },
});

const FLOOR = { level: 0.9, accrues: true } as const;

function replay(runs: StrategyRun[], rate = 0, floor = { level: 1.04, accrues: false }) {
  const gen = new HistoricalReplay(history, { dayCount: 'rows', rate: constantRate(rate) });
  const metrics = runs.map(() => new PathMetrics(1));
  const res = runEngine({
    generator: gen,
    grid: gen.grid(),
    nPaths: 1,
    seed: 1,
    initialValue: 100,
    runs,
    stepsPerYear: 252,
    keepValuePaths: [0],
    dates: gen.dates,
    metrics: (r) => withFloor(metrics[r], floor, 100),
  });
  return { res, m: metrics.map((x) => x.results()) };
}

describe('metrics of an engine run on a hand-made history', () => {
  const { res, m } = replay([
    run(buyAndHold({ weights: w })),
    run(buyAndHold({ weights: w, riskyFraction: 0.5, name: 'half' })),
    run(buyAndHold({ weights: w, name: 'costly' }), costModel({ bps: { equity: 10 } })),
    run(constantMix({ weights: w, riskyFraction: 0.5 })),
  ]);
  const [bench, half, costly, mix] = m as [(typeof m)[0], (typeof m)[0], (typeof m)[0], (typeof m)[0]];

  it('the benchmark: 5 % over 5 days, drawdown 121 → 100, and itself as benchmark', () => {
    expect(bench.horizonReturn[0]).toBeCloseTo(0.05, 14);
    expect(bench.annualizedReturn[0]).toBeCloseTo(ann(1.05), 10);
    expect(bench.maxDrawdown[0]).toBeCloseTo(21 / 121, 15);
    expect(bench.trackingError[0]).toBe(0);
    expect(bench.excessReturn[0]).toBe(0);
    expect(bench.upsideCapture[0]).toBe(1);
    expect(bench.downsideCapture[0]).toBe(1);
    // floor 104: touched at 99 and 100, ends 1 above
    expect(bench.touchedFloor[0]).toBe(1);
    expect(bench.endedBelowFloor[0]).toBe(0);
    expect(bench.minCushion[0]).toBeCloseTo((99 - 104) / 99, 15);
  });

  it('half in the asset: value 50 + S/2, captures about half of every move', () => {
    expect([...res.runs[1].values.get(0)!]).toEqual([100, 105, 99.5, 110.5, 100, 102.5]);
    expect(half.horizonReturn[0]).toBeCloseTo(0.025, 14);
    expect(half.excessReturn[0]).toBeCloseTo(ann(1.025) - ann(1.05), 10);
    expect(half.maxDrawdown[0]).toBeCloseTo(10.5 / 110.5, 15);
    const upS = 0.05 + 11 / 99.5 + 0.025;
    const upB = 0.1 + 22 / 99 + 0.05;
    expect(half.upsideCapture[0]).toBeCloseTo(upS / upB, 14);
    expect(half.downsideCapture[0]).toBeCloseTo((-5.5 / 105 - 10.5 / 110.5) / (-0.1 - 21 / 121), 14);
    const h = [100, 105, 99.5, 110.5, 100, 102.5];
    const d = [1, 2, 3, 4, 5].map((i) => Math.log(h[i] / h[i - 1]) - Math.log(S[i] / S[i - 1]));
    const md = d.reduce((a, b) => a + b) / 5;
    const te = Math.sqrt(d.reduce((a, b) => a + (b - md) ** 2, 0) / 4) * Math.sqrt(252);
    expect(half.trackingError[0]).toBeCloseTo(te, 12);
    expect(half.endedBelowFloor[0]).toBe(1);
    expect(half.shortfall[0]).toBeCloseTo(1.5, 12);
    expect(half.trades[0]).toBe(1);
    expect(half.turnover[0]).toBe(0); // the inception purchase is not turnover
  });

  it('inception costs lower the value path and count as the first step’s return and a drawdown', () => {
    // 1 unit bought at 100 with 10 bp: fee 0.1, value S − 0.1 from step 0
    expect(costly.costs[0]).toBeCloseTo(0.1, 14);
    expect(costly.terminalValue[0]).toBeCloseTo(104.9, 12);
    expect(costly.horizonReturn[0]).toBeCloseTo(0.049, 13);
    expect(costly.maxDrawdown[0]).toBeCloseTo(21 / 120.9, 14);
    expect(costly.excessReturn[0]).toBeCloseTo(ann(1.049) - ann(1.05), 9);
    expect(costly.premiums[0]).toBe(0);
  });

  it('constant mix: turnover = traded notional after inception / average value / T, trades counted', () => {
    let cash = 50;
    let units = 0.5;
    let traded = 0;
    let sumV = 100;
    for (let i = 1; i <= 5; i++) {
      const V = cash + units * S[i];
      traded += Math.abs(0.5 * V - units * S[i]);
      units = (0.5 * V) / S[i];
      cash = 0.5 * V;
      sumV += V;
    }
    expect(mix.terminalValue[0]).toBeCloseTo(cash * 2, 12);
    expect(mix.turnover[0]).toBeCloseTo(traded / (sumV / 6) / T, 10);
    expect(mix.trades[0]).toBe(6);
    expect(mix.costs[0]).toBe(0);
  });

  it('summarizes a single path: percentiles and VaR equal its value', () => {
    const s = summarize(half);
    expect(s.terminalValue.percentiles.p20).toBe(102.5);
    expect(s.tail.var95).toBeCloseTo(-0.025, 14);
    expect(s.floor.probEndBelow).toBe(1);
    expect(s.costOfProtection.returnGivenUpInRisingMarkets).toBeCloseTo(0.025, 14);
  });
});

describe('metrics NaN rules through the engine', () => {
  it('cash at 5 %: annualized return e^0.05 − 1, and no Sharpe, Sortino or Calmar', () => {
    const { m } = replay(
      [run(buyAndHold({ weights: w })), run(buyAndHold({ weights: w, riskyFraction: 0 }))],
      0.05,
      {
        level: 0.8,
        accrues: true,
      },
    );
    const cash = m[1];
    expect(cash.annualizedReturn[0]).toBeCloseTo(Math.expm1(0.05), 10);
    expect(cash.annualizedVolatility[0]).toBeLessThan(1e-10);
    expect(cash.sharpe[0]).toBeNaN();
    expect(cash.sortino[0]).toBeNaN();
    expect(cash.calmar[0]).toBeNaN();
    expect(cash.maxDrawdown[0]).toBe(0);
    // an accruing floor at 80 % grows with the cash: the cushion stays 0.2
    expect(cash.minCushion[0]).toBeCloseTo(0.2, 12);
    // a rising-only benchmark gives capture ratios on its up steps, none on down steps
    expect(cash.upsideCapture[0]).toBeCloseTo((Math.expm1(0.05 / 252) * 3) / (0.1 + 22 / 99 + 0.05), 10);
    expect(cash.downsideCapture[0]).toBeCloseTo((Math.expm1(0.05 / 252) * 2) / (-0.1 - 21 / 121), 10);
  });
});

describe('metrics are identical however the paths are chunked or split', () => {
  const cfg = (extra: Partial<EngineConfig>, nPaths = 1024): EngineConfig => ({
    generator: new GbmGenerator({
      assets: [
        { name: 'EQ', assetClass: 'equity', spot: 100 },
        { name: 'BD', assetClass: 'bond', spot: 100 },
      ],
      vols: [0.2, 0.05],
      correlation: [
        [1, -0.2],
        [-0.2, 1],
      ],
      rate: constantRate(0.02),
    }),
    grid: uniformGrid(1, 52),
    nPaths,
    seed: 7,
    initialValue: 100,
    runs: [
      run(buyAndHold({ weights: Float64Array.of(0.6, 0.4) })),
      run(constantMix({ weights: Float64Array.of(0.6, 0.4) }), costModel({ bps: { equity: 5, bond: 2 } })),
    ],
    stepsPerYear: 52,
    ...extra,
  });
  const go = (extra: Partial<EngineConfig>, nPaths = 1024) => {
    const ms = [new PathMetrics(nPaths), new PathMetrics(nPaths)];
    runEngine({ ...cfg(extra, nPaths), metrics: (r) => withFloor(ms[r], FLOOR, 100) });
    return ms.map((x) => x.results());
  };

  it('chunkPaths 256 and 1024 and two halves at firstPath 0 / 512 give bit-identical results', () => {
    const whole = go({ chunkPaths: 1024 });
    const chunked = go({ chunkPaths: 256 });
    const first = go({}, 512);
    const second = go({ firstPath: 512 }, 512);
    for (let r = 0; r < 2; r++) {
      const merged = concatResults([first[r], second[r]]);
      for (const k of PATH_METRIC_NAMES) {
        expect(chunked[r][k], k).toEqual(whole[r][k]);
        expect(merged[k], k).toEqual(whole[r][k]);
      }
      expect(JSON.stringify(summarize(merged))).toBe(JSON.stringify(summarize(whole[r])));
    }
    // the benchmark run shares its log returns with the others: same bits as computing them
    const alone = new PathMetrics(1024);
    const noop = { begin() {}, observe() {}, finish() {} };
    runEngine({ ...cfg({}), metrics: (r) => withFloor(r === 1 ? alone : noop, FLOOR, 100) });
    for (const k of PATH_METRIC_NAMES) expect(alone.results()[k], k).toEqual(whole[1][k]);
    // sanity: every path finished, and the paired comparison is informative
    const s = summarize(whole[1]);
    expect(s.metrics.terminalValue.defined).toBe(1024);
    expect(s.metrics.trackingError.mean).toBeGreaterThan(0);
    expect(s.terminalValue.percentiles.p20).toBeLessThan(s.terminalValue.percentiles.p50);
  });
});
