/**
 * The stated input bounds of every numeric domain hedgekit accepts at its edges (CLI flags, option
 * files, scenario files). Inside these bounds the pricing kernels and the engine produce finite
 * numbers; outside them an input is refused with a message naming the field and the bound, never
 * priced into NaN or ±Infinity. Defaults and limits live here, once; the zod helpers in
 * src/core/schema.ts and src/config/option-row.ts read them.
 *
 * Why these values: rates and yields beyond ±100 % a year, vols beyond 1,000 %, expiries beyond
 * 100 years and prices beyond 10¹² are not markets but typos; they are also where exp(−rT),
 * σ√T and the normal tails leave double precision (e^(−800) underflows, e^(1e308) overflows).
 */

/** A closed interval `[min, max]` with what it measures, for messages. */
export interface Bound {
  readonly min: number;
  readonly max: number;
  /** Unit shown in messages, e.g. "annual decimal". */
  readonly unit: string;
}

/** Continuously compounded rates, yields, carries, borrow spreads: annual decimals. */
export const RATE_BOUND: Bound = { min: -1, max: 1, unit: 'annual decimal, 1 = 100 %' };
/** Volatilities: annual decimals (10 = 1,000 %). */
export const VOL_BOUND: Bound = { min: 0, max: 10, unit: 'annual decimal, 10 = 1,000 %' };
/** Expiries, horizons, tenors: years. */
export const YEARS_BOUND: Bound = { min: 0, max: 100, unit: 'years' };
/** Spots, strikes, forwards, barriers, option prices, portfolio values: currency. */
export const MONEY_BOUND: Bound = { min: 0, max: 1e12, unit: 'currency' };
/** Monte-Carlo paths per market. */
export const PATHS_BOUND: Bound = { min: 1, max: 10_000_000, unit: 'paths' };
/** Time-grid steps per year (252 daily, 6,048 hourly over 24 h; 100,000 ≈ every 5 minutes round the clock). */
export const STEPS_PER_YEAR_BOUND: Bound = { min: 1, max: 100_000, unit: 'steps per year' };
/** Forecast horizons in periods (vol --horizon): 100 years of daily steps. */
export const HORIZON_PERIODS_BOUND: Bound = { min: 1, max: 25_200, unit: 'periods' };

/**
 * The message of a broken bound: `must be > 0` below it, `must be <= 100 (years)` above it (the
 * upper bounds are hedgekit's own, so they say what they measure).
 */
export function boundMessage(b: Bound, side: 'min' | 'max', strict = false): string {
  if (side === 'min') return `must be ${strict ? '>' : '>='} ${b.min}`;
  return `must be ${strict ? '<' : '<='} ${b.max.toLocaleString('en-US')} (${b.unit})`;
}
