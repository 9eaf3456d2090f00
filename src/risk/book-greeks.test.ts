import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Contract } from '../instruments/terms.ts';
import {
  type Book,
  bookGreeks,
  bucketLabels,
  DEFAULT_VEGA_EDGES,
  PositionError,
  vegaBucket,
} from './book-greeks.ts';

interface FixBook {
  rate: number;
  assets: { name: string; spot: number; carry: number; vol: number; beta: number }[];
  positions: {
    name: string;
    asset: string;
    instrument: 'option' | 'forward' | 'asset';
    type?: 'call' | 'put';
    strike?: number;
    expiry?: number;
    quantity: number;
  }[];
  vegaEdges: number[];
  perAsset: Record<string, number | number[] | string>[];
  betaIndex: string;
  betaWeightedDelta: { cash: number; units: number };
}
const FIX = JSON.parse(
  readFileSync(new URL('../../test/fixtures/quantlib/book-greeks.json', import.meta.url), 'utf8'),
) as { book: FixBook; tolerance: { book: { rel: number } } };

function fixtureBook(): Book {
  const b = FIX.book;
  const idx = (name: string) => b.assets.findIndex((a) => a.name === name);
  return {
    rate: b.rate,
    assets: b.assets,
    positions: b.positions.map((p) => {
      const asset = idx(p.asset);
      const contract: Contract =
        p.instrument === 'asset'
          ? { id: p.name, terms: { kind: 'asset', asset }, strike: 0, expiry: Number.POSITIVE_INFINITY }
          : p.instrument === 'forward'
            ? { id: p.name, terms: { kind: 'forward', asset }, strike: p.strike!, expiry: p.expiry! }
            : {
                id: p.name,
                terms: { kind: 'option', asset, type: p.type!, style: 'european' },
                strike: p.strike!,
                expiry: p.expiry!,
              };
      return { name: p.name, contract, quantity: p.quantity };
    }),
  };
}

const close = (got: number, want: number, rel: number, what: string) =>
  expect(Math.abs(got - want), `${what}: ${got} vs ${want}`).toBeLessThanOrEqual(rel * Math.abs(want) + 1e-9);

describe('book Greeks of the QuantLib fixture book (index options, commodity forward, bond holding)', () => {
  const g = bookGreeks(fixtureBook(), { vegaEdges: FIX.book.vegaEdges, betaIndex: FIX.book.betaIndex });
  const rel = FIX.tolerance.book.rel;
  it('per-asset delta, cash delta, cash gamma, bucketed vega, theta per day, vanna, volga, rho match', () => {
    FIX.book.perAsset.forEach((want, i) => {
      const got = g.perAsset[i];
      expect(got.asset).toBe(want.asset);
      for (const k of [
        'value',
        'delta',
        'cashDelta',
        'gamma',
        'cashGamma',
        'vega',
        'theta',
        'thetaPerDay',
        'vanna',
        'volga',
        'rho',
      ] as const)
        close(got[k], want[k] as number, rel, `${want.asset} ${k}`);
      (want.vegaBuckets as number[]).forEach((v, j) => {
        close(got.vegaBuckets[j], v, rel, `${want.asset} bucket ${j}`);
      });
    });
  });
  it('beta-weighted delta to the index, in cash and in index units', () => {
    close(g.betaWeighted!.cash, FIX.book.betaWeightedDelta.cash, rel, 'cash');
    close(g.betaWeighted!.units, FIX.book.betaWeightedDelta.units, rel, 'units');
  });
  it('totals add the currency amounts of every asset', () => {
    close(
      g.total.cashDelta,
      g.perAsset.reduce((t, a) => t + a.cashDelta, 0),
      1e-14,
      'cash delta',
    );
    close(
      g.total.vega,
      g.total.vegaBuckets.reduce((t, v) => t + v, 0),
      1e-12,
      'vega = sum of buckets',
    );
    expect(g.positions.map((p) => p.name)).toEqual(FIX.book.positions.map((p) => p.name));
  });
});

