/**
 * The escalation protocol's configuration: per driver the thresholds at which it asks WATCH /
 * DE-RISK / PROTECT / HALTED, the hysteresis margin by which a condition must clear before the
 * driver steps down, and the minimum dwell time it must stay cleared. Every default lives here,
 * once; docs/escalation.md tabulates them.
 *
 * A threshold of `null` means the driver never asks that level. "Higher is worse" for every driver
 * except the cushion (lower is worse). A driver asks level L when its value is at or beyond L's
 * threshold; it may step down from L once the value has been beyond L's threshold *cleared by the
 * margin* (value < threshold − margin, or > threshold + margin for the cushion) for `dwellHours`.
 *
 * Defaults and their sources:
 * - index drop against the previous close 7 % / 13 % / 20 % → DE-RISK / PROTECT / HALTED mirror
 *   the US market-wide circuit breakers (Level 1 / 2 / 3 declines of the S&P 500 from the prior
 *   day's close; Level 3 halts trading for the rest of the day): NYSE Rule 7.12 (formerly Rule 80B)
 *   as amended in SEC Release No. 34-67090 (May 31, 2012, in force since April 8, 2013). The WATCH
 *   level at 3.5 % (half of Level 1) is hedgekit's choice.
 * - one-day move in EWMA sigmas: σ from the RiskMetrics EWMA with λ = 0.94 for daily data
 *   (J.P. Morgan/Reuters, RiskMetrics — Technical Document, 4th ed., 1996, §5.2.1); 3 / 4 / 6 σ.
 * - cushion in units of the CPPI crash tolerance 1/m: cushionUnits = m·(V − F)/V. With the
 *   whole book in the risky asset, a cushion of one unit survives a one-period drop of 1/m (the
 *   gap a CPPI with multiplier m tolerates: Black & Perold, "Theory of constant proportion
 *   portfolio insurance", JEDC 16, 1992). 0.3 / 0.2 / 0.1 units.
 * - shocked loss / cushion under spot −10 % and vol +10 points: 0.5 / 0.8 / 1.0 (at 1.0 the shock
 *   alone would take the book to its floor).
 * - realised vol / implied vol 1.25 / 1.5 / 2.0.
 * - feed problems per update (gaps, duplicates, out-of-order prints) ≥ 1 / ≥ 3; a stale feed asks
 *   DE-RISK (no new risk on prices that may be old).
 * - orders per minute 30 (WATCH) and 60 (HALTED: a runaway order loop is a kill-switch event).
 * - a reconciliation mismatch with the execution adapter asks HALTED.
 */
import { z } from 'zod';
import { parseOrThrow } from '../../config/issues.ts';
import { nonNegative, obj, positive } from '../../core/schema.ts';
import { LEVELS, type Level } from './types.ts';

const threshold = (d: number | null, what: string) =>
  z.number().nullable().default(d).describe(`${what} (null: the driver never asks this level).`);

const dwell = () =>
  nonNegative()
    .optional()
    .describe('Minimum time cleared before each step down, hours (default: the top-level dwellHours).');

const LevelName = z.enum(LEVELS);

/** Floor cushion in units of the CPPI crash tolerance 1/m (lower is worse). */
export const CushionDriverSchema = obj({
  multiplier: positive()
    .default(4)
    .describe('m used to express the cushion in units of 1/m when the book has no CPPI multiplier.'),
  watch: threshold(0.3, 'WATCH when cushionUnits <= this'),
  deRisk: threshold(0.2, 'DE-RISK when cushionUnits <= this'),
  protect: threshold(0.1, 'PROTECT when cushionUnits <= this'),
  halted: threshold(null, 'HALTED when cushionUnits <= this'),
  margin: nonNegative().default(0.05).describe('Hysteresis, cushion units.'),
  dwellHours: dwell(),
});

