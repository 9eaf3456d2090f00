/**
 * Prices contracts held (or about to be held) by a book, on every path at once, with the run's
 * pricing-vol input and the book's rules — the one pricing path shared by the book's marks and the
 * quote service, so a contract quoted before it opens is marked exactly as it will be once held.
 *
 * Per kind (τ = expiry − t; expired contracts get a dummy τ = 1, their marks are zeroed by the book):
 * - European option: generalized BSM (`blackBatch`) — price, Δ and, when asked, Γ, ν, Θ, vanna, volga.
 * - Barrier option: Reiner–Rubinstein (`barrierPriceBatch`) at the Broadie–Glasserman–Kou shifted
 *   barrier H·e^{±β σ √Δt} (discrete monitoring at the source's step Δt = `view.dtNext`, β ≈ 0.5826);
 *   knocked-in paths are priced as vanillas; vanna and volga by central vol bumps of Δ and ν.
 * - American option: Andersen–Lake–Offengenbach per path (`americanGreeks`); ν, vanna, volga by
 *   central vol bumps (cold path: American lines are rare and cost ~µs each).
 * - Digital: `digitalBatch`; vanna and volga by central vol bumps.
 * Scheduled events ahead (`view.events`) are priced in: an option expiring after an event carries
 * its jump variance, σ_eff² = σ² + v/τ ({@link addEventVariance}).
 * - Forward: S·e^{−qτ} − K·e^{−rτ}, Δ = e^{−qτ}, Θ = q·S·e^{−qτ} − r·K·e^{−rτ} (∂V/∂t),
 *   Γ = ν = vanna = volga = 0.
 * - Future (settled daily: its value is paid out as variation margin, book.ts): value 0 after each
 *   settlement, Δ = e^{(r−q)τ}, Θ = −(r−q)·F with F = S·e^{(r−q)τ} the futures price.
 *
 * Units: price per unit of underlying; vega per 1.00 vol; theta = ∂V/∂t per year (house convention,
 * src/pricing/types.ts). Shape: every array [nPaths].
 * References: Haug (2007) §1.1, §4.17, §4.19; Broadie, Glasserman & Kou, Mathematical Finance 7
 * (1997) 325–349; Andersen, Lake & Offengenbach (2016).
 */

import { EXPIRY_EPS } from '../core/time.ts';
import type { DerivativeTerms } from '../instruments/terms.ts';
import { isDownBarrier, isKnockIn } from '../instruments/terms.ts';
import type { AssetSpec } from '../market/asset.ts';
import type { MarketEvent } from '../market/events.ts';
import type { MarketView } from '../market/market-view.ts';
import type { PricingVol } from '../market/pricing-vol.ts';
import { americanGreeks, americanPrice } from '../pricing/american.ts';
import { BARRIER_CODE, barrierPriceBatch } from '../pricing/barrier.ts';
import {
  type BlackBatchInput,
  type BlackBatchOutput,
  blackBatch,
  blackDeltaRun,
  type DeltaRunTerms,
  deltaRunActive,
} from '../pricing/black-scholes.ts';
import { DIGITAL_CODE, digitalBatch } from '../pricing/digital.ts';
import type { GreeksBlock } from '../pricing/greeks-block.ts';

/**
 * Broadie–Glasserman–Kou continuity correction, β = −ζ(1/2)/√(2π).
 * References: Broadie, Glasserman & Kou, "A continuity correction for discrete barrier options",
 * Mathematical Finance 7 (1997) 325–349.
 */
export const BGK_BETA = 0.582597157939011;

export type { GreeksBlock };

/**
 * Which Greeks beyond price and Δ (always computed) to compute. A kind whose kernel gets some Greek
 * for free (barriers, digitals, American options, forwards and futures) may fill more than asked;
 * European options compute exactly what is asked (Γ and ν cost the kernel an exp and two stores).
 */
export interface GreekMask {
  readonly gamma?: boolean;
  readonly vega?: boolean;
  readonly theta?: boolean;
  readonly vanna?: boolean;
  readonly volga?: boolean;
}

/** Price and Δ only (a delta hedge, a price read). */
export const PRICE_DELTA: GreekMask = {};
/** Price, Δ, Γ, ν. */
export const FIRST_ORDER: GreekMask = { gamma: true, vega: true };
/** Every Greek of a GreeksBlock. */
export const ALL_GREEKS: GreekMask = { gamma: true, vega: true, theta: true, vanna: true, volga: true };

