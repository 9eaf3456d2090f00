/**
 * Delta hedge: an option position (written or bought) hedged with its underlying — Hull's
 * delta-hedging experiment as a strategy.
 *
 * At inception the book trades `quantity` options (units of underlying; negative = written, the
 * premium received into cash) struck at K (absolute) with expiry tenor, and holds
 *   unitsₜ = −qtyₜ·Δₜ
 * of the underlying, Δₜ the per-unit BSM delta at the book's pricing vol (after the book's mark).
 * Targets are written at every step; when they trade is the run's rebalancing policy (calendar
 * every k steps, or a delta band). At expiry the option settles into cash and the target becomes 0.
 * Cash (the premium, the financing of the shares) accrues at the short rate under the default
 * financed convention; with `financing: 'unfinanced'` it earns nothing (Hull's Table 19.4;
 * docs/strategies/delta-hedge.md).
 *
 * Hedging error: with N equally spaced rebalancings and the pricing vol equal to the realized vol,
 * the terminal value's standard deviation is ≈ √(π/4)·σ·|quantity|·vega/√N (Derman & Kamal 1999),
 * vega = ∂C/∂σ per option at inception.
 *
 * @example deltaHedge({ asset: 0, type: 'call', strike: 50, tenor: 20 / 52, quantity: -100_000 })
 *   // Hull's example: 100,000 calls written at S₀ = 49; 52,160 shares bought at inception (Δ₀ = 0.5216)
 * References: J. C. Hull, Options, Futures and Other Derivatives (10th ed.), §19.4 and Table 19.4;
 * E. Derman & M. Kamal, "When you cannot hedge continuously: the corrections to Black-Scholes",
 * Goldman Sachs Quantitative Strategies Research Notes (1999), Risk 12(1) 1999.
 */

import { z } from 'zod';
import { DomainError, requireFinite, requirePositive } from '../core/errors.ts';
import { num, positive } from '../core/schema.ts';
import type { OptionTerms } from '../instruments/terms.ts';
import type { BookView } from '../portfolio/book.ts';
import { FIRST_ORDER, type GreeksBlock, greeksBlock, PRICE_DELTA } from '../portfolio/contract-pricer.ts';
import type { LineId } from '../portfolio/position-line.ts';
import type { StepContext } from '../portfolio/step-context.ts';
import type { TargetSink } from '../portfolio/target-sink.ts';
import type { OptionType } from '../pricing/types.ts';
import { defineStrategy } from './definition.ts';
import { tenorSchema } from './option-roll.ts';
import type { Strategy } from './types.ts';

export interface DeltaHedgeParams {
  /** Index of the underlying in the market's assets. */
  readonly asset: number;
  readonly type: OptionType;
  /** Absolute strike, currency, > 0. */
  readonly strike: number;
  /** Life of the option from inception, years, > 0. */
  readonly tenor: number;
  /** Options held, units of underlying: negative = written, positive = bought; finite, ≠ 0. */
  readonly quantity: number;
  /** Hedge rule (only 'delta': the BSM delta at the book's pricing vol). */
  readonly hedge?: 'delta';
  readonly name?: string;
}

/** Per-chunk state (plain data). Shape: strike, expiry, quote.*: [nPaths]. */
export interface DeltaHedgeState {
  /** The option's book line (−1 before it opens). */
  line: LineId;
  readonly strike: Float64Array;
  readonly expiry: Float64Array;
  /** Quote of the option before it opens (step 0). */
  readonly quote: GreeksBlock;
}

/**
 * A delta-hedged option position (formulas in the file header).
 * @throws DomainError for an invalid asset, strike, tenor, quantity or hedge
 * @example deltaHedge({ asset: 0, type: 'put', strike: 95, tenor: 0.25, quantity: 1000 })
 *   // a bought put hedged by buying 1000·|Δ_put| of the underlying
 * References: Hull (10th ed.) §19.4; Derman & Kamal (1999).
 */
export function deltaHedge(params: DeltaHedgeParams): Strategy<DeltaHedgeState> {
  const { asset, type, strike, tenor, quantity } = params;
  if (!(Number.isInteger(asset) && asset >= 0))
    throw new DomainError('asset', asset, 'must be an asset index >= 0');
  if (type !== 'call' && type !== 'put') throw new DomainError('type', type, "must be 'call' or 'put'");
  requirePositive('strike', strike);
  requirePositive('tenor', tenor);
  requireFinite('quantity', quantity);
  if (quantity === 0) throw new DomainError('quantity', quantity, 'must be non-zero');
  const hedge = params.hedge ?? 'delta';
  if (hedge !== 'delta') throw new DomainError('hedge', hedge, "must be 'delta'");
  const side = quantity < 0 ? 'short' : 'long';
  return {
    name: params.name ?? `delta-hedged ${side} ${type} K=${strike}`,
    kind: 'delta-hedge',
    greeks: PRICE_DELTA, // hedges with the line's Δ
    readsValue: false, // quantities and Δ only
    init(view: StepContext, _book: BookView): DeltaHedgeState {
      const n = view.nPaths;
      return {
        line: -1,
        strike: new Float64Array(n).fill(strike),
        expiry: new Float64Array(n),
        quote: greeksBlock(n),
      };
    },
    decide(view: StepContext, book: BookView, st: DeltaHedgeState, targets: TargetSink): void {
      const n = view.nPaths;
      const target = targets.units(asset);
      if (view.step === 0) {
        const terms: OptionTerms = { kind: 'option', asset, type, style: 'european' };
        st.expiry.fill(view.t + tenor);
        view.quotes.quote(terms, st.strike, st.expiry, FIRST_ORDER, st.quote);
        st.line = targets.open(terms, st.strike, st.expiry);
        targets.qty(st.line).fill(quantity);
        const d = st.quote.delta;
        for (let p = 0; p < n; p++) target[p] = -quantity * d[p];
        return;
      }
      const line = book.line(st.line);
      if (!line) {
        target.fill(0); // settled: the hedge unwinds
        return;
      }
      // −qty·Δ; after expiry qty = 0 (settled by the book) and the hedge unwinds.
      targets.hedgeUnits(asset, line.qty, line.greeks.delta, -1);
    },
  };
}

/** The registry entry of the delta hedge. */
export const deltaHedgeDefinition = defineStrategy({
  kind: 'delta-hedge',
  summary: "An option position delta-hedged with its underlying (Hull's experiment).",
  sleeve: false,
  shape: {
    asset: z.string().describe('Name of the underlying asset.'),
    type: z.enum(['call', 'put']),
    strike: positive().describe('Fraction of spot.'),
    tenor: tenorSchema(),
    quantity: num()
      .refine((x) => x !== 0, { error: 'must be non-zero' })
      .describe('Option quantity in units of underlying (negative = written).'),
  },
  label: () => 'delta-hedge',
  check(p, ctx, issue) {
    const names = ctx.assets.map((a) => a.name);
    if (!names.includes(p.asset)) issue(['asset'], `must name an asset (${names.join(', ')})`, p.asset);
  },
  create(p, ctx, name) {
    const asset = ctx.assets.findIndex((a) => a.name === p.asset);
    return deltaHedge({
      name,
      asset,
      type: p.type,
      // The scenario gives the strike as a fraction of spot, like every other strategy.
      strike: p.strike * ctx.assets[asset].spot,
      tenor: p.tenor ?? ctx.horizon,
      quantity: p.quantity,
    });
  },
});