/** Loss under the shock (spot and vol) divided by the cushion (higher is worse). */
export const ShockedLossDriverSchema = obj({
  spot: z.number().gt(-1, { error: 'must be > -1' }).default(-0.1).describe('Spot shock, relative.'),
  vol: z.number().default(0.1).describe('Implied-vol shock, absolute (0.1 = +10 vol points).'),
  watch: threshold(0.5, 'WATCH when shocked loss / cushion >= this'),
  deRisk: threshold(0.8, 'DE-RISK when shocked loss / cushion >= this'),
  protect: threshold(1, 'PROTECT when shocked loss / cushion >= this'),
  halted: threshold(null, 'HALTED when shocked loss / cushion >= this'),
  margin: nonNegative().default(0.1).describe('Hysteresis, ratio units.'),
  dwellHours: dwell(),
});

/** |one-day log return| / EWMA daily sigma (higher is worse). */
export const MoveSigmasDriverSchema = obj({
  lambda: z
    .number()
    .gt(0, { error: 'must be > 0' })
    .lt(1, { error: 'must be < 1' })
    .default(0.94)
    .describe('EWMA decay of the daily variance (RiskMetrics 0.94).'),
  watch: threshold(3, 'WATCH when the move is >= this many sigmas'),
  deRisk: threshold(4, 'DE-RISK when the move is >= this many sigmas'),
  protect: threshold(6, 'PROTECT when the move is >= this many sigmas'),
  halted: threshold(null, 'HALTED when the move is >= this many sigmas'),
  margin: nonNegative().default(0.5).describe('Hysteresis, sigmas.'),
  dwellHours: dwell(),
});

/** Drop of the index against the previous close, fraction (higher is worse). */
export const IndexDropDriverSchema = obj({
  watch: threshold(0.035, 'WATCH when the drop is >= this'),
  deRisk: threshold(0.07, 'DE-RISK when the drop is >= this (circuit breaker Level 1)'),
  protect: threshold(0.13, 'PROTECT when the drop is >= this (circuit breaker Level 2)'),
  halted: threshold(0.2, 'HALTED when the drop is >= this (circuit breaker Level 3)'),
  margin: nonNegative().default(0.01).describe('Hysteresis, fraction of the previous close.'),
  dwellHours: dwell(),
});

/** Realised vol / implied vol (higher is worse). */
export const VolRatioDriverSchema = obj({
  watch: threshold(1.25, 'WATCH when realised/implied >= this'),
  deRisk: threshold(1.5, 'DE-RISK when realised/implied >= this'),
  protect: threshold(2, 'PROTECT when realised/implied >= this'),
  halted: threshold(null, 'HALTED when realised/implied >= this'),
  margin: nonNegative().default(0.1).describe('Hysteresis, ratio units.'),
  dwellHours: dwell(),
});

/** Feed problems per update; a stale feed asks `stale` (higher is worse). */
export const FeedHealthDriverSchema = obj({
  watch: threshold(1, 'WATCH when an update reports >= this many feed problems'),
  deRisk: threshold(3, 'DE-RISK when an update reports >= this many feed problems'),
  protect: threshold(null, 'PROTECT when an update reports >= this many feed problems'),
  halted: threshold(null, 'HALTED when an update reports >= this many feed problems'),
  stale: LevelName.default('DE-RISK').describe('Level asked while the feed is stale.'),
  margin: nonNegative().default(0).describe('Hysteresis, problems per update.'),
  dwellHours: dwell(),
});

/** Orders per minute (higher is worse). */
export const OrderRateDriverSchema = obj({
  watch: threshold(30, 'WATCH when orders per minute >= this'),
  deRisk: threshold(null, 'DE-RISK when orders per minute >= this'),
  protect: threshold(null, 'PROTECT when orders per minute >= this'),
  halted: threshold(60, 'HALTED when orders per minute >= this (the order-rate limit)'),
  margin: nonNegative().default(5).describe('Hysteresis, orders per minute.'),
  dwellHours: dwell(),
});

/** A position mismatch with the execution adapter. */
export const ReconciliationDriverSchema = obj({
  level: LevelName.default('HALTED').describe('Level asked while positions do not reconcile.'),
  dwellHours: dwell(),
});

