// AssemblyScript port of src/pricing/lets-be-rational.ts (`otmImpliedTotalVol` and its rational-cubic
// helpers) for the implied-vol kernel: the same IEEE operations in the same order, with exp, log,
// expm1 and cbrt from the fdlibm ports, so every value is bit-identical to the JavaScript (the
// reference). LBR_DIAGNOSTICS.iterations is the global `lbrIterations` (the batch driver copies it
// in before a batch and back after it).
// References: P. Jäckel, "Let's Be Rational", Wilmott (2015) 40–53; R. Delbourgo & J. A. Gregory,
// SIAM J. Sci. Stat. Comput. 6 (1985) 967–976; A. S. Householder (1970).

import { fdCbrt, fdExp, fdExpm1, fdLog } from './fdlibm';
import { blackVega, otmBlack, otmBlackComplement } from './normalised-black';
import { erf, erfcx, normCdf, normInv } from './normal';

const TWO_PI_OVER_SQRT_27: f64 = 1.2091995761561452;
const SQRT_3: f64 = 1.7320508075688772;
const INV_SQRT_2PI: f64 = 0.3989422804014327;
const MAX_ITERATIONS = 10;
const STOP_RELATIVE_STEP: f64 = 1e-6;
const MIN_R: f64 = -1 + 1.4901161193847656e-8;
const MAX_R: f64 = 1 / 2.220446049250313e-16;

/** LBR_DIAGNOSTICS.iterations: Householder steps of the last `otmImpliedTotalVol` call. */
export let lbrIterations: i32 = 0;

