/**
 * Value and Greeks of one {@link Contract} (src/instruments/terms.ts) under scalar market inputs,
 * per unit of underlying — the building block of book risk and of full-repricing scenarios.
 *
 * Market inputs of the contract's asset ({@link AssetQuote}): spot S, continuous carry / dividend
 * yield q, and a pricing vol that is either flat or the sticky-moneyness smile of pricing-vol.ts,
 *   σ(K, τ; S) = max(σ_b·(1 + skew·k + curvature·k²) + termSlope·(τ − 1), minVol), k = ln(K/S),
 * plus an absolute parallel shift s (a scenario's vol shock): σ_eff = max(σ(K, τ; S) + s, 0).
 * The rate r is continuously compounded and flat.
 *
 * Pricing per kind: European vanilla — BSM closed forms (`bsmGreeks`, Haug 2007 ch. 2); barrier —
 * Reiner–Rubinstein (`barrierGreeks`) with vanna and volga by 4th-order central differences;
 * digital — closed forms (`digitalGreeks`) with vanna and volga likewise; American — ALO
 * (`americanGreeks`) with vega, volga, vanna and rho likewise; forward / future —
 * V = S·e^{−qτ} − K·e^{−rτ}; the asset — V = S.
 *
 * Greeks are total derivatives of the value as the smile moves with spot and time (so they equal
 * finite differences of {@link contractValue}): with model Greeks at a fixed σ (subscripts),
 *   Δ = V_S + V_σ·σ_S,  Γ = V_SS + 2·V_Sσ·σ_S + V_σσ·σ_S² + V_σ·σ_SS,  vanna = V_Sσ + V_σσ·σ_S,
 *   vega = V_σ,  volga = V_σσ,  Θ = V_t − V_σ·termSlope,  ρ = V_r (q fixed),
 * where σ_S = −σ_b(skew + 2·curvature·k)/S and σ_SS = σ_b(skew + 2·curvature + 2·curvature·k)/S²
 * (both 0 where the smile sits on its floor, and for a flat vol). Vega is the sensitivity to a
 * parallel shift of the vol surface.
 *
 * Units (src/pricing/types.ts): value, per unit of underlying, in currency; delta per 1.00 of
 * underlying; gamma per 1.00²; vega per 1.00 of vol (÷100 per vol point, `vegaPerPoint`); theta
 * ∂V/∂t per year of calendar time (÷365 per day, `thetaPerDay`); rho per 1.00 of rate; vanna
 * ∂²V/∂S∂σ; volga ∂²V/∂σ².
 *
 * References: J. C. Hull, Options, Futures and Other Derivatives (10th ed.), ch. 19; E. G. Haug,
 * The Complete Guide to Option Pricing Formulas (2nd ed., 2007), ch. 2 and §4.17–4.19;
 * Andersen, Lake & Offengenbach (2016) for the American engine.
 */
import { DomainError } from '../core/errors.ts';
import { payoff, touches } from '../instruments/payoff.ts';
import type { Contract } from '../instruments/terms.ts';
import { DEFAULT_MIN_VOL, type SmileSpec, smileVol } from '../market/pricing-vol.ts';
import { americanGreeks, americanPrice } from '../pricing/american.ts';
import { barrierGreeks, barrierPrice } from '../pricing/barrier.ts';
import { bsmGreeks, bsmPrice } from '../pricing/black-scholes.ts';
import { digitalGreeks, digitalPrice } from '../pricing/digital.ts';

/** A pricing vol: flat (annualized decimal), or a base vol with the pricing-vol.ts smile. */
export type VolQuote = number | { readonly base: number; readonly smile: SmileSpec };

/** Market inputs of one asset. Units: spot in currency; carry, vol annualized decimals. */
export interface AssetQuote {
  /** Spot S > 0. */
  readonly spot: number;
  /** Continuous carry / dividend / convenience yield q (cost of carry b = r − q). */
  readonly carry: number;
  /** Flat vol or smile. */
  readonly vol: VolQuote;
  /** Absolute parallel vol shift added after the smile (0.05 = +5 vol points); default 0. */
  readonly volShift?: number;
}

/** Value and Greeks of a contract per unit of underlying (units in the module header). */
export interface ContractGreeks {
  price: number;
  delta: number;
  gamma: number;
  vega: number;
  theta: number;
  vanna: number;
  volga: number;
  rho: number;
}

/** Vol bump of the central differences, absolute (capped at σ/4 so that σ − 2h > 0). */
export const VOL_BUMP = 1e-3;
/** Rate bump of the American rho's central difference (absolute). */
export const RATE_BUMP = 1e-4;

