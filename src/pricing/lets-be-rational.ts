/**
 * Jäckel's "Let's Be Rational" inversion of the normalised Black function: given a normalised
 * out-of-the-money price β and log-moneyness x ≤ 0, find the total volatility s = σ√T with
 * b(x, s) = β, to the precision the double β carries, in (almost always) two Householder(3) steps.
 *
 * Initial guess, four branches around the inflection point s_c = √(2|x|) of s ↦ b(x, s):
 *   s_l = s_c − b_c/b'_c and s_u = s_c + (b_max − b_c)/b'_c (where the tangent at s_c meets 0 and
 *   b_max = e^{x/2}), b_l = b(x, s_l), b_u = b(x, s_u).
 *   1. β < b_l: rational cubic interpolation of f_lower(β) on [0, b_l] with
 *      f_lower(s) = (2π|x|/√27)·Φ(−|x|/(√3 s))³ (equal to b to leading order as s → 0, and
 *      invertible in closed form), f(0) = 0, f'(0) = 1, f''(0) = 0.
 *   2. b_l ≤ β ≤ b_c: rational cubic interpolation of s(β) between (b_l, s_l) and (b_c, s_c) with
 *      slopes 1/b', zero curvature at the inflection point.
 *   3. b_c < β ≤ b_u: the same between (b_c, s_c) and (b_u, s_u).
 *   4. β > b_u: rational cubic interpolation of f_upper(β) = Φ(−s/2) on [b_u, b_max] with
 *      f'(b_max) = −½, f''(b_max) = 0, inverted as s = −2Φ⁻¹(f).
 * The rational cubic is Delbourgo & Gregory's, its control parameter fitted to the stated second
 * derivative and raised where needed to keep the interpolant monotone and convex.
 *
 * Refinement: Householder's third-order method s ← s + ν(1 + ½h₂ν)/(1 + ν(h₂ + h₃ν/6)), ν = −g/g',
 * hₖ = g^{(k)}/g', on the objective g(s) = 1/ln b(s) − 1/ln β (branch 1), b(s) − β (branches 2–3) or
 * ln((b_max − β)/(b_max − b(s))) (branch 4), inside a bracket that only shrinks. The loop stops once
 * a step is below 1e-6·s (the next error would be ~(1e-6)⁴) — after two steps in practice.
 *
 * References: P. Jäckel, "Let's Be Rational", Wilmott (2015) 40–53; P. Jäckel, "By Implication",
 * Wilmott (2006) 60–66; R. Delbourgo & J. A. Gregory, "Shape preserving piecewise rational
 * interpolation", SIAM J. Sci. Stat. Comput. 6 (1985) 967–976; A. S. Householder, "The Numerical
 * Treatment of a Single Nonlinear Equation" (1970).
 */

import { erf, erfcx, normCdf, normInv } from '../core/normal.ts';
import { BLACK_SCRATCH, otmBlack, otmBlackComplement } from './normalised-black.ts';

const TWO_PI_OVER_SQRT_27 = 1.2091995761561452; // 2π/√27
const SQRT_3 = 1.7320508075688772;
const INV_SQRT_2PI = 0.3989422804014327;
const MAX_ITERATIONS = 10;
const STOP_RELATIVE_STEP = 1e-6;
/** r must stay above −1 for the rational cubic's denominator 1 + (r − 3)τ(1 − τ) to stay positive. */
const MIN_R = -1 + 1.4901161193847656e-8;
const MAX_R = 1 / 2.220446049250313e-16;

/** Number of Householder steps taken by the last `otmImpliedTotalVol` call (for tests/diagnostics). */
export const LBR_DIAGNOSTICS = { iterations: 0 };

/**
 * Delbourgo–Gregory rational cubic through (x_l, y_l), (x_r, y_r) with end slopes d_l, d_r and
 * control parameter r (r = 3: cubic Hermite; r → ∞: linear).
 */
