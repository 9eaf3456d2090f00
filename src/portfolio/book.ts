/**
 * The book: every path's portfolio at once, as a struct of arrays.
 *
 * - a cash account accruing at the short rate (plus a borrowing spread when negative);
 * - units held per asset (which earn the asset's carry yield — dividends, coupons — into cash);
 * - option slots: one contract kind each (asset, call/put, optional barrier), with per-path
 *   quantity (units of underlying; + long, − short), strike, expiry and barrier state, revalued every
 *   step with the pricing core and a chosen vol input; expiries settle automatically into cash;
 * - forward slots: per-path quantity and locked forward price, marked to market, settled at expiry.
 *
 * Strategies declare their slots in `init`; the engine calls `accrue`, `mark` every step; the
 * executor (execute.ts) trades. Accounting arrays record fees, premiums, turnover and trades.
 *
 * Shape: every per-path array has length nPaths.
 * References: Hull, Options, Futures and Other Derivatives (10th ed.), ch. 5 (forwards), 19 (hedging).
 */
import { DomainError } from '../core/errors.ts';
import type { AssetSpec } from '../market/asset.ts';
import type { MarketView } from '../market/market-view.ts';
import type { VolInput } from '../market/vol-input.ts';
import { BARRIER_CODE, type BarrierType, barrierPriceBatch } from '../pricing/barrier.ts';
import { blackBatch } from '../pricing/black-scholes.ts';
import type { OptionType } from '../pricing/types.ts';
import type { Ledger } from './ledger.ts';

/**
 * Broadie–Glasserman–Kou continuity correction, β = −ζ(1/2)/√(2π).
 * References: Broadie, Glasserman & Kou, "A continuity correction for discrete barrier options",
 * Mathematical Finance 7 (1997) 325–349.
 */
export const BGK_BETA = 0.582597157939011;

/** Time tolerance for "expires now", years (well below a minute). */
export const EXPIRY_EPS = 1e-9;

export interface OptionSlotSpec {
  /** Index of the underlying in the market's assets. */
  readonly asset: number;
  readonly type: OptionType;
  /** Single barrier (continuously priced, monitored at every step). */
  readonly barrier?: { readonly type: BarrierType; readonly rebate: number };
  /** Label for ledgers and reports, e.g. `put 90%`. */
  readonly label?: string;
}

/** The ledger name of a slot's contracts. */
export function label(slot: OptionSlot): string {
  return slot.spec.label ?? `${slot.spec.type}#${slot.asset}`;
}

/** One option contract kind held across all paths. */
export class OptionSlot {
  readonly spec: OptionSlotSpec;
  readonly asset: number;
  readonly sign: 1 | -1;
  /** Units of underlying (contracts × multiplier); + long, − short. */
  readonly qty: Float64Array;
  readonly strike: Float64Array;
  /** Absolute expiry time, years since inception. */
  readonly expiry: Float64Array;
  /** Barrier level per path (NaN without barrier). */
  readonly barrier: Float64Array;
  /** Barrier the pricer sees: the continuity-corrected level for discrete monitoring (BGK). */
  readonly pricingBarrier: Float64Array;
  /** Barrier state: 1 once the barrier has been touched (knocked in, or out and closed). */
  readonly knocked: Uint8Array;
  /** Per-unit mark, delta, gamma and vega after the last `mark`. */
  readonly mark: Float64Array;
  readonly delta: Float64Array;
  readonly gamma: Float64Array;
  readonly vega: Float64Array;
  /** Pricing vol used by the last `mark` (the executor prices vol-point spreads with it). */
  readonly vol: Float64Array;
  // Scratch for the pricing kernels.
  readonly tau: Float64Array;
  readonly rate: Float64Array;
  readonly carry: Float64Array;
  readonly signs: Int8Array;
  readonly codes: Uint8Array;
  /** The barrier rebate as a per-path array (constant), for the batch kernel. */
  readonly rebates: Float64Array;
  /** Vanilla re-pricing scratch for knocked-in paths (allocated on first use). */
  knockedIn?: { price: Float64Array; delta: Float64Array; gamma: Float64Array; vega: Float64Array };

  constructor(spec: OptionSlotSpec, nPaths: number) {
    this.spec = spec;
    this.asset = spec.asset;
    this.sign = spec.type === 'call' ? 1 : -1;
    const f = () => new Float64Array(nPaths);
    this.qty = f();
    this.strike = f();
    this.expiry = f();
    this.barrier = f().fill(Number.NaN);
    this.pricingBarrier = f();
    this.knocked = new Uint8Array(nPaths);
    this.mark = f();
    this.delta = f();
    this.gamma = f();
    this.vega = f();
    this.vol = f();
    this.tau = f();
    this.rate = f();
    this.carry = f();
    this.signs = new Int8Array(nPaths).fill(this.sign);
    this.codes = new Uint8Array(nPaths).fill(spec.barrier ? BARRIER_CODE[spec.barrier.type] : 0);
    this.rebates = f().fill(spec.barrier?.rebate ?? 0);
  }

