/**
 * European digital (binary) options under generalized Black-Scholes-Merton: cash-or-nothing and
 * asset-or-nothing calls and puts, with analytic Greeks from one set of d1, d2, φ(d), Φ(ωd).
 *
 * With ω = +1 (call) / −1 (put), b = r − q, s = σ√T, d1 = [ln(S/X) + (b + σ²/2)T]/s, d2 = d1 − s
 * (Haug 2007, §4.19.1 and §4.19.2):
 *   cash-or-nothing   V = C·e^{−rT}·Φ(ωd2)      pays C if ω(S_T − X) > 0
 *   asset-or-nothing  V = S·e^{−qT}·Φ(ωd1)      pays S_T if ω(S_T − X) > 0
 * Greeks (differentiating these; rho holds q fixed, theta = ∂V/∂t = −∂V/∂T):
 *   cash:  Δ = ωC e^{−rT} φ(d2)/(S s)   Γ = −ωC e^{−rT} φ(d2) d1/(S² s²)   ν = −ωC e^{−rT} φ(d2) d1/σ
 *          Θ = rV − ωC e^{−rT} φ(d2) (b/s − d1/(2T))    ρ = −TV + ωC e^{−rT} φ(d2) √T/σ
 *   asset: Δ = e^{−qT}[Φ(ωd1) + ωφ(d1)/s]   Γ = −ω e^{−qT} φ(d1) d2/(S s²)   ν = −ωS e^{−qT} φ(d1) d2/σ
 *          Θ = qV − ωS e^{−qT} φ(d1) (b/s − d2/(2T))    ρ = ωS e^{−qT} φ(d1) √T/σ
 * Identities: cash call + cash put = C e^{−rT}; asset call + asset put = S e^{−qT};
 * asset call − X·(cash call with C = 1) = vanilla call.
 *
 * At σ = 0 the payoff is deterministic (forward F = S e^{bT}); at F = X exactly the price takes
 * the σ → 0 limit Φ(0) = ½ and the Greeks, which are unbounded there, are NaN.
 *
 * References: E. G. Haug, "The Complete Guide to Option Pricing Formulas", 2nd ed., McGraw-Hill
 * 2007, §4.19.1 (Reiner & Rubinstein 1991, cash-or-nothing), §4.19.2 (asset-or-nothing);
 * QuantLib AnalyticEuropeanEngine with CashOrNothingPayoff / AssetOrNothingPayoff.
 */

import { DomainError } from '../core/errors.ts';
import { normCdf, normPdf } from '../core/normal.ts';
import type { Greeks, OptionType } from './types.ts';
import { requireMarketInputs, requireOptionType } from './validate.ts';

/** What a digital pays when it finishes in the money. */
export type DigitalPayoff = 'cash' | 'asset';

/** Numeric codes of `DigitalPayoff` for the batch API. */
export const DIGITAL_CODE = { cash: 0, asset: 1 } as const;

/**
 * One digital option. Units: spot, strike, cash in currency; expiry in years; rate
 * (continuously compounded), dividend (continuous yield q) and vol as annual decimals.
 */
export interface DigitalParams {
  readonly type: OptionType;
  readonly payoff: DigitalPayoff;
  /** Underlying price S > 0. */
  readonly spot: number;
  /** Strike X > 0. */
  readonly strike: number;
  /** Cash amount C >= 0 paid by a cash-or-nothing option (default 1; ignored for 'asset'). */
  readonly cash?: number;
  /** Time to expiry T > 0, years. */
  readonly expiry: number;
  /** Risk-free rate r. */
  readonly rate: number;
  /** Continuous dividend yield q (cost of carry b = r − q). */
  readonly dividend: number;
  /** Volatility σ >= 0. */
  readonly vol: number;
}

/** Price and sensitivities of a digital, units as in `Greeks`. */
export type DigitalGreeks = Pick<Greeks, 'price' | 'delta' | 'gamma' | 'vega' | 'theta' | 'rho'>;

const PRICE = 0;
const DELTA = 1;
const GAMMA = 2;
const VEGA = 3;
const THETA = 4;
const RHO = 5;

/**
 * Kernel: writes price, delta, gamma, vega, theta, rho into o[0..5]. Never throws; NaN in every
 * slot for invalid inputs. w = ±1 (call/put), asset = true for asset-or-nothing.
 */
