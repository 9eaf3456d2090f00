/**
 * Loader of the WebAssembly SIMD step of the volatility-targeting overlay (src/wasm/assembly/vt-kernel.ts,
 * compiled into src/wasm/generated/vt-kernel.wasm.ts by `npm run build:wasm`): one sleeve weight over
 * 3 assets, EWMA-covariance forecast, no report bookkeeping, an even number of paths.
 *
 * The overlay's per-path state that the step updates — weight, forecast, covariance, lagged ring and
 * the inner's base units of the three sleeve assets — is moved into the kernel's memory once
 * (`adopt`: copied in, then the state's arrays ARE views on that memory, so snapshots still see plain
 * typed arrays); a state restored from a snapshot holds ordinary arrays again and is adopted by a new
 * kernel. The target sink's arrays of the sleeve assets are adopted the same way (see `step`), so per
 * step only the market's log returns and spots (and the holdings where a path has no target) are
 * copied in.
 *
 * References: see the AssemblyScript source.
 */
import { VT_KERNEL_WASM_BASE64 } from './generated/vt-kernel.wasm.ts';
import { compileWasm, growTo, WA, type WasmMemory, wasmKernelsEnabled } from './runtime.ts';

const PARAMS = 32768;
const F = PARAMS + 256;

interface VtExports {
  memory: WasmMemory;
  FREE: { readonly value: number };
  step(): void;
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

/** One overlay state's kernel (n paths, n even). */
export class VolTargetWasm {
  readonly n: number;
  readonly buffer: ArrayBuffer;
  /** Views on the kernel's memory, adopted by the state. */
  readonly resident: VtResident;
  private readonly exports: VtExports;
  private readonly ret: Float64Array[] = [];
  private readonly spot: Float64Array[] = [];
  private readonly out: Float64Array[] = [];
  private readonly held: Float64Array[] = [];
  private readonly has: Uint8Array[] = [];
  private readonly pi: Int32Array;
  private readonly pf: Float64Array;

  constructor(mod: object, n: number, lag: number) {
    const inst = new WA.Instance(mod, {});
    this.exports = inst.exports as VtExports;
    this.n = n;
    let at = align16(this.exports.FREE.value);
    const ptrs: number[] = [];
    const f64s = (len: number): number => {
      const p = at;
      at = align16(at + 8 * len);
      return p;
    };
    // pointer order of the AssemblyScript step: r0 r1 r2 s0 s1 s2 b0 b1 b2 o0 o1 o2 h0 h1 h2 g0 g1 g2 w v cov lagged
    for (let k = 0; k < 6; k++) ptrs.push(f64s(n));
    for (let k = 0; k < 3; k++) ptrs.push(f64s(n)); // base (resident)
    for (let k = 0; k < 6; k++) ptrs.push(f64s(n)); // out, held
    for (let k = 0; k < 3; k++) {
      ptrs.push(at);
      at = align16(at + n);
    }
    ptrs.push(f64s(n), f64s(n), f64s(6 * n), f64s(lag > 1 ? lag * n : 0));
    const memory = this.exports.memory;
    if (!growTo(memory, at)) throw new RangeError('vt-kernel: memory');
    const buf = memory.buffer;
    this.buffer = buf;
    this.pi = new Int32Array(buf, PARAMS, 64);
    this.pf = new Float64Array(buf, F, 16);
    for (let k = 0; k < ptrs.length; k++) this.pi[8 + k] = ptrs[k];
    const view = (k: number, len: number) => new Float64Array(buf, ptrs[k], len);
    for (let k = 0; k < 3; k++) {
      this.ret.push(view(k, n));
      this.spot.push(view(3 + k, n));
      this.out.push(view(9 + k, n));
      this.held.push(view(12 + k, n));
      this.has.push(new Uint8Array(buf, ptrs[15 + k], n));
    }
    this.resident = {
      base: [view(6, n), view(7, n), view(8, n)],
      weight: view(18, n),
      variance: view(19, n),
      cov: view(20, 6 * n),
      lagged: view(21, lag > 1 ? lag * n : 0),
    };
  }

  /**
   * One step (`fusedSleeve3Lean` with the covariance forecast) for the sleeve assets `assets`:
   * reads their log returns and spots (copied in), the inner's unit targets and masks, and the
   * holdings where some path has no target; the scaled targets and masks are written in place.
   * The target sink's arrays of the three assets are adopted like the state: their contents copied
   * into this memory once, then `out[a]` and `has[a]` are replaced by views on it (the executor
   * and the inner strategy read and write them there; both fetch them from the sink every step).
   * Shape: assets [3]; every other argument [nAssets][n].
   */
  step(
    s: VtStepScalars,
    assets: Int32Array,
    logReturn: readonly Float64Array[],
    spot: readonly Float64Array[],
    out: Float64Array[],
    has: Uint8Array[],
    held: readonly Float64Array[],
  ): void {
    const n = this.n;
    const i = s.step;
    for (let k = 0; k < 3; k++) {
      const a = assets[k];
      this.ret[k].set(logReturn[a]);
      this.spot[k].set(spot[a]);
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
    this.exports.step();
  }
}

/**
 * A kernel for n paths and ring length `lag`, or null when the WebAssembly kernels are off or
 * unavailable, or n is odd (the JavaScript step then runs).
 */
export function createVolTargetWasm(n: number, lag: number): VolTargetWasm | null {
  if (!wasmKernelsEnabled() || n % 2 !== 0 || n < 2) return null;
  if (module === undefined) module = compileWasm(VT_KERNEL_WASM_BASE64);
  if (!module) return null;
  try {
    return new VolTargetWasm(module, n, lag);
  } catch (e) {
    if (e instanceof RangeError) return null; // the host refused the pages: JavaScript
    throw e;
  }
}
