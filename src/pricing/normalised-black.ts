/**
 * The normalised Black function of Jäckel's "Let's Be Rational", evaluated to near machine
 * precision in relative terms everywhere (deep out of the money, tiny and huge total volatility).
 *
 * With x = ln(F/K) (log-moneyness) and s = σ√T (total volatility), the undiscounted Black price
 * divided by √(F·K) is
 *
 *   b(x, s, θ) = θ·[e^{x/2}·Φ(θ(x/s + s/2)) − e^{−x/2}·Φ(θ(x/s − s/2))],  θ = +1 call, −1 put.
 *
 * Put-call symmetry: b(x, s, −1) = b(−x, s, +1), and b(x, s, +1) = (e^{x/2} − e^{−x/2}) + b(−x, s, +1)
 * for x > 0, so every case reduces to the out-of-the-money call b(x, s) with x ≤ 0, whose upper
 * limit (s → ∞) is b_max = e^{x/2}. Writing h = x/s ≤ 0, t = s/2 and Y(z) = Φ(z)/φ(z):
 *
 *   b(x, s) = e^{−(h²+t²)/2}/√(2π) · [Y(h+t) − Y(h−t)],   ∂b/∂s = e^{−(h²+t²)/2}/√(2π).
 *
 * Four evaluation regions (thresholds as in the paper):
 *   A. h < −10 and h + t < −10 + τ (τ = 0.21): asymptotic expansion of Y(h±t) for large negative
 *      arguments, Y(z) ~ −Σ_k (−1)^k (2k−1)!! z^{−(2k+1)}, summed as
 *      Y(u) − Y(v) = 2t/(uv) · Σ_k (−1)^k (2k−1)!! · H_{2k}(1/u, 1/v), u = h+t, v = h−t, where
 *      H_m(a, c) = Σ_{j=0}^{m} a^j c^{m−j} has only same-sign terms (no cancellation).
 *   B. t < τ: small-t expansion Y(h+t) − Y(h−t) = 2 Σ_k Y^{(2k+1)}(h)·t^{2k+1}/(2k+1)!, each odd
 *      derivative written as P_k(h²)·a + Q_k(h²) with a = 1 + h·Y(h) (terms through t^15).
 *   C. h + t > 0.85: b = e^{x/2}Φ(h+t) − ½·e^{−(h²+t²)/2}·erfcx((t−h)/√2) (the second term is
 *      e^{−x/2}Φ(h−t) without its underflow; no cancellation in this region).
 *   D. otherwise: b = ½·e^{−(h²+t²)/2}·[erfcx(−(h+t)/√2) − erfcx(−(h−t)/√2)].
 * The Gaussian factor e^{−(h²+t²)/2} is taken with h² and t² split exactly (Dekker) so its rounding
 * is not amplified by the exponential.
 *
 * References: P. Jäckel, "Let's Be Rational", Wilmott (2015) 40–53, §2–3; W. J. Cody (1969) for
 * erfcx; T. J. Dekker, "A floating-point technique for extending the available precision",
 * Numer. Math. 18 (1971) 224–242.
 */

import { erfcx, normCdf } from '../core/normal.ts';

const INV_SQRT_2PI = 0.3989422804014327; // 1/√(2π)
const SQRT_PI_OVER_2 = 1.2533141373155003; // √(π/2)
const SPLIT = 134217729; // 2^27 + 1 (Veltkamp split)
const ASYMPTOTIC_H = -10;
const SMALL_T = 0.21; // ≈ 2·ε^{1/16}
const CDF_REGION = 0.85;
/** Beyond this (h² + t²) the Gaussian factor underflows: b and ∂b/∂s are 0. */
const UNDERFLOW_SUM_SQ = 1490;

/**
 * Scratch output of `otmBlack`: [0] = ∂b/∂s (normalised vega) at the last evaluated point.
 * Module-level so the hot path returns two numbers without allocating; callers read it right
 * after the call (synchronous), so it never carries a value between calls or runs.
 */
export const BLACK_SCRATCH = new Float64Array(1);

/**
 * exp(−(h² + t²)/2) for h = x/s, t = s/2, with h² and t² formed exactly (Dekker's product), the
 * rounding of h = x/s itself compensated (h_true = h + δ, δ = (x − h·s)/s exactly to first order)
 * and the rounding of the sum recovered, so the result carries ~2 ulp relative error however large
 * h² + t² is (a naive exp(−(h²+t²)/2) loses (h²+t²)/2 ulps).
 */
function gaussFactor(h: number, t: number, x: number, s: number): number {
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
  const delta = (x - p - pErr) / s; // x − p is exact (Sterbenz)
  c = SPLIT * t;
  const tHi = c - (c - t);
  const tLo = t - tHi;
  const tErr = tHi * tHi - tt + 2 * tHi * tLo + tLo * tLo;
  const bv = sum - hh;
  const sumErr = hh - (sum - bv) + (tt - bv);
  return Math.exp(-0.5 * sum) * (1 - 0.5 * (sumErr + hErr + tErr + 2 * h * delta));
}

