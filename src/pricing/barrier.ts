/**
 * Single-barrier European options with continuous monitoring and a cash rebate, on a generalized
 * Black-Scholes-Merton underlying (spot S, continuous yield q, cost of carry b = r − q).
 *
 * Closed forms of Reiner & Rubinstein (1991) in Haug's notation (2007, §4.17.1), with φ = +1 for a
 * call / −1 for a put, η = +1 for a down barrier / −1 for an up barrier, strike X, barrier H,
 * rebate R, s = σ√T, μ = (b − σ²/2)/σ², λ = √(μ² + 2r/σ²):
 *   x1 = ln(S/X)/s + (1+μ)s      x2 = ln(S/H)/s + (1+μ)s
 *   y1 = ln(H²/(SX))/s + (1+μ)s  y2 = ln(H/S)/s + (1+μ)s     z = ln(H/S)/s + λs
 *   A = φS e^{−qT} N(φx1) − φX e^{−rT} N(φx1 − φs)            (the vanilla)
 *   B = φS e^{−qT} N(φx2) − φX e^{−rT} N(φx2 − φs)
 *   C = φS e^{−qT} (H/S)^{2(μ+1)} N(ηy1) − φX e^{−rT} (H/S)^{2μ} N(ηy1 − ηs)
 *   D = φS e^{−qT} (H/S)^{2(μ+1)} N(ηy2) − φX e^{−rT} (H/S)^{2μ} N(ηy2 − ηs)
 *   E = R e^{−rT} [N(ηx2 − ηs) − (H/S)^{2μ} N(ηy2 − ηs)]      (knock-in rebate, paid at expiry)
 *   F = R [(H/S)^{μ+λ} N(ηz) + (H/S)^{μ−λ} N(ηz − 2ηλs)]      (knock-out rebate, paid at the hit)
 * Call column (puts map onto it by swapping down ↔ up and X ≥ H ↔ X < H):
 *   down-in  X ≥ H: C + E      X < H: A − B + D + E      up-in  X ≥ H: A + E   X < H: B − C + D + E
 *   down-out X ≥ H: A − C + F  X < H: B − D + F          up-out X ≥ H: F       X < H: A − B + C − D + F
 *
 * Products (H/S)^a·N(y) are evaluated as exp(a·ln(H/S) + ln N(y)) when the power would overflow
 * or underflow (low vol, far barrier), so no 0·∞ appears. At σ = 0 the deterministic limit is used.
 *
 * References: M. Rubinstein & E. Reiner, "Breaking down the barriers", Risk 4(8), 1991;
 * E. G. Haug, "The Complete Guide to Option Pricing Formulas", 2nd ed., McGraw-Hill 2007, §4.17.1;
 * QuantLib AnalyticBarrierEngine (same rebate convention).
 */

import { DomainError } from '../core/errors.ts';
import { erfcx, normCdf } from '../core/normal.ts';
import type { Greeks, OptionType } from './types.ts';
import { requireMarketInputs, requireOptionType } from './validate.ts';

/** Which side the barrier is on and what touching it does. */
export type BarrierType = 'down-in' | 'down-out' | 'up-in' | 'up-out';

/** Numeric codes of `BarrierType` for the batch API (`BarrierBatchInput.barrierType`). */
export const BARRIER_CODE = { 'down-in': 0, 'down-out': 1, 'up-in': 2, 'up-out': 3 } as const;

/**
 * One single-barrier option. Units: spot, strike, barrier, rebate in currency; expiry in years;
 * rate (continuously compounded), dividend (continuous yield q) and vol as annual decimals.
 */
export interface BarrierParams {
  readonly type: OptionType;
  readonly barrierType: BarrierType;
  /** Underlying price S > 0. */
  readonly spot: number;
  /** Strike X > 0. */
  readonly strike: number;
  /** Barrier level H > 0, monitored continuously. */
  readonly barrier: number;
  /** Cash rebate R >= 0 (default 0): knock-out pays it at the hit, knock-in at expiry if never hit. */
  readonly rebate?: number;
  /** Time to expiry T > 0, years. */
  readonly expiry: number;
  /** Risk-free rate r. */
  readonly rate: number;
  /** Continuous dividend yield q (cost of carry b = r − q). */
  readonly dividend: number;
  /** Volatility σ >= 0. */
  readonly vol: number;
}

