/**
 * Loader of the WebAssembly SIMD correlated-GBM step kernel (src/wasm/assembly/gbm-kernel.ts,
 * compiled into src/wasm/generated/gbm-kernel.wasm.ts by `npm run build:wasm`).
 *
 * Zero copies per step: `createGbmWasm` instantiates the module on a memory made at its final size
 * (never grown: runtime.ts `newMemory`) to hold the simulation's state — spot and log-return arrays of every asset for all paths — so the
 * MarketState that `GbmGenerator.init` returns is made of views on that memory, which the kernel
 * updates in place and the engine reads directly. Per step only the coefficients (a few doubles) and
 * the blocks' random-stream positions (four words per block) cross the boundary; the `Rng` objects
 * stay the streams' owners, so snapshots and the JavaScript path see the same positions.
 *
 * References: see the AssemblyScript source (xoshiro128**, ziggurat, Tang's exp, exact log-Euler GBM).
 */
import { EXP_TH, EXP_TL } from '../core/exp-table.ts';
import { PATH_BLOCK, type Rng } from '../core/rng.ts';
import { ZIG_F, ZIG_RATIO, ZIG_X } from '../core/ziggurat.ts';
import type { ExecFns } from './exec-kernel.ts';
import { GBM_KERNEL_WASM_BASE64 } from './generated/gbm-kernel.wasm.ts';
import { compileWasm, newMemory, WA, type WasmMemory, wasmKernelsEnabled } from './runtime.ts';

/** Byte offsets of the fixed part of the layout (TABLE_* and ZIG_* of the AssemblyScript sources). */
const TABLE_TH = 65536;
const TABLE_TL = TABLE_TH + 512;
const TABLE_POW2 = TABLE_TL + 512;
const ZIG_RATIO_AT = TABLE_POW2 + 17600;
const ZIG_X_AT = ZIG_RATIO_AT + 2048;
const ZIG_F_AT = ZIG_X_AT + 2064;
/** FREE of the AssemblyScript source: the first byte after the tables (checked at instantiation). */
const FREE_AT = Math.ceil((ZIG_F_AT + 2064) / 16) * 16;
/** Largest memory the kernel takes (beyond it the JavaScript path runs): 1 GiB. */
const MAX_BYTES = 2 ** 30;

interface GbmExports extends ExecFns {
  FREE: { readonly value: number };
  vtStep(params: number): void;
  gbmStep(
    nA: number,
    nBlocks: number,
    coef: number,
    states: number,
    eps: number,
    spot: number,
    logReturn: number,
    logSpot: number,
    stride: number,
  ): void;
}

let module: object | null | undefined;

function gbmModule(): object | null {
  if (module === undefined) module = compileWasm(GBM_KERNEL_WASM_BASE64);
  return module;
}

const align16 = (x: number): number => Math.ceil(x / 16) * 16;

/**
 * Bytes per path of the guest arena after the state: room for two vol-target overlays' state and
 * target arrays (≈ 20 doubles per path each with a ring of 3, see src/wasm/vt-kernel.ts), then for
 * one book of up to three assets (its executor arena, 233 bytes per path with the stepper's previous
 * spots and two option lines' quantities and Δ: src/wasm/exec-kernel.ts);
 * src/engine/market-arena.test.ts checks that they fit. Only for states of engine-chunk size (≤ GUEST_MAX_PATHS): a big `simulate`
 * gets no arena (its guests, if any, take modules of their own).
 */
const GUEST_BYTES_PER_PATH = 384 + 208;
const GUEST_MAX_PATHS = 8192;

/** Each live kernel by its memory's buffer (the vol-target step finds its market's kernel here). */
const byBuffer = new WeakMap<ArrayBuffer, GbmWasm>();

/** The GBM kernel whose memory holds `array`, if any. */
export function gbmWasmOf(array: Float64Array): GbmWasm | undefined {
  return byBuffer.get(array.buffer as ArrayBuffer);
}