interface SurfacePoint {
  /** σ_eff = max(σ(K, τ; S) + shift, 0). */
  readonly vol: number;
  /** ∂σ/∂S, ∂²σ/∂S², ∂σ/∂t (calendar time), 0 on a floor. */
  readonly dS: number;
  readonly dSS: number;
  readonly dt: number;
}

/**
 * The effective pricing vol of a contract with strike K and time to expiry τ, with its
 * derivatives in spot and calendar time (see the module header).
 * @example volAt({ spot: 100, carry: 0, vol: 0.2 }, 90, 1) // returns 0.2
 */
export function volAt(q: AssetQuote, strike: number, tau: number): number {
  return surface(q, strike, tau).vol;
}

function surface(q: AssetQuote, K: number, tau: number): SurfacePoint {
  const shift = q.volShift ?? 0;
  const v = q.vol;
  if (typeof v === 'number') {
    const s = v + shift;
    return s > 0 ? { vol: s, dS: 0, dSS: 0, dt: 0 } : { vol: 0, dS: 0, dSS: 0, dt: 0 };
  }
  const { base, smile } = v;
  const S = q.spot;
  const k = Math.log(K / S);
  const raw = base * (1 + smile.skew * k + smile.curvature * k * k) + smile.termSlope * (tau - 1);
  const onFloor = raw < (smile.minVol ?? DEFAULT_MIN_VOL);
  const s = smileVol(base, smile, K, S, tau) + shift;
  if (!(s > 0)) return { vol: 0, dS: 0, dSS: 0, dt: 0 };
  if (onFloor) return { vol: s, dS: 0, dSS: 0, dt: 0 };
  const a = smile.skew;
  const c = smile.curvature;
  return {
    vol: s,
    dS: (-base * (a + 2 * c * k)) / S,
    dSS: (base * (a + 2 * c + 2 * c * k)) / (S * S),
    dt: -smile.termSlope,
  };
}

function checkQuote(q: AssetQuote, rate: number): void {
  if (!(Number.isFinite(q.spot) && q.spot > 0)) throw new DomainError('spot', q.spot, 'must be > 0');
  if (!Number.isFinite(q.carry)) throw new DomainError('carry', q.carry, 'must be a finite number');
  if (!Number.isFinite(rate)) throw new DomainError('rate', rate, 'must be a finite number');
  const base = typeof q.vol === 'number' ? q.vol : q.vol.base;
  if (!(Number.isFinite(base) && base >= 0)) throw new DomainError('vol', base, 'must be >= 0');
  if (!Number.isFinite(q.volShift ?? 0))
    throw new DomainError('volShift', q.volShift, 'must be a finite number');
}

/**
 * Value of one contract per unit of underlying (full repricing, no Greeks). A contract at or past
 * expiry (τ ≤ 0, e.g. after a scenario's time shift) is worth its payoff at the current spot, a
 * barrier counting as touched when the spot is on or past it.
 *
 * @param c     the contract; `expiry` is the time to expiry τ, years
 * @param q     market inputs of its asset
 * @param rate  risk-free rate r, continuously compounded annual decimal
 * @throws DomainError naming the parameter for invalid inputs (non-positive spot or strike, …)
 * @example contractValue({ id: 'X put K=100 T=1', terms: { kind: 'option', asset: 0, type: 'put',
 *   style: 'european' }, strike: 100, expiry: 1 }, { spot: 100, carry: 0, vol: 0.2 }, 0.05)
 *   // returns ~5.573526
 */
export function contractValue(c: Contract, q: AssetQuote, rate: number): number {
  checkQuote(q, rate);
  const t = c.terms;
  const S = q.spot;
  const K = c.strike;
  const tau = c.expiry;
  if (t.kind === 'asset') return S;
  if (!(tau > 0)) {
    const b = t.kind === 'option' ? t.barrier : undefined;
    const touched = b !== undefined && c.barrier !== undefined && touches(b.type, S, c.barrier);
    // A knock-out touched now has paid its rebate at the hit (the pricers' knocked-out value).
    if (b && touched && (b.type === 'down-out' || b.type === 'up-out')) return b.rebate;
    return payoff(t, K, S, touched);
  }
  if (t.kind === 'forward') return S * Math.exp(-q.carry * tau) - K * Math.exp(-rate * tau);
  // A daily-settled future: what the next settlement pays against its reference price K.
  if (t.kind === 'future') return S * Math.exp((rate - q.carry) * tau) - K;
  if (t.kind !== 'option' && t.kind !== 'digital') throw new Error('unreachable: unknown kind');
  const sigma = surface(q, K, tau).vol;
  if (t.kind === 'digital')
    return digitalPrice({
      type: t.type,
      payoff: t.payoff,
      spot: S,
      strike: K,
      cash: t.cash ?? 1,
      expiry: tau,
      rate,
      dividend: q.carry,
      vol: sigma,
    });
  if (t.barrier) {
    if (t.style === 'american')
      throw new DomainError('style', t.style, "must be 'european' for a barrier option");
    return barrierPrice(barrierParams(c, S, rate, q.carry, sigma));
  }
  if (t.style === 'american') return americanPrice(t.type, S, K, tau, rate, q.carry, sigma);
  return bsmPrice(t.type, S, K, tau, rate, q.carry, sigma);
}

