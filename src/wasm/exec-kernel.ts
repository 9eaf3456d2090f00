/**
 * Loader of the WebAssembly SIMD asset trades of the executor (src/wasm/assembly/exec-kernel.ts,
 * compiled into src/wasm/generated/exec-kernel.wasm.ts by `npm run build:wasm`).
 *
 * An `ExecArena` is a region of a WebAssembly memory, fixed in size, from which a book of several
 * paths allocates the arrays the executor's asset trades read and write — cash, value, fees,
 * turnover, trades, the units, the target sink's unit targets and has-masks, and the rebalancing
 * mask — so the kernel works on them in place. Every array is an ordinary typed array for everything
 * else. `trade` runs the group of 1–3 assets the JavaScript `tradeAssets3` would, with the same bits
 * (src/portfolio/execute.test.ts compares the two).
 *
 * Two homes (as the vol-target overlay's, src/wasm/vt-kernel.ts): when the book is given its market's
 * spot arrays and they are the WebAssembly GBM kernel's state (src/wasm/gbm-kernel.ts), the arena is
 * a block of that kernel's guest arena and runs the trades and the accrual compiled into the same
 * module, so the spots are read in place — one memory for the market and the book, no copies per
 * step. Otherwise it is a module of its own on a memory of its own, and the step's spots are copied
 * into rows of it.
 *
 * `useWasmKernels(false)` (HEDGEKIT_NO_WASM=1) gives books plain arrays and the JavaScript trades.
 */

import { gbmWasmOf } from './gbm-kernel.ts';
import { EXEC_KERNEL_WASM_BASE64 } from './generated/exec-kernel.wasm.ts';
import { compileWasm, newMemory, WA, wasmKernelsEnabled } from './runtime.ts';

/** FREE of the AssemblyScript source: where the parameter block and the arrays start. */
const FREE_AT = 65536;
/** The parameter block: 32 i32 slots, then f64 slots from byte 128. */
const PARAMS_BYTES = 160;
/** Parameter slots (i32), as in the AssemblyScript source. */
const P_N = 0;
const P_K = 1;
const P_KEEP = 2;
const P_MASK = 3;
const P_ASSET = 9;

/** The kernel functions an arena runs: the exec module's, or the GBM module's copies of them. */
export interface ExecFns {
  tradeAssets(params: number): void;
  accrueCash(n: number, cash: number, gUp: number, gDown: number): void;
  countNonZero(n: number, at: number): number;
  hedgeUnits(n: number, target: number, qty: number, greek: number, ratio: number): void;
  accrueMark3(
    n: number,
    cash: number,
    value: number,
    u0: number,
    u1: number,
    u2: number,
    s0: number,
    s1: number,
    s2: number,
    p0: number,
    p1: number,
    p2: number,
    fin: number,
    gUp: number,
    gDown: number,
    k0: number,
    k1: number,
    k2: number,
    carry: number,
  ): void;
  cushion3(
    n: number,
    value: number,
    s0: number,
    s1: number,
    s2: number,
    t0: number,
    t1: number,
    t2: number,
    exposure: number,
    force: number,
    f: number,
    m: number,
    cap: number,
    w0: number,
    w1: number,
    w2: number,
  ): void;
}

interface ExecExports extends ExecFns {
  FREE: { readonly value: number };
}

/** Where an arena lives: [start, end) of a memory's buffer, and the functions that run on it. */
interface ExecHome {
  readonly buffer: ArrayBuffer;
  readonly start: number;
  readonly end: number;
  readonly fns: ExecFns;
  /** Whether the memory is the market's own (the GBM kernel's): its spots are read in place. */
  readonly market: boolean;
}

/** The per-step constants of `ExecArena.accrueMark3` (Book.accrueAndMark's). */
export interface AccrualConstants {
  readonly financed: boolean;
  /** Cash growth over the step for a balance ≥ 0 and for one < 0 (borrowed). */
  readonly gUp: number;
  readonly gDown: number;
  /** e^{q_j Δt} − 1 per asset. */
  readonly k0: number;
  readonly k1: number;
  readonly k2: number;
  /** Bit j: asset j has a carry (q_j ≠ 0): its term is added, its previous spots read. */
  readonly carry: number;
}

let module: object | null | undefined;
const align16 = (x: number): number => Math.ceil(x / 16) * 16;

/** The book arrays every group's trade reads and writes. */
export interface ExecBook {
  readonly cash: Float64Array;
  readonly fees: Float64Array;
  readonly value: Float64Array;
  readonly turnover: Float64Array;
  readonly trades: Float64Array;
}

