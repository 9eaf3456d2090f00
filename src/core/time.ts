/**
 * Time conventions shared by every layer: years as the unit, trading days per year, the tolerance
 * for comparing grid times, and ∫ r dt along a time grid.
 */

/**
 * Trading days per year (252): the default periods per year for annualizing daily data and the
 * day count of presets (day d is t = d/252 years).
 * @example 21 / TRADING_DAYS_PER_YEAR // returns 0.08333333333333333 (one trading month, years)
 */
export const TRADING_DAYS_PER_YEAR = 252;

/**
 * Tolerance for comparing times on a grid, years (1e-9 y ≈ 0.03 s): two times closer than this are
 * the same instant, so sums of step lengths that miss an expiry or a roll date by round-off still
 * hit it.
 * @example 0.1 + 0.2 <= 0.3 + TIME_EPS // returns true
 */
export const TIME_EPS = 1e-9;

/**
 * ∫₀ᵗ r(s) ds along a time grid by the left-point rule: each step [tᵢ₋₁, tᵢ] accrues at the rate
 * seen at its start, r(tᵢ₋₁)·Δtᵢ (like the engine's cash accrual). Plain data (two numbers), so
 * state that holds one can be copied, snapshotted and restored.
 */
export interface RateIntegral {
  /** ∫ r dt so far, rate × years (e^{value} is the growth of one unit of cash). */
  value: number;
  /** The rate at the start of the next step, annualized decimal. */
  prevRate: number;
}

/**
 * A rate integral at t = 0.
 * @param rate - the short rate at t = 0, annualized decimal, continuous compounding.
 * @example startRateIntegral(0.03) // returns { value: 0, prevRate: 0.03 }
 */
export function startRateIntegral(rate: number): RateIntegral {
  return { value: 0, prevRate: rate };
}

/**
 * Advances the integral by one step of length `dt` (years) and records `rate`, the rate at the
 * step's end (the start of the next one). Returns the step's increment r_prev·dt.
 * @example
 * const ri = startRateIntegral(0.03);
 * advanceRateIntegral(ri, 0.5, 0.04); // returns 0.015; ri.value = 0.015, ri.prevRate = 0.04
 */
export function advanceRateIntegral(acc: RateIntegral, dt: number, rate: number): number {
  const inc = acc.prevRate * dt;
  acc.value += inc;
  acc.prevRate = rate;
  return inc;
}

/** "Expires now" tolerance of contracts, years (= TIME_EPS). */
export const EXPIRY_EPS = TIME_EPS;
