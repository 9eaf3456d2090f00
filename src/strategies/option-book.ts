/**
 * An option book as strategy input: legs on several assets (calls and puts at several strikes and
 * expiries, long or short), opened at inception at the quote service's prices and held to expiry —
 * the position the book-hedging strategies (book-delta-hedge.ts, greek-hedge.ts) hedge.
 *
 * Units: strike a fraction of the asset's spot at inception; expiry years from inception; quantity
 * units of underlying (negative = written, the premium received into cash).
 */
import { z } from 'zod';
import { num, obj, positive } from '../core/schema.ts';
import { TIME_EPS } from '../core/time.ts';
import type { OptionTerms } from '../instruments/terms.ts';
import type { AssetSpec } from '../market/asset.ts';
import type { BookView } from '../portfolio/book.ts';
import { addPositionGreeks, FIRST_ORDER, type GreeksBlock } from '../portfolio/contract-pricer.ts';
import type { LineId, PositionLineView } from '../portfolio/position-line.ts';
import type { StepContext } from '../portfolio/step-context.ts';
import type { TargetSink } from '../portfolio/target-sink.ts';
import { blackBatch } from '../pricing/black-scholes.ts';
import type { IssueSink, ScenarioContext } from './definition.ts';

/** One leg of the book as written in a scenario file. */
export const OptionLegSchema = obj({
  asset: z.string().describe('Name of the underlying asset.'),
  type: z.enum(['call', 'put']),
  strike: positive().describe('Strike, fraction of the spot at inception.'),
  expiry: positive().describe('Expiry, years from inception.'),
  quantity: num()
    .refine((x) => x !== 0, { error: 'must be non-zero' })
    .describe('Units of underlying; negative = written.'),
});

/** The schema of a book: one or more legs. */
export const optionBookSchema = () =>
  z
    .array(OptionLegSchema)
    .min(1, { error: 'must list at least one leg' })
    .describe('The option book to hedge.');

export type OptionLegEntry = z.output<typeof OptionLegSchema>;

/** A leg with its asset resolved to an index. */
export interface OptionLeg {
  readonly asset: number;
  readonly type: 'call' | 'put';
  /** Fraction of the spot at inception. */
  readonly strike: number;
  readonly expiry: number;
  readonly quantity: number;
}

/** Checks that every leg names an asset of the scenario. */
export function checkLegs(legs: readonly OptionLegEntry[], ctx: ScenarioContext, issue: IssueSink): void {
  const names = ctx.assets.map((a) => a.name);
  legs.forEach((l, i) => {
    if (!names.includes(l.asset))
      issue(['book', i, 'asset'], `must name an asset (${names.join(', ')})`, l.asset);
  });
}

/** Resolves asset names to indices (the schema check guarantees they exist). */
export function resolveLegs(legs: readonly OptionLegEntry[], assets: readonly AssetSpec[]): OptionLeg[] {
  return legs.map((l) => ({ ...l, asset: assets.findIndex((a) => a.name === l.asset) }));
}

/** The European option terms of a leg. */
export function legTerms(leg: { asset: number; type: 'call' | 'put' }): OptionTerms {
  return { kind: 'option', asset: leg.asset, type: leg.type, style: 'european' };
}

/** The assets a book's legs are written on, in first-use order. */
export function bookAssets(legs: readonly OptionLeg[]): number[] {
  return [...new Set(legs.map((l) => l.asset))];
}

/**
 * Opens every leg at step 0 (strike = fraction × spot, expiry = t + tenor) and returns their line ids.
 * Shape: strike scratch [nPaths].
 */
export function openBook(
  ctx: StepContext,
  legs: readonly OptionLeg[],
  targets: TargetSink,
  strike: Float64Array,
): LineId[] {
  return legs.map((leg) => {
    const S = ctx.spot[leg.asset];
    for (let p = 0; p < ctx.nPaths; p++) strike[p] = leg.strike * S[p];
    const id = targets.open(legTerms(leg), strike, ctx.t + leg.expiry);
    targets.qty(id).fill(leg.quantity);
    return id;
  });
}

/**
 * Σ qty·Greek over the given lines on one asset (lines already freed count 0), written into `out`
 * (price: the lines' value). Shape: out.* [nPaths].
 */
