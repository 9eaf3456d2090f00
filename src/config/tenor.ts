/**
 * Tenors in configuration files: `2W`, `1M`, `1Y` or a number of years. D = 1/365, W = 7/365,
 * M = 1/12, Y = 1 (ACT/365 days; months as twelfths of a year).
 */
import { z } from 'zod';
import { positive } from '../core/schema.ts';

/** `<number><D|W|M|Y>`, e.g. `2W`, `1.5Y`. */
export const TENOR = /^(\d+(?:\.\d+)?)([DWMY])$/;
/** Days per year of the ACT/365 convention. */
export const DAYS_PER_YEAR = 365;

/**
 * Years of a tenor; years pass through; NaN for text that is not a tenor (cross-field checks may
 * run on values their own schema rejected).
 * @example tenorYears('3M') // returns 0.25
 */
export function tenorYears(t: number | string): number {
  if (typeof t === 'number') return t;
  const m = TENOR.exec(t);
  if (m === null) return Number.NaN;
  const n = Number(m[1]);
  return m[2] === 'D'
    ? n / DAYS_PER_YEAR
    : m[2] === 'W'
      ? (7 * n) / DAYS_PER_YEAR
      : m[2] === 'M'
        ? n / 12
        : n;
}

/** A time span in a file: years > 0 or a tenor (`2W`, `1M`, `1Y`). */
export const tenorSchema = () =>
  z.union([positive(), z.string().regex(TENOR, { error: 'must be years > 0 or a tenor like 2W, 1M, 1Y' })]);
