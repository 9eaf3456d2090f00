import fc from 'fast-check';
import { describe, it } from 'vitest';
import { americanGreeks, americanPrice } from './american.ts';
import { americanTree } from './american-tree.ts';
import { bsmPrice } from './black-scholes.ts';
import type { OptionType } from './types.ts';

const SEED = 20261125;
const typeArb = fc.constantFrom<OptionType>('call', 'put');
const market = fc.record({
  type: typeArb,
  S: fc.double({ min: 50, max: 150, noNaN: true }),
  K: fc.double({ min: 70, max: 130, noNaN: true }),
  T: fc.double({ min: 0.02, max: 3, noNaN: true }),
  r: fc.double({ min: 0, max: 0.1, noNaN: true }),
  q: fc.double({ min: 0, max: 0.12, noNaN: true }),
  vol: fc.double({ min: 0.1, max: 0.6, noNaN: true }),
});
const methods = ['alo', 'bjerksund-stensland'] as const;

describe('American option properties (fast-check, seeded)', () => {
  it('American >= max(intrinsic, European) for every engine', () => {
    fc.assert(
      fc.property(market, fc.constantFrom(...methods), (m, method) => {
        const v = americanPrice(m.type, m.S, m.K, m.T, m.r, m.q, m.vol, { method });
        const euro = bsmPrice(m.type, m.S, m.K, m.T, m.r, m.q, m.vol);
        const ins = Math.max(0, m.type === 'call' ? m.S - m.K : m.K - m.S);
        return v >= euro && v >= ins;
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('an American call without dividends is the European call', () => {
    fc.assert(
      fc.property(market, fc.constantFrom(...methods), (m, method) => {
        const v = americanPrice('call', m.S, m.K, m.T, m.r, 0, m.vol, { method });
        return v === bsmPrice('call', m.S, m.K, m.T, m.r, 0, m.vol);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('is non-decreasing in volatility', () => {
    fc.assert(
      fc.property(
        market,
        fc.double({ min: 0.01, max: 0.2, noNaN: true }),
        fc.constantFrom(...methods),
        (m, dv, method) => {
          const lo = americanPrice(m.type, m.S, m.K, m.T, m.r, m.q, m.vol, { method });
          const hi = americanPrice(m.type, m.S, m.K, m.T, m.r, m.q, m.vol + dv, { method });
          return hi >= lo - 1e-9 * lo;
        },
      ),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('calls increase and puts decrease in spot', () => {
    fc.assert(
      fc.property(
        market,
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.constantFrom(...methods),
        (m, dS, method) => {
          const a = americanPrice(m.type, m.S, m.K, m.T, m.r, m.q, m.vol, { method });
          const b = americanPrice(m.type, m.S + dS, m.K, m.T, m.r, m.q, m.vol, { method });
          const slack = 1e-9 * Math.max(a, b);
          return m.type === 'call' ? b >= a - slack : b <= a + slack;
        },
      ),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('ALO delta lies in [−1, 0] for puts and [0, 1] for calls, and gamma >= 0', () => {
    fc.assert(
      fc.property(market, (m) => {
        const g = americanGreeks(m.type, m.S, m.K, m.T, m.r, m.q, m.vol);
        const okDelta =
          m.type === 'call'
            ? g.delta >= -1e-12 && g.delta <= 1 + 1e-9
            : g.delta <= 1e-12 && g.delta >= -1 - 1e-9;
        return okDelta && g.gamma >= -1e-10;
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('the Leisen–Reimer tree converges to the ALO price as steps increase', () => {
    fc.assert(
      fc.property(market, (m) => {
        if (m.type === 'call' ? m.q === 0 : m.r === 0) return true;
        const ref = americanPrice(m.type, m.S, m.K, m.T, m.r, m.q, m.vol);
        const isCall = m.type === 'call';
        const e = (n: number) =>
          Math.abs(americanTree(isCall, m.S, m.K, m.T, m.r, m.q, m.vol, n, false).price - ref);
        const e1 = e(101);
        const e2 = e(401);
        const e3 = e(1601);
        // First-order convergence: each 4x in steps cuts the error ~4x; allow slack for the
        // irregular early-exercise term and for errors already at the 1e-7 level.
        return e3 <= 1e-7 * ref + 1e-9 || (e3 < e1 && e2 <= e1 * 0.6 + 1e-7 && e3 <= e1 * 0.15 + 1e-7);
      }),
      { seed: SEED, numRuns: 25 },
    );
  });
});
