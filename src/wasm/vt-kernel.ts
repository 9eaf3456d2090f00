/**
 * Loader of the WebAssembly SIMD step of the volatility-targeting overlay (src/wasm/assembly/vt-kernel.ts):
 * one sleeve weight over 3 assets, EWMA-covariance forecast, no report bookkeeping, an even number
 * of paths.
 *
 * The overlay's per-path state that the step updates — weight, forecast, covariance, lagged ring and
 * the inner's base units of the three sleeve assets — is moved into WebAssembly memory once (`adopt`:
 * copied in, then the state's arrays ARE views on that memory, so snapshots still see plain typed
 * arrays); a state restored from a snapshot holds ordinary arrays again and is adopted afresh. The
 * target sink's arrays of the sleeve assets are adopted the same way (see `step`).
 *
 * Two homes: when the market's arrays are the WebAssembly GBM kernel's state (src/wasm/gbm-kernel.ts),
 * the overlay lives in that kernel's guest arena and runs the step compiled into the same module, so
 * the sleeve's log returns and spots are read in place; otherwise it gets a module of its own
 * (vt-kernel.wasm) and they are copied in every step.
 *
 * References: see the AssemblyScript source.
 */
import { type GbmWasm, gbmWasmOf } from './gbm-kernel.ts';
import { VT_KERNEL_WASM_BASE64 } from './generated/vt-kernel.wasm.ts';
import { compileWasm, newMemory, WA, wasmKernelsEnabled } from './runtime.ts';

/** Bytes of a parameter block: 64 i32 slots, then 16 f64 slots. */
const PARAMS_BYTES = 384;

/** FREE of the AssemblyScript source: where the arrays may start (checked at instantiation). */
const FREE_AT = 65536;

interface VtExports {
  FREE: { readonly value: number };
  step(params: number): void;
}

/** Where a kernel's arrays live and which step runs on them. */
interface VtHome {
  readonly buffer: ArrayBuffer;
  /** `bytes` bytes (16-aligned) of this home's memory, or −1 when there is no room. */
  alloc(bytes: number): number;
  step(params: number): void;
  /** True when the market's arrays are in this memory (the step reads them in place). */
  readonly inPlace: boolean;
}

/** The state arrays the kernel keeps in its memory (the overlay's own, adopted). */
export interface VtResident {
  weight: Float64Array;
  variance: Float64Array;
  cov: Float64Array;
  lagged: Float64Array;
  /** The inner's base units of the three sleeve assets. */
  base: [Float64Array, Float64Array, Float64Array];
}

/** Per-step scalars, computed by the caller exactly as the JavaScript step computes them. */
export interface VtStepScalars {
  step: number;
  lag: number;
  lambda: number;
  cw: number;
  c0: number;
  c1: number;
  c2: number;
  target: number;
  target2: number;
  band: number;
  lo: number;
  hi: number;
  byVariance: boolean;
}

let module: object | null | undefined;
const align16 = (x: number): number => Math.ceil(x / 16) * 16;

/** A module of its own on a memory made for `bytes` past its FREE offset, a bump allocator. */
function ownHome(bytes: number): VtHome | null {
  if (module === undefined) module = compileWasm(VT_KERNEL_WASM_BASE64);
  if (!module) return null;
  const end = FREE_AT + bytes;
  const memory = newMemory(end); // its final size: never grown (runtime.ts)
  if (!memory) return null;
  const exports = new WA.Instance(module, { env: { memory } }).exports as VtExports;
  if (exports.FREE.value !== FREE_AT) throw new Error('vt-kernel: layout differs from the module');
  let next = FREE_AT;
  return {
    buffer: memory.buffer,
    inPlace: false,
    alloc(n: number): number {
      const at = next;
      if (at + n > end) return -1;
      next = align16(at + n);
      return at;
    },
    step: (params: number) => exports.step(params),
  };
}

/** The GBM kernel's guest arena (the market's own memory). */
function gbmHome(gbm: GbmWasm): VtHome {
  return {
    buffer: gbm.buffer,
    inPlace: true,
    alloc: (n: number) => gbm.guestAlloc(n),
    step: (params: number) => gbm.vtStep(params),
  };
}

/**
 * The kernel's blocks in allocation order, in bytes: the parameter block; the market copies (returns,
 * spots; not when it reads them in place); base, out, held (3 each); the 3 masks; weight, variance,
 * covariance, lagged ring. The constructor allocates exactly these, and `ownHome` is sized by them.
 */
function blockBytes(n: number, lag: number, inPlace: boolean): number[] {
  const d = 8 * n;
  const market = inPlace ? [] : [d, d, d, d, d, d];
  return [PARAMS_BYTES, ...market, d, d, d, d, d, d, d, d, d, n, n, n, d, d, 6 * d, lag > 1 ? lag * d : 0];
}

/** One overlay state's kernel (n paths, n even). */
export class VolTargetWasm {
  readonly n: number;
  readonly buffer: ArrayBuffer;
  /** Views on the kernel's memory, adopted by the state. */
  readonly resident: VtResident;
  private readonly home: VtHome;
  private readonly params: number;
  private readonly ret: Float64Array[] = [];
  private readonly spot: Float64Array[] = [];
  private readonly out: Float64Array[] = [];
  private readonly held: Float64Array[] = [];
  private readonly has: Uint8Array[] = [];
  private readonly pi: Int32Array;
  private readonly pf: Float64Array;

