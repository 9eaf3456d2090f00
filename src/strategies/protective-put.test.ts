import { describe, expect, it } from 'vitest';
import { handHistory, replayVol, runHand } from '../../test/strategy-harness.ts';
import { DomainError } from '../core/errors.ts';
import { runEngine } from '../engine/engine.ts';
import { constantRate } from '../market/rate.ts';
import { GbmGenerator } from '../paths/gbm.ts';
import { uniformGrid } from '../paths/types.ts';
import { costModel } from '../portfolio/costs.ts';
import { bsmPrice } from '../pricing/black-scholes.ts';
import { protectivePut } from './protective-put.ts';

const r = 0.05;
const T = 3 / 252;

/** Hand check of a static put held to the horizon: V_T = u·max(S_T, K) + c₀·e^{rT}, u = V₀/(S₀ + P₀). */
function handCheck(prices: number[], k: number) {
  const res = runHand(
    handHistory(prices),
    protectivePut({ weights: Float64Array.of(1), strike: k, tenor: T }),
    { rate: r },
  );
  const run = res.runs[0];
  const P0 = bsmPrice('put', 100, 100 * k, T, r, 0, replayVol(prices, 0));
  const u = 100 / (100 + P0);
  const c0 = 100 - u * (100 + P0); // 0 up to rounding: the premium is financed by the book
  const ST = prices[prices.length - 1];
  return { run, P0, u, c0, expected: u * Math.max(ST, 100 * k) + c0 * Math.exp(r * T) };
}

describe('protective put: hand-checkable terminal value', () => {
  it('buys u = V0/(S0 + P0) units and u puts at inception, financed by the book', () => {
    const { run, P0, u } = handCheck([100, 104, 97, 108], 0.95);
    const opening = run.ledger.filter((t) => t.step === 0);
    expect(opening.map((t) => [t.kind, t.instrument])).toEqual([
      ['option', 'A put K=95 T=0.0119048'],
      ['asset', 'A'],
    ]);
    expect(opening[0].price).toBeCloseTo(P0, 12);
    expect(opening[0].qty).toBeCloseTo(u, 12);
    expect(opening[1].qty).toBeCloseTo(u, 12);
    expect(opening[1].qty * (100 + opening[0].price)).toBeCloseTo(100, 12);
    expect(run.values.get(0)![0]).toBeCloseTo(100, 12);
  });

  it('a path ending above the strike keeps the sleeve: V_T = u·S_T', () => {
    const { run, expected, u } = handCheck([100, 104, 97, 108], 0.95);
    expect(run.terminal[0]).toBeCloseTo(expected, 10);
    expect(run.terminal[0]).toBeCloseTo(u * 108, 10);
  });

  it('a path ending below the strike is floored: V_T = u·K', () => {
    const { run, expected, u } = handCheck([100, 96, 90, 85], 0.95);
    expect(run.terminal[0]).toBeCloseTo(expected, 10);
    expect(run.terminal[0]).toBeCloseTo(u * 95, 10);
    // no trades after inception: the only later record is the put's settlement, K − S_T per unit
    const later = run.ledger.filter((t) => t.step > 0);
    expect(later.map((t) => [t.kind, t.step])).toEqual([['settle', 3]]);
    expect(later[0].price).toBeCloseTo(95 - 85, 12);
    expect(later[0].qty).toBeCloseTo(-u, 12);
  });

  it('hedgeRatio 0.5 buys half a put per unit: V_T = u·S_T + ½·u·max(K − S_T, 0)', () => {
    const prices = [100, 96, 90, 85];
    const res = runHand(
      handHistory(prices),
      protectivePut({ weights: Float64Array.of(1), strike: 1, tenor: T, hedgeRatio: 0.5 }),
      {
        rate: r,
      },
    );
    const P0 = bsmPrice('put', 100, 100, T, r, 0, replayVol(prices, 0));
    const u = 100 / (100 + 0.5 * P0);
    expect(res.runs[0].terminal[0]).toBeCloseTo(u * 85 + 0.5 * u * 15, 10);
  });

  it('after a put expires before the horizon, holds the sleeve alone with the payoff in cash', () => {
    const prices = [100, 90, 80, 120];
    const res = runHand(
      handHistory(prices),
      protectivePut({ weights: Float64Array.of(1), strike: 1, tenor: 2 / 252 }),
      { rate: 0 },
    );
    const P0 = bsmPrice('put', 100, 100, 2 / 252, 0, 0, replayVol(prices, 0));
    const u = 100 / (100 + P0);
    // put pays 20 per unit at step 2; the sleeve rides to 120
    expect(res.runs[0].terminal[0]).toBeCloseTo(u * 120 + u * 20, 10);
    expect(res.runs[0].trades[0]).toBe(2);
  });
});

describe('protective put under GBM', () => {
  const gbm = () =>
    new GbmGenerator({
      assets: [
        { name: 'EQ', assetClass: 'equity', spot: 100 },
        { name: 'CM', assetClass: 'commodity', spot: 50 },
      ],
      vols: [0.25, 0.3],
      correlation: [
        [1, 0.3],
        [0.3, 1],
      ],
      rate: constantRate(0.02),
      drifts: [0.06, 0.04],
    });

  it('guarantees every path ends at or above Σ uₐ·Kₐ when held to expiry (multi-asset, model vol)', () => {
    const res = runEngine({
      generator: gbm(),
      grid: uniformGrid(1, 52),
      nPaths: 2048,
      seed: 11,
      initialValue: 100,
      runs: [
        {
          strategy: protectivePut({ weights: Float64Array.of(0.7, 0.3), strike: 0.9, tenor: 1 }),
          costs: costModel(),
          rebalance: {},
          vols: { kind: 'model' },
        },
      ],
      stepsPerYear: 52,
      ledgerPaths: [0],
    });
    const run = res.runs[0];
    const pEq = bsmPrice('put', 100, 90, 1, 0.02, 0, 0.25);
    const pCm = bsmPrice('put', 50, 45, 1, 0.02, 0, 0.3);
    const uEq = 70 / (100 + pEq);
    const uCm = 30 / (50 + pCm);
    const floor = uEq * 90 + uCm * 45;
    let min = Number.POSITIVE_INFINITY;
    for (const v of run.terminal) min = Math.min(min, v);
    expect(min).toBeGreaterThanOrEqual(floor - 1e-9);
    expect(run.ledger.filter((t) => t.kind === 'option').map((t) => t.instrument)).toEqual([
      'EQ put K=90 T=1',
      'CM put K=45 T=1',
    ]);
    expect(run.premiums[0]).toBeCloseTo(uEq * pEq + uCm * pCm, 10);
  });

  it('rejects invalid parameters naming the parameter', () => {
    const w = Float64Array.of(1);
    expect(() => protectivePut({ weights: w, strike: 0, tenor: 1 })).toThrow(DomainError);
    expect(() => protectivePut({ weights: w, strike: 0.9, tenor: -1 })).toThrow(/tenor/);
    expect(() => protectivePut({ weights: w, strike: 0.9, tenor: 1, roll: 0 })).toThrow(/roll/);
    expect(() => protectivePut({ weights: w, strike: 0.9, tenor: 1, hedgeRatio: -1 })).toThrow(/hedgeRatio/);
    expect(() => protectivePut({ weights: Float64Array.of(0.5), strike: 0.9, tenor: 1 })).toThrow(
      /sum of weights/,
    );
  });
});