/** The Greeks either mask asks for. */
export function unionMask(a: GreekMask, b: GreekMask): GreekMask {
  return {
    gamma: a.gamma === true || b.gamma === true,
    vega: a.vega === true || b.vega === true,
    theta: a.theta === true || b.theta === true,
    vanna: a.vanna === true || b.vanna === true,
    volga: a.volga === true || b.volga === true,
  };
}

/** Whether `have` computes every Greek `want` asks for. */
export function coversMask(have: GreekMask, want: GreekMask): boolean {
  return (
    (!want.gamma || have.gamma === true) &&
    (!want.vega || have.vega === true) &&
    (!want.theta || have.theta === true) &&
    (!want.vanna || have.vanna === true) &&
    (!want.volga || have.volga === true)
  );
}

/** A GreeksBlock of `n` zeros. */
export function greeksBlock(n: number): GreeksBlock {
  const f = () => new Float64Array(n);
  return { price: f(), delta: f(), gamma: f(), vega: f(), theta: f(), vanna: f(), volga: f() };
}

/**
 * out += q·g on every path where q ≠ 0: price, Δ, Γ, ν, and Θ, vanna, volga when `all` (position
 * Greeks from per-unit Greeks). Shape: q (or one number for all paths), out.*, g.*: [n].
 */
export function addPositionGreeks(
  out: GreeksBlock,
  q: Float64Array | number,
  g: GreeksBlock,
  all: boolean,
): void {
  const n = out.price.length;
  for (let p = 0; p < n; p++) {
    const x = typeof q === 'number' ? q : q[p];
    if (x === 0) continue;
    out.price[p] += x * g.price[p];
    out.delta[p] += x * g.delta[p];
    out.gamma[p] += x * g.gamma[p];
    out.vega[p] += x * g.vega[p];
    if (!all) continue;
    out.theta[p] += x * g.theta[p];
    out.vanna[p] += x * g.vanna[p];
    out.volga[p] += x * g.volga[p];
  }
}

/**
 * Scheduled events priced in: an option expiring after an event whose log jump has variance v
 * carries it, σ_eff² = σ² + Σ v/τ over the events in (t, t + τ] that move the asset (a jump
 * J ~ N(m, v) adds v to the log-price variance over the option's life; Merton 1976 with one known
 * jump time). Shape: tau, vol [n] (vol updated in place).
 * References: R. C. Merton, "Option pricing when underlying stock returns are discontinuous",
 * J. Financial Economics 3 (1976); Dubinsky, Johannes, Kaeck & Seeger, "Option pricing of earnings
 * announcement risks", Review of Financial Studies 32 (2019).
 */
export function addEventVariance(
  events: readonly MarketEvent[],
  asset: number,
  tau: Float64Array,
  t: number,
  vol: Float64Array,
): void {
  for (const e of events) {
    const v = e.variance ?? 0;
    if (!(v > 0) || (e.assets !== undefined && !e.assets.includes(asset))) continue;
    const until = e.t - t;
    for (let p = 0; p < vol.length; p++) {
      const T = tau[p];
      if (until <= T + EXPIRY_EPS) vol[p] = Math.sqrt(vol[p] * vol[p] + v / T);
    }
  }
}

/** T with its readonly fields writable (the pricer's reused argument objects). */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Central vol bump for finite-difference vanna / volga, absolute vol. */
const VOL_BUMP = 1e-4;

/** `a[0]` when every entry of `a` equals it, else NaN (also for a NaN `a[0]` or an empty `a`). */
export function sharedOf(a: Float64Array): number {
  const x = a.length > 0 ? a[0] : Number.NaN;
  for (let p = 1; p < a.length; p++) if (a[p] !== x) return Number.NaN;
  return x;
}

/** The strike and expiry every path of a contract holds (PositionLine.oneStrike / oneExpiry), NaN where they differ. */
export interface SharedTerms {
  readonly oneStrike: number;
  readonly oneExpiry: number;
}

/** What `ContractPricer.deltaRun` did (see there). */
type DeltaRunResult = 0 | 1 | 2;
const NOT = 0;
const FILLED = 1;
const DONE = 2;

