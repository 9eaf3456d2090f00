/**
 * One memory for the market and the book: in `runEngine` a book's executor arena (cash, value, units,
 * the sink's targets, the mask, the stepper's previous spots) is a block of the WebAssembly GBM
 * kernel's guest arena, so the trades and the accrual read the market's spots in place instead of
 * copying them every step (src/wasm/exec-kernel.ts). Only the route changes: every result keeps the
 * bits of the JavaScript run (HEDGEKIT_NO_WASM), over several chunks on one reused memory (whose
 * blocks are zeroed), with a second run whose book gets a memory of its own, and with a vol-target
 * overlay sharing the same memory.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildCppi3, buildVolTarget3 } from '../../bench/workloads/engine.ts';
import { GbmGenerator } from '../paths/gbm.ts';
import { buyAndHold } from '../strategies/buy-and-hold.ts';
import { createExecArena, ExecArena, LINE_ROWS } from '../wasm/exec-kernel.ts';
import { useWasmKernels } from '../wasm/runtime.ts';
import { createVolTargetWasm, VolTargetWasm } from '../wasm/vt-kernel.ts';
import { type EngineConfig, type EngineResult, runEngine } from './engine.ts';

afterEach(() => {
  useWasmKernels(true);
  vi.restoreAllMocks();
});

/** Every per-path result of every run, as plain numbers. */
function outputs(res: EngineResult): number[][] {
  return res.runs.flatMap((r) =>
    [r.terminal, r.fees, r.turnover, r.trades, r.premiums].map((a) => Array.from(a)),
  );
}

/** The run in WebAssembly (with the arenas each accrual ran on) and in JavaScript. */
function both(cfg: () => EngineConfig): { wasm: EngineResult; js: EngineResult; arenas: ExecArena[] } {
  const arenas: ExecArena[] = [];
  const original = ExecArena.prototype.accrueMark3;
  const spy = vi.spyOn(ExecArena.prototype, 'accrueMark3').mockImplementation(function (
    this: ExecArena,
    ...a
  ) {
    arenas.push(this);
    // In the market's memory the spots and the stepper's previous spots are read in place.
    if (this.market) for (const arr of [...a[3], ...a[4]]) expect(this.holds(arr)).toBe(true);
    return original.apply(this, a);
  });
  const wasm = runEngine(cfg());
  spy.mockRestore();
  useWasmKernels(false);
  const js = runEngine(cfg());
  useWasmKernels(true);
  return { wasm, js, arenas };
}

describe('a book in the market’s memory', () => {
  it('gives the bits of the JavaScript run, chunk after chunk on one reused memory (CPPI, 3 assets with carries)', () => {
    // 1,024 paths in chunks of 256: four simulations on the generator's one GBM memory, each
    // chunk's book in a block an earlier chunk used (zeroed when taken).
    const cfg = () => buildCppi3({ nSteps: 30, seed: 11, chunkPaths: 256 }, { firstPath: 0, nPaths: 1024 });
    const { wasm, js, arenas } = both(cfg);
    expect(outputs(wasm)).toEqual(outputs(js));
    const distinct = [...new Set(arenas)];
    expect(distinct.length).toBe(4); // one book per chunk
    expect(distinct.every((a) => a.market)).toBe(true);
    expect(new Set(distinct.map((a) => a.buffer)).size).toBe(1); // the same memory, reused
    expect(arenas.length).toBe(4 * 30);
  });

  it('gives the books a memory of their own once the guest arena is full, with the same bits', () => {
    const cfg = (): EngineConfig => {
      const base = buildCppi3({ nSteps: 20, seed: 5 }, { firstPath: 0, nPaths: 512 });
      const hold = { ...base.runs[0], strategy: buyAndHold({ weights: Float64Array.of(0.5, 0.3, 0.2) }) };
      return { ...base, runs: [base.runs[0], hold, base.runs[0], hold, base.runs[0]] };
    };
    const { wasm, js, arenas } = both(cfg);
    expect(outputs(wasm)).toEqual(outputs(js));
    const distinct = [...new Set(arenas)];
    expect(distinct.length).toBe(5);
    // The first books in the market's memory (at least one), the rest (at least one) in their own.
    const guests = distinct.findIndex((a) => !a.market);
    expect(guests).toBeGreaterThanOrEqual(1);
    expect(distinct.map((a) => a.market)).toEqual(distinct.map((_, i) => i < guests));
    expect(new Set(distinct.slice(0, guests).map((a) => a.buffer)).size).toBe(1);
    expect(new Set(distinct.map((a) => a.buffer)).size).toBe(1 + distinct.length - guests);
  });

  it('shares the memory with a vol-target overlay (both in place, at the largest guest size too), with the same bits', () => {
    for (const nPaths of [512, 8192]) {
      const homes: boolean[] = [];
      const step = VolTargetWasm.prototype.step;
      vi.spyOn(VolTargetWasm.prototype, 'step').mockImplementation(function (this: VolTargetWasm, ...a) {
        homes.push(this.inPlace);
        return step.apply(this, a);
      });
      const cfg = () =>
        buildVolTarget3({ nSteps: 12, seed: 9, chunkPaths: nPaths }, { firstPath: 0, nPaths });
      const { wasm, js, arenas } = both(cfg);
      vi.restoreAllMocks();
      expect(outputs(wasm)).toEqual(outputs(js));
      expect(arenas.length).toBeGreaterThan(0);
      expect(arenas.every((a) => a.market)).toBe(true);
      expect(homes.length).toBeGreaterThan(0);
      expect(homes.every((h) => h)).toBe(true);
    }
  });

  it('has room, at the largest guest size, for a three-asset book with two option lines, the previous spots and two overlays', () => {
    const n = 8192;
    const market = new GbmGenerator({
      assets: ['A', 'B', 'C'].map((name) => ({ name, assetClass: 'equity' as const, spot: 1 })),
      vols: [0.2, 0.2, 0.2],
      correlation: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
    }).init(n).spot[0];
    const arena = createExecArena(n, 3, market);
    expect(arena?.market).toBe(true);
    if (!arena) return;
    // What a book (cash, value, fees, premiums, turnover, trades, 3 units, its first two option
    // lines' quantities and Δ), its sink (3 targets, 3 has-masks, force, none), the stepper's mask and its 3
    // previous spots take.
    const f64 = Array.from({ length: 6 + 3 + LINE_ROWS + 3 + 3 }, () => arena.f64());
    const u8 = Array.from({ length: 3 + 2 + 1 }, () => arena.u8());
    expect([...f64, ...u8].every((a) => arena.holds(a))).toBe(true);
    const overlays = [createVolTargetWasm(n, 3, market), createVolTargetWasm(n, 3, market)];
    expect(overlays.map((k) => k?.inPlace)).toEqual([true, true]);
  });
});
