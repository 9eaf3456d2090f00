/**
 * Memory and work a scenario run needs, estimated before anything is allocated, so that
 * `paths: 1e9` or `stepsPerYear: 1e5` over a long horizon is refused at once with what would fit,
 * instead of being killed at 24 GB or running for hours.
 *
 * Memory: the engine streams paths in chunks, but keeps per path and strategy its path metrics
 * (≈ 20 float64s, plus the copies the summary sorts): measured ≈ 360 B per path and strategy on
 * examples/cppi-gap-risk.yaml at 100,000 paths (Node 20), budgeted at 400 B. Kept ledgers hold one
 * trade record (≈ 120 B) per asset and option line and step, for each kept path and strategy.
 * Work: path-steps × strategies, the unit `runScenario` reports progress in.
 */
import { ValidationError } from '../core/errors.ts';
import type { BuiltScenario } from './build.ts';

/** Bytes of metrics per path and strategy (measured ≈ 360 B; see the module comment). */
export const BYTES_PER_PATH_STRATEGY = 400;
/** Bytes of one kept trade record. */
export const BYTES_PER_TRADE = 120;
/** Largest memory a run may plan for, bytes (2 GB). */
export const MAX_RUN_BYTES = 2e9;
/** Largest work a run may plan for: path-steps × strategies summed over markets (5·10⁹ ≈ 5 minutes at the ≈ 15 M per second measured with the 2 shared cores busy). */
export const MAX_RUN_WORK = 5e9;

/** What a run would need. */
export interface RunBudget {
  /** Peak bytes of the largest market (markets run one after another). */
  readonly bytes: number;
  /** Path-steps × strategies over all markets. */
  readonly work: number;
  /** Most Monte-Carlo paths per market that fit both limits, for the message. */
  readonly maxPaths: number;
}

const gb = (b: number) => `${(b / 1e9).toFixed(b < 1e10 ? 2 : 0)} GB`;
const n = (x: number) => Math.floor(x).toLocaleString('en-US');

/**
 * Estimates a built scenario's memory and work.
 * @example estimateRun(buildScenario(loadScenario('scenarios/default.yaml').scenario, '.')).work // 27216000 (9 markets × 2000 paths × 252 steps × 6)
 */
export function estimateRun(built: BuiltScenario): RunBudget {
  const nStrat = built.strategyNames.length;
  const nAssets = built.assets.length;
  const kept = built.scenario.ledgerPaths.length;
  let bytes = 0;
  let work = 0;
  let perPathBytes = 0;
  let perPathWork = 0;
  let fixed = 0;
  for (const m of built.markets) {
    const steps = m.grid.nSteps;
    const ledger = Math.min(kept, m.nPaths) * steps * nStrat * (nAssets + 2) * BYTES_PER_TRADE;
    bytes = Math.max(bytes, m.nPaths * nStrat * BYTES_PER_PATH_STRATEGY + ledger);
    work += m.nPaths * steps * nStrat;
    if (m.replay) fixed += steps * nStrat;
    else {
      perPathBytes = Math.max(perPathBytes, nStrat * BYTES_PER_PATH_STRATEGY);
      perPathWork += steps * nStrat;
    }
  }
  const byBytes = perPathBytes > 0 ? MAX_RUN_BYTES / perPathBytes : Number.POSITIVE_INFINITY;
  const byWork = perPathWork > 0 ? (MAX_RUN_WORK - fixed) / perPathWork : Number.POSITIVE_INFINITY;
  return { bytes, work, maxPaths: Math.max(0, Math.floor(Math.min(byBytes, byWork))) };
}

/**
 * Refuses a run beyond {@link MAX_RUN_BYTES} or {@link MAX_RUN_WORK}, saying what fits.
 * @throws ValidationError `run-too-large`
 */
export function checkRunBudget(built: BuiltScenario): void {
  const b = estimateRun(built);
  const nStrat = built.strategyNames.length;
  const fits = `at most ${n(b.maxPaths)} paths per market fit with ${nStrat} strategies, these markets and steps`;
  if (b.bytes > MAX_RUN_BYTES)
    throw new ValidationError(
      'paths',
      `this run would need about ${gb(b.bytes)} of memory (paths × ${nStrat} strategies × ${BYTES_PER_PATH_STRATEGY} B, plus kept ledgers); the limit is ${gb(MAX_RUN_BYTES)}: ${fits}`,
      'run-too-large',
    );
  if (b.work > MAX_RUN_WORK)
    throw new ValidationError(
      'paths',
      `this run would take ${n(b.work)} path-steps × strategies (paths × steps × ${nStrat} strategies over every market); the limit is ${n(MAX_RUN_WORK)}: ${fits}, or use fewer stepsPerYear or a shorter horizon`,
      'run-too-large',
    );
}