/** One simulation's kernel: its memory, the state views, and the step. */
export class GbmWasm {
  /** Spot of asset a for all paths (a view on the kernel's memory). Shape: [nA][nPaths]. */
  readonly spot: Float64Array[] = [];
  /** Last log return of asset a (a view on the kernel's memory). Shape: [nA][nPaths]. */
  readonly logReturn: Float64Array[] = [];
  /** ln S of asset a, advanced by the log returns (a view on the kernel's memory). Shape: [nA][nPaths]. */
  readonly logSpot: Float64Array[] = [];
  /** Whether `step` advances `logSpot` (the simulation's state carries it). */
  carryLogSpot = false;
  /**
   * The step's coefficients, written by the caller before each `step`: c0[a] for a < nA, then
   * σ_a√Δ·L_ab at nA + a·nA + b (b ≤ a). Shape: [nA + nA²].
   */
  readonly coef: Float64Array;
  /** Paths of the current simulation (≤ capacity; see `use`). */
  nPaths: number;
  /** Paths the memory holds: asset a's arrays start 8·a·capacity bytes apart. */
  readonly capacity: number;
  private readonly nA: number;
  private nBlocks: number;
  private readonly exports: GbmExports;
  private readonly memory: WasmMemory;
  private readonly states: Int32Array;
  private readonly at: {
    coef: number;
    states: number;
    eps: number;
    spot: number;
    logReturn: number;
    logSpot: number;
  };
  /** The guest arena [guestStart, guestEnd) and its next free byte (reset by `resetGuests`). */
  private readonly guestStart: number;
  private readonly guestEnd: number;
  private guestNext: number;

  /** @param nPaths - a multiple of PATH_BLOCK: the capacity, and the first simulation's size. */
  constructor(mod: object, nA: number, nPaths: number) {
    this.nA = nA;
    this.nPaths = nPaths;
    this.capacity = nPaths;
    this.nBlocks = nPaths / PATH_BLOCK;
    const groups = Math.ceil(this.nBlocks / 4);
    const coef = FREE_AT;
    const states = align16(coef + 8 * (nA + nA * nA));
    const eps = states + 64 * groups;
    const spot = eps + 8 * 4 * nA * PATH_BLOCK;
    const logReturn = spot + 8 * nA * nPaths;
    const logSpot = logReturn + 8 * nA * nPaths;
    const guests = align16(logSpot + 8 * nA * nPaths);
    const end = guests + (nPaths <= GUEST_MAX_PATHS ? GUEST_BYTES_PER_PATH * nPaths : 0);
    // The memory at its final size (never grown: see runtime.ts newMemory).
    const memory = newMemory(end);
    if (!memory) throw new RangeError('gbm-kernel: memory');
    this.memory = memory;
    const inst = new WA.Instance(mod, { env: { memory, exp: Math.exp } });
    this.exports = inst.exports as GbmExports;
    if (this.exports.FREE.value !== FREE_AT) throw new Error('gbm-kernel: layout differs from the module');
    const buf = memory.buffer;
    this.at = { coef, states, eps, spot, logReturn, logSpot };
    this.guestStart = guests;
    this.guestEnd = end;
    this.guestNext = guests;
    byBuffer.set(buf, this);
    new Float64Array(buf, TABLE_TH, 64).set(EXP_TH);
    new Float64Array(buf, TABLE_TL, 64).set(EXP_TL);
    const pow2 = new Float64Array(buf, TABLE_POW2, 2200);
    for (let k = -1100; k < 1100; k++) pow2[k + 1100] = 2 ** k;
    new Float64Array(buf, ZIG_RATIO_AT, 256).set(ZIG_RATIO);
    new Float64Array(buf, ZIG_X_AT, 257).set(ZIG_X);
    new Float64Array(buf, ZIG_F_AT, 257).set(ZIG_F);
    this.coef = new Float64Array(buf, coef, nA + nA * nA);
    this.states = new Int32Array(buf, states, 16 * groups);
    // lanes past the last block: any valid (non-zero) state; their output is discarded
    this.states.fill(1);
    this.use(nPaths);
  }

