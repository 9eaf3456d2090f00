/**
 * Whalley–Wilmott no-transaction band: with proportional costs, hedge only when the position leaves
 * a band around the Black–Scholes delta, and then only back to the band's edge.
 *
 *   half-width  w = (3/2 · c · e^{−r(T−t)} · S · Γ² / a)^{1/3},
 *   new hedge   h' = clamp(h, Δ − w, Δ + w),
 *
 * c the proportional cost rate (cost = c·S·|units traded|), a the risk aversion of the exponential
 * utility, Γ the gamma of the hedged option per unit, S the spot, r the rate, T − t the time to
 * expiry. The asymptotic optimum for small c (Whalley & Wilmott 1997); with r = 0 it is
 * pfhedge's `WhalleyWilmott` / `ww_width` (pfnet-research/pfhedge, pfhedge/nn/modules/ww.py), whose
 * docstring vectors are this module's anchor test.
 *
 * References: A. E. Whalley & P. Wilmott, "An asymptotic analysis of an optimal hedging model for
 * option pricing with transaction costs", Mathematical Finance 7(3) (1997) 307–324.
 */
import { DomainError, requireFinite, requireNonNegative, requirePositive } from '../core/errors.ts';

/**
 * Half-width of the Whalley–Wilmott band, units of underlying per unit of option:
 * w = (1.5·c·e^{−rτ}·S·Γ²/a)^{1/3}.
 * @param gamma        Γ of the option per unit, per 1.00² of spot
 * @param spot         S > 0, currency
 * @param cost         proportional cost rate c ≥ 0 (1e-3 = 10 bp of traded value)
 * @param riskAversion a > 0 (exponential utility)
 * @param rate         r, continuously compounded annual decimal (default 0, pfhedge's convention)
 * @param timeToExpiry T − t ≥ 0, years (default 0: no discounting)
 * @throws DomainError naming the first invalid parameter
 * @example whalleyWilmottWidth(1.9947, 100, 1e-3, 1) // returns ≈ 0.8419 (a gamma of ~2 per unit)
 * References: Whalley & Wilmott (1997).
 */
export function whalleyWilmottWidth(
  gamma: number,
  spot: number,
  cost: number,
  riskAversion: number,
  rate = 0,
  timeToExpiry = 0,
): number {
  requireFinite('gamma', gamma);
  requirePositive('spot', spot);
  requireNonNegative('cost', cost);
  requirePositive('riskAversion', riskAversion);
  requireFinite('rate', rate);
  requireNonNegative('timeToExpiry', timeToExpiry);
  return Math.cbrt((1.5 * cost * Math.exp(-rate * timeToExpiry) * spot * gamma * gamma) / riskAversion);
}

/**
 * The band rule: the previous hedge clamped into [Δ − w, Δ + w] (no trade while inside the band).
 * @param prevHedge units held before rebalancing
 * @param delta     target delta Δ (units)
 * @param width     half-width w ≥ 0
 * @throws DomainError when width is negative or NaN, or an input is NaN
 * @example noTransactionBand(0.5, 0.2, 0.1) // returns ≈ 0.3 (moved to the upper edge)
 * References: Whalley & Wilmott (1997).
 */
export function noTransactionBand(prevHedge: number, delta: number, width: number): number {
  if (Number.isNaN(prevHedge)) throw new DomainError('prevHedge', prevHedge, 'must be a number');
  if (Number.isNaN(delta)) throw new DomainError('delta', delta, 'must be a number');
  if (!(width >= 0)) throw new DomainError('width', width, 'must be >= 0');
  const lo = delta - width;
  const hi = delta + width;
  return Math.min(Math.max(prevHedge, lo), hi);
}

/** Per-path inputs of `whalleyWilmottBatch`. Shape: every array [nPaths]. */
export interface WhalleyWilmottInput {
  /** Units held before rebalancing (per unit of option). */
  readonly prevHedge: Float64Array;
  /** Black–Scholes delta Δ of the hedged option per unit (the band's centre). */
  readonly delta: Float64Array;
  /** Gamma Γ per unit. */
  readonly gamma: Float64Array;
  /** Spot S. */
  readonly spot: Float64Array;
  /** Time to expiry T − t, years; omitted = no discounting (as with r = 0). */
  readonly timeToExpiry?: Float64Array;
}

/** Scalar parameters of the band: cost rate c ≥ 0, risk aversion a > 0, rate r. */
export interface WhalleyWilmottParams {
  readonly cost: number;
  readonly riskAversion: number;
  readonly rate?: number;
}

/**
 * Vectorised Whalley–Wilmott rule: out[p] = clamp(prevHedge[p], Δ[p] − w[p], Δ[p] + w[p]),
 * w[p] = (1.5·c·e^{−r·τ[p]}·S[p]·Γ[p]²/a)^{1/3}; optionally the widths in `width`.
 * No allocation, no throw in the loop: NaN inputs give NaN for that path.
 *
 * Shape: inputs, `out` and `width` all [nPaths] (nPaths = prevHedge.length).
 * @throws DomainError (before the loop) for invalid parameters or mismatched lengths
 * @example
 *   const out = new Float64Array(1);
 *   whalleyWilmottBatch({ prevHedge: Float64Array.of(0.5), delta: Float64Array.of(0.2),
 *     gamma: Float64Array.of(0), spot: Float64Array.of(100) }, { cost: 1e-3, riskAversion: 1 }, out);
 *   out[0] // returns 0.2 (zero gamma, zero width: back to delta)
 * References: Whalley & Wilmott (1997).
 */
export function whalleyWilmottBatch(
  input: WhalleyWilmottInput,
  params: WhalleyWilmottParams,
  out: Float64Array,
  width?: Float64Array,
): void {
  const { prevHedge, delta, gamma, spot, timeToExpiry } = input;
  const n = prevHedge.length;
  requireNonNegative('cost', params.cost);
  requirePositive('riskAversion', params.riskAversion);
  const r = params.rate ?? 0;
  requireFinite('rate', r);
  for (const [name, a] of [
    ['delta', delta],
    ['gamma', gamma],
    ['spot', spot],
    ['out', out],
    ...(timeToExpiry ? [['timeToExpiry', timeToExpiry] as const] : []),
    ...(width ? [['width', width] as const] : []),
  ] as const) {
    if (a.length !== n)
      throw new DomainError(`${name}.length`, a.length, `must equal prevHedge.length (${n})`);
  }
  const k = (1.5 * params.cost) / params.riskAversion;
  for (let p = 0; p < n; p++) {
    const g = gamma[p];
    const disc = timeToExpiry === undefined || r === 0 ? 1 : Math.exp(-r * timeToExpiry[p]);
    const w = Math.cbrt(k * disc * spot[p] * g * g);
    if (width) width[p] = w;
    const d = delta[p];
    const h = prevHedge[p];
    const lo = d - w;
    const hi = d + w;
    // NaN in any input fails both comparisons and the clamp's bounds: route it to NaN explicitly.
    out[p] = h < lo ? lo : h > hi ? hi : h >= lo && h <= hi ? h : Number.NaN;
  }
}
