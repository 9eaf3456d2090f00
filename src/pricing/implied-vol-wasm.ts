/**
 * `impliedVolBatch` through the WebAssembly kernel (src/wasm/iv-kernel.ts): the caller's arrays are
 * streamed through the kernel's staging block, BLOCK options at a time, by plain copy loops and `set`
 * of whole rows (no views made, nothing allocated). The kernel runs the same loop as the JavaScript — validation, discounting,
 * `kernel` and Jäckel's "Let's Be Rational" — with the same IEEE operations in the same order and the
 * fdlibm exp/log/expm1/cbrt V8 uses, so vol and status are bit-identical (src/wasm/iv-kernel.test.ts).
 *
 * The JavaScript solver leaves two pieces of module state behind: BLACK_SCRATCH[0] (the last
 * normalised vega) and LBR_DIAGNOSTICS.iterations. Both are copied into the kernel before the batch
 * and back after it, so a batch leaves exactly what the JavaScript loop would (no result depends on
 * them: the solver writes before it reads).
 * References: P. Jäckel, "Let's Be Rational", Wilmott (2015) 40–53.
 */
import { BLOCK, type IvKernel } from '../wasm/iv-kernel.ts';
import type { ImpliedVolBatchInput, ImpliedVolBatchOutput } from './implied-vol.ts';
import { LBR_DIAGNOSTICS } from './lets-be-rational.ts';
import { BLACK_SCRATCH } from './normalised-black.ts';

/**
 * Copies src[i0 … i0 + c) to row[0 … c). One loop per array: ≈ 1.1 ns per element, against ≈ 1.4 for
 * one loop over all the arrays. `row.set(src.subarray(i0, i0 + c))` takes ≈ 0.3 ns but makes a view
 * per array and block, and the batch allocates nothing beyond O(1) per call.
 */
function stage(row: Float64Array, src: Float64Array, i0: number, c: number): void {
  for (let j = 0; j < c; j++) row[j] = src[i0 + j];
}

/**
 * Fills `out` like the JavaScript loop of `impliedVolBatch(input, out, model)` using `kernel`; the
 * caller has checked the lengths. Shape: every array has length n = `input.price.length`.
 * References: Jäckel (2015); Haug (2007) §1.1.
 */
export function impliedVolBatchWasm(
  kernel: IvKernel,
  input: ImpliedVolBatchInput,
  out: ImpliedVolBatchOutput,
  model: 'bsm' | 'black76',
): void {
  const { sign, price, spot, strike, expiry, rate } = input;
  const n = price.length;
  const bsm = model === 'bsm';
  const dividend = bsm ? input.dividend : undefined;
  const hasQ = dividend !== undefined;
  const vol = out.vol;
  const status = out.status;
  const [sP, sS, sK, sT, sR, sQ] = kernel.input;
  const sW = kernel.sign;
  const kVol = kernel.vol;
  const kStatus = kernel.status;
  const ex = kernel.exports;
  ex.setState(BLACK_SCRATCH[0], LBR_DIAGNOSTICS.iterations);
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const c = Math.min(BLOCK, n - i0);
    for (let j = 0; j < c; j++) sW[j] = sign[i0 + j];
    stage(sP, price, i0, c);
    stage(sS, spot, i0, c);
    stage(sK, strike, i0, c);
    stage(sT, expiry, i0, c);
    stage(sR, rate, i0, c);
    if (dividend !== undefined) stage(sQ, dividend, i0, c);
    ex.ivBatch(c, hasQ ? 1 : 0, bsm ? 0 : 1);
    if (c === BLOCK) {
      // A whole block: the kernel's rows are copied by `set` (no view made).
      vol.set(kVol, i0);
      status.set(kStatus, i0);
    } else {
      for (let j = 0; j < c; j++) {
        vol[i0 + j] = kVol[j];
        status[i0 + j] = kStatus[j];
      }
    }
  }
  BLACK_SCRATCH[0] = ex.vega();
  LBR_DIAGNOSTICS.iterations = ex.iterations();
}
