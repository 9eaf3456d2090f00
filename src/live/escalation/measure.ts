/**
 * The measurements the protocol's market and book drivers take, as scalar functions shared by the
 * live monitor (one book) and the back-test overlay (per path, allocation-free), so both feed the
 * protocol the same numbers.
 *
 * - cushion in units of the CPPI crash tolerance 1/m:  u = m·(V − F)/V   (−∞ when V ≤ 0);
 * - shocked P&L of one asset's net position by the delta-gamma-vega expansion,
 *     ΔV ≈ Δ·S·s + ½·Γ·(S·s)² + ν·dv     (s relative spot shock, dv absolute vol shock, ν per 1.00
 *   of vol) — exact for units of the asset (Hull, Options, Futures and Other Derivatives, 10th ed.,
 *   §22.6–22.7);
 * - shocked loss over the cushion: L/C, with L = max(−ΔV, 0); +∞ when a loss meets no cushion, 0
 *   when there is no loss;
 * - one-day move in EWMA sigmas and drop against the previous close: |r|/(σ̂·√Δt) with the
 *   annualized RiskMetrics variance σ̂² of the returns before r, then σ̂² ← λσ̂² + (1 − λ)·r²/Δt
 *   (RiskMetrics — Technical Document, 4th ed., 1996, §5.2.1); drop = 1 − e^{r}.
 */
import { DomainError } from '../../core/errors.ts';

/**
 * Cushion in units of 1/m.
 * @param value book value V, currency
 * @param floor floor F, currency
 * @param multiplier m > 0
 * @example cushionUnits(100, 90, 4) // returns 0.4
 */
export function cushionUnits(value: number, floor: number, multiplier: number): number {
  return value > 0 ? (multiplier * (value - floor)) / value : Number.NEGATIVE_INFINITY;
}

/**
 * Shocked P&L of one asset's net position (delta-gamma-vega).
 * @param delta net Δ, units of the asset; gamma net Γ per unit²; vega net ν per 1.00 of vol
 * @param spot S; spotShock s (−0.1 = −10 %); volShock dv (0.1 = +10 vol points)
 * @example shockedPnl(1, 0, 0, 100, -0.1, 0.1) // returns -10
 */
export function shockedPnl(
  delta: number,
  gamma: number,
  vega: number,
  spot: number,
  spotShock: number,
  volShock: number,
): number {
  const dS = spot * spotShock;
  return delta * dS + 0.5 * gamma * dS * dS + vega * volShock;
}

/**
 * Shocked loss over the cushion from the shocked P&L and the cushion V − F.
 * @example shockedLossOverCushion(-10, 20) // returns 0.5
 */
export function shockedLossOverCushion(pnl: number, cushion: number): number {
  const loss = pnl < 0 ? -pnl : 0;
  return cushion > 0 ? loss / cushion : loss > 0 ? Number.POSITIVE_INFINITY : 0;
}

/** One-day move in EWMA sigmas of log return `r` over `dt` years, given the annualized variance before it. */
export function moveInSigmas(r: number, variance: number, dt: number): number {
  return Math.abs(r) / Math.sqrt(variance * dt);
}

/** The RiskMetrics update of the annualized variance by log return `r` over `dt` years. */
export function ewmaVariance(variance: number, r: number, dt: number, lambda: number): number {
  return lambda * variance + ((1 - lambda) * r * r) / dt;
}

/**
 * The market drivers' measurements for one index, one close at a time (live use; plain state).
 * @example
 * const m = new MoveTracker(0.94, 0.2);
 * m.observe(Math.log(0.91), 1 / 252); // → { moveSigmas ≈ 7.49, indexDrop ≈ 0.09 }
 */
export class MoveTracker {
  /** Annualized EWMA variance of the returns seen so far. */
  variance: number;
  readonly lambda: number;

  constructor(lambda: number, initialVol: number) {
    if (!(lambda > 0 && lambda < 1)) throw new DomainError('lambda', lambda, 'must be in (0, 1)');
    if (!(initialVol > 0)) throw new DomainError('initialVol', initialVol, 'must be > 0');
    this.lambda = lambda;
    this.variance = initialVol * initialVol;
  }

  /** Measures the close-to-close log return `r` over `dt` years (> 0), then updates the variance. */
  observe(r: number, dt: number): { moveSigmas: number; indexDrop: number } {
    if (!(dt > 0)) throw new DomainError('dt', dt, 'must be > 0');
    const moveSigmas = moveInSigmas(r, this.variance, dt);
    this.variance = ewmaVariance(this.variance, r, dt, this.lambda);
    return { moveSigmas, indexDrop: 1 - Math.exp(r) };
  }
}