  /** Payoff per unit at expiry for path p (barrier options: rebate rules of Reiner–Rubinstein). */
  payoff(p: number, S: number): number {
    const b = this.spec.barrier;
    const intrinsic = Math.max(this.sign * (S - this.strike[p]!), 0);
    if (!b) return intrinsic;
    const isIn = b.type === 'down-in' || b.type === 'up-in';
    if (isIn) return this.knocked[p] ? intrinsic : b.rebate;
    return intrinsic; // a knocked-out option was closed at the knock
  }
}

/** A forward (or future, marked like a forward) on one asset. */
export class ForwardSlot {
  readonly asset: number;
  readonly qty: Float64Array;
  /** Locked delivery price. */
  readonly price: Float64Array;
  readonly expiry: Float64Array;
  /** Mark-to-market value per unit after the last `mark`. */
  readonly mark: Float64Array;
  constructor(asset: number, nPaths: number) {
    this.asset = asset;
    this.qty = new Float64Array(nPaths);
    this.price = new Float64Array(nPaths);
    this.expiry = new Float64Array(nPaths);
    this.mark = new Float64Array(nPaths);
  }
}

export interface BookOptions {
  /** Extra rate paid on negative cash, annual decimal (default 0). */
  readonly borrowSpread?: number;
}

/** Read-only face of the book that strategies see. */
export interface BookView {
  readonly nPaths: number;
  readonly assets: readonly AssetSpec[];
  readonly cash: Float64Array;
  readonly units: readonly Float64Array[];
  readonly options: readonly OptionSlot[];
  readonly forwards: readonly ForwardSlot[];
  /** Mark-to-market portfolio value after the last `mark`. */
  readonly value: Float64Array;
  readonly initialValue: number;
}

export class Book implements BookView {
  readonly nPaths: number;
  readonly assets: readonly AssetSpec[];
  readonly cash: Float64Array;
  readonly units: Float64Array[];
  readonly options: OptionSlot[] = [];
  readonly forwards: ForwardSlot[] = [];
  readonly value: Float64Array;
  initialValue: number;
  /** Cumulative transaction costs (commissions, spreads, fees), currency. */
  readonly fees: Float64Array;
  /** Cumulative net option premium paid at mid (bought − sold), currency. */
  readonly premiums: Float64Array;
  /** Cumulative traded notional of assets (|Δunits|·S), currency. */
  readonly turnover: Float64Array;
  /** Number of trades (each asset or option quantity change on a path counts 1). */
  readonly trades: Float64Array;
  private readonly borrowSpread: number;

  constructor(nPaths: number, assets: readonly AssetSpec[], initialValue: number, opts: BookOptions = {}) {
    if (!(Number.isFinite(initialValue) && initialValue > 0))
      throw new DomainError('initialValue', initialValue, 'must be > 0');
    this.nPaths = nPaths;
    this.assets = assets;
    this.initialValue = initialValue;
    this.cash = new Float64Array(nPaths).fill(initialValue);
    this.units = assets.map(() => new Float64Array(nPaths));
    this.value = new Float64Array(nPaths).fill(initialValue);
    this.fees = new Float64Array(nPaths);
    this.premiums = new Float64Array(nPaths);
    this.turnover = new Float64Array(nPaths);
    this.trades = new Float64Array(nPaths);
    this.borrowSpread = opts.borrowSpread ?? 0;
  }

  /** Declares an option slot (strategies call this in `init`); returns its index. */
  addOptionSlot(spec: OptionSlotSpec): number {
    if (!(Number.isInteger(spec.asset) && spec.asset >= 0 && spec.asset < this.assets.length))
      throw new DomainError('asset', spec.asset, `must be an asset index in [0, ${this.assets.length})`);
    this.options.push(new OptionSlot(spec, this.nPaths));
    return this.options.length - 1;
  }

  /** Declares a forward slot on an asset; returns its index. */
  addForwardSlot(asset: number): number {
    if (!(Number.isInteger(asset) && asset >= 0 && asset < this.assets.length))
      throw new DomainError('asset', asset, `must be an asset index in [0, ${this.assets.length})`);
    this.forwards.push(new ForwardSlot(asset, this.nPaths));
    return this.forwards.length - 1;
  }