describe('vega buckets', () => {
  it('assigns an expiry on an edge to the bucket below it (upper edge included)', () => {
    const e = DEFAULT_VEGA_EDGES;
    expect(vegaBucket(1 / 12, e)).toBe(0);
    expect(vegaBucket(1 / 12 + 1e-12, e)).toBe(1);
    expect(vegaBucket(0.25, e)).toBe(1);
    expect(vegaBucket(0.5, e)).toBe(2);
    expect(vegaBucket(1, e)).toBe(3);
    expect(vegaBucket(1 + 1e-12, e)).toBe(4);
    expect(vegaBucket(1e-6, e)).toBe(0);
  });
  it('labels the default buckets ≤1M, 1M–3M, 3M–6M, 6M–1Y, >1Y', () => {
    expect(bucketLabels(DEFAULT_VEGA_EDGES)).toEqual(['≤1M', '1M–3M', '3M–6M', '6M–1Y', '>1Y']);
    expect(bucketLabels([2 / 52, 2])).toEqual(['≤2W', '2W–2Y', '>2Y']);
  });
  it('a position exactly on an edge lands in the lower bucket of the book', () => {
    const b: Book = {
      rate: 0.02,
      assets: [{ name: 'X', spot: 100, carry: 0, vol: 0.2 }],
      positions: [0.25, 0.2500001].map((T, i) => ({
        name: `p${i}`,
        contract: {
          id: `p${i}`,
          terms: { kind: 'option', asset: 0, type: 'call', style: 'european' },
          strike: 100,
          expiry: T,
        },
        quantity: 1,
      })),
    };
    const g = bookGreeks(b);
    expect(g.total.vegaBuckets[1]).toBe(g.positions[0].vega);
    expect(g.total.vegaBuckets[2]).toBe(g.positions[1].vega);
  });
  it('rejects edges that are not increasing', () => {
    const b: Book = { rate: 0, assets: [], positions: [] };
    expect(() => bookGreeks(b, { vegaEdges: [0.5, 0.25] })).toThrow(
      'vegaEdges[1] (0.25) must be > vegaEdges[0] (0.5)',
    );
  });
});

describe('beta-weighted delta', () => {
  it('of a one-asset book with beta 1 equals its delta (units) and cash delta (cash)', () => {
    const b: Book = {
      rate: 0.03,
      assets: [{ name: 'SPX', spot: 5000, carry: 0.013, vol: 0.18, beta: 1 }],
      positions: [
        {
          name: 'put',
          contract: {
            id: 'put',
            terms: { kind: 'option', asset: 0, type: 'put', style: 'european' },
            strike: 4800,
            expiry: 0.4,
          },
          quantity: 10,
        },
        {
          name: 'spot',
          contract: {
            id: 'spot',
            terms: { kind: 'asset', asset: 0 },
            strike: 0,
            expiry: Number.POSITIVE_INFINITY,
          },
          quantity: 7,
        },
      ],
    };
    const g = bookGreeks(b, { betaIndex: 'SPX' });
    expect(g.betaWeighted!.units).toBeCloseTo(g.perAsset[0].delta, 12);
    expect(g.betaWeighted!.cash).toBeCloseTo(g.perAsset[0].cashDelta, 9);
  });
  it('needs a beta for every asset with delta other than the index', () => {
    const b: Book = {
      rate: 0,
      assets: [
        { name: 'I', spot: 100, carry: 0, vol: 0.2 },
        { name: 'Y', spot: 50, carry: 0, vol: 0.2 },
      ],
      positions: [
        {
          name: 'y',
          contract: {
            id: 'y',
            terms: { kind: 'asset', asset: 1 },
            strike: 0,
            expiry: Number.POSITIVE_INFINITY,
          },
          quantity: 1,
        },
      ],
    };
    expect(() => bookGreeks(b, { betaIndex: 'I' })).toThrow(
      'beta of Y (undefined) is required for beta-weighted delta',
    );
    expect(() => bookGreeks(b, { betaIndex: 'Z' })).toThrow(
      /betaIndex \("Z"\) must name an asset of the book \(I, Y\)/,
    );
  });
});

describe('an unpriceable position is an error naming it', () => {
  it('names the position and the reason', () => {
    const b: Book = {
      rate: 0.02,
      assets: [{ name: 'X', spot: 100, carry: 0, vol: 0.2 }],
      positions: [
        {
          name: 'bad put',
          contract: {
            id: 'bad',
            terms: { kind: 'option', asset: 0, type: 'put', style: 'european' },
            strike: -5,
            expiry: 1,
          },
          quantity: 1,
        },
      ],
    };
    expect(() => bookGreeks(b)).toThrow(PositionError);
    expect(() => bookGreeks(b)).toThrow('position "bad put": strike (-5) must be > 0');
  });
});