function rationalCubic(
  x: number,
  xl: number,
  xr: number,
  yl: number,
  yr: number,
  dl: number,
  dr: number,
  r: number,
): number {
  const hw = xr - xl;
  if (!(Math.abs(hw) > 0)) return 0.5 * (yl + yr);
  const tau = (x - xl) / hw;
  if (!(r < MAX_R)) return yr * tau + yl * (1 - tau);
  const om = 1 - tau;
  const t2 = tau * tau;
  const om2 = om * om;
  return (
    (yr * t2 * tau + (r * yr - hw * dr) * t2 * om + (r * yl + hw * dl) * tau * om2 + yl * om2 * om) /
    (1 + (r - 3) * tau * om)
  );
}

/** Smallest r keeping the interpolant monotone and convex/concave when the data are. */
function minimumR(dl: number, dr: number, slope: number): number {
  const monotonic = dl * slope >= 0 && dr * slope >= 0;
  const convex = dl <= slope && slope <= dr;
  const concave = dl >= slope && slope >= dr;
  if (!monotonic && !convex && !concave) return MIN_R;
  let r1 = Number.NEGATIVE_INFINITY;
  let r2 = Number.NEGATIVE_INFINITY;
  if (monotonic) {
    if (slope !== 0) r1 = (dr + dl) / slope;
    else r1 = 0;
  }
  if (convex || concave) {
    const dlm = slope - dl;
    const drm = dr - slope;
    const spread = dr - dl;
    if (dlm === 0 || drm === 0) r2 = Number.POSITIVE_INFINITY;
    else r2 = Math.max(Math.abs(spread / drm), Math.abs(spread / dlm));
  }
  return Math.max(MIN_R, r1, r2);
}

/** r fitting the second derivative `d2` at the left end, raised to the shape-preserving minimum. */
function rFitLeft(
  xl: number,
  xr: number,
  yl: number,
  yr: number,
  dl: number,
  dr: number,
  d2: number,
): number {
  const hw = xr - xl;
  const slope = (yr - yl) / hw;
  const den = slope - dl;
  const fit = den === 0 ? MAX_R : (dr - dl + 0.5 * d2 * hw) / den;
  return Math.max(fit, minimumR(dl, dr, slope));
}

/** r fitting the second derivative `d2` at the right end, raised to the shape-preserving minimum. */
function rFitRight(
  xl: number,
  xr: number,
  yl: number,
  yr: number,
  dl: number,
  dr: number,
  d2: number,
): number {
  const hw = xr - xl;
  const slope = (yr - yl) / hw;
  const den = dr - slope;
  const fit = den === 0 ? MAX_R : (dr - dl + 0.5 * d2 * hw) / den;
  return Math.max(fit, minimumR(dl, dr, slope));
}

/** Householder(3) correction factor: step = ν·factor. */
function householder3(nu: number, h2: number, h3: number): number {
  return (1 + 0.5 * h2 * nu) / (1 + nu * (h2 + (h3 * nu) / 6));
}

/** Inverse of the lower map f = (2π|x|/√27)·Φ(−|x|/(√3 s))³. */
function inverseLowerMap(ax: number, f: number): number {
  const cube = f / (TWO_PI_OVER_SQRT_27 * ax);
  const z = normInv(Math.cbrt(cube));
  return ax / (SQRT_3 * -z);
}

/**
 * Total volatility s = σ√T ≥ 0 with b(x, s) = β for an out-of-the-money call (x ≤ 0,
 * 0 < β < e^{x/2}). Never throws, never allocates: β ≤ 0 gives 0, β ≥ e^{x/2} gives +∞, NaN gives NaN.
 *
 * @param beta normalised out-of-the-money price (undiscounted price / √(F·K))
 * @param x    log-moneyness ln(F/K) ≤ 0
 * @returns total volatility s (dimensionless)
 * @example otmImpliedTotalVol(otmBlack(-0.1, 0.2), -0.1) // returns 0.20000000000000007
 * References: Jäckel (2015) §4–5.
 */
