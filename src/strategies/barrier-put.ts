/**
 * Barrier protection: the sleeve plus, per sleeve asset, a down-and-out or down-and-in put struck at
 * K = strike·S with barrier H = barrier·S (both fractions of the spot when the contract opens).
 *
 * - down-and-out: cheaper than the vanilla put; protection vanishes the first time the asset trades
 *   at or below H on the grid (the book pays the rebate, if any, and closes the position — no
 *   payoff at expiry).
 * - down-and-in: a put that exists only once H has been touched; pays max(K − S_T, 0) at expiry after
 *   a knock-in, else the rebate.
 * Inception: uₐ·(Sₐ + P_barrier) = wₐ·V₀; rolls as the protective put (option-roll.ts).
 *
 * Pricing: Reiner–Rubinstein closed forms (continuous monitoring, src/pricing/barrier.ts); the book
 * monitors the barrier at every grid step, so on a coarse grid knocks are detected late and the
 * continuous price overstates (out) / understates (in) the discretely monitored value — Broadie,
 * Glasserman & Kou (1997) shift the barrier by e^{∓0.5826σ√Δt} to correct for it.
 *
 * Units: strike and barrier fractions of the spot at opening; rebate a fraction of the asset's
 * initial spot (currency per unit = rebate·AssetSpec.spot), default 0; tenor and roll in years.
 * @example barrierPut({ weights: Float64Array.of(1), strike: 1, barrier: 0.8, barrierType: 'down-out', tenor: 1 })
 * References: M. Rubinstein & E. Reiner, "Breaking down the barriers", Risk 4(8) 1991; E. G. Haug,
 * The Complete Guide to Option Pricing Formulas (2nd ed., 2007), §4.17.1; M. Broadie, P. Glasserman
 * & S. Kou, "A continuity correction for discrete barrier options", Math. Finance 7 (1997).
 */

import { z } from 'zod';
import { DomainError, requirePositive } from '../core/errors.ts';
import { percentLabel } from '../core/format.ts';

/** Two-decimal percent for display names: 0.9 → `90%`, 0.9125 → `91.25%`. */
const pctLabel = (x: number) => percentLabel(x, { decimals: 2 });

import { nonNegative, positive } from '../core/schema.ts';
import { defineStrategy, entryWeights } from './definition.ts';
import {
  type OptionSleeveState,
  optionSleeve,
  type RollSchedule,
  rollLabel,
  rollSchema,
  tenorSchema,
} from './option-roll.ts';
import type { Sleeve, Strategy } from './types.ts';

export interface BarrierPutParams extends Sleeve {
  /** Put strike, fraction of the spot at opening, > 0. */
  readonly strike: number;
  /** Barrier level, fraction of the spot at opening, in (0, 1). */
  readonly barrier: number;
  readonly barrierType: 'down-out' | 'down-in';
  /** Cash rebate per unit of underlying as a fraction of the asset's initial spot, >= 0 (default 0). */
  readonly rebate?: number;
  /** Life of each contract, years, > 0. */
  readonly tenor: number;
  /** Roll schedule (default 'none'). */
  readonly roll?: RollSchedule;
  readonly name?: string;
}

/**
 * Down-and-out or down-and-in put protection on the sleeve (formulas in the file header).
 * @throws DomainError for invalid weights, strike, barrier (must be in (0, 1)), barrierType, rebate,
 *   tenor or roll
 * @example barrierPut({ weights: Float64Array.of(1), strike: 0.95, barrier: 0.75, barrierType: 'down-in', tenor: 0.5 })
 * References: Rubinstein & Reiner (1991); Haug (2007) §4.17.1.
 */
export function barrierPut(params: BarrierPutParams): Strategy<OptionSleeveState> {
  requirePositive('strike', params.strike);
  if (!(Number.isFinite(params.barrier) && params.barrier > 0 && params.barrier < 1))
    throw new DomainError('barrier', params.barrier, 'must be in (0, 1) (a down barrier below the spot)');
  if (params.barrierType !== 'down-out' && params.barrierType !== 'down-in')
    throw new DomainError('barrierType', params.barrierType, "must be 'down-out' or 'down-in'");
  const rebate = params.rebate ?? 0;
  if (!(Number.isFinite(rebate) && rebate >= 0)) throw new DomainError('rebate', rebate, 'must be >= 0');
  const kind = params.barrierType;
  return optionSleeve({
    name:
      params.name ??
      `${kind} put ${pctLabel(params.strike)} H ${pctLabel(params.barrier)}${rollLabel(params.roll)}`,
    kind: 'barrier-put',
    weights: params.weights,
    legs: [
      {
        type: 'put',
        strike: params.strike,
        side: 1,
        barrier: { type: kind, level: params.barrier, rebate },
      },
    ],
    tenor: params.tenor,
    ...(params.roll !== undefined ? { roll: params.roll } : {}),
  });
}

/** The registry entry of the barrier put. */
export const barrierPutDefinition = defineStrategy({
  kind: 'barrier-put',
  summary: 'The sleeve plus a down-and-out (cheaper) or down-and-in put per sleeve asset.',
  sleeve: true,
  shape: {
    strike: positive().describe('Put strike, fraction of spot.'),
    barrier: positive()
      .lt(1, { error: 'must be < 1 (a down barrier below the spot)' })
      .describe('Barrier, fraction of spot.'),
    barrierType: z.enum(['down-out', 'down-in']),
    rebate: nonNegative().default(0).describe('Rebate per unit, fraction of the initial spot.'),
    tenor: tenorSchema(),
    roll: rollSchema(),
  },
  label: (p) => `${p.barrierType} put ${percentLabel(p.strike)}`,
  create: (p, ctx, name) =>
    barrierPut({
      weights: entryWeights(p, ctx),
      name,
      strike: p.strike,
      barrier: p.barrier,
      barrierType: p.barrierType,
      rebate: p.rebate,
      tenor: p.tenor ?? ctx.horizon,
      ...(p.roll !== undefined ? { roll: p.roll } : {}),
    }),
});
