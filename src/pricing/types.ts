/**
 * Shared vocabulary of the pricing layer. Units (see docs/conventions.md):
 * spot/strike/forward in currency; expiry in years (ACT/365-style year fractions); rate, dividend
 * (continuous yield) and vol annualized decimals (0.2 = 20 %).
 */

/** Call or put. */
export type OptionType = 'call' | 'put';

/** +1 for a call, −1 for a put (the ω of Haug's generalized formulas). */
export function optionSign(type: OptionType): 1 | -1 {
  return type === 'call' ? 1 : -1;
}

/**
 * Price and sensitivities of one option, all computed from shared intermediates.
 *
 * Units: delta per 1.00 of the underlying; gamma per 1.00² of the underlying; vega per 1.00 of vol
 * (×0.01 for per vol point); theta = ∂V/∂t per year of calendar time (negative for a long vanilla;
 * ÷365 for per day); rho per 1.00 of rate (×0.01 per point); dividendRho = ∂V/∂q per 1.00 of yield;
 * vanna = ∂²V/∂S∂σ; volga = ∂²V/∂σ²; charm = ∂Δ/∂t per year; dualDelta = ∂V/∂K.
 */
export interface Greeks {
  price: number;
  delta: number;
  gamma: number;
  vega: number;
  theta: number;
  rho: number;
  dividendRho: number;
  vanna: number;
  volga: number;
  charm: number;
  dualDelta: number;
}
