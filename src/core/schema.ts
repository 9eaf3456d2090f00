/**
 * zod building blocks shared by every schema at the edges (scenario files, strategy parameters,
 * book files): strict objects whose unknown-key error lists the allowed keys, and numeric rules
 * whose messages read as the house error format `path: rule (got x)`.
 *
 * References: zod 4 (https://zod.dev).
 */
import { z } from 'zod';

/** A strict object whose unknown-key error lists the allowed keys. */
export function obj<T extends z.core.$ZodLooseShape>(shape: T) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown key (allowed here: ${allowed})` : undefined),
  });
}

export const num = () => z.number();
export const positive = () => z.number().gt(0, { error: 'must be > 0' });
export const nonNegative = () => z.number().gte(0, { error: 'must be >= 0' });
export const fraction = () => z.number().gte(0, { error: 'must be >= 0' }).lte(1, { error: 'must be <= 1' });
export const posInt = () => z.number().int({ error: 'must be an integer' }).gte(1, { error: 'must be >= 1' });
export const isoDate = () =>
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be an ISO date YYYY-MM-DD' });
export const matrix = () => z.array(z.array(num()));
/** One number per asset (in portfolio order) or one for all. */
export const perAsset = (item: z.ZodNumber) => z.union([item, z.array(item)]);
