// AssemblyScript port of src/core/normal.ts (erf, erfc, erfcx, Φ, Φ⁻¹) for the implied-vol kernel:
// the same IEEE operations in the same order (Estrin forms included, no FMA, no reassociation), with
// exp and log from the fdlibm ports (fdlibm.ts), so every value is bit-identical to the JavaScript.
// References: W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23
// (1969) 631–638; M. J. Wichura, "Algorithm AS 241", Applied Statistics 37 (1988) 477–484.

import { fdExp, fdLog } from './fdlibm';

const SQRT1_2: f64 = 0.7071067811865476; // Math.SQRT1_2
const SQRPI: f64 = 0.5641895835477563; // 1/√π
const THRESH: f64 = 0.46875;
const XBIG: f64 = 27.3;

// Cody's coefficients. erf on |x| ≤ 0.46875:
const A0: f64 = 3.1611237438705656;
const A1: f64 = 113.864154151050156;
const A2: f64 = 377.485237685302021;
const A3: f64 = 3209.37758913846947;
const A4: f64 = 0.185777706184603153;
const B0: f64 = 23.6012909523441209;
const B1: f64 = 244.024637934444173;
const B2: f64 = 1282.61652607737228;
const B3: f64 = 2844.23683343917062;
// erfcx on 0.46875 < x ≤ 4:
const C0: f64 = 0.564188496988670089;
const C1: f64 = 8.88314979438837594;
const C2: f64 = 66.1191906371416295;
const C3: f64 = 298.635138197400131;
const C4: f64 = 881.95222124176909;
const C5: f64 = 1712.04761263407058;
const C6: f64 = 2051.07837782607147;
const C7: f64 = 1230.33935479799725;
const C8: f64 = 2.15311535474403846e-8;
const D0: f64 = 15.7449261107098347;
const D1: f64 = 117.693950891312499;
const D2: f64 = 537.181101862009858;
const D3: f64 = 1621.38957456669019;
const D4: f64 = 3290.79923573345963;
const D5: f64 = 4362.61909014324716;
const D6: f64 = 3439.36767414372164;
const D7: f64 = 1230.33935480374942;
// erfcx on x > 4 (in 1/x²):
const P0: f64 = 0.305326634961232344;
const P1: f64 = 0.360344899949804439;
const P2: f64 = 0.125781726111229246;
const P3: f64 = 0.0160837851487422766;
const P4: f64 = 6.58749161529837803e-4;
const P5: f64 = 0.0163153871373020978;
const Q0: f64 = 2.56852019228982242;
const Q1: f64 = 1.87295284992346047;
const Q2: f64 = 0.527905102951428412;
const Q3: f64 = 0.0605183413124413191;
const Q4: f64 = 0.00233520497626869185;

/** erf(x) for |x| ≤ 0.46875 (Cody's first interval, Estrin form as in normal.ts). */
@inline
function erfSmall(x: f64): f64 {
  const z = x * x;
  const z2 = z * z;
  const num = A2 * z + A3 + z2 * (A0 * z + A1 + z2 * A4);
  const den = B2 * z + B3 + z2 * (B0 * z + B1 + z2);
  return (x * num) / den;
}

/** Cody's second interval, 0.46875 < y ≤ 4. */
@inline
function erfcxMid(y: f64): f64 {
  const y2 = y * y;
  const y4 = y2 * y2;
  const num = C6 * y + C7 + y2 * (C4 * y + C5) + y4 * (C2 * y + C3 + y2 * (C0 * y + C1) + y4 * C8);
  const den = D6 * y + D7 + y2 * (D4 * y + D5) + y4 * (D2 * y + D3 + y2 * (D0 * y + D1) + y4);
  return num / den;
}

/** Cody's third interval, y > 4 (rational in 1/y²). */
@inline
function erfcxTail(y: f64): f64 {
  const z = 1 / (y * y);
  const z2 = z * z;
  const z4 = z2 * z2;
  const num = P3 * z + P4 + z2 * (P1 * z + P2) + z4 * (P5 * z + P0);
  const den = Q3 * z + Q4 + z2 * (Q1 * z + Q2) + z4 * (z + Q0);
  return (SQRPI - (z * num) / den) / y;
}

/** erfcx(y) for y > 0.46875. */
function erfcxLarge(y: f64): f64 {
  return y <= 4 ? erfcxMid(y) : erfcxTail(y);
}

