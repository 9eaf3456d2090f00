import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testView } from '../../test/support/market-view.ts';
import { uniforms } from '../../test/support/uniform.ts';
import type { OptionTerms } from '../instruments/terms.ts';
import type { AssetClass } from '../market/asset.ts';
import { pricingVol } from '../market/pricing-vol.ts';
import { useWasmKernels } from '../wasm/bs-kernel.ts';
import { ExecArena } from '../wasm/exec-kernel.ts';
import { Book } from './book.ts';

const CLASSES: AssetClass[] = ['equity', 'bond', 'commodity'];
const vols = pricingVol({ kind: 'constant', vol: 0.2 });

/** A value from u ∈ [0, 1): mostly ordinary, sometimes −0, 0, NaN or negative (cash below zero). */
function cashValue(u: number, x: number): number {
  if (u < 0.03) return Number.NaN;
  if (u < 0.06) return -0;
  if (u < 0.09) return 0;
  return x;
}

function twin(
  seed: number,
  n: number,
  carries: number[],
  financed: boolean,
  spread: number,
  withLine: boolean,
) {
  const u = uniforms(seed);
  const assets = carries.map((carry, a) => ({ name: `A${a}`, assetClass: CLASSES[a], spot: 100, carry }));
  const make = () =>
    new Book(n, assets, 100, { financing: financed ? 'financed' : 'unfinanced', borrowSpread: spread });
  const books = [make(), make()];
  const cash = Float64Array.from({ length: n }, () => cashValue(u(), 200 * (u() - 0.4)));
  const units = assets.map(() => Float64Array.from({ length: n }, () => (u() < 0.1 ? 0 : 3 * (u() - 0.3))));
  const prev = assets.map(() => Float64Array.from({ length: n }, () => 50 + 100 * u()));
  const spot = assets.map(() => Float64Array.from({ length: n }, () => 50 + 100 * u()));
  for (const b of books) {
    b.cash.set(cash);
    for (let a = 0; a < units.length; a++) b.units[a].set(units[a]);
  }
  const view = testView(assets, [], {
    nPaths: n,
    rate: 0.03,
    spot,
    vol: assets.map(() => new Float64Array(n).fill(0.2)),
  });
  if (withLine) {
    const put: OptionTerms = { kind: 'option', asset: 0, type: 'put', style: 'european' };
    for (const b of books) b.openLine(put, view, 95, 1);
  }
  return { books, prev, view };
}

afterEach(() => {
  useWasmKernels(true);
  vi.restoreAllMocks();
});

describe('Book.accrueAndMark', () => {
  it('gives the bits of accrue then mark (3 assets, no lines: the fused pass; otherwise the two)', () => {
    // Books of 64 paths or more keep their arrays in an ExecArena: the fused pass of 3 assets then
    // runs in WebAssembly (counted below), odd path counts included.
    const spy = vi.spyOn(ExecArena.prototype, 'accrueMark3');
    fc.assert(
      fc.property(
        fc.integer(),
        fc.oneof(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 64, max: 131 })),
        fc.array(fc.constantFrom(0, 0, 0.01, -0.02, 0.035), { minLength: 3, maxLength: 3 }),
        fc.boolean(),
        fc.constantFrom(0, 0.015),
        fc.constantFrom(0.01, 1 / 252),
        fc.double({ min: -0.05, max: 0.1, noNaN: true }),
        fc.boolean(),
        (seed, n, carries, financed, spread, dt, rate, withLine) => {
          const { books, prev, view } = twin(seed, n, carries, financed, spread, withLine);
          const [fused, ref] = books;
          fused.accrueAndMark(dt, rate, prev, view, vols);
          ref.accrue(dt, rate, prev);
          ref.mark(view, vols);
          expect(Array.from(fused.cash)).toEqual(Array.from(ref.cash));
          expect(Array.from(fused.value)).toEqual(Array.from(ref.value));
          expect(fused.lastSpot).toBe(view.spot);
        },
      ),
      { numRuns: 200, seed: 20261203 },
    );
    const inWasm = spy.mock.results.filter((r) => r.value === true).length;
    expect(inWasm).toBeGreaterThan(30);
  });

  it('gives the same bits in WebAssembly as in JavaScript (HEDGEKIT_NO_WASM), financed or not, with carries', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 64, max: 131 }),
        fc.array(fc.constantFrom(0, -0, 0.01, -0.02, 0.035, 1e-300, 5e-324), { minLength: 3, maxLength: 3 }),
        fc.boolean(),
        fc.constantFrom(0, 0.015),
        fc.constantFrom(0.01, 1 / 252),
        fc.double({ min: -0.05, max: 0.1, noNaN: true }),
        (seed, n, carries, financed, spread, dt, rate) => {
          const wasm = twin(seed, n, carries, financed, spread, false);
          useWasmKernels(false);
          const js = twin(seed, n, carries, financed, spread, false);
          useWasmKernels(true);
          expect(wasm.books[0].exec).toBeDefined();
          expect(js.books[0].exec).toBeUndefined();
          wasm.books[0].accrueAndMark(dt, rate, wasm.prev, wasm.view, vols);
          js.books[0].accrueAndMark(dt, rate, js.prev, js.view, vols);
          expect(Array.from(wasm.books[0].cash)).toEqual(Array.from(js.books[0].cash));
          expect(Array.from(wasm.books[0].value)).toEqual(Array.from(js.books[0].value));
        },
      ),
      { numRuns: 150, seed: 20261204 },
    );
  });

  it('accrues the cash of any book in WebAssembly with the JavaScript loops’ bits (spread or not)', () => {
    // Book.accrue's cash pass (ExecArena.accrueCash) for books of 1–3 assets, with or without option
    // lines; cash values include NaN, −0, 0 and negative ones (the spread's sign test), odd counts.
    const spy = vi.spyOn(ExecArena.prototype, 'accrueCash');
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 64, max: 131 }),
        fc.array(fc.constantFrom(0, 0.01, -0.02), { minLength: 1, maxLength: 3 }),
        fc.constantFrom(0, 0.015),
        fc.constantFrom(0.01, 1 / 252),
        fc.double({ min: -0.05, max: 0.1, noNaN: true }),
        fc.boolean(),
        (seed, n, carries, spread, dt, rate, withLine) => {
          const wasm = twin(seed, n, carries, true, spread, withLine);
          useWasmKernels(false);
          const js = twin(seed, n, carries, true, spread, withLine);
          useWasmKernels(true);
          expect(js.books[0].exec).toBeUndefined();
          wasm.books[0].accrue(dt, rate, wasm.prev);
          js.books[0].accrue(dt, rate, js.prev);
          const a = wasm.books[0].cash;
          const b = js.books[0].cash;
          for (let p = 0; p < n; p++) if (!Object.is(a[p], b[p])) return false;
          return true;
        },
      ),
      { numRuns: 150, seed: 20261205 },
    );
    expect(spy.mock.results.filter((r) => r.value === true).length).toBe(150);
  });
});
