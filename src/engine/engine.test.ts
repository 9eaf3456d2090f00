import { describe, expect, it } from 'vitest';
import type { PriceHistory } from '../market/price-history.ts';
import { constantRate } from '../market/rate.ts';
import { GbmGenerator } from '../paths/gbm.ts';
import { HistoricalReplay } from '../paths/replay.ts';
import { uniformGrid } from '../paths/types.ts';
import { costModel } from '../portfolio/costs.ts';
import { tradeListHash } from '../portfolio/ledger.ts';
import { buyAndHold } from '../strategies/buy-and-hold.ts';
import { constantMix } from '../strategies/constant-mix.ts';
import type { Strategy } from '../strategies/types.ts';
import { type EngineConfig, runEngine, type StrategyRun } from './engine.ts';

/** Two assets over three steps: A 100 → 110 → 99 → 121, B 50 → 50 → 55 → 44. */
const history: PriceHistory = {
  dates: ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04'],
  columns: ['A', 'B'],
  prices: [Float64Array.of(100, 110, 99, 121), Float64Array.of(50, 50, 55, 44)],
  source: 'hand',
};

function run(runs: StrategyRun[], extra: Partial<EngineConfig> = {}) {
  const gen = new HistoricalReplay(history, { dayCount: 'rows' });
  return runEngine({
    generator: gen,
    grid: gen.grid(),
    nPaths: 1,
    seed: 1,
    initialValue: 100,
    runs,
    stepsPerYear: 252,
    ledgerPaths: [0],
    keepValuePaths: [0],
    dates: gen.dates,
    ...extra,
  });
}

const none = costModel();
const w = Float64Array.of(0.5, 0.5);
const plain = (strategy: StrategyRun['strategy'], costs = none): StrategyRun => ({
  strategy,
  costs,
  rebalance: {},
  vols: { kind: 'constant', vol: 0.2 },
});

describe('engine on a hand-checkable 3-step path', () => {
  it('buy-and-hold: 0.5 units of A and 1 unit of B held throughout', () => {
    const r = run([plain(buyAndHold({ weights: w }))]);
    // units: A 50/100 = 0.5, B 50/50 = 1 → values 0.5·S_A + S_B
    expect([...r.runs[0].values.get(0)!]).toEqual([100, 105, 104.5, 104.5]);
    expect(r.runs[0].terminal[0]).toBe(104.5);
    expect(r.runs[0].trades[0]).toBe(2);
  });

  it('constant-mix 50/50 rebalances every step, buying the loser and selling the winner', () => {
    const r = run([plain(constantMix({ weights: w }))]);
    // t1: 0.5·110 + 1·50 = 105 → rebalance to 52.5 each: A 52.5/110, B 52.5/50
    // t2: 52.5·99/110 + 52.5·55/50 = 47.25 + 57.75 = 105 → 52.5 each
    // t3: 52.5·121/99 + 52.5·44/55 = 64.1666… + 42 = 106.1666…
    const v = r.runs[0].values.get(0)!;
    expect(v[1]).toBeCloseTo(105, 12);
    expect(v[2]).toBeCloseTo(105, 12);
    expect(v[3]).toBeCloseTo(52.5 * (121 / 99) + 52.5 * (44 / 55), 12);
  });

  it('charges proportional costs per asset class on every trade', () => {
    const costs = costModel({ bps: { equity: 10 } });
    const r = run([plain(buyAndHold({ weights: w }), costs)]);
    // inception trades 50 + 50 notional at 10 bp = 0.1 of costs
    expect(r.runs[0].fees[0]).toBeCloseTo(0.1, 12);
    expect(r.runs[0].terminal[0]).toBeCloseTo(104.5 - 0.1, 12);
    expect(r.runs[0].ledger.map((t) => [t.instrument, t.qty, t.price])).toEqual([
      ['A', 0.5, 100],
      ['B', 1, 50],
    ]);
  });

  it('accrues cash at the short rate over each step', () => {
    const gen = new HistoricalReplay(history, { dayCount: 'rows', rate: constantRate(0.05) });
    const r = runEngine({
      generator: gen,
      grid: gen.grid(),
      nPaths: 1,
      seed: 1,
      initialValue: 100,
      runs: [plain(buyAndHold({ weights: w, riskyFraction: 0.5 }))],
      stepsPerYear: 252,
    });
    // cash 50 grows for 3 days; risky part 0.25·121 + 0.5·44 = 52.25
    expect(r.runs[0].terminal[0]).toBeCloseTo(50 * Math.exp(0.05 * (3 / 252)) + 52.25, 12);
  });
});

