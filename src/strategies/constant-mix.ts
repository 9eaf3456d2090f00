/**
 * Constant mix: keeps `riskyFraction` of the current portfolio value in the sleeve at its weights
 * (the rest in cash), trading back to target whenever the rebalancing policy allows — a concave
 * strategy that buys dips and sells rallies.
 *
 * Exposure target: Eₜ = f·Vₜ, split as unitsₐ = wₐ·Eₜ/Sₐ.
 * @example constantMix({ weights: Float64Array.of(1), riskyFraction: 0.6 })
 * References: Perold & Sharpe (1988).
 */
import { DomainError } from '../core/errors.ts';
import { nonNegative } from '../core/schema.ts';
import { checkWeights } from '../core/weights.ts';
import type { BookView } from '../portfolio/book.ts';
import type { RebalanceSpec } from '../portfolio/rebalance.ts';
import type { StepContext } from '../portfolio/step-context.ts';
import type { TargetSink } from '../portfolio/target-sink.ts';
import { defineStrategy, entryWeights } from './definition.ts';
import { type Sleeve, type Strategy, targetSleeve } from './types.ts';

export interface ConstantMixParams extends Sleeve {
  /** Fraction of the current value held in the sleeve (default 1). */
  readonly riskyFraction?: number;
  readonly rebalance?: RebalanceSpec;
  readonly name?: string;
}

export function constantMix(params: ConstantMixParams): Strategy<Float64Array> {
  checkWeights(params.weights);
  const f = params.riskyFraction ?? 1;
  if (!(f >= 0)) throw new DomainError('riskyFraction', f, 'must be >= 0');
  return {
    name: params.name ?? `constant-mix ${Math.round(f * 100)}%`,
    kind: 'constant-mix',
    holdsOptions: false,
    ...(params.rebalance ? { rebalance: params.rebalance } : {}),
    init(view: StepContext, _book: BookView) {
      return new Float64Array(view.nPaths);
    },
    decide(view: StepContext, book: BookView, exposure: Float64Array, targets: TargetSink) {
      for (let p = 0; p < view.nPaths; p++) exposure[p] = f * book.value[p];
      targetSleeve(view, params, exposure, targets);
    },
  };
}

/** The registry entry of constant-mix. */
export const constantMixDefinition = defineStrategy({
  kind: 'constant-mix',
  summary: 'Rebalances to a constant fraction of the current value in the sleeve.',
  sleeve: true,
  shape: {
    riskyFraction: nonNegative().default(1).describe('Fraction of the current value kept in the sleeve.'),
  },
  label: () => 'constant-mix',
  create: (p, ctx, name) =>
    constantMix({
      weights: entryWeights(p, ctx),
      riskyFraction: p.riskyFraction,
      name,
    }),
});
