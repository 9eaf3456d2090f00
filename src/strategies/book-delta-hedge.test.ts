import { describe, expect, it } from 'vitest';
import { runEngine, type StrategyRun } from '../engine/engine.ts';
import { lelandVol } from '../hedging/leland.ts';
import { constantRate } from '../market/rate.ts';
import { GbmGenerator } from '../paths/gbm.ts';
import { uniformGrid } from '../paths/types.ts';
import { type CostModel, costModel } from '../portfolio/costs.ts';
import type { RebalanceSpec } from '../portfolio/rebalance.ts';
import { bsmGreeks } from '../pricing/black-scholes.ts';
import { bookDeltaHedge } from './book-delta-hedge.ts';
import { deltaHedge } from './delta-hedge.ts';
import type { Strategy } from './types.ts';

const assets = [
  { name: 'EQ', assetClass: 'equity' as const, spot: 100, carry: 0.01 },
  { name: 'CM', assetClass: 'commodity' as const, spot: 50 },
];
const gen = () =>
  new GbmGenerator({
    assets,
    vols: [0.2, 0.3],
    correlation: [
      [1, 0.3],
      [0.3, 1],
    ],
    rate: constantRate(0.03),
  });
const run = (
  strategy: Strategy,
  costs: CostModel = costModel(),
  rebalance: RebalanceSpec = {},
): StrategyRun => ({
  strategy,
  costs,
  rebalance,
  vols: { kind: 'constant', vol: [0.2, 0.3] },
});
const engine = (runs: StrategyRun[], nPaths = 512, nSteps = 63) =>
  runEngine({
    generator: gen(),
    grid: uniformGrid(0.5, nSteps),
    nPaths,
    seed: 42,
    initialValue: 1000,
    runs,
    stepsPerYear: nSteps * 2,
    ledgerPaths: [0],
  });

describe('book delta hedge', () => {
  it('a one-leg book is exactly the delta hedge of that option (bit-identical terminal values)', () => {
    const res = engine([
      run(deltaHedge({ asset: 0, type: 'call', strike: 100, tenor: 0.5, quantity: -10 })),
      run(bookDeltaHedge({ legs: [{ asset: 0, type: 'call', strike: 1, expiry: 0.5, quantity: -10 }] })),
    ]);
    expect(Array.from(res.runs[1].terminal)).toEqual(Array.from(res.runs[0].terminal));
  });

  it('hedges several strikes × expiries on two assets: the book is delta-neutral after every trade', () => {
    const legs = [
      { asset: 0, type: 'put' as const, strike: 0.9, expiry: 0.25, quantity: -20 },
      { asset: 0, type: 'call' as const, strike: 1.1, expiry: 0.5, quantity: -10 },
      { asset: 0, type: 'put' as const, strike: 1, expiry: 0.5, quantity: 5 },
      { asset: 1, type: 'call' as const, strike: 1, expiry: 0.25, quantity: -40 },
    ];
    const res = engine([run(bookDeltaHedge({ legs }))]);
    const opened = res.runs[0].ledger.filter((t) => t.kind === 'option' && t.step === 0);
    expect(opened.map((t) => t.instrument)).toEqual([
      'EQ put K=90 T=0.25',
      'EQ call K=110 T=0.5',
      'EQ put K=100 T=0.5',
      'CM call K=50 T=0.25',
    ]);
    // At inception the units bought are −Σ qty·Δ per asset, Δ at the pricing vol.
    const delta = (type: 'call' | 'put', S: number, K: number, T: number, q: number, vol: number) =>
      bsmGreeks(type, S, K, T, 0.03, q, vol).delta;
    const eq = -(
      -20 * delta('put', 100, 90, 0.25, 0.01, 0.2) -
      10 * delta('call', 100, 110, 0.5, 0.01, 0.2) +
      5 * delta('put', 100, 100, 0.5, 0.01, 0.2)
    );
    const cm = -(-40 * delta('call', 50, 50, 0.25, 0, 0.3));
    const units = res.runs[0].ledger.filter((t) => t.kind === 'asset' && t.step === 0);
    expect(units[0].qty).toBeCloseTo(eq, 10);
    expect(units[1].qty).toBeCloseTo(cm, 10);
    // After the last expiry everything is unwound: the ledger ends with sales of the hedge.
    const last = res.runs[0].ledger.filter((t) => t.kind === 'asset').at(-1)!;
    expect(last.step).toBe(63);
  });

  it('a Whalley–Wilmott band trades less and pays less than hedging every step', () => {
    const legs = [{ asset: 0, type: 'call' as const, strike: 1, expiry: 0.5, quantity: -100 }];
    const costs = costModel({ bps: { equity: 20 } });
    const res = engine([
      run(bookDeltaHedge({ legs }), costs),
      run(bookDeltaHedge({ legs, whalleyWilmott: { cost: 0.002, riskAversion: 0.01 } }), costs),
    ]);
    const mean = (a: Float64Array) => a.reduce((t, x) => t + x, 0) / a.length;
    const [every, band] = res.runs;
    expect(mean(band!.trades)).toBeLessThan(0.5 * mean(every!.trades));
    expect(mean(band!.fees)).toBeLessThan(0.7 * mean(every!.fees));
  });

  it('Leland: hedge ratios are the deltas at the adjusted vol σ̂ (written leg: σ̂ > σ)', () => {
    const legs = [{ asset: 0, type: 'call' as const, strike: 1, expiry: 0.5, quantity: -10 }];
    const res = engine([run(bookDeltaHedge({ legs, leland: { roundTripCost: 0.01, dt: 1 / 126 } }))], 256);
    const ledger = res.runs[0].ledger.filter((t) => t.kind === 'asset');
    // Units after step 1 = −qty·Δ(σ̂) at step 1's spot; step 0 hedges at the plain delta.
    const s1 = ledger.find((t) => t.step === 1)!;
    const s0 = ledger.find((t) => t.step === 0)!;
    const sigmaHat = lelandVol(0.2, 0.01, 1 / 126, 'writer');
    expect(sigmaHat).toBeGreaterThan(0.2);
    const want = 10 * bsmGreeks('call', s1.price, 100, 0.5 - 1 / 126, 0.03, 0.01, sigmaHat).delta;
    expect(s0.qty + s1.qty).toBeCloseTo(want, 9);
  });

  it('hedging with forwards holds forwards worth the same delta (no units), rolled at their expiry', () => {
    const legs = [{ asset: 0, type: 'call' as const, strike: 1, expiry: 0.5, quantity: -10 }];
    const res = engine([
      run(bookDeltaHedge({ legs })),
      run(bookDeltaHedge({ legs, hedgeWith: 'forward', forwardTenor: 0.25 })),
    ]);
    const fw = res.runs[1].ledger;
    expect(fw.some((t) => t.kind === 'asset')).toBe(false);
    const opened = new Set(fw.filter((t) => t.kind === 'forward').map((t) => t.instrument));
    expect(opened.size).toBe(2); // the 0.25-year forward, then its roll
    // Same delta exposure, so nearly the same P&L (forwards differ by carry and financing only).
    const diff = res.runs[0].terminal.map((v, p) => v - res.runs[1].terminal[p]);
    const rms = Math.sqrt(diff.reduce((t, x) => t + x * x, 0) / diff.length);
    expect(rms).toBeLessThan(1);
  });
});
