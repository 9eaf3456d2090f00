import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type Book,
  BookFileError,
  type BookHedgeReport,
  bookGreeks,
  bookHedge,
  contractGreeks,
  loadBookFile,
  type Position,
  parseBookFile,
} from '../api.ts';
import { optionGridHedges } from '../hedging/hedge-instruments.ts';
import { bookHedgeProblem } from './book-hedge-problem.ts';

const EXAMPLE = new URL('../../examples/book.yaml', import.meta.url).pathname;
const TEXT = readFileSync(EXAMPLE, 'utf8');
const variant = (...edits: [string, string][]) => {
  let t = TEXT;
  for (const [a, b] of edits) {
    expect(t, `example text contains ${a}`).toContain(a);
    t = t.replace(a, b);
  }
  return parseBookFile(t, 'variant.yaml');
};

/** The book with the plan's trades booked as positions (contracts rebuilt from the report). */
function bookAfter(book: Book, r: BookHedgeReport): Book {
  const trades: Position[] = r.trades.map((t) => {
    const asset = book.assets.findIndex((a) => a.name === t.asset);
    if (t.kind === 'underlying')
      return {
        name: t.id,
        contract: { id: t.id, terms: { kind: 'asset', asset }, strike: 0, expiry: Number.POSITIVE_INFINITY },
        quantity: t.quantity,
      };
    if (t.kind !== 'option') throw new Error(`not re-bookable here: ${t.kind}`);
    return {
      name: t.id,
      contract: {
        id: t.id,
        terms: { kind: 'option', asset, type: t.type!, style: 'european' },
        strike: t.strike!,
        expiry: t.expiry!,
      },
      quantity: t.quantity,
    };
  });
  return { ...book, positions: [...book.positions, ...trades] };
}

/** Post-trade exposures recomputed by the risk module in the report's bucket order (SPX only). */
function exposuresAfter(lb: ReturnType<typeof loadBookFile>, r: BookHedgeReport): number[] {
  const g = bookGreeks(bookAfter(lb.book, r), { vegaEdges: lb.vegaEdges }).perAsset[0];
  return [g.delta, g.cashGamma, ...g.vegaBuckets.map((v) => v / 100)];
}

const within = (x: number, lo: number | null, hi: number | null, tol = 1e-6) =>
  (lo === null || x >= lo - tol * Math.max(1, Math.abs(lo))) &&
  (hi === null || x <= hi + tol * Math.max(1, Math.abs(hi)));