export function digitalKernel(
  w: number,
  asset: boolean,
  S: number,
  X: number,
  C: number,
  T: number,
  r: number,
  q: number,
  sigma: number,
  o: Float64Array,
): void {
  if (
    !(S > 0 && X > 0 && C >= 0 && T > 0 && sigma >= 0 && !Number.isNaN(r) && !Number.isNaN(q)) ||
    !(w === 1 || w === -1)
  ) {
    o[PRICE] = o[DELTA] = o[GAMMA] = o[VEGA] = o[THETA] = o[RHO] = Number.NaN;
    return;
  }
  const b = r - q;
  const sqT = Math.sqrt(T);
  const s = sigma * sqT;
  const lnSX = Math.log(S / X);
  if (s === 0 || !Number.isFinite(lnSX / s)) {
    // deterministic forward: the digital pays for sure, never, or (F = X) half in the limit
    const lnFX = lnSX + b * T;
    const atF = lnFX === 0;
    const m = atF ? 0.5 : w * lnFX > 0 ? 1 : 0;
    const bad = atF ? Number.NaN : 0;
    if (asset) {
      const dq = Math.exp(-q * T);
      const v = S * dq * m;
      o[PRICE] = v;
      o[DELTA] = atF ? Number.NaN : dq * m;
      o[THETA] = atF ? Number.NaN : q * v;
      o[RHO] = bad;
    } else {
      const v = C * Math.exp(-r * T) * m;
      o[PRICE] = v;
      o[DELTA] = bad;
      o[THETA] = atF ? Number.NaN : r * v;
      o[RHO] = atF ? Number.NaN : -T * v;
    }
    o[GAMMA] = bad;
    o[VEGA] = bad;
    return;
  }
  const d1 = (lnSX + b * T) / s + 0.5 * s;
  const d2 = d1 - s;
  if (asset) {
    const dq = Math.exp(-q * T);
    const Sq = S * dq;
    const N1 = normCdf(w * d1);
    const n1 = normPdf(d1);
    const v = Sq * N1;
    o[PRICE] = v;
    o[DELTA] = dq * (N1 + (w * n1) / s);
    o[GAMMA] = (-w * dq * n1 * d2) / (S * s * s);
    o[VEGA] = (-w * Sq * n1 * d2) / sigma;
    o[THETA] = q * v - w * Sq * n1 * (b / s - d2 / (2 * T));
    o[RHO] = (w * Sq * n1 * sqT) / sigma;
  } else {
    const Cr = C * Math.exp(-r * T);
    const N2 = normCdf(w * d2);
    const n2 = normPdf(d2);
    const v = Cr * N2;
    o[PRICE] = v;
    o[DELTA] = (w * Cr * n2) / (S * s);
    o[GAMMA] = (-w * Cr * n2 * d1) / (S * S * s * s);
    o[VEGA] = (-w * Cr * n2 * d1) / sigma;
    o[THETA] = r * v - w * Cr * n2 * (b / s - d1 / (2 * T));
    o[RHO] = -T * v + (w * Cr * n2 * sqT) / sigma;
  }
}

function validate(p: DigitalParams): void {
  requireOptionType(p.type);
  if (p.payoff !== 'cash' && p.payoff !== 'asset') {
    throw new DomainError('payoff', p.payoff, "must be 'cash' or 'asset'");
  }
  requireMarketInputs(p);
  const cash = p.cash ?? 1;
  if (!(Number.isFinite(cash) && cash >= 0)) throw new DomainError('cash', cash, 'must be >= 0');
}

/**
 * Module-level scratch of a synchronous kernel: written and read within one call, never carried
 * between calls (no run can see another's values; worker threads have their own copy).
 */
const SCRATCH = new Float64Array(6);

function run(p: DigitalParams): void {
  validate(p);
  digitalKernel(
    p.type === 'call' ? 1 : -1,
    p.payoff === 'asset',
    p.spot,
    p.strike,
    p.cash ?? 1,
    p.expiry,
    p.rate,
    p.dividend,
    p.vol,
    SCRATCH,
  );
}

/**
 * Price of a cash-or-nothing (C·e^{−rT}·Φ(ωd2)) or asset-or-nothing (S·e^{−qT}·Φ(ωd1)) option.
 *
 * @param p see `DigitalParams` (currency, years, annual decimals; cash defaults to 1)
 * @throws DomainError naming the parameter: spot, strike, expiry > 0; cash, vol >= 0; rate,
 *   dividend finite; type / payoff spelled as documented
 * @example
 *   digitalPrice({ type: 'put', payoff: 'cash', spot: 100, strike: 80, cash: 10, expiry: 0.75,
 *     rate: 0.06, dividend: 0, vol: 0.35 }) // returns ~2.6710 (Haug 2007 §4.19.1 example: 2.6710)
 * References: Haug (2007) §4.19.1–4.19.2.
 */