/** Price and first-order / gamma sensitivities, units as in `Greeks`. */
export type BarrierGreeks = Pick<Greeks, 'price' | 'delta' | 'gamma' | 'vega' | 'theta' | 'rho'>;

const LOG_SAFE = 300; // |a| below which e^a·N(y) is computed directly

/** ln Φ(z), accurate deep in the left tail (Φ itself underflows below z ≈ −38). */
function logNormCdf(z: number): number {
  if (z < -5) return Math.log(0.5 * erfcx(-z * Math.SQRT1_2)) - 0.5 * z * z;
  return Math.log(normCdf(z));
}

/** e^a · Φ(z) without 0·∞ when e^a overflows and Φ(z) underflows (a = power·ln(H/S)). */
function powN(a: number, z: number): number {
  if (a > -LOG_SAFE && a < LOG_SAFE) return Math.exp(a) * normCdf(z);
  return Math.exp(a + logNormCdf(z));
}

/** Haug's A (x = x1) or B (x = x2): φ[S·dq·N(φx) − X·dr·N(φ(x − s))]. */
function termAB(w: number, Sq: number, Xr: number, x: number, s: number): number {
  return w * (Sq * normCdf(w * x) - Xr * normCdf(w * (x - s)));
}

/** Haug's C (y = y1) or D (y = y2); a1 = 2(μ+1)ln(H/S), a2 = 2μ ln(H/S). */
function termCD(
  w: number,
  eta: number,
  Sq: number,
  Xr: number,
  a1: number,
  a2: number,
  y: number,
  s: number,
) {
  return w * (Sq * powN(a1, eta * y) - Xr * powN(a2, eta * (y - s)));
}

/** Vanilla generalized-BSM price from discount factors (σ = 0: discounted forward intrinsic). */
function vanilla(w: number, S: number, X: number, T: number, dq: number, dr: number, sigma: number): number {
  const s = sigma * Math.sqrt(T);
  if (s === 0) return Math.max(w * (S * dq - X * dr), 0);
  const x1 = Math.log((S * dq) / (X * dr)) / s + 0.5 * s;
  return Math.max(termAB(w, S * dq, X * dr, x1, s), 0);
}

/**
 * The pricing kernel: never throws, NaN for invalid inputs. w = ±1 (call/put), code = BARRIER_CODE.
 * Exported for the batch API and tests; prefer `barrierPrice`.
 */
