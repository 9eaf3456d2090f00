/**
 * Time conventions in one place: year fractions, the trading-day count and the tolerance used to
 * compare times on a grid.
 */

/** Trading days per year: the nominal daily grid and the annualization of daily statistics. */
export const TRADING_DAYS_PER_YEAR = 252;

/**
 * Tolerance when comparing times on a grid ("expires now", "a roll is due"), years — well below a
 * minute, well above the rounding of sums of step lengths.
 */
export const TIME_EPS = 1e-9;

/** "Expires now" tolerance of contracts, years (= TIME_EPS). */
export const EXPIRY_EPS = TIME_EPS;