/** A memory for one book's executor arrays, and the kernel on it. */
export class ExecArena {
  readonly buffer: ArrayBuffer;
  readonly nPaths: number;
  /** Spot rows the step's spots are copied into (one per asset of a group). */
  readonly spotRows: Float64Array[];
  /**
   * Rows for targets and has-masks kept elsewhere (an overlay's memory, a second sink): copied in
   * for the step (one per asset of a group).
   */
  private readonly targetRows: Float64Array[];
  private readonly hasRows: Uint8Array[];
  /** Rows the previous spots are copied into for the accrual's carry (three; a book of three assets only). */
  private readonly prevRows: Float64Array[];
  /** Whether this arena is a guest of the market's memory (the GBM kernel's): spots read in place. */
  readonly market: boolean;
  private readonly exports: ExecFns;
  private readonly pi: Int32Array;
  private readonly pf: Float64Array;
  private readonly params: number;
  private next: number;
  private readonly end: number;

  constructor(home: ExecHome, nPaths: number, nAssets: number) {
    this.nPaths = nPaths;
    this.market = home.market;
    this.exports = home.fns;
    this.buffer = home.buffer;
    this.end = home.end;
    this.params = home.start;
    this.pi = new Int32Array(this.buffer, this.params, 32);
    this.pf = new Float64Array(this.buffer, this.params + 128, 4);
    this.pi.fill(0);
    this.pf.fill(0);
    this.next = align16(home.start + PARAMS_BYTES);
    const k = Math.min(3, nAssets);
    this.spotRows = Array.from({ length: k }, () => this.f64());
    this.targetRows = Array.from({ length: k }, () => this.f64());
    this.hasRows = Array.from({ length: k }, () => this.u8());
    this.prevRows = Array.from({ length: nAssets === 3 ? 3 : 0 }, () => this.f64());
  }

  /**
   * A Float64Array of nPaths zeros in this memory — or a plain one once the memory is full (a second
   * target sink on the same book: its trades then take the JavaScript route).
   */
  f64(): Float64Array {
    const at = this.take(8 * this.nPaths);
    // zeroed: a guest block is memory an earlier simulation used
    return at < 0 ? new Float64Array(this.nPaths) : new Float64Array(this.buffer, at, this.nPaths).fill(0);
  }

  /** A Uint8Array of nPaths zeros in this memory (a plain one once it is full, as `f64`). */
  u8(): Uint8Array {
    const at = this.take(this.nPaths);
    return at < 0 ? new Uint8Array(this.nPaths) : new Uint8Array(this.buffer, at, this.nPaths).fill(0);
  }

  /** `bytes` bytes (16-aligned) of the memory, or −1 when it is full. */
  private take(bytes: number): number {
    const at = this.next;
    if (at + bytes > this.end) return -1;
    this.next = align16(at + bytes);
    return at;
  }

  /**
   * Whether `a` is a view on this memory of one element per path (what the kernels read in place;
   * an array of another length, even in this memory, is copied or sent to the JavaScript pass).
   */
  holds(a: Float64Array | Uint8Array): boolean {
    return a.buffer === this.buffer && a.length === this.nPaths;
  }

  /**
   * Sets up a pass of asset trades: the mask and the book's arrays; false (nothing set) when one of
   * them is not in this memory. Then `asset` for each asset of the group and `run`.
   */
  begin(mask: Uint8Array, book: ExecBook, keepValue: boolean): boolean {
    if (
      !this.holds(mask) ||
      !this.holds(book.cash) ||
      !this.holds(book.fees) ||
      !this.holds(book.value) ||
      !this.holds(book.turnover) ||
      !this.holds(book.trades)
    )
      return false;
    const pi = this.pi;
    pi[P_N] = this.nPaths;
    pi[P_KEEP] = keepValue ? 1 : 0;
    pi[P_MASK] = mask.byteOffset;
    pi[P_MASK + 1] = book.cash.byteOffset;
    pi[P_MASK + 2] = book.fees.byteOffset;
    pi[P_MASK + 3] = book.value.byteOffset;
    pi[P_MASK + 4] = book.turnover.byteOffset;
    pi[P_MASK + 5] = book.trades.byteOffset;
    return true;
  }

