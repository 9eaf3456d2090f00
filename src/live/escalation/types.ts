/**
 * The escalation protocol's contract, shared by the protocol (src/live/escalation/), the live
 * monitor (src/live/) and back-tests (a scenario option): graded levels, independent drivers, and
 * audit events for every transition. The protocol itself is plain, deterministic state: it is fed
 * measurements with a timestamp and answers with the transitions they caused; it never reads a
 * clock, so a replay gives the same history.
 */

/** Levels in increasing order of restriction. */
export const LEVELS = ['NORMAL', 'WATCH', 'DE-RISK', 'PROTECT', 'HALTED'] as const;
export type Level = (typeof LEVELS)[number];

/** Rank of a level (NORMAL 0 … HALTED 4): the book's level is the highest rank any driver asks. */
export function levelRank(level: Level): number {
  return LEVELS.indexOf(level);
}

/** The independent drivers; each has its own thresholds and hysteresis. */
export const DRIVERS = [
  'cushion', // floor cushion in units of the CPPI crash tolerance 1/m (lower is worse)
  'shockedLoss', // loss under the configured shock (e.g. spot -10 %, vol +10 pts) / cushion (higher is worse)
  'moveSigmas', // one-day move in EWMA sigmas, absolute (higher is worse)
  'indexDrop', // drop of the index against the previous close, fraction (7 % / 13 % / 20 %)
  'volRatio', // realised vol / implied vol (higher is worse)
  'feedHealth', // gaps, duplicates, out-of-order, stale data
  'orderRate', // orders per minute against the limit
  'reconciliation', // position mismatch with the execution adapter
  'manual', // an operator's override, halt or re-arm
] as const;
export type Driver = (typeof DRIVERS)[number];

/**
 * One measurement set, as of `timeMs` (ms since the epoch for live feeds; back-tests map their
 * observation times onto the same scale). A missing field means "not measured now": the driver
 * keeps its last level.
 */
export interface EscalationInputs {
  readonly timeMs: number;
  readonly cushionUnits?: number;
  readonly shockedLossOverCushion?: number;
  readonly moveSigmas?: number;
  readonly indexDrop?: number;
  readonly volRatio?: number;
  /** Feed-health problems seen since the last update (0 = healthy), and whether the feed is stale. */
  readonly feedProblems?: number;
  readonly feedStale?: boolean;
  readonly ordersPerMinute?: number;
  readonly reconciliationMismatch?: boolean;
}

/** Who caused a transition. */
export type Actor = 'auto' | { readonly manual: string };

/** An audit event: one level change with everything needed to replay and explain it. */
export interface Transition {
  readonly timeMs: number;
  readonly from: Level;
  readonly to: Level;
  /** The driver whose level moved the book's level. */
  readonly driver: Driver;
  /** The driver's measured value that crossed (or cleared) its threshold. */
  readonly value: number | boolean | null;
  /** The thresholds in force for that driver (level → threshold). */
  readonly thresholds: Readonly<Record<string, number | boolean>>;
  /** All inputs of the update that caused it. */
  readonly inputs: EscalationInputs;
  readonly actor: Actor;
  readonly reason: string;
}

/** Manual actions an operator can take (HALTED is left only by `rearm`). */
export type ManualAction =
  | { readonly kind: 'acknowledge'; readonly actor: string }
  | { readonly kind: 'override'; readonly level: Level; readonly actor: string }
  | { readonly kind: 'halt'; readonly actor: string }
  | { readonly kind: 'rearm'; readonly actor: string };

/** Portfolio-level risk of a book, before or after a proposed trade (DE-RISK admits only reductions). */
export interface RiskMeasures {
  /** Loss under the configured shock, in currency, as a positive number (0 when the book gains). */
  readonly shockedLoss: number;
  /** Net delta exposure in currency, signed. */
  readonly delta: number;
  /** Gross exposure in currency. */
  readonly gross: number;
}

/** What every level allows; the live monitor and back-tests enforce it the same way. */
export interface LevelPolicy {
  /** New orders allowed at all. */
  readonly trade: boolean;
  /** Only orders that reduce portfolio risk (see `RiskMeasures`). */
  readonly riskReducingOnly: boolean;
  /** Move to the floor-protecting allocation (cash-lock). */
  readonly cashLock: boolean;
}

/** The protocol as the live monitor and back-tests use it. */
export interface Escalation {
  readonly level: Level;
  /** Feeds one measurement set; returns the transitions it caused (escalate at once, step down one level at a time). */
  update(inputs: EscalationInputs): Transition[];
  /** An operator's action; HALTED needs `rearm`, never an automatic step-down. */
  manual(action: ManualAction, timeMs: number): Transition[];
  /** What the current level allows. */
  policy(): LevelPolicy;
  /** Plain, structured-cloneable state, restorable into a protocol built from the same config. */
  snapshot(): unknown;
  restore(snapshot: unknown): void;
}
