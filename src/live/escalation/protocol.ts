/**
 * The escalation protocol for one book: plain, deterministic state fed measurements with their
 * time (it never reads a clock), answering with the audit transitions they caused.
 *
 * - Each driver (types.ts DRIVERS) holds a latched level, moved by the kernel (rules.ts): escalate
 *   at once; step down ONE level at a time, only after the condition has cleared its threshold by
 *   the driver's margin for the dwell time; never automatically out of HALTED.
 * - The book's level is the most restrictive (highest) of the drivers' levels.
 * - A missing input (or NaN) means "not measured now": that driver keeps its level and its dwell
 *   clock. `feedProblems` and `feedStale` measure one driver; given one, the other counts healthy.
 * - Manual actions always return exactly one audit transition (its `from` may equal its `to`):
 *   `halt` sets the manual driver to HALTED; `override` sets the manual driver to a level at once,
 *   and when lowering also clears every automatic driver's latch down to that level (a condition
 *   that still holds re-escalates at the next update); `override` cannot leave HALTED; `rearm`
 *   (only from HALTED) drops every driver at HALTED to PROTECT (whose step-down then follows the
 *   dwell rules) and the manual driver to NORMAL; `acknowledge` is recorded and changes nothing.
 * - Time never runs backwards: an update or action older than the last one throws.
 *
 * @example
 * const esc = createEscalation({});
 * esc.update({ timeMs: 0, indexDrop: 0.08 }); // → [{ from: 'NORMAL', to: 'DE-RISK', driver: 'indexDrop', … }]
 * esc.level; // 'DE-RISK'
 * References: docs/escalation.md (levels, triggers, de-escalation rules); NYSE Rule 7.12.
 */
import { z } from 'zod';
import { parseOrThrow } from '../../config/issues.ts';
import { DomainError } from '../../core/errors.ts';
import { levelPolicy } from './admissible.ts';
import { type EscalationConfig, type EscalationConfigInput, parseEscalationConfig } from './config.ts';
import {
  compileRules,
  DRIVER_INDEX,
  HALTED_RANK,
  levelName,
  type NumericDriver,
  rankOf,
  rearmDriver,
  stepDriver,
  thresholdRecord,
} from './rules.ts';
import {
  type Actor,
  DRIVERS,
  type Driver,
  type Escalation,
  type EscalationInputs,
  LEVELS,
  type Level,
  type LevelPolicy,
  levelRank,
  type ManualAction,
  type Transition,
} from './types.ts';

/** The protocol with its configuration and per-driver levels exposed (for monitors and tests). */
export interface EscalationProtocol extends Escalation {
  readonly config: EscalationConfig;
  /** Each driver's latched level; the book's level is their maximum. */
  driverLevels(): Readonly<Record<Driver, Level>>;
}

/** The JSON-safe snapshot (NaN dwell clocks as null). */
const SnapshotSchema = z.strictObject({
  version: z.literal(1),
  levels: z.array(z.number().int().gte(0).lte(HALTED_RANK)).length(DRIVERS.length),
  since: z.array(z.number().nullable()).length(DRIVERS.length),
  lastTimeMs: z.number().nullable(),
});
export type EscalationSnapshot = z.output<typeof SnapshotSchema>;

const MANUAL = DRIVER_INDEX.manual;

/** A measured number, or null when absent or NaN ("not measured now"). */
const num = (v: number | undefined): number | null => (v === undefined || Number.isNaN(v) ? null : v);

/**
 * Builds a protocol from a configuration (input form: defaults filled and validated here).
 * @throws ValidationError naming the field when the configuration is invalid.
 */