export function barrierKernel(
  w: number,
  code: number,
  S: number,
  X: number,
  H: number,
  R: number,
  T: number,
  r: number,
  q: number,
  sigma: number,
): number {
  if (
    !(S > 0 && X > 0 && H > 0 && R >= 0 && T > 0 && sigma >= 0 && !Number.isNaN(r) && !Number.isNaN(q)) ||
    !(w === 1 || w === -1) ||
    !(code === 0 || code === 1 || code === 2 || code === 3)
  ) {
    return Number.NaN;
  }
  const down = code <= 1;
  const knockIn = code === 0 || code === 2;
  const dq = Math.exp(-q * T);
  const dr = Math.exp(-r * T);
  // Already at or through the barrier: knocked out (rebate paid now) or knocked in (the vanilla).
  if (down ? S <= H : S >= H) return knockIn ? vanilla(w, S, X, T, dq, dr, sigma) : R;
  if (sigma === 0) return deterministic(w, down, knockIn, S, X, H, R, T, r, q, dq, dr);

  const s = sigma * Math.sqrt(T);
  const mu = (r - q) / (sigma * sigma) - 0.5;
  const lnHS = Math.log(H / S);
  const lnSX = Math.log(S / X);
  const m1s = (1 + mu) * s;
  const eta = down ? 1 : -1;
  const Sq = S * dq;
  const Xr = X * dr;
  const a2 = 2 * mu * lnHS;
  const a1 = a2 + 2 * lnHS;
  const x1 = lnSX / s + m1s;
  const x2 = -lnHS / s + m1s;
  const y1 = (2 * lnHS + lnSX) / s + m1s;
  const y2 = lnHS / s + m1s;
  // Haug's table is symmetric under (call ↔ put, down ↔ up, X ≥ H ↔ X < H): map puts onto the
  // call column, then pick the combination of A–D (E or F is added below).
  const flip = w === -1;
  const cDown = down !== flip;
  const cAbove = X >= H !== flip;
  let v: number;
  let rebateTerm = 0;
  if (knockIn) {
    if (R > 0) rebateTerm = R * dr * (normCdf(eta * (x2 - s)) - powN(a2, eta * (y2 - s)));
    if (cDown && cAbove) {
      v = termCD(w, eta, Sq, Xr, a1, a2, y1, s); // C
    } else if (cDown) {
      v = termAB(w, Sq, Xr, x1, s) - termAB(w, Sq, Xr, x2, s) + termCD(w, eta, Sq, Xr, a1, a2, y2, s); // A − B + D
    } else if (cAbove) {
      v = termAB(w, Sq, Xr, x1, s); // A
    } else {
      v =
        termAB(w, Sq, Xr, x2, s) -
        termCD(w, eta, Sq, Xr, a1, a2, y1, s) +
        termCD(w, eta, Sq, Xr, a1, a2, y2, s); // B − C + D
    }
  } else {
    if (R > 0) {
      const lam = Math.sqrt(mu * mu + (2 * r) / (sigma * sigma)); // NaN when r < 0 makes λ² < 0
      const z = lnHS / s + lam * s;
      rebateTerm = R * (powN((mu + lam) * lnHS, eta * z) + powN((mu - lam) * lnHS, eta * (z - 2 * lam * s)));
    }
    if (cDown && cAbove) {
      v = termAB(w, Sq, Xr, x1, s) - termCD(w, eta, Sq, Xr, a1, a2, y1, s); // A − C
    } else if (cDown) {
      v = termAB(w, Sq, Xr, x2, s) - termCD(w, eta, Sq, Xr, a1, a2, y2, s); // B − D
    } else if (cAbove) {
      v = 0; // up-out call with X ≥ H: knocked out before it can pay; only the rebate
    } else {
      v =
        termAB(w, Sq, Xr, x1, s) -
        termAB(w, Sq, Xr, x2, s) +
        termCD(w, eta, Sq, Xr, a1, a2, y1, s) -
        termCD(w, eta, Sq, Xr, a1, a2, y2, s); // A − B + C − D
    }
  }
  const total = v + rebateTerm;
  return Math.max(total, 0); // rounding in A − B + … can leave −1e-17 where the value is 0
}

/** σ = 0: the path S·e^{bt} is deterministic; the barrier is hit at τ = ln(H/S)/b if 0 < τ <= T. */
function deterministic(
  w: number,
  down: boolean,
  knockIn: boolean,
  S: number,
  X: number,
  H: number,
  R: number,
  T: number,
  r: number,
  q: number,
  dq: number,
  dr: number,
): number {
  const b = r - q;
  const tau = b === 0 ? Number.POSITIVE_INFINITY : Math.log(H / S) / b;
  const hit = down ? b < 0 && tau <= T : b > 0 && tau <= T;
  const payoff = Math.max(w * (S * dq - X * dr), 0);
  if (knockIn) return hit ? payoff : R * dr;
  return hit ? R * Math.exp(-r * tau) : payoff;
}

// ---------------------------------------------------------------- Greeks by finite differences

/**
 * Relative steps of the finite differences. The price is smooth on the live side of the barrier
 * and varies on the scales L_S = S·clamp(σ√T, 1e-3, 1) in spot, σ in vol,
 * L_T = min(T, σ√T/max(|r−q|, |r|)) in expiry (the d's move by ~1 when T moves by L_T) and
 * L_r = min(σ/√T, 1/T) in rate; steps are a fixed fraction of these. With 4th-order stencils the
 * truncation error is ~(step)^4 and the rounding ~1e-15/step (first derivatives) or
 * ~1e-14/step² (gamma), relative.
 */
