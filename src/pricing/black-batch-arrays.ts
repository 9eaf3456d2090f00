/**
 * Arrays for `blackBatch` that live in the WebAssembly kernel's own memory, so the kernel prices
 * them in place: no copy into its staging block, none back out.
 *
 * `blackBatch` on ordinary Float64Arrays streams them through the kernel's staging block
 * (black-batch-wasm.ts). On a batch of millions of options those copies run at memory speed
 * between the kernel's blocks and cost 5–7 ns per option. C pays for the same bytes, but overlapped
 * with its arithmetic (docs/performance.md). `blackBatchArrays(n, greeks)` gives the inputs and
 * outputs of an n-option batch as views on one instance of the kernel with a memory of its own,
 * laid out the way the kernel reads its staging block (a row per field, `cap` options apart).
 * `blackBatch` recognises them and runs the kernel on them directly. The arithmetic is the same,
 * so the bits are too (tested against the JavaScript reference).
 *
 * The arrays are ordinary Float64Arrays for everything else (fill them, read them, pass them
 * anywhere). `blackBatch` takes the in-place route only when every array it gets is one of these
 * very arrays (not a subarray of them), and the staged route otherwise. Where WebAssembly SIMD is
 * off or missing, or the host refuses the memory, the arrays are plain ones and `blackBatch` runs as
 * it would on any arrays.
 *
 * Layout, after the kernel's fixed KERNEL_BYTES (tables, staging block, scratch): spot, strike,
 * expiry, rate, vol, dividend (f64 rows of cap = n rounded up to even), the signs (int8 row), then
 * one f64 row per output of OUTPUT_ORDER up to the last one asked for. The memory is made at its
 * final size and never grows (src/wasm/runtime.ts).
 * References: the kernel's formulas are Haug (2007) §1.1 and ch. 2 (black-scholes.ts).
 */
import {
  type BsKernel,
  bsModule,
  KERNEL_BYTES,
  kernelOn,
  OUTPUT_ORDER,
  wasmKernelsEnabled,
} from '../wasm/bs-kernel.ts';
import { newMemory } from '../wasm/runtime.ts';
import { kernelFlags } from './black-batch-wasm.ts';
import type { BlackBatchInput, BlackBatchOutput } from './black-scholes.ts';

/** A Greek `blackBatch` can write (every output but the price). */
export type BatchGreek = Exclude<(typeof OUTPUT_ORDER)[number], 'price'>;

/** The inputs of a batch, every field present (dividend zero unless set). */
export interface BatchInputArrays extends BlackBatchInput {
  readonly dividend: Float64Array;
}

/** Inputs and outputs of one batch (`blackBatch(arrays.input, arrays.out)`). */
export interface BlackBatchArrays {
  readonly input: BatchInputArrays;
  /** price, and each Greek asked for. */
  readonly out: BlackBatchOutput & { readonly price: Float64Array };
}

/** Where an in-place batch lives: its kernel instance, layout and full-length rows. */
interface Resident {
  readonly kernel: BsKernel;
  readonly arrays: BlackBatchArrays;
  readonly n: number;
  /** Row length, options (n rounded up to even). */
  readonly cap: number;
  readonly inAt: number;
  readonly outAt: number;
  /** The input rows at full length cap (the odd batch's padding option is written through them). */
  readonly rows: readonly Float64Array[];
  readonly signRow: Int8Array;
}

/** Largest memory an in-place batch takes (wasm32 addresses 4 GiB; beyond it, plain arrays). */
const MAX_BYTES = 2 ** 32 - 65536;

const residents = new WeakMap<ArrayBuffer, Resident>();
const align16 = (x: number): number => Math.ceil(x / 16) * 16;

/**
 * The arrays of an n-option batch computing the price and `greeks`, in the kernel's memory when it
 * can be (see the file header), else plain Float64Arrays. Signs start at +1 (calls), the rest at 0.
 * @throws RangeError for n not a whole number ≥ 1
 * @example const b = blackBatchArrays(1e6, ['delta']); b.input.spot.fill(100); …; blackBatch(b.input, b.out);
 */
