import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.ts';
import type { Rng } from '../core/rng.ts';
import { runEngine, type StrategyRun } from '../engine/engine.ts';
import type { AssetSpec } from '../market/asset.ts';
import { constantRate } from '../market/rate.ts';
import { GbmGenerator } from '../paths/gbm.ts';
import { allocState, type MarketState, type PathGenerator, uniformGrid } from '../paths/types.ts';
import { costModel } from '../portfolio/costs.ts';
import { bsmGreeks } from '../pricing/black-scholes.ts';
import { deltaHedge } from './delta-hedge.ts';

/** Weekly stock prices of Hull (10th ed.) Table 19.2 (the option closes in the money). */
const TABLE_19_2 = [
  49.0, 48.12, 47.37, 50.25, 51.75, 53.12, 53.0, 51.87, 51.38, 53.0, 49.88, 48.5, 49.88, 50.37, 52.13, 51.88,
  52.87, 54.87, 54.62, 55.87, 57.25,
];
/** Shares held after each week's rebalancing in Table 19.2 (100,000·Δ with Δ rounded to 0.001). */
const SHARES_19_2 = [
  52_200, 45_800, 40_000, 59_600, 69_300, 77_400, 77_100, 70_600, 67_400, 78_700, 55_000, 41_300, 54_200,
  59_100, 76_800, 75_900, 86_500, 97_800, 99_000, 100_000,
];

/** Replays a fixed weekly price list on every path, reporting a model vol of 20 % (Hull's σ). */
class TablePath implements PathGenerator {
  readonly assets: readonly AssetSpec[] = [{ name: 'XYZ', assetClass: 'equity', spot: 49 }];
  readonly rate = constantRate(0.05);
  constructor(private readonly prices: readonly number[]) {}
  init(nPaths: number): MarketState {
    return allocState(this.assets, nPaths, [0.2]);
  }
  step(t: number, dt: number, state: MarketState, _rng: Rng): void {
    const S = this.prices[Math.round((t + dt) * 52)];
    for (let p = 0; p < state.nPaths; p++) {
      state.logReturn[0][p] = Math.log(S / state.spot[0][p]);
      state.spot[0][p] = S;
    }
  }
}

const T = 20 / 52;
const r = 0.05;
const hull = () => deltaHedge({ asset: 0, type: 'call', strike: 50, tenor: T, quantity: -100_000 });
const plain = (strategy: StrategyRun['strategy'], rebalance: StrategyRun['rebalance'] = {}): StrategyRun => ({
  strategy,
  costs: costModel(),
  rebalance,
  vols: { kind: 'constant', vol: 0.2 },
});

