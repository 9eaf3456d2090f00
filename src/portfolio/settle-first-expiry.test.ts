/**
 * The mark's settlement before a line's earliest expiry (`PositionLine.firstExpiry`): it only counts
 * the live positions. Against the full scan (firstExpiry unknown) the book settles the same
 * positions at the same steps, pays the same cash and keeps the same lines — per-path expiries mixed
 * with NaN ones, positions that hold nothing, a restore from a snapshot in between. The count runs
 * in WebAssembly where the line's quantities live in the executor's memory (a book's first lines),
 * with the JavaScript loop's result.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testView } from '../../test/support/market-view.ts';
import { uniforms } from '../../test/support/uniform.ts';
import type { OptionTerms } from '../instruments/terms.ts';
import { pricingVol } from '../market/pricing-vol.ts';
import { useWasmKernels } from '../wasm/bs-kernel.ts';
import { createExecArena, ExecArena, LINE_ROWS } from '../wasm/exec-kernel.ts';
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

afterEach(() => {
  useWasmKernels(true);
  vi.restoreAllMocks();
});

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

  it('counts the live positions in WebAssembly as the JavaScript loop does (NaN counts, −0 does not)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 64, max: 301 }),
        fc.array(fc.constantFrom(0, -0, 1, -2.5, Number.NaN, 5e-324, -Infinity), {
          minLength: 1,
          maxLength: 9,
        }),
        fc.integer(),
        (n, values, seed) => {
          const arena = createExecArena(n, 1);
          if (!arena) throw new Error('no WebAssembly executor');
          const u = uniforms(seed);
          const qty = arena.f64();
          for (let p = 0; p < n; p++) qty[p] = values[Math.floor(u() * values.length)];
          let live = 0;
          for (let p = 0; p < n; p++) if (qty[p] !== 0) live++;
          return arena.countLive(qty) === live && arena.countLive(new Float64Array(n)) === -1;
        },
      ),
      { numRuns: 300, seed: 20261204 },
    );
  });

  it('keeps a book’s first option lines’ quantities in the executor’s memory and marks as without it', () => {
    const n = 100;
    const count = vi.spyOn(ExecArena.prototype, 'countLive');
    const view0 = testView(assets, [100], { nPaths: n, t: 0 });
    // Lines beyond bookOf's two: the memory has rows for two of them next to a running stepper's and
    // sink's arrays; a bare book leaves it more, but not room for a dozen.
    const make = () => {
      const b = bookOf(5, n);
      for (let k = 0; k < 12; k++) b.openLine(k % 2 ? put : call, view0, 80 + 3 * k, 0.5);
      return b;
    };
    const wasm = make();
    useWasmKernels(false);
    const js = make();
    useWasmKernels(true);
    const exec = wasm.exec;
    if (!exec) throw new Error('no WebAssembly executor');
    const inMemory = wasm.lines.map((l) => exec.holds(l.qty));
    // LINE_ROWS: a quantity and a Δ row for each of two lines.
    expect(LINE_ROWS).toBe(4);
    expect(inMemory.slice(0, 2)).toEqual([true, true]);
    expect(wasm.lines.slice(0, 2).map((l) => exec.holds(l.greeks.delta))).toEqual([true, true]);
    expect(inMemory[inMemory.length - 1]).toBe(false);
    for (const b of [wasm, js])
      b.lines.forEach((line, k) => {
        for (let p = k % 3; p < n; p += 3) line.qty[p] = k % 4 === 0 ? 0 : -1;
      });
    const view = testView(assets, [], {
      nPaths: n,
      t: 0.02,
      step: 2,
      spot: [Float64Array.from({ length: n }, (_, p) => 80 + (40 * p) / n)],
    });
    wasm.mark(view, vols);
    js.mark(view, vols);
    // Counted in WebAssembly for the lines in its memory (none is due at t = 0.02 < 0.05).
    expect(count.mock.results.filter((r) => r.value >= 0).length).toBe(inMemory.filter(Boolean).length);
    // Greeks zeroed where nothing is held (the count says which lines have such paths), values equal.
    expect(wasm.lines.length).toBe(js.lines.length);
    wasm.lines.forEach((line, k) => {
      expect(Array.from(line.greeks.delta)).toEqual(Array.from(js.lines[k].greeks.delta));
      expect(Array.from(line.greeks.price)).toEqual(Array.from(js.lines[k].greeks.price));
    });
    expect(Array.from(wasm.value)).toEqual(Array.from(js.value));
  });
});
