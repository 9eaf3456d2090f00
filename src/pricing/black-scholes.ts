/**
 * Generalized Black-Scholes-Merton (continuous dividend yield / cost of carry) and Black-76.
 *
 * One kernel, `blackBatch`, computes d1, d2, φ(d1), Φ(ωd1), Φ(ωd2) once per option and derives every
 * Greek from them (QuantLib's BlackCalculator idea). It loops over Float64Arrays with everything
 * inlined (a call with double arguments would box them); the scalar API (`bsmGreeks`,
 * `black76Greeks`, …) is the same kernel on preallocated arrays of length 1, so there is exactly
 * one implementation of the formulas.
 *
 * With cost of carry b (b = r − q for a stock paying yield q, b = 0 for a future), ω = ±1:
 *   V = ω·[S·e^{(b−r)T}·Φ(ωd1) − K·e^{−rT}·Φ(ωd2)],
 *   d1 = [ln(S/K) + (b + σ²/2)T]/(σ√T),  d2 = d1 − σ√T.
 * Greeks: Haug (2007), ch. 2. Black-76 is the b = 0 case with S = F, except that its rho holds F
 * fixed (ρ = −T·V).
 *
 * References: Black & Scholes (1973); Merton (1973); Black (1976); E. G. Haug, "The Complete Guide
 * to Option Pricing Formulas", 2nd ed., McGraw-Hill 2007, §1.1 and ch. 2.
 */

import { expFast } from '../core/fast-exp.ts';
import { normCdfFromGauss } from '../core/normal-fast.ts';
import { bsKernel, wasmKernelsActive, wasmKernelsEnabled } from '../wasm/bs-kernel.ts';
import { blackBatchInPlace } from './black-batch-arrays.ts';
import { blackBatchWasm, blackDeltaRunWasm, type DeltaRunTerms } from './black-batch-wasm.ts';
import type { Greeks, OptionType } from './types.ts';
import { optionSign } from './types.ts';
import { requireMarketInputs, requireOptionType } from './validate.ts';

export type { DeltaRunTerms };

const INV_SQRT_2PI = 0.3989422804014327;
/** Block length of the log pass (its scratch stays in L1). */
const LN_BLOCK = 512;
/**
 * Module-level scratch of a synchronous kernel: written and read within one call, never carried
 * between calls (no run can see another's values; worker threads have their own copy).
 */
const LN_SCRATCH = new Float64Array(LN_BLOCK);
/** Batches shorter than this run the JavaScript kernel (measured in docs/performance.md). */
export const WASM_MIN = 64;

/**
 * Inputs of a batch: struct of arrays, all the same length n.
 * `sign[i]` is +1 for a call and −1 for a put. For Black-76 (`model: 'black76'`) `spot` holds
 * forwards and `dividend` is ignored.
 */
export interface BlackBatchInput {
  readonly sign: Int8Array;
  readonly spot: Float64Array;
  readonly strike: Float64Array;
  readonly expiry: Float64Array;
  readonly rate: Float64Array;
  readonly vol: Float64Array;
  /** Continuous yield q per option (BSM); omitted = 0. Ignored for Black-76. */
  readonly dividend?: Float64Array;
  /**
   * ln S per option, where the caller carries it (a path model that steps in log space, e.g.
   * `MarketState.logSpot` of GBM); must be ln(spot) up to rounding (Black-76: ln F). Then
   * ln(S/K) = ln S − ln K, with ln K computed once per run of equal strikes, instead of a division
   * and a logarithm per option; `spot` is still read (validity, S·e^{−qT}, Γ). The outputs differ
   * from the spot-only ones by that rounding alone: |Δd1| ≤ (|δ ln S| + 2⁻⁵²·(|ln S| + |ln K| +
   * |ln(S/K)|))/(σ√T) (tested).
   */
  readonly logSpot?: Float64Array;
}

/**
 * Output arrays of a batch: `price` is required; each Greek is filled when its array is given
 * (units as in `Greeks`; for Black-76 rho holds F fixed and dividendRho is 0).
 */
