/**
 * Gamma scalping: a long option set — a straddle (call + put at one strike), a strangle (put at
 * K₁ < call at K₂) or any list of bought legs — delta-hedged with the underlying, held to expiry or
 * re-bought at the new spot every `roll` years. The book is long gamma and pays theta: each hedge
 * trade sells after a rise and buys after a fall, locking in part of the move.
 *
 * Per asset a and path, with Δ_book = Σ_legs qty·Δ(σ_h) over the legs on a:
 *   hedge target  uₐ = −Δ_book
 *   σ_h = the run's pricing vol (the lines' marked delta, `hedgeVol: 'implied'`) or a chosen
 *         hedging vol (Δ recomputed from each line's strike and expiry with blackBatch).
 * P&L of one step [t, t + dt] of the book hedged at the pricing vol σᵢ (Black-Scholes theta at σᵢ,
 * financing at r of option and hedge, drift r):
 *   dP&L ≈ ½·Γ·S²·(dS²/S² − σᵢ²·dt)   →   E[dP&L] = ½·Γ·S²·(σᵣ² − σᵢ²)·dt
 * (σᵣ the realised vol). Ahmad & Wilmott: hedged at implied vol the present-value P&L is
 * ½(σᵣ² − σᵢ²)∫₀ᵀ e^{−rt}S²Γᵢ dt (path dependent, of mean V(σᵣ) − V(σᵢ)); hedged at the realised
 * vol it is V(σᵣ) − V(σᵢ) plus a discrete-hedging error of sd ∝ 1/√N for N rebalances.
 *
 * When the hedge trades is the run's rebalancing policy (calendar, `deltaBand`), or the strategy's
 * own `band`: trade only where |Δ_book + units| > band × notional (notional = Σ|qty| of the legs on
 * the asset) — it becomes the strategy's `rebalance: { deltaBand: band }` and combines with the
 * run's policies field by field. Rolls (close every leg at its mark, buy the legs again at strikes
 * relative to the new spot and expiries t + tenor) are forced through the policy.
 *
 * Units: strikes fractions of the spot when a leg is bought; expiries and `roll` years; quantities
 * units of underlying (> 0: bought); `hedgeVol` annualised decimal; `band` a fraction of notional.
 *
 * References: R. Ahmad & P. Wilmott, "Which free lunch would you like today, Sir?", Wilmott
 * Magazine (Nov 2005); E. Sinclair, Volatility Trading (2nd ed., 2013); N. N. Taleb,
 * Dynamic Hedging (1997); A. E. Whalley & P. Wilmott, Mathematical Finance 7(3) (1997) 307–324.
 * Formulas and parameters: docs/strategies/gamma-scalp.md.
 */
import { z } from 'zod';
import { DomainError, requirePositive } from '../core/errors.ts';
import { positive } from '../core/schema.ts';
import { TIME_EPS } from '../core/time.ts';
import type { BookView } from '../portfolio/book.ts';
import { FIRST_ORDER, type GreeksBlock, greeksBlock, PRICE_DELTA } from '../portfolio/contract-pricer.ts';
import type { LineId } from '../portfolio/position-line.ts';
import type { StepContext } from '../portfolio/step-context.ts';
import type { TargetSink } from '../portfolio/target-sink.ts';
import { defineStrategy } from './definition.ts';
import {
  bookAssets,
  checkLegs,
  legTerms,
  lineDeltaAtVol,
  type OptionLeg,
  OptionLegSchema,
  resolveLegs,
} from './option-book.ts';
import { tenorSchema } from './option-roll.ts';
import type { Strategy } from './types.ts';

export interface GammaScalpParams {
  /** The bought legs (quantity > 0); strikes fractions of the spot when bought, expiries years. */
  readonly legs: readonly OptionLeg[];
  /** Re-buy every leg at the new spot every `roll` years (default: hold to expiry). */
  readonly roll?: number;
  /** 'implied' (default): the lines' marked delta; a number: delta at that vol (annual decimal). */
  readonly hedgeVol?: 'implied' | number;
  /** Own no-trade band: hedge only where |Δ_book + units| > band × Σ|qty| (fraction, > 0). */
  readonly band?: number;
  readonly name?: string;
}

/** Per-chunk state (plain data). Shape: every array [nPaths]. */
export interface GammaScalpState {
  /** The held legs' lines, in `legs` order (−1 before the first purchase). */
  lines: LineId[];
  /** The step at which the held lines were bought (their quantities are not booked yet then). */
  openedAt: number;
  /** Time of the next roll, years (Infinity: hold to expiry). */
  nextRoll: number;
  readonly delta: Float64Array;
  readonly quote: GreeksBlock;
  readonly strike: Float64Array;
  readonly expiry: Float64Array;
  readonly tau: Float64Array;
  readonly sign: Int8Array;
  readonly rate: Float64Array;
  readonly carry: Float64Array;
  readonly hedgeVol: Float64Array;
}

