/**
 * Hedging: the least-cost hedge solver (HiGHS LP/MIP on a kept model, best-effort when bands cannot
 * be met, cost-vs-residual frontier), the vectorised square hedge for Monte-Carlo paths, instrument
 * builders, and the Whalley–Wilmott and Leland hedging-band formulas. See docs/hedge-solver.md and
 * docs/strategies/hedging-bands.md.
 */
export * from './hedge-frontier.ts';
export * from './hedge-inputs.ts';
export * from './hedge-instruments.ts';
export * from './hedge-model.ts';
export type * from './hedge-types.ts';
export { highsRuntime } from './highs-runtime.ts';
export * from './leland.ts';
export * from './square-solve.ts';
export * from './whalley-wilmott.ts';