function barrierParams(c: Contract, S: number, rate: number, carry: number, vol: number) {
  const t = c.terms;
  if (t.kind !== 'option' || !t.barrier) throw new Error('unreachable: not a barrier option');
  if (c.barrier === undefined)
    throw new DomainError('barrier', undefined, 'level is required for a barrier option');
  return {
    type: t.type,
    barrierType: t.barrier.type,
    spot: S,
    strike: c.strike,
    barrier: c.barrier,
    rebate: t.barrier.rebate,
    expiry: c.expiry,
    rate,
    dividend: carry,
    vol,
  } as const;
}

/** 4th-order central first derivative from f(x ± h), f(x ± 2h): [−f₂ + 8f₁ − 8f₋₁ + f₋₂]/(12h). */
function d1(m2: number, m1: number, p1: number, p2: number, h: number): number {
  return (m2 - 8 * m1 + 8 * p1 - p2) / (12 * h);
}

/** 4th-order central second derivative: [−f₂ + 16f₁ − 30f₀ + 16f₋₁ − f₋₂]/(12h²). */
function d2(m2: number, m1: number, f0: number, p1: number, p2: number, h: number): number {
  return (-m2 + 16 * m1 - 30 * f0 + 16 * p1 - p2) / (12 * h * h);
}

/** Price and delta at σ − 2h, σ − h, σ + h, σ + 2h → vanna, volga (and vega) by 4th-order stencils. */
function volStencil(
  at: (vol: number) => { price: number; delta: number },
  sigma: number,
  price: number,
  h: number,
): { vega: number; vanna: number; volga: number } {
  const m2 = at(sigma - 2 * h);
  const m1 = at(sigma - h);
  const p1 = at(sigma + h);
  const p2 = at(sigma + 2 * h);
  return {
    vega: d1(m2.price, m1.price, p1.price, p2.price, h),
    vanna: d1(m2.delta, m1.delta, p1.delta, p2.delta, h),
    volga: d2(m2.price, m1.price, price, p1.price, p2.price, h),
  };
}

/**
 * Model Greeks at a fixed σ (no smile chain rule), per kind. Bumps: vol h = min(VOL_BUMP, σ/4)
 * (so σ − 2h > 0), rate RATE_BUMP; 4th-order stencils, truncation O((h/σ)⁴) ≈ 1e-9 relative at
 * σ = 0.2, rounding ≈ 5ε·V/h² ≈ 5e-10·V for volga.
 */
