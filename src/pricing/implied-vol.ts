/**
 * Implied volatility for generalized Black-Scholes-Merton (spot S, continuous yield q) and Black-76
 * (forward F), to the precision the double price carries, by Jäckel's "Let's Be Rational".
 *
 * Normalisation. With discount factor D = e^{−rT}, the discounted forward and strike are
 *   S_q = S·e^{−qT} = D·F and K_r = K·e^{−rT} = D·K,
 * the log-moneyness is x = ln(S_q/K_r) = ln(S/K) + (r − q)T (BSM) or ln(F/K) (Black-76), and a
 * price V maps to the normalised price β = V/√(S_q·K_r). Put-call parity reduces every input to an
 * out-of-the-money call: subtract the discounted intrinsic value max(θ(S_q − K_r), 0) and take
 * x ← −|x|. The normalised solver (`otmImpliedTotalVol`) returns s = σ√T, and σ = s/√T.
 *
 * No-arbitrage bounds (codes of `ImpliedVolError` and `IV_STATUS`):
 *   'negative-price'     V < 0
 *   'below-intrinsic'    V < max(θ(S_q − K_r), 0) (the discounted forward intrinsic value)
 *   'above-upper-bound'  V ≥ S_q for a call, V ≥ K_r for a put (σ = ∞), including prices within
 *                        rounding of that bound
 *   'zero-expiry'        T ≤ 0
 * A price equal to the intrinsic value returns σ = 0, and so does a price below the intrinsic value
 * by no more than the rounding of the intrinsic value itself (4ε·max(S_q, K_r)): such a price is
 * indistinguishable from the intrinsic value in double precision.
 *
 * References: P. Jäckel, "Let's Be Rational", Wilmott (2015) 40–53; P. Jäckel, "By Implication",
 * Wilmott (2006) 60–66; Haug (2007) §1.1 for the generalized BSM convention.
 */

import { DomainError, HedgekitError } from '../core/errors.ts';
import { ivKernel } from '../wasm/iv-kernel.ts';
import { wasmKernelsEnabled } from '../wasm/runtime.ts';
import { impliedVolBatchWasm } from './implied-vol-wasm.ts';
import { otmImpliedTotalVol } from './lets-be-rational.ts';
import type { OptionType } from './types.ts';

/** Which no-arbitrage bound a price violates. */
export type ImpliedVolErrorCode = 'negative-price' | 'below-intrinsic' | 'above-upper-bound' | 'zero-expiry';

/**
 * A price (or expiry) for which no implied volatility exists. `code` says which bound is broken;
 * `bound` is the bound in price units (0 for 'negative-price', the discounted intrinsic value for
 * 'below-intrinsic', S·e^{−qT} or K·e^{−rT} for 'above-upper-bound', 0 years for 'zero-expiry').
 */
export class ImpliedVolError extends HedgekitError {
  declare readonly code: ImpliedVolErrorCode;
  readonly price: number;
  readonly bound: number;
  constructor(code: ImpliedVolErrorCode, price: number, bound: number, message: string) {
    super(code, message);
    this.price = price;
    this.bound = bound;
  }
}

/** Per-element status codes written by `impliedVolBatch` (0 = ok; the others match the error codes). */
export const IV_STATUS = {
  ok: 0,
  negativePrice: 1,
  belowIntrinsic: 2,
  aboveUpperBound: 3,
  zeroExpiry: 4,
  /** Non-finite input, spot/forward or strike ≤ 0, or a sign other than ±1. */
  invalidInput: 5,
} as const;

/** 4ε: the rounding of the discounted intrinsic value S_q − K_r formed in double. */
const INTRINSIC_ROUNDING = 8.881784197001252e-16;

/**
 * Status of the last `kernel` call (module-level so the kernel returns one number); read right
 * after each call, never carried between calls or runs.
 */
let kernelStatus = 0;

/**
 * The shared kernel: validated inputs in discounted-forward form, returns σ and sets `kernelStatus`.
 * @param w  +1 call, −1 put
 * @param v  price (finite)
 * @param sq discounted forward S·e^{−qT} = D·F
 * @param kr discounted strike K·e^{−rT}
 * @param x  ln(sq/kr)
 * @param T  expiry in years (finite)
 */