describe('bookHedge on examples/book.yaml', () => {
  it('meets every band: post-trade exposures recomputed from the booked trades lie in their bands', async () => {
    const lb = loadBookFile(EXAMPLE);
    const r = await bookHedge(lb);
    expect(r.status).toBe('optimal');
    expect(r.residualNorm).toBe(0);
    expect(r.buckets.map((b) => b.name)).toEqual([
      'SPX delta',
      'SPX gamma',
      'SPX vega ≤1M',
      'SPX vega 1M–3M',
      'SPX vega 3M–6M',
      'SPX vega 6M–1Y',
      'SPX vega >1Y',
    ]);
    // before = the book's own Greeks in the report's units
    const g0 = bookGreeks(lb.book, { vegaEdges: lb.vegaEdges }).perAsset[0];
    expect(r.buckets.map((b) => b.before)).toEqual([
      g0.delta,
      g0.cashGamma,
      ...g0.vegaBuckets.map((v) => v / 100),
    ]);
    expect(r.buckets[0].before).toBeGreaterThan(25); // the book starts outside its bands
    const after = exposuresAfter(lb, r);
    r.buckets.forEach((b, i) => {
      expect(within(after[i], b.lo, b.hi), `${b.name}: ${after[i]} in [${b.lo}, ${b.hi}]`).toBe(true);
      expect(after[i]).toBeCloseTo(b.after, 6);
    });
    // whole lots within the size limits, and the cost from the quotes
    const spx = lb.book.assets[0];
    let cost = 0;
    for (const t of r.trades) {
      expect(Number.isInteger(t.lots!)).toBe(true);
      if (t.kind === 'option') {
        expect(Math.abs(t.quantity)).toBeLessThanOrEqual(2000);
        expect(t.lots).toBe(t.quantity / 10);
        const v = contractGreeks(
          {
            id: t.id,
            terms: { kind: 'option', asset: 0, type: t.type!, style: 'european' },
            strike: t.strike!,
            expiry: t.expiry!,
          },
          spx,
          lb.book.rate,
        ).vega;
        expect(t.unitCost).toBeCloseTo(0.5 * 0.5 * 0.01 * v + 2.5 / 10, 10);
      } else {
        expect(t.kind).toBe('underlying');
        expect(t.unitCost).toBeCloseTo(0.5 * 0.5e-4 * 5000, 12);
      }
      cost += t.unitCost * Math.abs(t.quantity);
    }
    expect(r.cost).toBeCloseTo(cost, 8);
    expect(r.cost).toBeGreaterThan(0);
    expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
  });

  it('a book already inside its bands trades nothing', async () => {
    const lb = variant(
      ['delta: { SPX: 25 }', 'delta: { SPX: 1000 }'],
      ['gamma: { SPX: [-2500, 2500] }', 'gamma: { SPX: [-20000, 20000] }'],
      ['buckets: [300, 300, 400, 400, 400]', 'buckets: [2000, 2000, 2000, 2000, 2000]'],
    );
    const r = await bookHedge(lb);
    expect(r.status).toBe('optimal');
    expect(r.trades).toEqual([]);
    expect(r.cost).toBe(0);
    for (const b of r.buckets) expect(b.after).toBe(b.before);
  });

  it('bands out of reach of the size limits give a best-effort plan with residuals and binding limits, no throw', async () => {
    const lb = variant(
      ['maxQty: 5000, lotSize: 1 }', 'maxQty: 100, lotSize: 1 }'],
      ['maxQty: 2000 ', 'maxQty: 10 '],
    );
    const r = await bookHedge(lb, { frontier: 3 });
    expect(r.status).toBe('best-effort');
    expect(r.residualNorm).toBeGreaterThan(0);
    const delta = r.buckets[0];
    expect(delta.residual).toBeGreaterThan(0); // still long delta above the band
    expect(delta.residual).toBeCloseTo(delta.after - 25, 9);
    // the underlying is sold to its limit
    expect(r.binding).toContainEqual({ kind: 'size-min', name: 'SPX', limit: -100 });
    expect(r.trades.find((t) => t.id === 'SPX')?.quantity).toBe(-100);
    // residual = Σ w·|violation|, delta weighted by the spot (default)
    const norm = r.buckets.reduce((s, b) => s + b.weight * Math.abs(b.residual), 0);
    expect(r.residualNorm).toBeCloseTo(norm, 6);
    expect(delta.weight).toBe(5000);
    expect(r.frontier?.length).toBe(3);
    expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
  });

  it('the frontier: n points, cost rising, weighted residual non-increasing, ending at the plan', async () => {
    const r = await bookHedge(loadBookFile(EXAMPLE), { frontier: 5 });
    const f = r.frontier!;
    expect(f.length).toBe(5);
    for (let k = 1; k < f.length; k++) {
      expect(f[k].budget).toBeGreaterThan(f[k - 1].budget);
      expect(f[k].cost).toBeLessThanOrEqual(f[k].budget + 1e-6);
      expect(f[k].residualNorm).toBeLessThanOrEqual(f[k - 1].residualNorm + 1e-6);
    }
    expect(f[0].cost).toBe(0);
    expect(f[0].residualNorm).toBeGreaterThan(0);
    expect(f[4].residualNorm).toBe(0);
    expect(f[4].cost).toBeCloseTo(r.cost, 9);
    expect(f[4].status).toBe('optimal');
  });

  it('a book without a hedge section is an error naming the file', async () => {
    const lb = parseBookFile(TEXT.slice(0, TEXT.indexOf('\nhedge:')), 'nohedge.yaml');
    await expect(bookHedge(lb)).rejects.toThrow(BookFileError);
    await expect(bookHedge(lb)).rejects.toThrow(/^nohedge\.yaml: hedge: is required by `hedgekit hedge`/);
  });
});