export function createEscalation(config: EscalationConfigInput = {}): EscalationProtocol {
  const cfg = parseEscalationConfig(config);
  const rules = compileRules(cfg);
  const levels = new Uint8Array(DRIVERS.length);
  const since = new Float64Array(DRIVERS.length).fill(Number.NaN);
  const before = new Uint8Array(DRIVERS.length);
  const values: (number | boolean | null)[] = DRIVERS.map(() => null);
  let lastTimeMs = Number.NaN;

  const rank = (): number => {
    let r = 0;
    for (let k = 0; k < levels.length; k++) if (levels[k] > r) r = levels[k];
    return r;
  };

  function checkTime(timeMs: number): void {
    if (!Number.isFinite(timeMs)) throw new DomainError('timeMs', timeMs, 'must be a finite number');
    if (timeMs < lastTimeMs)
      throw new DomainError('timeMs', timeMs, `must be >= the previous update's (${lastTimeMs})`);
    lastTimeMs = timeMs;
  }

  function stepNumeric(driver: NumericDriver, value: number, timeMs: number, extra = 0): void {
    const rule = rules.numeric[driver];
    const asked = Math.max(rankOf(rule, value), extra);
    const cleared = Math.max(rankOf(rule, value, rule.margin), extra);
    stepDriver(levels, since, DRIVER_INDEX[driver], asked, cleared, timeMs, rule.dwellMs);
  }

  function measured(inputs: EscalationInputs, driver: Driver): number | boolean | null {
    switch (driver) {
      case 'cushion':
        return num(inputs.cushionUnits);
      case 'shockedLoss':
        return num(inputs.shockedLossOverCushion);
      case 'moveSigmas': {
        const v = num(inputs.moveSigmas);
        return v === null ? null : Math.abs(v);
      }
      case 'indexDrop':
        return num(inputs.indexDrop);
      case 'volRatio':
        return num(inputs.volRatio);
      case 'feedHealth':
        if (num(inputs.feedProblems) === null && inputs.feedStale === undefined) return null;
        return inputs.feedStale === true ? true : (num(inputs.feedProblems) ?? 0);
      case 'orderRate':
        return num(inputs.ordersPerMinute);
      case 'reconciliation':
        return inputs.reconciliationMismatch ?? null;
      case 'manual':
        return null;
    }
  }

  function transition(
    from: number,
    to: number,
    driver: Driver,
    timeMs: number,
    inputs: EscalationInputs,
    actor: Actor,
    reason: string,
  ): Transition {
    return {
      timeMs,
      from: levelName(from),
      to: levelName(to),
      driver,
      value: values[DRIVER_INDEX[driver]],
      thresholds: thresholdRecord(rules, driver),
      inputs: { ...inputs },
      actor,
      reason,
    };
  }

  function update(inputs: EscalationInputs): Transition[] {
    checkTime(inputs.timeMs);
    const t = inputs.timeMs;
    const from = rank();
    before.set(levels);
    for (const driver of DRIVERS) {
      const v = measured(inputs, driver);
      values[DRIVER_INDEX[driver]] = v;
      if (v === null) continue;
      if (driver === 'reconciliation') {
        const r = v === true ? rules.reconciliationRank : 0;
        stepDriver(levels, since, DRIVER_INDEX.reconciliation, r, r, t, rules.reconciliationDwellMs);
      } else if (driver === 'feedHealth') {
        const stale = inputs.feedStale === true ? rules.staleRank : 0;
        stepNumeric('feedHealth', typeof v === 'number' ? v : (num(inputs.feedProblems) ?? 0), t, stale);
      } else stepNumeric(driver as NumericDriver, v as number, t);
    }
    const to = rank();
    if (to === from) return [];
    // The driver that moved the book: the first (DRIVERS order) that rose to the new level, or
    // that stepped down from the old one.
    let k = 0;
    if (to > from) while (!(levels[k] === to && before[k] < to)) k++;
    else while (!(before[k] === from && levels[k] < from)) k++;
    const driver = DRIVERS[k];
    const value = values[k];
    const reason =
      to > from
        ? `${driver} ${String(value)} reached ${levelName(to)}`
        : `${driver} ${String(value)} cleared ${levelName(from)} by its margin for the dwell time`;
    return [transition(from, to, driver, t, inputs, 'auto', reason)];
  }

  function manual(action: ManualAction, timeMs: number): Transition[] {
    checkTime(timeMs);
    const from = rank();
    values[MANUAL] = null;
    const who = action.actor;
    let reason: string;
    switch (action.kind) {
      case 'acknowledge':
        reason = `acknowledged by ${who}`;
        break;
      case 'halt':
        levels[MANUAL] = HALTED_RANK;
        since[MANUAL] = Number.NaN;
        reason = `halted by ${who}`;
        break;
      case 'override': {
        const r = levelRank(action.level);
        if (r < 0) throw new DomainError('level', action.level, `must be one of ${LEVELS.join(', ')}`);
        if (from === HALTED_RANK && r < HALTED_RANK)
          throw new DomainError('level', action.level, 'cannot leave HALTED by override; use rearm');
        levels[MANUAL] = r;
        since[MANUAL] = Number.NaN;
        if (r < from)
          for (let k = 0; k < levels.length; k++)
            if (levels[k] > r) {
              levels[k] = r;
              since[k] = Number.NaN;
            }
        reason = `override to ${action.level} by ${who}`;
        break;
      }
      case 'rearm':
        if (from !== HALTED_RANK)
          throw new DomainError('action', 'rearm', `needs level HALTED (now ${levelName(from)})`);
        for (let k = 0; k < levels.length; k++) rearmDriver(levels, since, k);
        levels[MANUAL] = 0;
        reason = `re-armed by ${who}`;
        break;
    }
    return [transition(from, rank(), 'manual', timeMs, { timeMs }, { manual: who }, reason)];
  }

  function snapshot(): EscalationSnapshot {
    return {
      version: 1,
      levels: Array.from(levels),
      since: Array.from(since, (s) => (Number.isNaN(s) ? null : s)),
      lastTimeMs: Number.isNaN(lastTimeMs) ? null : lastTimeMs,
    };
  }

  function restore(snap: unknown): void {
    const s = parseOrThrow(SnapshotSchema, snap, 'escalation snapshot');
    levels.set(s.levels);
    s.since.forEach((v, k) => {
      since[k] = v ?? Number.NaN;
    });
    lastTimeMs = s.lastTimeMs ?? Number.NaN;
  }

  return {
    config: cfg,
    get level(): Level {
      return levelName(rank());
    },
    update,
    manual,
    policy(): LevelPolicy {
      return levelPolicy(levelName(rank()));
    },
    driverLevels() {
      return Object.fromEntries(DRIVERS.map((d, k) => [d, levelName(levels[k])])) as Record<Driver, Level>;
    },
    snapshot,
    restore,
  };
}