function kernel(w: number, v: number, sq: number, kr: number, x: number, T: number): number {
  if (!(T > 0)) {
    kernelStatus = IV_STATUS.zeroExpiry;
    return Number.NaN;
  }
  if (v < 0) {
    kernelStatus = IV_STATUS.negativePrice;
    return Number.NaN;
  }
  const diff = w > 0 ? sq - kr : kr - sq;
  const intrinsic = Math.max(diff, 0);
  if (v < intrinsic) {
    // Below the intrinsic value by less than the rounding of S_q − K_r itself: indistinguishable
    // from the intrinsic value, so σ = 0. Further below: no volatility fits.
    if (intrinsic - v <= INTRINSIC_ROUNDING * Math.max(sq, kr)) {
      kernelStatus = IV_STATUS.ok;
      return 0;
    }
    kernelStatus = IV_STATUS.belowIntrinsic;
    return Number.NaN;
  }
  if (v >= (w > 0 ? sq : kr)) {
    kernelStatus = IV_STATUS.aboveUpperBound;
    return Number.NaN;
  }
  kernelStatus = IV_STATUS.ok;
  if (v === intrinsic) return 0;
  const beta = (v - intrinsic) / (Math.sqrt(sq) * Math.sqrt(kr));
  const s = otmImpliedTotalVol(beta, -Math.abs(x));
  if (s === Number.POSITIVE_INFINITY) {
    // Within rounding of the upper bound: indistinguishable from σ = ∞.
    kernelStatus = IV_STATUS.aboveUpperBound;
    return Number.NaN;
  }
  return s / Math.sqrt(T);
}

function throwFor(status: number, type: OptionType, price: number, sq: number, kr: number, T: number): never {
  if (status === IV_STATUS.zeroExpiry) {
    throw new ImpliedVolError('zero-expiry', price, 0, `expiry (${T}) must be > 0 for an implied volatility`);
  }
  if (status === IV_STATUS.negativePrice) {
    throw new ImpliedVolError('negative-price', price, 0, `${type} price (${price}) must be >= 0`);
  }
  const intrinsic = Math.max(type === 'call' ? sq - kr : kr - sq, 0);
  if (status === IV_STATUS.belowIntrinsic) {
    throw new ImpliedVolError(
      'below-intrinsic',
      price,
      intrinsic,
      `${type} price (${price}) is below the discounted intrinsic value ${intrinsic}: no volatility fits`,
    );
  }
  const upper = type === 'call' ? sq : kr;
  throw new ImpliedVolError(
    'above-upper-bound',
    price,
    upper,
    `${type} price (${price}) is at or above the upper bound ${upper} (${type === 'call' ? 'S·e^{−qT}' : 'K·e^{−rT}'}): the volatility would be infinite`,
  );
}

function requireType(type: OptionType): void {
  if (type !== 'call' && type !== 'put') throw new DomainError('type', type, "must be 'call' or 'put'");
}

function requireSharedInputs(price: number, strike: number, expiry: number, rate: number): void {
  if (!Number.isFinite(price)) throw new DomainError('price', price, 'must be a finite number');
  if (!(Number.isFinite(strike) && strike > 0)) throw new DomainError('strike', strike, 'must be > 0');
  if (!Number.isFinite(expiry)) throw new DomainError('expiry', expiry, 'must be a finite number (years)');
  if (!Number.isFinite(rate)) throw new DomainError('rate', rate, 'must be a finite number');
}