const FD_STEP = 1e-2;
const SPOT_STEP = 5e-3;
const G_PRICE = 0;
const G_DELTA = 1;
const G_GAMMA = 2;
const G_VEGA = 3;
const G_THETA = 4;
const G_RHO = 5;

/** Price with the barrier ignored (knocked-in option) or not. */
function ev(
  vanillaOnly: boolean,
  w: number,
  code: number,
  S: number,
  X: number,
  H: number,
  R: number,
  T: number,
  r: number,
  q: number,
  sigma: number,
): number {
  if (vanillaOnly) return vanilla(w, S, X, T, Math.exp(-q * T), Math.exp(-r * T), sigma);
  return barrierKernel(w, code, S, X, H, R, T, r, q, sigma);
}

/**
 * Price, delta, gamma, vega, theta, rho into o[0..5]; never throws (NaN for invalid inputs).
 * Spot stencils never straddle the barrier: central (S ± h, S ± 2h) when S ∓ 2h stays on the live
 * side, otherwise one-sided 4th-order stencils S, S + h, …, S + 5h stepping away from the barrier.
 * A knocked-out option is its rebate paid now (all Greeks 0); a knocked-in one is the vanilla.
 */
export function barrierGreeksKernel(
  w: number,
  code: number,
  S: number,
  X: number,
  H: number,
  R: number,
  T: number,
  r: number,
  q: number,
  sigma: number,
  o: Float64Array,
): void {
  const v0 = barrierKernel(w, code, S, X, H, R, T, r, q, sigma);
  o[G_PRICE] = v0;
  if (Number.isNaN(v0)) {
    o[G_DELTA] = o[G_GAMMA] = o[G_VEGA] = o[G_THETA] = o[G_RHO] = Number.NaN;
    return;
  }
  const down = code <= 1;
  const knocked = down ? S <= H : S >= H;
  if (knocked && (code === 1 || code === 3)) {
    o[G_DELTA] = o[G_GAMMA] = o[G_VEGA] = o[G_THETA] = o[G_RHO] = 0;
    return;
  }
  const vo = knocked; // knocked-in: the vanilla, no barrier left to respect

  const sqT = Math.sqrt(T);
  const h = SPOT_STEP * S * Math.min(Math.max(sigma * sqT, 1e-3), 1);
  const central = vo || (down ? S - 2 * h > H : S + 2 * h < H);
  if (central) {
    const p1 = ev(vo, w, code, S + h, X, H, R, T, r, q, sigma);
    const m1 = ev(vo, w, code, S - h, X, H, R, T, r, q, sigma);
    const p2 = ev(vo, w, code, S + 2 * h, X, H, R, T, r, q, sigma);
    const m2 = ev(vo, w, code, S - 2 * h, X, H, R, T, r, q, sigma);
    o[G_DELTA] = (8 * (p1 - m1) - (p2 - m2)) / (12 * h);
    o[G_GAMMA] = (16 * (p1 + m1) - (p2 + m2) - 30 * v0) / (12 * h * h);
  } else {
    const d = down ? 1 : -1; // step away from the barrier
    const hd = d * h;
    const f1 = ev(vo, w, code, S + hd, X, H, R, T, r, q, sigma);
    const f2 = ev(vo, w, code, S + 2 * hd, X, H, R, T, r, q, sigma);
    const f3 = ev(vo, w, code, S + 3 * hd, X, H, R, T, r, q, sigma);
    const f4 = ev(vo, w, code, S + 4 * hd, X, H, R, T, r, q, sigma);
    const f5 = ev(vo, w, code, S + 5 * hd, X, H, R, T, r, q, sigma);
    o[G_DELTA] = (-25 * v0 + 48 * f1 - 36 * f2 + 16 * f3 - 3 * f4) / (12 * hd);
    o[G_GAMMA] = (45 * v0 - 154 * f1 + 214 * f2 - 156 * f3 + 61 * f4 - 10 * f5) / (12 * h * h);
  }

  if (sigma > 0) {
    const hv = FD_STEP * sigma;
    const p1 = ev(vo, w, code, S, X, H, R, T, r, q, sigma + hv);
    const m1 = ev(vo, w, code, S, X, H, R, T, r, q, sigma - hv);
    const p2 = ev(vo, w, code, S, X, H, R, T, r, q, sigma + 2 * hv);
    const m2 = ev(vo, w, code, S, X, H, R, T, r, q, sigma - 2 * hv);
    o[G_VEGA] = (8 * (p1 - m1) - (p2 - m2)) / (12 * hv);
  } else {
    // σ = 0: one-sided (σ cannot go negative), 2nd order, absolute step 1e-6
    const hv = 1e-6;
    const f1 = ev(vo, w, code, S, X, H, R, T, r, q, hv);
    const f2 = ev(vo, w, code, S, X, H, R, T, r, q, 2 * hv);
    o[G_VEGA] = (-3 * v0 + 4 * f1 - f2) / (2 * hv);
  }

  const carry = Math.max(Math.abs(r - q), Math.abs(r));
  const ht = FD_STEP * Math.max(Math.min(T, carry > 0 ? (sigma * sqT) / carry : T), 1e-3 * T);
  {
    const p1 = ev(vo, w, code, S, X, H, R, T + ht, r, q, sigma);
    const m1 = ev(vo, w, code, S, X, H, R, T - ht, r, q, sigma);
    const p2 = ev(vo, w, code, S, X, H, R, T + 2 * ht, r, q, sigma);
    const m2 = ev(vo, w, code, S, X, H, R, T - 2 * ht, r, q, sigma);
    o[G_THETA] = -(8 * (p1 - m1) - (p2 - m2)) / (12 * ht); // ∂V/∂t = −∂V/∂T
  }

  const hr = FD_STEP * Math.max(Math.min(sigma / sqT, 1 / T), 1e-4);
  {
    const p1 = ev(vo, w, code, S, X, H, R, T, r + hr, q, sigma);
    const m1 = ev(vo, w, code, S, X, H, R, T, r - hr, q, sigma);
    const p2 = ev(vo, w, code, S, X, H, R, T, r + 2 * hr, q, sigma);
    const m2 = ev(vo, w, code, S, X, H, R, T, r - 2 * hr, q, sigma);
    o[G_RHO] = (8 * (p1 - m1) - (p2 - m2)) / (12 * hr); // q held fixed, so b = r − q moves with r
  }
}