  /**
   * Interest on cash over the step just ended (at the rate that held over it) and carry income
   * (dividend / coupon / convenience yield) of the units held: cash·(e^{r·dt} − 1) with r + spread
   * on negative cash, plus Σ units·S·q·dt.
   */
  accrue(dt: number, rate: number, prevSpot?: readonly Float64Array[]): void {
    if (dt <= 0) return;
    const gUp = Math.exp(rate * dt);
    const gDown = Math.exp((rate + this.borrowSpread) * dt);
    const cash = this.cash;
    const n = this.nPaths;
    for (let p = 0; p < n; p++) {
      const c = cash[p]!;
      cash[p] = c * (c >= 0 ? gUp : gDown);
    }
    if (prevSpot) this.accrueCarry(dt, prevSpot);
  }

  /** Carry income of the units held over dt, paid on the start-of-step prices `prevSpot`. */
  accrueCarry(dt: number, prevSpot: readonly Float64Array[]): void {
    if (dt <= 0) return;
    const cash = this.cash;
    const n = this.nPaths;
    for (let a = 0; a < this.assets.length; a++) {
      const q = this.assets[a]!.carry ?? 0;
      if (q === 0) continue;
      const u = this.units[a]!;
      const S = prevSpot[a]!;
      const k = Math.expm1(q * dt);
      for (let p = 0; p < n; p++) cash[p]! += u[p]! * S[p]! * k;
    }
  }

  /**
   * Settles what expires or knocks out at this step, revalues every option and forward, and writes
   * `value`. Call after the market moved (and after `accrue`).
   */
  mark(view: MarketView, vols: VolInput, ledger?: Ledger): void {
    const n = this.nPaths;
    const t = view.t;
    for (const slot of this.options) this.markOption(slot, view, vols, ledger);
    for (const fw of this.forwards) {
      const S = view.spot[fw.asset]!;
      const q = this.assets[fw.asset]!.carry ?? 0;
      for (let p = 0; p < n; p++) {
        if (fw.qty[p] === 0) {
          fw.mark[p] = 0;
          continue;
        }
        const tau = fw.expiry[p]! - t;
        if (tau <= EXPIRY_EPS) {
          this.cash[p]! += fw.qty[p]! * (S[p]! - fw.price[p]!);
          if (ledger?.recording[p])
            ledger.record(
              p,
              view.step,
              t,
              'settle',
              this.assets[fw.asset]!.name,
              -fw.qty[p]!,
              S[p]! - fw.price[p]!,
              0,
            );
          fw.qty[p] = 0;
          fw.mark[p] = 0;
        } else {
          fw.mark[p] = S[p]! * Math.exp(-q * tau) - fw.price[p]! * Math.exp(-view.rate * tau);
        }
      }
    }
    this.revalue(view);
  }

  /** value = cash + Σ units·S + Σ qty·mark (options) + Σ qty·mark (forwards). */
  revalue(view: MarketView): void {
    const n = this.nPaths;
    const v = this.value;
    const U = this.units;
    const nA = U.length;
    if (nA === 0) v.set(this.cash);
    // Up to three assets per pass (one pass for ≤ 3 assets), summed in asset order: the same
    // additions in the same order as one pass per asset, so the values are bit-identical.
    for (let a = 0; a < nA; a += 3) {
      const src = a === 0 ? this.cash : v;
      const u0 = U[a]!;
      const s0 = view.spot[a]!;
      if (a + 1 === nA) {
        for (let p = 0; p < n; p++) v[p] = src[p]! + u0[p]! * s0[p]!;
        break;
      }
      const u1 = U[a + 1]!;
      const s1 = view.spot[a + 1]!;
      if (a + 2 === nA) {
        for (let p = 0; p < n; p++) v[p] = src[p]! + u0[p]! * s0[p]! + u1[p]! * s1[p]!;
        break;
      }
      const u2 = U[a + 2]!;
      const s2 = view.spot[a + 2]!;
      for (let p = 0; p < n; p++) v[p] = src[p]! + u0[p]! * s0[p]! + u1[p]! * s1[p]! + u2[p]! * s2[p]!;
    }
    for (const slot of this.options) {
      const q = slot.qty;
      const m = slot.mark;
      for (let p = 0; p < n; p++) if (q[p] !== 0) v[p]! += q[p]! * m[p]!;
    }
    for (const fw of this.forwards) {
      for (let p = 0; p < n; p++) if (fw.qty[p] !== 0) v[p]! += fw.qty[p]! * fw.mark[p]!;
    }
  }

