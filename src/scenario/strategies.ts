/**
 * Scenario strategy entries → Strategy objects, through the registry: each entry's definition
 * (src/strategies/<kind>.ts) builds it with the scenario's defaults (sleeve weights = the
 * portfolio's, floor = the scenario's floor, option tenor = the horizon), then the entry's
 * `overlays` wrap it (src/strategies/overlays/overlay.ts).
 */
import type { StrategyConfig } from '../config/scenario.ts';
import { strategyLabel } from '../config/scenario.ts';
import { DomainError } from '../core/errors.ts';
import { entryWeights, type ScenarioContext } from '../strategies/definition.ts';
import { applyOverlays } from '../strategies/overlays/overlay.ts';
import { strategyDefinition } from '../strategies/registry.ts';
import type { Strategy } from '../strategies/types.ts';

/**
 * Builds the strategy of one validated scenario entry.
 * @throws DomainError for an unregistered kind (the schema rejects those first)
 * @example buildStrategy({ kind: 'cppi', multiplier: 4, maxExposure: 1 }, ctx).name // 'cppi m=4'
 */
export function buildStrategy(st: StrategyConfig, ctx: ScenarioContext): Strategy {
  const def = strategyDefinition(st.kind);
  if (!def) throw new DomainError('kind', st.kind, 'is not a registered strategy');
  // Overlays wrap what the definition built (a scenario entry, not a new strategy file).
  return applyOverlays(def.create(st, ctx, strategyLabel(st)), st.overlays, ctx, entryWeights(st, ctx));
}