/** exp(−k·x²) with x² split exactly (Veltkamp/Dekker) as hi + lo. */
@inline
function expNegSq(x: f64, k: f64): f64 {
  const c = 134217729 * x; // 2^27 + 1
  const xh = c - (c - x);
  const xl = x - xh;
  const hi = x * x;
  const lo = xh * xh - hi + 2 * xh * xl + xl * xl;
  return fdExp(-k * hi) * (1 - k * lo);
}

/** erf(x) (normal.ts `erf`). */
export function erf(x: f64): f64 {
  const y = abs<f64>(x);
  if (y <= THRESH) return erfSmall(x);
  const c = y >= XBIG ? 0 : expNegSq(y, 1) * erfcxLarge(y);
  return x > 0 ? 1 - c : c - 1;
}

/** erfc(x) (normal.ts `erfc`). */
export function erfc(x: f64): f64 {
  const y = abs<f64>(x);
  if (y <= THRESH) return 1 - erfSmall(x);
  const c = y >= XBIG ? 0 : expNegSq(y, 1) * erfcxLarge(y);
  return x < 0 ? 2 - c : c;
}

/** erfcx(x) = exp(x²)·erfc(x) (normal.ts `erfcx`). */
export function erfcx(x: f64): f64 {
  if (x < 0) return fdExp(x * x) * erfc(x);
  if (x <= THRESH) return fdExp(x * x) * (1 - erfSmall(x));
  return erfcxLarge(x);
}

/** Φ(x) (normal.ts `normCdf`). */
export function normCdf(x: f64): f64 {
  const ax = abs<f64>(x);
  const y = ax * SQRT1_2;
  if (y <= THRESH) return 0.5 + 0.5 * erfSmall(x * SQRT1_2);
  if (y >= XBIG) return x < 0 ? 0 : 1;
  const tail = 0.5 * expNegSq(ax, 0.5) * erfcxLarge(y);
  return x < 0 ? tail : 1 - tail;
}

/** ((((((c7·x + c6)·x + c5)·x + c4)·x + c3)·x + c2)·x + c1)·x + c0 (normal.ts `horner8`). */
@inline
function horner8(x: f64, c0: f64, c1: f64, c2: f64, c3: f64, c4: f64, c5: f64, c6: f64, c7: f64): f64 {
  return ((((((c7 * x + c6) * x + c5) * x + c4) * x + c3) * x + c2) * x + c1) * x + c0;
}

/** Φ⁻¹(p) (normal.ts `normInv`: Wichura's AS 241 / PPND16 with its coefficients AA…FF). */
export function normInv(p: f64): f64 {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p == 0) return -Infinity;
  if (p == 1) return Infinity;
  const q = p - 0.5;
  if (abs<f64>(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        horner8(
          r,
          3.387132872796366608,
          133.14166789178437745,
          1971.5909503065514427,
          13731.693765509461125,
          45921.953931549871457,
          67265.770927008700853,
          33430.575583588128105,
          2509.0809287301226727,
        )) /
      horner8(
        r,
        1,
        42.313330701600911252,
        687.1870074920579083,
        5394.1960214247511077,
        21213.794301586595867,
        39307.89580009271061,
        28729.085735721942674,
        5226.495278852854561,
      )
    );
  }
  let r = sqrt<f64>(-fdLog(q < 0 ? p : 1 - p));
  let x: f64;
  if (r <= 5) {
    r -= 1.6;
    x =
      horner8(
        r,
        1.42343711074968357734,
        4.6303378461565452959,
        5.7694972214606914055,
        3.64784832476320460504,
        1.27045825245236838258,
        0.24178072517745061177,
        0.0227238449892691845833,
        7.7454501427834140764e-4,
      ) /
      horner8(
        r,
        1,
        2.05319162663775882187,
        1.6763848301838038494,
        0.68976733498510000455,
        0.14810397642748007459,
        0.0151986665636164571966,
        5.475938084995344946e-4,
        1.05075007164441684324e-9,
      );
  } else {
    r -= 5;
    x =
      horner8(
        r,
        6.6579046435011037772,
        5.4637849111641143699,
        1.7848265399172913358,
        0.29656057182850489123,
        0.026532189526576123093,
        0.0012426609473880784386,
        2.71155556874348757815e-5,
        2.01033439929228813265e-7,
      ) /
      horner8(
        r,
        1,
        0.59983220655588793769,
        0.13692988092273580531,
        0.0148753612908506148525,
        7.868691311456132591e-4,
        1.8463183175100546818e-5,
        1.4215117583164458887e-7,
        2.04426310338993978564e-15,
      );
  }
  return q < 0 ? -x : x;
}
