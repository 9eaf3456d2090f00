import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.ts';
import { runEngine, type StrategyRun } from '../engine/engine.ts';
import type { PriceHistory } from '../market/price-history.ts';
import { constantRate, type RateModel } from '../market/rate.ts';
import { HistoricalReplay } from '../paths/replay.ts';
import { costModel } from '../portfolio/costs.ts';
import { type CppiState, cppi } from './cppi.ts';
import type { Strategy } from './types.ts';

const hist = (cols: Record<string, number[]>): PriceHistory => {
  const names = Object.keys(cols);
  const n = cols[names[0]].length;
  return {
    dates: Array.from({ length: n }, (_, i) => `2024-01-${String(i + 1).padStart(2, '0')}`),
    columns: names,
    prices: names.map((c) => Float64Array.from(cols[c])),
    source: 'hand',
  };
};

/** Wraps a strategy to record its floor and target exposure after every decide (path 0). */
function spy(s: Strategy<CppiState>, floors: number[], exposures: number[]): Strategy<CppiState> {
  return {
    ...s,
    init: (v, b) => s.init(v, b),
    decide(view, book, st, targets) {
      s.decide(view, book, st, targets);
      floors.push(st.floor[0]);
      exposures.push(st.exposure[0]);
    },
  };
}

function run(history: PriceHistory, strategy: Strategy<CppiState>, rate?: RateModel) {
  const gen = new HistoricalReplay(history, { dayCount: 'rows', ...(rate ? { rate } : {}) });
  const runs: StrategyRun[] = [
    { strategy, costs: costModel(), rebalance: {}, vols: { kind: 'constant', vol: 0.2 } },
  ];
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
  });
}