/**
 * A straddle: a call and a put at the same strike.
 * @example straddleLegs(0, 1, 0.25, 1) // [{ asset: 0, type: 'call', strike: 1, expiry: 0.25, quantity: 1 }, { …put }]
 */
export function straddleLegs(asset: number, strike: number, tenor: number, quantity: number): OptionLeg[] {
  return [
    { asset, type: 'call', strike, expiry: tenor, quantity },
    { asset, type: 'put', strike, expiry: tenor, quantity },
  ];
}

/**
 * A strangle: a put at `putStrike` below a call at `callStrike`.
 * @throws DomainError unless putStrike < callStrike
 * @example strangleLegs(0, 0.95, 1.05, 0.25, 1) // put K = 95 %, call K = 105 %
 */
export function strangleLegs(
  asset: number,
  putStrike: number,
  callStrike: number,
  tenor: number,
  quantity: number,
): OptionLeg[] {
  if (!(putStrike < callStrike))
    throw new DomainError('putStrike', putStrike, `must be below callStrike (${callStrike})`);
  return [
    { asset, type: 'put', strike: putStrike, expiry: tenor, quantity },
    { asset, type: 'call', strike: callStrike, expiry: tenor, quantity },
  ];
}

/**
 * A delta-hedged long option set (formulas in the file header).
 * @throws DomainError for no legs, a leg not bought (quantity ≤ 0), an invalid roll, hedgeVol or band
 * @example gammaScalp({ legs: straddleLegs(0, 1, 1, 1), hedgeVol: 0.4 })
 *   // S = K = 100, T = 1, r = 5 %, bought at 20 %, realised 40 %: mean PV P&L ≈ 2 × 7.5724
 * References: Ahmad & Wilmott (2005); Sinclair, Volatility Trading (2nd ed.); Taleb (1997).
 */
export function gammaScalp(params: GammaScalpParams): Strategy<GammaScalpState> {
  const legs = params.legs;
  if (legs.length === 0) throw new DomainError('legs', legs.length, 'must list at least one leg');
  for (const leg of legs) {
    requirePositive('expiry', leg.expiry);
    requirePositive('strike', leg.strike);
    if (!(leg.quantity > 0)) throw new DomainError('quantity', leg.quantity, 'must be > 0 (a bought leg)');
  }
  const roll = params.roll ?? Number.POSITIVE_INFINITY;
  if (params.roll !== undefined) requirePositive('roll', params.roll);
  const hedgeVol = params.hedgeVol ?? 'implied';
  if (hedgeVol !== 'implied') requirePositive('hedgeVol', hedgeVol);
  if (params.band !== undefined) requirePositive('band', params.band);
  const assets = bookAssets(legs);

  /** Σ qty·Δ over the held legs on `asset`, at the hedging vol, into st.delta. */
  function bookDelta(ctx: StepContext, book: BookView, st: GammaScalpState, asset: number): void {
    const n = ctx.nPaths;
    const D = st.delta;
    D.fill(0);
    const fresh = ctx.step === st.openedAt;
    for (let j = 0; j < legs.length; j++) {
      const leg = legs[j];
      if (leg.asset !== asset) continue;
      const line = book.line(st.lines[j]);
      if (!line) continue; // settled: nothing left to hedge
      let d: Float64Array;
      if (hedgeVol === 'implied') {
        if (fresh) {
          // Bought this step: not marked yet, so ask the quote service for the mark to come.
          ctx.quotes.quote(legTerms(leg), line.strike, line.expiry, FIRST_ORDER, st.quote);
          d = st.quote.delta;
        } else d = line.greeks.delta;
      } else {
        d = lineDeltaAtVol(ctx, line, st.hedgeVol, st);
      }
      const q = line.qty;
      for (let p = 0; p < n; p++) {
        const qty = fresh ? leg.quantity : q[p];
        if (qty !== 0) D[p] += qty * d[p];
      }
    }
  }

  return {
    name: params.name ?? 'gamma scalp',
    kind: 'gamma-scalp',
    greeks: PRICE_DELTA, // hedges with the lines' Δ (or its own Δ at the hedging vol)
    ...(params.band !== undefined ? { rebalance: { deltaBand: params.band } } : {}),
    init(ctx: StepContext): GammaScalpState {
      const n = ctx.nPaths;
      const f = () => new Float64Array(n);
      return {
        lines: legs.map(() => -1),
        openedAt: -1,
        nextRoll: roll,
        delta: f(),
        quote: greeksBlock(n),
        strike: f(),
        expiry: f(),
        tau: f(),
        sign: new Int8Array(n),
        rate: f(),
        carry: f(),
        hedgeVol: f().fill(hedgeVol === 'implied' ? Number.NaN : hedgeVol),
      };
    },
    decide(ctx: StepContext, book: BookView, st: GammaScalpState, targets: TargetSink): void {
      const n = ctx.nPaths;
      const first = ctx.step === 0;
      const rollNow = !first && !ctx.final && ctx.t >= st.nextRoll - TIME_EPS;
      if (first || rollNow) {
        if (rollNow) {
          for (const id of st.lines) targets.close(id);
          while (st.nextRoll <= ctx.t + TIME_EPS) st.nextRoll += roll;
          targets.force.fill(1); // the roll trades whatever the calendar or band says
        }
        for (let j = 0; j < legs.length; j++) {
          const leg = legs[j];
          const S = ctx.spot[leg.asset];
          for (let p = 0; p < n; p++) st.strike[p] = leg.strike * S[p];
          st.expiry.fill(ctx.t + leg.expiry);
          const id = targets.open(legTerms(leg), st.strike, st.expiry);
          targets.qty(id).fill(leg.quantity);
          st.lines[j] = id;
        }
        st.openedAt = ctx.step;
      }
      for (const a of assets) {
        bookDelta(ctx, book, st, a);
        const target = targets.units(a);
        const D = st.delta;
        for (let p = 0; p < n; p++) target[p] = -D[p];
      }
    },
  };
}

