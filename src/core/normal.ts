/**
 * The standard normal distribution to near machine precision, deep into the tails.
 *
 * - erf / erfc / erfcx: W. J. Cody, "Rational Chebyshev approximations for the error function",
 *   Math. Comp. 23 (1969) 631–638 (netlib specfun CALERF coefficients, IEEE double constants).
 * - Normal CDF: Φ(x) = ½·erfc(−x/√2), evaluated as ½·exp(−x²/2)·erfcx(|x|/√2) so that the only
 *   error-amplifying factor, the Gaussian exponential, is taken on x itself with Cody's exact
 *   split x² = x₀² + (x−x₀)(x+x₀); relative accuracy ~1e-15 down to Φ ≈ 1e-300.
 * - Inverse CDF: M. J. Wichura, "Algorithm AS 241: The percentage points of the normal
 *   distribution", Applied Statistics 37 (1988) 477–484 (PPND16, ~1e-16 relative).
 */

import { expFast } from './fast-exp.ts';

const SQRT1_2PI = 0.3989422804014327; // 1/√(2π)
const SQRPI = 0.5641895835477563; // 1/√π
const THRESH = 0.46875;
const XBIG = 27.3; // erfc(x) and Φ(−x√2) underflow to 0 beyond this (exp(−x²) < 2^−1074)

// Cody's coefficients. erf on |x| <= 0.46875:
const A0 = 3.1611237438705656;
const A1 = 113.864154151050156;
const A2 = 377.485237685302021;
const A3 = 3209.37758913846947;
const A4 = 0.185777706184603153;
const B0 = 23.6012909523441209;
const B1 = 244.024637934444173;
const B2 = 1282.61652607737228;
const B3 = 2844.23683343917062;
// erfcx on 0.46875 < x <= 4:
const C0 = 0.564188496988670089;
const C1 = 8.88314979438837594;
const C2 = 66.1191906371416295;
const C3 = 298.635138197400131;
const C4 = 881.95222124176909;
const C5 = 1712.04761263407058;
const C6 = 2051.07837782607147;
const C7 = 1230.33935479799725;
const C8 = 2.15311535474403846e-8;
const D0 = 15.7449261107098347;
const D1 = 117.693950891312499;
const D2 = 537.181101862009858;
const D3 = 1621.38957456669019;
const D4 = 3290.79923573345963;
const D5 = 4362.61909014324716;
const D6 = 3439.36767414372164;
const D7 = 1230.33935480374942;
// erfcx on x > 4 (in 1/x²):
const P0 = 0.305326634961232344;
const P1 = 0.360344899949804439;
const P2 = 0.125781726111229246;
const P3 = 0.0160837851487422766;
const P4 = 6.58749161529837803e-4;
const P5 = 0.0163153871373020978;
const Q0 = 2.56852019228982242;
const Q1 = 1.87295284992346047;
const Q2 = 0.527905102951428412;
const Q3 = 0.0605183413124413191;
const Q4 = 0.00233520497626869185;

// The rational functions are evaluated with Estrin's scheme rather than Horner's: the same
// polynomials, but a dependency chain of depth 3–4 instead of 8, which roughly halves latency in
// the batch kernels (results agree with Horner to a few ulp).

/** erf(x) for |x| <= 0.46875 (Cody's first interval). */
function erfSmall(x: number): number {
  const z = x * x;
  const z2 = z * z;
  const num = A2 * z + A3 + z2 * (A0 * z + A1 + z2 * A4);
  const den = B2 * z + B3 + z2 * (B0 * z + B1 + z2);
  return (x * num) / den;
}

/** erfcx(y) = exp(y²)·erfc(y) for y > 0.46875 (Cody's second and third intervals). */
function erfcxLarge(y: number): number {
  return y <= 4 ? erfcxMid(y) : erfcxTail(y);
}

/** Cody's second interval, 0.46875 < y <= 4. Kept small so that batch kernels can inline it. */
function erfcxMid(y: number): number {
  const y2 = y * y;
  const y4 = y2 * y2;
  const num = C6 * y + C7 + y2 * (C4 * y + C5) + y4 * (C2 * y + C3 + y2 * (C0 * y + C1) + y4 * C8);
  const den = D6 * y + D7 + y2 * (D4 * y + D5) + y4 * (D2 * y + D3 + y2 * (D0 * y + D1) + y4);
  return num / den;
}

/** Cody's third interval, y > 4 (rational in 1/y²). */
function erfcxTail(y: number): number {
  const z = 1 / (y * y);
  const z2 = z * z;
  const z4 = z2 * z2;
  const num = P3 * z + P4 + z2 * (P1 * z + P2) + z4 * (P5 * z + P0);
  const den = Q3 * z + Q4 + z2 * (Q1 * z + Q2) + z4 * (z + Q0);
  return (SQRPI - (z * num) / den) / y;
}

/**
 * exp(−k·x²) to full relative accuracy: x² is formed exactly as hi + lo (Veltkamp/Dekker
 * splitting), so exp(−k·hi)·(1 − k·lo) carries no amplified rounding error from x².
 */