describe('engine determinism', () => {
  const gbm = () =>
    new GbmGenerator({
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
    });
  const cfg = (extra: Partial<EngineConfig>): EngineConfig => ({
    generator: gbm(),
    grid: uniformGrid(1, 52),
    nPaths: 1024,
    seed: 7,
    initialValue: 100,
    runs: [
      plain(buyAndHold({ weights: Float64Array.of(0.6, 0.4) })),
      plain(constantMix({ weights: Float64Array.of(0.6, 0.4) }), costModel({ bps: { equity: 5, bond: 2 } })),
    ],
    stepsPerYear: 52,
    ledgerPaths: [3, 700],
    ...extra,
  });

  it('gives bit-identical results however the paths are chunked or split', () => {
    const whole = runEngine(cfg({ chunkPaths: 1024 }));
    const chunked = runEngine(cfg({ chunkPaths: 256 }));
    const first = runEngine(cfg({ nPaths: 512 }));
    const second = runEngine(cfg({ nPaths: 512, firstPath: 512 }));
    for (let r = 0; r < 2; r++) {
      expect(chunked.runs[r].terminal).toEqual(whole.runs[r].terminal);
      expect([...first.runs[r].terminal, ...second.runs[r].terminal]).toEqual([...whole.runs[r].terminal]);
      expect(tradeListHash(chunked.runs[r].ledger)).toBe(tradeListHash(whole.runs[r].ledger));
      expect(tradeListHash([...first.runs[r].ledger, ...second.runs[r].ledger])).toBe(
        tradeListHash(whole.runs[r].ledger),
      );
    }
  });
});

describe('engine: forwards', () => {
  it('enters a forward at the fair price, marks it to market and settles S_T − F₀ into cash at expiry', () => {
    const r0 = 0.05;
    const gen = new HistoricalReplay(history, { dayCount: 'rows', rate: constantRate(r0) });
    const T = 3 / 252;
    const longForward: Strategy<null> = {
      name: 'long forward',
      kind: 'test',
      init() {
        return null;
      },
      decide(view, _book, _state, targets) {
        if (view.step !== 0) return;
        const line = targets.open({ kind: 'forward', asset: 0 }, Number.NaN, T); // fair delivery price
        targets.qty(line).fill(2);
      },
    };
    const res = runEngine({
      generator: gen,
      grid: gen.grid(),
      nPaths: 1,
      seed: 1,
      initialValue: 100,
      runs: [plain(longForward as Strategy)],
      stepsPerYear: 252,
      ledgerPaths: [0],
      keepValuePaths: [0],
    });
    const v = res.runs[0].values.get(0)!;
    const F0 = 100 * Math.exp(r0 * T); // no carry on asset A
    const dt = 1 / 252;
    expect(v[0]).toBe(100); // entering a forward costs nothing
    // step 1: cash grew one day; the forward is worth 2·(S₁ − F₀·e^{−r(T−t₁)})
    expect(v[1]).toBeCloseTo(100 * Math.exp(r0 * dt) + 2 * (110 - F0 * Math.exp(-r0 * (T - dt))), 10);
    // expiry: settled into cash, 2·(S_T − F₀) = 2·(121 − F₀)
    expect(v[3]).toBeCloseTo(100 * Math.exp(r0 * T) + 2 * (121 - F0), 10);
    const ledger = res.runs[0].ledger;
    expect(ledger.map((t) => [t.kind, t.step])).toEqual([
      ['forward', 0],
      ['settle', 3],
    ]);
    expect(ledger[0].price).toBeCloseTo(F0, 12);
    expect(ledger[1].price).toBeCloseTo(121 - F0, 10);
  });
});

describe('engine: futures', () => {
  it('settles a future daily: cash moves by qty·ΔF every step, the position is worth 0 after settlement', () => {
    const r0 = 0.05;
    const gen = new HistoricalReplay(history, { dayCount: 'rows', rate: constantRate(r0) });
    const T = 3 / 252;
    const longFuture: Strategy<null> = {
      name: 'long future',
      kind: 'test',
      init() {
        return null;
      },
      decide(view, _book, _state, targets) {
        if (view.step !== 0) return;
        const line = targets.open({ kind: 'future', asset: 0 }, Number.NaN, T); // at the futures price
        targets.qty(line).fill(2);
      },
    };
    const res = runEngine({
      generator: gen,
      grid: gen.grid(),
      nPaths: 1,
      seed: 1,
      initialValue: 100,
      runs: [plain(longFuture as Strategy)],
      stepsPerYear: 252,
      ledgerPaths: [0],
      keepValuePaths: [0],
    });
    const v = res.runs[0].values.get(0)!;
    const dt = 1 / 252;
    const F = (S: number, tau: number) => S * Math.exp(r0 * tau); // no carry on asset A
    const F0 = F(100, T);
    const F1 = F(110, T - dt);
    const F2 = F(99, T - 2 * dt);
    const g = Math.exp(r0 * dt);
    // Each step: interest on yesterday's cash, then the margin 2·(Fₜ − Fₜ₋₁); the last one is S_T − F₂.
    const c1 = 100 * g + 2 * (F1 - F0);
    const c2 = c1 * g + 2 * (F2 - F1);
    const c3 = c2 * g + 2 * (121 - F2);
    expect(v[0]).toBe(100);
    expect(v[1]).toBeCloseTo(c1, 10);
    expect(v[2]).toBeCloseTo(c2, 10);
    expect(v[3]).toBeCloseTo(c3, 10);
    expect(res.runs[0].ledger.map((t) => [t.kind, t.step])).toEqual([
      ['forward', 0],
      ['settle', 3],
    ]);
    expect(res.runs[0].ledger[0].instrument).toBe(`A future K=${Number(F0.toPrecision(6))} T=0.0119048`);
  });
});
