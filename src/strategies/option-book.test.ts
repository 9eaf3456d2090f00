/**
 * `linesExposure` on a one-path book (the live monitor's: its own loop, sums kept in locals) equals
 * the general per-path loop bit for bit: the same book laid out on two identical paths goes through
 * the general loop, and its path 0 must match (fast-check, seeded; NaN, ±0 and ±∞ included), with
 * the one-path book's lines in a LineArena (read by slot; up to 80 lines, so it grows) or not.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testView } from '../../test/support/market-view.ts';
import type { OptionTerms } from '../instruments/terms.ts';
import type { MarketView } from '../market/market-view.ts';
import { Book } from '../portfolio/book.ts';
import { greeksBlock } from '../portfolio/contract-pricer.ts';
import { linesExposure } from './option-book.ts';

const assets = [
  { name: 'A', assetClass: 'equity' as const, spot: 100 },
  { name: 'B', assetClass: 'equity' as const, spot: 50 },
];

function view(n: number): MarketView {
  return testView(assets, [100, 50], { nPaths: n, t: 0.1, dt: 0.1, dtNext: 0.1, stepsPerYear: 10 });
}

const num = fc.oneof(
  fc.constantFrom(0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  fc.double(),
  fc.double({ min: -1e3, max: 1e3 }),
);
const lineSpec = fc.record({
  asset: fc.integer({ min: 0, max: 1 }),
  qty: num,
  price: num,
  delta: num,
  gamma: num,
  vega: num,
  freed: fc.boolean(),
});

/** A book of `n` identical paths holding the given lines (some freed again); returns it and the ids. */
function book(
  n: number,
  specs: readonly (typeof lineSpec extends fc.Arbitrary<infer T> ? T : never)[],
  lineArena = true,
) {
  const b = new Book(n, assets, 100, { lineArena });
  const v = view(n);
  const ids = specs.map((s) => {
    const terms: OptionTerms = { kind: 'option', asset: s.asset, type: 'call', style: 'european' };
    const id = b.openLine(terms, v, 100, 1);
    const line = b.line(id);
    if (!line) throw new Error('opened line missing');
    line.qty.fill(s.freed ? 0 : 1);
    line.greeks.price.fill(s.price);
    line.greeks.delta.fill(s.delta);
    line.greeks.gamma.fill(s.gamma);
    line.greeks.vega.fill(s.vega);
    return id;
  });
  b.releaseEmpty(false); // frees the lines holding nothing: their ids no longer resolve
  // The quantities of the lines kept (0 included: a line may hold nothing and still be open).
  specs.forEach((s, k) => {
    b.line(ids[k])?.qty.fill(s.qty);
  });
  return { b, ids };
}

describe('linesExposure', () => {
  it('on one path equals the general loop bit for bit (the same book on two identical paths)', () => {
    fc.assert(
      fc.property(
        fc.array(lineSpec, { maxLength: 80, size: 'max' }),
        fc.integer({ min: 0, max: 1 }),
        fc.boolean(),
        fc.boolean(),
        (specs, asset, reversed, lineArena) => {
          const one = book(1, specs, lineArena);
          const two = book(2, specs);
          const ids = reversed ? [...one.ids].reverse() : one.ids;
          const g1 = greeksBlock(1);
          const g2 = greeksBlock(2);
          g1.price[0] = 7; // stale values must be overwritten
          linesExposure(one.b, ids, asset, g1);
          linesExposure(two.b, ids, asset, g2);
          for (const k of ['price', 'delta', 'gamma', 'vega'] as const) {
            expect(Object.is(g1[k][0], g2[k][0]), `${k}: ${g1[k][0]} vs ${g2[k][0]}`).toBe(true);
            expect(Object.is(g2[k][1], g2[k][0])).toBe(true);
          }
        },
      ),
      { seed: 20261203, numRuns: 300 },
    );
  });
});
