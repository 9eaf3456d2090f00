/**
 * The protocol's kernel, shared by the live protocol (protocol.ts, one book) and the back-test
 * overlay (src/strategies/overlays/escalation.ts, one state per path in typed arrays): a driver's
 * rule turns a measured value into the rank it asks (escalation) and the rank it has cleared
 * (hysteresis), and `stepDriver` moves one driver's latched rank:
 *
 * - asked > current  → escalate at once to `asked` (levels may be skipped going up);
 * - cleared < current (and current < HALTED) for `dwellMs` → step down ONE rank, and restart the
 *   dwell clock if the driver is still clear of the next rank;
 * - HALTED is never left here (only a manual re-arm leaves it, protocol.ts).
 *
 * Ranks are levelRank(): NORMAL 0, WATCH 1, DE-RISK 2, PROTECT 3, HALTED 4. Hysteresis is the
 * Schmitt-trigger rule: a condition set at threshold θ clears only beyond θ ∓ margin.
 *
 * References: the graded response and hysteresis of exchange volatility controls (NYSE Rule 7.12,
 * SEC Release No. 34-67090, 2012); docs/escalation.md for the table of rules.
 */

import { type EscalationConfig, THRESHOLD_KEYS } from './config.ts';
import { DRIVERS, type Driver, LEVELS, type Level, levelRank } from './types.ts';

/** Rank of HALTED, the only rank never left automatically. */
export const HALTED_RANK = 4;

/** One numeric driver's compiled rule. */
export interface DriverRule {
  readonly driver: Driver;
  /** True for the cushion (lower is worse); false for every other numeric driver. */
  readonly lowerIsWorse: boolean;
  /** Threshold per rank 1..4 at index rank−1; NaN where the driver never asks that rank. Shape: [4]. */
  readonly thresholds: Float64Array;
  /** Hysteresis in the driver's units (≥ 0). */
  readonly margin: number;
  /** Minimum time cleared before each one-rank step down, ms. */
  readonly dwellMs: number;
}

/** All compiled rules, with the level-valued conditions (stale feed, reconciliation). */
export interface CompiledRules {
  readonly numeric: Readonly<Record<NumericDriver, DriverRule>>;
  /** Rank a stale feed asks. */
  readonly staleRank: number;
  /** Rank a reconciliation mismatch asks. */
  readonly reconciliationRank: number;
  /** Dwell of the reconciliation driver, ms. */
  readonly reconciliationDwellMs: number;
}

/** Drivers measured by a number against thresholds. */
export const NUMERIC_DRIVERS = [
  'cushion',
  'shockedLoss',
  'moveSigmas',
  'indexDrop',
  'volRatio',
  'feedHealth',
  'orderRate',
] as const satisfies readonly Driver[];
export type NumericDriver = (typeof NUMERIC_DRIVERS)[number];

/** Index of each driver in the per-driver state arrays (DRIVERS order). */
export const DRIVER_INDEX: Readonly<Record<Driver, number>> = Object.fromEntries(
  DRIVERS.map((d, i) => [d, i]),
) as Record<Driver, number>;

const HOUR_MS = 3_600_000;

/** Compiles a validated configuration into the kernel's rules. */
export function compileRules(config: EscalationConfig): CompiledRules {
  const numeric = {} as Record<NumericDriver, DriverRule>;
  for (const driver of NUMERIC_DRIVERS) {
    const c = config[driver];
    numeric[driver] = {
      driver,
      lowerIsWorse: driver === 'cushion',
      thresholds: Float64Array.from(THRESHOLD_KEYS, (k) => c[k] ?? Number.NaN),
      margin: c.margin,
      dwellMs: (c.dwellHours ?? config.dwellHours) * HOUR_MS,
    };
  }
  return {
    numeric,
    staleRank: levelRank(config.feedHealth.stale),
    reconciliationRank: levelRank(config.reconciliation.level),
    reconciliationDwellMs: (config.reconciliation.dwellHours ?? config.dwellHours) * HOUR_MS,
  };
}

/**
 * The highest rank whose threshold `value` reaches, with the thresholds moved `shift` toward the
 * safe side (shift = margin gives the rank the driver has not yet cleared). NaN asks nothing.
 */
export function rankOf(rule: DriverRule, value: number, shift = 0): number {
  let rank = 0;
  const th = rule.thresholds;
  for (let r = 0; r < 4; r++) {
    const t = th[r];
    if (Number.isNaN(t)) continue;
    if (rule.lowerIsWorse ? value <= t + shift : value >= t - shift) rank = r + 1;
  }
  return rank;
}

/**
 * Moves one driver's latched rank (rules in the file header). `levels[k]` is the rank,
 * `since[k]` the time (ms) since which the driver has been cleared of it (NaN: not cleared).
 * No allocation; safe in per-path loops.
 */
export function stepDriver(
  levels: Uint8Array,
  since: Float64Array,
  k: number,
  asked: number,
  cleared: number,
  timeMs: number,
  dwellMs: number,
): void {
  const cur = levels[k];
  if (asked > cur) {
    levels[k] = asked;
    since[k] = Number.NaN;
    return;
  }
  if (cur >= HALTED_RANK || cleared >= cur) {
    since[k] = Number.NaN;
    return;
  }
  if (Number.isNaN(since[k])) since[k] = timeMs;
  if (timeMs - since[k] >= dwellMs) {
    levels[k] = cur - 1;
    since[k] = cleared < cur - 1 ? timeMs : Number.NaN;
  }
}

/**
 * A manual re-arm of one driver: HALTED drops to PROTECT with a fresh dwell clock (its step-down
 * then follows the dwell rules); any other level is kept.
 */
export function rearmDriver(levels: Uint8Array, since: Float64Array, k: number): void {
  if (levels[k] >= HALTED_RANK) {
    levels[k] = HALTED_RANK - 1;
    since[k] = Number.NaN;
  }
}

/** The thresholds of a driver as an audit record (level name → threshold, margin, dwellMs). */
export function thresholdRecord(rules: CompiledRules, driver: Driver): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {};
  if (driver === 'reconciliation') {
    out[levelName(rules.reconciliationRank)] = true;
    out.dwellMs = rules.reconciliationDwellMs;
    return out;
  }
  if (driver === 'manual') return out;
  const rule = rules.numeric[driver];
  rule.thresholds.forEach((t, r) => {
    if (!Number.isNaN(t)) out[levelName(r + 1)] = t;
  });
  out.margin = rule.margin;
  out.dwellMs = rule.dwellMs;
  if (driver === 'feedHealth') out.staleRank = rules.staleRank;
  return out;
}

/** The level of a rank. */
export function levelName(rank: number): Level {
  return LEVELS[rank];
}