export interface BlackBatchOutput {
  /**
   * Absent: no price wanted (a delta hedge's marks). The WebAssembly kernel then skips φ(d2) and
   * Φ(ωd2) unless theta, rho or dualDelta need them; every other output has the same bits.
   */
  readonly price?: Float64Array;
  readonly delta?: Float64Array;
  readonly gamma?: Float64Array;
  readonly vega?: Float64Array;
  readonly theta?: Float64Array;
  readonly rho?: Float64Array;
  readonly dividendRho?: Float64Array;
  readonly vanna?: Float64Array;
  readonly volga?: Float64Array;
  readonly charm?: Float64Array;
  readonly dualDelta?: Float64Array;
}

/**
 * Batch pricing over Float64Arrays (no allocation, never throws): fills `out.price` and every
 * Greek array present in `out`. Invalid inputs (non-positive spot/strike/expiry, negative or NaN
 * vol, NaN rate/dividend) give NaN in every output slot of that option.
 *
 * With ω = sign, b = r − q (BSM) or 0 (Black-76), cf = e^{(b−r)T}, df = e^{−rT}:
 *   price = ω(S·cf·Φ(ωd1) − K·df·Φ(ωd2)), Δ = ω·cf·Φ(ωd1), Γ = cf·φ(d1)/(Sσ√T), ν = S·cf·φ(d1)√T,
 *   Θ = −S·cf·φ(d1)σ/(2√T) − ω(b−r)S·cf·Φ(ωd1) − ωrK·df·Φ(ωd2), ρ = ωKT·df·Φ(ωd2) (BSM) or −TV (B76),
 *   ∂V/∂q = −ωTS·cf·Φ(ωd1), vanna = −cf·φ(d1)d2/σ, volga = ν·d1·d2/σ,
 *   charm = ∂Δ/∂t = −[ω(b−r)cf·Φ(ωd1) + cf·φ(d1)(b/(σ√T) − d2/(2T))], ∂V/∂K = −ω·df·Φ(ωd2).
 * φ(d2) comes from φ(d1)·F/K and both Φ values reuse those Gaussians: three exponentials per
 * option. Prices are floored at the no-arbitrage bound max(ω(S·cf − K·df), 0), so deep
 * out-of-the-money prices are never negative. At σ√T = 0 the discounted forward intrinsic value.
 *
 * Shape: every array has length n = `input.spot.length`.
 * @param model 'bsm' (default) or 'black76'
 * @example
 *   const out = { price: new Float64Array(1), delta: new Float64Array(1) };
 *   blackBatch({ sign: Int8Array.of(1), spot: Float64Array.of(100), strike: Float64Array.of(100),
 *     expiry: Float64Array.of(1), rate: Float64Array.of(0.05), vol: Float64Array.of(0.2) }, out);
 *   out.price[0] // returns 10.450583572185565
 * References: Haug (2007) §1.1 and ch. 2.
 */
export function blackBatch(
  input: BlackBatchInput,
  out: BlackBatchOutput,
  model: 'bsm' | 'black76' = 'bsm',
): void {
  // The WebAssembly SIMD kernel gives bit-identical outputs: in place on arrays of
  // `blackBatchArrays` (no copies), else through its staging block — except below WASM_MIN options,
  // where the staging costs more than it saves.
  if (wasmKernelsEnabled() && blackBatchInPlace(input, out, model)) return;
  const k = input.spot.length >= WASM_MIN && wasmKernelsActive() ? bsKernel() : null;
  if (k) blackBatchWasm(k, input, out, model);
  else blackBatchJs(input, out, model);
}

/** Whether `blackDeltaRun` runs (rather than returning false) for `n` spots. */
export function deltaRunActive(n: number): boolean {
  return n >= WASM_MIN && wasmKernelsActive();
}

/**
 * Δ of one European contract (`terms`: every input but the spot) on each spot of `spot`, into
 * `delta`: `blackBatch` on a batch whose other inputs each hold the one value of `terms`, with Δ the
 * only output, and the same bits, through the WebAssembly kernel's run route (no per-option work nor
 * staging for the inputs the options share). Returns false and writes nothing where that kernel is
 * off or for fewer than WASM_MIN spots: the caller then runs `blackBatch`. A delta hedge's marks (one
 * option line, one strike and expiry on every path) take this route.
 * References: Haug (2007) §2.1.
 */
