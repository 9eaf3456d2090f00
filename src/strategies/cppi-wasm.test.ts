/**
 * CPPI's exposure pass in WebAssembly (`ExecArena.cushion3`, src/wasm/assembly/exec-kernel.ts): with
 * one floor for every path and the target sink's arrays in the book's arena, the exposure and the
 * three unit targets are computed two paths at a time — with the bits of the JavaScript pass
 * (HEDGEKIT_NO_WASM), including exhausted and NaN cushions (force set, exposure +0), −0 values,
 * no cap (Infinity), a multiplier of 0 and odd path counts. TIPP (a floor per path) keeps the
 * JavaScript pass.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildCppi3 } from '../../bench/workloads/engine.ts';
import { testView } from '../../test/support/market-view.ts';
import { uniforms } from '../../test/support/uniform.ts';
import { runEngine } from '../engine/engine.ts';
import type { AssetClass } from '../market/asset.ts';
import { pricingVol } from '../market/pricing-vol.ts';
import { Book } from '../portfolio/book.ts';
import { BookQuotes } from '../portfolio/quote-service.ts';
import type { StepContext } from '../portfolio/step-context.ts';
import { TargetSink } from '../portfolio/target-sink.ts';
import { ExecArena } from '../wasm/exec-kernel.ts';
import { useWasmKernels } from '../wasm/runtime.ts';
import { cppi } from './cppi.ts';
import { tipp } from './tipp.ts';
import type { Strategy } from './types.ts';

const CLASSES: AssetClass[] = ['equity', 'bond', 'commodity'];
const assets = CLASSES.map((assetClass, a) => ({ name: `A${a}`, assetClass, spot: 100 }));
const vols = pricingVol({ kind: 'constant', vol: 0.2 });

afterEach(() => {
  useWasmKernels(true);
  vi.restoreAllMocks();
});

/** A book value from u ∈ [0, 1): around the floor of 80, sometimes NaN, −0, 0 or negative. */
function bookValue(u: number, x: number): number {
  if (u < 0.03) return Number.NaN;
  if (u < 0.06) return -0;
  if (u < 0.09) return 0;
  if (u < 0.15) return -x;
  return 60 + 60 * x;
}

/** One `decide` of `strategy` at step 1 on a fresh book (kernels on or off) with these values and spots. */
function decideOnce<S>(strategy: Strategy<S>, wasm: boolean, seed: number, n: number) {
  const u = uniforms(seed);
  useWasmKernels(wasm);
  const book = new Book(n, assets, 100);
  useWasmKernels(true);
  book.value.set(Float64Array.from({ length: n }, () => bookValue(u(), u())));
  const spot = assets.map(() => Float64Array.from({ length: n }, () => (u() < 0.02 ? 0 : 50 + 100 * u())));
  const view = testView(assets, [], { nPaths: n, step: 0, rate: 0.03, spot });
  const ctx: StepContext = { ...view, quotes: new BookQuotes(book.pricer, vols, view) };
  const sink = new TargetSink(book);
  sink.reset(view);
  const state = strategy.init(ctx, book);
  strategy.decide(ctx, book, state, sink);
  return {
    exposure: Array.from((state as { exposure: Float64Array }).exposure),
    targets: sink.unitTargets.map((a) => Array.from(a)),
    has: sink.hasUnits.map((a) => Array.from(a)),
    force: Array.from(sink.force),
    arena: book.exec,
  };
}

describe('CPPI’s exposure pass in WebAssembly', () => {
  it('gives the bits of the JavaScript pass on random books, parameters and path counts', () => {
    const spy = vi.spyOn(ExecArena.prototype, 'cushion3');
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 64, max: 131 }),
        fc.constantFrom(0.5, 0.8, 0.95),
        fc.constantFrom(0, 1, 4, 10),
        fc.constantFrom(1, 1.5, Number.POSITIVE_INFINITY),
        (seed, n, floor, multiplier, maxExposure) => {
          const strategy = cppi({ weights: Float64Array.of(0.6, 0.3, 0.1), floor, multiplier, maxExposure });
          const wasm = decideOnce(strategy, true, seed, n);
          const js = decideOnce(strategy, false, seed, n);
          expect(wasm.arena).toBeDefined();
          expect(js.arena).toBeUndefined();
          const { arena: _a, ...w } = wasm;
          const { arena: _j, ...j } = js;
          expect(w).toEqual(j); // toEqual tells −0 from +0 and compares NaN as equal to NaN
        },
      ),
      { numRuns: 150, seed: 20261203 },
    );
    // The kernel ran on every WebAssembly book; exhausted cushions were among the cases.
    expect(spy.mock.results.filter((r) => r.value === true).length).toBe(150);
  });

  it('forces the paths whose cushion is gone (or NaN) and gives them exposure +0', () => {
    const strategy = cppi({ weights: Float64Array.of(0.5, 0.3, 0.2), floor: 0.8, multiplier: 4 });
    const out = decideOnce(strategy, true, 7, 101);
    const forced = out.force.filter((x) => x === 1).length;
    expect(forced).toBeGreaterThan(10);
    for (let p = 0; p < 101; p++) if (out.force[p] === 1) expect(Object.is(out.exposure[p], 0)).toBe(true);
  });

  it('keeps the JavaScript pass for TIPP (a floor per path)', () => {
    const spy = vi.spyOn(ExecArena.prototype, 'cushion3');
    const strategy = tipp({
      weights: Float64Array.of(0.5, 0.3, 0.2),
      floor: 0.8,
      multiplier: 4,
      ratchet: 0.9,
    });
    decideOnce(strategy, true, 3, 96);
    expect(spy).not.toHaveBeenCalled();
  });

  it('runs in engine-cppi3 with the bits of the JavaScript run', () => {
    const spy = vi.spyOn(ExecArena.prototype, 'cushion3');
    const cfg = () => buildCppi3({ nSteps: 25, seed: 4 }, { firstPath: 0, nPaths: 700 });
    const wasm = runEngine(cfg());
    expect(spy.mock.results.filter((r) => r.value === true).length).toBe(25 + 1);
    useWasmKernels(false);
    const js = runEngine(cfg());
    for (const k of ['terminal', 'fees', 'turnover', 'trades'] as const)
      expect(Array.from(wasm.runs[0][k])).toEqual(Array.from(js.runs[0][k]));
  });
});