describe("delta hedge on Hull's Table 19.2 path (weekly rebalancing)", () => {
  const gen = new TablePath(TABLE_19_2);
  const res = runEngine({
    generator: gen,
    grid: uniformGrid(T, 20),
    nPaths: 1,
    seed: 1,
    initialValue: 1,
    runs: [plain(hull())],
    stepsPerYear: 52,
    ledgerPaths: [0],
  });
  const run = res.runs[0];

  it('writes 100,000 calls at the Black-Scholes price (premium 240,053 received into cash)', () => {
    const opt = run.ledger.filter((t) => t.kind === 'option');
    expect(opt).toHaveLength(1);
    expect(opt[0].qty).toBe(-100_000);
    expect(opt[0].price).toBeCloseTo(bsmGreeks('call', 49, 50, T, r, 0, 0.2).price, 12);
    expect(run.premiums[0]).toBeCloseTo(-240_052.73, 1);
  });

  it("holds 100,000·Δ shares each week, matching Hull's table to its rounding of Δ (±50 shares)", () => {
    let held = 0;
    const shares: number[] = [];
    for (let w = 0; w < 20; w++) {
      for (const t of run.ledger) if (t.kind === 'asset' && t.step === w) held += t.qty;
      shares.push(held);
      const delta = bsmGreeks('call', TABLE_19_2[w], 50, T - w / 52, r, 0, 0.2).delta;
      expect(held).toBeCloseTo(100_000 * delta, 6);
    }
    for (let w = 0; w < 20; w++) expect(Math.abs(shares[w] - SHARES_19_2[w])).toBeLessThanOrEqual(50);
    // expiry: the call settles in cash and the hedge is sold
    const last = run.ledger.filter((t) => t.step === 20);
    expect(last.map((t) => t.kind)).toEqual(['settle', 'asset']);
    expect(last[0].qty).toBe(100_000); // the written calls are closed by settlement …
    expect(last[0].price).toBeCloseTo(Math.max(TABLE_19_2[20] - 50, 0), 12); // … at their payoff
    expect(held + last[1].qty).toBeCloseTo(0, 9);
  });

  it('terminal value = an independent replay of the hedge; cost of hedging ≈ $263,300 as in Hull', () => {
    const C0 = bsmGreeks('call', 49, 50, T, r, 0, 0.2).price;
    const g = Math.exp(r / 52);
    let shares = 100_000 * bsmGreeks('call', 49, 50, T, r, 0, 0.2).delta;
    let cash = 1 + 100_000 * C0 - shares * 49;
    for (let k = 1; k <= 20; k++) {
      const S = TABLE_19_2[k];
      cash *= g;
      if (k < 20) {
        const target = 100_000 * bsmGreeks('call', S, 50, T - k / 52, r, 0, 0.2).delta;
        cash -= (target - shares) * S;
        shares = target;
      } else {
        cash += shares * S - 100_000 * Math.max(S - 50, 0);
        shares = 0;
      }
    }
    expect(Math.abs(run.terminal[0] / cash - 1)).toBeLessThan(1e-12);
    // Hull's cost of writing and hedging, valued at week 20 (premium excluded): 263,300 with Δ
    // rounded to 0.001 and weekly simple interest; unrounded deltas move it by tens to hundreds.
    const cost = 100_000 * C0 * Math.exp(r * T) - (run.terminal[0] - Math.exp(r * T));
    expect(Math.abs(cost - 263_300)).toBeLessThan(500); // 263,242
  });
});

describe('delta hedge rules', () => {
  const gbm = new GbmGenerator({
    assets: [{ name: 'EQ', assetClass: 'equity', spot: 100 }],
    vols: [0.2],
    rate: constantRate(0.02),
  });
  const cfg = (runs: StrategyRun[]) => ({
    generator: gbm,
    grid: uniformGrid(0.25, 63),
    nPaths: 256,
    seed: 5,
    initialValue: 1,
    runs,
    stepsPerYear: 252,
    ledgerPaths: [0, 1, 2],
  });

  it('hedges a bought put by buying quantity·|Δ_put| of the underlying', () => {
    const res = runEngine(
      cfg([plain(deltaHedge({ asset: 0, type: 'put', strike: 95, tenor: 0.25, quantity: 1000 }))]),
    );
    const first = res.runs[0].ledger.filter((t) => t.path === 0 && t.step === 0);
    const d = bsmGreeks('put', 100, 95, 0.25, 0.02, 0, 0.2).delta;
    expect(first.map((t) => t.kind)).toEqual(['option', 'asset']);
    expect(first[1].qty).toBeCloseTo(-1000 * d, 9);
    expect(first[1].qty).toBeGreaterThan(0);
  });

  it('a delta band trades less often than every step, and the calendar policy every k steps only', () => {
    const res = runEngine(
      cfg([plain(hull2()), plain(hull2(), { deltaBand: 0.05 }), plain(hull2(), { calendar: 5 })]),
    );
    const trades = res.runs.map((run) => run.trades.reduce((a, b) => a + b, 0));
    expect(trades[1]).toBeLessThan(trades[0] / 2);
    for (const t of res.runs[2].ledger) if (t.kind === 'asset' && t.step < 63) expect(t.step % 5).toBe(0);
  });

  it('rejects invalid parameters naming the parameter', () => {
    const ok = { asset: 0, type: 'call' as const, strike: 50, tenor: 1, quantity: -1 };
    expect(() => deltaHedge({ ...ok, quantity: 0 })).toThrow(DomainError);
    expect(() => deltaHedge({ ...ok, strike: -1 })).toThrow(/strike/);
    expect(() => deltaHedge({ ...ok, tenor: 0 })).toThrow(/tenor/);
    expect(() => deltaHedge({ ...ok, asset: 1.5 })).toThrow(/asset/);
    expect(() => deltaHedge({ ...ok, hedge: 'gamma' as 'delta' })).toThrow(/hedge/);
  });
});

function hull2() {
  return deltaHedge({ asset: 0, type: 'call', strike: 100, tenor: 0.25, quantity: -1000 });
}