function modelGreeks(c: Contract, S: number, rate: number, carry: number, sigma: number): ContractGreeks {
  const t = c.terms;
  const K = c.strike;
  const tau = c.expiry;
  const hv = Math.min(VOL_BUMP, sigma / 4);
  switch (t.kind) {
    case 'asset':
      return { price: S, delta: 1, gamma: 0, vega: 0, theta: 0, vanna: 0, volga: 0, rho: 0 };
    case 'future': {
      // Daily settled (Hull §2.4): V = F − K with F = S·e^{(r−q)τ}; Δ = e^{(r−q)τ}, Θ = −(r−q)F, ρ = τF.
      const F = S * Math.exp((rate - carry) * tau);
      return {
        price: F - K,
        delta: F / S,
        gamma: 0,
        vega: 0,
        theta: -(rate - carry) * F,
        vanna: 0,
        volga: 0,
        rho: tau * F,
      };
    }
    case 'forward': {
      const cf = Math.exp(-carry * tau);
      const df = Math.exp(-rate * tau);
      return {
        price: S * cf - K * df,
        delta: cf,
        gamma: 0,
        vega: 0,
        theta: carry * S * cf - rate * K * df,
        vanna: 0,
        volga: 0,
        rho: tau * K * df,
      };
    }
    case 'digital': {
      const p = {
        type: t.type,
        payoff: t.payoff,
        spot: S,
        strike: K,
        cash: t.cash ?? 1,
        expiry: tau,
        rate,
        dividend: carry,
      };
      const g = digitalGreeks({ ...p, vol: sigma });
      const v = volStencil((vol) => digitalGreeks({ ...p, vol }), sigma, g.price, hv);
      return { ...g, vanna: v.vanna, volga: v.volga };
    }
    case 'option': {
      if (t.barrier) {
        if (t.style === 'american')
          throw new DomainError('style', t.style, "must be 'european' for a barrier option");
        const p = barrierParams(c, S, rate, carry, sigma);
        const g = barrierGreeks(p);
        const v = volStencil((vol) => barrierGreeks({ ...p, vol }), sigma, g.price, hv);
        return { ...g, vanna: v.vanna, volga: v.volga };
      }
      if (t.style === 'american') {
        const g = americanGreeks(t.type, S, K, tau, rate, carry, sigma);
        const v = volStencil(
          (vol) => americanGreeks(t.type, S, K, tau, rate, carry, vol),
          sigma,
          g.price,
          hv,
        );
        const pr = (dr: number) => americanPrice(t.type, S, K, tau, rate + dr, carry, sigma);
        const h = RATE_BUMP;
        return {
          price: g.price,
          delta: g.delta,
          gamma: g.gamma,
          theta: g.theta,
          vega: v.vega,
          volga: v.volga,
          vanna: v.vanna,
          rho: d1(pr(-2 * h), pr(-h), pr(h), pr(2 * h), h),
        };
      }
      const g = bsmGreeks(t.type, S, K, tau, rate, carry, sigma);
      return {
        price: g.price,
        delta: g.delta,
        gamma: g.gamma,
        vega: g.vega,
        theta: g.theta,
        vanna: g.vanna,
        volga: g.volga,
        rho: g.rho,
      };
    }
  }
}

/**
 * Value and Greeks of one contract per unit of underlying: the model Greeks of its kind, chained
 * through the smile's dependence on spot and time (formulas and units in the module header), so
 * each equals a finite difference of {@link contractValue}.
 *
 * @param c     the contract; `expiry` is the time to expiry τ > 0, years
 * @param q     market inputs of its asset
 * @param rate  risk-free rate r, continuously compounded annual decimal
 * @throws DomainError naming the parameter: expired contract (τ ≤ 0), a zero pricing vol for an
 *   option or digital, invalid spot / strike / barrier, or a non-finite result
 * @example contractGreeks({ id: 'X call K=100 T=1', terms: { kind: 'option', asset: 0, type: 'call',
 *   style: 'european' }, strike: 100, expiry: 1 }, { spot: 100, carry: 0, vol: 0.2 }, 0.05).delta
 *   // returns ~0.636831
 * References: Haug (2007) ch. 2; Hull (10th ed.) ch. 19.
 */
export function contractGreeks(c: Contract, q: AssetQuote, rate: number): ContractGreeks {
  checkQuote(q, rate);
  const t = c.terms;
  if (t.kind !== 'asset' && !(c.expiry > 0))
    throw new DomainError('expiry', c.expiry, 'must be > 0 (years): the contract has expired');
  const S = q.spot;
  if (t.kind === 'asset' || t.kind === 'forward' || t.kind === 'future')
    return finite(c, modelGreeks(c, S, rate, q.carry, 0));
  const sp = surface(q, c.strike, c.expiry);
  if (!(sp.vol > 0)) throw new DomainError('vol', sp.vol, `must be > 0 to price ${c.id}`);
  const m = modelGreeks(c, S, rate, q.carry, sp.vol);
  const { dS, dSS, dt } = sp;
  return finite(c, {
    price: m.price,
    delta: m.delta + m.vega * dS,
    gamma: m.gamma + 2 * m.vanna * dS + m.volga * dS * dS + m.vega * dSS,
    vega: m.vega,
    theta: m.theta + m.vega * dt,
    vanna: m.vanna + m.volga * dS,
    volga: m.volga,
    rho: m.rho,
  });
}

function finite(c: Contract, g: ContractGreeks): ContractGreeks {
  for (const [k, v] of Object.entries(g))
    if (!Number.isFinite(v)) throw new DomainError(`${k} of ${c.id}`, v, 'is not a finite number');
  return g;
}
