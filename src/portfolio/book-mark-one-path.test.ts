/**
 * A one-path book's mark (settle's count inlined for lines without a barrier that are not due;
 * zeroFlat and the lines' values in one pass) equals the general mark bit for bit: the same book on
 * two identical paths goes through the general code, and its path 0 must match — value, cash,
 * every line's quantity, marks and Greeks, the lines still open and the settlements recorded; the
 * value is cash + Σ units·S + Σ qty·mark over the open lines, summed in revalue's order —
 * over random books with expiring, knocked and empty lines (fast-check, seeded), the one-path book
 * keeping its lines in a LineArena (the loops by slot) or not (the loops through each line's arrays).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testView } from '../../test/support/market-view.ts';
import type { DerivativeTerms } from '../instruments/terms.ts';
import type { MarketView } from '../market/market-view.ts';
import { pricingVol } from '../market/pricing-vol.ts';
import { Book } from './book.ts';
import { ALL_GREEKS } from './contract-pricer.ts';
import { Ledger } from './ledger.ts';

const assets = [
  { name: 'A', assetClass: 'equity' as const, spot: 100, carry: 0.01 },
  { name: 'B', assetClass: 'equity' as const, spot: 50 },
];

function view(n: number, t: number, spots: readonly number[]): MarketView {
  const f = () => new Float64Array(n);
  return testView(assets, spots, { nPaths: n, step: 7, t, end: 2, vol: [f().fill(0.2), f().fill(0.3)] });
}

const line = fc.record({
  asset: fc.integer({ min: 0, max: 1 }),
  kind: fc.constantFrom('call', 'put', 'down-out put', 'up-in call', 'forward', 'future'),
  strike: fc.integer({ min: 40, max: 160 }),
  /** Expiry relative to the mark's time: some due now (≤ 0), some between the marks, some later. */
  life: fc.oneof(fc.constantFrom(-0.01, 0, 1e-13, -0.1), fc.double({ min: 0.001, max: 2, noNaN: true })),
  barrier: fc.integer({ min: 30, max: 200 }),
  emptied: fc.boolean(),
  qty: fc.oneof(
    fc.constantFrom(0, -0),
    fc.integer({ min: -20, max: 20 }),
    fc.double({ min: -5, max: 5, noNaN: true }),
  ),
});

function terms(l: { asset: number; kind: string }): DerivativeTerms {
  const asset = l.asset;
  switch (l.kind) {
    case 'forward':
      return { kind: 'forward', asset };
    case 'future':
      return { kind: 'future', asset };
    case 'down-out put':
      return {
        kind: 'option',
        asset,
        type: 'put',
        style: 'european',
        barrier: { type: 'down-out', rebate: 1 },
      };
    case 'up-in call':
      return {
        kind: 'option',
        asset,
        type: 'call',
        style: 'european',
        barrier: { type: 'up-in', rebate: 0 },
      };
    default:
      return { kind: 'option', asset, type: l.kind === 'call' ? 'call' : 'put', style: 'european' };
  }
}

type Lines = (typeof line extends fc.Arbitrary<infer T> ? T : never)[];

function marked(n: number, lines: Lines, spots: readonly number[], all: boolean, lineArena = true) {
  const t = 0.5;
  const open = view(n, 0, [100, 50]);
  const book = new Book(n, assets, 1000, { lineArena, ...(all ? { markGreeks: ALL_GREEKS } : {}) });
  const ids = lines.map((l) => {
    const id = book.openLine(terms(l), open, l.strike, Math.max(0, t + l.life), l.barrier);
    book.line(id)?.qty.fill(l.qty);
    return id;
  });
  book.units[0].fill(3.25);
  book.units[1].fill(-1.5);
  const vols = pricingVol({ kind: 'constant', vol: [0.2, 0.3] });
  vols.reset(n, 2);
  const ledger = new Ledger(n, 0, [0]);
  // A first mark a quarter earlier prices every line then live; some then stop holding anything
  // (the second mark frees them and zeroes their stale marks where expired).
  book.mark(view(n, t - 0.25, [100, 50]), vols, ledger);
  lines.forEach((l, k) => {
    if (l.emptied) book.line(ids[k])?.qty.fill(0);
  });
  book.mark(view(n, t, spots), vols, ledger);
  return { book, ids, ledger };
}

describe('Book.mark on one path', () => {
  it.each([
    ['Γ and ν', false],
    ['every Greek', true],
  ])(
    'equals the general mark bit for bit (the same book on two identical paths; marks with %s)',
    (_, all) => {
      fc.assert(
        fc.property(
          // Up to 90 lines: past the LineArena's first capacity (64, so it grows while lines are
          // bound) and into the WebAssembly kernel's staged batches.
          fc.array(line, { maxLength: 90, size: 'max' }),
          fc.array(fc.integer({ min: 30, max: 200 }), { minLength: 2, maxLength: 2 }),
          fc.boolean(),
          (lines, spots, lineArena) => {
            const one = marked(1, lines, spots, all, lineArena);
            const two = marked(2, lines, spots, all);
            expect(one.book.arena !== undefined).toBe(lineArena);
            const same = (a: number, b: number, what: string) =>
              expect(Object.is(a, b), `${what}: ${a} vs ${b}`).toBe(true);
            same(one.book.value[0], two.book.value[0], 'value');
            same(one.book.cash[0], two.book.cash[0], 'cash');
            expect(one.book.lines.map((l) => l.id)).toEqual(two.book.lines.map((l) => l.id));
            one.book.slots.forEach((l, k) => {
              const m = two.book.slots[k];
              same(l.qty[0], m.qty[0], `qty ${k}`);
              same(l.strike[0], m.strike[0], `strike ${k}`);
              for (const g of ['price', 'delta', 'gamma', 'vega', 'theta', 'vanna', 'volga'] as const)
                same(l.greeks[g][0], m.greeks[g][0], `${g} ${k}`);
            });
            expect(one.ledger.records).toEqual(two.ledger.records);
            // …and the value is revalue's: cash + Σ units·S, then Σ qty·mark over the open lines in order.
            let v = one.book.cash[0] + 3.25 * spots[0] + -1.5 * spots[1];
            for (const l of one.book.lines) if (l.qty[0] !== 0) v += l.qty[0] * l.greeks.price[0];
            same(one.book.value[0], v, 'value by revalue');
          },
        ),
        { seed: 20261203, numRuns: 300 },
      );
    },
  );
});
