/**
 * A mark without values (Book.mark's `values` false, several paths): the European options' Δ and
 * the Greeks asked for have the bits of an eager mark, `value` and the prices are left stale, and
 * `ensurePrice` then gives a line exactly the prices the eager mark wrote — expired, empty paths
 * zeroed as the mark zeroes them. The engine-level check (results bit-identical, the last step
 * priced) is src/engine/lazy-greeks.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { testView } from '../../test/support/market-view.ts';
import type { OptionTerms } from '../instruments/terms.ts';
import { pricingVol } from '../market/pricing-vol.ts';
import { Book } from './book.ts';
import { FIRST_ORDER } from './contract-pricer.ts';

const assets = [{ name: 'EQ', assetClass: 'equity' as const, spot: 100 }];
const N = 96;
const call: OptionTerms = { kind: 'option', asset: 0, type: 'call', style: 'european' };
const put: OptionTerms = { kind: 'option', asset: 0, type: 'put', style: 'european' };

/** A book of a call and a put, per-path expiries; path 1 of the call has expired and holds nothing. */
function book(): Book {
  const b = new Book(N, assets, 1000, { markGreeks: FIRST_ORDER });
  const v0 = testView(assets, [100], { nPaths: N, t: 0, step: 0 });
  const expiry = Float64Array.from({ length: N }, (_, p) => (p === 1 ? 0.005 : 0.25 + 0.01 * (p % 7)));
  const c = b.openLine(
    call,
    v0,
    Float64Array.from({ length: N }, (_, p) => 90 + p / 4),
    expiry,
  );
  const q = b.line(c);
  q?.qty.fill(2);
  if (q) q.qty[1] = 0;
  const pLine = b.line(b.openLine(put, v0, 95, 0.5));
  pLine?.qty.fill(-1);
  b.units[0].fill(3);
  return b;
}

function view() {
  const spot = Float64Array.from({ length: N }, (_, p) => 80 + (40 * ((p * 37) % N)) / N);
  return testView(assets, [100], { nPaths: N, t: 0.02, spot: [spot] });
}

const vols = pricingVol({ kind: 'constant', vol: 0.25 });
const bits = (a: Float64Array) => Array.from(a, (x) => (Object.is(x, -0) ? '-0' : x));

describe('Book.mark without values', () => {
  it('computes Δ, Γ and ν with an eager mark’s bits, leaves value and prices stale, and ensurePrice restores them', () => {
    const eager = book();
    const lazy = book();
    vols.reset(N, 1);
    const v = view();
    eager.mark(v, vols);
    lazy.mark(v, vols, undefined, false);
    expect(eager.valueStale).toBe(false);
    expect(lazy.valueStale).toBe(true);
    for (let k = 0; k < eager.lines.length; k++) {
      const e = eager.lines[k].greeks;
      const l = lazy.lines[k].greeks;
      expect(bits(l.delta)).toEqual(bits(e.delta));
      expect(bits(l.gamma)).toEqual(bits(e.gamma));
      expect(bits(l.vega)).toEqual(bits(e.vega));
      // The lazy mark never wrote a price: the lines' prices are still those of their opening (0).
      expect(l.price.every((x) => x === 0)).toBe(true);
      expect(e.price.some((x) => x > 0)).toBe(true);
    }
    expect(bits(lazy.value)).not.toEqual(bits(eager.value));
    for (const line of lazy.lines) lazy.ensurePrice(line);
    for (let k = 0; k < eager.lines.length; k++)
      expect(bits(lazy.lines[k].greeks.price)).toEqual(bits(eager.lines[k].greeks.price));
    // The expired, empty path of the call is zeroed, as the eager mark zeroes it.
    expect(eager.lines[0].greeks.price[1]).toBe(0);
    // On a book whose mark computed the values, ensurePrice changes nothing.
    const before = bits(eager.lines[0].greeks.price);
    eager.lines[0].greeks.price[3] = -7;
    eager.ensurePrice(eager.lines[0]);
    expect(eager.lines[0].greeks.price[3]).toBe(-7);
    expect(before[3]).not.toBe(-7);
  });

  it('a book of few paths (the vanilla batch) and a book without lines always compute their values', () => {
    const few = new Book(8, assets, 1000);
    const v8 = testView(assets, [100], { nPaths: 8, t: 0 });
    few.line(few.openLine(call, v8, 100, 1))?.qty.fill(1);
    vols.reset(8, 1);
    few.mark(testView(assets, [101], { nPaths: 8, t: 0.01 }), vols, undefined, false);
    expect(few.valueStale).toBe(false);
    expect(few.value[0]).toBeGreaterThan(1000);
    const plain = new Book(N, assets, 1000);
    plain.units[0].fill(1);
    vols.reset(N, 1);
    plain.mark(testView(assets, [101], { nPaths: N }), vols, undefined, false);
    expect(plain.valueStale).toBe(true);
    // No lines: nothing stale to price, but `value` is not computed either (no reader asked).
    expect(plain.value[0]).toBe(1000);
  });

  it('a snapshot keeps the flag; a restore of an older snapshot without it reads false', () => {
    const lazy = book();
    vols.reset(N, 1);
    lazy.mark(view(), vols, undefined, false);
    const copy = book();
    copy.restore(lazy.snapshot());
    expect(copy.valueStale).toBe(true);
    const { valueStale: _, ...older } = lazy.snapshot();
    copy.restore(older);
    expect(copy.valueStale).toBe(false);
  });
});
