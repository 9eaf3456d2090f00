/**
 * One entry point that prices any single option hedgekit knows — European (BSM or Black-76),
 * American, single-barrier — and solves its implied volatility. The CLI, the server and the
 * engine's revaluation all go through here or through the batch kernels it wraps.
 */
import { DomainError, HedgekitError } from '../core/errors.ts';
import { americanGreeks, americanPrice } from './american.ts';
import { type BarrierType, barrierGreeks } from './barrier.ts';
import { black76Greeks, bsmGreeks } from './black-scholes.ts';
import { impliedVolBlack76, impliedVolBsm } from './implied-vol.ts';
import type { OptionType } from './types.ts';

/** A single option with its market inputs (units: years, annual decimals). */
export interface OptionSpec {
  readonly type: OptionType;
  readonly style: 'european' | 'american';
  readonly model: 'bsm' | 'black76';
  /** Spot for BSM, forward/futures price for Black-76. */
  readonly underlying: number;
  readonly strike: number;
  readonly expiry: number;
  readonly rate: number;
  /** Continuous dividend yield (BSM only; 0 for Black-76). */
  readonly dividend: number;
  readonly barrier?: { readonly level: number; readonly type: BarrierType; readonly rebate: number };
}

/**
 * Price and the Greeks every kind of option has (delta with respect to the underlying given —
 * the forward for Black-76), plus the extra Greeks where the model has them in closed form.
 */
export interface OptionValuation {
  price: number;
  delta: number;
  gamma: number;
  vega: number;
  theta: number;
  rho: number;
  dividendRho?: number;
  vanna?: number;
  volga?: number;
  charm?: number;
  dualDelta?: number;
}

/**
 * A Black-76 option is a BSM option on an underlying whose carry equals the rate (b = 0):
 * spot = F, dividend = r. This maps American and barrier options on futures onto the BSM engines.
 */
function bsmInputs(spec: OptionSpec): { S: number; q: number } {
  return spec.model === 'black76'
    ? { S: spec.underlying, q: spec.rate }
    : { S: spec.underlying, q: spec.dividend };
}

/**
 * Values one option with the engine its style and features call for: closed-form BSM/Black-76,
 * Reiner–Rubinstein barriers, or the high-accuracy American engine (vega and rho of American
 * options by central differences of that engine; the Black-76 rho holds F fixed).
 * @throws DomainError for invalid inputs
 * @example priceOption({ type: 'call', style: 'european', model: 'bsm', underlying: 100, strike: 100,
 *   expiry: 1, rate: 0.05, dividend: 0 }, 0.2).price // returns 10.450583572185565
 */
export function priceOption(spec: OptionSpec, vol: number): OptionValuation {
  const { type, strike: K, expiry: T, rate: r } = spec;
  if (spec.barrier) {
    const { S, q } = bsmInputs(spec);
    const g = barrierGreeks({
      type,
      barrierType: spec.barrier.type,
      spot: S,
      strike: K,
      barrier: spec.barrier.level,
      rebate: spec.barrier.rebate,
      expiry: T,
      rate: r,
      dividend: q,
      vol,
    });
    // For futures the rate also moves the "dividend" (b = 0 held fixed): ρ_F = ∂V/∂r + ∂V/∂q.
    if (spec.model === 'black76') {
      const h = 1e-5;
      const bump = (dr: number) =>
        barrierGreeks({
          type,
          barrierType: spec.barrier!.type,
          spot: S,
          strike: K,
          barrier: spec.barrier!.level,
          rebate: spec.barrier!.rebate,
          expiry: T,
          rate: r + dr,
          dividend: q + dr,
          vol,
        }).price;
      return { ...g, rho: (bump(h) - bump(-h)) / (2 * h) };
    }
    return { ...g };
  }
  if (spec.style === 'american') {
    const { S, q } = bsmInputs(spec);
    const g = americanGreeks(type, S, K, T, r, q, vol);
    const p = (dv: number, dr: number) =>
      americanPrice(type, S, K, T, r + dr, q + (spec.model === 'black76' ? dr : 0), vol + dv);
    const hv = Math.min(1e-4, vol / 2);
    const hr = 1e-5;
    const vega = vol > 0 ? (p(hv, 0) - p(-hv, 0)) / (2 * hv) : (p(1e-4, 0) - g.price) / 1e-4;
    const rho = (p(0, hr) - p(0, -hr)) / (2 * hr);
    return { price: g.price, delta: g.delta, gamma: g.gamma, theta: g.theta, vega, rho };
  }
  return spec.model === 'bsm'
    ? bsmGreeks(type, spec.underlying, K, T, r, spec.dividend, vol)
    : black76Greeks(type, spec.underlying, K, T, r, vol);
}

