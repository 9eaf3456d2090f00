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
 * - Ratchet (optional, `ratchet: { trigger, step? }`): between rolls, a path whose asset rose by
 *   `trigger` above the level its legs were struck on re-strikes them higher on a ladder, financed
 *   by the same λ rule (option-ratchet.ts).
 *
 * Asset trades of an opening or roll are forced through the run's rebalancing policy
 * (`targets.force`); transaction costs are paid from cash on top (cash may then turn slightly
 * negative and accrue at the borrowing rate).
 *
 * References: J. C. Hull, Options, Futures and Other Derivatives (10th ed.), ch. 12 (trading
 * strategies with options); P. Bertrand & J.-L. Prigent, "Portfolio insurance strategies: OBPI
 * versus CPPI", Finance 26 (2005).
 */

import { z } from 'zod';
import { DomainError, requirePositive } from '../core/errors.ts';
import { positive } from '../core/schema.ts';
import { TIME_EPS } from '../core/time.ts';
import { checkWeights } from '../core/weights.ts';
import type { OptionTerms } from '../instruments/terms.ts';
import type { BookView } from '../portfolio/book.ts';
import { FIRST_ORDER, type GreeksBlock, greeksBlock, PRICE_DELTA } from '../portfolio/contract-pricer.ts';
import type { LineId } from '../portfolio/position-line.ts';
import type { StepContext } from '../portfolio/step-context.ts';
import type { TargetSink } from '../portfolio/target-sink.ts';
import type { BarrierType } from '../pricing/barrier.ts';
import type { OptionType } from '../pricing/types.ts';
import {
  type RatchetSpec,
  type RatchetState,
  ratchetDiagnostics,
  ratchetReport,
  ratchetState,
  ratchetStep,
  ratchetStepOf,
  resetRatchet,
} from './option-ratchet.ts';
import type { Strategy } from './types.ts';

/** Roll schedule: hold to expiry ('none'), monthly (1/12 y), quarterly (1/4 y) or every x years. */
export type RollSchedule = 'none' | 'monthly' | 'quarterly' | number;

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
}

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
  /** Rally tightening between rolls (option-ratchet.ts); default none. */
  readonly ratchet?: RatchetSpec;
}

/**
 * Per-chunk state of an option sleeve (plain data). Shape: premium[i], units[i], strike[i][l],
 * barrier[i][l], expiry: [nPaths] for the i-th sleeve asset and leg l; lines[i][l] the book line of
 * leg l (−1 before the first opening); quotes[i][l] the quote of the contract about to open.
 */
export interface OptionSleeveState {
  /** Asset indices with a positive weight. */
  readonly assets: readonly number[];
  /** Contract terms per sleeve asset and leg. */
  readonly terms: readonly (readonly OptionTerms[])[];
  readonly lines: LineId[][];
  readonly strike: readonly (readonly Float64Array[])[];
  readonly barrier: readonly (readonly Float64Array[])[];
  readonly quotes: readonly (readonly GreeksBlock[])[];
  readonly expiry: Float64Array;
  readonly premium: readonly Float64Array[];
  readonly units: readonly Float64Array[];
  /** Next roll time, years (Infinity without rolls). */
  nextRoll: number;
  /** Ratchet state (only with `ratchet`). */
  readonly ratchet?: RatchetState;
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
 *   legs: [{ type: 'put', strike: 0.9, side: 1 }], tenor: 1 })
 *   // V₀ = 100, S₀ = 100, r = 0, σ = 20 %: P₀ = 3.5891, so 100/103.5891 = 0.96535 units and puts at 90
 * References: Hull (10th ed.) ch. 12; Bertrand & Prigent (2005).
 */