export function digitalPrice(p: DigitalParams): number {
  run(p);
  return SCRATCH[PRICE];
}

/**
 * Price and analytic Greeks of a digital option (formulas in the module header).
 * Units: delta ∂V/∂S, gamma ∂²V/∂S², vega ∂V/∂σ per 1.00 vol, theta ∂V/∂t per year (= −∂V/∂T),
 * rho ∂V/∂r per 1.00 with q fixed — the same as QuantLib's AnalyticEuropeanEngine.
 *
 * @throws DomainError as `digitalPrice`
 * @example
 *   digitalGreeks({ type: 'call', payoff: 'cash', spot: 100, strike: 100, expiry: 1, rate: 0.05,
 *     dividend: 0, vol: 0.2 }).delta // returns ~0.018762
 * References: Haug (2007) §4.19.1–4.19.2.
 */
export function digitalGreeks(p: DigitalParams): DigitalGreeks {
  run(p);
  return {
    price: SCRATCH[PRICE],
    delta: SCRATCH[DELTA],
    gamma: SCRATCH[GAMMA],
    vega: SCRATCH[VEGA],
    theta: SCRATCH[THETA],
    rho: SCRATCH[RHO],
  };
}

/**
 * Batch inputs, struct of arrays of length n. `sign[i]` = +1 call / −1 put; `payoff[i]` a
 * `DIGITAL_CODE` (cash 0, asset 1). Omitted cash = 1, omitted dividend = 0.
 */
export interface DigitalBatchInput {
  readonly sign: Int8Array;
  readonly payoff: Uint8Array;
  readonly spot: Float64Array;
  readonly strike: Float64Array;
  readonly cash?: Float64Array;
  readonly expiry: Float64Array;
  readonly rate: Float64Array;
  readonly dividend?: Float64Array;
  readonly vol: Float64Array;
}

/** Batch outputs: `price` required, each Greek array filled when present (length n). */
export interface DigitalBatchOutput {
  readonly price: Float64Array;
  readonly delta?: Float64Array;
  readonly gamma?: Float64Array;
  readonly vega?: Float64Array;
  readonly theta?: Float64Array;
  readonly rho?: Float64Array;
}

/**
 * Batch digital pricing and Greeks over Float64Arrays: no allocation per element, never throws
 * per element (an invalid option — bad sign/code, non-positive spot/strike/expiry, negative
 * cash/vol, NaN rate/dividend — gets NaN in every output). Same kernel as `digitalGreeks`.
 *
 * Shape: every array has length n = `input.spot.length` (throws DomainError up front otherwise).
 * @example
 *   const out = { price: new Float64Array(1), delta: new Float64Array(1) };
 *   digitalBatch({ sign: Int8Array.of(1), payoff: Uint8Array.of(DIGITAL_CODE.asset),
 *     spot: Float64Array.of(100), strike: Float64Array.of(100), expiry: Float64Array.of(1),
 *     rate: Float64Array.of(0.05), vol: Float64Array.of(0.2) }, out);
 *   out.price[0] // returns ~63.683
 * References: Haug (2007) §4.19.
 */
export function digitalBatch(input: DigitalBatchInput, out: DigitalBatchOutput): void {
  const { sign, payoff, spot, strike, cash, expiry, rate, dividend, vol } = input;
  const n = spot.length;
  const lens: [string, { length: number } | undefined][] = [
    ['sign', sign],
    ['payoff', payoff],
    ['strike', strike],
    ['cash', cash],
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
  const o = SCRATCH;
  for (let i = 0; i < n; i++) {
    const code = payoff[i];
    const C = cash === undefined ? 1 : cash[i];
    const q = dividend === undefined ? 0 : dividend[i];
    digitalKernel(sign[i], code === 1, spot[i], strike[i], C, expiry[i], rate[i], q, vol[i], o);
    if (code > 1) o[PRICE] = o[DELTA] = o[GAMMA] = o[VEGA] = o[THETA] = o[RHO] = Number.NaN;
    price[i] = o[PRICE];
    if (delta) delta[i] = o[DELTA];
    if (gamma) gamma[i] = o[GAMMA];
    if (vega) vega[i] = o[VEGA];
    if (theta) theta[i] = o[THETA];
    if (rho) rho[i] = o[RHO];
  }
}
