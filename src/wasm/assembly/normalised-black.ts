// AssemblyScript port of src/pricing/normalised-black.ts (`otmBlack`, `otmBlackComplement` and their
// helpers) for the implied-vol kernel: the same IEEE operations in the same order, with exp from the
// fdlibm port, so every value is bit-identical to the JavaScript (the reference). BLACK_SCRATCH[0]
// (∂b/∂s of the last evaluation) is the global `blackVega`; the batch driver copies the JavaScript
// scratch in before a batch and back after it, so a stale read carries over exactly as in JavaScript.
// References: P. Jäckel, "Let's Be Rational", Wilmott (2015) 40–53, §2–3; W. J. Cody (1969);
// T. J. Dekker, Numer. Math. 18 (1971) 224–242.

import { fdExp } from './fdlibm';
import { erfcx, normCdf } from './normal';

const INV_SQRT_2PI: f64 = 0.3989422804014327;
const SQRT_PI_OVER_2: f64 = 1.2533141373155003;
const SQRT1_2: f64 = 0.7071067811865476;
const SPLIT: f64 = 134217729;
const ASYMPTOTIC_H: f64 = -10;
const SMALL_T: f64 = 0.21;
const CDF_REGION: f64 = 0.85;
const UNDERFLOW_SUM_SQ: f64 = 1490;

/** BLACK_SCRATCH[0]: ∂b/∂s at the last point `otmBlack` or `otmBlackComplement` evaluated. */
export let blackVega: f64 = 0;

/** exp(−(h² + t²)/2) with h², t², h·s split exactly (normalised-black.ts `gaussFactor`). */
function gaussFactor(h: f64, t: f64, x: f64, s: f64): f64 {
  const hh = h * h;
  const tt = t * t;
  const sum = hh + tt;
  if (sum > UNDERFLOW_SUM_SQ) return 0;
  let c = SPLIT * h;
  const hHi = c - (c - h);
  const hLo = h - hHi;
  const hErr = hHi * hHi - hh + 2 * hHi * hLo + hLo * hLo;
  c = SPLIT * s;
  const sHi = c - (c - s);
  const sLo = s - sHi;
  const p = h * s;
  const pErr = hHi * sHi - p + hHi * sLo + hLo * sHi + hLo * sLo;
  const delta = (x - p - pErr) / s;
  c = SPLIT * t;
  const tHi = c - (c - t);
  const tLo = t - tHi;
  const tErr = tHi * tHi - tt + 2 * tHi * tLo + tLo * tLo;
  const bv = sum - hh;
  const sumErr = hh - (sum - bv) + (tt - bv);
  return fdExp(-0.5 * sum) * (1 - 0.5 * (sumErr + hErr + tErr + 2 * h * delta));
}

