/**
 * Book delta hedge: an option book — calls and puts at several strikes and expiries on several
 * assets, long or short — opened at inception and delta-hedged with the underlying or with
 * forwards until it expires.
 *
 * Per asset a and path, with Δ_book = Σ_legs qty·Δ (the book's net delta at the run's pricing vol):
 *   hedge target  uₐ = −Δ_book                                    (underlying)
 *                 fₐ = −Δ_book / e^{−q·τ_f}                       (forwards of life τ_f, rolled)
 * When targets trade is the rebalancing policy's decision (calendar, delta band) — or, with
 * `band: whalley-wilmott`, the strategy's own no-transaction band around −Δ_book:
 *   w = (3/2 · c · S · Γ_book² / a)^{1/3},  u' = clamp(u, −Δ_book − w, −Δ_book + w)
 * (Γ_book the book's net gamma, c the proportional cost rate, a the risk aversion).
 * With `leland`, the hedge ratios are the deltas at Leland's adjusted vol
 *   σ̂² = σ²·(1 ± √(2/π)·k/(σ√Δt))  (+ for written legs, − for bought legs),
 * k the round-trip cost and Δt the rebalancing interval.
 *
 * References: J. C. Hull, Options, Futures and Other Derivatives (10th ed.), ch. 19; A. E. Whalley &
 * P. Wilmott, Mathematical Finance 7(3) (1997) 307–324; H. E. Leland, Journal of Finance 40(5)
 * (1985) 1283–1301. Formulas and parameters: docs/strategies/book-delta-hedge.md.
 */
import { z } from 'zod';
import { obj, positive } from '../core/schema.ts';
import { TIME_EPS } from '../core/time.ts';
import { lelandVolBatch } from '../hedging/leland.ts';
import { whalleyWilmottBatch } from '../hedging/whalley-wilmott.ts';
import type { BookView } from '../portfolio/book.ts';
import { type GreeksBlock, greeksBlock, PRICE_DELTA } from '../portfolio/contract-pricer.ts';
import type { HedgeGreek } from '../portfolio/plan-observer.ts';
import type { LineId } from '../portfolio/position-line.ts';
import type { StepContext } from '../portfolio/step-context.ts';
import type { TargetSink } from '../portfolio/target-sink.ts';
import { defineStrategy } from './definition.ts';
import {
  bookAssets,
  checkLegs,
  lineDeltaAtVol,
  linesExposure,
  type OptionLeg,
  openBook,
  optionBookSchema,
  quotedExposure,
  resolveLegs,
} from './option-book.ts';
import type { Strategy } from './types.ts';

export interface BookDeltaHedgeParams {
  readonly legs: readonly OptionLeg[];
  /** Hedge with the underlying (default) or with forwards of life `forwardTenor`, rolled at expiry. */
  readonly hedgeWith?: 'underlying' | 'forward';
  /** Life of each hedging forward, years (default 0.25). */
  readonly forwardTenor?: number;
  /** Whalley–Wilmott no-transaction band: proportional cost c and risk aversion a. */
  readonly whalleyWilmott?: { readonly cost: number; readonly riskAversion: number };
  /** Hedge at Leland's adjusted vol: round-trip cost k and rebalancing interval Δt (years). */
  readonly leland?: { readonly roundTripCost: number; readonly dt: number };
  readonly name?: string;
}

/** Per-chunk state (plain data). Shape: every array [nPaths]; per-asset arrays in `assets` order. */
export interface BookDeltaHedgeState {
  lines: LineId[];
  /** Forward line per hedged asset (−1 none). */
  forwards: LineId[];
  readonly exposure: GreeksBlock;
  readonly quote: GreeksBlock;
  readonly strike: Float64Array;
  readonly expiry: Float64Array;
  readonly target: Float64Array;
  readonly hat: Float64Array;
  readonly sign: Int8Array;
  readonly rate: Float64Array;
  readonly carry: Float64Array;
  readonly tau: Float64Array;
}

