/**
 * The one normalised market event every feed produces (CSV replay, JSON Lines, WebSocket): a quote,
 * a trade, a bar, an implied (or estimated) volatility, or a heartbeat, each with the instrument, a
 * timestamp (ms since the Unix epoch, UTC) and the feed's sequence number. Validated with zod at the
 * edge: a bad line is a clear error naming the field, never a NaN that reaches the book.
 *
 * Wire format (one JSON object per event, JSON Lines or one WebSocket text frame):
 * ```
 * {"kind":"bar","seq":1,"ts":1220313600000,"instrument":"SPX","close":1277.58}
 * {"kind":"vol","seq":2,"ts":1220313600000,"instrument":"SPX","vol":0.21,"measure":"implied"}
 * {"kind":"heartbeat","seq":3,"ts":1220313660000}
 * ```
 */
import { z } from 'zod';
import { ValidationError } from '../../core/errors.ts';

const finitePositive = () =>
  z
    .number({ error: 'must be a number' })
    .positive({ error: 'must be > 0' })
    .finite({ error: 'must be finite' });

const base = {
  /** Feed sequence number: consecutive integers from the feed (gaps and repeats are health problems). */
  seq: z.number().int({ error: 'must be an integer' }).nonnegative({ error: 'must be >= 0' }),
  /** Event time, ms since the Unix epoch (UTC). */
  ts: z
    .number()
    .int({ error: 'must be an integer (ms since the epoch)' })
    .nonnegative({ error: 'must be >= 0' }),
};
const instrument = z.string().min(1, { error: 'must be a non-empty string' });

export const QuoteEventSchema = z.strictObject({
  kind: z.literal('quote'),
  ...base,
  instrument,
  bid: finitePositive(),
  ask: finitePositive(),
});
export const TradeEventSchema = z.strictObject({
  kind: z.literal('trade'),
  ...base,
  instrument,
  price: finitePositive(),
  size: z.number().nonnegative().finite().optional(),
});
export const BarEventSchema = z.strictObject({
  kind: z.literal('bar'),
  ...base,
  instrument,
  open: finitePositive().optional(),
  high: finitePositive().optional(),
  low: finitePositive().optional(),
  close: finitePositive(),
  volume: z.number().nonnegative().finite().optional(),
});
export const VolEventSchema = z.strictObject({
  kind: z.literal('vol'),
  ...base,
  instrument,
  /** Annualized volatility, decimal (0.2 = 20 %). */
  vol: z.number().nonnegative({ error: 'must be >= 0' }).finite({ error: 'must be finite' }),
  /** 'implied' (a quoted implied vol, e.g. the VIX / 100) or 'ewma' (an estimate from prices). */
  measure: z.enum(['implied', 'ewma']).default('implied'),
});
export const HeartbeatEventSchema = z.strictObject({ kind: z.literal('heartbeat'), ...base });

/** Any market event (discriminated by `kind`). */
export const FeedEventSchema = z.discriminatedUnion('kind', [
  QuoteEventSchema,
  TradeEventSchema,
  BarEventSchema,
  VolEventSchema,
  HeartbeatEventSchema,
]);

export type QuoteEvent = z.output<typeof QuoteEventSchema>;
export type TradeEvent = z.output<typeof TradeEventSchema>;
export type BarEvent = z.output<typeof BarEventSchema>;
export type VolEvent = z.output<typeof VolEventSchema>;
export type HeartbeatEvent = z.output<typeof HeartbeatEventSchema>;
export type FeedEvent = z.output<typeof FeedEventSchema>;
/** Events that carry a price of an instrument. */
export type PriceEvent = QuoteEvent | TradeEvent | BarEvent;

/**
 * The price an event carries: a bar's close, a trade's price, a quote's mid (bid + ask)/2;
 * undefined for vol and heartbeat events.
 * @example eventPrice({ kind: 'quote', seq: 1, ts: 0, instrument: 'X', bid: 99, ask: 101 }) // returns 100
 */
export function eventPrice(e: FeedEvent): number | undefined {
  switch (e.kind) {
    case 'bar':
      return e.close;
    case 'trade':
      return e.price;
    case 'quote':
      return 0.5 * (e.bid + e.ask);
    default:
      return undefined;
  }
}

/**
 * Validates one decoded event.
 * @param where location for messages, e.g. `feed.jsonl:12` or `ws://127.0.0.1:9000 message 4`
 * @throws ValidationError `where: field: rule (got x)` (code `feed-invalid`)
 */
export function parseFeedEvent(data: unknown, where: string): FeedEvent {
  const r = FeedEventSchema.safeParse(data, { reportInput: true });
  if (r.success) {
    if (r.data.kind === 'quote' && r.data.ask < r.data.bid)
      throw new ValidationError(where, `ask (${r.data.ask}) must be >= bid (${r.data.bid})`, 'feed-invalid');
    return r.data;
  }
  const iss = r.error.issues[0];
  const path = iss.path.map(String).join('.');
  const input = (iss as { input?: unknown }).input;
  const got = input === undefined ? '' : ` (got ${JSON.stringify(input)})`;
  throw new ValidationError(where, `${path ? `${path}: ` : ''}${iss.message}${got}`, 'feed-invalid');
}

/**
 * Decodes and validates one JSON text line.
 * @throws ValidationError `where: invalid JSON …` or a schema error (code `feed-invalid`)
 */
export function parseFeedLine(line: string, where: string): FeedEvent {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch (e) {
    throw new ValidationError(where, `invalid JSON (${(e as Error).message})`, 'feed-invalid');
  }
  return parseFeedEvent(data, where);
}

/** The event as one JSON line (no newline). */
export function formatFeedEvent(e: FeedEvent): string {
  return JSON.stringify(e);
}