  /**
   * Asset j (0–2) of the group: its units (in this memory, else false: the kernel writes them), its
   * has-mask and targets (read in place, or copied into row j when they live elsewhere), its spots
   * (copied into spot row j) and its cost rate.
   */
  asset(
    j: number,
    has: Uint8Array,
    target: Float64Array,
    units: Float64Array,
    spot: Float64Array,
    rate: number,
  ): boolean {
    if (!this.holds(units)) return false;
    if (!this.holds(target)) {
      this.targetRows[j].set(target);
      target = this.targetRows[j];
    }
    if (!this.holds(has)) {
      this.hasRows[j].set(has);
      has = this.hasRows[j];
    }
    // The market's own spots are read in place (a guest arena); any others are copied into row j.
    if (!this.holds(spot)) {
      this.spotRows[j].set(spot);
      spot = this.spotRows[j];
    }
    const pi = this.pi;
    pi[P_ASSET + 4 * j] = has.byteOffset;
    pi[P_ASSET + 4 * j + 1] = target.byteOffset;
    pi[P_ASSET + 4 * j + 2] = units.byteOffset;
    pi[P_ASSET + 4 * j + 3] = spot.byteOffset;
    this.pf[j] = rate;
    return true;
  }

  /**
   * target = (ratio·qty)·greek where qty ≠ 0, +0 where it is ±0 (TargetSink.hedgeUnits), in
   * WebAssembly; false, nothing written, when one of the arrays is not in this memory.
   */
  hedgeUnits(target: Float64Array, qty: Float64Array, greek: Float64Array, ratio: number): boolean {
    if (!this.holds(target) || !this.holds(qty) || !this.holds(greek)) return false;
    this.exports.hedgeUnits(this.nPaths, target.byteOffset, qty.byteOffset, greek.byteOffset, ratio);
    return true;
  }

  /**
   * How many entries of `a` are not zero (NaN counts, −0 does not: `x !== 0`), in WebAssembly; −1
   * when `a` is not in this memory.
   */
  countLive(a: Float64Array): number {
    return this.holds(a) ? this.exports.countNonZero(this.nPaths, a.byteOffset) : -1;
  }

  /**
   * Book.accrue's cash accrual in place: cash ·= gUp, or ·= (cash ≥ 0 ? gUp : gDown) when they
   * differ — the bits of its JavaScript loops. False, nothing done, when `cash` is not in this memory.
   */
  accrueCash(cash: Float64Array, gUp: number, gDown: number): boolean {
    if (!this.holds(cash)) return false;
    this.exports.accrueCash(this.nPaths, cash.byteOffset, gUp, gDown);
    return true;
  }

  /**
   * The accrual and mark of a book of three assets and no lines, in place: cash accrues (financed:
   * growth gUp, or gDown on a negative balance) plus each asset's carry on its previous spots, and
   * value = cash + Σ units·spot — the bits of Book.accrueAndMark's loop. The spots (and the previous
   * spots of assets with a carry) are copied into rows of this memory. False (nothing done) when
   * cash, value or a units array is not in this memory.
   * Shape: units, spot, prevSpot [3][nPaths].
   */
  accrueMark3(
    cash: Float64Array,
    value: Float64Array,
    units: readonly Float64Array[],
    spot: readonly Float64Array[],
    prevSpot: readonly Float64Array[],
    c: AccrualConstants,
  ): boolean {
    if (this.prevRows.length !== 3 || !this.holds(cash) || !this.holds(value)) return false;
    for (let j = 0; j < 3; j++) if (!this.holds(units[j])) return false;
    // Spots and previous spots in this memory (the market's own, the stepper's) are read in place;
    // any others are copied into rows (previous spots only where the asset has a carry).
    const s0 = this.inMemory(spot[0], this.spotRows[0]);
    const s1 = this.inMemory(spot[1], this.spotRows[1]);
    const s2 = this.inMemory(spot[2], this.spotRows[2]);
    const p = this.prevRows;
    const p0 = c.carry & 1 ? this.inMemory(prevSpot[0], p[0]) : p[0].byteOffset;
    const p1 = c.carry & 2 ? this.inMemory(prevSpot[1], p[1]) : p[1].byteOffset;
    const p2 = c.carry & 4 ? this.inMemory(prevSpot[2], p[2]) : p[2].byteOffset;
    this.exports.accrueMark3(
      this.nPaths,
      cash.byteOffset,
      value.byteOffset,
      units[0].byteOffset,
      units[1].byteOffset,
      units[2].byteOffset,
      s0,
      s1,
      s2,
      p0,
      p1,
      p2,
      c.financed ? 1 : 0,
      c.gUp,
      c.gDown,
      c.k0,
      c.k1,
      c.k2,
      c.carry,
    );
    return true;
  }

