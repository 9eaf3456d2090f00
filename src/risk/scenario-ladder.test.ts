import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Book } from './book-greeks.ts';
import { bookGreeks } from './book-greeks.ts';
import { contractValue } from './contract-value.ts';
import { bookValue, DEFAULT_SPOT_SHOCKS, DEFAULT_VOL_SHOCKS, scenarioLadder } from './scenario-ladder.ts';

const INF = Number.POSITIVE_INFINITY;
const BOOK: Book = {
  rate: 0.04,
  assets: [
    {
      name: 'IDX',
      spot: 5000,
      carry: 0.015,
      vol: { base: 0.18, smile: { skew: -0.9, curvature: 0.6, termSlope: 0.01 } },
      beta: 1,
    },
    { name: 'OIL', spot: 70, carry: 0.03, vol: 0.35, beta: 0.4 },
    { name: 'BND', spot: 98, carry: 0.03, vol: 0.05, beta: -0.1 },
  ],
  positions: [
    {
      name: 'IDX put 4500 3M',
      contract: {
        id: 'a',
        terms: { kind: 'option', asset: 0, type: 'put', style: 'european' },
        strike: 4500,
        expiry: 0.25,
      },
      quantity: 100,
    },
    {
      name: 'IDX call 5500 1Y',
      contract: {
        id: 'b',
        terms: { kind: 'option', asset: 0, type: 'call', style: 'european' },
        strike: 5500,
        expiry: 1,
      },
      quantity: -60,
    },
    {
      name: 'IDX DO put',
      contract: {
        id: 'c',
        terms: {
          kind: 'option',
          asset: 0,
          type: 'put',
          style: 'european',
          barrier: { type: 'down-out', rebate: 0 },
        },
        strike: 4800,
        expiry: 0.5,
        barrier: 4000,
      },
      quantity: 40,
    },
    {
      name: 'IDX american put',
      contract: {
        id: 'd',
        terms: { kind: 'option', asset: 0, type: 'put', style: 'american' },
        strike: 4900,
        expiry: 0.1,
      },
      quantity: 20,
    },
    {
      name: 'OIL fwd',
      contract: { id: 'e', terms: { kind: 'forward', asset: 1 }, strike: 72, expiry: 0.75 },
      quantity: 10000,
    },
    {
      name: 'BND',
      contract: { id: 'f', terms: { kind: 'asset', asset: 2 }, strike: 0, expiry: INF },
      quantity: 20000,
    },
  ],
};

describe('scenario ladder by full repricing', () => {
  const ladder = scenarioLadder(BOOK);
  it('uses the default axes −30 % … +20 % × −10 … +20 vol points', () => {
    expect(ladder.spotShocks).toEqual(DEFAULT_SPOT_SHOCKS);
    expect(ladder.volShocks).toEqual(DEFAULT_VOL_SHOCKS);
    expect(ladder.pnl.length).toBe(DEFAULT_SPOT_SHOCKS.length);
  });
  it('is exactly 0 at zero shock without a time shift', () => {
    expect(ladder.pnl[DEFAULT_SPOT_SHOCKS.indexOf(0)][DEFAULT_VOL_SHOCKS.indexOf(0)]).toBe(0);
    expect(ladder.baseValue).toBe(bookValue(BOOK));
  });
  it('a ladder point equals direct repricing of every position under the shocked inputs', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -0.5, max: 0.5, noNaN: true }),
        fc.double({ min: -10, max: 30, noNaN: true }),
        fc.integer({ min: 0, max: 60 }),
        fc.constantFrom(undefined, 'IDX', 'OIL'),
        (s, v, days, only) => {
          const l = scenarioLadder(BOOK, {
            spotShocks: [s],
            volShocks: [v],
            timeShiftDays: days,
            ...(only ? { asset: only } : {}),
          });
          let direct = 0;
          for (const p of BOOK.positions) {
            const a = BOOK.assets[p.contract.terms.asset];
            const hit = only === undefined || a.name === only;
            const c =
              p.contract.terms.kind === 'asset'
                ? p.contract
                : { ...p.contract, expiry: p.contract.expiry - days / 365 };
            direct +=
              p.quantity *
              contractValue(c, hit ? { ...a, spot: a.spot * (1 + s), volShift: v / 100 } : a, BOOK.rate);
          }
          const want = direct - bookValue(BOOK);
          expect(Math.abs(l.pnl[0][0] - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
        },
      ),
      { seed: 42, numRuns: 25 },
    );
  });
  it('symmetric small shocks of the ladder reproduce delta, gamma and vega (central differences)', () => {
    const g = bookGreeks(BOOK).perAsset[0];
    const h = 1e-3; // relative spot shock: O(h²) ≈ 1e-6 relative error of a central difference
    const l = scenarioLadder(BOOK, { spotShocks: [-h, h], volShocks: [-0.01, 0, 0.01], asset: 'IDX' });
    const dS = h * 5000;
    const [dn, up] = [l.pnl[0][1], l.pnl[1][1]];
    expect(Math.abs((up - dn) / (2 * dS) - g.delta)).toBeLessThan(1e-4 * Math.abs(g.delta));
    expect(Math.abs((up + dn) / (dS * dS) - g.gamma)).toBeLessThan(1e-3 * Math.abs(g.gamma));
    const vega = scenarioLadder(BOOK, { spotShocks: [0], volShocks: [-0.01, 0.01], asset: 'IDX' }).pnl[0];
    expect(Math.abs((vega[1] - vega[0]) / 2e-4 - g.vega)).toBeLessThan(1e-5 * Math.abs(g.vega));
  });
  it('a time shift alone gives the carry: ~theta per day × days', () => {
    const g = bookGreeks(BOOK);
    const l = scenarioLadder(BOOK, { spotShocks: [0], volShocks: [0], timeShiftDays: 1 });
    expect(Math.abs(l.pnl[0][0] - g.total.thetaPerDay)).toBeLessThan(0.02 * Math.abs(g.total.thetaPerDay));
  });
  it('rejects a spot shock of −100 % and an unknown asset', () => {
    expect(() => scenarioLadder(BOOK, { spotShocks: [-1] })).toThrow('spotShocks[0] (-1) must be > -1');
    expect(() => scenarioLadder(BOOK, { asset: 'GOLD' })).toThrow(
      /asset \("GOLD"\) must name an asset of the book \(IDX, OIL, BND\)/,
    );
  });
});