function expNegSq(x: number, k: number): number {
  const c = 134217729 * x; // 2^27 + 1
  const xh = c - (c - x);
  const xl = x - xh;
  const hi = x * x;
  const lo = xh * xh - hi + 2 * xh * xl + xl * xl;
  return Math.exp(-k * hi) * (1 - k * lo);
}

/**
 * Error function erf(x) = (2/√π)∫₀ˣ e^(−t²) dt.
 * @example erf(0.5) // returns 0.5204998778130465
 */
export function erf(x: number): number {
  const y = Math.abs(x);
  if (y <= THRESH) return erfSmall(x);
  const c = y >= XBIG ? 0 : expNegSq(y, 1) * erfcxLarge(y);
  return x > 0 ? 1 - c : c - 1;
}

/**
 * Complementary error function erfc(x) = 1 − erf(x), accurate in relative terms for large x.
 * @example erfc(5) // returns 1.5374597944280349e-12
 */
export function erfc(x: number): number {
  const y = Math.abs(x);
  if (y <= THRESH) return 1 - erfSmall(x);
  const c = y >= XBIG ? 0 : expNegSq(y, 1) * erfcxLarge(y);
  return x < 0 ? 2 - c : c;
}

/**
 * Scaled complementary error function erfcx(x) = exp(x²)·erfc(x), for x >= 0 (finite, no underflow).
 * @throws never; returns NaN for NaN input.
 */
export function erfcx(x: number): number {
  if (x < 0) return Math.exp(x * x) * erfc(x);
  if (x <= THRESH) return Math.exp(x * x) * (1 - erfSmall(x));
  return erfcxLarge(x);
}

/**
 * Standard normal density φ(x) = exp(−x²/2)/√(2π).
 * @example normPdf(1) // returns 0.24197072451914337
 */
export function normPdf(x: number): number {
  return SQRT1_2PI * expNegSq(Math.abs(x), 0.5);
}

/**
 * Standard normal cumulative distribution Φ(x), relative accuracy ~1e-15 for Φ(x) down to ~1e-300
 * (and for 1 − Φ(x) via `normCdf(-x)`); subnormal results below x ≈ −37.5 lose relative accuracy
 * gradually, and Φ is exactly 0 below x ≈ −38.6.
 * @example normCdf(-10) // returns 7.619853024160527e-24
 */
export function normCdf(x: number): number {
  const ax = Math.abs(x);
  const y = ax * Math.SQRT1_2;
  if (y <= THRESH) return 0.5 + 0.5 * erfSmall(x * Math.SQRT1_2);
  if (y >= XBIG) return x < 0 ? 0 : 1;
  const tail = 0.5 * expNegSq(ax, 0.5) * erfcxLarge(y);
  return x < 0 ? tail : 1 - tail;
}

/**
 * Φ(x) given g = exp(−x²/2) already computed to full relative accuracy by the caller (saves the
 * exponentials when φ(x) is needed too, as in Black-Scholes kernels). Same accuracy as `normCdf`.
 */
export function normCdfWithGauss(x: number, g: number): number {
  const y = Math.abs(x) * Math.SQRT1_2;
  if (y <= THRESH) return 0.5 + 0.5 * erfSmall(x * Math.SQRT1_2);
  const tail = 0.5 * g * (y <= 4 ? erfcxMid(y) : erfcxTail(y));
  return x < 0 ? tail : 1 - tail;
}

/**
 * exp(−x²/2) to full relative accuracy (x² split exactly as hi + lo, see `expNegSq`). Written out
 * rather than calling `expNegSq` so that batch kernels inline it as one unit: a nested call can
 * fall outside V8's inlining budget and then boxes its double arguments on every element.
 */
export function gaussExp(x: number): number {
  const a = Math.abs(x);
  if (a >= 40) return 0; // exp(−800) underflows anyway; avoids x² overflow (NaN)
  const c = 134217729 * a;
  const ah = c - (c - a);
  const al = a - ah;
  const hi = a * a;
  const lo = ah * ah - hi + 2 * ah * al + al * al;
  return expFast(-0.5 * hi) * (1 - 0.5 * lo);
}

// AS 241 (PPND16) coefficients.
const AA = [
  3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125,
  45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727,
] as const;
const BB = [
  1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867,
  39307.89580009271061, 28729.085735721942674, 5226.495278852854561,
] as const;
const CC = [
  1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504,
  1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4,
] as const;
const DD = [
  1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459,
  0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9,
] as const;
const EE = [
  6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123,
  0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
] as const;
const FF = [
  1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4,
  1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15,
] as const;

function horner8(c: readonly number[], x: number): number {
  return ((((((c[7] * x + c[6]) * x + c[5]) * x + c[4]) * x + c[3]) * x + c[2]) * x + c[1]) * x + c[0];
}

/**
 * Inverse standard normal CDF Φ⁻¹(p) (Wichura AS 241). p = 0 → −∞, p = 1 → +∞, outside [0, 1] → NaN.
 * @example normInv(0.975) // returns 1.959963984540054
 */
export function normInv(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * horner8(AA, r)) / horner8(BB, r);
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let x: number;
  if (r <= 5) {
    r -= 1.6;
    x = horner8(CC, r) / horner8(DD, r);
  } else {
    r -= 5;
    x = horner8(EE, r) / horner8(FF, r);
  }
  return q < 0 ? -x : x;
}
