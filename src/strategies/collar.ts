/**
 * Collar: the sleeve plus, per sleeve asset, a long put struck at K_p = putStrike·S and a short call
 * at K_c = callStrike·S > K_p; the call premium finances the put (a zero-cost collar when
 * P(K_p) = C(K_c)).
 *
 * Inception: uₐ·(Sₐ + P(K_p) − C(K_c)) = wₐ·V₀. Held to expiry (single asset, zero costs):
 *   V_T = u·min(max(S_T, K_p), K_c) + c₀·e^{rT}.
 * Rolls as the protective put (option-roll.ts); a net credit at a roll stays in cash.
 *
 * Units: strikes fractions of the spot at opening; tenor and numeric roll in years.
 * @example collar({ weights: Float64Array.of(1), putStrike: 0.9, callStrike: 1.1, tenor: 1 })
 * References: Hull, Options, Futures and Other Derivatives (10th ed.), §12.3 (collars, "range
 * forwards" §17.2); Bertrand & Prigent (2005).
 */
import { DomainError, requirePositive } from '../core/errors.ts';
import { percentLabel } from '../core/format.ts';

/** Two-decimal percent for display names: 0.9 → `90%`, 0.9125 → `91.25%`. */
const pctLabel = (x: number) => percentLabel(x, { decimals: 2 });

import { positive } from '../core/schema.ts';
import { defineStrategy, entryWeights } from './definition.ts';
import { checkRatchet, type RatchetSpec, ratchetSchema, ratchetSpec } from './option-ratchet.ts';
import {
  type OptionSleeveState,
  optionSleeve,
  type RollSchedule,
  rollLabel,
  rollSchema,
  tenorSchema,
} from './option-roll.ts';
import type { Sleeve, Strategy } from './types.ts';

export interface CollarParams extends Sleeve {
  /** Strike of the long put, fraction of the spot at opening, > 0. */
  readonly putStrike: number;
  /** Strike of the short call, fraction of the spot at opening, > putStrike. */
  readonly callStrike: number;
  /** Life of each contract, years, > 0. */
  readonly tenor: number;
  /** Roll schedule (default 'none'). */
  readonly roll?: RollSchedule;
  /** Rally tightening: re-strike higher when the asset rises by `trigger` (option-ratchet.ts). */
  readonly ratchet?: RatchetSpec;
  readonly name?: string;
}

/**
 * Collar on the sleeve (formulas in the file header).
 * @throws DomainError for invalid weights, strikes (callStrike must be > putStrike), tenor or roll
 * @example collar({ weights: Float64Array.of(0.6, 0.4), putStrike: 0.9, callStrike: 1.08, tenor: 0.25, roll: 'quarterly' })
 * References: Hull (10th ed.) §12.3.
 */
export function collar(params: CollarParams): Strategy<OptionSleeveState> {
  requirePositive('putStrike', params.putStrike);
  requirePositive('callStrike', params.callStrike);
  if (!(params.callStrike > params.putStrike))
    throw new DomainError('callStrike', params.callStrike, `must be > putStrike (${params.putStrike})`);
  return optionSleeve({
    name:
      params.name ??
      `collar ${pctLabel(params.putStrike)}/${pctLabel(params.callStrike)}${rollLabel(params.roll)}`,
    kind: 'collar',
    weights: params.weights,
    legs: [
      { type: 'put', strike: params.putStrike, side: 1 },
      { type: 'call', strike: params.callStrike, side: -1 },
    ],
    tenor: params.tenor,
    ...(params.roll !== undefined ? { roll: params.roll } : {}),
    ...(params.ratchet !== undefined ? { ratchet: params.ratchet } : {}),
  });
}

/** The registry entry of the collar. */
export const collarDefinition = defineStrategy({
  kind: 'collar',
  summary: 'The sleeve plus a long put and a short call: protection financed by the upside.',
  sleeve: true,
  shape: {
    putStrike: positive().describe('Strike of the put bought, fraction of spot.'),
    callStrike: positive().describe('Strike of the call sold, fraction of spot; above putStrike.'),
    tenor: tenorSchema(),
    roll: rollSchema(),
    ratchet: ratchetSchema(),
  },
  label: (p) => `collar ${percentLabel(p.putStrike)}/${percentLabel(p.callStrike)}`,
  check(p, _ctx, issue) {
    if (!(p.putStrike < p.callStrike))
      issue(['callStrike'], `must be > putStrike (${p.putStrike})`, p.callStrike);
    checkRatchet(p.ratchet, issue);
  },
  create: (p, ctx, name) =>
    collar({
      weights: entryWeights(p, ctx),
      name,
      putStrike: p.putStrike,
      callStrike: p.callStrike,
      tenor: p.tenor ?? ctx.horizon,
      ...(p.roll !== undefined ? { roll: p.roll } : {}),
      ...(p.ratchet !== undefined ? { ratchet: ratchetSpec(p.ratchet) } : {}),
    }),
});
