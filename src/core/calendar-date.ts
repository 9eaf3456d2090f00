/**
 * Calendar dates written `YYYY-MM-DD` (ISO 8601 extended calendar date, proleptic Gregorian) and
 * the ACT/365F day count between them. Plain strings, no time zones: a date is a day.
 *
 * References: ISO 8601-1:2019 §5.2.2 (calendar date); ISDA 2006 Definitions §4.16(d)
 * (Actual/365 (Fixed): actual days ÷ 365).
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * True when `s` is a real calendar date written `YYYY-MM-DD` (proleptic Gregorian leap years).
 * @example isIsoDate('2024-02-29') // true
 * @example isIsoDate('2023-02-29') // false
 */
export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (m === null) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
  return d <= days;
}

/**
 * Days since 1970-01-01 of a valid ISO date (UTC calendar arithmetic, exact for every Gregorian date).
 * @example epochDay('1970-01-02') // 1
 */
export function epochDay(iso: string): number {
  return (
    Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000
  );
}

/** Days per year of the ACT/365F day count. */
export const ACT365F_DAYS = 365;

/**
 * ACT/365F year fraction from `a` to `b` (ISO dates): actual calendar days ÷ 365.
 * @example yearFractionAct365F('2020-01-01', '2021-01-01') // 1.0027397260273974 (366 days)
 */
export function yearFractionAct365F(a: string, b: string): number {
  return (epochDay(b) - epochDay(a)) / ACT365F_DAYS;
}

/**
 * Calendar days a window may start before the data's first date (or end after its last) without
 * an error: a window "from 2000-01-01" on data starting 2000-01-03 (a holiday weekend) is fine, one
 * starting decades before the data is a mistake that would silently clip it to a few rows.
 */
export const WINDOW_SLACK_DAYS = 7;

/**
 * Why a window `[from, to]` reaches beyond data spanning `[first, last]` by more than
 * {@link WINDOW_SLACK_DAYS}, or `undefined` when it does not.
 * @example windowOutsideData('1900-01-01', undefined, '1991-07-01', '1998-08-14')?.param // 'from'
 */
export function windowOutsideData(
  from: string | undefined,
  to: string | undefined,
  first: string,
  last: string,
): { param: 'from' | 'to'; message: string } | undefined {
  const days = (a: string, b: string) => epochDay(b) - epochDay(a);
  if (from !== undefined && isIsoDate(from) && days(from, first) > WINDOW_SLACK_DAYS)
    return {
      param: 'from',
      message: `from (${from}) is ${days(from, first)} days before the first date of the data (${first}): the window would be silently clipped; start it on or after ${first}`,
    };
  if (to !== undefined && isIsoDate(to) && days(last, to) > WINDOW_SLACK_DAYS)
    return {
      param: 'to',
      message: `to (${to}) is ${days(last, to)} days after the last date of the data (${last}): the window would be silently clipped; end it on or before ${last}`,
    };
  return undefined;
}
