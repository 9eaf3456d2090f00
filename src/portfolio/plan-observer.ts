/**
 * The plan observer: an optional diagnostic channel a hedging strategy reports its solve into — the
 * Greeks it sets, what it aims them at and the instruments it solves with — so that the live monitor
 * can show the last hedge plan (src/live/plan-recorder.ts) without a second implementation of any
 * strategy. The engine puts an observer in `StepContext.plans` for the one run that asks for it (the
 * live book); back-tests pass none, and a strategy reports only `if (ctx.plans)`: nothing is built
 * or recorded on the back-test path.
 *
 * The report holds references to the strategy's own arrays: an observer copies what it keeps before
 * `decide` returns. The quantities themselves are the strategy's targets (TargetSink); the report
 * says what they are for.
 */
import type { LineId } from './position-line.ts';

/** A Greek a hedge solve can set: Δ (units of the asset), Γ (per unit), ν (per 1.00 of vol). */
export type HedgeGreek = 'delta' | 'gamma' | 'vega';

/** How a strategy solved its hedge on one asset at one step. */
export interface HedgeSolveReport {
  /** Index of the hedged asset. */
  readonly asset: number;
  /**
   * The method, for display: `square` (exact k×k solve, src/hedging/square-solve.ts), `delta`
   * (Δ = −Δ_book), `whalley-wilmott` (no-transaction band), `leland` (Leland's adjusted vol).
   */
  readonly method: string;
  /** The Greeks the solve sets, in the row order of `aim`. */
  readonly solves: readonly HedgeGreek[];
  /**
   * What the hedged book's Greeks on the asset are set to (row g at g·nPaths + p), in the
   * strategy's own per-unit Greeks; omitted = 0 for every Greek solved (neutral).
   * Shape: [solves.length][nPaths].
   */
  readonly aim?: Float64Array;
  /** The hedge instruments: position-line ids, −1 for the underlying itself. */
  readonly instruments: readonly LineId[];
}

/** Receives the hedge solves of a strategy's `decide` (see the module header). */
export interface PlanObserver {
  solved(report: HedgeSolveReport): void;
}