export function blackDeltaRun(
  terms: DeltaRunTerms,
  spot: Float64Array,
  logSpot: Float64Array | undefined,
  delta: Float64Array,
  model: 'bsm' | 'black76' = 'bsm',
): boolean {
  const k = deltaRunActive(spot.length) ? bsKernel() : null;
  if (!k) return false;
  blackDeltaRunWasm(k, terms, spot, logSpot, delta, model);
  return true;
}

/**
 * The JavaScript kernel of `blackBatch`: the reference and the fallback of the WebAssembly kernel
 * (src/wasm/), which must agree with it bit for bit. Same contract as `blackBatch`.
 * References: Haug (2007) §1.1 and ch. 2.
 */
export function blackBatchJs(
  input: BlackBatchInput,
  out: BlackBatchOutput,
  model: 'bsm' | 'black76' = 'bsm',
): void {
  const { sign, spot, strike, expiry, rate, vol } = input;
  const n = spot.length;
  const black76 = model === 'black76';
  const dividend = black76 ? undefined : input.dividend;
  const { price, delta, gamma, vega, theta, rho, dividendRho, vanna, volga, charm, dualDelta } = out;
  let cT = Number.NaN;
  let cR = Number.NaN;
  let cQ = Number.NaN;
  let cDf = 1;
  let cCf = 1;
  let cSqT = 1;
  const lnSK = LN_SCRATCH;
  const logSpot = input.logSpot;
  let cK = Number.NaN;
  let cLnK = Number.NaN;
  for (let i0 = 0; i0 < n; i0 += LN_BLOCK) {
    const i1 = Math.min(n, i0 + LN_BLOCK);
    // Pass 1: the logarithms alone. Math.log is an out-of-line call: in this short loop it spills
    // nothing, whereas inside the main loop it cost ~4× as much by spilling every live double.
    if (logSpot === undefined) for (let i = i0; i < i1; i++) lnSK[i - i0] = Math.log(spot[i] / strike[i]);
    else
      for (let i = i0; i < i1; i++) {
        // ln S − ln K, ln K once per run of equal strikes (a NaN strike never equals: recomputed).
        const K = strike[i];
        if (K !== cK) {
          cK = K;
          cLnK = Math.log(K);
        }
        lnSK[i - i0] = logSpot[i] - cLnK;
      }
    for (let i = i0; i < i1; i++) {
      const S = spot[i];
      const K = strike[i];
      const T = expiry[i];
      const r = rate[i];
      const sigma = vol[i];
      const q = dividend === undefined ? 0 : dividend[i];
      const w = sign[i];
      if (
        !(
          S > 0 &&
          K > 0 &&
          T > 0 &&
          sigma >= 0 &&
          !Number.isNaN(r) &&
          !Number.isNaN(q) &&
          (w === 1 || w === -1)
        )
      ) {
        if (price) price[i] = Number.NaN;
        if (delta) delta[i] = Number.NaN;
        if (gamma) gamma[i] = Number.NaN;
        if (vega) vega[i] = Number.NaN;
        if (theta) theta[i] = Number.NaN;
        if (rho) rho[i] = Number.NaN;
        if (dividendRho) dividendRho[i] = Number.NaN;
        if (vanna) vanna[i] = Number.NaN;
        if (volga) volga[i] = Number.NaN;
        if (charm) charm[i] = Number.NaN;
        if (dualDelta) dualDelta[i] = Number.NaN;
        continue;
      }
      const b = black76 ? 0 : r - q;
      // Monte-Carlo books quote one contract on every path: reuse the previous element's discount
      // factors when (T, r, q) repeat — the same values, hence the same bits.
      if (T !== cT || r !== cR || q !== cQ) {
        cT = T;
        cR = r;
        cQ = q;
        cDf = r === 0 ? 1 : expFast(-r * T);
        cCf = q === 0 && !black76 ? 1 : black76 ? cDf : expFast(-q * T);
        cSqT = Math.sqrt(T);
      }
      const df = cDf;
      const cf = cCf;
      const sqT = cSqT;
      const sv = sigma * sqT;
      const Scf = S * cf;
      const Kdf = K * df;
      const lnFK = lnSK[i - i0] + b * T;
      // Initialised (not just declared) so the optimiser keeps them as raw doubles across branches.
      let d1 = 0;
      let d2 = 0;
      let n1 = 0;
      let Nd1 = 0;
      let Nd2 = 0;
      if (sv > 0 && Math.abs(lnFK / sv) < 1e300) {
        d1 = lnFK / sv + 0.5 * sv;
        d2 = d1 - sv;
        // φ(d2) = φ(d1)·F/K = φ(d1)·S·cf/(K·df), exact up to rounding.
        // gaussExp(d1) written out: as a call it is not inlined here and boxes its result.
        const a1 = Math.abs(d1);
        let e1 = 0;
        if (a1 < 40) {
          const c1 = 134217729 * a1;
          const ah = c1 - (c1 - a1);
          const al = a1 - ah;
          const hi = a1 * a1;
          const lo = ah * ah - hi + 2 * ah * al + al * al;
          e1 = expFast(-0.5 * hi) * (1 - 0.5 * lo);
        }
        let e2 = (e1 * Scf) / Kdf;
        // Absurd F/K (φ(d1) underflowed or the ratio overflowed): take φ(d2) directly. A builtin here,
        // not a call: a non-inlined call on this cold path would box e2 on the hot path too.
        if (!(e1 > 0 && e2 <= 1)) e2 = Math.exp(-0.5 * d2 * d2);
        n1 = e1 * INV_SQRT_2PI;
        // Table-driven Φ (normal-fast.ts): small enough for V8 to inline at both call sites.
        Nd1 = normCdfFromGauss(w * d1, e1);
        Nd2 = normCdfFromGauss(w * d2, e2);
      } else {
        // σ√T = 0: deterministic forward; at the money Φ(ωd) → ½ (limit of Φ(σ√T/2)).
        const m = lnFK === 0 ? 0.5 : w * lnFK > 0 ? 1 : 0;
        Nd1 = m;
        Nd2 = m;
      }
      let p = w * (Scf * Nd1 - Kdf * Nd2);
      const lower = w * (Scf - Kdf);
      if (p < lower) p = lower;
      if (p <= 0) p = 0; // also turns −0 into +0
      if (price) price[i] = p;
      if (delta) delta[i] = w * cf * Nd1;
      if (gamma) gamma[i] = n1 === 0 ? 0 : (cf * n1) / (S * sv);
      const nu = Scf * n1 * sqT;
      if (vega) vega[i] = nu;
      if (theta)
        theta[i] =
          (n1 === 0 ? 0 : (-Scf * n1 * sigma) / (2 * sqT)) - w * (b - r) * Scf * Nd1 - w * r * Kdf * Nd2;
      if (rho) rho[i] = black76 ? -T * p : w * T * Kdf * Nd2;
      if (dividendRho) dividendRho[i] = black76 ? 0 : -w * T * Scf * Nd1;
      if (vanna) vanna[i] = n1 === 0 ? 0 : (-cf * n1 * d2) / sigma;
      if (volga) volga[i] = n1 === 0 ? 0 : (nu * d1 * d2) / sigma;
      if (charm) charm[i] = -(w * (b - r) * cf * Nd1 + (n1 === 0 ? 0 : cf * n1 * (b / sv - d2 / (2 * T))));
      if (dualDelta) dualDelta[i] = -w * df * Nd2;
    }
  }
}

