/**
 * Short-rate inputs for path models: the instantaneous risk-free rate r(t), continuously
 * compounded, annualized decimal (0.03 = 3 %), t in years from the simulation start.
 */
import { requireFinite } from '../core/errors.ts';

/** A deterministic short rate r(t). Path generators use r(t) over the step [t, t + dt). */
export interface RateModel {
  /** Instantaneous rate at time `t` (years), annualized decimal, continuous compounding. */
  rate(t: number): number;
}

/**
 * A flat rate r(t) = r.
 *
 * @param r - annualized decimal, continuous compounding.
 * @throws DomainError if `r` is not finite.
 * @example
 * constantRate(0.03).rate(2); // returns 0.03
 * References: Hull, Options, Futures and Other Derivatives, ch. 4 (continuous compounding).
 */
export function constantRate(r: number): RateModel {
  requireFinite('rate', r);
  return { rate: () => r };
}