// ---------------------------------------------------------------- public API

function validate(p: BarrierParams): void {
  requireOptionType(p.type);
  if (!(p.barrierType in BARRIER_CODE)) {
    throw new DomainError('barrierType', p.barrierType, "must be 'down-in', 'down-out', 'up-in' or 'up-out'");
  }
  requireMarketInputs(p);
  if (!(Number.isFinite(p.barrier) && p.barrier > 0))
    throw new DomainError('barrier', p.barrier, 'must be > 0');
  const rebate = p.rebate ?? 0;
  if (!(Number.isFinite(rebate) && rebate >= 0)) throw new DomainError('rebate', rebate, 'must be >= 0');
  if (rebate > 0 && p.barrierType.endsWith('out') && p.vol > 0) {
    const mu = (p.rate - p.dividend) / (p.vol * p.vol) - 0.5;
    if (mu * mu + (2 * p.rate) / (p.vol * p.vol) < 0) {
      throw new DomainError(
        'rate',
        p.rate,
        'must satisfy μ² + 2r/σ² >= 0 for a knock-out rebate (the closed form needs a real λ)',
      );
    }
  }
}

/**
 * Price of a continuously monitored single-barrier option with cash rebate (Reiner-Rubinstein).
 *
 * Formulas A–F in the module header. If the spot is at or through the barrier a knock-out is
 * worth its rebate (paid now) and a knock-in the vanilla (`bsmPrice`). At vol = 0 the path
 * S·e^{(r−q)t} is deterministic: hit at τ = ln(H/S)/(r−q) if 0 < τ <= T.
 *
 * @param p see `BarrierParams` (currency, years, annual decimals; rebate defaults to 0)
 * @throws DomainError naming the parameter: spot, strike, barrier, expiry must be > 0; rebate and
 *   vol >= 0; rate, dividend finite; a knock-out rebate needs μ² + 2r/σ² >= 0 (only r < 0 breaks it)
 * @example
 *   barrierPrice({ type: 'call', barrierType: 'down-out', spot: 100, strike: 90, barrier: 95,
 *     rebate: 3, expiry: 0.5, rate: 0.08, dividend: 0.04, vol: 0.25 }) // returns ~9.02457 (Haug: 9.0246)
 * References: Rubinstein & Reiner (1991); Haug (2007) §4.17.1, Table 4-13.
 */
