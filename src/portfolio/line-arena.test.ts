/**
 * A one-path book's LineArena: every line's arrays are length-1 views of its slot; growth keeps every
 * value and re-binds the lines opened before it; writing through one line never touches another;
 * snapshot and restore round-trip a book whose arena grew (into a fresh book, which grows its own).
 */
import { describe, expect, it } from 'vitest';
import { testView } from '../../test/support/market-view.ts';
import type { OptionTerms } from '../instruments/terms.ts';
import { Book } from './book.ts';
import { LineArena } from './line-arena.ts';
import { PositionLine } from './position-line.ts';

const assets = [{ name: 'A', assetClass: 'equity' as const, spot: 100 }];
const view = testView(assets, [100], { step: 0, t: 0, dt: 0 });
const call: OptionTerms = { kind: 'option', asset: 0, type: 'call', style: 'european' };

/** Every per-path number of a line, in a fixed order. */
function numbers(l: PositionLine): number[] {
  const g = l.greeks;
  return [
    l.qty[0],
    l.strike[0],
    l.expiry[0],
    l.barrier[0],
    l.vol[0],
    l.knocked[0],
    g.price[0],
    g.delta[0],
    g.gamma[0],
    g.vega[0],
    g.theta[0],
    g.vanna[0],
    g.volga[0],
  ];
}

/** Writes distinct numbers derived from k into every field of a line. */
function fill(l: PositionLine, k: number): void {
  const g = l.greeks;
  [
    l.qty,
    l.strike,
    l.expiry,
    l.barrier,
    l.vol,
    g.price,
    g.delta,
    g.gamma,
    g.vega,
    g.theta,
    g.vanna,
    g.volga,
  ].forEach((a, f) => {
    a[0] = 1000 * k + f + 0.5;
  });
  l.knocked[0] = k % 2;
}

describe('LineArena', () => {
  it('binds length-1 views of a slot, grows keeping every value, and re-bound lines see their own', () => {
    const arena = new LineArena(2);
    const lines: PositionLine[] = [];
    for (let s = 0; s < 9; s++) {
      if (s >= arena.capacity) {
        const before = arena.capacity;
        arena.grow();
        expect(arena.capacity).toBe(2 * before);
        lines.forEach((l, k) => {
          arena.bind(l, k);
        });
      }
      const l = new PositionLine(1, arena, s);
      expect(l.slot).toBe(s);
      expect(l.qty.length).toBe(1);
      expect(l.greeks.volga.length).toBe(1);
      fill(l, s);
      lines.push(l);
    }
    expect(arena.capacity).toBe(16);
    lines.forEach((l, k) => {
      const want = numbers(l);
      expect(want[0]).toBe(1000 * k + 0.5);
      // The slot's entries of the arena's arrays are the line's numbers.
      expect([arena.qty[k], arena.price[k], arena.volga[k], arena.knocked[k]]).toEqual([
        want[0],
        want[6],
        want[12],
        want[5],
      ]);
    });
    // Writing through one line leaves its neighbours alone.
    lines[4].greeks.delta[0] = -1;
    lines[4].qty[0] = -2;
    expect(numbers(lines[3])[7]).toBe(3006.5);
    expect(numbers(lines[5])[0]).toBe(5000.5);
    expect(arena.delta[4]).toBe(-1);
  });

  it('is what a one-path book uses: lines past the first capacity, snapshot and restore', () => {
    const book = new Book(1, assets, 1000);
    const arena = book.arena;
    if (arena === undefined) throw new Error('a one-path book has an arena');
    const first = arena.capacity;
    const ids: number[] = [];
    for (let k = 0; k < first + 10; k++) {
      const id = book.openLine(call, view, 80 + k, 1);
      const line = book.line(id);
      if (!line) throw new Error('opened line missing');
      fill(line, k);
      ids.push(id);
    }
    expect(arena.capacity).toBe(2 * first);
    ids.forEach((id, k) => {
      const line = book.line(id);
      expect(line?.slot).toBe(k);
      expect(line && numbers(line)[1]).toBe(1000 * k + 1.5);
      expect(arena.strike[k]).toBe(1000 * k + 1.5);
    });
    const saved = book.snapshot();
    const copy = new Book(1, assets, 1000);
    copy.restore(saved);
    expect(copy.arena?.capacity).toBe(2 * first);
    expect(copy.lines.map((l) => l.id)).toEqual(book.lines.map((l) => l.id));
    copy.lines.forEach((l, k) => {
      expect(numbers(l)).toEqual(numbers(book.lines[k]));
      expect(l.slot).toBe(k);
    });
    // What the one-path loops read instead of the line objects: per slot asset, id, contract code
    // and call/put, and the slots of the lines in order.
    const A = copy.arena;
    if (A === undefined) throw new Error('a one-path book has an arena');
    const n = book.lines.length;
    for (const k of ['asset', 'id', 'code', 'callPut'] as const)
      expect(Array.from(A[k].subarray(0, n)), k).toEqual(Array.from(arena[k].subarray(0, n)));
    expect(Array.from(A.id.subarray(0, n))).toEqual(ids);
    expect(Array.from(A.callPut.subarray(0, n))).toEqual(ids.map(() => 1));
    expect(Array.from(copy.lineSlots.subarray(0, n))).toEqual(ids.map((_, k) => k));
    // The copy's lines live in the copy's arena, not the original's.
    copy.lines[0].qty[0] = 42;
    expect(book.lines[0].qty[0]).toBe(0.5);
    expect(copy.arena?.qty[0]).toBe(42);
  });

  it('is off for several paths or when asked', () => {
    expect(new Book(2, assets, 1000).arena).toBeUndefined();
    expect(new Book(1, assets, 1000, { lineArena: false }).arena).toBeUndefined();
    const own = new Book(1, assets, 1000, { lineArena: false });
    const line = own.line(own.openLine(call, view, 100, 1));
    expect(line?.slot).toBe(-1);
  });
});