  /**
   * Starts a simulation of `nPaths` ≤ capacity paths (a multiple of PATH_BLOCK) on this memory: new
   * views of that length, the guest arena freed. One kernel thus serves every chunk of a run (and
   * every run of its generator) without new memory — which spares the engine's JavaScript loops the
   * garbage collector's extra work that a fresh multi-megabyte memory per chunk caused.
   */
  use(nPaths: number): void {
    this.nPaths = nPaths;
    this.nBlocks = nPaths / PATH_BLOCK;
    const buf = this.memory.buffer;
    const cap = this.capacity;
    this.spot.length = 0;
    this.logReturn.length = 0;
    this.logSpot.length = 0;
    for (let a = 0; a < this.nA; a++) {
      this.spot.push(new Float64Array(buf, this.at.spot + 8 * a * cap, nPaths));
      this.logReturn.push(new Float64Array(buf, this.at.logReturn + 8 * a * cap, nPaths));
      this.logSpot.push(new Float64Array(buf, this.at.logSpot + 8 * a * cap, nPaths));
    }
    this.guestNext = this.guestStart;
  }

  /** The kernel's memory (the state arrays are views on it). */
  get buffer(): ArrayBuffer {
    return this.memory.buffer;
  }

  /**
   * `bytes` bytes of the guest arena (16-aligned), or −1 when it is full. Valid until the next
   * `resetGuests` (the next simulation on this memory).
   */
  guestAlloc(bytes: number): number {
    const at = this.guestNext;
    if (at + bytes > this.guestEnd) return -1;
    this.guestNext = align16(at + bytes);
    return at;
  }

  /** The executor's trades and the accrual compiled into this module, for a guest book arena. */
  get execFns(): ExecFns {
    return this.exports;
  }

  /** The vol-target step on a parameter block in this memory (src/wasm/vt-kernel.ts). */
  vtStep(params: number): void {
    this.exports.vtStep(params);
  }

  /**
   * Advances every block one step with the coefficients in `coef`: block b (paths b·256 …) draws
   * from `rngs[b]`, exactly as `GbmGenerator.step` would. Shape: rngs [nPaths / PATH_BLOCK].
   */
  step(rngs: readonly Rng[]): void {
    const st = this.states;
    const nBlocks = this.nBlocks;
    // block g·4 + k: word w of lane k at 16g + 4w + k
    for (let b = 0; b < nBlocks; b++) rngs[b].copyStateTo(st, 16 * (b >> 2) + (b & 3), 4);
    const at = this.at;
    this.exports.gbmStep(
      this.nA,
      nBlocks,
      at.coef,
      at.states,
      at.eps,
      at.spot,
      at.logReturn,
      this.carryLogSpot ? at.logSpot : 0,
      this.capacity,
    );
    for (let b = 0; b < nBlocks; b++) rngs[b].copyStateFrom(st, 16 * (b >> 2) + (b & 3), 4);
  }
}

/**
 * A GBM kernel for `nA` assets and `nPaths` paths (a multiple of PATH_BLOCK), or null when the
 * WebAssembly kernels are off or unavailable, or the state would take more than 1 GiB.
 */
export function createGbmWasm(nA: number, nPaths: number): GbmWasm | null {
  if (!wasmKernelsEnabled() || nPaths % PATH_BLOCK !== 0) return null;
  if (8 * (nA * nA + 4 * nA * PATH_BLOCK + 3 * nA * nPaths) > MAX_BYTES) return null;
  const mod = gbmModule();
  if (!mod) return null;
  try {
    return new GbmWasm(mod, nA, nPaths);
  } catch (e) {
    if (e instanceof RangeError) return null; // the host refused the pages: JavaScript
    throw e;
  }
}