export function barrierPrice(p: BarrierParams): number {
  validate(p);
  return barrierKernel(
    p.type === 'call' ? 1 : -1,
    BARRIER_CODE[p.barrierType],
    p.spot,
    p.strike,
    p.barrier,
    p.rebate ?? 0,
    p.expiry,
    p.rate,
    p.dividend,
    p.vol,
  );
}

/**
 * Module-level scratch of a synchronous kernel: written and read within one call, never carried
 * between calls (no run can see another's values; worker threads have their own copy).
 */
const SCRATCH = new Float64Array(6);

/**
 * Price and Greeks of a single-barrier option by 4th-order finite differences of `barrierPrice`.
 *
 * Units: delta ∂V/∂S, gamma ∂²V/∂S², vega ∂V/∂σ per 1.00 vol, theta ∂V/∂t per year (= −∂V/∂T),
 * rho ∂V/∂r per 1.00 with q fixed. Bumps (a fixed fraction of each variable's natural scale):
 * spot h = 0.005·S·clamp(σ√T, 1e-3, 1) — central 5-point stencil when S ± 2h stays on the live
 * side, otherwise one-sided S, S ± h, …, S ± 5h stepping away from the barrier (never across it);
 * vol 0.01·σ (one-sided 1e-6 at σ = 0); expiry 0.01·max(min(T, σ√T/max(|r−q|, |r|)), 1e-3·T);
 * rate 0.01·max(min(σ/√T, 1/T), 1e-4).
 * Knocked-out: price = rebate, all Greeks 0. Knocked-in: the vanilla's Greeks.
 * Accuracy (tests): in + out Greeks match analytic vanilla Greeks to ~1e-8 relative.
 *
 * @throws DomainError as `barrierPrice`
 * @example
 *   barrierGreeks({ type: 'put', barrierType: 'down-out', spot: 100, strike: 100, barrier: 80,
 *     expiry: 1, rate: 0.05, dividend: 0, vol: 0.2 }).delta // returns ~-0.019395 (vanilla put: -0.3632)
 * References: Haug (2007) §4.17.1; finite differences: Fornberg (1988) stencil weights.
 */
export function barrierGreeks(p: BarrierParams): BarrierGreeks {
  validate(p);
  barrierGreeksKernel(
    p.type === 'call' ? 1 : -1,
    BARRIER_CODE[p.barrierType],
    p.spot,
    p.strike,
    p.barrier,
    p.rebate ?? 0,
    p.expiry,
    p.rate,
    p.dividend,
    p.vol,
    SCRATCH,
  );
  return {
    price: SCRATCH[G_PRICE],
    delta: SCRATCH[G_DELTA],
    gamma: SCRATCH[G_GAMMA],
    vega: SCRATCH[G_VEGA],
    theta: SCRATCH[G_THETA],
    rho: SCRATCH[G_RHO],
  };
}

/**
 * Batch inputs, struct of arrays of length n. `sign[i]` = +1 call / −1 put; `barrierType[i]` a
 * `BARRIER_CODE` value (down-in 0, down-out 1, up-in 2, up-out 3). Omitted rebate / dividend = 0.
 */