// Scalar API = the batch kernel on length-1 arrays (preallocated once).
const ONE = {
  sign: new Int8Array(1),
  spot: new Float64Array(1),
  strike: new Float64Array(1),
  expiry: new Float64Array(1),
  rate: new Float64Array(1),
  vol: new Float64Array(1),
  dividend: new Float64Array(1),
};
const PRICE_ONLY = { price: new Float64Array(1) };
const ALL: Required<BlackBatchOutput> = {
  price: new Float64Array(1),
  delta: new Float64Array(1),
  gamma: new Float64Array(1),
  vega: new Float64Array(1),
  theta: new Float64Array(1),
  rho: new Float64Array(1),
  dividendRho: new Float64Array(1),
  vanna: new Float64Array(1),
  volga: new Float64Array(1),
  charm: new Float64Array(1),
  dualDelta: new Float64Array(1),
};

function runOne(
  type: OptionType,
  S: number,
  K: number,
  T: number,
  r: number,
  q: number,
  vol: number,
  model: 'bsm' | 'black76',
  out: BlackBatchOutput,
): void {
  requireOptionType(type);
  requireMarketInputs(
    { spot: S, strike: K, expiry: T, rate: r, dividend: q, vol },
    model === 'bsm' ? 'spot' : 'forward',
  );
  ONE.sign[0] = optionSign(type);
  ONE.spot[0] = S;
  ONE.strike[0] = K;
  ONE.expiry[0] = T;
  ONE.rate[0] = r;
  ONE.vol[0] = vol;
  ONE.dividend[0] = q;
  blackBatch(ONE, out, model);
}