/**
 * Implied volatility of a European option under generalized Black-Scholes-Merton: the σ ≥ 0 with
 * ω[S e^{−qT} Φ(ωd1) − K e^{−rT} Φ(ωd2)] = price, d1,2 = [ln(S/K) + (r − q ± σ²/2)T]/(σ√T).
 * Accurate to a few ulp of the information in the price: |σ̂ − σ| ≲ 8ε·(σ + sensitivity)/vega
 * (see docs/implied-vol.md); a price equal to the intrinsic value returns 0.
 *
 * @param type     'call' or 'put'
 * @param price    option price, currency
 * @param spot     underlying price S > 0, currency
 * @param strike   strike K > 0, currency
 * @param expiry   time to expiry T > 0, years
 * @param rate     risk-free rate r, continuously compounded annual decimal
 * @param dividend continuous dividend yield q, annual decimal
 * @returns σ, annualized decimal (0.2 = 20 %)
 * @throws DomainError for a non-finite input or non-positive spot/strike
 * @throws ImpliedVolError with code 'negative-price' | 'below-intrinsic' | 'above-upper-bound' |
 *   'zero-expiry' when no volatility reproduces the price
 * @example impliedVolBsm('call', 10.450583572185565, 100, 100, 1, 0.05, 0) // returns 0.2000000000000001
 * References: Jäckel (2015); Haug (2007) §1.1.6.
 */
export function impliedVolBsm(
  type: OptionType,
  price: number,
  spot: number,
  strike: number,
  expiry: number,
  rate: number,
  dividend: number,
): number {
  requireType(type);
  if (!(Number.isFinite(spot) && spot > 0)) throw new DomainError('spot', spot, 'must be > 0');
  requireSharedInputs(price, strike, expiry, rate);
  if (!Number.isFinite(dividend)) throw new DomainError('dividend', dividend, 'must be a finite number');
  const sq = spot * Math.exp(-dividend * expiry);
  const kr = strike * Math.exp(-rate * expiry);
  const x = Math.log(spot / strike) + (rate - dividend) * expiry;
  const vol = kernel(type === 'call' ? 1 : -1, price, sq, kr, x, expiry);
  if (kernelStatus !== IV_STATUS.ok) throwFor(kernelStatus, type, price, sq, kr, expiry);
  return vol;
}

/**
 * Implied Black-76 volatility of a European option on a forward or future F: the σ ≥ 0 with
 * e^{−rT}·ω[F Φ(ωd1) − K Φ(ωd2)] = price, d1,2 = [ln(F/K) ± σ²T/2]/(σ√T).
 * Same accuracy statement and error codes as `impliedVolBsm` (upper bound e^{−rT}F for a call).
 *
 * @param type    'call' or 'put'
 * @param price   option price, currency
 * @param forward forward price F > 0, currency
 * @param strike  strike K > 0, currency
 * @param expiry  time to expiry T > 0, years
 * @param rate    risk-free (discount) rate r, continuously compounded annual decimal
 * @returns σ, annualized decimal
 * @throws DomainError for a non-finite input or non-positive forward/strike
 * @throws ImpliedVolError ('negative-price' | 'below-intrinsic' | 'above-upper-bound' | 'zero-expiry')
 * @example impliedVolBlack76('call', 7.577082146427273, 100, 100, 1, 0.05) // returns 0.19999999999999998
 * References: Black (1976); Jäckel (2015).
 */
export function impliedVolBlack76(
  type: OptionType,
  price: number,
  forward: number,
  strike: number,
  expiry: number,
  rate: number,
): number {
  requireType(type);
  if (!(Number.isFinite(forward) && forward > 0)) throw new DomainError('forward', forward, 'must be > 0');
  requireSharedInputs(price, strike, expiry, rate);
  const df = Math.exp(-rate * expiry);
  const sq = forward * df;
  const kr = strike * df;
  const vol = kernel(type === 'call' ? 1 : -1, price, sq, kr, Math.log(forward / strike), expiry);
  if (kernelStatus !== IV_STATUS.ok) throwFor(kernelStatus, type, price, sq, kr, expiry);
  return vol;
}

/**
 * Inputs of `impliedVolBatch`: struct of arrays of one length n. `sign[i]` is +1 for a call and
 * −1 for a put (the convention of `blackBatch`). For `model: 'black76'` `spot` holds forwards and
 * `dividend` is ignored; for 'bsm' a missing `dividend` means q = 0.
 */
export interface ImpliedVolBatchInput {
  readonly sign: Int8Array;
  readonly price: Float64Array;
  readonly spot: Float64Array;
  readonly strike: Float64Array;
  readonly expiry: Float64Array;
  readonly rate: Float64Array;
  readonly dividend?: Float64Array;
}

