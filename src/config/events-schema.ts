/**
 * The `events` block of a scenario file (issue 8 §3): scheduled events with a name, a time (years
 * from inception, or a date counted from the scenario's `inception`), a log-jump distribution and a
 * vol bump. They move the Monte-Carlo markets (src/paths/event-jumps.ts) and strategies see the
 * upcoming ones in `MarketView.events`. Defaults live here, once.
 *
 * ```yaml
 * inception: 2025-01-02
 * events:
 *   - { name: CPI, at: 2025-02-12, jump: { mean: -0.03, std: 0.02 }, volBump: 0.08 }
 *   - { name: FOMC, at: 0.25 }
 * ```
 */
import { z } from 'zod';
import { isoDate, nonNegative, num, obj, positive } from '../core/schema.ts';
import { TRADING_DAYS_PER_YEAR } from '../core/time.ts';
import type { EventSpec } from '../market/events.ts';

/** Calendar days per year used to turn event dates into years (ACT/365.25). */
export const EVENT_DAYS_PER_YEAR = 365.25;

/** One scheduled event. */
export const EventSchema = obj({
  name: z.string().min(1, { error: 'must be a non-empty string' }).describe('Unique event name.'),
  at: z
    .union([positive(), isoDate()])
    .describe(
      'When: years from inception (> 0), or a date YYYY-MM-DD counted from `inception` (ACT/365.25).',
    ),
  jump: obj({
    mean: num().default(0).describe('Mean of the log jump ln(1 + return), e.g. -0.03.'),
    std: nonNegative().default(0).describe('Standard deviation of the log jump.'),
  })
    .prefault({})
    .describe('Log-normal jump applied to the affected assets at the event.'),
  volBump: nonNegative()
    .default(0)
    .describe('Extra diffusive vol after the event, annualized decimal (0.08 = 8 vol points).'),
  volHalfLife: positive()
    .default(5 / TRADING_DAYS_PER_YEAR)
    .describe('Half-life of the vol bump, years (default one trading week).'),
  assets: z
    .array(z.string())
    .optional()
    .describe('Names of the assets the event moves; default every asset.'),
});

/** The scenario's `events` list and its `inception` date. */
export const eventsFields = {
  inception: isoDate().optional().describe('Calendar date of t = 0; needed when an event gives a date.'),
  events: z
    .array(EventSchema)
    .optional()
    .describe(
      'Scheduled events: jumps and vol bumps in the Monte-Carlo markets, visible ahead to strategies.',
    ),
};

export type EventConfig = z.output<typeof EventSchema>;

/** Years from `inception` to `date` (ACT/365.25). */
export function yearsBetween(inception: string, date: string): number {
  const ms = Date.parse(`${date}T00:00:00Z`) - Date.parse(`${inception}T00:00:00Z`);
  return ms / 86_400_000 / EVENT_DAYS_PER_YEAR;
}

/** An event's time in years (NaN for a date without inception). */
export function eventTime(e: EventConfig, inception: string | undefined): number {
  if (typeof e.at === 'number') return e.at;
  return inception === undefined ? Number.NaN : yearsBetween(inception, e.at);
}

type Issue = (path: (string | number)[], message: string, input: unknown) => void;

/** Cross-field rules of the events (reported with file:line by the scenario loader). */
export function checkEvents(
  s: {
    readonly inception?: string | undefined;
    readonly events?: readonly EventConfig[] | undefined;
    readonly horizon: number;
    readonly portfolio: { readonly assets: readonly { readonly name: string }[] };
  },
  issue: Issue,
): void {
  const names = new Set<string>();
  const assets = s.portfolio.assets.map((a) => a.name);
  s.events?.forEach((e, i) => {
    if (names.has(e.name)) issue(['events', i, 'name'], 'must be unique', e.name);
    names.add(e.name);
    if (typeof e.at === 'string' && s.inception === undefined)
      issue(['events', i, 'at'], 'a date needs the scenario’s `inception` date (or give years)', e.at);
    const t = eventTime(e, s.inception);
    if (typeof e.at === 'string' && s.inception !== undefined && !(t > 0))
      issue(['events', i, 'at'], `must be after inception (${s.inception})`, e.at);
    else if (t > s.horizon)
      issue(
        ['events', i, 'at'],
        `must be within the horizon (${s.horizon} y; got ${Number(t.toPrecision(6))} y)`,
        e.at,
      );
    e.assets?.forEach((a, k) => {
      if (!assets.includes(a))
        issue(['events', i, 'assets', k], `must name an asset (${assets.join(', ')})`, a);
    });
  });
}

/** The validated events as path-model inputs (times in years, asset names → indices). */
export function scenarioEvents(s: {
  readonly inception?: string | undefined;
  readonly events?: readonly EventConfig[] | undefined;
  readonly portfolio: { readonly assets: readonly { readonly name: string }[] };
}): EventSpec[] {
  const names = s.portfolio.assets.map((a) => a.name);
  return (s.events ?? []).map((e) => ({
    name: e.name,
    t: eventTime(e, s.inception),
    jumpMean: e.jump.mean,
    jumpStd: e.jump.std,
    volBump: e.volBump,
    volHalfLife: e.volHalfLife,
    ...(e.assets ? { assets: e.assets.map((a) => names.indexOf(a)) } : {}),
  }));
}
