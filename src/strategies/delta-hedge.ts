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
 * Cash (the premium, the financing of the shares) accrues at the short rate.
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
import { DomainError, requireFinite, requirePositive } from '../core/errors.ts';
import type { MarketView } from '../market/market-view.ts';
import type { VolInput } from '../market/vol-input.ts';
import { type Book, type BookView, OptionSlot } from '../portfolio/book.ts';
import type { Targets } from '../portfolio/targets.ts';
import type { OptionType } from '../pricing/types.ts';
import { type PricingStrategy, quoteProspective, strategyVols } from './option-roll.ts';

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

/** Per-chunk state. */
export interface DeltaHedgeState {
  readonly book: Book;
  readonly vols: VolInput;
  /** Book slot of the option. */
  readonly slot: number;
  /** Unbooked slot quoting the option before it opens (step 0). */
  readonly scratch: OptionSlot;
}

/**
 * A delta-hedged option position (formulas in the file header).
 * @throws DomainError for an invalid asset, strike, tenor, quantity or hedge
 * @example deltaHedge({ asset: 0, type: 'put', strike: 95, tenor: 0.25, quantity: 1000 })
 *   // a bought put hedged by buying 1000·|Δ_put| of the underlying
 * References: Hull (10th ed.) §19.4; Derman & Kamal (1999).
 */
export function deltaHedge(params: DeltaHedgeParams): PricingStrategy<DeltaHedgeState> {
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
    init(view: MarketView, book: Book, vols?: VolInput): DeltaHedgeState {
      const spec = { asset, type, label: `${type} ${strike}` };
      const slot = book.addOptionSlot(spec);
      return { book, vols: strategyVols(vols), slot, scratch: new OptionSlot(spec, view.nPaths) };
    },
    decide(view: MarketView, book: BookView, st: DeltaHedgeState, targets: Targets): void {
      const n = view.nPaths;
      const target = targets.units[asset]!;
      if (view.step === 0) {
        const sc = st.scratch;
        sc.strike.fill(strike);
        sc.expiry.fill(view.t + tenor);
        quoteProspective(st.book, view, st.vols, sc);
        targets.optionStrike[st.slot]!.fill(strike);
        targets.optionExpiry[st.slot]!.fill(view.t + tenor);
        targets.optionQty[st.slot]!.fill(quantity);
        for (let p = 0; p < n; p++) target[p] = -quantity * sc.delta[p]!;
        return;
      }
      const slot = book.options[st.slot]!;
      const q = slot.qty;
      const d = slot.delta;
      // After expiry qty = 0 (settled by the book) and the hedge unwinds.
      for (let p = 0; p < n; p++) target[p] = q[p] === 0 ? 0 : -q[p]! * d[p]!;
    },
  };
}