  /** Knocks barriers and settles expiries of one slot; returns how many positions remain live. */
  private settleOption(slot: OptionSlot, view: MarketView, ledger: Ledger | undefined): number {
    const n = this.nPaths;
    const S = view.spot[slot.asset]!;
    const b = slot.spec.barrier;
    const isDown = b !== undefined && (b.type === 'down-in' || b.type === 'down-out');
    const isOut = b !== undefined && (b.type === 'down-out' || b.type === 'up-out');
    let live = 0;
    // Locals: the (rare) payoff and ledger calls in the loop would otherwise make V8 reload them per path.
    const qty = slot.qty;
    const expiry = slot.expiry;
    const knocked = slot.knocked;
    const cash = this.cash;
    const t = view.t;
    const rec = ledger?.recording;
    for (let p = 0; p < n; p++) {
      const q = qty[p]!;
      if (q === 0) continue;
      if (b && knocked[p] === 0) {
        // Discrete monitoring at every step of the grid.
        const H = slot.barrier[p]!;
        if (isDown ? S[p]! <= H : S[p]! >= H) {
          knocked[p] = 1;
          if (isOut) {
            cash[p]! += q * b.rebate;
            if (rec !== undefined && rec[p] !== 0)
              ledger!.record(p, view.step, t, 'settle', label(slot), -q, b.rebate, 0);
            qty[p] = 0;
            continue;
          }
        }
      }
      if (expiry[p]! - t <= EXPIRY_EPS) {
        const payoff = slot.payoff(p, S[p]!);
        cash[p]! += q * payoff;
        if (rec !== undefined && rec[p] !== 0)
          ledger!.record(p, view.step, t, 'settle', label(slot), -q, payoff, 0);
        qty[p] = 0;
        continue;
      }
      live++;
    }
    return live;
  }

  /**
   * Prices one slot's current contracts on every path (whatever the quantity): per-unit mark,
   * delta, gamma, vega and the vol used. Expired contracts get a dummy τ = 1 (their marks are
   * meaningless and zeroed by `mark`).
   */
  quoteOption(slot: OptionSlot, view: MarketView, vols: VolInput): void {
    const n = this.nPaths;
    const t = view.t;
    const expiry = slot.expiry;
    const tauOut = slot.tau;
    for (let p = 0; p < n; p++) {
      const tau = expiry[p]! - t;
      tauOut[p] = tau > EXPIRY_EPS ? tau : 1;
    }
    slot.rate.fill(view.rate);
    slot.carry.fill(this.assets[slot.asset]!.carry ?? 0);
    vols.fill(view, slot.asset, slot.strike, slot.tau, slot.vol);
    const input = {
      sign: slot.signs,
      spot: view.spot[slot.asset]!,
      strike: slot.strike,
      expiry: slot.tau,
      rate: slot.rate,
      vol: slot.vol,
      dividend: slot.carry,
    };
    const out = { price: slot.mark, delta: slot.delta, gamma: slot.gamma, vega: slot.vega };
    const b = slot.spec.barrier;
    if (!b) {
      blackBatch(input, out);
      return;
    }
    // The book monitors barriers at the grid's steps; the closed form assumes continuous monitoring.
    // Broadie–Glasserman–Kou: a discretely monitored barrier H is priced as a continuous one at
    // H·e^{±β σ √Δt}, β = −ζ(½)/√(2π) ≈ 0.5826, shifted away from the spot.
    const shift = BGK_BETA * Math.sqrt(view.horizon / view.nSteps); // monitoring interval of the grid
    const down = b.type === 'down-in' || b.type === 'down-out';
    for (let p = 0; p < n; p++) {
      const k = shift * slot.vol[p]!;
      slot.pricingBarrier[p] = slot.barrier[p]! * Math.exp(down ? -k : k);
    }
    barrierPriceBatch(
      { ...input, barrierType: slot.codes, barrier: slot.pricingBarrier, rebate: slot.rebates },
      out,
    );
    if (b.type !== 'down-in' && b.type !== 'up-in') return;
    // Knocked-in paths hold a vanilla: reprice those with the vanilla kernel.
    let anyIn = false;
    for (let p = 0; p < n; p++) if (slot.knocked[p]) anyIn = true;
    if (!anyIn) return;
    slot.knockedIn ??= {
      price: new Float64Array(n),
      delta: new Float64Array(n),
      gamma: new Float64Array(n),
      vega: new Float64Array(n),
    };
    const v = slot.knockedIn;
    blackBatch(input, v);
    for (let p = 0; p < n; p++) {
      if (!slot.knocked[p]) continue;
      slot.mark[p] = v.price[p]!;
      slot.delta[p] = v.delta[p]!;
      slot.gamma[p] = v.gamma[p]!;
      slot.vega[p] = v.vega[p]!;
    }
  }

  private markOption(slot: OptionSlot, view: MarketView, vols: VolInput, ledger: Ledger | undefined): void {
    const live = this.settleOption(slot, view, ledger);
    if (live > 0) this.quoteOption(slot, view, vols);
    const q = slot.qty;
    const { mark, delta, gamma, vega } = slot;
    const n = this.nPaths;
    for (let p = 0; p < n; p++) {
      if (q[p] === 0) {
        mark[p] = 0;
        delta[p] = 0;
        gamma[p] = 0;
        vega[p] = 0;
      }
    }
  }
}