export function blackBatchArrays(n: number, greeks: readonly BatchGreek[] = []): BlackBatchArrays {
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`n must be a whole number >= 1 (got ${n})`);
  const last = Math.max(0, ...greeks.map((g) => OUTPUT_ORDER.indexOf(g)));
  const cap = n + (n & 1);
  const inAt = KERNEL_BYTES;
  const signAt = inAt + 6 * 8 * cap;
  const outAt = align16(signAt + cap);
  const end = outAt + 8 * cap * (last + 1);
  const mod = wasmKernelsEnabled() && end <= MAX_BYTES ? bsModule() : null;
  const memory = mod ? newMemory(end) : null;
  if (!mod || !memory) return plainArrays(n, greeks);
  const kernel = kernelOn(mod, memory);
  const buf = memory.buffer;
  const rows = Array.from({ length: 6 }, (_, k) => new Float64Array(buf, inAt + 8 * cap * k, cap));
  const signRow = new Int8Array(buf, signAt, cap).fill(1);
  const [spot, strike, expiry, rate, vol, dividend] = rows.map((r) => r.subarray(0, n));
  const out: Record<string, Float64Array> = { price: new Float64Array(buf, outAt, n) };
  for (const g of greeks) out[g] = new Float64Array(buf, outAt + 8 * cap * OUTPUT_ORDER.indexOf(g), n);
  const arrays: BlackBatchArrays = {
    input: { sign: signRow.subarray(0, n), spot, strike, expiry, rate, vol, dividend },
    out: out as unknown as BlackBatchArrays['out'],
  };
  residents.set(buf, { kernel, arrays, n, cap, inAt, outAt, rows, signRow });
  return arrays;
}

function plainArrays(n: number, greeks: readonly BatchGreek[]): BlackBatchArrays {
  const f = () => new Float64Array(n);
  const out: Record<string, Float64Array> = { price: f() };
  for (const g of greeks) out[g] = f();
  return {
    input: {
      sign: new Int8Array(n).fill(1),
      spot: f(),
      strike: f(),
      expiry: f(),
      rate: f(),
      vol: f(),
      dividend: f(),
    },
    out: out as unknown as BlackBatchArrays['out'],
  };
}

/**
 * Prices `input` into `out` in place when both are a batch of `blackBatchArrays` (every array the
 * very one it handed out) and returns true; returns false, touching nothing, otherwise.
 * Called by `blackBatch` only when the WebAssembly kernels are on.
 */
export function blackBatchInPlace(
  input: BlackBatchInput,
  out: BlackBatchOutput,
  model: 'bsm' | 'black76',
): boolean {
  const r = residents.get(input.spot.buffer as ArrayBuffer);
  // A caller's ln S is not one of these arrays: the staged route takes it.
  if (r === undefined || input.logSpot !== undefined) return false;
  const a = r.arrays;
  const ai = a.input;
  const black76 = model === 'black76';
  const dividend = black76 ? undefined : input.dividend;
  if (
    input.spot !== ai.spot ||
    input.strike !== ai.strike ||
    input.expiry !== ai.expiry ||
    input.rate !== ai.rate ||
    input.vol !== ai.vol ||
    input.sign !== ai.sign ||
    (dividend !== undefined && dividend !== ai.dividend)
  )
    return false;
  const own = a.out as unknown as Record<string, Float64Array | undefined>;
  const want = out as unknown as Record<string, Float64Array | undefined>;
  const targets = OUTPUT_ORDER.map((k) => want[k]);
  for (let k = 0; k < targets.length; k++) {
    const t = targets[k];
    if (t !== undefined && t !== own[OUTPUT_ORDER[k]]) return false;
  }
  const flags = kernelFlags(targets);
  const n = r.n;
  if (n & 1) {
    // An odd batch: a valid dummy option (S = K = T = 1, r = σ = q = 0, a call) in the last pair's
    // second lane; its outputs land past n, outside every view.
    const [s, k, t, rr, v, q] = r.rows;
    s[n] = k[n] = t[n] = 1;
    rr[n] = v[n] = q[n] = 0;
    r.signRow[n] = 1;
  }
  r.kernel.exports.bsBatch(r.inAt, r.outAt, r.cap, r.cap, flags, black76 ? 1 : 0, dividend ? 1 : 0, 0);
  return true;
}
