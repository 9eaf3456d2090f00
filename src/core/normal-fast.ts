/**
 * A branch-light, table-driven standard normal CDF for batch kernels, to the accuracy of
 * `normCdf` (src/core/normal.ts).
 *
 * Φ(−t) = g·R(t) for t = |x| ≥ 0, where g = exp(−t²/2) and R(t) = Φ(−t)·e^{t²/2} = erfcx(t/√2)/2 is
 * the scaled Mills ratio (R(0) = ½, R(t) ~ 1/(t√(2π))). R is tabulated on [0, 38.625] as 168
 * degree-7 polynomials on intervals whose power-of-two widths double per octave of t (1/16 on
 * [0, 4), 1/8 on [4, 8), …, 1 on [32, 40)); the interval is found with one multiply and a truncation
 * through a uniform bucket index (1/16 wide), so there is no comparison on x at all except the final
 * choice between p and 1 − p, done arithmetically. Beyond t = 38.625 g is 0 in double precision,
 * so clamping t to it costs nothing.
 *
 * Accuracy (scripts/fixtures/normal_fast_table.py, 172k-point scan against mpmath at 40 digits):
 * the polynomials reproduce R to 2.4e-17 relative; their double-precision evaluation to 1.13e-16
 * (c0 is stored as a double-double, so the dominant term is rounded once). Φ = g·R then adds g's own
 * error and one rounding: at most 4.3e-16 relative observed for x ≤ 0 down to Φ ≈ 1e-300 (120k
 * random x against mpmath; Cody's `normCdf`: 7.4e-16), subnormal results below x ≈ −37.5 losing
 * relative accuracy gradually as any double does; at most 1.5e-16 absolute for x > 0 (Cody: 1.6e-16).
 *
 * References: W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp.
 * 23 (1969) 631–638 (the function tabulated is Cody's erfcx); G. Estrin (1960) for the evaluation
 * order; the table generator documents the fit.
 */

import { gaussExp } from './normal.ts';
import {
  MILLS_BUCKETS_PER_UNIT,
  MILLS_COEFFS,
  MILLS_DEGREE,
  MILLS_SEGMENTS,
  MILLS_T_MAX,
} from './normal-fast-table.ts';

/** Doubles per bucket: scale 1/h, offset c/h, c0hi, c0lo, c1..c7. */
const STRIDE = 11;
/**
 * = MILLS_T_MAX, as a local literal: an imported binding is read through its module cell (with a
 * TDZ check) on every call, which costs the hot path more than the polynomial does.
 */
const T_MAX = 38.625;
const PER_INTERVAL = MILLS_DEGREE + 2;

/**
 * One record per bucket of width 1/16 on [0, 38.625]: the bucket's interval polynomial together
 * with the affine map t ↦ u = t/h − c/h onto [−½, ½] (exact in double: h is a power of two).
 * Wider intervals are repeated in every bucket they cover, so the lookup needs one index only.
 */
const TABLE: Float64Array = buildTable();

/**
 * The bucket table itself, read-only by contract: the WebAssembly kernel (src/wasm/bs-kernel.ts)
 * copies it into its memory so that both evaluate the same polynomials.
 */
export const NORMAL_FAST_TABLE: Float64Array = TABLE;

