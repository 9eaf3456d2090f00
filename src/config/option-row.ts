/**
 * The schema of one option, as given by CLI flags or by one row of an option file (CSV or JSON
 * Lines). Defaults live here, once: style european, model bsm, dividend 0, rebate 0.
 */
import { z } from 'zod';
import { type Bound, boundMessage, MONEY_BOUND, RATE_BOUND, VOL_BOUND, YEARS_BOUND } from '../core/bounds.ts';
import { parseDecimal } from '../core/decimal.ts';

const num = (what: string) =>
  z
    .number({ error: (iss) => (iss.input === undefined ? 'is required' : `must be a number`) })
    .refine(Number.isFinite, {
      error: `${what} must be a finite number`,
    });
/** A number in `b` (the lower end open when `openMin`), with messages naming the bound. */
const bounded = (what: string, b: Bound, openMin = false) =>
  num(what)
    .refine((x) => (openMin ? x > b.min : x >= b.min), {
      error: boundMessage(b, 'min', openMin),
      abort: true,
    })
    .refine((x) => x <= b.max, { error: boundMessage(b, 'max') });
const money = (what: string) => bounded(what, MONEY_BOUND, true);

/** Fields shared by `price` and `iv` rows. */
const base = {
  type: z.enum(['call', 'put'], { error: 'must be call or put' }),
  style: z.enum(['european', 'american'], { error: 'must be european or american' }).default('european'),
  model: z.enum(['bsm', 'black76'], { error: 'must be bsm or black76' }).default('bsm'),
  spot: money('spot').optional(),
  forward: money('forward').optional(),
  strike: money('strike'),
  expiry: bounded('expiry', YEARS_BOUND, true).describe('years'),
  rate: bounded('rate', RATE_BOUND),
  dividend: bounded('dividend', RATE_BOUND).default(0),
  barrier: money('barrier').optional(),
  barrier_type: z
    .enum(['down-in', 'down-out', 'up-in', 'up-out'], { error: 'must be down-in, down-out, up-in or up-out' })
    .optional(),
  rebate: bounded('rebate', { ...MONEY_BOUND, min: 0 }).default(0),
};

type Base = {
  model: 'bsm' | 'black76';
  spot?: number | undefined;
  forward?: number | undefined;
  barrier?: number | undefined;
  barrier_type?: string | undefined;
  style: 'european' | 'american';
  dividend: number;
};

function crossChecks(row: Base, ctx: z.RefinementCtx) {
  if (row.model === 'bsm') {
    if (row.spot === undefined)
      ctx.addIssue({ code: 'custom', path: ['spot'], message: 'is required for model bsm' });
    if (row.forward !== undefined)
      ctx.addIssue({ code: 'custom', path: ['forward'], message: 'is only for model black76 (use spot)' });
  } else {
    if (row.forward === undefined)
      ctx.addIssue({ code: 'custom', path: ['forward'], message: 'is required for model black76' });
    if (row.spot !== undefined)
      ctx.addIssue({ code: 'custom', path: ['spot'], message: 'is only for model bsm (use forward)' });
    if (row.dividend !== 0)
      ctx.addIssue({ code: 'custom', path: ['dividend'], message: 'must be 0 for model black76' });
  }
  if ((row.barrier === undefined) !== (row.barrier_type === undefined)) {
    const missing = row.barrier === undefined ? 'barrier' : 'barrier_type';
    ctx.addIssue({
      code: 'custom',
      path: [missing],
      message: 'is required when the other barrier field is given',
    });
  }
  if (row.barrier !== undefined && row.style === 'american')
    ctx.addIssue({ code: 'custom', path: ['style'], message: 'barrier options are european only' });
}

/** One option to price: the fields above plus `vol` (annual decimal, >= 0). */
export const PriceRowSchema = z
  .object({ ...base, vol: bounded('vol', VOL_BOUND) })
  .strict()
  .superRefine(crossChecks);

/** One implied-vol problem: the fields above plus the option's `price`. */
export const IvRowSchema = z
  .object({ ...base, price: bounded('price', { ...MONEY_BOUND, min: -MONEY_BOUND.max }) })
  .strict()
  .superRefine(crossChecks);

export type PriceRow = z.output<typeof PriceRowSchema>;
export type IvRow = z.output<typeof IvRowSchema>;

/** Numeric fields: text values from CSV files and CLI flags are converted before validation. */
export const NUMERIC_FIELDS = new Set([
  'spot',
  'forward',
  'strike',
  'expiry',
  'rate',
  'dividend',
  'barrier',
  'rebate',
  'vol',
  'price',
]);

/**
 * Text record (CSV cells, CLI flag values) → plain object for the schemas: empty cells are
 * absent, numeric fields written in decimal notation become numbers; anything else (hex, binary,
 * "Infinity", words) stays text, so the schema reports "must be a number (got "0x64")".
 */
export function coerceTextRecord(record: Record<string, string | undefined>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(record)) {
    if (raw === undefined) continue;
    const v = raw.trim();
    if (v === '') continue;
    if (NUMERIC_FIELDS.has(k)) {
      // Decimal notation only: Number() would also read 0x64, 0b11, 0o7 and "Infinity" as numbers.
      const x = parseDecimal(v);
      out[k] = x === undefined ? v : x;
    } else out[k] = v;
  }
  return out;
}
