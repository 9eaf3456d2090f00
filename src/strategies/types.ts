/**
 * The strategy contract. A strategy is written once and runs unchanged in Monte-Carlo, historical
 * back-tests and live monitoring (nPaths = 1): it sees the market and its book for all paths at
 * once and writes targets (src/portfolio/targets.ts); it never trades itself.
 *
 * - `init` runs once per chunk of paths at inception, before the first `decide`: declare option /
 *   forward slots on the book (`book.addOptionSlot`) and allocate per-path state (Float64Arrays).
 * - `decide` runs every step after the book was marked to market. No allocation, no throwing.
 *
 * References: QuantConnect Lean (PortfolioTarget: targets, not orders); pfhedge (hedgers over
 * tensors of paths).
 */
import type { MarketView } from '../market/market-view.ts';
import type { VolInput } from '../market/vol-input.ts';
import type { Book, BookView } from '../portfolio/book.ts';
import type { RebalanceSpec } from '../portfolio/rebalance.ts';
import type { Targets } from '../portfolio/targets.ts';

export interface Strategy<S = unknown> {
  /** Display name, unique within a run (e.g. `cppi m=4`). */
  readonly name: string;
  /** The strategy's kind (e.g. `cppi`), for reports. */
  readonly kind: string;
  /** Default rebalancing policy of this strategy; the run's policy applies when absent. */
  readonly rebalance?: RebalanceSpec;
  /** `vols` is the run's pricing vol input, for strategies that price contracts before opening them. */
  init(view: MarketView, book: Book, vols: VolInput): S;
  decide(view: MarketView, book: BookView, state: S, targets: Targets): void;
}

/**
 * The risky sleeve shared by the insurance strategies: target weights per asset (summing to 1
 * over the assets held; 0 for assets not in the sleeve).
 */
export interface Sleeve {
  readonly weights: Float64Array;
}

/** Writes unit targets that put `exposure[p]` (currency) into the sleeve at its weights. */
export function targetSleeve(
  view: MarketView,
  sleeve: Sleeve,
  exposure: Float64Array,
  targets: Targets,
): void {
  const n = view.nPaths;
  for (let a = 0; a < sleeve.weights.length; a++) {
    const w = sleeve.weights[a]!;
    const S = view.spot[a]!;
    const out = targets.units[a]!;
    for (let p = 0; p < n; p++) out[p] = (w * exposure[p]!) / S[p]!;
  }
}

/** Current value of the sleeve's units (Σ units·S) per path, written into `out`. */
export function sleeveValue(view: MarketView, book: BookView, out: Float64Array): void {
  out.fill(0);
  for (let a = 0; a < book.units.length; a++) {
    const u = book.units[a]!;
    const S = view.spot[a]!;
    for (let p = 0; p < view.nPaths; p++) out[p]! += u[p]! * S[p]!;
  }
}
