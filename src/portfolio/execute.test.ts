import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testView } from '../../test/support/market-view.ts';
import type { AssetClass } from '../market/asset.ts';
import { pricingVol } from '../market/pricing-vol.ts';
import { useWasmKernels } from '../wasm/bs-kernel.ts';
import { ExecArena } from '../wasm/exec-kernel.ts';
import { Book } from './book.ts';
import { costModel } from './costs.ts';
import { executeTargets } from './execute.ts';
import { Ledger } from './ledger.ts';
import { TargetSink } from './target-sink.ts';

const CLASSES: AssetClass[] = ['equity', 'bond', 'commodity'];
const vols = pricingVol({ kind: 'constant', vol: 0.2 });

/**
 * The book's per-path arrays after a few steps of random asset targets: without a trade log, with
 * one that keeps no path of this chunk (both: the fused passes), or with one keeping paths 1 and 3
 * (the asset-by-asset loop, so that records come in asset order).
 */
function run(
  nA: number,
  nPaths: number,
  seed: number,
  log: 'none' | 'empty' | 'some',
): Record<string, number[]> {
  const assets = Array.from({ length: nA }, (_, a) => ({
    name: `A${a}`,
    assetClass: CLASSES[a % 3],
    spot: 50 + a,
  }));
  const book = new Book(nPaths, assets, 1000);
  const sink = new TargetSink(book);
  const costs = costModel({ bps: { equity: 5, bond: 2, commodity: 10 } });
  const ledger = log === 'none' ? undefined : new Ledger(nPaths, 0, log === 'some' ? [1, 3] : [nPaths + 5]);
  const rng = fc.sample(fc.double({ min: -2, max: 2, noNaN: true }), {
    seed,
    numRuns: 4 * nA * nPaths * 3 + 10,
  });
  let k = 0;
  // The rebalancing mask, from the book's executor memory as the engine's stepper takes it.
  const mask = book.exec?.u8() ?? new Uint8Array(nPaths);
  for (let step = 0; step < 3; step++) {
    const spot = assets.map((x) =>
      Float64Array.from({ length: nPaths }, () => x.spot * (1 + 0.1 * rng[k++])),
    );
    const view = testView(assets, [], {
      nPaths,
      step,
      t: step / 252,
      dt: 1 / 252,
      dtNext: 1 / 252,
      stepsPerYear: 252,
      spot,
    });
    sink.reset(view);
    for (let a = 0; a < nA; a++) {
      const u = sink.units(a);
      for (let p = 0; p < nPaths; p++) {
        const r = rng[k++];
        // some paths untouched, some targets equal to the holding, one NaN target
        if (r > 1.5) sink.hasUnits[a][p] = 0;
        u[p] = r < -1.7 ? book.units[a][p] : r > 1.9 ? Number.NaN : 10 * r;
      }
    }
    for (let p = 0; p < nPaths; p++) mask[p] = rng[k++] > -1.6 ? 1 : 0;
    executeTargets(book, view, vols, sink, mask, costs, ledger);
  }
  const out: Record<string, number[]> = {};
  for (const key of ['cash', 'fees', 'value', 'turnover', 'trades'] as const)
    out[key] = Array.from(book[key]);
  for (let a = 0; a < nA; a++) out[`units${a}`] = Array.from(book.units[a]);
  return out;
}

afterEach(() => {
  useWasmKernels(true);
  vi.restoreAllMocks();
});

