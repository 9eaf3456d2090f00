/**
 * A BSM batch laid out directly in the WebAssembly kernel's staging block (src/wasm/bs-kernel.ts):
 * the caller writes its inputs into the block's views, `run` prices them in place and the Greeks
 * are read from the block's output views — no copy in or out. For a caller that builds its inputs
 * element by element anyway (the vanilla batch of a live book: hundreds of options at every quote).
 *
 * The kernel is the one `blackBatch` runs for batches of WASM_MIN options or more, on the same
 * values, so the results are bit-identical to `blackBatch` (whose copies change no bits; see
 * src/pricing/black-batch-wasm.ts and src/portfolio/vanilla-batch.test.ts). Formulas: generalized
 * BSM, Haug (2007) §1.1 and ch. 2, as in black-scholes.ts.
 *
 * The staging block is module-level scratch: between `stagedBlackBatch` and `run` nothing else may
 * price through the kernel (no `blackBatch` call in between).
 */

import {
  BLOCK,
  type BsKernel,
  bsKernel,
  OUTPUT_ORDER,
  stageDummyOption,
  wasmKernelsActive,
} from '../wasm/bs-kernel.ts';
import { WASM_MIN } from './black-scholes.ts';
import type { GreeksBlock } from './greeks-block.ts';

/** The Greeks `run` computes beyond price and Δ (the marks' GreekMask). */
export interface StagedWant {
  readonly gamma?: boolean;
  readonly vega?: boolean;
  readonly theta?: boolean;
  readonly vanna?: boolean;
  readonly volga?: boolean;
}

/** Output views of a staged batch (n long; a Greek not asked for holds stale values). */
export type StagedOutput = GreeksBlock;

/** Input views of the staging block for n options (write element i of each), and the call. */
export interface StagedBatch {
  readonly n: number;
  readonly spot: Float64Array;
  readonly strike: Float64Array;
  /** Time to expiry, years. */
  readonly expiry: Float64Array;
  readonly rate: Float64Array;
  readonly vol: Float64Array;
  readonly dividend: Float64Array;
  /** +1 call, −1 put. */
  readonly sign: Int8Array;
  readonly out: StagedOutput;
}

const bit = (name: (typeof OUTPUT_ORDER)[number]) => 1 << (OUTPUT_ORDER.indexOf(name) - 1);

let cached: (StagedBatch & { kernel: BsKernel }) | undefined;

/**
 * The staging block's views for a batch of `n` options, or undefined when `blackBatch` would not
 * run the WebAssembly kernel on them (fewer than WASM_MIN, more than one block, or no kernel): the
 * caller then prices through `blackBatch`.
 */
export function stagedBlackBatch(n: number): StagedBatch | undefined {
  if (n < WASM_MIN || n > BLOCK || !wasmKernelsActive()) return undefined;
  if (cached !== undefined && cached.n === n) return cached;
  const kernel = bsKernel();
  if (kernel === null) return undefined;
  const [spot, strike, expiry, rate, vol, dividend] = kernel.input.map((x) => x.subarray(0, n));
  const o = (name: (typeof OUTPUT_ORDER)[number]) => kernel.output[OUTPUT_ORDER.indexOf(name)].subarray(0, n);
  cached = {
    n,
    kernel,
    spot,
    strike,
    expiry,
    rate,
    vol,
    dividend,
    sign: kernel.sign.subarray(0, n),
    out: {
      price: o('price'),
      delta: o('delta'),
      gamma: o('gamma'),
      vega: o('vega'),
      theta: o('theta'),
      vanna: o('vanna'),
      volga: o('volga'),
    },
  };
  return cached;
}

/**
 * Prices the staged batch in place (BSM with the dividend yields): price and Δ always, the Greeks
 * of `want` besides, as `blackBatch` with those output arrays would.
 */
export function runStaged(b: StagedBatch, want: StagedWant): void {
  const kernel = (b as StagedBatch & { kernel: BsKernel }).kernel;
  const n = b.n;
  let flags = bit('delta');
  if (want.gamma) flags |= bit('gamma');
  if (want.vega) flags |= bit('vega');
  if (want.theta) flags |= bit('theta');
  if (want.vanna) flags |= bit('vanna');
  if (want.volga) flags |= bit('volga');
  if (n & 1) stageDummyOption(kernel, n); // an odd batch: the last pair's second lane
  kernel.exports.bsBatch(kernel.stageIn, kernel.stageOut, BLOCK, n + (n & 1), flags, 0, 1, 0);
}
