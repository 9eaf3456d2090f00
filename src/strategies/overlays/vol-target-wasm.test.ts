import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { uniforms } from '../../../test/support/uniform.ts';
import { GbmGenerator } from '../../paths/gbm.ts';
import type { BookView } from '../../portfolio/book.ts';
import type { StepContext } from '../../portfolio/step-context.ts';
import type { TargetSink } from '../../portfolio/target-sink.ts';
import { useWasmKernels } from '../../wasm/runtime.ts';
import { createVolTargetWasm } from '../../wasm/vt-kernel.ts';
import { type FusedConfig, fusedSleeve3Lean, type VolTargetOverlayState } from './vol-target.ts';
import { stepSleeve3Wasm } from './vol-target-wasm.ts';

afterEach(() => useWasmKernels(true));

/** A value drawn from `u` ∈ [0, 1): mostly ordinary, sometimes 0, NaN or ±∞ (the branches' cases). */
function odd(u: number, ordinary: number): number {
  if (u < 0.02) return Number.NaN;
  if (u < 0.03) return Number.POSITIVE_INFINITY;
  if (u < 0.04) return Number.NEGATIVE_INFINITY;
  if (u < 0.07) return 0;
  return ordinary;
}

interface World {
  cfg: FusedConfig;
  /** The fields of a step context the step reads (`step` advanced by the test). */
  ctx: StepContext & { step: number };
  book: BookView;
  o: VolTargetOverlayState;
  targets: TargetSink;
}

/** A 4-asset world (sleeve assets 0, 2, 3) from a seed: state, market and the inner's targets. */
function world(seed: number, n: number, lag: number, step: number, band: number, byVariance: boolean): World {
  const u = uniforms(seed);
  const arr = (len: number, f: () => number) => Float64Array.from({ length: len }, f);
  const nA = 4;
  const cfg: FusedConfig = {
    kind: 0,
    lambda: 0.9 + 0.09 * u(),
    omega: 0,
    alpha: 0,
    beta: 0,
    assets: Int32Array.of(0, 2, 3),
    c0: 0.5,
    c1: 0.3,
    c2: 0.2,
    lag,
    band,
    lo: 0.1 * u(),
    hi: 1 + u(),
    byVariance,
    target: 0.05 + 0.1 * u(),
  };
  const ctx = {
    nPaths: n,
    step,
    dt: 1 / 252,
    logReturn: Array.from({ length: nA }, () => arr(n, () => odd(u(), 0.03 * (u() - 0.5)))),
    spot: Array.from({ length: nA }, () => arr(n, () => odd(u(), 50 + 100 * u()))),
  } as unknown as World['ctx'];
  const book = {
    units: Array.from({ length: nA }, () => arr(n, () => (u() < 0.3 ? 0 : 2 * u()))),
  } as unknown as BookView;
  const o = {
    forecast: {
      variance: [arr(n, () => odd(u(), 0.04 * u()))],
      cov: arr(6 * n, () => odd(u(), 0.02 * (u() - 0.3))),
    },
    lagged: [arr(lag > 1 ? lag * n : 0, () => odd(u(), 0.04 * u()))],
    weight: [arr(n, () => u() * 1.5)],
    base: Array.from({ length: nA }, () => arr(n, () => (u() < 0.2 ? 0 : 3 * u()))),
  } as unknown as VolTargetOverlayState;
  const targets = {
    unitTargets: Array.from({ length: nA }, () => arr(n, () => 3 * u())),
    hasUnits: Array.from({ length: nA }, () => Uint8Array.from({ length: n }, () => (u() < 0.25 ? 0 : 1))),
  } as unknown as TargetSink;
  return { cfg, ctx, book, o, targets };
}

/**
 * The same world with its market arrays moved into the WebAssembly GBM kernel's state (views on its
 * memory), as in an engine run on a GBM market: the overlay's kernel then lives in that memory and
 * reads them in place.
 */
function onGbmMemory(w: World): World {
  const n = w.ctx.nPaths;
  const assets = [0, 1, 2, 3].map((a) => ({ name: `A${a}`, assetClass: 'equity' as const, spot: 100 }));
  const state = new GbmGenerator({ assets, vols: [0.2, 0.2, 0.2, 0.2] }).init(256 * Math.ceil(n / 256));
  const move = (from: readonly Float64Array[], to: readonly Float64Array[]) =>
    from.map((x, a) => {
      const v = to[a].subarray(0, n);
      v.set(x);
      return v;
    });
  const ctx = {
    ...w.ctx,
    logReturn: move(w.ctx.logReturn, state.logReturn),
    spot: move(w.ctx.spot, state.spot),
  };
  return { ...w, ctx: ctx as World['ctx'] };
}

