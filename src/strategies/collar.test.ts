import { describe, expect, it } from 'vitest';
import { handHistory, replayVol, runHand } from '../../test/strategy-harness.ts';
import { bsmPrice } from '../pricing/black-scholes.ts';
import { collar } from './collar.ts';

const r = 0.05;
const T = 3 / 252;

/** V_T = u·min(max(S_T, K_p), K_c) + c₀·e^{rT}, u = V₀/(S₀ + P(K_p) − C(K_c)). */
function check(prices: number[]) {
  const s = collar({ weights: Float64Array.of(1), putStrike: 0.9, callStrike: 1.1, tenor: T });
  const run = runHand(handHistory(prices), s, { rate: r }).runs[0];
  const vol = replayVol(prices, 0);
  const P = bsmPrice('put', 100, 90, T, r, 0, vol);
  const C = bsmPrice('call', 100, 110, T, r, 0, vol);
  const u = 100 / (100 + P - C);
  return { run, u, P, C, expected: u * Math.min(Math.max(prices[3], 90), 110) };
}

describe('collar: hand-checkable terminal value', () => {
  it('buys the put and sells the call per unit; the call premium finances the put', () => {
    const { run, u, P, C } = check([100, 105, 112, 118]);
    const [put, call, asset] = run.ledger;
    expect([put!.instrument, call!.instrument, asset!.instrument]).toEqual([
      'A put K=90 T=0.0119048',
      'A call K=110 T=0.0119048',
      'A',
    ]);
    expect(put!.qty).toBeCloseTo(u, 12);
    expect(call!.qty).toBeCloseTo(-u, 12);
    expect(run.premiums[0]).toBeCloseTo(u * (P - C), 12);
  });

  it('a path ending above the call strike is capped: V_T = u·K_c', () => {
    const { run, expected, u } = check([100, 105, 112, 118]);
    expect(run.terminal[0]).toBeCloseTo(expected, 10);
    expect(run.terminal[0]).toBeCloseTo(u * 110, 10);
  });

  it('a path ending below the put strike is floored: V_T = u·K_p', () => {
    const { run, expected, u } = check([100, 92, 85, 80]);
    expect(run.terminal[0]).toBeCloseTo(expected, 10);
    expect(run.terminal[0]).toBeCloseTo(u * 90, 10);
  });

  it('a path ending between the strikes keeps the sleeve: V_T = u·S_T', () => {
    const { run, u } = check([100, 103, 99, 104]);
    expect(run.terminal[0]).toBeCloseTo(u * 104, 10);
  });

  it('rejects a call strike at or below the put strike', () => {
    expect(() => collar({ weights: Float64Array.of(1), putStrike: 0.9, callStrike: 0.9, tenor: 1 })).toThrow(
      /callStrike \(0.9\) must be > putStrike/,
    );
  });
});
