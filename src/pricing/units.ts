/**
 * Conversions from hedgekit's base units (vega per 1.00 of vol, theta per year, rho per 1.00 of
 * rate) to the conventions brokers quote: vega per vol point, theta per calendar day, rho per
 * percentage point.
 */

/** Vega per 1.00 of vol → per vol point (1 % absolute). @example vegaPerPoint(37.52) // returns 0.3752 */
export function vegaPerPoint(vega: number): number {
  return vega / 100;
}

/** Theta per year → per day (365 calendar days by default; 252 for trading days). @example thetaPerDay(-6.41) // returns -0.01756… */
export function thetaPerDay(theta: number, daysPerYear = 365): number {
  return theta / daysPerYear;
}

/** Rho per 1.00 of rate → per percentage point (×0.01). @example rhoPerPoint(53.23) // returns 0.5323 */
export function rhoPerPoint(rho: number): number {
  return rho / 100;
}

/**
 * Re-expresses a Greeks record in broker units (vega, volga-per-point², rho, dividend rho per point;
 * theta and charm per day). Other fields are copied unchanged.
 */
export function toBrokerUnits<T extends { vega: number; theta: number; rho: number }>(
  g: T,
  daysPerYear = 365,
): T {
  const out: Record<string, number> = { ...(g as unknown as Record<string, number>) };
  out.vega = vegaPerPoint(g.vega);
  out.theta = thetaPerDay(g.theta, daysPerYear);
  out.rho = rhoPerPoint(g.rho);
  if (out.dividendRho !== undefined) out.dividendRho /= 100;
  if (out.vanna !== undefined) out.vanna /= 100;
  if (out.volga !== undefined) out.volga /= 10_000;
  if (out.charm !== undefined) out.charm /= daysPerYear;
  return out as unknown as T;
}
