/**
 * Loader of the WebAssembly batch implied-volatility kernel (src/wasm/assembly/iv-kernel.ts, compiled
 * into src/wasm/generated/iv-kernel.wasm.ts by `npm run build:wasm`): the per-element loop of
 * `impliedVolBatch` with Jäckel's "Let's Be Rational", scalar, bit-identical to the JavaScript.
 *
 * The module is instantiated synchronously on first use on one memory of 512 KiB that never grows
 * (views on it stay valid; see `newMemory`). A call streams the caller's arrays through a staging
 * block of BLOCK options (inputs copied in, vol and status copied out). The driver is
 * src/pricing/implied-vol-wasm.ts; `useWasmKernels(false)` forces the JavaScript path.
 *
 * References: see the AssemblyScript sources (Jäckel 2015; Cody 1969; Wichura 1988; fdlibm 5.3).
 */
import { IV_KERNEL_WASM_BASE64 } from './generated/iv-kernel.wasm.ts';
import { compileWasm, newMemory, WA, type WasmMemory } from './runtime.ts';

/** Options per staged block (BLOCK of the AssemblyScript source). */
export const BLOCK = 4096;
/** Byte offsets of the layout (STAGE_* of the AssemblyScript source). */
const STAGE_IN = 65536;
const STAGE_SIGN = STAGE_IN + 6 * 8 * BLOCK;
const STAGE_VOL = STAGE_SIGN + BLOCK;
const STAGE_STATUS = STAGE_VOL + 8 * BLOCK;
const MEMORY_BYTES = 8 * 65536;

/** The unary functions of the kernel's `unaryBatch` test entry, by op code. */
export const UNARY_OPS = ['exp', 'log', 'expm1', 'cbrt', 'erf', 'erfcx', 'normCdf', 'normInv'] as const;

interface IvKernelExports {
  /** The loop over n ≤ BLOCK staged options; hasQ 0 means q = 0, black76 1 means spot holds forwards. */
  ivBatch(n: number, hasQ: number, black76: number): void;
  /** BLACK_SCRATCH[0] and LBR_DIAGNOSTICS.iterations into the kernel. */
  setState(vega: number, iterations: number): void;
  vega(): number;
  iterations(): number;
  /** UNARY_OPS[op] in place on the first n doubles of `unary` (n ≤ 6·BLOCK). */
  unaryBatch(op: number, n: number): void;
  exp(x: number): number;
  log(x: number): number;
  expm1(x: number): number;
  cbrt(x: number): number;
  erf(x: number): number;
  erfcx(x: number): number;
  normCdf(x: number): number;
  normInv(p: number): number;
  otmBlack(x: number, s: number): number;
  otmBlackComplement(x: number, s: number): number;
  otmImpliedTotalVol(beta: number, x: number): number;
}

/** A ready kernel: its exports and views on its staging block. */
export interface IvKernel {
  readonly exports: IvKernelExports;
  /** price, spot, strike, expiry, rate, dividend, each BLOCK long. */
  readonly input: readonly Float64Array[];
  /** The signs ±1, BLOCK long. */
  readonly sign: Int8Array;
  /** σ out, BLOCK long. */
  readonly vol: Float64Array;
  /** IV_STATUS codes out, BLOCK long. */
  readonly status: Uint8Array;
  /** The 6·BLOCK input doubles as one row (the `unaryBatch` test entry works on it). */
  readonly unary: Float64Array;
}

let kernel: IvKernel | null | undefined;

function instantiate(mod: object, memory: WasmMemory): IvKernel {
  const inst = new WA.Instance(mod, { env: { memory } });
  const buf = memory.buffer;
  if (STAGE_STATUS + BLOCK > buf.byteLength) throw new Error('iv-kernel: staging does not fit');
  const input: Float64Array[] = [];
  for (let k = 0; k < 6; k++) input.push(new Float64Array(buf, STAGE_IN + 8 * BLOCK * k, BLOCK));
  return {
    exports: inst.exports as unknown as IvKernelExports,
    input,
    sign: new Int8Array(buf, STAGE_SIGN, BLOCK),
    vol: new Float64Array(buf, STAGE_VOL, BLOCK),
    status: new Uint8Array(buf, STAGE_STATUS, BLOCK),
    unary: new Float64Array(buf, STAGE_IN, 6 * BLOCK),
  };
}

/**
 * The instantiated kernel, or null when this host cannot compile the module or refuses its memory
 * (then the JavaScript path runs).
 */
export function ivKernel(): IvKernel | null {
  if (kernel === undefined) {
    const mod = compileWasm(IV_KERNEL_WASM_BASE64);
    const memory = mod ? newMemory(MEMORY_BYTES) : null;
    kernel = mod && memory ? instantiate(mod, memory) : null;
  }
  return kernel;
}
