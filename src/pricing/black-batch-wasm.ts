/**
 * `blackBatch` through the WebAssembly SIMD kernel (src/wasm/bs-kernel.ts): the caller's arrays are
 * streamed through the kernel's staging block, BLOCK options at a time. Outputs are bit-identical to
 * `blackBatchJs` (same formulas, same IEEE operations in the same order; see the AssemblyScript
 * source and src/wasm/bs-kernel.test.ts). Formulas: Haug (2007) ch. 2, as in black-scholes.ts.
 */
import { BLOCK, type BsKernel, OUTPUT_ORDER, stageDummyOption } from '../wasm/bs-kernel.ts';
import type { BlackBatchInput, BlackBatchOutput } from './black-scholes.ts';

/** `flags` bit of the kernel: no price wanted (it is skipped when no Greek needs Φ(ωd2)). */
export const NO_PRICE = 1024;

/**
 * The kernel's `flags` for the outputs present in `targets` (OUTPUT_ORDER): bit k − 1 per Greek k,
 * NO_PRICE without a price.
 */
export function kernelFlags(targets: readonly (Float64Array | undefined)[]): number {
  let flags = targets[0] ? 0 : NO_PRICE;
  for (let k = 1; k < targets.length; k++) if (targets[k]) flags |= 1 << (k - 1);
  return flags;
}

/** Output arrays of the current call in OUTPUT_ORDER (scratch: filled and cleared within a call). */
const TARGETS: (Float64Array | undefined)[] = new Array(OUTPUT_ORDER.length).fill(undefined);
/** Below this many options per block, outputs are copied by a loop rather than through a view. */
const SMALL = 256;

/** The first `c` values of staged output row `v` into `t` from index `i0` (a view only when it pays). */
function copyOut(v: Float64Array, c: number, t: Float64Array, i0: number): void {
  if (c === BLOCK) t.set(v, i0);
  else if (c <= SMALL) for (let j = 0; j < c; j++) t[i0 + j] = v[j];
  else t.set(v.subarray(0, c), i0);
}

/**
 * Fills `out` like `blackBatchJs(input, out, model)` using `kernel`.
 * Shape: every array has length n = `input.spot.length`.
 * References: Haug (2007) §1.1 and ch. 2.
 */
export function blackBatchWasm(
  kernel: BsKernel,
  input: BlackBatchInput,
  out: BlackBatchOutput,
  model: 'bsm' | 'black76',
): void {
  const { sign, spot, strike, expiry, rate, vol, logSpot } = input;
  const black76 = model === 'black76';
  const dividend = black76 ? undefined : input.dividend;
  const n = spot.length;
  const { price, delta, gamma, vega, theta, rho, dividendRho, vanna, volga, charm, dualDelta } = out;
  const targets = TARGETS;
  targets[0] = price;
  targets[1] = delta;
  targets[2] = gamma;
  targets[3] = vega;
  targets[4] = theta;
  targets[5] = rho;
  targets[6] = dividendRho;
  targets[7] = vanna;
  targets[8] = volga;
  targets[9] = charm;
  targets[10] = dualDelta;
  const flags = kernelFlags(targets);
  // One block (the common case): the caller's arrays are copied whole, no subarray views made.
  const whole = n <= BLOCK;
  const [sS, sK, sT, sR, sV, sQ] = kernel.input;
  const sW = kernel.sign;
  const outViews = kernel.output;
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = Math.min(n, i0 + BLOCK);
    const c = i1 - i0;
    sS.set(whole ? spot : spot.subarray(i0, i1));
    sK.set(whole ? strike : strike.subarray(i0, i1));
    sT.set(whole ? expiry : expiry.subarray(i0, i1));
    sR.set(whole ? rate : rate.subarray(i0, i1));
    sV.set(whole ? vol : vol.subarray(i0, i1));
    if (dividend) sQ.set(whole ? dividend : dividend.subarray(i0, i1));
    sW.set(whole ? sign : sign.subarray(i0, i1));
    if (logSpot) kernel.logSpot.set(whole ? logSpot : logSpot.subarray(i0, i1));
    if (c & 1) stageDummyOption(kernel, c); // an odd block: the last pair's second lane
    kernel.exports.bsBatch(
      kernel.stageIn,
      kernel.stageOut,
      BLOCK,
      c + (c & 1),
      flags,
      black76 ? 1 : 0,
      dividend ? 1 : 0,
      logSpot ? kernel.stageLnS : 0,
    );
    for (let k = 0; k < targets.length; k++) {
      const t = targets[k];
      if (!t) continue;
      const v = outViews[k];
      copyOut(v, c, t, i0);
    }
  }
  targets.fill(undefined);
}

/** One European contract's inputs other than the spot: a run of options that differ only in it. */
export interface DeltaRunTerms {
  /** +1 call, −1 put. */
  readonly sign: number;
  readonly strike: number;
  /** Time to expiry, years. */
  readonly expiry: number;
  readonly rate: number;
  readonly vol: number;
  /** Continuous yield q (BSM; 0 for none). Ignored for Black-76. */
  readonly dividend: number;
}

/**
 * Δ of the contract `terms` on every spot of `spot` into `delta` (n = spot.length each), with the
 * kernel's `bsDeltaRun`: bit for bit `blackBatchWasm` (and `blackBatchJs`) on a batch whose strike,
 * expiry, rate, vol, dividend and sign rows hold `terms` and whose only output is Δ, without those
 * six rows staged nor their per-option work. `logSpot` as in BlackBatchInput.
 * References: Haug (2007) §2.1 (Δ = ω·e^{(b−r)T}·Φ(ω·d1)).
 */
export function blackDeltaRunWasm(
  kernel: BsKernel,
  terms: DeltaRunTerms,
  spot: Float64Array,
  logSpot: Float64Array | undefined,
  delta: Float64Array,
  model: 'bsm' | 'black76',
): void {
  const n = spot.length;
  const black76 = model === 'black76';
  const whole = n <= BLOCK;
  const sS = kernel.input[0];
  const sL = kernel.logSpot;
  const v = kernel.output[1];
  const { sign, strike, expiry, rate, vol } = terms;
  const q = black76 ? 0 : terms.dividend;
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = Math.min(n, i0 + BLOCK);
    const c = i1 - i0;
    sS.set(whole ? spot : spot.subarray(i0, i1));
    if (logSpot) sL.set(whole ? logSpot : logSpot.subarray(i0, i1));
    if (c & 1) {
      // An odd block: the last pair's second lane (its output is never read).
      sS[c] = 1;
      sL[c] = 0;
    }
    kernel.exports.bsDeltaRun(
      kernel.stageIn,
      logSpot ? kernel.stageLnS : 0,
      kernel.stageOut + 8 * BLOCK,
      c + (c & 1),
      strike,
      expiry,
      rate,
      vol,
      q,
      sign,
      black76 ? 1 : 0,
    );
    copyOut(v, c, delta, i0);
  }
}
