/**
 * Leland's transaction-cost-adjusted volatility: a delta hedge rebalanced every Δt with round-trip
 * proportional cost k replicates the option priced at the adjusted vol σ̂,
 *
 *   σ̂² = σ²·(1 + Le),   Le = √(2/π)·k/(σ√Δt)   (the Leland number; writer of the option),
 *   σ̂² = σ²·(1 − Le)                             (buyer; needs Le < 1).
 *
 * k is the round-trip cost as a fraction of the traded value (buy and sell once each: cost k),
 * σ the annual vol, Δt the rebalancing interval in years.
 *
 * References: H. E. Leland, "Option pricing and replication with transactions costs", Journal of
 * Finance 40(5) (1985) 1283–1301; P. Wilmott, Paul Wilmott on Quantitative Finance (2nd ed.).
 */
import { DomainError, requireNonNegative, requirePositive } from '../core/errors.ts';

const SQRT_2_OVER_PI = 0.7978845608028654;

/** Which side of the option the hedger is on: the writer pays up (σ̂ > σ), the buyer marks down. */
export type LelandSide = 'writer' | 'buyer';

/**
 * The Leland number Le = √(2/π)·k/(σ√Δt) (dimensionless).
 * @throws DomainError naming the first invalid parameter (vol > 0, roundTripCost ≥ 0, dt > 0)
 * @example lelandNumber(0.2, 0.01, 1 / 52) // returns ≈ 0.2877
 * References: Leland (1985).
 */
export function lelandNumber(vol: number, roundTripCost: number, dt: number): number {
  requirePositive('vol', vol);
  requireNonNegative('roundTripCost', roundTripCost);
  requirePositive('dt', dt);
  return (SQRT_2_OVER_PI * roundTripCost) / (vol * Math.sqrt(dt));
}

/**
 * Leland's adjusted vol σ̂ = σ·√(1 ± Le), + for the writer (default), − for the buyer.
 * @param vol           σ > 0, annual decimal
 * @param roundTripCost k ≥ 0, round-trip proportional cost (0.01 = 1 %)
 * @param dt            rebalancing interval Δt > 0, years
 * @param side          'writer' (default) or 'buyer'
 * @throws DomainError naming the invalid parameter; for a buyer with Le ≥ 1 (no real σ̂)
 * @example lelandVol(0.2, 0.01, 1 / 52) // returns ≈ 0.2270
 * @example lelandVol(0.2, 0.01, 1 / 252) // returns ≈ 0.2556
 * References: Leland (1985).
 */
export function lelandVol(
  vol: number,
  roundTripCost: number,
  dt: number,
  side: LelandSide = 'writer',
): number {
  const le = lelandNumber(vol, roundTripCost, dt);
  if (side !== 'writer' && side !== 'buyer')
    throw new DomainError('side', side, "must be 'writer' or 'buyer'");
  if (side === 'buyer' && !(le < 1))
    throw new DomainError('roundTripCost', roundTripCost, `gives a Leland number ${le} >= 1 for a buyer`);
  return vol * Math.sqrt(side === 'writer' ? 1 + le : 1 - le);
}

/**
 * Vectorised adjusted vol: out[p] = σ[p]·√(1 ± Le[p]) with scalar k and Δt (checked once). Paths with
 * σ ≤ 0 or NaN, or a buyer's Le ≥ 1, give NaN (no throw in the loop).
 *
 * Shape: `vol` and `out` [nPaths].
 * @throws DomainError for invalid roundTripCost, dt, side or a length mismatch
 * @example
 *   const out = new Float64Array(2);
 *   lelandVolBatch(Float64Array.of(0.2, -1), 0.01, 1 / 52, out); // out ≈ [0.2270, NaN]
 * References: Leland (1985).
 */
export function lelandVolBatch(
  vol: Float64Array,
  roundTripCost: number,
  dt: number,
  out: Float64Array,
  side: LelandSide = 'writer',
): void {
  requireNonNegative('roundTripCost', roundTripCost);
  requirePositive('dt', dt);
  if (side !== 'writer' && side !== 'buyer')
    throw new DomainError('side', side, "must be 'writer' or 'buyer'");
  if (out.length !== vol.length)
    throw new DomainError('out.length', out.length, `must equal vol.length (${vol.length})`);
  const c = (SQRT_2_OVER_PI * roundTripCost) / Math.sqrt(dt);
  const s = side === 'writer' ? 1 : -1;
  for (let p = 0; p < vol.length; p++) {
    const v = vol[p];
    const f = 1 + (s * c) / v;
    out[p] = v > 0 && f > 0 ? v * Math.sqrt(f) : Number.NaN;
  }
}