/** Scratch-owning pricer for one book (or quote service) of `nPaths` paths. */
export class ContractPricer {
  readonly nPaths: number;
  private readonly assets: readonly AssetSpec[];
  private readonly tau: Float64Array;
  private readonly rate: Float64Array;
  private readonly carry: Float64Array;
  private readonly signs: Int8Array;
  private readonly codes: Uint8Array;
  private readonly rebates: Float64Array;
  private readonly cash: Float64Array;
  private readonly pricingBarrier: Float64Array;
  /**
   * The constants `rate`, `carry` and `signs` hold (compared with Object.is, so −0 and +0 differ;
   * undefined / 0: not filled yet).
   */
  private filledRate: number | undefined;
  private filledCarry: number | undefined;
  private filledSign = 0;
  private scratch?: GreeksBlock;
  private scratch2?: GreeksBlock;
  private readonly vanillaIn: Mutable<BlackBatchInput>;
  private readonly vanillaOut: Mutable<BlackBatchOutput>;
  /** The terms of `deltaRun`'s contract (reused). */
  private readonly run: Mutable<DeltaRunTerms> = {
    sign: 1,
    strike: 0,
    expiry: 0,
    rate: 0,
    vol: 0,
    dividend: 0,
  };
  private bumped?: Float64Array;

  constructor(nPaths: number, assets: readonly AssetSpec[]) {
    this.nPaths = nPaths;
    this.assets = assets;
    const f = () => new Float64Array(nPaths);
    this.tau = f();
    this.rate = f();
    this.carry = f();
    this.signs = new Int8Array(nPaths);
    this.codes = new Uint8Array(nPaths);
    this.rebates = f();
    this.cash = f();
    this.pricingBarrier = f();
    const none = new Float64Array(0);
    this.vanillaIn = {
      sign: this.signs,
      spot: none,
      strike: none,
      expiry: this.tau,
      rate: this.rate,
      vol: none,
      dividend: this.carry,
      logSpot: undefined,
    };
    this.vanillaOut = {
      price: none,
      delta: none,
      gamma: none,
      vega: none,
      theta: none,
      vanna: none,
      volga: none,
    };
  }

  /**
   * `price`'s European vanilla when the mark wants Δ alone (no price, no other Greek), every path
   * holds the same strike and expiry (`shared`) and the same pricing vol, and there is no event
   * variance: Δ by `blackDeltaRun`, the bits of the batch `price` runs otherwise, without the
   * per-path τ, rate, carry and sign rows. A delta hedge's marks. Returns DONE (Δ and `volOut`
   * written as `price` writes them), FILLED (`volOut` written, the flat vol differs between paths: the
   * batch need not fill it again) or NOT (nothing written: not a Δ-alone vanilla mark of one strike
   * and expiry, or the WebAssembly kernel is off).
   */
  private deltaRun(
    terms: DerivativeTerms,
    view: MarketView,
    vols: PricingVol,
    shared: SharedTerms,
    strike: Float64Array,
    want: GreekMask,
    out: GreeksBlock,
    volOut: Float64Array,
  ): DeltaRunResult {
    if (terms.kind !== 'option' || terms.style === 'american' || terms.barrier) return NOT;
    if (want.gamma || want.vega || want.theta || want.vanna || want.volga) return NOT;
    const K = shared.oneStrike;
    const E = shared.oneExpiry;
    if (Number.isNaN(K) || Number.isNaN(E)) return NOT;
    // A flat vol reads neither strike nor τ (so `this.tau` need not be filled); events add variance per τ.
    if (!vols.flat || (view.events !== undefined && view.events.length > 0)) return NOT;
    if (!deltaRunActive(this.nPaths)) return NOT;
    const a = terms.asset;
    vols.fill(view, a, strike, this.tau, volOut);
    // The vol the pricing vol promises on every path, else the one `fill` wrote on every path.
    let sigma = vols.sharedVol?.(a) ?? Number.NaN;
    if (Number.isNaN(sigma)) sigma = sharedOf(volOut);
    if (Number.isNaN(sigma)) return FILLED;
    const run = this.run;
    const x = E - view.t;
    run.sign = terms.type === 'call' ? 1 : -1;
    run.strike = K;
    run.expiry = x > EXPIRY_EPS ? x : 1;
    run.rate = view.rate;
    run.vol = sigma;
    run.dividend = this.assets[a].carry ?? 0;
    return blackDeltaRun(run, view.spot[a], view.logSpot?.[a], out.delta) ? DONE : FILLED;
  }

