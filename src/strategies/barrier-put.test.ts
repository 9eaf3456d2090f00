import { describe, expect, it } from 'vitest';
import { handHistory, replayVol, runHand } from '../../test/strategy-harness.ts';
import { BGK_BETA } from '../portfolio/book.ts';
import { barrierPrice } from '../pricing/barrier.ts';
import { barrierPut } from './barrier-put.ts';

const r = 0.05;
const T = 3 / 252;
const crossing = [100, 90, 78, 95]; // touches H = 80 at step 2, ends below K = 100
const staying = [100, 92, 85, 90]; // never touches H, ends below K

function run(prices: number[], barrierType: 'down-out' | 'down-in', rebate: number) {
  const s = barrierPut({
    weights: Float64Array.of(1),
    strike: 1,
    barrier: 0.8,
    barrierType,
    rebate,
    tenor: T,
  });
  const res = runHand(handHistory(prices), s, { rate: r }).runs[0];
  const vol = replayVol(prices, 0);
  const P0 = barrierPrice({
    type: 'put',
    barrierType,
    spot: 100,
    strike: 100,
    // daily monitoring priced with the Broadie–Glasserman–Kou shifted barrier
    barrier: 80 * Math.exp(-BGK_BETA * vol * Math.sqrt(1 / 252)),
    rebate: rebate * 100,
    expiry: T,
    rate: r,
    dividend: 0,
    vol,
  });
  return { res, P0, u: 100 / (100 + P0) };
}

describe('down-and-out put', () => {
  it('is bought at its Reiner–Rubinstein price (BGK-corrected for daily monitoring), u·(S₀ + P₀) = V₀', () => {
    const { res, P0, u } = run(staying, 'down-out', 0.02);
    expect(res.ledger[0].instrument).toBe('A down-out put K=100 H=80 T=0.0119048');
    expect(res.ledger[0].price).toBeCloseTo(P0, 12);
    expect(res.ledger[0].qty).toBeCloseTo(u, 12);
  });

  it('knocked out: pays the rebate at the hit and is gone — no payoff at expiry', () => {
    const { res, u } = run(crossing, 'down-out', 0.02);
    // rebate 0.02·S₀ = 2 per unit paid at step 2, accrues one day; the sleeve ends at 95, put worthless
    expect(res.terminal[0]).toBeCloseTo(u * 95 + 2 * u * Math.exp(r / 252), 10);
    // after inception the ledger holds only the knock-out at step 2, paying the rebate — no expiry payoff
    const later = res.ledger.filter((t) => t.step > 0);
    expect(later.map((t) => [t.kind, t.step])).toEqual([['settle', 2]]);
    expect(later[0].price).toBeCloseTo(2, 12);
    const v = res.values.get(0)!;
    expect(v[2]).toBeCloseTo(u * 78 + 2 * u, 10); // the position is valued at its rebate
  });

  it('not knocked out: pays like the vanilla put, V_T = u·K', () => {
    const { res, u } = run(staying, 'down-out', 0.02);
    expect(res.terminal[0]).toBeCloseTo(u * 100, 10);
  });
});

describe('down-and-in put', () => {
  it('knocked in: pays max(K − S_T, 0) at expiry, V_T = u·K', () => {
    const { res, u } = run(crossing, 'down-in', 0);
    expect(res.terminal[0]).toBeCloseTo(u * 100, 10);
  });

  it('never knocked in: pays only the rebate at expiry', () => {
    const { res, u } = run(staying, 'down-in', 0.01);
    expect(res.terminal[0]).toBeCloseTo(u * 90 + u * 1, 10);
  });

  it('rejects a barrier outside (0, 1) and an unknown barrier type', () => {
    const w = Float64Array.of(1);
    expect(() =>
      barrierPut({ weights: w, strike: 1, barrier: 1.1, barrierType: 'down-out', tenor: 1 }),
    ).toThrow(/barrier/);
    expect(() =>
      barrierPut({ weights: w, strike: 1, barrier: 0.8, barrierType: 'up-out' as 'down-out', tenor: 1 }),
    ).toThrow(/barrierType/);
    expect(() =>
      barrierPut({ weights: w, strike: 1, barrier: 0.8, barrierType: 'down-in', rebate: -1, tenor: 1 }),
    ).toThrow(/rebate/);
  });
});