/** Region B: the small-t series (normalised-black.ts `smallTSeries`, same coefficients). */
function smallTSeries(h: f64, t: f64): f64 {
  const g = h * h;
  const w = t * t;
  const a = 1 + h * SQRT_PI_OVER_2 * erfcx(-h * SQRT1_2);
  const p1 = 0.16666666666666666 * g + 0.5;
  const q1: f64 = -0.16666666666666666;
  const p2 = (0.008333333333333333 * g + 0.08333333333333333) * g + 0.125;
  const q2 = -0.008333333333333333 * g - 0.058333333333333334;
  const p3 =
    ((0.0001984126984126984 * g + 0.004166666666666667) * g + 0.020833333333333332) * g +
    0.020833333333333332;
  const q3 = (-0.0001984126984126984 * g - 0.0035714285714285713) * g - 0.01130952380952381;
  const p4 =
    (((2.7557319223985893e-6 * g + 9.92063492063492e-5) * g + 0.0010416666666666667) * g +
      0.003472222222222222) *
      g +
    0.0026041666666666665;
  const q4 =
    ((-2.7557319223985893e-6 * g - 9.093915343915344e-5) * g - 0.0007853835978835978) * g -
    0.0015459656084656085;
  const p5 =
    ((((2.505210838544172e-8 * g + 1.3778659611992946e-6) * g + 2.48015873015873e-5) * g +
      0.00017361111111111112) *
      g +
      0.00043402777777777775) *
      g +
    0.00026041666666666666;
  const q5 =
    (((-2.505210838544172e-8 * g - 1.3027096360429694e-6) * g - 2.1043771043771045e-5) * g -
      0.00011724386724386724) *
      g -
    0.00016421657046657045;
  const p6 =
    (((((1.6059043836821613e-10 * g + 1.252605419272086e-8) * g + 3.4446649029982366e-7) * g +
      4.133597883597884e-6) *
      g +
      2.170138888888889e-5) *
      g +
      4.340277777777778e-5) *
      g +
    2.170138888888889e-5;
  const q6 =
    ((((-1.6059043836821613e-10 * g - 1.204428287761621e-8) * g - 3.092971842971843e-7) * g -
      3.2712272295605627e-6) *
      g -
      1.3304114866614867e-5) *
      g -
    1.4301381488881489e-5;
  const p7 =
    ((((((7.647163731819816e-13 * g + 8.029521918410807e-11) * g + 3.131513548180215e-9) * g +
      5.7411081716637274e-8) *
      g +
      5.166997354497355e-7) *
      g +
      2.170138888888889e-6) *
      g +
      3.6168981481481483e-6) *
      g +
    1.5500992063492063e-6;
  const q7 =
    (((((-7.647163731819816e-13 * g - 7.800107006456213e-11) * g - 2.9020986362256202e-9) * g -
      4.914067414067414e-8) *
      g -
      3.837308524808525e-7) *
      g -
      1.2203267411600745e-6) *
      g -
    1.0567653796820463e-6;
  return (
    a +
    w *
      (p1 * a +
        q1 +
        w *
          (p2 * a +
            q2 +
            w *
              (p3 * a + q3 + w * (p4 * a + q4 + w * (p5 * a + q5 + w * (p6 * a + q6 + w * (p7 * a + q7)))))))
  );
}

/** Region A: the asymptotic series (normalised-black.ts `asymptoticSeries`). */
function asymptoticSeries(u: f64, v: f64): f64 {
  const iu = 1 / u;
  const iv = 1 / v;
  let power: f64 = 1;
  let hm: f64 = 1;
  let coef: f64 = 1;
  let sum: f64 = 1;
  for (let k = 1; k < 40; k++) {
    power *= iu;
    hm = iv * hm + power;
    power *= iu;
    hm = iv * hm + power;
    coef *= -<f64>(2 * k - 1);
    const term = coef * hm;
    sum += term;
    if (abs<f64>(term) < 1e-17 * sum) break;
  }
  return sum;
}

/** b(x, s) for x ≤ 0, s ≥ 0; sets `blackVega` (normalised-black.ts `otmBlack`). */
export function otmBlack(x: f64, s: f64): f64 {
  if (!(s > 0)) {
    blackVega = x == 0 && s == 0 ? INV_SQRT_2PI : 0;
    return 0;
  }
  if (s == Infinity) {
    blackVega = 0;
    return fdExp(0.5 * x);
  }
  const h = x / s;
  const t = 0.5 * s;
  const e = gaussFactor(h, t, x, s);
  blackVega = INV_SQRT_2PI * e;
  if (h + t > CDF_REGION) {
    return fdExp(0.5 * x) * normCdf(h + t) - 0.5 * e * erfcx((t - h) * SQRT1_2);
  }
  if (e == 0) return 0;
  if (h < ASYMPTOTIC_H && h + t < ASYMPTOTIC_H + SMALL_T) {
    const u = h + t;
    const v = h - t;
    return INV_SQRT_2PI * e * ((2 * t) / (u * v)) * asymptoticSeries(u, v);
  }
  if (t < SMALL_T) return INV_SQRT_2PI * e * 2 * t * smallTSeries(h, t);
  return 0.5 * e * (erfcx(-(h + t) * SQRT1_2) - erfcx(-(h - t) * SQRT1_2));
}

/** e^{x/2} − b(x, s) without cancellation; sets `blackVega` (`otmBlackComplement`). */
export function otmBlackComplement(x: f64, s: f64): f64 {
  if (!(s > 0)) {
    blackVega = x == 0 && s == 0 ? INV_SQRT_2PI : 0;
    return fdExp(0.5 * x);
  }
  const h = x / s;
  const t = 0.5 * s;
  blackVega = INV_SQRT_2PI * gaussFactor(h, t, x, s);
  return fdExp(0.5 * x) * normCdf(-(h + t)) + fdExp(-0.5 * x) * normCdf(h - t);
}
