/**
 * Loader and driver of the WebAssembly SIMD Black-Scholes/Black-76 batch kernel
 * (src/wasm/assembly/bs-kernel.ts, compiled into src/wasm/generated/bs-kernel.wasm.ts by
 * `npm run build:wasm`).
 *
 * The module is instantiated synchronously on first use on one WebAssembly memory of 576 KiB that
 * never grows (so views on it stay valid; the module imports its memory, so black-batch-arrays.ts can
 * give an instance a larger one holding the caller's arrays): the exp and normal-CDF tables of src/core/fast-exp.ts,
 * src/core/exp-table.ts and src/core/normal-fast.ts are copied in once, then every call streams the
 * caller's arrays through a fixed staging block of BLOCK options (inputs copied in, outputs copied
 * out: the caller's Float64Arrays live outside the module's memory, so these two copies are the
 * unavoidable ones; they stay in L2). The kernel computes the same IEEE operations in the same order
 * as `blackBatchJs`, two options per f64x2 step, so every output is bit-identical (tested).
 *
 * `useWasmKernels(false)` forces the JavaScript kernels (the CLI maps HEDGEKIT_NO_WASM=1 to it); the
 * kernel is also skipped when WebAssembly SIMD is unavailable.
 *
 * References: see the AssemblyScript source (Black-Scholes, Tang's exp, fdlibm's log, Cody's erfcx).
 */
import { EXP_TH, EXP_TL } from '../core/exp-table.ts';
import { NORMAL_FAST_TABLE } from '../core/normal-fast.ts';
import { BS_KERNEL_WASM_BASE64 } from './generated/bs-kernel.wasm.ts';
import {
  compileWasm,
  newMemory,
  useWasmKernels,
  WA,
  type WasmMemory,
  wasmKernelsEnabled,
} from './runtime.ts';

export { useWasmKernels, wasmKernelsEnabled };

/** Byte offsets of the layout (the table offsets match TABLE_* of the AssemblyScript source). */
const TABLE_TH = 65536;
const TABLE_TL = TABLE_TH + 512;
const TABLE_POW2 = TABLE_TL + 512;
const TABLE_MILLS = TABLE_POW2 + 17600;
const STAGE_IN = 196608;
/** Options per staged block (even). */
export const BLOCK = 2048;
const STAGE_OUT = STAGE_IN + 7 * 8 * BLOCK;
/** The kernel's scratch rows (SCRATCH, 18 rows of CH = 128 doubles in the AssemblyScript source). */
const SCRATCH = STAGE_OUT + 8 * BLOCK * 11;
const SCRATCH_BYTES = 18 * 8 * 128;
/** The staged ln S row (`logSpot` of a batch), after the scratch. */
const STAGE_LNS = 8 * 65536;
const MEMORY_BYTES = 9 * 65536;

/** Output order of the kernel's `flags` bits (price is always written). */
export const OUTPUT_ORDER = [
  'price',
  'delta',
  'gamma',
  'vega',
  'theta',
  'rho',
  'dividendRho',
  'vanna',
  'volga',
  'charm',
  'dualDelta',
] as const;

interface KernelExports {
  bsBatch(
    base: number,
    out: number,
    cap: number,
    n: number,
    flags: number,
    black76: number,
    hasQ: number,
    lnS: number,
  ): void;
  bsDeltaRun(
    sAt: number,
    lnSAt: number,
    out: number,
    n: number,
    K: number,
    T: number,
    r: number,
    sigma: number,
    q: number,
    w: number,
    black76: number,
  ): void;
  ln(x: number): number;
  /** The kernel's two-lane log on n (even) doubles at byte offset `at`, in place (tests). */
  lnPairs(at: number, n: number): void;
}

/** A ready kernel: its exports and views on its staging block. */
export interface BsKernel {
  readonly exports: KernelExports;
  /** The instance's memory. */
  readonly buffer: ArrayBuffer;
  /** spot, strike, expiry, rate, vol, dividend, each BLOCK long. */
  readonly input: readonly Float64Array[];
  /** The signs ±1, BLOCK long. */
  readonly sign: Int8Array;
  /** ln S (a batch's `logSpot`), BLOCK long, at byte `stageLnS`. */
  readonly logSpot: Float64Array;
  readonly stageLnS: number;
  /** One view per entry of OUTPUT_ORDER, each BLOCK long. */
  readonly output: readonly Float64Array[];
  readonly stageIn: number;
  readonly stageOut: number;
}

