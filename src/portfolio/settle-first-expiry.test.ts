/**
 * The mark's settlement before a line's earliest expiry (`PositionLine.firstExpiry`): it only counts
 * the live positions. Against the full scan (firstExpiry unknown) the book settles the same
 * positions at the same steps, pays the same cash and keeps the same lines — per-path expiries mixed
 * with NaN ones, positions that hold nothing, a restore from a snapshot in between.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testView } from '../../test/support/market-view.ts';
import { uniforms } from '../../test/support/uniform.ts';
import type { OptionTerms } from '../instruments/terms.ts';
import { pricingVol } from '../market/pricing-vol.ts';
import { Book } from './book.ts';

const assets = [{ name: 'A', assetClass: 'equity' as const, spot: 100 }];
const vols = pricingVol({ kind: 'constant', vol: 0.2 });
const put: OptionTerms = { kind: 'option', asset: 0, type: 'put', style: 'european' };
const call: OptionTerms = { kind: 'option', asset: 0, type: 'call', style: 'european' };

/** A book of n paths with two lines of per-path expiries (some NaN) and holdings (some 0). */
function bookOf(seed: number, n: number): Book {
  const u = uniforms(seed);
  const book = new Book(n, assets, 1000);
  const view = testView(assets, [100], { nPaths: n, t: 0 });
  for (const terms of [put, call]) {
    const expiry = Float64Array.from({ length: n }, () => {
      const x = u();
      return x < 0.05 ? Number.NaN : [0.05, 0.1, 0.1, 0.25][Math.floor(4 * u())];
    });
    const id = book.openLine(terms, view, 95 + 10 * u(), expiry);
    const qty = book.line(id)?.qty;
    if (qty) for (let p = 0; p < n; p++) qty[p] = u() < 0.2 ? 0 : 2 * u() - 1;
  }
  return book;
}

/** Everything the settlement writes, after a mark. */
function state(book: Book) {
  return {
    cash: Array.from(book.cash),
    value: Array.from(book.value),
    lines: book.lines.map((l) => ({ id: l.id, qty: Array.from(l.qty) })),
  };
}

/** Positions held over every line of `book`. */
const held = (book: Book) => book.lines.reduce((k, l) => k + l.qty.filter((q) => q !== 0).length, 0);

describe('settlement before a line’s earliest expiry', () => {
  it('settles what the full scan settles, at the same steps, also after a restore', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 64, max: 150 }), (seed, n) => {
        let fast = bookOf(seed, n);
        const full = bookOf(seed, n);
        const u = uniforms(seed + 1);
        let skipped = 0;
        let settledAfterRestore = 0;
        for (let step = 1; step <= 30; step++) {
          const t = step / 100;
          const view = testView(assets, [], {
            nPaths: n,
            t,
            step,
            spot: [Float64Array.from({ length: n }, () => 80 + 40 * u())],
          });
          for (const l of full.slots) l.firstExpiry = Number.NaN; // unknown: the full scan
          for (const l of fast.lines) if (l.firstExpiry - t > 1e-9) skipped++;
          const before = held(fast);
          fast.mark(view, vols);
          full.mark(view, vols);
          if (step > 7) settledAfterRestore += before - held(fast);
          expect(state(fast)).toEqual(state(full));
          if (step === 7) {
            // Continue from a snapshot: the restored lines know their earliest expiry again.
            const restored = new Book(n, assets, 1000);
            restored.restore(fast.snapshot());
            expect(restored.lines.map((l) => l.firstExpiry)).toEqual(fast.lines.map((l) => l.firstExpiry));
            fast = restored;
          }
        }
        // The shortcut was taken, and positions did settle after the restore (expiries 0.1 and 0.25).
        expect(skipped).toBeGreaterThan(0);
        expect(settledAfterRestore).toBeGreaterThan(0);
      }),
      { numRuns: 40, seed: 20261203 },
    );
  });
});
