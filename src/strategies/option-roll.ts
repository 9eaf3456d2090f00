/**
 * The machinery shared by the option-based insurance strategies (protective put, put spread,
 * collar, barrier put): a risky sleeve plus, per sleeve asset, a fixed set of option legs opened
 * at strikes (and barriers) relative to the spot, held to expiry or rolled on a schedule.
 *
 * Per sleeve asset a and leg l (side sₗ = +1 long / −1 short, hedge ratio h), the structure costs
 * Πₐ = h·Σₗ sₗ·Pₐₗ per unit of the asset, with every leg priced by the book at the run's vol input.
 *
 * - Inception (step 0): all of V₀ buys sleeve + structure, uₐ·(Sₐ + Πₐ) = wₐ·V₀, and each leg holds
 *   sₗ·h·uₐ contracts (units of underlying) with strike kₗ·Sₐ, expiry t + tenor.
 * - Roll (first grid time ≥ k·interval, k = 1, 2, …, never at the horizon): every leg is closed at its
 *   mark and reopened at the new spot-relative strike. The new premium is paid from cash
 *   C = cash + Σ closed marks; if C is short, sleeve units are sold pro rata:
 *     λ = 1 if C ≥ Σₐ uₐΠₐ, else λ = (U + C)/(U + Σₐ uₐΠₐ), U = Σₐ uₐSₐ,
 *   and the new position is λ·uₐ units with sₗ·h·λ·uₐ contracts per leg (after the roll, cash = 0
 *   when λ < 1; leftover cash otherwise stays in cash, accruing at the short rate).
 * - Between rolls nothing trades; after an expiry without a roll the sleeve is held alone and the
 *   settlement sits in cash.
 *
 * Asset trades of an opening or roll are forced through the run's rebalancing policy
 * (`targets.force`); transaction costs are paid from cash on top (cash may then turn slightly
 * negative and accrue at the borrowing rate).
 *
 * References: J. C. Hull, Options, Futures and Other Derivatives (10th ed.), ch. 12 (trading
 * strategies with options); P. Bertrand & J.-L. Prigent, "Portfolio insurance strategies: OBPI
 * versus CPPI", Finance 26 (2005).
 */
import { DomainError, requirePositive } from '../core/errors.ts';
import type { MarketView } from '../market/market-view.ts';
import { type VolInput, volInput } from '../market/vol-input.ts';
import { type Book, type BookView, OptionSlot } from '../portfolio/book.ts';
import type { Targets } from '../portfolio/targets.ts';
import type { BarrierType } from '../pricing/barrier.ts';
import type { OptionType } from '../pricing/types.ts';
import { checkWeights } from './buy-and-hold.ts';
import type { Strategy } from './types.ts';

/** Roll schedule: hold to expiry ('none'), monthly (1/12 y), quarterly (1/4 y) or every x years. */
export type RollSchedule = 'none' | 'monthly' | 'quarterly' | number;

/** Tolerance when comparing grid times with roll dates, years. */
export const ROLL_EPS = 1e-9;

/**
 * Years between rolls of a schedule (Infinity for 'none' or undefined).
 * @throws DomainError if a numeric schedule is not finite and > 0
 * @example rollInterval('quarterly') // returns 0.25
 * References: hedgekit docs/strategies/protective-put.md.
 */
export function rollInterval(roll: RollSchedule | undefined): number {
  if (roll === undefined || roll === 'none') return Number.POSITIVE_INFINITY;
  if (roll === 'monthly') return 1 / 12;
  if (roll === 'quarterly') return 0.25;
  if (typeof roll !== 'number')
    throw new DomainError('roll', roll, "must be 'none', 'monthly', 'quarterly' or years > 0");
  requirePositive('roll', roll);
  return roll;
}

/** Short text of a roll schedule for display names: `monthly`, `every 0.5y`. */
export function rollLabel(roll: RollSchedule | undefined): string {
  if (roll === undefined || roll === 'none') return '';
  return typeof roll === 'number' ? ` roll ${roll}y` : ` ${roll}`;
}

/** A percentage for display names: 0.9 → `90%`, 0.925 → `92.5%`. */
export function pct(x: number): string {
  return `${Number((x * 100).toFixed(2))}%`;
}

/** One option leg of a sleeve structure, per unit of each sleeve asset. */
export interface OptionLeg {
  readonly type: OptionType;
  /** Strike as a fraction of the spot when the contract opens (0.9 = 90 %). */
  readonly strike: number;
  /** +1 long, −1 short. */
  readonly side: 1 | -1;
  /**
   * Single barrier: level as a fraction of the spot at opening; rebate as a fraction of the asset's
   * initial spot (`AssetSpec.spot`), paid per unit of underlying (at the hit for knock-outs, at expiry
   * for knock-ins never hit).
   */
  readonly barrier?: { readonly type: BarrierType; readonly level: number; readonly rebate: number };
  /** Label suffix for ledgers, e.g. `put 90%` (prefixed with the asset name). */
  readonly label: string;
}