export function otmImpliedTotalVol(beta: number, x: number): number {
  LBR_DIAGNOSTICS.iterations = 0;
  if (!(beta > 0)) return beta === 0 || beta < 0 ? 0 : Number.NaN;
  const bMax = Math.exp(0.5 * x);
  if (!(beta < bMax)) return beta >= bMax ? Number.POSITIVE_INFINITY : Number.NaN;
  const ax = -x;

  // Inflection point: b''(s_c) = 0, b'(s_c) = e^{x/2}/√(2π).
  const sc = Math.sqrt(2 * ax);
  // b_c = b(x, s_c) in closed form: there h + t = 0, so b_c = ½·e^{x/2}·(1 − erfcx(√|x|)), with
  // 1 − erfcx(y) = e^{y²}·erf(y) − expm1(y²) for small y to avoid cancellation.
  const y = Math.sqrt(ax);
  const bc = 0.5 * bMax * (y <= 0.5 ? erf(y) / (bMax * bMax) - Math.expm1(ax) : 1 - erfcx(y));
  const vc = INV_SQRT_2PI * bMax;

  let s: number;
  let sLeft: number;
  let sRight: number;
  let branch: number; // 0 lower objective, 1 plain, 2 upper objective
  if (beta < bc) {
    const sl = Math.max(sc - bc / vc, 0);
    const bl = sl > 0 ? otmBlack(x, sl) : 0;
    // b(x, 0) = 0 and b'(x, 0) = 0 for x < 0 (what otmBlack(x, 0) would give). Reading the scratch
    // without evaluating would take whatever vega the previous call left behind.
    const vl = sl > 0 ? BLACK_SCRATCH[0] : 0;
    if (beta < bl) {
      // Branch 1: lower map.
      const z = -ax / (SQRT_3 * sl);
      const phi = normCdf(z);
      const fl = TWO_PI_OVER_SQRT_27 * ax * phi * phi * phi;
      const dfds =
        3 *
        TWO_PI_OVER_SQRT_27 *
        ax *
        phi *
        phi *
        INV_SQRT_2PI *
        Math.exp(-0.5 * z * z) *
        (ax / (SQRT_3 * sl * sl));
      const dfl = dfds / vl;
      const r = rFitLeft(0, bl, 0, fl, 1, dfl, 0);
      let f = rationalCubic(beta, 0, bl, 0, fl, 1, dfl, r);
      if (!(f > 0 && f <= fl)) {
        // Round-off in extreme cases: quadratic through f(0) = 0, f'(0) = 1, f(b_l) = f_l.
        const q = beta / bl;
        f = (fl * q + bl * (1 - q)) * q;
      }
      s = inverseLowerMap(ax, f);
      sLeft = 0;
      sRight = sl;
      branch = 0;
    } else {
      // Branch 2: s(β) on [b_l, b_c], zero curvature at b_c.
      const dl = vl > 0 ? 1 / vl : Number.POSITIVE_INFINITY;
      const dr = 1 / vc;
      if (dl === Number.POSITIVE_INFINITY || bl === bc) {
        s = sl + (beta - bl) * dr;
      } else {
        const r = rFitRight(bl, bc, sl, sc, dl, dr, 0);
        s = rationalCubic(beta, bl, bc, sl, sc, dl, dr, r);
      }
      sLeft = sl;
      sRight = sc;
      branch = 1;
    }
  } else {
    const su = sc + (bMax - bc) / vc;
    const bu = otmBlack(x, su);
    const vu = BLACK_SCRATCH[0];
    if (beta <= bu) {
      // Branch 3: s(β) on [b_c, b_u], zero curvature at b_c.
      const dl = 1 / vc;
      const dr = vu > 0 ? 1 / vu : Number.POSITIVE_INFINITY;
      if (dr === Number.POSITIVE_INFINITY || bu === bc) {
        s = sc + (beta - bc) * dl;
      } else {
        const r = rFitLeft(bc, bu, sc, su, dl, dr, 0);
        s = rationalCubic(beta, bc, bu, sc, su, dl, dr, r);
      }
      sLeft = sc;
      sRight = su;
      branch = 1;
    } else {
      // Branch 4: upper map f = Φ(−s/2) on [b_u, b_max].
      const fu = normCdf(-0.5 * su);
      const hu = x / su;
      const dl = -0.5 * Math.exp(0.5 * hu * hu);
      const dr = -0.5;
      const r = rFitRight(bu, bMax, fu, 0, dl, dr, 0);
      let f = rationalCubic(beta, bu, bMax, fu, 0, dl, dr, r);
      if (!(f > 0 && f <= fu)) {
        const q = (beta - bu) / (bMax - bu);
        f = fu * (1 - q) * (1 - q);
        if (!(f > 0)) f = Number.MIN_VALUE;
      }
      s = -2 * normInv(f);
      sLeft = su;
      sRight = Number.POSITIVE_INFINITY;
      branch = 2;
    }
  }
  if (!(s > sLeft && s < sRight))
    s = sRight === Number.POSITIVE_INFINITY ? 2 * sLeft + 1 : 0.5 * (sLeft + sRight);

  const lnBeta = branch === 0 ? Math.log(beta) : 0;
  const gapBeta = branch === 2 ? bMax - beta : 0;
  for (let it = 0; it < MAX_ITERATIONS; it++) {
    LBR_DIAGNOSTICS.iterations = it + 1;
    const h = x / s;
    const hs = h / s;
    const h2b = h * hs - 0.25 * s; // b''/b'
    const h3b = h2b * h2b - 3 * hs * hs - 0.25; // b'''/b'
    let ds: number;
    if (branch === 1) {
      const b = otmBlack(x, s);
      const v = BLACK_SCRATCH[0];
      if (b > beta) sRight = s;
      else if (b < beta) sLeft = s;
      else break;
      if (!(v > 0)) {
        ds = Number.NaN;
      } else {
        const nu = (beta - b) / v;
        ds = nu * householder3(nu, h2b, h3b);
      }
    } else if (branch === 0) {
      const b = otmBlack(x, s);
      const v = BLACK_SCRATCH[0];
      if (b > beta) sRight = s;
      else if (b < beta) sLeft = s;
      else break;
      if (!(b > 0 && v > 0)) {
        ds = Number.NaN;
      } else {
        const lnB = Math.log(b);
        const lam = v / b;
        const nu = ((lnBeta - lnB) * lnB) / (lnBeta * lam);
        const il = 1 / lnB;
        const h2 = h2b - lam * (1 + 2 * il);
        const h3 = h3b + 2 * lam * lam * (1 + 3 * il * (1 + il)) - 3 * lam * h2b * (1 + 2 * il);
        ds = nu * householder3(nu, h2, h3);
      }
    } else {
      const c = otmBlackComplement(x, s);
      const v = BLACK_SCRATCH[0];
      if (c < gapBeta) sRight = s;
      else if (c > gapBeta) sLeft = s;
      else break;
      if (!(c > 0 && v > 0)) {
        ds = Number.NaN;
      } else {
        const mu = v / c;
        const nu = Math.log(c / gapBeta) / mu;
        const h2 = h2b + mu;
        const h3 = h3b + 3 * mu * h2b + 2 * mu * mu;
        ds = nu * householder3(nu, h2, h3);
      }
    }
    const next = s + ds;
    if (next > sLeft && next < sRight) {
      s = next;
      if (Math.abs(ds) <= STOP_RELATIVE_STEP * s) break;
    } else if (Math.abs(ds) <= STOP_RELATIVE_STEP * s) {
      // A converged step that leaves the bracket only through rounding: s is the answer.
      break;
    } else {
      // Outside the bracket (or NaN): bisect; s is one end of the updated bracket.
      s = sRight === Number.POSITIVE_INFINITY ? 2 * sLeft : 0.5 * (sLeft + sRight);
    }
  }
  return s;
}