  /**
   * Prices one contract kind on every path: per-path strike, absolute expiry and barrier level.
   * `knocked[p] = 1` marks a knock-in already triggered (priced as the vanilla). Writes the pricing
   * vol used into `volOut`. Never throws; invalid inputs give NaN. With `withPrice` false a European
   * option's price is not computed (`out.price` keeps what it held): a mark without values.
   * `shared`: the strike and expiry every path holds (a PositionLine's), NaN where they differ.
   */
  price(
    terms: DerivativeTerms,
    view: MarketView,
    vols: PricingVol,
    strike: Float64Array,
    expiry: Float64Array,
    barrier: Float64Array | undefined,
    knocked: Uint8Array | undefined,
    want: GreekMask,
    out: GreeksBlock,
    volOut: Float64Array,
    withPrice = true,
    shared?: SharedTerms,
  ): void {
    const routed =
      !withPrice && shared ? this.deltaRun(terms, view, vols, shared, strike, want, out, volOut) : NOT;
    if (routed === DONE) return;
    const n = this.nPaths;
    const t = view.t;
    const tau = this.tau;
    for (let p = 0; p < n; p++) {
      const x = expiry[p] - t;
      tau[p] = x > EXPIRY_EPS ? x : 1;
    }
    const a = terms.asset;
    const q = this.assets[a].carry ?? 0;
    const S = view.spot[a];
    if (terms.kind !== 'option' && terms.kind !== 'digital') {
      if (terms.kind === 'future') this.future(S, q, view.rate, out, want);
      else this.forward(S, strike, q, view.rate, out, want);
      volOut.fill(0);
      return;
    }
    // Options and digitals (terms is narrowed to them here).
    // The same rate, carry and sign hold for every line on an asset at a step: fill only on change.
    if (!Object.is(view.rate, this.filledRate)) this.filledRate = this.fillConst(this.rate, view.rate);
    if (!Object.is(q, this.filledCarry)) this.filledCarry = this.fillConst(this.carry, q);
    if (routed !== FILLED) vols.fill(view, a, strike, tau, volOut); // a flat vol deltaRun wrote
    const events = view.events;
    if (events !== undefined && events.length > 0) addEventVariance(events, a, tau, view.t, volOut);
    const sign = terms.type === 'call' ? 1 : -1;
    if (sign !== this.filledSign) {
      this.signs.fill(sign);
      this.filledSign = sign;
    }
    if (terms.kind === 'digital') {
      this.codes.fill(DIGITAL_CODE[terms.payoff]);
      this.cash.fill(terms.cash ?? 1);
      const run = (vol: Float64Array, o: GreeksBlock, full: boolean) =>
        digitalBatch(
          {
            sign: this.signs,
            payoff: this.codes,
            spot: S,
            strike,
            cash: this.cash,
            expiry: tau,
            rate: this.rate,
            dividend: this.carry,
            vol,
          },
          full
            ? { price: o.price, delta: o.delta, gamma: o.gamma, vega: o.vega, theta: o.theta }
            : { price: o.price, delta: o.delta, vega: o.vega },
        );
      run(volOut, out, true);
      this.volBumps(run, volOut, want, out);
      return;
    }
    if (terms.style === 'american') {
      this.american(terms.type, S, strike, q, view.rate, volOut, want, out);
      return;
    }
    const b = terms.barrier;
    if (!b) {
      // The European kernel's arguments in two reused objects of one shape each (absent Greeks are
      // undefined: not computed): no allocation per line and step.
      const inp = this.vanillaIn;
      inp.spot = S;
      // A GBM source's ln S (view.logSpot): ln(S/K) without a logarithm per path.
      inp.logSpot = view.logSpot?.[a];
      inp.strike = strike;
      inp.vol = volOut;
      const o = this.vanillaOut;
      o.price = withPrice ? out.price : undefined;
      o.delta = out.delta;
      o.gamma = want.gamma ? out.gamma : undefined;
      o.vega = want.vega ? out.vega : undefined;
      o.theta = want.theta ? out.theta : undefined;
      o.vanna = want.vanna ? out.vanna : undefined;
      o.volga = want.volga ? out.volga : undefined;
      blackBatch(inp, o);
      return;
    }
    const input = {
      sign: this.signs,
      spot: S,
      strike,
      expiry: tau,
      rate: this.rate,
      vol: volOut,
      dividend: this.carry,
    };
    // The book monitors the barrier at the source's steps; the closed form assumes continuous
    // monitoring. Broadie–Glasserman–Kou: price a continuous barrier shifted away from the spot.
    const shift = BGK_BETA * Math.sqrt(view.dtNext);
    const down = isDownBarrier(b);
    const H = barrier!;
    const pb = this.pricingBarrier;
    this.codes.fill(BARRIER_CODE[b.type]);
    this.rebates.fill(b.rebate);
    const barrierRun = (vol: Float64Array, o: GreeksBlock, greeks: boolean) => {
      for (let p = 0; p < n; p++) {
        const k = shift * vol[p];
        pb[p] = H[p] * Math.exp(down ? -k : k);
      }
      barrierPriceBatch(
        { ...input, vol, barrierType: this.codes, barrier: pb, rebate: this.rebates },
        greeks
          ? { price: o.price, delta: o.delta, gamma: o.gamma, vega: o.vega, theta: o.theta }
          : { price: o.price },
      );
    };
    barrierRun(volOut, out, true);
    // The shifted barrier moves with σ, so the marked price's vega (and volga, vanna) are total
    // derivatives: central vol bumps that move the barrier too (the kernel's vega holds it fixed).
    this.barrierVolBumps(barrierRun, volOut, want, out);
    if (!isKnockIn(b) || knocked === undefined) return;
    // Knocked-in paths hold a vanilla: reprice those with the vanilla kernel.
    let anyIn = false;
    for (let p = 0; p < n; p++) if (knocked[p]) anyIn = true;
    if (!anyIn) return;
    const v = (this.scratch ??= greeksBlock(n));
    blackBatch(input, v);
    for (let p = 0; p < n; p++) {
      if (!knocked[p]) continue;
      out.price[p] = v.price[p];
      out.delta[p] = v.delta[p];
      out.gamma[p] = v.gamma[p];
      out.vega[p] = v.vega[p];
      out.theta[p] = v.theta[p];
      out.vanna[p] = v.vanna[p];
      out.volga[p] = v.volga[p];
    }
  }