function buildTable(): Float64Array {
  if (MILLS_DEGREE !== 7 || MILLS_BUCKETS_PER_UNIT !== 16 || MILLS_T_MAX !== T_MAX) {
    throw new Error('normal-fast: table layout does not match the evaluation code');
  }
  const nBuckets = Math.floor(T_MAX * MILLS_BUCKETS_PER_UNIT) + 1;
  const table = new Float64Array(nBuckets * STRIDE);
  let interval = 0;
  for (const [start, end, h] of MILLS_SEGMENTS) {
    for (let a = start; a < end; a += h, interval++) {
      const first = Math.round(a * MILLS_BUCKETS_PER_UNIT);
      const last = Math.min(Math.round((a + h) * MILLS_BUCKETS_PER_UNIT), nBuckets);
      for (let b = first; b < last; b++) {
        const k = b * STRIDE;
        table[k] = 1 / h;
        table[k + 1] = a / h + 0.5;
        for (let j = 0; j < PER_INTERVAL; j++) table[k + 2 + j] = MILLS_COEFFS[interval * PER_INTERVAL + j];
      }
    }
  }
  if (interval * PER_INTERVAL !== MILLS_COEFFS.length) {
    throw new Error('normal-fast: coefficient table does not match its segments');
  }
  return table;
}

/**
 * Standard normal CDF Φ(x) given g = exp(−x²/2), computed to full relative accuracy by the caller
 * (as φ(x)·√(2π) in Black-Scholes kernels). Same contract and accuracy as `normCdfWithGauss`
 * (src/core/normal.ts), but a single table-driven polynomial with no data-dependent branch and
 * small enough for V8 to inline at two call sites of a hot loop:
 *   Φ(−t) = g·R(t), Φ(t) = 1 − g·R(t), t = |x|, R(t) = Φ(−t)·e^{t²/2} from the table.
 * Relative error ≤ 4.3e-16 observed for x ≤ 0 (Φ down to 1e-300), absolute ≤ 1.5e-16 for x > 0.
 *
 * @param x  the argument, any double (±∞ give 0 and 1; NaN gives NaN)
 * @param g  exp(−x²/2) (e.g. from `gaussExp`); the result is only as accurate as g
 * @throws never
 * @example normCdfFromGauss(-2, Math.exp(-2)) // returns 0.02275013194817921
 * References: Cody (1969) for erfcx; scripts/fixtures/normal_fast_table.py for the table.
 */
export function normCdfFromGauss(x: number, g: number): number {
  const ax = Math.abs(x);
  // Clamp (a well-predicted branch; g = 0 there anyway). NaN stays NaN and reads bucket 0.
  // biome-ignore lint/complexity/useMathMinMax: V8's Math.min adds NaN/−0 handling; ~8% slower here.
  const t = ax > T_MAX ? T_MAX : ax;
  const k = ((t * 16) | 0) * STRIDE;
  const u = t * TABLE[k] - TABLE[k + 1];
  const u2 = u * u;
  const e =
    TABLE[k + 4] +
    TABLE[k + 5] * u +
    u2 * (TABLE[k + 6] + TABLE[k + 7] * u) +
    u2 * u2 * (TABLE[k + 8] + TABLE[k + 9] * u + u2 * TABLE[k + 10]);
  const p = g * (TABLE[k + 2] + (u * e + TABLE[k + 3]));
  // s = 1 for x > 0, else 0 (a set-on-compare, not a branch): s + (1 − 2s)·p is exactly p or 1 − p.
  const s = +(x > 0);
  return s + (1 - 2 * s) * p;
}

/**
 * Standard normal CDF Φ(x) = ½·erfc(−x/√2), table-driven (see `normCdfFromGauss`) with the Gaussian
 * factor exp(−x²/2) from `gaussExp` (x² split exactly, so no amplified rounding error).
 * Relative error ≤ 4.3e-16 observed for Φ(x) down to 1e-300; exactly 0 below x ≈ −38.5.
 *
 * @param x  the argument, any double (−∞ → 0, +∞ → 1, NaN → NaN)
 * @throws never
 * @example normCdfFast(-10) // returns 7.619853024160527e-24
 * References: Cody (1969); scripts/fixtures/normal_fast_table.py.
 */
export function normCdfFast(x: number): number {
  // |x| > 38.7: exp(−x²/2) underflows anyway; the guard keeps ±∞ (whose split gives NaN) out of it.
  return normCdfFromGauss(x, Math.abs(x) < 38.7 ? gaussExp(x) : 0);
}