  /** @throws RangeError when the home has no room (the caller tries another home). */
  constructor(home: VtHome, n: number, lag: number) {
    this.home = home;
    this.n = n;
    const buf = home.buffer;
    this.buffer = buf;
    const at = blockBytes(n, lag, home.inPlace).map((bytes) => {
      const p = home.alloc(bytes);
      if (p < 0) throw new RangeError('vt-kernel: no room');
      return p;
    });
    let next = 0;
    const f64s = (len: number): Float64Array => new Float64Array(buf, at[next++], len);
    this.params = at[next++];
    this.pi = new Int32Array(buf, this.params, 64);
    this.pf = new Float64Array(buf, this.params + 256, 16);
    // pointer order of the AssemblyScript step: r0 r1 r2 s0 s1 s2 b0 b1 b2 o0 o1 o2 h0 h1 h2 g0 g1 g2 w v cov lagged
    if (!home.inPlace) {
      for (let k = 0; k < 3; k++) this.ret.push(f64s(n));
      for (let k = 0; k < 3; k++) this.spot.push(f64s(n));
    }
    const base: [Float64Array, Float64Array, Float64Array] = [f64s(n), f64s(n), f64s(n)];
    for (let k = 0; k < 3; k++) this.out.push(f64s(n));
    for (let k = 0; k < 3; k++) this.held.push(f64s(n));
    for (let k = 0; k < 3; k++) this.has.push(new Uint8Array(buf, at[next++], n));
    this.resident = {
      base,
      weight: f64s(n),
      variance: f64s(n),
      cov: f64s(6 * n),
      lagged: f64s(lag > 1 ? lag * n : 0),
    };
    const r = this.resident;
    const fixed = [...base, ...this.out, ...this.held, ...this.has, r.weight, r.variance, r.cov, r.lagged];
    for (let k = 0; k < fixed.length; k++) this.pi[8 + 6 + k] = fixed[k].byteOffset;
    if (!home.inPlace) for (let k = 0; k < 3; k++) this.setMarket(k, this.ret[k], this.spot[k]);
  }

  /** Whether the step reads the market's arrays in place (they are in this kernel's memory). */
  get inPlace(): boolean {
    return this.home.inPlace;
  }

  private setMarket(k: number, ret: Float64Array, spot: Float64Array): void {
    this.pi[8 + k] = ret.byteOffset;
    this.pi[8 + 3 + k] = spot.byteOffset;
  }

  /**
   * One step (`fusedSleeve3Lean` with the covariance forecast) for the sleeve assets `assets`:
   * reads their log returns and spots (in place, or copied in), the inner's unit targets and masks,
   * and the holdings where some path has no target; the scaled targets and masks are written in
   * place. The target sink's arrays of the three assets are adopted like the state: their contents
   * copied into this memory once, then `out[a]` and `has[a]` are replaced by views on it (the
   * executor and the inner strategy read and write them there; both fetch them from the sink every
   * step). Returns false (nothing done) when the kernel reads in place but the market's arrays are
   * not in its memory. Shape: assets [3]; every other argument [nAssets][n].
   */
  step(
    s: VtStepScalars,
    assets: Int32Array,
    logReturn: readonly Float64Array[],
    spot: readonly Float64Array[],
    out: Float64Array[],
    has: Uint8Array[],
    held: readonly Float64Array[],
  ): boolean {
    const n = this.n;
    const i = s.step;
    for (let k = 0; k < 3; k++) {
      const a = assets[k];
      if (this.home.inPlace) {
        if (logReturn[a].buffer !== this.buffer || spot[a].buffer !== this.buffer) return false;
        this.setMarket(k, logReturn[a], spot[a]);
      } else {
        this.ret[k].set(logReturn[a]);
        this.spot[k].set(spot[a]);
      }
    }
    for (let k = 0; k < 3; k++) {
      const a = assets[k];
      if (out[a] !== this.out[k]) {
        this.out[k].set(out[a]);
        out[a] = this.out[k];
      }
      if (has[a] !== this.has[k]) {
        this.has[k].set(has[a]);
        has[a] = this.has[k];
      }
      // The holdings are read only where the inner set no target (usually nowhere).
      const all = this.has[k].indexOf(0) === -1;
      if (!all) this.held[k].set(held[a]);
      this.pi[30 + k] = all ? 1 : 0;
    }
    const pi = this.pi;
    pi[0] = n;
    pi[1] = i > 0 ? 1 : 0;
    pi[2] = s.lag > 1 ? 1 : 0;
    pi[3] = (i % s.lag) * n;
    pi[4] = ((i + 1) % s.lag) * n;
    pi[5] = !s.byVariance && i > 0 ? 1 : 0;
    pi[6] = s.byVariance ? 1 : 0;
    pi[7] = i === 0 ? 1 : 0;
    const pf = this.pf;
    pf[0] = s.lambda;
    pf[1] = s.cw;
    pf[2] = s.c0;
    pf[3] = s.c1;
    pf[4] = s.c2;
    pf[5] = s.target;
    pf[6] = s.target2;
    pf[7] = s.band;
    pf[8] = s.lo;
    pf[9] = s.hi;
    this.home.step(this.params);
    return true;
  }
}

/**
 * A kernel for n paths and ring length `lag` — in the GBM kernel's memory when `market` (one of the
 * market's arrays) is that kernel's state and its arena has room, else in a module of its own — or
 * null when the WebAssembly kernels are off or unavailable, or n is odd (the JavaScript step then
 * runs).
 */
export function createVolTargetWasm(n: number, lag: number, market?: Float64Array): VolTargetWasm | null {
  if (!wasmKernelsEnabled() || n % 2 !== 0 || n < 2) return null;
  const gbm = market ? gbmWasmOf(market) : undefined;
  if (gbm) {
    try {
      return new VolTargetWasm(gbmHome(gbm), n, lag);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e; // the arena is full: a module of its own
    }
  }
  const home = ownHome(blockBytes(n, lag, false).reduce((sum, b) => sum + align16(b), 0));
  if (!home) return null;
  try {
    return new VolTargetWasm(home, n, lag);
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
}