  /**
   * ν = dV/dσ always, and volga = d²V/dσ², vanna = dΔ/dσ when asked, by central vol bumps of a
   * barrier run whose BGK-shifted barrier follows σ.
   */
  private barrierVolBumps(
    run: (vol: Float64Array, o: GreeksBlock, greeks: boolean) => void,
    vol: Float64Array,
    want: GreekMask,
    out: GreeksBlock,
  ): void {
    const n = this.nPaths;
    const up = (this.scratch ??= greeksBlock(n));
    const dn = (this.scratch2 ??= greeksBlock(n));
    const bumped = (this.bumped ??= new Float64Array(n));
    const withDelta = want.vanna === true;
    for (let p = 0; p < n; p++) bumped[p] = vol[p] + VOL_BUMP;
    run(bumped, up, withDelta);
    for (let p = 0; p < n; p++) bumped[p] = Math.max(vol[p] - VOL_BUMP, 0);
    run(bumped, dn, withDelta);
    for (let p = 0; p < n; p++) {
      const hu = vol[p] + VOL_BUMP - vol[p];
      const hd = vol[p] - Math.max(vol[p] - VOL_BUMP, 0);
      out.vega[p] = (up.price[p] - dn.price[p]) / (hu + hd);
      if (want.volga)
        out.volga[p] =
          (2 * ((up.price[p] - out.price[p]) / hu - (out.price[p] - dn.price[p]) / hd)) / (hu + hd);
      if (withDelta) out.vanna[p] = (up.delta[p] - dn.delta[p]) / (hu + hd);
    }
  }

  /** Fills `arr` with x; returns x. */
  private fillConst(arr: Float64Array, x: number): number {
    arr.fill(x);
    return x;
  }

