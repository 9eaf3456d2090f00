/**
 * zod building blocks shared by every schema at the edges (scenario files, strategy parameters,
 * book files): strict objects whose unknown-key error lists the allowed keys, and numeric rules
 * whose messages read as the house error format `path: rule (got x)`.
 *
 * References: zod 4 (https://zod.dev).
 */
import { z } from 'zod';
import { type Bound, boundMessage, MONEY_BOUND, RATE_BOUND, VOL_BOUND, YEARS_BOUND } from './bounds.ts';
import { isIsoDate } from './calendar-date.ts';

/** A strict object whose unknown-key error lists the allowed keys. */
export function obj<T extends z.core.$ZodLooseShape>(shape: T) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown key (allowed here: ${allowed})` : undefined),
  });
}

/**
 * Magnitude bound of every number a file gives (strikes, tenors, multipliers, drifts …) that has no
 * tighter bound of its own (src/core/bounds.ts): beyond it exp, powers and products leave double
 * precision and a run would print NaN or Infinity instead of refusing the input.
 */
export const MAX_MAGNITUDE = 1e12;
const TOO_BIG = { error: `must be <= 1e12 (the bound on any number hedgekit reads)` };
const TOO_SMALL = { error: `must be >= -1e12 (the bound on any number hedgekit reads)` };
export const num = () => z.number().gte(-MAX_MAGNITUDE, TOO_SMALL).lte(MAX_MAGNITUDE, TOO_BIG);
export const positive = () => z.number().gt(0, { error: 'must be > 0' }).lte(MAX_MAGNITUDE, TOO_BIG);
export const nonNegative = () => z.number().gte(0, { error: 'must be >= 0' }).lte(MAX_MAGNITUDE, TOO_BIG);
export const fraction = () => z.number().gte(0, { error: 'must be >= 0' }).lte(1, { error: 'must be <= 1' });
export const posInt = () => z.number().int({ error: 'must be an integer' }).gte(1, { error: 'must be >= 1' });
export const isoDate = () =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be an ISO date YYYY-MM-DD', abort: true })
    .refine(isIsoDate, { error: 'must be a real calendar date (no such day)' });
export const matrix = () => z.array(z.array(num()));
/** One number per asset (in portfolio order) or one for all. */
export const perAsset = (item: z.ZodNumber) => z.union([item, z.array(item)]);
/** {@link perAsset}, required, its absence explained (`what` says what the number is). */
export const perAssetRequired = (item: z.ZodNumber, what: string) =>
  z.union([item, z.array(item)], {
    error: (iss) =>
      iss.input === undefined
        ? `is required: ${what} (one number for all assets, or a list, one per asset)`
        : undefined,
  });

/** A number inside a stated bound (src/core/bounds.ts), messages naming the bound; `openMin` excludes the lower end. */
export const within = (b: Bound, openMin = false, base: z.ZodNumber = z.number()) =>
  base
    .refine((x) => (openMin ? x > b.min : x >= b.min), {
      error: boundMessage(b, 'min', openMin),
      abort: true,
    })
    .refine((x) => x <= b.max, { error: boundMessage(b, 'max') });
/** An integer inside a stated bound. */
export const intWithin = (b: Bound) =>
  within(b, false, z.number().int({ error: 'must be an integer', abort: true }));
/** A rate, yield, carry or spread: annual decimal in [−1, 1]. */
export const rateNum = () => within(RATE_BOUND);
/** A volatility: annual decimal in [0, 10]. */
export const volNum = () => within(VOL_BOUND);
/** A time in years in (0, 100]. */
export const yearsNum = () => within(YEARS_BOUND, true);
/** A price or money amount in (0, 10¹²]. */
export const moneyNum = () => within(MONEY_BOUND, true);