describe('bookHedgeProblem', () => {
  const FLAT = `rate: 0.03
assets:
  - { name: X, spot: 100, carry: 0.01, vol: 0.25 }
positions:
  - { instrument: option, asset: X, type: put, strike: 95, expiry: 0.5, quantity: 1000 }
vegaBuckets: [3M, 1Y]
hedge:
  targets: { delta: { X: 10 } }
  instruments:
    X:
      futures: [{ expiry: 0.5, spreadBps: 2, multiplier: 50 }, { kind: forward, expiry: 1 }]
      options: { types: [call], strikes: [0.9, 1.1], expiries: [0.25, 2], spread: { price: 0.1 } }
`;

  it('with a flat vol the grid options carry the BSM Greeks of optionGridHedges, in report units', () => {
    const lb = parseBookFile(FLAT);
    const p = bookHedgeProblem(lb.book, bookGreeks(lb.book, { vegaEdges: lb.vegaEdges }), lb.hedge!);
    // buckets: delta, gamma, vega ≤3M, 3M–1Y, >1Y
    expect(p.buckets.map((b) => b.name)).toEqual([
      'X delta',
      'X gamma',
      'X vega ≤3M',
      'X vega 3M–1Y',
      'X vega >1Y',
    ]);
    const market = { name: 'X', spot: 100, rate: 0.03, dividend: 0.01, vol: 0.25 };
    const ref = optionGridHedges(
      market,
      { types: ['call'], strikePct: [90, 110], expiries: [0.25, 2] },
      {
        nBuckets: 5,
        delta: 0,
        gamma: 1,
        vega: [
          { maxExpiry: 0.25, bucket: 2 },
          { maxExpiry: 1, bucket: 3 },
          { maxExpiry: Infinity, bucket: 4 },
        ],
      },
    );
    const scale = [1, 100, 0.01, 0.01, 0.01]; // cash gamma = Γ·S²/100; vega per point
    const opts = p.problem.instruments.slice(2);
    expect(opts.map((x) => x.id)).toEqual(ref.map((x) => x.id));
    opts.forEach((x, i) => {
      for (let b = 0; b < 5; b++) expect(x.exposure[b]).toBeCloseTo(ref[i].exposure[b] * scale[b], 10);
      expect(x.spread).toEqual({ kind: 'price', spread: 0.1 });
    });
    expect(p.instruments[2]).toMatchObject({ kind: 'option', type: 'call', strike: 90, expiry: 0.25 });
  });

  it('a future has Δ = e^{(r−q)T} and a forward e^{−qT}; spreads in bp of the forward price; open buckets', () => {
    const lb = parseBookFile(FLAT);
    const p = bookHedgeProblem(lb.book, bookGreeks(lb.book, { vegaEdges: lb.vegaEdges }), lb.hedge!);
    const [fut, fwd] = p.problem.instruments;
    expect(fut.exposure[0]).toBeCloseTo(Math.exp(0.02 * 0.5), 14);
    expect(fwd.exposure[0]).toBeCloseTo(Math.exp(-0.01), 14);
    expect(fut.spread?.kind).toBe('price');
    expect(fut.spread?.kind === 'price' && fut.spread.spread).toBeCloseTo(
      2e-4 * 100 * Math.exp(0.02 * 0.5),
      15,
    );
    expect(p.instruments[0]).toMatchObject({ kind: 'future', multiplier: 50, expiry: 0.5 });
    // only delta has a band; the others are tracked with an open band and no weight
    expect(p.problem.buckets[0]).toEqual({ name: 'X delta', lo: -10, hi: 10, weight: 100 });
    expect(p.problem.buckets[1]).toEqual({ name: 'X gamma', lo: -Infinity, hi: Infinity, weight: 0 });
  });
});
