/**
 * The strategy contract. A strategy is written once and runs unchanged in Monte-Carlo, historical
 * back-tests and live monitoring (nPaths = 1): it sees the market (with a quote service) and a
 * read-only view of its book for all paths at once, and writes targets (TargetSink); it never
 * trades, never holds the book, and keeps its state as plain data (typed arrays, numbers, plain
 * objects and arrays of them) so the engine can snapshot and restore it.
 *
 * - `init` runs once per chunk of paths at inception, before the first `decide`: allocate per-path
 *   state (Float64Arrays). No book access beyond reading.
 * - `decide` runs every step after the book was marked to market. No allocation, no throwing.
 *
 * A strategy file exports its definition (definition.ts): a zod parameter schema with defaults, a
 * display label and a constructor; one registry line (registry.ts) makes it appear in scenario
 * files, the JSON Schema, `hedgekit init`, the CLI and the API.
 *
 * References: QuantConnect Lean (PortfolioTarget: targets, not orders); pfhedge (hedgers over
 * tensors of paths).
 */
import type { MarketView } from '../market/market-view.ts';
import type { BookView } from '../portfolio/book.ts';
import type { GreekMask } from '../portfolio/contract-pricer.ts';
import type { RebalanceSpec } from '../portfolio/rebalance.ts';
import type { StepContext } from '../portfolio/step-context.ts';
import type { TargetSink } from '../portfolio/target-sink.ts';

export type { StepContext } from '../portfolio/step-context.ts';

export interface Strategy<S = unknown> {
  /** Display name, unique within a run (e.g. `cppi m=4`). */
  readonly name: string;
  /** The strategy's kind (e.g. `cppi`), for reports. */
  readonly kind: string;
  /**
   * The strategy's own rebalancing policy (e.g. CPPI's tolerance band); it combines field by field
   * with the run's policies (rebalance.ts `combinePolicies`).
   */
  readonly rebalance?: RebalanceSpec;
  /**
   * The Greeks of the book's lines this strategy reads (`line.greeks.*`) beyond price and Δ: the
   * book's marks compute these and skip the rest (lazy Greeks). Default FIRST_ORDER (Γ and ν); a
   * strategy that reads only price and Δ declares PRICE_DELTA. `book.exposure` and the executor get
   * Γ and ν on demand whatever this says; an overlay declares the union with its inner strategy's.
   */
  readonly greeks?: GreekMask;
  /**
   * Whether `decide` reads the book's `value` or its lines' `greeks.price` (default true). A strategy
   * that reads neither — a delta hedge reads quantities and Δ — declares false: when nothing else of
   * the run reads them either (metrics, kept value paths, attribution, a plan observer, a value band)
   * the book's marks skip the values and the European options' prices until the run's last step
   * (lazy values; results keep their bits). `book.exposure` and the executor get the prices they need
   * whatever this says. The declaration must be truthful: src/engine/lazy-greeks.test.ts shows a
   * false one changing results.
   */
  readonly readsValue?: boolean;
  /**
   * Whether the strategy may open option lines (default true). One that trades only the assets (and
   * futures) declares false: when no run of an engine may hold options, its market source does not
   * carry ln S (`MarketState.logSpot`, a store per path-step), which only option marks read. A false
   * declaration costs nothing but speed: the marks then take a logarithm per option and path, whose
   * results differ from the ln S route in the last bits only.
   */
  readonly holdsOptions?: boolean;
  init(ctx: StepContext, book: BookView): S;
  decide(ctx: StepContext, book: BookView, state: S, targets: TargetSink): void;
  /**
   * Optional: what the strategy accumulated in its state for reports (e.g. an overlay's warnings),
   * read at the end of every chunk of paths. `totals` are additive (the engine sums them over
   * chunks); `series` are per-step series of the chunk's first path (kept from the run's first).
   */
  diagnostics?(state: S): StrategyDiagnostics;
  /** Optional: the JSON report of the run's merged diagnostics (scenario results, `run --json`). */
  report?(d: StrategyDiagnostics): StrategyReport;
}

/** Additive diagnostics of a chunk of paths (see {@link Strategy.diagnostics}). */
export interface StrategyDiagnostics {
  readonly totals: Readonly<Record<string, number>>;
  readonly series: Readonly<Record<string, Float64Array>>;
}

/** A typed warning with how often it occurred (path-steps). */
export interface StrategyWarning {
  readonly code: string;
  readonly message: string;
  readonly count: number;
}

/** A strategy's own report: typed warnings and JSON-able details. */
export interface StrategyReport {
  readonly warnings: readonly StrategyWarning[];
  readonly details: Readonly<Record<string, unknown>>;
}

/**
 * The risky sleeve shared by the insurance strategies: target weights per asset (summing to 1
 * over the assets held; 0 for assets not in the sleeve).
 */
export interface Sleeve {
  readonly weights: Float64Array;
  /**
   * Asset index of the reserve: where the value not in the sleeve goes (CPPI, TIPP, synthetic put).
   * Default none: that value stays in cash at the short rate.
   */
  readonly reserve?: number | undefined;
}

/**
 * Writes unit targets that put `exposure[p]` (currency) into the sleeve at its weights and, when the
 * sleeve has a reserve asset and `value` (the book value per path) is given, max(V − E, 0) into it.
 */
export function targetSleeve(
  view: MarketView,
  sleeve: Sleeve,
  exposure: Float64Array,
  targets: TargetSink,
  value?: Float64Array,
): void {
  const n = view.nPaths;
  for (let a = 0; a < sleeve.weights.length; a++) {
    const w = sleeve.weights[a];
    const S = view.spot[a];
    const out = targets.units(a);
    for (let p = 0; p < n; p++) out[p] = (w * exposure[p]) / S[p];
  }
  // The rest of the value in the reserve asset (a bond index, say) instead of cash; a levered
  // exposure (E > V) still borrows cash rather than shorting the reserve.
  const r = sleeve.reserve;
  if (r !== undefined && value !== undefined) {
    const S = view.spot[r];
    const out = targets.units(r);
    for (let p = 0; p < n; p++) {
      const rest = value[p] - exposure[p];
      if (rest > 0) out[p] += rest / S[p];
    }
  }
}

/** Current value of the sleeve's units (Σ units·S) per path, written into `out`. */
export function sleeveValue(view: MarketView, book: BookView, out: Float64Array): void {
  out.fill(0);
  for (let a = 0; a < book.units.length; a++) {
    const u = book.units[a];
    const S = view.spot[a];
    for (let p = 0; p < view.nPaths; p++) out[p] += u[p] * S[p];
  }
}