let kernel: BsKernel | null | undefined;
let module: object | null | undefined;

/** The compiled module (null without WebAssembly SIMD). */
export function bsModule(): object | null {
  if (module === undefined) module = compileWasm(BS_KERNEL_WASM_BASE64);
  return module;
}

/** Whether `blackBatch` runs the WebAssembly kernel (enabled and instantiable here). */
export function wasmKernelsActive(): boolean {
  return wasmKernelsEnabled() && bsKernel() !== null;
}

/** Byte size of the kernel's fixed layout (tables, staging block, scratch); a memory's first bytes. */
export const KERNEL_BYTES = MEMORY_BYTES;

/**
 * An instance of the kernel on `memory` (at least KERNEL_BYTES; made at its final size, never
 * grown), its tables written. Bytes past KERNEL_BYTES are the caller's (black-batch-arrays.ts).
 */
export function kernelOn(mod: object, memory: WasmMemory): BsKernel {
  const inst = new WA.Instance(mod, { env: { memory, exp: Math.exp } });
  const exports = inst.exports as unknown as KernelExports;
  const buf = memory.buffer;
  if (buf.byteLength < MEMORY_BYTES) throw new Error('bs-kernel: memory smaller than its layout');
  new Float64Array(buf, TABLE_TH, 64).set(EXP_TH);
  new Float64Array(buf, TABLE_TL, 64).set(EXP_TL);
  const pow2 = new Float64Array(buf, TABLE_POW2, 2200);
  for (let k = -1100; k < 1100; k++) pow2[k + 1100] = 2 ** k;
  // +1 double of padding: the kernel reads coefficient pairs, the last one past the final bucket.
  if (TABLE_MILLS + 8 * (NORMAL_FAST_TABLE.length + 1) > STAGE_IN)
    throw new Error('bs-kernel: table overlap');
  new Float64Array(buf, TABLE_MILLS, NORMAL_FAST_TABLE.length).set(NORMAL_FAST_TABLE);
  const input: Float64Array[] = [];
  for (let k = 0; k < 6; k++) input.push(new Float64Array(buf, STAGE_IN + 8 * BLOCK * k, BLOCK));
  const sign = new Int8Array(buf, STAGE_IN + 8 * BLOCK * 6, BLOCK);
  const output: Float64Array[] = [];
  for (let k = 0; k < OUTPUT_ORDER.length; k++)
    output.push(new Float64Array(buf, STAGE_OUT + 8 * BLOCK * k, BLOCK));
  if (
    STAGE_OUT + 8 * BLOCK * OUTPUT_ORDER.length > SCRATCH ||
    SCRATCH + SCRATCH_BYTES > STAGE_LNS ||
    STAGE_LNS + 8 * BLOCK > MEMORY_BYTES
  )
    throw new Error('bs-kernel: staging and scratch do not fit');
  const logSpot = new Float64Array(buf, STAGE_LNS, BLOCK);
  return {
    exports,
    buffer: buf,
    input,
    sign,
    logSpot,
    stageLnS: STAGE_LNS,
    output,
    stageIn: STAGE_IN,
    stageOut: STAGE_OUT,
  };
}

/**
 * Writes a valid dummy option (S = K = T = 1, ln S = 0, r = σ = q = 0, a call) at staging index `i`: it fills
 * the second lane of the last pair of an odd batch (its output is never read).
 */
export function stageDummyOption(kernel: BsKernel, i: number): void {
  const [sS, sK, sT, sR, sV, sQ] = kernel.input;
  sS[i] = 1;
  sK[i] = 1;
  sT[i] = 1;
  sR[i] = 0;
  sV[i] = 0;
  sQ[i] = 0;
  kernel.logSpot[i] = 0;
  kernel.sign[i] = 1;
}

/**
 * The instantiated kernel, or null when WebAssembly SIMD is unavailable (the module fails to
 * compile) — then the JavaScript kernels run.
 */
export function bsKernel(): BsKernel | null {
  if (kernel === undefined) {
    const mod = bsModule();
    const memory = mod ? newMemory(MEMORY_BYTES) : null;
    kernel = mod && memory ? kernelOn(mod, memory) : null;
  }
  return kernel;
}