/**
 * A delta-hedged option book (formulas in the file header).
 * @example bookDeltaHedge({ legs: [{ asset: 0, type: 'call', strike: 1, expiry: 0.5, quantity: -10 }] })
 * References: Hull (10th ed.) ch. 19; Whalley & Wilmott (1997); Leland (1985).
 */
export function bookDeltaHedge(params: BookDeltaHedgeParams): Strategy<BookDeltaHedgeState> {
  const legs = params.legs;
  const assets = bookAssets(legs);
  const forwardTenor = params.forwardTenor ?? 0.25;
  const useForwards = params.hedgeWith === 'forward';
  const lastExpiry = Math.max(...legs.map((l) => l.expiry));

  /** Σ qty·Δ at Leland's vol over the book's lines on `asset` (written legs up, bought legs down). */
  function lelandDelta(ctx: StepContext, book: BookView, st: BookDeltaHedgeState, asset: number): void {
    const { roundTripCost: k, dt } = params.leland!;
    const n = ctx.nPaths;
    st.exposure.delta.fill(0);
    for (const id of st.lines) {
      const line = book.line(id);
      if (!line || line.terms.asset !== asset || line.terms.kind !== 'option') continue;
      const q = line.qty;
      const written = q[0] < 0;
      lelandVolBatch(line.vol, k, dt, st.hat, written ? 'writer' : 'buyer');
      const d = lineDeltaAtVol(ctx, line, st.hat, st);
      for (let p = 0; p < n; p++) if (q[p] !== 0) st.exposure.delta[p] += q[p] * d[p];
    }
  }

  return {
    name: params.name ?? 'book delta hedge',
    kind: 'book-delta-hedge',
    // The lines' Δ; Whalley–Wilmott's band also reads the book's Γ.
    greeks: params.whalleyWilmott ? { gamma: true } : PRICE_DELTA,
    // Quantities, Δ (Γ for the band, the pricing vol for Leland): never the value or a price.
    readsValue: false,
    init(ctx: StepContext): BookDeltaHedgeState {
      const n = ctx.nPaths;
      const f = () => new Float64Array(n);
      return {
        lines: [],
        forwards: assets.map(() => -1),
        exposure: greeksBlock(n),
        quote: greeksBlock(n),
        strike: f(),
        expiry: f(),
        target: f(),
        hat: f(),
        sign: new Int8Array(n),
        rate: f(),
        carry: f(),
        tau: f(),
      };
    },
    decide(ctx: StepContext, book: BookView, st: BookDeltaHedgeState, targets: TargetSink): void {
      const n = ctx.nPaths;
      const first = ctx.step === 0;
      if (first) st.lines = openBook(ctx, legs, targets, st.strike);
      const done = ctx.t >= lastExpiry - TIME_EPS;
      for (let j = 0; j < assets.length; j++) {
        const a = assets[j];
        const S = ctx.spot[a];
        // The book's net Greeks on this asset (quotes before the first mark).
        if (first) quotedExposure(ctx, legs, a, st.exposure, st);
        else linesExposure(book, st.lines, a, st.exposure);
        if (params.leland && !first) lelandDelta(ctx, book, st, a);
        const target = st.target;
        const D = st.exposure.delta;
        for (let p = 0; p < n; p++) target[p] = done ? 0 : -D[p];
        if (params.whalleyWilmott && !first && !done) {
          const held = useForwards ? forwardUnits(book, st.forwards[j], n, st.hat) : book.units[a];
          whalleyWilmottBatch(
            { prevHedge: held, delta: target, gamma: st.exposure.gamma, spot: S },
            params.whalleyWilmott,
            target,
          );
        }
        if (!useForwards) {
          targets.setUnits(a, target);
          if (ctx.plans) reportPlan(ctx, st, a, -1);
          continue;
        }
        // Forwards: roll the expiring one, size the live one to the target (per unit Δ = e^{−qτ}).
        let fw = st.forwards[j];
        const line = fw >= 0 ? book.line(fw) : undefined;
        if (!done && (!line || line.expiry[0] - ctx.t <= TIME_EPS)) {
          if (line) targets.close(fw);
          fw = targets.open({ kind: 'forward', asset: a }, Number.NaN, ctx.t + forwardTenor);
          st.forwards[j] = fw;
        }
        if (fw < 0) continue;
        const live = book.line(fw);
        const q = ctx.assets[a].carry ?? 0;
        const qty = targets.qty(fw);
        for (let p = 0; p < n; p++) {
          const tau = live ? live.expiry[p] - ctx.t : forwardTenor;
          qty[p] = target[p] / Math.exp(-q * tau);
        }
        if (ctx.plans) reportPlan(ctx, st, a, fw);
      }
    },
  };

  /**
   * Reports the asset's solve to the live book's plan observer: Δ set to 0 (at Leland's vol with
   * `leland`), or with the Whalley–Wilmott band to Δ_book + u' (the band's nearest edge when the
   * hedge was outside it). Scratch `hat` receives the aim.
   */
  function reportPlan(ctx: StepContext, st: BookDeltaHedgeState, a: number, instrument: LineId): void {
    const method = params.whalleyWilmott ? 'whalley-wilmott' : params.leland ? 'leland' : 'delta';
    let aim: Float64Array | undefined;
    if (params.whalleyWilmott) {
      aim = st.hat;
      for (let p = 0; p < ctx.nPaths; p++) aim[p] = st.exposure.delta[p] + st.target[p];
    }
    ctx.plans?.solved({
      asset: a,
      method,
      solves: DELTA,
      instruments: [instrument],
      ...(aim ? { aim } : {}),
    });
  }
}