describe('cppi on hand-checkable 3-step paths', () => {
  it('one asset 100 → 110 → 99 → 121, floor 80, m = 3: floor, cushion and exposure each step', () => {
    const floors: number[] = [];
    const exps: number[] = [];
    const s = spy(
      cppi({ weights: Float64Array.of(1), floor: 0.8, multiplier: 3, floorAccrues: false }),
      floors,
      exps,
    );
    const r = run(hist({ A: [100, 110, 99, 121] }), s);
    // t0: V 100, F 80, C 20, E 60 → 0.6 units, cash 40
    // t1: V 0.6·110 + 40 = 106, C 26, E 78 → 78/110 units, cash 28
    // t2: V 78·99/110 + 28 = 70.2 + 28 = 98.2, C 18.2, E 54.6 → 54.6/99 units, cash 43.6
    // t3: V 54.6·121/99 + 43.6 = 66.7333… + 43.6 = 110.3333…, C 30.3333…, E 91
    const v = r.runs[0].values.get(0)!;
    expect(v[0]).toBe(100);
    expect(v[1]).toBeCloseTo(106, 12);
    expect(v[2]).toBeCloseTo(98.2, 12);
    expect(v[3]).toBeCloseTo(54.6 * (121 / 99) + 43.6, 12);
    expect(floors).toEqual([80, 80, 80, 80]);
    const want = [60, 78, 54.6, 3 * (54.6 * (121 / 99) + 43.6 - 80)];
    for (let i = 0; i < 4; i++) expect(exps[i]).toBeCloseTo(want[i], 11);
  });

  it('two assets 50/50 (A 100 → 110 → 99 → 121, B 50 → 50 → 55 → 44) split the exposure at the weights', () => {
    const r = run(
      hist({ A: [100, 110, 99, 121], B: [50, 50, 55, 44] }),
      cppi({ weights: Float64Array.of(0.5, 0.5), floor: 0.8, multiplier: 3, floorAccrues: false }),
    );
    // t0: E 60 → A 0.3, B 0.6, cash 40
    // t1: V 33 + 30 + 40 = 103, E 69 → A 34.5/110, B 0.69, cash 34
    // t2: V 31.05 + 37.95 + 34 = 103, E 69 → A 34.5/99, B 34.5/55, cash 34
    // t3: V 34.5·121/99 + 34.5·44/55 + 34 = 42.1666… + 27.6 + 34
    const v = r.runs[0].values.get(0)!;
    expect(v[1]).toBeCloseTo(103, 12);
    expect(v[2]).toBeCloseTo(103, 12);
    expect(v[3]).toBeCloseTo(34.5 * (121 / 99) + 27.6 + 34, 12);
    expect(r.runs[0].ledger.slice(0, 2).map((t) => [t.instrument, t.qty])).toEqual([
      ['A', 0.3],
      ['B', 0.6],
    ]);
  });

  it('caps the exposure at maxExposure·V (m = 6 would ask for 120 out of 100)', () => {
    const exps: number[] = [];
    const s = spy(
      cppi({ weights: Float64Array.of(1), floor: 0.8, multiplier: 6, floorAccrues: false }),
      [],
      exps,
    );
    run(hist({ A: [100, 110, 99, 121] }), s);
    // t0: min(6·20, 100) = 100 → 1 unit; t1: V 110, min(180, 110) = 110; t2: V 99, min(114, 99) = 99
    expect(exps.slice(0, 3)).toEqual([100, 110, 99]);
  });

  it('borrows when maxExposure > 1: exposure m·C up to 1.5·V', () => {
    const exps: number[] = [];
    const s = spy(
      cppi({ weights: Float64Array.of(1), floor: 0.8, multiplier: 6, maxExposure: 1.5, floorAccrues: false }),
      [],
      exps,
    );
    const r = run(hist({ A: [100, 110, 99, 121] }), s);
    // t0: E = min(120, 150) = 120: 1.2 units, cash −20; t1: V 132 − 20 = 112, E = min(192, 168) = 168
    expect(exps[0]).toBe(120);
    expect(r.runs[0].values.get(0)![1]).toBeCloseTo(112, 12);
    expect(exps[1]).toBeCloseTo(168, 12);
  });

  it('accrues the floor at the short rate: Fₜ = 0.8·100·e^{0.05·t}', () => {
    const floors: number[] = [];
    const exps: number[] = [];
    const s = spy(cppi({ weights: Float64Array.of(1), floor: 0.8, multiplier: 3 }), floors, exps);
    const r = run(hist({ A: [100, 110, 99, 121] }), s, constantRate(0.05));
    const dt = 1 / 252;
    for (let i = 0; i < floors.length; i++) expect(floors[i]).toBeCloseTo(80 * Math.exp(0.05 * i * dt), 12);
    // t1: cash 40·e^{0.05·dt}, V = 66 + that, E = 3·(V − F₁)
    const v1 = 66 + 40 * Math.exp(0.05 * dt);
    expect(r.runs[0].values.get(0)![1]).toBeCloseTo(v1, 12);
    expect(exps[1]).toBeCloseTo(3 * (v1 - 80 * Math.exp(0.05 * dt)), 11);
  });

  it('tolerance band: skips small rebalances but forces a move to cash once the cushion is gone', () => {
    // 100 → 110: E wants 78 vs 66 held; |12| < 0.5·106 → no trade.
    const calm = run(
      hist({ A: [100, 110] }),
      cppi({ weights: Float64Array.of(1), floor: 0.8, multiplier: 3, tolerance: 0.5, floorAccrues: false }),
    );
    expect(calm.runs[0].ledger).toHaveLength(1);
    // 100 → 60 → 121: V₁ = 36 + 40 = 76 < 80. Selling 0.6·60 = 36 < 0.5·76 is inside the band, yet the
    // breach forces it; afterwards everything stays in cash: V = 76.
    const crash = run(
      hist({ A: [100, 60, 121] }),
      cppi({ weights: Float64Array.of(1), floor: 0.8, multiplier: 3, tolerance: 0.5, floorAccrues: false }),
    );
    const led = crash.runs[0].ledger;
    expect(led.map((t) => [t.step, t.qty, t.price])).toEqual([
      [0, 0.6, 100],
      [1, -0.6, 60],
    ]);
    expect([...crash.runs[0].values.get(0)!]).toEqual([100, 76, 76]);
  });

  it('declares its band as its own rebalancing policy, and none without tolerance', () => {
    expect(
      cppi({ weights: Float64Array.of(1), floor: 0.8, multiplier: 3, tolerance: 0.05 }).rebalance,
    ).toEqual({ band: 0.05 });
    expect(cppi({ weights: Float64Array.of(1), floor: 0.8, multiplier: 3 }).rebalance).toBeUndefined();
  });
});

