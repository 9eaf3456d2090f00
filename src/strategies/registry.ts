/**
 * The strategy registry: every strategy hedgekit knows, one line each. Scenario files, the exported
 * JSON Schema, `hedgekit init`, `hedgekit strategies` and the API derive from this list — adding a
 * strategy is one file (its definition) plus one line here.
 */
import { barrierPutDefinition } from './barrier-put.ts';
import { bookDeltaHedgeDefinition } from './book-delta-hedge.ts';
import { buyAndHoldDefinition } from './buy-and-hold.ts';
import { collarDefinition } from './collar.ts';
import { constantMixDefinition } from './constant-mix.ts';
import { cppiDefinition } from './cppi.ts';
import type { AnyStrategyDefinition } from './definition.ts';
import { deltaHedgeDefinition } from './delta-hedge.ts';
import { eventHedgeDefinition } from './event-hedge.ts';
import { gammaScalpDefinition } from './gamma-scalp.ts';
import { greekHedgeDefinition } from './greek-hedge.ts';
import { protectivePutDefinition } from './protective-put.ts';
import { putSpreadDefinition } from './put-spread.ts';
import { syntheticPutDefinition } from './synthetic-put.ts';
import { tippDefinition } from './tipp.ts';

/** Every registered strategy, in the order listings show them. */
export const STRATEGY_REGISTRY = [
  buyAndHoldDefinition,
  constantMixDefinition,
  protectivePutDefinition,
  putSpreadDefinition,
  collarDefinition,
  barrierPutDefinition,
  cppiDefinition,
  tippDefinition,
  syntheticPutDefinition,
  deltaHedgeDefinition,
  bookDeltaHedgeDefinition,
  greekHedgeDefinition,
  gammaScalpDefinition,
  eventHedgeDefinition,
] as const satisfies readonly AnyStrategyDefinition[];

/** The kinds of the registered strategies. */
export const STRATEGY_KINDS = STRATEGY_REGISTRY.map((d) => d.kind);

/**
 * The definition of a registered kind.
 * @example strategyDefinition('cppi')?.summary // 'Constant proportion portfolio insurance: …'
 */
export function strategyDefinition(kind: string): AnyStrategyDefinition | undefined {
  return (STRATEGY_REGISTRY as readonly AnyStrategyDefinition[]).find((d) => d.kind === kind);
}
