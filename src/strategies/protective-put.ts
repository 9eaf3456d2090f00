/**
 * Protective put: the sleeve plus one put per sleeve asset, financed by the book at inception.
 *
 * Inception: uₐ·(Sₐ + h·Pₐ) = wₐ·V₀, holding uₐ units and h·uₐ puts struck at K = strike·Sₐ(0),
 * expiring at tenor. Held to expiry (single asset, h = 1, zero costs) the terminal value is
 *   V_T = u·max(S_T, K) + c₀·e^{rT},  u = V₀/(S₀ + P₀),
 * with c₀ the cash left after the opening trades (0 when the strategy and the book price the put
 * at the same vol). With a roll schedule the puts are closed and reopened at the new spot-relative
 * strike on every roll date, the premium paid from cash and, if cash is short, by selling sleeve
 * units pro rata (see option-roll.ts).
 *
 * Units: strike a fraction of the spot at opening; tenor and numeric roll in years; hedgeRatio puts
 * per unit held (default 1).
 * @example protectivePut({ weights: Float64Array.of(1), strike: 0.9, tenor: 1 })
 * References: Hull, Options, Futures and Other Derivatives (10th ed.), §12.1 (protective put);
 * P. Bertrand & J.-L. Prigent, "Portfolio insurance strategies: OBPI versus CPPI", Finance 26 (2005).
 */
import { requirePositive } from '../core/errors.ts';
import { percentLabel } from '../core/format.ts';

/** Two-decimal percent for display names: 0.9 → `90%`, 0.9125 → `91.25%`. */
const pctLabel = (x: number) => percentLabel(x, { decimals: 2 });

import { nonNegative, positive } from '../core/schema.ts';
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

export interface ProtectivePutParams extends Sleeve {
  /** Put strike as a fraction of the spot at opening, > 0 (e.g. 0.9). */
  readonly strike: number;
  /** Life of each put, years, > 0. */
  readonly tenor: number;
  /** Roll schedule (default 'none': hold to expiry, then the sleeve alone). */
  readonly roll?: RollSchedule;
  /** Rally tightening: re-strike higher when the asset rises by `trigger` (option-ratchet.ts). */
  readonly ratchet?: RatchetSpec;
  /** Puts per unit of the asset held, >= 0 (default 1). */
  readonly hedgeRatio?: number;
  readonly name?: string;
}

/**
 * Static or rolling protective put on the sleeve (formulas in the file header).
 * @throws DomainError for invalid weights, strike, tenor, roll or hedgeRatio
 * @example protectivePut({ weights: Float64Array.of(1), strike: 0.95, tenor: 1 / 12, roll: 'monthly' })
 *   // a monthly rolled 95 % put
 * References: Hull (10th ed.) §12.1; Bertrand & Prigent (2005).
 */
export function protectivePut(params: ProtectivePutParams): Strategy<OptionSleeveState> {
  requirePositive('strike', params.strike);
  return optionSleeve({
    name: params.name ?? `protective put ${pctLabel(params.strike)}${rollLabel(params.roll)}`,
    kind: 'protective-put',
    weights: params.weights,
    legs: [{ type: 'put', strike: params.strike, side: 1 }],
    tenor: params.tenor,
    ...(params.roll !== undefined ? { roll: params.roll } : {}),
    ...(params.ratchet !== undefined ? { ratchet: params.ratchet } : {}),
    ...(params.hedgeRatio !== undefined ? { hedgeRatio: params.hedgeRatio } : {}),
  });
}

/** The registry entry of the protective put. */
export const protectivePutDefinition = defineStrategy({
  kind: 'protective-put',
  summary: 'The sleeve plus a put per sleeve asset, held to expiry or rolled.',
  sleeve: true,
  shape: {
    strike: positive().describe('Put strike, fraction of the spot at opening.'),
    tenor: tenorSchema(),
    roll: rollSchema(),
    ratchet: ratchetSchema(),
    hedgeRatio: nonNegative().default(1).describe('Puts per unit of the asset held.'),
  },
  label: (p) => `put ${percentLabel(p.strike)}`,
  check: (p, _ctx, issue) => checkRatchet(p.ratchet, issue),
  create: (p, ctx, name) =>
    protectivePut({
      weights: entryWeights(p, ctx),
      name,
      strike: p.strike,
      tenor: p.tenor ?? ctx.horizon,
      hedgeRatio: p.hedgeRatio,
      ...(p.roll !== undefined ? { roll: p.roll } : {}),
      ...(p.ratchet !== undefined ? { ratchet: ratchetSpec(p.ratchet) } : {}),
    }),
});