export function linesExposure(book: BookView, ids: readonly LineId[], asset: number, out: GreeksBlock): void {
  if (out.price.length === 1) {
    linesExposureOne(book, ids, asset, out);
    return;
  }
  out.price.fill(0);
  out.delta.fill(0);
  out.gamma.fill(0);
  out.vega.fill(0);
  for (const id of ids) {
    const line = book.line(id);
    if (line && line.terms.asset === asset) addPositionGreeks(out, line.qty, line.greeks, false);
  }
}

/**
 * `linesExposure` on one path (a live book): the same sums, from 0 in the same order (a line with
 * qty 0 adds nothing, as in `addPositionGreeks`), kept in locals and written once.
 */
function linesExposureOne(book: BookView, ids: readonly LineId[], asset: number, out: GreeksBlock): void {
  let price = 0;
  let delta = 0;
  let gamma = 0;
  let vega = 0;
  const A = book.arena;
  if (A !== undefined) {
    // Lines in the book's LineArena: the same sums read by slot.
    const { qty, price: P, delta: D, gamma: G, vega: V } = A;
    for (let k = 0; k < ids.length; k++) {
      const line = book.line(ids[k]);
      if (line === undefined || line.terms.asset !== asset) continue;
      const s = line.slot;
      const x = qty[s];
      if (x === 0) continue;
      price += x * P[s];
      delta += x * D[s];
      gamma += x * G[s];
      vega += x * V[s];
    }
  } else
    for (let k = 0; k < ids.length; k++) {
      const line = book.line(ids[k]);
      if (line === undefined || line.terms.asset !== asset) continue;
      const x = line.qty[0];
      if (x === 0) continue;
      const g = line.greeks;
      price += x * g.price[0];
      delta += x * g.delta[0];
      gamma += x * g.gamma[0];
      vega += x * g.vega[0];
    }
  out.price[0] = price;
  out.delta[0] = delta;
  out.gamma[0] = gamma;
  out.vega[0] = vega;
}

/**
 * The book's exposure at step 0, before its lines are marked: quotes each leg on `asset` and sums
 * quantity × Greeks into `out`. Shape: strike, expiry scratch [nPaths].
 */
export function quotedExposure(
  ctx: StepContext,
  legs: readonly OptionLeg[],
  asset: number,
  out: GreeksBlock,
  scratch: { strike: Float64Array; expiry: Float64Array; quote: GreeksBlock },
): void {
  const n = ctx.nPaths;
  out.price.fill(0);
  out.delta.fill(0);
  out.gamma.fill(0);
  out.vega.fill(0);
  for (const leg of legs) {
    if (leg.asset !== asset) continue;
    const S = ctx.spot[asset];
    for (let p = 0; p < n; p++) scratch.strike[p] = leg.strike * S[p];
    scratch.expiry.fill(ctx.t + leg.expiry);
    ctx.quotes.quote(legTerms(leg), scratch.strike, scratch.expiry, FIRST_ORDER, scratch.quote);
    addPositionGreeks(out, leg.quantity, scratch.quote, false);
  }
}

/** Scratch of {@link lineDeltaAtVol}. Shape: every array [nPaths]. */
export interface DeltaScratch {
  readonly tau: Float64Array;
  readonly sign: Int8Array;
  readonly rate: Float64Array;
  readonly carry: Float64Array;
  readonly quote: GreeksBlock;
}

/**
 * The per-unit BSM delta of a held European option line at vols of the caller's choosing (a hedging
 * vol, Leland's adjusted vol) instead of the run's pricing vol: written into and returned as
 * `s.quote.delta`. Shape: vol [nPaths].
 * References: Haug (2007) ch. 2; Leland (1985); Ahmad & Wilmott (2005).
 */
export function lineDeltaAtVol(
  ctx: StepContext,
  line: PositionLineView,
  vol: Float64Array,
  s: DeltaScratch,
): Float64Array {
  const asset = line.terms.asset;
  for (let p = 0; p < ctx.nPaths; p++) s.tau[p] = Math.max(line.expiry[p] - ctx.t, TIME_EPS);
  s.sign.fill(line.terms.kind === 'option' && line.terms.type === 'put' ? -1 : 1);
  s.rate.fill(ctx.rate);
  s.carry.fill(ctx.assets[asset].carry ?? 0);
  blackBatch(
    {
      sign: s.sign,
      spot: ctx.spot[asset],
      strike: line.strike,
      expiry: s.tau,
      rate: s.rate,
      vol,
      dividend: s.carry,
    },
    { price: s.quote.price, delta: s.quote.delta },
  );
  return s.quote.delta;
}
