/**
 * The square hedge: k Greeks neutralised exactly with k instruments, solved per Monte-Carlo path.
 *
 * For each path p find the quantities x (units of each instrument) with
 *   e + G·x = 0,  i.e.  G·x = −e,
 * e the book's k exposures (delta, gamma, vega …) and G[g][i] the per-unit Greek g of instrument i.
 * Gaussian elimination with partial pivoting on the k×(k+1) augmented matrix, path by path, in a
 * preallocated scratch block: no allocation and no throw inside the loop. A path whose matrix is
 * singular (a pivot ≤ k·ε·‖G‖∞ after elimination) gets NaN in every output slot — the hedge is not
 * determined there; NaN inputs propagate to NaN outputs the same way.
 *
 * This is the Monte-Carlo fast path; the least-cost LP (hedge-model.ts) handles bands, costs and
 * size limits but never runs inside a per-path loop.
 *
 * References: G. H. Golub & C. F. Van Loan, Matrix Computations (4th ed.), §3.4 (partial pivoting);
 * J. C. Hull, Options, Futures and Other Derivatives (10th ed.), ch. 19 (gamma and vega neutrality).
 */

import { DomainError } from '../core/errors.ts';

const EPS = 2.220446049250313e-16;

/**
 * Inputs of the vectorised square solve: struct of arrays, path index innermost.
 *
 * Shape:
 * - `exposure`: [k Greeks][nPaths], `exposure[g·nPaths + p]` = the book's Greek g on path p;
 * - `greeks`: [k Greeks][k instruments][nPaths], `greeks[(g·k + i)·nPaths + p]` = per-unit Greek g of
 *   instrument i on path p.
 */
export interface SquareHedgeInput {
  /** Number of Greeks = number of instruments, ≥ 1. */
  readonly k: number;
  readonly nPaths: number;
  readonly exposure: Float64Array;
  readonly greeks: Float64Array;
}

/**
 * Scratch for `squareHedge`: one augmented k×(k+1) matrix, reused for every path.
 * @param k number of Greeks and instruments, integer ≥ 1
 * @throws DomainError if k is not a positive integer
 * @example squareHedgeScratch(3).length // returns 12
 */
export function squareHedgeScratch(k: number): Float64Array {
  if (!(Number.isInteger(k) && k >= 1)) throw new DomainError('k', k, 'must be an integer >= 1');
  return new Float64Array(k * (k + 1));
}

/**
 * Exact k-Greek neutrality per path: solves G·x = −e by Gaussian elimination with partial pivoting.
 *
 * Shape: `out` is [k instruments][nPaths], `out[i·nPaths + p]` = units of instrument i to trade on
 * path p (positive = buy). Singular or NaN systems give NaN for that path; the kernel never throws.
 * Greeks in any consistent units (e.g. vega per 1.00 vol for book and instruments alike).
 *
 * @param input   exposures and instrument Greeks (see `SquareHedgeInput` for the layout)
 * @param out     Float64Array of length k·nPaths, written
 * @param scratch optional `squareHedgeScratch(k)`; allocated once per call when omitted
 * @throws DomainError when array lengths do not match k and nPaths (checked once, before the loop)
 * @example
 *   // Hull ch. 19: book Δ 0, Γ −5,000; option Δ 0.6, Γ 0.5; instruments [option, underlying]
 *   const out = new Float64Array(2);
 *   squareHedge({ k: 2, nPaths: 1, exposure: Float64Array.of(0, -5000),
 *     greeks: Float64Array.of(0.6, 1, 0.5, 0) }, out);
 *   [out[0], out[1]] // returns [10000, -6000]
 * References: Golub & Van Loan (2013) §3.4; Hull (10th ed.) ch. 19.
 */
export function squareHedge(input: SquareHedgeInput, out: Float64Array, scratch?: Float64Array): void {
  const { k, nPaths, exposure, greeks } = input;
  if (!(Number.isInteger(k) && k >= 1)) throw new DomainError('k', k, 'must be an integer >= 1');
  if (!(Number.isInteger(nPaths) && nPaths >= 0))
    throw new DomainError('nPaths', nPaths, 'must be an integer >= 0');
  if (exposure.length !== k * nPaths)
    throw new DomainError('exposure.length', exposure.length, `must be k·nPaths = ${k * nPaths}`);
  if (greeks.length !== k * k * nPaths)
    throw new DomainError('greeks.length', greeks.length, `must be k²·nPaths = ${k * k * nPaths}`);
  if (out.length !== k * nPaths)
    throw new DomainError('out.length', out.length, `must be k·nPaths = ${k * nPaths}`);
  const w = k + 1;
  const a = scratch ?? new Float64Array(k * w);
  if (a.length < k * w) throw new DomainError('scratch.length', a.length, `must be >= ${k * w}`);

  for (let p = 0; p < nPaths; p++) {
    // Gather the augmented matrix [G | −e] of path p; track ‖G‖∞ for the singularity test.
    let norm = 0;
    for (let g = 0; g < k; g++) {
      let rowSum = 0;
      const base = g * k * nPaths + p;
      for (let i = 0; i < k; i++) {
        const v = greeks[base + i * nPaths];
        a[g * w + i] = v;
        rowSum += Math.abs(v);
      }
      a[g * w + k] = -exposure[g * nPaths + p];
      if (rowSum > norm || Number.isNaN(rowSum)) norm = rowSum;
    }
    const tiny = k * EPS * norm;
    let singular = !(norm > 0 && norm < Number.POSITIVE_INFINITY);
    for (let c = 0; c < k && !singular; c++) {
      // Partial pivoting: the largest |a[r][c]| among rows c..k−1.
      let piv = c;
      let best = Math.abs(a[c * w + c]);
      for (let r = c + 1; r < k; r++) {
        const v = Math.abs(a[r * w + c]);
        if (v > best) {
          best = v;
          piv = r;
        }
      }
      // `!(best > tiny)` also catches NaN entries.
      if (!(best > tiny)) {
        singular = true;
        break;
      }
      if (piv !== c) {
        for (let j = c; j < w; j++) {
          const t = a[c * w + j];
          a[c * w + j] = a[piv * w + j];
          a[piv * w + j] = t;
        }
      }
      const d = a[c * w + c];
      for (let r = c + 1; r < k; r++) {
        const f = a[r * w + c] / d;
        if (f === 0) continue;
        for (let j = c + 1; j < w; j++) a[r * w + j] = a[r * w + j] - f * a[c * w + j];
      }
    }
    if (singular) {
      for (let i = 0; i < k; i++) out[i * nPaths + p] = Number.NaN;
      continue;
    }
    // Back substitution; the solution overwrites the right-hand-side column.
    for (let r = k - 1; r >= 0; r--) {
      let s = a[r * w + k];
      for (let j = r + 1; j < k; j++) s -= a[r * w + j] * a[j * w + k];
      const x = s / a[r * w + r];
      a[r * w + k] = x;
      out[r * nPaths + p] = x;
    }
  }
}
