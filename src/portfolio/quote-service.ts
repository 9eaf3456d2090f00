/**
 * The quote service a strategy reads in its step context: price and Greeks of any prospective
 * contract on every path, with the run's pricing vol (constant, model, EWMA, GARCH, smile) and the
 * book's own rules (discrete-barrier correction at the source's step, the same kernels) — exactly
 * what the book will mark the contract at once it is held. Strategies never price through the book.
 *
 * Shape: strike, expiry, barrier and every output array [nPaths]; expiry is absolute (years since
 * inception), like a line's.
 */
import type { DerivativeTerms } from '../instruments/terms.ts';
import type { MarketView } from '../market/market-view.ts';
import type { PricingVol } from '../market/pricing-vol.ts';
import type { ContractPricer, GreekMask, GreeksBlock } from './contract-pricer.ts';

export interface QuoteService {
  /**
   * Prices `terms` struck at `strike` expiring at `expiry` (absolute, years) on every path, writing
   * price, Δ and the Greeks asked for in `want` (FIRST_ORDER: Γ and ν as well) into `out` (per unit of underlying).
   * @param barrier barrier levels per path (barrier options only)
   * @param volOut receives the pricing vol per path, when given
   */
  quote(
    terms: DerivativeTerms,
    strike: Float64Array,
    expiry: Float64Array,
    want: GreekMask,
    out: GreeksBlock,
    barrier?: Float64Array,
    volOut?: Float64Array,
  ): void;
}

/** The engine's quote service of one run: the book's pricer and vol input at the current view. */
export class BookQuotes implements QuoteService {
  private readonly pricer: ContractPricer;
  private readonly vols: PricingVol;
  private readonly view: MarketView;
  private readonly vol: Float64Array;

  constructor(pricer: ContractPricer, vols: PricingVol, view: MarketView) {
    this.pricer = pricer;
    this.vols = vols;
    this.view = view;
    this.vol = new Float64Array(pricer.nPaths);
  }

  quote(
    terms: DerivativeTerms,
    strike: Float64Array,
    expiry: Float64Array,
    want: GreekMask,
    out: GreeksBlock,
    barrier?: Float64Array,
    volOut?: Float64Array,
  ): void {
    this.pricer.price(
      terms,
      this.view,
      this.vols,
      strike,
      expiry,
      barrier,
      undefined,
      want,
      out,
      volOut ?? this.vol,
    );
  }
}
