/**
 * The schema of one option, as given by CLI flags or by one row of an option file (CSV or JSON
 * Lines). Defaults live here, once: style european, model bsm, dividend 0, rebate 0.
 */
import { z } from 'zod';

const num = (what: string) =>
  z
    .number({ error: (iss) => (iss.input === undefined ? 'is required' : `must be a number`) })
    .refine(Number.isFinite, {
      error: `${what} must be a finite number`,
    });
const positive = (what: string) => num(what).refine((x) => x > 0, { error: 'must be > 0' });

/** Fields shared by `price` and `iv` rows. */
const base = {
  type: z.enum(['call', 'put'], { error: 'must be call or put' }),
  style: z.enum(['european', 'american'], { error: 'must be european or american' }).default('european'),
  model: z.enum(['bsm', 'black76'], { error: 'must be bsm or black76' }).default('bsm'),
  spot: positive('spot').optional(),
  forward: positive('forward').optional(),
  strike: positive('strike'),
  expiry: positive('expiry').describe('years'),
  rate: num('rate'),
  dividend: num('dividend').default(0),
  barrier: positive('barrier').optional(),
  barrier_type: z
    .enum(['down-in', 'down-out', 'up-in', 'up-out'], { error: 'must be down-in, down-out, up-in or up-out' })
    .optional(),
  rebate: num('rebate')
    .refine((x) => x >= 0, { error: 'must be >= 0' })
    .default(0),
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
  .object({ ...base, vol: num('vol').refine((x) => x >= 0, { error: 'must be >= 0' }) })
  .strict()
  .superRefine(crossChecks);

/** One implied-vol problem: the fields above plus the option's `price`. */
export const IvRowSchema = z
  .object({ ...base, price: num('price') })
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
 * absent, numeric fields become numbers (or stay text, so the schema reports "must be a number").
 */
export function coerceTextRecord(record: Record<string, string | undefined>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(record)) {
    if (raw === undefined) continue;
    const v = raw.trim();
    if (v === '') continue;
    if (NUMERIC_FIELDS.has(k)) {
      const x = Number(v);
      out[k] = Number.isNaN(x) && v.toLowerCase() !== 'nan' ? v : x;
    } else out[k] = v;
  }
  return out;
}
