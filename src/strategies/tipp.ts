/**
 * TIPP — time-invariant portfolio protection (Estep & Kritzman 1988): CPPI whose floor ratchets up
 * to a fixed fraction of the highest value reached, and never comes down.
 *
 *   F₀ = max(floor, ratchet)·V₀
 *   Fₜ = max(Fₜ₋₁·e^{r(tₜ₋₁)·Δt}, ratchet·Mₜ),  Mₜ = max_{s≤t} V_s   (accrual only if `floorAccrues`)
 *   Eₜ = min(m·max(Vₜ − Fₜ, 0), maxExposure·Vₜ), the rest in cash; Vₜ ≤ Fₜ forces a move to cash.
 *
 * Estep & Kritzman set the floor at a fixed percentage of the portfolio's highest value and let it
 * only rise ("the floor is raised whenever the portfolio value reaches a new high"); the accrual
 * term extends their rule to a zero-coupon floor. With a non-negative rate the rule equals
 * Fₜ = max(Fₜ₋₁·e^{rΔt}, ratchet·Vₜ), since Fₜ₋₁ ≥ ratchet·Mₜ₋₁ already. The floor is observed and
 * ratcheted on the grid only (values between grid points are not seen).
 *
 * References: T. Estep & M. Kritzman, "TIPP: Insurance without complexity", J. Portfolio Management
 * 14(4) (1988) 38–42; Bertrand & Prigent (2005) on ratchet floors.
 */
import { DomainError } from '../core/errors.ts';
import { percentLabel } from '../core/format.ts';
import { fraction } from '../core/schema.ts';
import {
  type CppiParams,
  type CppiState,
  checkCushionFloor,
  cushionParams,
  cushionShape,
  cushionSpec,
  cushionStrategy,
} from './cppi.ts';
import { defineStrategy } from './definition.ts';
import type { Strategy } from './types.ts';

/** Parameters of {@link tipp}: those of CPPI plus the ratchet. */
export interface TippParams extends CppiParams {
  /** Fraction of the running peak value the floor ratchets to, in [0, 1] (e.g. 0.9). */
  readonly ratchet: number;
}

/**
 * TIPP on a risky sleeve: CPPI with the ratcheting floor Fₜ = max(Fₜ₋₁·e^{rΔt}, ratchet·max_{s≤t} V_s).
 *
 * @param params - as {@link cppi} (`floor` fraction of V₀ in [0, 1], `multiplier` ≥ 0,
 *   `maxExposure` > 0 default 1, `floorAccrues` default true, `tolerance` band default none) plus
 *   `ratchet` in [0, 1]. Shape: weights [nAssets].
 * @throws DomainError naming the invalid parameter, e.g. `ratchet (1.5) must be in [0, 1]`.
 * @example
 * // One asset 100 → 120, floor 80 %, ratchet 90 %, m = 3, rate 0: F₀ = 90, E₀ = 30;
 * // at t₁ V = 0.3·120 + 70 = 106, F₁ = 0.9·106 = 95.4, E₁ = 31.8.
 * tipp({ weights: Float64Array.of(1), floor: 0.8, multiplier: 3, ratchet: 0.9 });
 * References: Estep & Kritzman (1988).
 */
export function tipp(params: TippParams): Strategy<CppiState> {
  if (typeof params.ratchet !== 'number')
    throw new DomainError('ratchet', params.ratchet, 'must be in [0, 1]');
  const spec = cushionSpec(params, params.ratchet);
  const name =
    params.name ??
    `tipp m=${spec.multiplier} f=${percentLabel(spec.floor)} r=${percentLabel(params.ratchet)}`;
  return cushionStrategy(spec, 'tipp', name, params.tolerance);
}

/** The registry entry of TIPP. */
export const tippDefinition = defineStrategy({
  kind: 'tipp',
  summary: 'Time-invariant portfolio protection: CPPI whose floor ratchets up with the peak value.',
  sleeve: true,
  shape: { ...cushionShape, ratchet: fraction().describe('Floor ratchet: F ≥ ratchet × peak V.') },
  label: (p) => `tipp m=${p.multiplier}`,
  check: checkCushionFloor,
  create: (p, ctx, name) => tipp({ ...cushionParams(p, ctx, name), ratchet: p.ratchet }),
});
