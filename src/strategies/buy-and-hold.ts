/**
 * Buy-and-hold (the benchmark): invests `riskyFraction` of the initial value in the sleeve at its
 * weights at inception, the rest in cash, and never trades again.
 *
 * Units: riskyFraction is a fraction of the initial value (1 = fully invested).
 * @example buyAndHold({ weights: Float64Array.of(0.6, 0.3, 0.1) })
 * References: Perold & Sharpe, "Dynamic strategies for asset allocation", FAJ 44 (1988).
 */
import { DomainError } from '../core/errors.ts';
import { nonNegative } from '../core/schema.ts';
import { checkWeights } from '../core/weights.ts';
import type { BookView } from '../portfolio/book.ts';
import type { StepContext } from '../portfolio/step-context.ts';
import type { TargetSink } from '../portfolio/target-sink.ts';
import { defineStrategy, entryWeights } from './definition.ts';
import { type Sleeve, type Strategy, targetSleeve } from './types.ts';

export interface BuyAndHoldParams extends Sleeve {
  /** Fraction of the initial value invested in the sleeve (default 1). */
  readonly riskyFraction?: number;
  readonly name?: string;
}

/** Buy-and-hold of the sleeve (formula in the file header). */
export function buyAndHold(params: BuyAndHoldParams): Strategy<Float64Array> {
  checkWeights(params.weights);
  const f = params.riskyFraction ?? BUY_AND_HOLD_DEFAULTS.riskyFraction;
  if (!(f >= 0)) throw new DomainError('riskyFraction', f, 'must be >= 0');
  return {
    name: params.name ?? 'buy-and-hold',
    kind: 'buy-and-hold',
    holdsOptions: false,
    init(view: StepContext, _book: BookView) {
      return new Float64Array(view.nPaths);
    },
    decide(view: StepContext, book: BookView, exposure: Float64Array, targets: TargetSink) {
      if (view.step !== 0) return;
      for (let p = 0; p < view.nPaths; p++) exposure[p] = f * book.value[p];
      targetSleeve(view, params, exposure, targets);
    },
  };
}

/** Defaults of the buy-and-hold parameters (the schema and the factory share them). */
export const BUY_AND_HOLD_DEFAULTS = { riskyFraction: 1 } as const;

/** The registry entry of buy-and-hold. */
export const buyAndHoldDefinition = defineStrategy({
  kind: 'buy-and-hold',
  summary: 'Buys the sleeve at inception and holds it (the usual benchmark).',
  sleeve: true,
  shape: {
    riskyFraction: nonNegative()
      .default(BUY_AND_HOLD_DEFAULTS.riskyFraction)
      .describe('Fraction of V0 invested in the sleeve at inception.'),
  },
  label: () => 'buy-and-hold',
  create: (p, ctx, name) =>
    buyAndHold({
      weights: entryWeights(p, ctx),
      riskyFraction: p.riskyFraction,
      name,
    }),
});