/** Delbourgo–Gregory rational cubic (lets-be-rational.ts `rationalCubic`). */
function rationalCubic(x: f64, xl: f64, xr: f64, yl: f64, yr: f64, dl: f64, dr: f64, r: f64): f64 {
  const hw = xr - xl;
  if (!(abs<f64>(hw) > 0)) return 0.5 * (yl + yr);
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

/** Smallest shape-preserving r (lets-be-rational.ts `minimumR`). */
function minimumR(dl: f64, dr: f64, slope: f64): f64 {
  const monotonic = dl * slope >= 0 && dr * slope >= 0;
  const convex = dl <= slope && slope <= dr;
  const concave = dl >= slope && slope >= dr;
  if (!monotonic && !convex && !concave) return MIN_R;
  let r1: f64 = -Infinity;
  let r2: f64 = -Infinity;
  if (monotonic) {
    if (slope != 0) r1 = (dr + dl) / slope;
    else r1 = 0;
  }
  if (convex || concave) {
    const dlm = slope - dl;
    const drm = dr - slope;
    const spread = dr - dl;
    if (dlm == 0 || drm == 0) r2 = Infinity;
    else r2 = max<f64>(abs<f64>(spread / drm), abs<f64>(spread / dlm));
  }
  // Math.max(a, b, c): NaN if any is NaN, else the largest with +0 above −0 — as f64.max twice.
  return max<f64>(max<f64>(MIN_R, r1), r2);
}

/** r fitting `d2` at the left end (lets-be-rational.ts `rFitLeft`). */
function rFitLeft(xl: f64, xr: f64, yl: f64, yr: f64, dl: f64, dr: f64, d2: f64): f64 {
  const hw = xr - xl;
  const slope = (yr - yl) / hw;
  const den = slope - dl;
  const fit = den == 0 ? MAX_R : (dr - dl + 0.5 * d2 * hw) / den;
  return max<f64>(fit, minimumR(dl, dr, slope));
}

/** r fitting `d2` at the right end (lets-be-rational.ts `rFitRight`). */
function rFitRight(xl: f64, xr: f64, yl: f64, yr: f64, dl: f64, dr: f64, d2: f64): f64 {
  const hw = xr - xl;
  const slope = (yr - yl) / hw;
  const den = dr - slope;
  const fit = den == 0 ? MAX_R : (dr - dl + 0.5 * d2 * hw) / den;
  return max<f64>(fit, minimumR(dl, dr, slope));
}

@inline
function householder3(nu: f64, h2: f64, h3: f64): f64 {
  return (1 + 0.5 * h2 * nu) / (1 + nu * (h2 + (h3 * nu) / 6));
}

function inverseLowerMap(ax: f64, f: f64): f64 {
  const cube = f / (TWO_PI_OVER_SQRT_27 * ax);
  const z = normInv(fdCbrt(cube));
  return ax / (SQRT_3 * -z);
}

/** Total volatility s with b(x, s) = β (lets-be-rational.ts `otmImpliedTotalVol`). */
export function otmImpliedTotalVol(beta: f64, x: f64): f64 {
  lbrIterations = 0;
  if (!(beta > 0)) return beta == 0 || beta < 0 ? 0 : NaN;
  const bMax = fdExp(0.5 * x);
  if (!(beta < bMax)) return beta >= bMax ? Infinity : NaN;
  const ax = -x;

  const sc = sqrt<f64>(2 * ax);
  const y = sqrt<f64>(ax);
  const bc = 0.5 * bMax * (y <= 0.5 ? erf(y) / (bMax * bMax) - fdExpm1(ax) : 1 - erfcx(y));
  const vc = INV_SQRT_2PI * bMax;

  let s: f64;
  let sLeft: f64;
  let sRight: f64;
  let branch: i32; // 0 lower objective, 1 plain, 2 upper objective
  if (beta < bc) {
    const sl = max<f64>(sc - bc / vc, 0);
    const bl = sl > 0 ? otmBlack(x, sl) : 0;
    // b(x, 0) = 0 and b'(x, 0) = 0 for x < 0 (what otmBlack(x, 0) would give), as in JavaScript.
    const vl = sl > 0 ? blackVega : 0;
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
        fdExp(-0.5 * z * z) *
        (ax / (SQRT_3 * sl * sl));
      const dfl = dfds / vl;
      const r = rFitLeft(0, bl, 0, fl, 1, dfl, 0);
      let f = rationalCubic(beta, 0, bl, 0, fl, 1, dfl, r);
      if (!(f > 0 && f <= fl)) {
        const q = beta / bl;
        f = (fl * q + bl * (1 - q)) * q;
      }
      s = inverseLowerMap(ax, f);
      sLeft = 0;
      sRight = sl;
      branch = 0;
    } else {
      // Branch 2: s(β) on [b_l, b_c].
      const dl = vl > 0 ? 1 / vl : Infinity;
      const dr = 1 / vc;
      if (dl == Infinity || bl == bc) {
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
    const vu = blackVega;
    if (beta <= bu) {
      // Branch 3: s(β) on [b_c, b_u].
      const dl = 1 / vc;
      const dr = vu > 0 ? 1 / vu : Infinity;
      if (dr == Infinity || bu == bc) {
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
      const dl = -0.5 * fdExp(0.5 * hu * hu);
      const dr: f64 = -0.5;
      const r = rFitRight(bu, bMax, fu, 0, dl, dr, 0);
      let f = rationalCubic(beta, bu, bMax, fu, 0, dl, dr, r);
      if (!(f > 0 && f <= fu)) {
        const q = (beta - bu) / (bMax - bu);
        f = fu * (1 - q) * (1 - q);
        if (!(f > 0)) f = 5e-324; // Number.MIN_VALUE
      }
      s = -2 * normInv(f);
      sLeft = su;
      sRight = Infinity;
      branch = 2;
    }
  }
  if (!(s > sLeft && s < sRight)) s = sRight == Infinity ? 2 * sLeft + 1 : 0.5 * (sLeft + sRight);

  const lnBeta = branch == 0 ? fdLog(beta) : 0;
  const gapBeta = branch == 2 ? bMax - beta : 0;
  for (let it = 0; it < MAX_ITERATIONS; it++) {
    lbrIterations = it + 1;
    const h = x / s;
    const hs = h / s;
    const h2b = h * hs - 0.25 * s;
    const h3b = h2b * h2b - 3 * hs * hs - 0.25;
    let ds: f64;
    if (branch == 1) {
      const b = otmBlack(x, s);
      const v = blackVega;
      if (b > beta) sRight = s;
      else if (b < beta) sLeft = s;
      else break;
      if (!(v > 0)) {
        ds = NaN;
      } else {
        const nu = (beta - b) / v;
        ds = nu * householder3(nu, h2b, h3b);
      }
    } else if (branch == 0) {
      const b = otmBlack(x, s);
      const v = blackVega;
      if (b > beta) sRight = s;
      else if (b < beta) sLeft = s;
      else break;
      if (!(b > 0 && v > 0)) {
        ds = NaN;
      } else {
        const lnB = fdLog(b);
        const lam = v / b;
        const nu = ((lnBeta - lnB) * lnB) / (lnBeta * lam);
        const il = 1 / lnB;
        const h2 = h2b - lam * (1 + 2 * il);
        const h3 = h3b + 2 * lam * lam * (1 + 3 * il * (1 + il)) - 3 * lam * h2b * (1 + 2 * il);
        ds = nu * householder3(nu, h2, h3);
      }
    } else {
      const c = otmBlackComplement(x, s);
      const v = blackVega;
      if (c < gapBeta) sRight = s;
      else if (c > gapBeta) sLeft = s;
      else break;
      if (!(c > 0 && v > 0)) {
        ds = NaN;
      } else {
        const mu = v / c;
        const nu = fdLog(c / gapBeta) / mu;
        const h2 = h2b + mu;
        const h3 = h3b + 3 * mu * h2b + 2 * mu * mu;
        ds = nu * householder3(nu, h2, h3);
      }
    }
    const next = s + ds;
    if (next > sLeft && next < sRight) {
      s = next;
      if (abs<f64>(ds) <= STOP_RELATIVE_STEP * s) break;
    } else if (abs<f64>(ds) <= STOP_RELATIVE_STEP * s) {
      break;
    } else {
      s = sRight == Infinity ? 2 * sLeft : 0.5 * (sLeft + sRight);
    }
  }
  return s;
}