  /**
   * CPPI's exposure and unit targets of a three-asset sleeve without reserve, in place (the bits of
   * `exposure3` in src/strategies/cppi.ts): per path c = v − f; e = min(m·c, cap·v) where c > 0,
   * else e = 0 and force = 1; exposure = e; target_j = (w_j·e)/S_j. The spots are read in place when
   * they are in this memory (else copied into rows); the exposure is written in place, or through a
   * row when it lives elsewhere (a strategy's state). False (nothing done) when value, a target
   * array or force is not in this memory, or the arena is not a three-asset one.
   * Shape: spot [3][nPaths]; the arrays [nPaths].
   */
  cushion3(
    value: Float64Array,
    spot: readonly Float64Array[],
    t0: Float64Array,
    t1: Float64Array,
    t2: Float64Array,
    exposure: Float64Array,
    force: Uint8Array,
    f: number,
    m: number,
    cap: number,
    weights: Float64Array,
  ): boolean {
    if (this.prevRows.length !== 3 || !this.holds(value) || !this.holds(force)) return false;
    if (!this.holds(t0) || !this.holds(t1) || !this.holds(t2)) return false;
    const s0 = this.inMemory(spot[0], this.spotRows[0]);
    const s1 = this.inMemory(spot[1], this.spotRows[1]);
    const s2 = this.inMemory(spot[2], this.spotRows[2]);
    // A target row is free during a strategy's decide (the executor fills them later in the step).
    const e = this.holds(exposure) ? exposure : this.targetRows[0];
    this.exports.cushion3(
      this.nPaths,
      value.byteOffset,
      s0,
      s1,
      s2,
      t0.byteOffset,
      t1.byteOffset,
      t2.byteOffset,
      e.byteOffset,
      force.byteOffset,
      f,
      m,
      cap,
      weights[0],
      weights[1],
      weights[2],
    );
    if (e !== exposure) exposure.set(e);
    return true;
  }

  /** The byte offset of `a` when it is in this memory, else of `row` after copying `a` into it. */
  private inMemory(a: Float64Array, row: Float64Array): number {
    if (this.holds(a)) return a.byteOffset;
    row.set(a);
    return row.byteOffset;
  }

  /** Runs the group's trades for its first k assets (1–3). */
  run(k: number): void {
    this.pi[P_K] = k;
    this.exports.tradeAssets(this.params);
  }
}

/**
 * Bytes of an arena for `nPaths` paths and `nAssets` assets: the parameter block; the book's cash,
 * value, fees, premiums, turnover, trades and units; the sink's targets, has-masks, force and none
 * masks; the rebalancing mask; the spot, target and has rows (three each); a three-asset book's
 * previous-spot rows (three); `nAssets` arrays for the caller (the stepper's previous spots); and
 * LINE_ROWS rows for option lines' quantities and Δ. The constructor takes its own rows; the book,
 * sink and stepper take the rest through `f64` and `u8`.
 */
function arenaBytes(nPaths: number, nAssets: number): number {
  const d = align16(8 * nPaths);
  const b = align16(nPaths);
  const prev = nAssets === 3 ? 3 : 0;
  return align16(PARAMS_BYTES) + d * (6 + 2 * nAssets + 6 + prev + nAssets + LINE_ROWS) + b * (nAssets + 6);
}

/**
 * Rows for the quantities and Δ of the book's first two option lines (Book.newLine takes them with
 * `f64`; later lines get plain arrays): the mark counts their live positions in WebAssembly
 * (`countLive`), and a hedge's targets come from them there (`hedgeUnits`).
 */
export const LINE_ROWS = 4;

/**
 * An arena for a book of `nPaths` paths and `nAssets` assets, or null when the WebAssembly kernels
 * are off or unavailable, or the host refuses the memory (the book then allocates plain arrays).
 * With `market` (one of the market's spot arrays) in the GBM kernel's memory and room in its guest
 * arena, the arena is a guest there (the spots read in place); otherwise it gets a memory of its own.
 */
export function createExecArena(nPaths: number, nAssets: number, market?: Float64Array): ExecArena | null {
  if (!wasmKernelsEnabled() || nAssets === 0) return null;
  const bytes = arenaBytes(nPaths, nAssets);
  const gbm = market ? gbmWasmOf(market) : undefined;
  const at = gbm ? gbm.guestAlloc(bytes) : -1;
  if (gbm && at >= 0)
    return new ExecArena(
      { buffer: gbm.buffer, start: at, end: at + bytes, fns: gbm.execFns, market: true },
      nPaths,
      nAssets,
    );
  if (module === undefined) module = compileWasm(EXEC_KERNEL_WASM_BASE64);
  if (!module) return null;
  const memory = newMemory(FREE_AT + bytes);
  if (!memory) return null; // the host refused the pages: JavaScript
  const fns = new WA.Instance(module, { env: { memory } }).exports as ExecExports;
  if (fns.FREE.value !== FREE_AT) throw new Error('exec-kernel: layout differs from the module');
  return new ExecArena(
    { buffer: memory.buffer, start: FREE_AT, end: FREE_AT + bytes, fns, market: false },
    nPaths,
    nAssets,
  );
}
