/**
 * Put spread: the sleeve plus, per sleeve asset, a long put struck at K₁ = longStrike·S and a short
 * put at K₂ = shortStrike·S < K₁ — protection between K₂ and K₁, cheaper than the put alone.
 *
 * Inception: uₐ·(Sₐ + P(K₁) − P(K₂)) = wₐ·V₀. Held to expiry (single asset, zero costs):
 *   V_T = u·(S_T + max(K₁ − S_T, 0) − max(K₂ − S_T, 0)) + c₀·e^{rT}
 * — the sleeve is floored at K₁ until it falls below K₂, then loses one for one again.
 * Rolls as the protective put (option-roll.ts).
 *
 * Units: strikes fractions of the spot at opening; tenor and numeric roll in years.
 * @example putSpread({ weights: Float64Array.of(1), longStrike: 0.95, shortStrike: 0.8, tenor: 1 })
 * References: Hull, Options, Futures and Other Derivatives (10th ed.), §12.3 (bear spreads).
 */
import { DomainError, requirePositive } from '../core/errors.ts';
import { percentLabel } from '../core/format.ts';

/** Two-decimal percent for display names: 0.9 → `90%`, 0.9125 → `91.25%`. */
const pctLabel = (x: number) => percentLabel(x, { decimals: 2 });

import { positive } from '../core/schema.ts';
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

export interface PutSpreadParams extends Sleeve {
  /** Strike of the long put, fraction of the spot at opening, > shortStrike. */
  readonly longStrike: number;
  /** Strike of the short put, fraction of the spot at opening, > 0. */
  readonly shortStrike: number;
  /** Life of each contract, years, > 0. */
  readonly tenor: number;
  /** Roll schedule (default 'none'). */
  readonly roll?: RollSchedule;
  readonly name?: string;
}

/**
 * Put spread on the sleeve (formulas in the file header).
 * @throws DomainError for invalid weights, strikes (shortStrike must be < longStrike), tenor or roll
 * @example putSpread({ weights: Float64Array.of(1), longStrike: 1, shortStrike: 0.8, tenor: 0.25, roll: 'quarterly' })
 * References: Hull (10th ed.) §12.3.
 */
export function putSpread(params: PutSpreadParams): Strategy<OptionSleeveState> {
  requirePositive('longStrike', params.longStrike);
  requirePositive('shortStrike', params.shortStrike);
  if (!(params.shortStrike < params.longStrike))
    throw new DomainError('shortStrike', params.shortStrike, `must be < longStrike (${params.longStrike})`);
  return optionSleeve({
    name:
      params.name ??
      `put spread ${pctLabel(params.longStrike)}/${pctLabel(params.shortStrike)}${rollLabel(params.roll)}`,
    kind: 'put-spread',
    weights: params.weights,
    legs: [
      { type: 'put', strike: params.longStrike, side: 1 },
      { type: 'put', strike: params.shortStrike, side: -1 },
    ],
    tenor: params.tenor,
    ...(params.roll !== undefined ? { roll: params.roll } : {}),
  });
}

/** The registry entry of the put spread. */
export const putSpreadDefinition = defineStrategy({
  kind: 'put-spread',
  summary: 'The sleeve plus a long put and a short lower-strike put (cheaper, capped protection).',
  sleeve: true,
  shape: {
    longStrike: positive().describe('Strike of the put bought, fraction of spot.'),
    shortStrike: positive().describe('Strike of the put sold, fraction of spot; below longStrike.'),
    tenor: tenorSchema(),
    roll: rollSchema(),
  },
  label: (p) => `put spread ${percentLabel(p.longStrike)}/${percentLabel(p.shortStrike)}`,
  check(p, _ctx, issue) {
    if (!(p.shortStrike < p.longStrike))
      issue(['shortStrike'], `must be < longStrike (${p.longStrike})`, p.shortStrike);
  },
  create: (p, ctx, name) =>
    putSpread({
      weights: entryWeights(p, ctx),
      name,
      longStrike: p.longStrike,
      shortStrike: p.shortStrike,
      tenor: p.tenor ?? ctx.horizon,
      ...(p.roll !== undefined ? { roll: p.roll } : {}),
    }),
});
