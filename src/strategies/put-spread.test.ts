import { describe, expect, it } from 'vitest';
import { handHistory, replayVol, runHand } from '../../test/strategy-harness.ts';
import { bsmPrice } from '../pricing/black-scholes.ts';
import { putSpread } from './put-spread.ts';

const r = 0.05;
const T = 3 / 252;

/** V_T = u·(S_T + max(K₁ − S_T, 0) − max(K₂ − S_T, 0)) + c₀·e^{rT}, u = V₀/(S₀ + P(K₁) − P(K₂)). */
function check(prices: number[]) {
  const s = putSpread({ weights: Float64Array.of(1), longStrike: 1, shortStrike: 0.85, tenor: T });
  const run = runHand(handHistory(prices), s, { rate: r }).runs[0];
  const vol = replayVol(prices, 0);
  const net = bsmPrice('put', 100, 100, T, r, 0, vol) - bsmPrice('put', 100, 85, T, r, 0, vol);
  const u = 100 / (100 + net);
  const ST = prices[3];
  return { run, u, expected: u * (ST + Math.max(100 - ST, 0) - Math.max(85 - ST, 0)) };
}

describe('put spread: hand-checkable terminal value', () => {
  it('opens a long 100% and a short 85% put per unit, financed by the book', () => {
    const { run, u } = check([100, 97, 93, 90]);
    expect(
      run.ledger.filter((t) => t.step === 0).map((t) => [t.instrument, t.qty > 0 ? 'buy' : 'sell']),
    ).toEqual([
      ['A put K=100 T=0.0119048', 'buy'],
      ['A put K=85 T=0.0119048', 'sell'],
      ['A', 'buy'],
    ]);
    expect(run.ledger[0].qty).toBeCloseTo(u, 12);
    expect(run.ledger[1].qty).toBeCloseTo(-u, 12);
  });

  it('a path ending between the strikes is floored at K₁: V_T = u·K₁', () => {
    const { run, expected, u } = check([100, 97, 93, 90]);
    expect(run.terminal[0]).toBeCloseTo(expected, 10);
    expect(run.terminal[0]).toBeCloseTo(u * 100, 10);
  });

  it('below K₂ the protection is capped at K₁ − K₂: V_T = u·(S_T + 15)', () => {
    const { run, expected, u } = check([100, 90, 82, 75]);
    expect(run.terminal[0]).toBeCloseTo(expected, 10);
    expect(run.terminal[0]).toBeCloseTo(u * 90, 10);
  });

  it('rejects a short strike at or above the long strike', () => {
    expect(() =>
      putSpread({ weights: Float64Array.of(1), longStrike: 0.9, shortStrike: 0.9, tenor: 1 }),
    ).toThrow(/shortStrike \(0.9\) must be < longStrike/);
  });
});