/**
 * A strategy whose `init` also accepts the run's vol input (the option strategies size purchases with
 * it). The engine passes the run's vol input to `init`; `strategyVols` covers direct callers without one.
 */
export type PricingStrategy<S> = Strategy<S> & { init(view: MarketView, book: Book, vols?: VolInput): S };

/** Configuration of {@link optionSleeve}. */
export interface OptionSleeveConfig {
  readonly name: string;
  readonly kind: string;
  /** Sleeve weights over all assets, summing to 1. Shape: [nAssets]. */
  readonly weights: Float64Array;
  readonly legs: readonly OptionLeg[];
  /** Life of each contract from its opening, years, > 0. */
  readonly tenor: number;
  readonly roll?: RollSchedule;
  /** Contracts per unit held, per leg (default 1). */
  readonly hedgeRatio?: number;
}

/**
 * Per-chunk state of an option sleeve. Shape: premium[i], units[i]: [nPaths] for the i-th sleeve
 * asset; slots[i][l] the book slot index of leg l; scratch[i][l] an unbooked slot used to quote
 * contracts before they are opened.
 */
export interface OptionSleeveState {
  readonly book: Book;
  readonly vols: VolInput;
  /** Asset indices with a positive weight. */
  readonly assets: readonly number[];
  readonly slots: readonly (readonly number[])[];
  readonly scratch: readonly (readonly OptionSlot[])[];
  readonly premium: readonly Float64Array[];
  readonly units: readonly Float64Array[];
  /** Next roll time, years (Infinity without rolls). */
  nextRoll: number;
}

/**
 * The vol input strategies size their option purchases with: the run's own when the engine passes
 * it to `init`, else the model's instantaneous vol (identical to the book's marks when the run
 * prices with `{ kind: 'model' }`, or with a constant equal to the model's vol).
 */
export function strategyVols(vols: VolInput | undefined): VolInput {
  return vols ?? volInput({ kind: 'model' });
}

/**
 * Quotes a contract before it is opened: the caller writes `scratch.strike/expiry/barrier`; the book
 * fills `scratch.mark/delta/gamma/vega/vol` exactly as it will mark the opened contract.
 */
export function quoteProspective(book: Book, view: MarketView, vols: VolInput, scratch: OptionSlot): void {
  book.quoteOption(scratch, view, vols);
}

/** Validates a leg list against its owner's parameters (`where` names the strategy). */
function checkLegs(legs: readonly OptionLeg[], where: string): void {
  if (legs.length === 0) throw new DomainError(`${where}.legs`, 0, 'must hold at least one leg');
  for (const leg of legs) {
    requirePositive(`${where}.strike`, leg.strike);
    if (leg.barrier) {
      requirePositive(`${where}.barrier`, leg.barrier.level);
      if (!(Number.isFinite(leg.barrier.rebate) && leg.barrier.rebate >= 0))
        throw new DomainError(`${where}.rebate`, leg.barrier.rebate, 'must be >= 0');
    }
  }
}

/**
 * A sleeve with option legs on every asset of positive weight, held to expiry or rolled
 * (formulas in the file header).
 * @throws DomainError for invalid weights, strikes, barriers, tenor, roll or hedge ratio
 * @example optionSleeve({ name: 'put 90%', kind: 'protective-put', weights: Float64Array.of(1),
 *   legs: [{ type: 'put', strike: 0.9, side: 1, label: 'put 90%' }], tenor: 1 })
 *   // V₀ = 100, S₀ = 100, r = 0, σ = 20 %: P₀ = 3.5891, so 100/103.5891 = 0.96535 units and puts at 90
 * References: Hull (10th ed.) ch. 12; Bertrand & Prigent (2005).
 */
