/**
 * The minimum window for unflagged annualized figures. Below it (V_T/V0)^(1/T) extrapolates a few
 * weeks to a year — a −7.7 % move over 32 days reads −46.7 % a year — so reports flag the annualized
 * cells (†) and state the return over the window itself.
 */

/** Shortest window whose annualized figures are shown without a flag, years (3 months). */
export const MIN_ANNUALIZED_YEARS = 0.25;

/**
 * True when a window of `years` is too short for its annualized figures to stand unflagged.
 * @example isShortWindow(32 / 365) // true
 */
export function isShortWindow(years: number): boolean {
  return years < MIN_ANNUALIZED_YEARS - 1e-9;
}