/** Every array the step may write, as plain arrays (compared with Object.is semantics by toEqual). */
function written(w: World) {
  return {
    weight: Array.from(w.o.weight[0]),
    variance: Array.from(w.o.forecast.variance[0]),
    cov: Array.from(w.o.forecast.cov),
    lagged: Array.from(w.o.lagged[0]),
    base: w.o.base.map((b) => Array.from(b)),
    out: w.targets.unitTargets.map((b) => Array.from(b)),
    has: w.targets.hasUnits.map((b) => Array.from(b)),
  };
}

describe('vol-target overlay on the WebAssembly kernel (sleeve of 3, EWMA covariance, no report)', () => {
  it('writes the same bits as the JavaScript step, NaN/∞/0 inputs, lags, bands and first steps included', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 1, max: 60 }).map((k) => 2 * k),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 5 }),
        fc.constantFrom(0, 0.02, 0.05, 0.5),
        fc.boolean(),
        (seed, n, lag, step, band, byVariance) => {
          const js = world(seed, n, lag, step, band, byVariance);
          const own = world(seed, n, lag, step, band, byVariance); // the kernel's own memory
          const gbm = onGbmMemory(world(seed, n, lag, step, band, byVariance)); // the market's
          for (let k = 0; k < 2; k++) {
            // k = 1: a second step on the adopted arrays (now views on the kernel's memory)
            for (const w of [js, own, gbm]) w.ctx.step += k;
            fusedSleeve3Lean(js.cfg, js.ctx, js.book, js.o, js.targets);
            for (const w of [own, gbm]) {
              expect(stepSleeve3Wasm(w.cfg, w.ctx, w.book, w.o, w.targets)).toBe(true);
              expect(written(w)).toEqual(written(js));
            }
          }
          expect(gbm.o.weight[0].buffer).toBe(gbm.ctx.spot[0].buffer); // it ran in the market's memory
        },
      ),
      { numRuns: 150, seed: 20261203 },
    );
  });

  it('adopts the state into its memory, and a state restored from a snapshot into a new kernel', () => {
    const w = world(7, 64, 2, 3, 0.05, false);
    const before = w.o.weight[0];
    expect(stepSleeve3Wasm(w.cfg, w.ctx, w.book, w.o, w.targets)).toBe(true);
    expect(w.o.weight[0]).not.toBe(before);
    const memory = w.o.weight[0].buffer;
    expect(w.o.forecast.cov.buffer).toBe(memory);
    expect(w.targets.unitTargets[2].buffer).toBe(memory);
    expect(w.targets.unitTargets[1].buffer).not.toBe(memory); // not a sleeve asset
    // a snapshot is a structured clone: plain arrays again, which the next step adopts afresh
    const restored = structuredClone(w.o);
    const js = structuredClone(w.o);
    const jsTargets = structuredClone(w.targets);
    const wTargets = structuredClone(w.targets);
    w.ctx.step++;
    fusedSleeve3Lean(w.cfg, w.ctx, w.book, js, jsTargets);
    expect(stepSleeve3Wasm(w.cfg, w.ctx, w.book, restored, wTargets)).toBe(true);
    expect(restored.weight[0].buffer).not.toBe(memory);
    expect(Array.from(restored.weight[0])).toEqual(Array.from(js.weight[0]));
    expect(wTargets.unitTargets.map((a) => Array.from(a))).toEqual(
      jsTargets.unitTargets.map((a) => Array.from(a)),
    );
  });

  it('lives in the GBM kernel’s arena while it has room, then in a module of its own', () => {
    const state = new GbmGenerator({
      assets: [{ name: 'A', assetClass: 'equity', spot: 1 }],
      vols: [0.2],
    }).init(512);
    const market = state.spot[0];
    const kernels = Array.from({ length: 6 }, () => createVolTargetWasm(512, 3, market));
    const inPlace = kernels.map((k) => k?.inPlace);
    // Room for two overlays (and a book's executor arena: src/wasm/gbm-kernel.ts), then none.
    const fit = inPlace.indexOf(false);
    expect(fit).toBeGreaterThanOrEqual(2);
    expect(inPlace).toEqual(inPlace.map((_, i) => i < fit));
    expect(kernels[0]?.buffer).toBe(market.buffer);
    expect(kernels[fit]?.buffer).not.toBe(market.buffer);
  });

  it('declines (the JavaScript step runs) for an odd path count, another forecast, or the kernels off', () => {
    const odd = world(1, 33, 1, 1, 0, false);
    expect(stepSleeve3Wasm(odd.cfg, odd.ctx, odd.book, odd.o, odd.targets)).toBe(false);
    const ewma = world(1, 32, 1, 1, 0, false);
    expect(stepSleeve3Wasm({ ...ewma.cfg, kind: 1 }, ewma.ctx, ewma.book, ewma.o, ewma.targets)).toBe(false);
    useWasmKernels(false);
    const off = world(1, 32, 1, 1, 0, false);
    expect(stepSleeve3Wasm(off.cfg, off.ctx, off.book, off.o, off.targets)).toBe(false);
  });
});
