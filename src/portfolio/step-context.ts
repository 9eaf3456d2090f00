/**
 * What a strategy receives every step: the market view plus the run's quote service.
 */
import type { MarketView } from '../market/market-view.ts';
import type { PlanObserver } from './plan-observer.ts';
import type { QuoteService } from './quote-service.ts';

export interface StepContext extends MarketView {
  /** Prices prospective contracts with the run's pricing vol and the book's rules. */
  readonly quotes: QuoteService;
  /**
   * Where a hedging strategy reports its solve (plan-observer.ts): set by the engine for the live
   * book only; undefined in back-tests (report nothing then).
   */
  readonly plans?: PlanObserver | undefined;
}