/** The registry entry of the gamma scalp. */
export const gammaScalpDefinition = defineStrategy({
  kind: 'gamma-scalp',
  summary: 'A long straddle, strangle or option set delta-hedged at implied or a chosen vol (long gamma).',
  sleeve: false,
  shape: {
    asset: z
      .string()
      .optional()
      .describe("Underlying of a straddle or strangle; default the portfolio's first."),
    structure: z.enum(['straddle', 'strangle']).default('straddle').describe('The long option set.'),
    strike: positive().default(1).describe('Straddle strike, fraction of the spot when bought.'),
    putStrike: positive().default(0.95).describe('Strangle put strike, fraction of the spot.'),
    callStrike: positive().default(1.05).describe('Strangle call strike, fraction of the spot.'),
    tenor: tenorSchema(),
    quantity: positive().default(1).describe('Options per leg, units of underlying.'),
    legs: z
      .array(OptionLegSchema)
      .min(1, { error: 'must list at least one leg' })
      .optional()
      .describe('An explicit long option set (overrides structure, strikes, tenor and quantity).'),
    roll: positive()
      .optional()
      .describe('Re-buy the legs at the new spot every `roll` years (default: hold to expiry).'),
    hedgeVol: z
      .union([z.literal('implied'), positive()])
      .default('implied')
      .describe("Vol of the hedge ratio: 'implied' (the pricing vol) or an annual decimal (0.4)."),
    band: positive().optional().describe('Hedge only when |book delta + units| > band × the legs’ notional.'),
  },
  label: (p) =>
    `gamma scalp ${p.legs ? 'legs' : p.structure}${typeof p.hedgeVol === 'number' ? ` @${p.hedgeVol}` : ''}${p.band ? ` band ${p.band}` : ''}`,
  check(p, ctx, issue) {
    const names = ctx.assets.map((a) => a.name);
    if (p.asset !== undefined && !names.includes(p.asset))
      issue(['asset'], `must name an asset (${names.join(', ')})`, p.asset);
    if (p.legs) {
      checkLegs(p.legs, ctx, issue);
      p.legs.forEach((l, i) => {
        if (l.quantity <= 0)
          issue(['legs', i, 'quantity'], 'must be > 0 (a gamma scalp buys its legs)', l.quantity);
      });
    } else if (p.structure === 'strangle' && !(p.putStrike < p.callStrike))
      issue(['putStrike'], `must be below callStrike (${p.callStrike})`, p.putStrike);
    const shortest = p.legs ? Math.min(...p.legs.map((l) => l.expiry)) : (p.tenor ?? ctx.horizon);
    if (p.roll !== undefined && p.roll > shortest + TIME_EPS)
      issue(['roll'], `must be <= the shortest leg's life (${shortest})`, p.roll);
  },
  create(p, ctx, name) {
    const asset = p.asset === undefined ? 0 : ctx.assets.findIndex((a) => a.name === p.asset);
    const tenor = p.tenor ?? ctx.horizon;
    const legs = p.legs
      ? resolveLegs(p.legs, ctx.assets)
      : p.structure === 'strangle'
        ? strangleLegs(asset, p.putStrike, p.callStrike, tenor, p.quantity)
        : straddleLegs(asset, p.strike, tenor, p.quantity);
    return gammaScalp({
      name,
      legs,
      hedgeVol: p.hedgeVol,
      ...(p.roll !== undefined ? { roll: p.roll } : {}),
      ...(p.band !== undefined ? { band: p.band } : {}),
    });
  },
});