/** The protocol's fields (the overlay entry of back-tests spreads them too). */
export const escalationConfigShape = {
  dwellHours: nonNegative()
    .default(24)
    .describe('Minimum time a driver must stay cleared before each one-level step down, hours.'),
  cushion: CushionDriverSchema.prefault({}),
  shockedLoss: ShockedLossDriverSchema.prefault({}),
  moveSigmas: MoveSigmasDriverSchema.prefault({}),
  indexDrop: IndexDropDriverSchema.prefault({}),
  volRatio: VolRatioDriverSchema.prefault({}),
  feedHealth: FeedHealthDriverSchema.prefault({}),
  orderRate: OrderRateDriverSchema.prefault({}),
  reconciliation: ReconciliationDriverSchema.prefault({}),
};

/** Reports a cross-field problem at `path` (relative to the configuration). */
export type ConfigIssue = (path: readonly (string | number)[], message: string, input: unknown) => void;

/**
 * Cross-field rules: thresholds ordered by level (ascending, descending for the cushion), and
 * every margin below the driver's lowest threshold (else the driver could never clear).
 */
export function checkEscalationConfig(c: EscalationConfig, issue: ConfigIssue): void {
  const ordered = (name: string, d: ThresholdSet, lowerIsWorse: boolean) => {
    let prev: { key: string; v: number } | undefined;
    for (const key of THRESHOLD_KEYS) {
      const v = d[key];
      if (v === null) continue;
      if (prev && (lowerIsWorse ? v >= prev.v : v <= prev.v))
        issue(
          [name, key],
          `must be ${lowerIsWorse ? '<' : '>'} ${prev.key} (${prev.v}): thresholds must be ordered by level`,
          v,
        );
      prev = { key, v };
    }
  };
  ordered('cushion', c.cushion, true);
  ordered('shockedLoss', c.shockedLoss, false);
  ordered('moveSigmas', c.moveSigmas, false);
  ordered('indexDrop', c.indexDrop, false);
  ordered('volRatio', c.volRatio, false);
  ordered('feedHealth', c.feedHealth, false);
  ordered('orderRate', c.orderRate, false);
  for (const name of [
    'shockedLoss',
    'moveSigmas',
    'indexDrop',
    'volRatio',
    'feedHealth',
    'orderRate',
  ] as const) {
    const d = c[name];
    const first = THRESHOLD_KEYS.map((k) => d[k]).find((v) => v !== null);
    if (first !== undefined && first !== null && d.margin > first)
      issue([name, 'margin'], `must be <= the lowest threshold (${first}) so the driver can clear`, d.margin);
  }
}

/** The whole protocol's configuration; `EscalationConfigSchema.parse({})` gives every default. */
export const EscalationConfigSchema = obj(escalationConfigShape).superRefine((c, ctx) =>
  checkEscalationConfig(c, (path, message, input) =>
    ctx.addIssue({ code: 'custom', path: [...path], message, input }),
  ),
);

/** The threshold fields of a driver, in increasing level order. */
export const THRESHOLD_KEYS = ['watch', 'deRisk', 'protect', 'halted'] as const;
type ThresholdSet = Readonly<Record<(typeof THRESHOLD_KEYS)[number], number | null>>;

/** Level each threshold key asks. */
export const THRESHOLD_LEVEL: Readonly<Record<(typeof THRESHOLD_KEYS)[number], Level>> = {
  watch: 'WATCH',
  deRisk: 'DE-RISK',
  protect: 'PROTECT',
  halted: 'HALTED',
};

/** The scenario/live-file input form (defaults optional). */
export type EscalationConfigInput = z.input<typeof EscalationConfigSchema>;
/** A validated configuration (defaults filled). */
export type EscalationConfig = z.output<typeof EscalationConfigSchema>;

/**
 * Validates `input` (defaults filled) or throws a ValidationError naming every bad field, e.g.
 * `indexDrop.protect: must be > deRisk (0.07): thresholds must be ordered by level (got 0.05)`.
 */
export function parseEscalationConfig(input: unknown = {}, where = ''): EscalationConfig {
  return parseOrThrow(EscalationConfigSchema, input, where);
}
