/**
 * What a strategy receives every step: the market view plus the run's quote service.
 */
import type { MarketView } from '../market/market-view.ts';
import type { QuoteService } from './quote-service.ts';

export interface StepContext extends MarketView {
  /** Prices prospective contracts with the run's pricing vol and the book's rules. */
  readonly quotes: QuoteService;
}