const DELTA: readonly HedgeGreek[] = ['delta'];

/** Units of underlying a forward line's position amounts to (its delta), into `out`. */
function forwardUnits(book: BookView, id: LineId, n: number, out: Float64Array): Float64Array {
  const line = id >= 0 ? book.line(id) : undefined;
  for (let p = 0; p < n; p++) out[p] = line ? line.qty[p] * line.greeks.delta[p] : 0;
  return out;
}

/** The registry entry of the book delta hedge. */
export const bookDeltaHedgeDefinition = defineStrategy({
  kind: 'book-delta-hedge',
  summary: 'An option book (strikes × expiries × assets) delta-hedged with the underlying or forwards.',
  sleeve: false,
  shape: {
    book: optionBookSchema(),
    hedgeWith: z.enum(['underlying', 'forward']).default('underlying').describe('The hedging instrument.'),
    forwardTenor: positive()
      .default(0.25)
      .describe('Life of each hedging forward, years (rolled at expiry).'),
    band: obj({
      kind: z.literal('whalley-wilmott'),
      cost: positive().describe('Proportional cost rate c of the hedge trades (0.001 = 10 bp).'),
      riskAversion: positive().describe('Risk aversion a of the exponential utility.'),
    })
      .optional()
      .describe('A no-transaction band around the delta (default: the rebalancing policy alone).'),
    leland: obj({
      roundTripCost: positive().describe('Round-trip proportional cost k (0.01 = 1 %).'),
      dt: positive().describe('Rebalancing interval Δt, years (1/252 daily).'),
    })
      .optional()
      .describe("Hedge at Leland's transaction-cost-adjusted vol."),
  },
  label: (p) =>
    `book delta hedge${p.band ? ' WW' : ''}${p.leland ? ' Leland' : ''}${p.hedgeWith === 'forward' ? ' (forwards)' : ''}`,
  check: (p, ctx, issue) => checkLegs(p.book, ctx, issue),
  create: (p, ctx, name) =>
    bookDeltaHedge({
      name,
      legs: resolveLegs(p.book, ctx.assets),
      hedgeWith: p.hedgeWith,
      forwardTenor: p.forwardTenor,
      ...(p.band ? { whalleyWilmott: { cost: p.band.cost, riskAversion: p.band.riskAversion } } : {}),
      ...(p.leland ? { leland: p.leland } : {}),
    }),
});
