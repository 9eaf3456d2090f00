/**
 * What each level allows, and the DE-RISK rule: a trade is admitted only if it reduces the
 * book's risk measured at portfolio level.
 *
 * Policy per level:
 *
 * | level   | trade | risk-reducing only | cash-lock |
 * |---------|-------|--------------------|-----------|
 * | NORMAL  | yes   | no                 | no        |
 * | WATCH   | yes   | no                 | no        |
 * | DE-RISK | yes   | yes                | no        |
 * | PROTECT | yes   | yes                | yes       |
 * | HALTED  | no    | —                  | —         |
 *
 * PROTECT moves the book to its floor-protecting allocation (the cash-lock of CPPI when the
 * cushion is gone: the floor held in the safe asset, Black & Perold 1992) and then admits only
 * risk-reducing trades.
 *
 * The DE-RISK rule compares the book's `RiskMeasures` before and after a proposed trade (both
 * measured from the pre-trade value, so the trade's costs count in the shocked loss):
 *   1. shocked loss after ≤ before (loss under the configured shock, against the floor);
 *   2. net delta keeps its sign (or goes to 0) and |delta| after ≤ before — reducing toward zero,
 *      never through it: a sell that flips a long book short is refused, because the one-sided
 *      shock (spot down) would no longer see the short book's risk;
 *   3. gross exposure after ≤ before — `gross` is the gross delta exposure Σ_a |Δ_a S_a| over
 *      assets, so buying a put on a held asset lowers it while a long/short pair that nets to the
 *      same delta does not pass;
 *   4. and at least one of the three strictly decreases (a trade that changes no risk costs money
 *      and is not a reduction).
 * Comparisons allow `tol` (relative to the larger magnitude, default 1e-9) for rounding.
 */
import { DomainError } from '../../core/errors.ts';
import type { Level, LevelPolicy, RiskMeasures } from './types.ts';

const POLICIES: Readonly<Record<Level, LevelPolicy>> = {
  NORMAL: { trade: true, riskReducingOnly: false, cashLock: false },
  WATCH: { trade: true, riskReducingOnly: false, cashLock: false },
  'DE-RISK': { trade: true, riskReducingOnly: true, cashLock: false },
  PROTECT: { trade: true, riskReducingOnly: true, cashLock: true },
  HALTED: { trade: false, riskReducingOnly: true, cashLock: false },
};

/**
 * What `level` allows (table in the file header).
 * @example levelPolicy('DE-RISK') // → { trade: true, riskReducingOnly: true, cashLock: false }
 */
export function levelPolicy(level: Level): LevelPolicy {
  const p = POLICIES[level];
  if (!p) throw new DomainError('level', level, 'must be NORMAL, WATCH, DE-RISK, PROTECT or HALTED');
  return p;
}

/** The DE-RISK verdict on one proposed trade. */
export interface Admission {
  readonly admitted: boolean;
  /** Why (the first rule broken, or what the trade reduces). */
  readonly reason: string;
}

/**
 * The DE-RISK rule (file header): admitted only if no measure rises, delta does not change sign,
 * and at least one measure falls.
 * @throws DomainError when a measure is not finite or a loss / gross exposure is negative.
 * @example
 * // long 100 of delta; buying puts: delta 100 → 60, shocked loss 10 → 6, gross 100 → 60
 * isRiskReducing({ shockedLoss: 10, delta: 100, gross: 100 }, { shockedLoss: 6, delta: 60, gross: 60 })
 * // → { admitted: true, … }
 * // selling 150: delta 100 → −50 (flips short)
 * isRiskReducing({ shockedLoss: 10, delta: 100, gross: 100 }, { shockedLoss: 0, delta: -50, gross: 50 })
 * // → { admitted: false, reason: 'delta changes sign (100 → -50)' }
 */
export function isRiskReducing(before: RiskMeasures, after: RiskMeasures, tol = 1e-9): Admission {
  for (const [which, m] of [
    ['before', before],
    ['after', after],
  ] as const) {
    for (const key of ['shockedLoss', 'delta', 'gross'] as const)
      if (!Number.isFinite(m[key]))
        throw new DomainError(`${which}.${key}`, m[key], 'must be a finite number');
    if (m.shockedLoss < 0) throw new DomainError(`${which}.shockedLoss`, m.shockedLoss, 'must be >= 0');
    if (m.gross < 0) throw new DomainError(`${which}.gross`, m.gross, 'must be >= 0');
  }
  const slack = (a: number, b: number) => tol * Math.max(Math.abs(a), Math.abs(b), 1);
  if (after.shockedLoss > before.shockedLoss + slack(before.shockedLoss, after.shockedLoss))
    return { admitted: false, reason: `shocked loss rises (${before.shockedLoss} → ${after.shockedLoss})` };
  const flips =
    (before.delta > 0 && after.delta < -slack(before.delta, after.delta)) ||
    (before.delta < 0 && after.delta > slack(before.delta, after.delta)) ||
    (before.delta === 0 && Math.abs(after.delta) > slack(0, after.delta));
  if (flips) return { admitted: false, reason: `delta changes sign (${before.delta} → ${after.delta})` };
  if (Math.abs(after.delta) > Math.abs(before.delta) + slack(before.delta, after.delta))
    return { admitted: false, reason: `|delta| rises (${before.delta} → ${after.delta})` };
  if (after.gross > before.gross + slack(before.gross, after.gross))
    return { admitted: false, reason: `gross exposure rises (${before.gross} → ${after.gross})` };
  const falls: string[] = [];
  if (after.shockedLoss < before.shockedLoss - slack(before.shockedLoss, after.shockedLoss))
    falls.push('shocked loss');
  if (Math.abs(after.delta) < Math.abs(before.delta) - slack(before.delta, after.delta))
    falls.push('|delta|');
  if (after.gross < before.gross - slack(before.gross, after.gross)) falls.push('gross exposure');
  if (falls.length === 0) return { admitted: false, reason: 'reduces no risk measure' };
  return { admitted: true, reason: `reduces ${falls.join(', ')}` };
}

/**
 * The DE-RISK rule on scalars, allocation-free for per-path loops (the back-test overlay): the same
 * verdict as {@link isRiskReducing} on { shockedLoss, delta, gross } before (0) and after (1).
 */
export function reducesRisk(
  loss0: number,
  loss1: number,
  delta0: number,
  delta1: number,
  gross0: number,
  gross1: number,
  tol = 1e-9,
): boolean {
  const sl = tol * Math.max(Math.abs(loss0), Math.abs(loss1), 1);
  const sd = tol * Math.max(Math.abs(delta0), Math.abs(delta1), 1);
  const sg = tol * Math.max(Math.abs(gross0), Math.abs(gross1), 1);
  if (!(loss1 <= loss0 + sl)) return false;
  if (delta0 > 0 ? delta1 < -sd : delta0 < 0 ? delta1 > sd : Math.abs(delta1) > sd) return false;
  if (!(Math.abs(delta1) <= Math.abs(delta0) + sd)) return false;
  if (!(gross1 <= gross0 + sg)) return false;
  return loss1 < loss0 - sl || Math.abs(delta1) < Math.abs(delta0) - sd || gross1 < gross0 - sg;
}
