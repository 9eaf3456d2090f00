/**
 * The delta band of `rebalanceMask` on a one-path book (the live monitor's: every asset's line
 * notional in one pass, through the book's LineArena or each line's arrays) decides exactly as the
 * general per-path loop: the same book on two identical paths goes through the general loop, and its
 * path 0 must agree (fast-check, seeded).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testView } from '../../test/support/market-view.ts';
import type { OptionTerms } from '../instruments/terms.ts';
import type { MarketView } from '../market/market-view.ts';
import { Book } from './book.ts';
import { rebalanceMask } from './rebalance.ts';
import { TargetSink } from './target-sink.ts';

const assets = ['A', 'B', 'C'].map((name) => ({ name, assetClass: 'equity' as const, spot: 100 }));

function view(n: number, spots: readonly number[]): MarketView {
  return testView(assets, spots, { nPaths: n, step: 3, t: 0.1 });
}

const qty = fc.oneof(
  { arbitrary: fc.constantFrom(0, -0, 1e-300), weight: 1 },
  { arbitrary: fc.double({ min: -50, max: 50, noNaN: true }), weight: 1 },
  { arbitrary: fc.integer({ min: -50, max: 50 }), weight: 2 },
);
const input = fc.record({
  lines: fc.array(fc.record({ asset: fc.integer({ min: 0, max: 2 }), qty }), { maxLength: 8 }),
  // Units near the targets too (relative offsets of a few %), where the band's reference decides.
  units: fc.array(
    fc.oneof(
      { arbitrary: fc.double({ min: -20, max: 20, noNaN: true }), weight: 1 },
      { arbitrary: fc.integer({ min: -300, max: 300 }).map((r) => `rel:${r / 1000}`), weight: 3 },
    ),
    { minLength: 3, maxLength: 3 },
  ),
  targets: fc.array(
    fc.oneof(
      { arbitrary: fc.double({ min: -20, max: 20, noNaN: true }), weight: 1 },
      { arbitrary: fc.integer({ min: -2000, max: 2000 }).map((x) => x / 100), weight: 3 },
    ),
    { minLength: 3, maxLength: 3 },
  ),
  // Mostly one targeted asset, so that no other asset's trade hides its decision.
  has: fc.oneof(
    fc.integer({ min: 0, max: 2 }).map((a) => [0, 1, 2].map((b) => b === a)),
    fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
  ),
  spots: fc.array(fc.double({ min: 1, max: 200, noNaN: true }), { minLength: 3, maxLength: 3 }),
  deltaBand: fc.oneof(
    { arbitrary: fc.constantFrom(0, 1e-3), weight: 1 },
    { arbitrary: fc.double({ min: 0, max: 0.3, noNaN: true }), weight: 1 },
    { arbitrary: fc.integer({ min: 1, max: 300 }).map((x) => x / 1000), weight: 3 },
  ),
  band: fc.option(fc.double({ min: 0, max: 0.2, noNaN: true }), { nil: undefined }),
});

function mask(
  n: number,
  x: typeof input extends fc.Arbitrary<infer T> ? T : never,
  lineArena = true,
): Uint8Array {
  const book = new Book(n, assets, 1000, { lineArena });
  const v = view(n, x.spots);
  for (const l of x.lines) {
    const terms: OptionTerms = { kind: 'option', asset: l.asset, type: 'put', style: 'european' };
    book.line(book.openLine(terms, v, 100, 1))?.qty.fill(l.qty);
  }
  x.units.forEach((u, a) => {
    book.units[a].fill(typeof u === 'number' ? u : x.targets[a] * (1 + Number(u.slice(4))));
  });
  const sink = new TargetSink(book);
  sink.reset(v);
  x.targets.forEach((t, a) => {
    if (x.has[a]) sink.units(a).fill(t);
  });
  const out = new Uint8Array(n);
  rebalanceMask(
    { deltaBand: x.deltaBand, ...(x.band !== undefined ? { band: x.band } : {}) },
    v,
    book,
    sink,
    out,
  );
  return out;
}

describe('rebalanceMask: delta band', () => {
  it('on one path decides as the general loop does (the same book on two identical paths)', () => {
    fc.assert(
      fc.property(input, fc.boolean(), (x, lineArena) => {
        const one = mask(1, x, lineArena);
        const two = mask(2, x);
        expect(one[0]).toBe(two[0]);
        expect(two[1]).toBe(two[0]);
      }),
      { seed: 20261203, numRuns: 400 },
    );
  });

  it('trades an asset whose units are off by more than the band times its lines’ notional', () => {
    // 10 short puts on B: notional 10; units 0 against a target of 0.5 is 5 % of it.
    const base = {
      lines: [{ asset: 1, qty: -10 }],
      units: [0, 0, 0],
      targets: [0, 0.5, 0],
      has: [false, true, false],
      spots: [100, 100, 100],
      band: undefined,
    };
    expect(mask(1, { ...base, deltaBand: 0.04 })[0]).toBe(1);
    expect(mask(1, { ...base, deltaBand: 0.06 })[0]).toBe(0);
    // No line on the asset: the band is relative to the target itself (|0.5 − 0.45| ≤ 0.2 × 0.5).
    const bare = { ...base, lines: [], units: [0, 0.45, 0] };
    expect(mask(1, { ...bare, deltaBand: 0.2 })[0]).toBe(0);
    expect(mask(1, { ...bare, deltaBand: 0.05 })[0]).toBe(1);
  });
});