/** Outputs of `impliedVolBatch`: σ per option (NaN unless status 0) and an `IV_STATUS` code. */
export interface ImpliedVolBatchOutput {
  readonly vol: Float64Array;
  readonly status: Uint8Array;
}

/**
 * Implied volatilities of n European options over Float64Arrays: never throws inside the loop and
 * allocates nothing per element. Element i gets `out.vol[i]` = σ (annualized decimal) and
 * `out.status[i]` = `IV_STATUS.ok`, or NaN and the code of the bound it breaks (1 negative-price,
 * 2 below-intrinsic, 3 above-upper-bound, 4 zero-expiry) or 5 for invalid input (non-finite value,
 * spot/strike ≤ 0, sign not ±1).
 *
 * The loop runs in the WebAssembly implied-vol kernel where it can (src/wasm/iv-kernel.ts; 0.7–0.85 ×
 * the time of this JavaScript loop, which stays the reference and runs with
 * `useWasmKernels(false)`): its vol and status are bit-identical, and it leaves `BLACK_SCRATCH` and
 * `LBR_DIAGNOSTICS` as this loop does.
 *
 * Shape: every array has length n = `input.price.length` (checked once, before the loop).
 * @param model 'bsm' (default: spot + continuous yield) or 'black76' (spot = forward)
 * @throws DomainError if an array's length differs from n (before any element is processed)
 * @example
 *   const out = { vol: new Float64Array(1), status: new Uint8Array(1) };
 *   impliedVolBatch({ sign: Int8Array.of(1), price: Float64Array.of(10.450583572185565),
 *     spot: Float64Array.of(100), strike: Float64Array.of(100), expiry: Float64Array.of(1),
 *     rate: Float64Array.of(0.05) }, out);
 *   // out.vol[0] === 0.2000000000000001, out.status[0] === 0
 * References: Jäckel (2015).
 */
export function impliedVolBatch(
  input: ImpliedVolBatchInput,
  out: ImpliedVolBatchOutput,
  model: 'bsm' | 'black76' = 'bsm',
): void {
  const { sign, price, spot, strike, expiry, rate } = input;
  const n = price.length;
  const dividend = input.dividend;
  const arrays: [string, { length: number } | undefined][] = [
    ['sign', sign],
    ['spot', spot],
    ['strike', strike],
    ['expiry', expiry],
    ['rate', rate],
    ['dividend', model === 'bsm' ? dividend : undefined],
    ['out.vol', out.vol],
    ['out.status', out.status],
  ];
  for (const [name, arr] of arrays) {
    if (arr !== undefined && arr.length !== n)
      throw new DomainError(`${name}.length`, arr.length, `must equal price.length (${n})`);
  }
  const wasm = wasmKernelsEnabled() ? ivKernel() : null;
  if (wasm) {
    impliedVolBatchWasm(wasm, input, out, model);
    return;
  }
  const vol = out.vol;
  const status = out.status;
  const bsm = model === 'bsm';
  const hasQ = bsm && dividend !== undefined;
  for (let i = 0; i < n; i++) {
    const w = sign[i];
    const v = price[i];
    const S = spot[i];
    const K = strike[i];
    const T = expiry[i];
    const r = rate[i];
    const q = hasQ ? dividend![i] : 0;
    if (
      !(w === 1 || w === -1) ||
      !(S > 0 && S < Number.POSITIVE_INFINITY) ||
      !(K > 0 && K < Number.POSITIVE_INFINITY) ||
      !Number.isFinite(v) ||
      !Number.isFinite(T) ||
      !Number.isFinite(r) ||
      !Number.isFinite(q)
    ) {
      vol[i] = Number.NaN;
      status[i] = IV_STATUS.invalidInput;
      continue;
    }
    let sq: number;
    let kr: number;
    let x: number;
    if (bsm) {
      sq = S * Math.exp(-q * T);
      kr = K * Math.exp(-r * T);
      x = Math.log(S / K) + (r - q) * T;
    } else {
      const df = Math.exp(-r * T);
      sq = S * df;
      kr = K * df;
      x = Math.log(S / K);
    }
    vol[i] = kernel(w, v, sq, kr, x, T);
    status[i] = kernelStatus;
  }
}