export function optionSleeve(cfg: OptionSleeveConfig): PricingStrategy<OptionSleeveState> {
  checkWeights(cfg.weights);
  checkLegs(cfg.legs, cfg.kind);
  requirePositive('tenor', cfg.tenor);
  const interval = rollInterval(cfg.roll);
  const h = cfg.hedgeRatio ?? 1;
  if (!(Number.isFinite(h) && h >= 0)) throw new DomainError('hedgeRatio', h, 'must be >= 0');
  const legs = cfg.legs;

  function open(
    view: MarketView,
    book: BookView,
    st: OptionSleeveState,
    targets: Targets,
    initial: boolean,
  ): void {
    const n = view.nPaths;
    const expiry = view.t + cfg.tenor;
    const na = st.assets.length;
    // 1. Quote the new contracts; premium[i] = Πₐ per unit of the asset.
    for (let i = 0; i < na; i++) {
      const a = st.assets[i]!;
      const S = view.spot[a]!;
      const prem = st.premium[i]!;
      prem.fill(0);
      for (let l = 0; l < legs.length; l++) {
        const leg = legs[l]!;
        const sc = st.scratch[i]![l]!;
        const H = leg.barrier ? leg.barrier.level : Number.NaN;
        for (let p = 0; p < n; p++) {
          sc.strike[p] = leg.strike * S[p]!;
          sc.expiry[p] = expiry;
          sc.barrier[p] = H * S[p]!;
        }
        quoteProspective(st.book, view, st.vols, sc);
        const k = leg.side * h;
        for (let p = 0; p < n; p++) prem[p]! += k * sc.mark[p]!;
      }
    }
    // 2. Units of each sleeve asset after the trade.
    if (initial) {
      for (let i = 0; i < na; i++) {
        const a = st.assets[i]!;
        const w = cfg.weights[a]!;
        const S = view.spot[a]!;
        const prem = st.premium[i]!;
        const u = st.units[i]!;
        for (let p = 0; p < n; p++) u[p] = (w * book.value[p]!) / (S[p]! + prem[p]!);
      }
    } else {
      for (let p = 0; p < n; p++) {
        let U = 0;
        let cost = 0;
        for (let i = 0; i < na; i++) {
          const a = st.assets[i]!;
          const u = book.units[a]![p]!;
          U += u * view.spot[a]![p]!;
          cost += u * st.premium[i]![p]!;
        }
        let C = book.cash[p]!;
        for (let i = 0; i < na; i++) {
          const row = st.slots[i]!;
          for (let l = 0; l < row.length; l++) {
            const slot = book.options[row[l]!]!;
            C += slot.qty[p]! * slot.mark[p]!;
          }
        }
        let lambda = 1;
        if (C < cost) {
          const total = U + cost;
          lambda = total > 0 ? (U + C) / total : 0;
          if (!(lambda > 0)) lambda = 0;
        }
        for (let i = 0; i < na; i++) st.units[i]![p] = lambda * book.units[st.assets[i]!]![p]!;
      }
    }
    // 3. Targets: sleeve units, and every leg reopened at its new strike / expiry / barrier.
    for (let i = 0; i < na; i++) {
      const a = st.assets[i]!;
      const u = st.units[i]!;
      targets.units[a]!.set(u);
      for (let l = 0; l < legs.length; l++) {
        const s = st.slots[i]![l]!;
        const sc = st.scratch[i]![l]!;
        const k = legs[l]!.side * h;
        targets.optionStrike[s]!.set(sc.strike);
        targets.optionExpiry[s]!.fill(expiry);
        targets.optionBarrier[s]!.set(sc.barrier);
        const q = targets.optionQty[s]!;
        for (let p = 0; p < n; p++) q[p] = k * u[p]!;
      }
    }
    targets.force.fill(1);
  }

  return {
    name: cfg.name,
    kind: cfg.kind,
    init(view: MarketView, book: Book, vols?: VolInput): OptionSleeveState {
      const n = view.nPaths;
      if (cfg.weights.length !== view.assets.length)
        throw new DomainError(
          'weights.length',
          cfg.weights.length,
          `must equal the number of assets (${view.assets.length})`,
        );
      const assets: number[] = [];
      for (let a = 0; a < cfg.weights.length; a++) if (cfg.weights[a]! > 0) assets.push(a);
      const slots: number[][] = [];
      const scratch: OptionSlot[][] = [];
      for (const a of assets) {
        const spec = view.assets[a]!;
        const row: number[] = [];
        const srow: OptionSlot[] = [];
        for (const leg of legs) {
          const slotSpec = {
            asset: a,
            type: leg.type,
            label: `${spec.name} ${leg.label}`,
            ...(leg.barrier
              ? { barrier: { type: leg.barrier.type, rebate: leg.barrier.rebate * spec.spot } }
              : {}),
          };
          row.push(book.addOptionSlot(slotSpec));
          srow.push(new OptionSlot(slotSpec, n));
        }
        slots.push(row);
        scratch.push(srow);
      }
      return {
        book,
        vols: strategyVols(vols),
        assets,
        slots,
        scratch,
        premium: assets.map(() => new Float64Array(n)),
        units: assets.map(() => new Float64Array(n)),
        nextRoll: interval,
      };
    },
    decide(view: MarketView, book: BookView, st: OptionSleeveState, targets: Targets): void {
      if (view.step === 0) {
        open(view, book, st, targets, true);
        return;
      }
      if (view.t < st.nextRoll - ROLL_EPS) return;
      while (st.nextRoll <= view.t + ROLL_EPS) st.nextRoll += interval;
      if (view.step >= view.nSteps) return; // no new contracts at the horizon
      open(view, book, st, targets, false);
    },
  };
}