function readAll(): Greeks {
  return {
    price: ALL.price[0],
    delta: ALL.delta[0],
    gamma: ALL.gamma[0],
    vega: ALL.vega[0],
    theta: ALL.theta[0],
    rho: ALL.rho[0],
    dividendRho: ALL.dividendRho[0],
    vanna: ALL.vanna[0],
    volga: ALL.volga[0],
    charm: ALL.charm[0],
    dualDelta: ALL.dualDelta[0],
  };
}

/**
 * Price of a European option under generalized Black-Scholes-Merton with continuous yield q:
 * V = ω[S e^{−qT} Φ(ωd1) − K e^{−rT} Φ(ωd2)]. Never negative; at vol = 0 the discounted forward
 * intrinsic value.
 *
 * @param type      'call' or 'put'
 * @param spot      underlying price S > 0
 * @param strike    strike K > 0
 * @param expiry    time to expiry T > 0, years
 * @param rate      risk-free rate r, continuously compounded annual decimal
 * @param dividend  continuous dividend (or convenience / foreign-rate) yield q, annual decimal
 * @param vol       volatility σ >= 0, annual decimal
 * @throws DomainError naming the first invalid parameter
 * @example bsmPrice('call', 100, 100, 1, 0.05, 0, 0.2) // returns 10.450583572185565
 * References: Merton (1973); Haug (2007) §1.1.6.
 */
export function bsmPrice(
  type: OptionType,
  spot: number,
  strike: number,
  expiry: number,
  rate: number,
  dividend: number,
  vol: number,
): number {
  runOne(type, spot, strike, expiry, rate, dividend, vol, 'bsm', PRICE_ONLY);
  return PRICE_ONLY.price[0];
}

/**
 * Price and all Greeks of a European option under generalized BSM (units in `Greeks`: vega per
 * 1.00 vol, theta = ∂V/∂t per year, rho = ∂V/∂r per 1.00 holding q fixed, dividendRho = ∂V/∂q).
 * @throws DomainError naming the first invalid parameter
 * @example bsmGreeks('call', 100, 100, 1, 0.05, 0, 0.2).delta // returns 0.6368306511756191
 * References: Haug (2007) ch. 2.
 */
export function bsmGreeks(
  type: OptionType,
  spot: number,
  strike: number,
  expiry: number,
  rate: number,
  dividend: number,
  vol: number,
): Greeks {
  runOne(type, spot, strike, expiry, rate, dividend, vol, 'bsm', ALL);
  return readAll();
}

/**
 * Black-76 price of a European option on a forward or future F: V = e^{−rT}·ω[F Φ(ωd1) − K Φ(ωd2)].
 * @throws DomainError naming the first invalid parameter
 * @example black76Price('call', 100, 100, 1, 0.05, 0.2) // returns 7.577082146427273
 * References: Black (1976); Haug (2007) §1.1.2.
 */
export function black76Price(
  type: OptionType,
  forward: number,
  strike: number,
  expiry: number,
  rate: number,
  vol: number,
): number {
  runOne(type, forward, strike, expiry, rate, 0, vol, 'black76', PRICE_ONLY);
  return PRICE_ONLY.price[0];
}

/**
 * Black-76 price and Greeks; delta, gamma, vanna and charm are with respect to the forward F,
 * rho = ∂V/∂r holding F fixed (= −T·V), dividendRho = 0.
 * @throws DomainError naming the first invalid parameter
 * @example black76Greeks('call', 100, 100, 1, 0.05, 0.2).delta // returns 0.5135001229824934
 * References: Black (1976); Haug (2007) ch. 2.
 */
export function black76Greeks(
  type: OptionType,
  forward: number,
  strike: number,
  expiry: number,
  rate: number,
  vol: number,
): Greeks {
  runOne(type, forward, strike, expiry, rate, 0, vol, 'black76', ALL);
  return readAll();
}