export function optionSleeve(cfg: OptionSleeveConfig): Strategy<OptionSleeveState> {
  checkWeights(cfg.weights);
  checkLegs(cfg.legs, cfg.kind);
  requirePositive('tenor', cfg.tenor);
  const interval = rollInterval(cfg.roll);
  const h = cfg.hedgeRatio ?? 1;
  if (!(Number.isFinite(h) && h >= 0)) throw new DomainError('hedgeRatio', h, 'must be >= 0');
  const legs = cfg.legs;
  const ratchet = cfg.ratchet;
  const ladder = ratchet ? ratchetStepOf(ratchet) : 0;

  function open(
    view: StepContext,
    book: BookView,
    st: OptionSleeveState,
    targets: TargetSink,
    initial: boolean,
  ): void {
    const n = view.nPaths;
    const expiry = view.t + cfg.tenor;
    st.expiry.fill(expiry);
    const na = st.assets.length;
    // 1. Quote the new contracts; premium[i] = Πₐ per unit of the asset.
    for (let i = 0; i < na; i++) {
      const a = st.assets[i];
      const S = view.spot[a];
      const prem = st.premium[i];
      prem.fill(0);
      for (let l = 0; l < legs.length; l++) {
        const leg = legs[l];
        const K = st.strike[i][l];
        const B = st.barrier[i][l];
        const H = leg.barrier ? leg.barrier.level : Number.NaN;
        for (let p = 0; p < n; p++) {
          K[p] = leg.strike * S[p];
          B[p] = H * S[p];
        }
        const q = st.quotes[i][l];
        view.quotes.quote(st.terms[i][l], K, st.expiry, FIRST_ORDER, q, B);
        const k = leg.side * h;
        for (let p = 0; p < n; p++) prem[p] += k * q.price[p];
      }
    }
    // 2. Units of each sleeve asset after the trade.
    if (initial) {
      for (let i = 0; i < na; i++) {
        const a = st.assets[i];
        const w = cfg.weights[a];
        const S = view.spot[a];
        const prem = st.premium[i];
        const u = st.units[i];
        for (let p = 0; p < n; p++) u[p] = (w * book.value[p]) / (S[p] + prem[p]);
      }
    } else {
      for (let p = 0; p < n; p++) {
        let U = 0;
        let cost = 0;
        for (let i = 0; i < na; i++) {
          const a = st.assets[i];
          const u = book.units[a][p];
          U += u * view.spot[a][p];
          cost += u * st.premium[i][p];
        }
        let C = book.cash[p];
        for (let i = 0; i < na; i++) {
          const row = st.lines[i];
          for (let l = 0; l < row.length; l++) {
            if (st.ratchet) {
              const ids = st.ratchet.lines[i][l];
              for (let k = 0; k < ids.length; k++) {
                const line = book.line(ids[k]);
                if (line) C += line.qty[p] * line.greeks.price[p];
              }
              continue;
            }
            const line = book.line(row[l]);
            if (line) C += line.qty[p] * line.greeks.price[p];
          }
        }
        let lambda = 1;
        if (C < cost) {
          const total = U + cost;
          lambda = total > 0 ? (U + C) / total : 0;
          if (!(lambda > 0)) lambda = 0;
        }
        for (let i = 0; i < na; i++) st.units[i][p] = lambda * book.units[st.assets[i]][p];
      }
    }
    // 3. Targets: sleeve units, and every leg closed and reopened at its new strike / expiry / barrier.
    for (let i = 0; i < na; i++) {
      const a = st.assets[i];
      const u = st.units[i];
      targets.setUnits(a, u);
      for (let l = 0; l < legs.length; l++) {
        const old = st.lines[i][l];
        if (st.ratchet) for (const id of st.ratchet.lines[i][l]) targets.close(id);
        else if (old >= 0) targets.close(old);
        const id = targets.open(st.terms[i][l], st.strike[i][l], expiry, st.barrier[i][l]);
        st.lines[i][l] = id;
        const k = legs[l].side * h;
        const q = targets.qty(id);
        for (let p = 0; p < n; p++) q[p] = k * u[p];
      }
      if (st.ratchet && ratchet) resetRatchet(st.ratchet, i, view.spot[a], ratchet.trigger, st.lines[i]);
    }
    targets.force.fill(1);
  }

  return {
    name: cfg.name,
    kind: cfg.kind,
    greeks: PRICE_DELTA, // reads the lines' marks only
    init(view: StepContext, _book: BookView): OptionSleeveState {
      const n = view.nPaths;
      if (cfg.weights.length !== view.assets.length)
        throw new DomainError(
          'weights.length',
          cfg.weights.length,
          `must equal the number of assets (${view.assets.length})`,
        );
      const assets: number[] = [];
      for (let a = 0; a < cfg.weights.length; a++) if (cfg.weights[a] > 0) assets.push(a);
      const f = () => new Float64Array(n);
      return {
        assets,
        terms: assets.map((a) =>
          legs.map(
            (leg): OptionTerms => ({
              kind: 'option',
              asset: a,
              type: leg.type,
              style: 'european',
              ...(leg.barrier
                ? { barrier: { type: leg.barrier.type, rebate: leg.barrier.rebate * view.assets[a].spot } }
                : {}),
            }),
          ),
        ),
        lines: assets.map(() => legs.map(() => -1)),
        strike: assets.map(() => legs.map(f)),
        barrier: assets.map(() => legs.map(f)),
        quotes: assets.map(() => legs.map(() => greeksBlock(n))),
        expiry: f(),
        premium: assets.map(f),
        units: assets.map(f),
        nextRoll: interval,
        ...(ratchet ? { ratchet: ratchetState(assets.length, legs.length, n) } : {}),
      };
    },
    decide(view: StepContext, book: BookView, st: OptionSleeveState, targets: TargetSink): void {
      if (view.step === 0) {
        open(view, book, st, targets, true);
        return;
      }
      if (view.t < st.nextRoll - TIME_EPS) {
        if (ratchet && !view.final) ratchetStep(ratchet, ladder, legs, h, view, book, st, targets);
        return;
      }
      while (st.nextRoll <= view.t + TIME_EPS) st.nextRoll += interval;
      if (view.final) return; // no new contracts at the end of the source
      open(view, book, st, targets, false);
    },
    ...(ratchet ? { diagnostics: ratchetDiagnostics, report: ratchetReport } : {}),
  };
}

/** Schema of a roll schedule entry (scenario files). */
export const rollSchema = () =>
  z
    .union([z.enum(['none', 'monthly', 'quarterly']), positive()])
    .optional()
    .describe("'none' | 'monthly' | 'quarterly' | years between rolls; default 'none' (hold to expiry).");

/** Schema of an option tenor entry: years; the scenario horizon when omitted. */
export const tenorSchema = () =>
  positive().optional().describe('Option tenor, years; default the scenario horizon.');