describe('executeTargets: the fused three-asset passes', () => {
  it('give the same bits as the asset-by-asset loop (the one a trade log of the chunk uses), for 1 to 7 assets', () => {
    const wasmRuns = vi.spyOn(ExecArena.prototype, 'run');
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        // below 64 paths plain arrays and the JavaScript passes; from 64 on (odd counts too) the
        // book's arrays in its executor memory and the WebAssembly pass
        fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 64, max: 131 })),
        fc.integer(),
        (nA, nPaths, seed) => {
          const before = wasmRuns.mock.calls.length;
          const fused = run(nA, nPaths, seed, 'none');
          expect(wasmRuns.mock.calls.length > before).toBe(nPaths >= 64);
          const logged = run(nA, nPaths, seed, 'some');
          expect(fused).toEqual(logged);
          expect(run(nA, nPaths, seed, 'empty')).toEqual(logged);
          // something traded, something was left alone
          expect(fused.trades.some((t) => t > 0)).toBe(true);
        },
      ),
      { numRuns: 80, seed: 20261203 },
    );
  });

  it('the WebAssembly pass gives the JavaScript passes’ bits (HEDGEKIT_NO_WASM), odd and even path counts', () => {
    for (const nPaths of [64, 65, 130]) {
      for (const nA of [1, 2, 3, 4, 7]) {
        const wasm = run(nA, nPaths, 11 * nPaths + nA, 'none');
        useWasmKernels(false);
        const js = run(nA, nPaths, 11 * nPaths + nA, 'none');
        useWasmKernels(true);
        expect(wasm).toEqual(js);
      }
    }
  });
});

describe("a book's executor memory", () => {
  const assets = [
    { name: 'A', assetClass: 'equity' as const, spot: 100 },
    { name: 'B', assetClass: 'bond' as const, spot: 50 },
  ];

  it('holds the book’s, its target sink’s and its mask’s arrays; a snapshot copies only the arrays', () => {
    const book = new Book(100, assets, 1000);
    const ex = book.exec;
    expect(ex).toBeDefined();
    const sink = new TargetSink(book);
    for (const a of [book.cash, book.value, book.fees, book.turnover, book.trades, ...book.units])
      expect(a.buffer).toBe(ex?.buffer);
    for (const a of [...sink.unitTargets, ...sink.hasUnits]) expect(a.buffer).toBe(ex?.buffer);
    book.cash[7] = 123.5;
    const snap = book.snapshot();
    expect(snap.cash.buffer.byteLength).toBe(100 * 8);
    const copy = new Book(100, assets, 1000);
    copy.restore(snap);
    expect(copy.cash[7]).toBe(123.5);
    expect(new Book(63, assets, 1000).exec).toBeUndefined(); // few paths: plain arrays
    useWasmKernels(false);
    expect(new Book(100, assets, 1000).exec).toBeUndefined();
  });

  it('a second target sink on the same book gets plain arrays (its memory is full), copied in for the trades, with the same bits', () => {
    const trade = (second: boolean) => {
      const book = new Book(100, assets, 1000);
      const mask = (book.exec?.u8() ?? new Uint8Array(100)).fill(1);
      // More sinks first (the arena also keeps room for a stepper's previous spots): the memory is
      // full when the one that trades is made.
      if (second) for (let k = 0; k < 4; k++) new TargetSink(book);
      const sink = new TargetSink(book);
      const view = testView(assets, [100, 50], { nPaths: 100, step: 1 });
      sink.reset(view);
      const u = sink.units(0);
      for (let p = 0; p < 100; p++) u[p] = (p % 7) - 3;
      executeTargets(book, view, vols, sink, mask, costModel({ bps: { equity: 5 } }), undefined);
      return { sink, out: [Array.from(book.cash), Array.from(book.fees), Array.from(book.units[0])] };
    };
    const runs = vi.spyOn(ExecArena.prototype, 'run');
    const first = trade(false); // in the executor memory: the WebAssembly pass
    expect(runs).toHaveBeenCalledTimes(1);
    const other = trade(true);
    expect(runs).toHaveBeenCalledTimes(2); // the WebAssembly pass on copies of its targets
    expect(other.sink.unitTargets[0].buffer.byteLength).toBe(800); // a plain array
    expect(other.out).toEqual(first.out);
    useWasmKernels(false);
    expect(trade(false).out).toEqual(first.out); // the JavaScript pass
  });
});