describe('cppi parameters', () => {
  const w = Float64Array.of(1);
  it('names itself from m and the floor, unless named', () => {
    expect(cppi({ weights: w, floor: 0.8, multiplier: 4 }).name).toBe('cppi m=4 f=80%');
    expect(cppi({ weights: w, floor: 0.8, multiplier: 4, name: 'x' }).name).toBe('x');
    expect(cppi({ weights: w, floor: 0.8, multiplier: 4 }).kind).toBe('cppi');
  });

  it.each([
    [{ floor: 1.2 }, 'floor (1.2) must be in [0, 1]'],
    [{ floor: Number.NaN }, 'floor (NaN) must be in [0, 1]'],
    [{ multiplier: -1 }, 'multiplier (-1) must be >= 0'],
    [{ maxExposure: 0 }, 'maxExposure (0) must be > 0 (Infinity for no cap)'],
    [{ tolerance: -0.1 }, 'tolerance (-0.1) must be >= 0'],
    [{ weights: Float64Array.of(0.5, 0.4) }, 'sum of weights (0.9) must be 1'],
  ])('rejects %o', (bad, msg) => {
    const f = () => cppi({ weights: w, floor: 0.8, multiplier: 4, ...bad });
    expect(f).toThrow(DomainError);
    expect(f).toThrow(msg);
  });

  it('accepts an unbounded exposure (maxExposure = Infinity)', () => {
    expect(() =>
      cppi({ weights: w, floor: 0.8, multiplier: 4, maxExposure: Number.POSITIVE_INFINITY }),
    ).not.toThrow();
  });
});

describe('cppi on a 3-asset sleeve: the one-pass exposure and targets', () => {
  it('trades the same bits as the general passes (the same book with a fourth, zero-weight asset)', () => {
    // A 30-day history with a crash that exhausts the cushion (day 12) and a recovery.
    const days = 30;
    const px = (s0: number, f: (d: number) => number) => Array.from({ length: days }, (_, d) => s0 * f(d));
    const A = px(100, (d) => (d < 12 ? 1 + 0.01 * Math.sin(d) : d === 12 ? 0.55 : 0.6 + 0.01 * d));
    const B = px(50, (d) => 1 + 0.003 * d - 0.004 * Math.cos(3 * d));
    const C = px(20, (d) => 1 + 0.02 * Math.sin(0.7 * d));
    const D = px(10, (d) => 1 + 0.05 * Math.cos(d));
    const costs = { bps: { equity: 5, bond: 2, commodity: 10 } };
    const runOf = (cols: Record<string, number[]>, weights: Float64Array) => {
      const gen = new HistoricalReplay(hist(cols), { dayCount: 'rows' });
      return runEngine({
        generator: gen,
        grid: gen.grid(),
        nPaths: 1,
        seed: 1,
        initialValue: 100,
        runs: [
          {
            strategy: cppi({ weights, floor: 0.8, multiplier: 4 }),
            costs: costModel(costs),
            rebalance: {},
            vols: { kind: 'constant', vol: 0.2 },
          },
        ],
        stepsPerYear: 252,
        keepValuePaths: [0],
      }).runs[0];
    };
    const fused = runOf({ A, B, C }, Float64Array.of(0.45, 0.35, 0.2));
    const general = runOf({ A, B, C, D }, Float64Array.of(0.45, 0.35, 0.2, 0));
    expect(Array.from(fused.values.get(0) ?? [])).toEqual(Array.from(general.values.get(0) ?? []));
    expect(Array.from(fused.fees)).toEqual(Array.from(general.fees));
    expect(Array.from(fused.terminal)).toEqual(Array.from(general.terminal));
    // the crash moved everything to cash (the forced trade) and the run traded on
    expect(fused.values.get(0)?.length).toBe(days);
    expect(fused.fees[0]).toBeGreaterThan(0);
  });
});