/** Region B: small-t expansion, the bracket Σ_k w^k (P_k(g)·a + Q_k(g)) with w = t², g = h². */
function smallTSeries(h: number, t: number): number {
  const g = h * h;
  const w = t * t;
  const a = 1 + h * SQRT_PI_OVER_2 * erfcx(-h * Math.SQRT1_2);
  // Coefficients derived from Y' = 1 + hY: `/usr/bin/python3 scripts/fixtures/implied_vol.py --small-t`.
  const p1 = 0.16666666666666666 * g + 0.5;
  const q1 = -0.16666666666666666;
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

/** Region A: Σ_k (−1)^k (2k−1)!! H_{2k}(1/u, 1/v), summed until the terms stop mattering. */
function asymptoticSeries(u: number, v: number): number {
  const iu = 1 / u;
  const iv = 1 / v;
  let power = 1; // (1/u)^m
  let hm = 1; // H_m(1/u, 1/v)
  let coef = 1; // (−1)^k (2k−1)!!
  let sum = 1;
  for (let k = 1; k < 40; k++) {
    power *= iu;
    hm = iv * hm + power;
    power *= iu;
    hm = iv * hm + power;
    coef *= -(2 * k - 1);
    const term = coef * hm;
    sum += term;
    if (Math.abs(term) < 1e-17 * sum) break;
  }
  return sum;
}

/**
 * Normalised out-of-the-money call b(x, s) for x ≤ 0, s ≥ 0; also stores ∂b/∂s in
 * `BLACK_SCRATCH[0]`. Never throws; NaN in → NaN out. Relative accuracy a few ulp.
 * @param x log-moneyness ln(F/K) ≤ 0
 * @param s total volatility σ√T ≥ 0
 * @example otmBlack(-0.1, 0.2) // returns 0.03945860264180701
 * References: Jäckel (2015) §3.
 */
export function otmBlack(x: number, s: number): number {
  if (!(s > 0)) {
    BLACK_SCRATCH[0] = x === 0 && s === 0 ? INV_SQRT_2PI : 0;
    return 0;
  }
  if (s === Number.POSITIVE_INFINITY) {
    BLACK_SCRATCH[0] = 0;
    return Math.exp(0.5 * x);
  }
  const h = x / s;
  const t = 0.5 * s;
  const e = gaussFactor(h, t, x, s);
  BLACK_SCRATCH[0] = INV_SQRT_2PI * e;
  if (h + t > CDF_REGION) {
    // e^{−x/2}Φ(h−t) = ½·e^{−(h²+t²)/2}·erfcx((t−h)/√2): no underflow of Φ(h−t) for huge |x|.
    return Math.exp(0.5 * x) * normCdf(h + t) - 0.5 * e * erfcx((t - h) * Math.SQRT1_2);
  }
  if (e === 0) return 0;
  if (h < ASYMPTOTIC_H && h + t < ASYMPTOTIC_H + SMALL_T) {
    const u = h + t;
    const v = h - t;
    return INV_SQRT_2PI * e * ((2 * t) / (u * v)) * asymptoticSeries(u, v);
  }
  if (t < SMALL_T) return INV_SQRT_2PI * e * 2 * t * smallTSeries(h, t);
  return 0.5 * e * (erfcx(-(h + t) * Math.SQRT1_2) - erfcx(-(h - t) * Math.SQRT1_2));
}

/**
 * Complement e^{x/2} − b(x, s) of the normalised out-of-the-money call (x ≤ 0), computed without
 * cancellation as e^{x/2}·Φ(−(h+t)) + e^{−x/2}·Φ(h−t); also stores ∂b/∂s in `BLACK_SCRATCH[0]`.
 * Used where b is close to its supremum e^{x/2} (huge total volatility).
 * @example otmBlackComplement(-0.1, 4) // returns 0.04548965182189277 (= e^{−0.05} − b)
 * References: Jäckel (2015) §4 (upper branch).
 */
export function otmBlackComplement(x: number, s: number): number {
  if (!(s > 0)) {
    BLACK_SCRATCH[0] = x === 0 && s === 0 ? INV_SQRT_2PI : 0;
    return Math.exp(0.5 * x);
  }
  const h = x / s;
  const t = 0.5 * s;
  BLACK_SCRATCH[0] = INV_SQRT_2PI * gaussFactor(h, t, x, s);
  return Math.exp(0.5 * x) * normCdf(-(h + t)) + Math.exp(-0.5 * x) * normCdf(h - t);
}

/**
 * Normalised Black price b(x, s, θ) = undiscounted Black price / √(F·K), any sign of x, to a few
 * ulp relative accuracy (intrinsic part 2·sinh(|x|/2) added for in-the-money options).
 *
 * @param x     log-moneyness ln(F/K), dimensionless
 * @param s     total volatility σ√T ≥ 0, dimensionless
 * @param theta +1 call, −1 put
 * @returns b ≥ 0 (NaN for NaN input; never throws)
 * @example normalisedBlack(0, 0.2, 1) // returns 0.07965567455405798 (= erf(0.1/√2))
 * References: Jäckel (2015), eq. (2.1)–(2.5).
 */
export function normalisedBlack(x: number, s: number, theta: 1 | -1): number {
  const otm = otmBlack(-Math.abs(x), s);
  return theta * x > 0 ? 2 * Math.sinh(0.5 * Math.abs(x)) + otm : otm;
}

/**
 * Normalised vega ∂b/∂s = exp(−(x²/s² + s²/4)/2)/√(2π) (the same for calls and puts).
 * @param x log-moneyness ln(F/K)
 * @param s total volatility σ√T > 0
 * @example normalisedVega(0, 0.2) // returns 0.3969525474770118
 * References: Jäckel (2015), eq. (2.7).
 */
export function normalisedVega(x: number, s: number): number {
  if (!(s > 0)) return x === 0 && s === 0 ? INV_SQRT_2PI : 0;
  return INV_SQRT_2PI * gaussFactor(x / s, 0.5 * s, x, s);
}