  /** vanna = ∂Δ/∂σ and volga = ∂ν/∂σ by central vol bumps of a batch kernel (when asked). */
  private volBumps(
    run: (vol: Float64Array, o: GreeksBlock, full: boolean) => void,
    vol: Float64Array,
    want: GreekMask,
    out: GreeksBlock,
  ): void {
    if (!want.vanna && !want.volga) return;
    const n = this.nPaths;
    const up = (this.scratch ??= greeksBlock(n));
    const dn = (this.scratch2 ??= greeksBlock(n));
    const bumped = (this.bumped ??= new Float64Array(n));
    for (let p = 0; p < n; p++) bumped[p] = vol[p] + VOL_BUMP;
    run(bumped, up, false);
    for (let p = 0; p < n; p++) bumped[p] = Math.max(vol[p] - VOL_BUMP, 0);
    run(bumped, dn, false);
    for (let p = 0; p < n; p++) {
      const h = vol[p] + VOL_BUMP - Math.max(vol[p] - VOL_BUMP, 0);
      out.vanna[p] = (up.delta[p] - dn.delta[p]) / h;
      out.volga[p] = (up.vega[p] - dn.vega[p]) / h;
    }
  }

  /**
   * A future, settled daily (variation margin, book.ts): its value after settlement is 0; its
   * Greeks are those of the futures price F = S·e^{(r−q)τ}: Δ = e^{(r−q)τ}, Θ = ∂F/∂t = −(r−q)·F.
   */
  private future(S: Float64Array, q: number, r: number, out: GreeksBlock, want: GreekMask): void {
    const tau = this.tau;
    for (let p = 0; p < this.nPaths; p++) {
      const g = Math.exp((r - q) * tau[p]);
      out.price[p] = 0;
      out.delta[p] = g;
      out.gamma[p] = 0;
      out.vega[p] = 0;
      if (want.theta) out.theta[p] = -(r - q) * S[p] * g;
      if (want.vanna) out.vanna[p] = 0;
      if (want.volga) out.volga[p] = 0;
    }
  }

  private forward(
    S: Float64Array,
    K: Float64Array,
    q: number,
    r: number,
    out: GreeksBlock,
    want: GreekMask,
  ): void {
    const tau = this.tau;
    for (let p = 0; p < this.nPaths; p++) {
      const dq = Math.exp(-q * tau[p]);
      const dr = Math.exp(-r * tau[p]);
      out.price[p] = S[p] * dq - K[p] * dr;
      out.delta[p] = dq;
      out.gamma[p] = 0;
      out.vega[p] = 0;
      // ∂V/∂t with τ = T − t: q·S·e^{−qτ} − r·K·e^{−rτ}.
      if (want.theta) out.theta[p] = q * S[p] * dq - r * K[p] * dr;
      if (want.vanna) out.vanna[p] = 0;
      if (want.volga) out.volga[p] = 0;
    }
  }

  private american(
    type: 'call' | 'put',
    S: Float64Array,
    K: Float64Array,
    q: number,
    r: number,
    vol: Float64Array,
    want: GreekMask,
    out: GreeksBlock,
  ): void {
    const tau = this.tau;
    for (let p = 0; p < this.nPaths; p++) {
      const s = S[p];
      const k = K[p];
      const T = tau[p];
      const sig = vol[p];
      if (!(s > 0 && k > 0 && T > 0 && sig > 0)) {
        out.price[p] = out.delta[p] = out.gamma[p] = out.vega[p] = Number.NaN;
        out.theta[p] = out.vanna[p] = out.volga[p] = Number.NaN;
        continue;
      }
      const g = americanGreeks(type, s, k, T, r, q, sig);
      out.price[p] = g.price;
      out.delta[p] = g.delta;
      out.gamma[p] = g.gamma;
      out.theta[p] = g.theta;
      const h = Math.min(VOL_BUMP, sig / 2);
      const up = americanPrice(type, s, k, T, r, q, sig + h);
      const dn = americanPrice(type, s, k, T, r, q, sig - h);
      out.vega[p] = (up - dn) / (2 * h);
      if (want.volga) out.volga[p] = (up - 2 * g.price + dn) / (h * h);
      if (want.vanna) {
        const du = americanGreeks(type, s, k, T, r, q, sig + h).delta;
        const dd = americanGreeks(type, s, k, T, r, q, sig - h).delta;
        out.vanna[p] = (du - dd) / (2 * h);
      }
    }
  }
}
