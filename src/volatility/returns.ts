/**
 * Return series from price series.
 */

import { DomainError } from '../core/errors.ts';

/**
 * Log returns r_t = ln(P_t / P_{t-1}), t = 1..n-1.
 *
 * Shape: `prices` length n ≥ 2 (any positive price unit); result length n − 1, dimensionless per period.
 *
 * @throws DomainError when fewer than 2 prices are given or a price is not finite and > 0.
 * @example
 * logReturns(Float64Array.of(100, 110, 99)); // Float64Array [0.0953101798, -0.1053605157]
 * References: Campbell, Lo & MacKinlay, The Econometrics of Financial Markets (1997), §1.4.
 */
export function logReturns(prices: Float64Array): Float64Array {
  checkPrices(prices);
  const n = prices.length;
  const out = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) out[i - 1] = Math.log(prices[i] / prices[i - 1]);
  return out;
}

/**
 * Simple returns r_t = P_t / P_{t-1} − 1, t = 1..n-1.
 *
 * Shape: `prices` length n ≥ 2; result length n − 1.
 *
 * @throws DomainError when fewer than 2 prices are given or a price is not finite and > 0.
 * @example
 * simpleReturns(Float64Array.of(100, 110, 99)); // Float64Array [0.1, -0.1]
 * References: Campbell, Lo & MacKinlay (1997), §1.4.
 */
export function simpleReturns(prices: Float64Array): Float64Array {
  checkPrices(prices);
  const n = prices.length;
  const out = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) out[i - 1] = prices[i] / prices[i - 1] - 1;
  return out;
}

function checkPrices(prices: Float64Array): void {
  if (prices.length < 2) throw new DomainError('prices.length', prices.length, 'must be >= 2');
  for (let i = 0; i < prices.length; i++) {
    const p = prices[i];
    if (!(Number.isFinite(p) && p > 0)) throw new DomainError(`prices[${i}]`, p, 'must be > 0');
  }
}

/**
 * Checks a return series: at least `minLength` elements, all finite.
 *
 * @throws DomainError naming `name.length` or the first bad element `name[i]`.
 * @example
 * requireFiniteSeries('returns', Float64Array.of(0.1, Number.NaN), 1); // throws "returns[1] (NaN) must be a finite number"
 * References: none (input validation).
 */
export function requireFiniteSeries(name: string, returns: Float64Array, minLength: number): void {
  if (returns.length < minLength)
    throw new DomainError(`${name}.length`, returns.length, `must be >= ${minLength}`);
  for (let i = 0; i < returns.length; i++) {
    if (!Number.isFinite(returns[i]))
      throw new DomainError(`${name}[${i}]`, returns[i], 'must be a finite number');
  }
}