/**
 * Implied volatility of one option from its price: Let's Be Rational for European options,
 * a bracketed Brent solve on the American engine for American ones (the American price is
 * increasing in vol). Barrier options have no unique implied vol in general and are rejected.
 * @throws ImpliedVolError (code says which no-arbitrage bound is violated) or DomainError
 */
export function impliedVolOf(spec: OptionSpec, price: number): number {
  if (spec.barrier)
    throw new HedgekitError('unsupported', 'implied vol of barrier options is not unique; not supported');
  if (spec.style === 'european') {
    return spec.model === 'bsm'
      ? impliedVolBsm(spec.type, price, spec.underlying, spec.strike, spec.expiry, spec.rate, spec.dividend)
      : impliedVolBlack76(spec.type, price, spec.underlying, spec.strike, spec.expiry, spec.rate);
  }
  const { S, q } = bsmInputs(spec);
  // The European implied vol checks the European bounds; an American price adds the early-exercise
  // premium, so check the American ones explicitly: intrinsic below, S (call) / K (put) above.
  const intrinsic = Math.max(spec.type === 'call' ? S - spec.strike : spec.strike - S, 0);
  if (!(Number.isFinite(price) && price >= 0))
    throw new HedgekitError('negative-price', `price (${price}) must be >= 0`);
  if (price < intrinsic)
    throw new HedgekitError('below-intrinsic', `price (${price}) is below the intrinsic value ${intrinsic}`);
  const upper = spec.type === 'call' ? S : spec.strike;
  if (price >= upper)
    throw new HedgekitError('above-upper-bound', `price (${price}) is at or above the upper bound ${upper}`);
  const f = (v: number) => americanPrice(spec.type, S, spec.strike, spec.expiry, spec.rate, q, v) - price;
  let lo = 1e-6;
  let hi = 1;
  let flo = f(lo);
  if (flo > 0)
    throw new HedgekitError(
      'below-intrinsic',
      `price (${price}) is below the zero-volatility American value ${flo + price}`,
    );
  if (flo === 0) return lo;
  let fhi = f(hi);
  while (fhi < 0 && hi < 64) {
    lo = hi;
    flo = fhi;
    hi *= 2;
    fhi = f(hi);
  }
  if (fhi < 0)
    throw new HedgekitError('above-upper-bound', `price (${price}) needs a volatility above 6400 %`);
  return brent(f, lo, hi, flo, fhi, 1e-12);
}

/** Brent's root finder (Brent 1973, ch. 4) on a bracket [a, b] with f(a)·f(b) < 0. */
export function brent(
  f: (x: number) => number,
  a: number,
  b: number,
  fa: number,
  fb: number,
  tol: number,
  maxIter = 200,
): number {
  if (fa * fb > 0) throw new DomainError('bracket', `[${a}, ${b}]`, 'must contain a sign change');
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let i = 0; i < maxIter; i++) {
    if (fb * fc > 0) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol1 = 2 * Number.EPSILON * Math.abs(b) + 0.5 * tol;
    const m = 0.5 * (c - b);
    if (Math.abs(m) <= tol1 || fb === 0) return b;
    if (Math.abs(e) >= tol1 && Math.abs(fa) > Math.abs(fb)) {
      const s = fb / fa;
      let p: number;
      let q: number;
      if (a === c) {
        p = 2 * m * s;
        q = 1 - s;
      } else {
        const qq = fa / fc;
        const r = fb / fc;
        p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * m * q - Math.abs(tol1 * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = m;
        e = d;
      }
    } else {
      d = m;
      e = d;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol1 ? d : m > 0 ? tol1 : -tol1;
    fb = f(b);
  }
  return b;
}