export interface BarrierBatchInput {
  readonly sign: Int8Array;
  readonly barrierType: Uint8Array;
  readonly spot: Float64Array;
  readonly strike: Float64Array;
  readonly barrier: Float64Array;
  readonly rebate?: Float64Array;
  readonly expiry: Float64Array;
  readonly rate: Float64Array;
  readonly dividend?: Float64Array;
  readonly vol: Float64Array;
}

/** Batch outputs: `price` required, each Greek array filled when present (length n). */
export interface BarrierBatchOutput {
  readonly price: Float64Array;
  readonly delta?: Float64Array;
  readonly gamma?: Float64Array;
  readonly vega?: Float64Array;
  readonly theta?: Float64Array;
  readonly rho?: Float64Array;
}

/**
 * Batch barrier pricing over Float64Arrays: no allocation per element, never throws per element —
 * an invalid option (non-positive spot/strike/barrier/expiry, negative rebate or vol, bad
 * sign/code, NaN rate/dividend) gets NaN in every output. Same kernel as `barrierPrice`; when any
 * Greek array is present all Greeks are computed as in `barrierGreeks` (17 kernel calls each).
 *
 * Shape: every array has length n = `input.spot.length` (throws DomainError up front otherwise).
 * @example
 *   const out = { price: new Float64Array(1) };
 *   barrierPriceBatch({ sign: Int8Array.of(-1), barrierType: Uint8Array.of(BARRIER_CODE['down-out']),
 *     spot: Float64Array.of(100), strike: Float64Array.of(100), barrier: Float64Array.of(80),
 *     expiry: Float64Array.of(1), rate: Float64Array.of(0.05), vol: Float64Array.of(0.2) }, out);
 *   out.price[0] // returns ~1.62102 (vanilla put 5.57353)
 * References: Haug (2007) §4.17.1.
 */
export function barrierPriceBatch(input: BarrierBatchInput, out: BarrierBatchOutput): void {
  const { sign, barrierType, spot, strike, barrier, rebate, expiry, rate, dividend, vol } = input;
  const n = spot.length;
  const lens: [string, { length: number } | undefined][] = [
    ['sign', sign],
    ['barrierType', barrierType],
    ['strike', strike],
    ['barrier', barrier],
    ['rebate', rebate],
    ['expiry', expiry],
    ['rate', rate],
    ['dividend', dividend],
    ['vol', vol],
    ['out.price', out.price],
    ['out.delta', out.delta],
    ['out.gamma', out.gamma],
    ['out.vega', out.vega],
    ['out.theta', out.theta],
    ['out.rho', out.rho],
  ];
  for (const [name, a] of lens) {
    if (a !== undefined && a.length !== n)
      throw new DomainError(`${name}.length`, a.length, `must equal n = ${n}`);
  }
  const { price, delta, gamma, vega, theta, rho } = out;
  const greeks = delta || gamma || vega || theta || rho;
  for (let i = 0; i < n; i++) {
    const R = rebate === undefined ? 0 : rebate[i];
    const q = dividend === undefined ? 0 : dividend[i];
    if (!greeks) {
      price[i] = barrierKernel(
        sign[i],
        barrierType[i],
        spot[i],
        strike[i],
        barrier[i],
        R,
        expiry[i],
        rate[i],
        q,
        vol[i],
      );
      continue;
    }
    barrierGreeksKernel(
      sign[i],
      barrierType[i],
      spot[i],
      strike[i],
      barrier[i],
      R,
      expiry[i],
      rate[i],
      q,
      vol[i],
      SCRATCH,
    );
    price[i] = SCRATCH[G_PRICE];
    if (delta) delta[i] = SCRATCH[G_DELTA];
    if (gamma) gamma[i] = SCRATCH[G_GAMMA];
    if (vega) vega[i] = SCRATCH[G_VEGA];
    if (theta) theta[i] = SCRATCH[G_THETA];
    if (rho) rho[i] = SCRATCH[G_RHO];
  }
}
