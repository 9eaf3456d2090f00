/**
 * Portfolio weights: the one check that a weight vector is non-negative and sums to 1. Library
 * code throws {@link DomainError} with {@link checkWeights}; schema validation of typed files
 * reports an issue when {@link sumsToOne} fails, with its looser {@link INPUT_WEIGHT_SUM_TOL}.
 */
import { DomainError } from './errors.ts';

/** Tolerance on |Σ w − 1| for weights built in code (round-off only). */
export const WEIGHT_SUM_TOL = 1e-9;

/**
 * Tolerance on |Σ w − 1| for weights typed by people in scenario files (0.333333 × 3 passes).
 * Weights that pass it but not {@link WEIGHT_SUM_TOL} must be renormalized before they reach
 * {@link checkWeights}.
 */
export const INPUT_WEIGHT_SUM_TOL = 1e-6;

/**
 * Σ w in index order (one summation order everywhere, so the same weights pass or fail alike).
 * @example weightSum([0.6, 0.3, 0.1]) // returns 1
 */
export function weightSum(weights: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += weights[i];
  return sum;
}

/**
 * Whether a weight sum is 1 within `tol` (NaN is not).
 * @example sumsToOne(0.999999, INPUT_WEIGHT_SUM_TOL) // returns true
 */
export function sumsToOne(sum: number, tol = WEIGHT_SUM_TOL): boolean {
  return Math.abs(sum - 1) <= tol;
}

/**
 * Checks that every weight is finite and ≥ 0 and that they sum to 1 within `tol`.
 * @param where - parameter name for messages, e.g. `weights`.
 * @throws DomainError naming the first bad weight, e.g. `weights[1] (-0.1) must be >= 0`, or the sum,
 *   `sum of weights (0.9) must be 1`.
 * @example checkWeights(Float64Array.of(0.6, 0.4)) // returns undefined (passes)
 */
export function checkWeights(weights: ArrayLike<number>, where = 'weights', tol = WEIGHT_SUM_TOL): void {
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i];
    if (!(Number.isFinite(w) && w >= 0)) throw new DomainError(`${where}[${i}]`, w, 'must be >= 0');
  }
  const sum = weightSum(weights);
  if (!sumsToOne(sum, tol)) throw new DomainError(`sum of ${where}`, sum, 'must be 1');
}

/**
 * The weights as a Float64Array summing to 1: an exact copy when they already sum to 1 within
 * WEIGHT_SUM_TOL, else rescaled by their sum — so input accepted at INPUT_WEIGHT_SUM_TOL (1e-6,
 * e.g. percentages rounded in a file) never fails the engine's tighter check later.
 * @example normalizeWeights([0.5000004, 0.4999999]) // sums to 1 within 1e-15
 */
export function normalizeWeights(weights: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(weights);
  const sum = weightSum(out);
  if (!sumsToOne(sum) && sum > 0) for (let i = 0; i < out.length; i++) out[i] = out[i] / sum;
  return out;
}
