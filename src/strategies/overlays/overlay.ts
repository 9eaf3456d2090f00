/**
 * Overlays in scenario files: an optional `overlays:` list on every strategy entry wraps the entry's
 * strategy, first entry innermost: `vol-target` (vol-target.ts) and `futures` (via-futures.ts: legs
 * held through rolled, daily-settled futures), `event-hedge`, and `escalation` (escalation.ts: the
 * live escalation protocol, one state per path, enforcing its level policy). The zod schema
 * here holds every overlay default, once; `checkOverlays` reports the rules the schema cannot
 * express (asset names, weight bounds) with the entry's path, and `applyOverlays` wraps.
 *
 * @example
 * # a 10 %-vol sleeve under CPPI
 * - { kind: cppi, multiplier: 4, overlays: [{ kind: vol-target, target: 0.1 }] }
 */
import { z } from 'zod';
import { percentLabel } from '../../core/format.ts';
import { nonNegative, obj, posInt, positive } from '../../core/schema.ts';
import { checkEscalationConfig, escalationConfigShape } from '../../live/escalation/config.ts';
import type { IssueSink, ScenarioContext } from '../definition.ts';
import { eventHedgeDefinition, eventHedgeOverlay } from '../event-hedge.ts';
import type { Strategy } from '../types.ts';
import { escalationOverlay } from './escalation.ts';
import { viaFutures } from './via-futures.ts';
import { volTarget } from './vol-target.ts';

const EstimatorSchema = z.discriminatedUnion('kind', [
  obj({
    kind: z.literal('ewma'),
    halfLife: positive().describe('Half-life, observations (λ = 2^(−1/halfLife)).'),
  }),
  obj({
    kind: z.literal('realized'),
    window: z.number().int({ error: 'must be an integer' }).gte(2, { error: 'must be >= 2' }),
  }),
  obj({
    kind: z.literal('garch'),
    omega: positive().describe('Per-step GARCH(1,1) constant (per-period variance units).'),
    alpha: nonNegative(),
    beta: nonNegative(),
  }),
  obj({
    kind: z.literal('covariance'),
    halfLife: positive().describe('EWMA covariance of the sleeve assets; σ² = hᵀΣh (per: sleeve).'),
  }),
]);

/** The vol-target overlay entry; its defaults are the overlay's, here once. */
export const VolTargetOverlaySchema = obj({
  kind: z.literal('vol-target'),
  target: positive().describe('Target volatility, annualized decimal (0.1 = 10 %).'),
  estimator: EstimatorSchema.default({ kind: 'ewma', halfLife: 20 }).describe(
    'Vol forecast: ewma (halfLife), realized (window), garch (omega, alpha, beta) or covariance (halfLife).',
  ),
  per: z
    .enum(['sleeve', 'leg'])
    .default('sleeve')
    .describe('One weight for the whole sleeve, or one per asset (leg).'),
  targets: z
    .record(z.string(), positive())
    .optional()
    .describe('Per-leg targets by asset name (per: leg); assets left out are not scaled.'),
  lag: posInt().default(1).describe('Observations between the last return used and the decision (≥ 1).'),
  scaleBy: z
    .enum(['vol', 'variance'])
    .default('vol')
    .describe('w = target/σ̂ (vol) or (target/σ̂)² (variance).'),
  maxWeight: positive().default(1).describe('Cap on the weight (> 1 levers the sleeve).'),
  minWeight: nonNegative().default(0).describe('Floor on the weight.'),
  band: nonNegative().default(0).describe('Keep the previous weight unless the new one differs by more.'),
  initialVol: positive().optional().describe('Forecast before any data; default the target (weight 1).'),
});

/** The futures overlay entry: chosen legs held through rolled, daily-settled futures (via-futures.ts). */
export const FuturesOverlaySchema = obj({
  kind: z.literal('futures'),
  assets: z
    .array(z.string())
    .min(1, { error: 'must name at least one asset' })
    .describe('Assets held through futures.'),
  tenor: positive().default(0.25).describe('Life of each future at opening, years.'),
  rollBefore: nonNegative().default(0).describe('Roll when a future has less than this left, years.'),
});

/** The event-hedge overlay entry: the event-hedge strategy's parameters (event-hedge.ts), on any strategy. */
export const EventHedgeOverlaySchema = obj({
  kind: z.literal('event-hedge'),
  ...eventHedgeDefinition.shape,
});

/** The escalation overlay entry: the protocol's configuration (src/live/escalation/config.ts) and the back-test's stand-ins. */
export const EscalationOverlaySchema = obj({
  kind: z.literal('escalation'),
  ...escalationConfigShape,
  rearmAfterDays: nonNegative()
    .nullable()
    .default(1)
    .describe('Days a HALTED path waits for the simulated operator to re-arm it (null: never).'),
  initialVol: positive().default(0.2).describe('EWMA vol before any return, annualized decimal.'),
});

// `id`: one definition in the exported JSON Schema ($defs), referenced by every strategy entry.
export const OverlaySchema = z
  .discriminatedUnion('kind', [
    VolTargetOverlaySchema,
    FuturesOverlaySchema,
    EventHedgeOverlaySchema,
    EscalationOverlaySchema,
  ])
  .meta({
    id: 'overlay',
    description: 'An overlay wrapping the strategy (vol-target, futures, event-hedge, escalation).',
  });
/** A validated overlay entry (defaults filled). */
export type OverlayConfig = z.output<typeof OverlaySchema>;

/** Cross-field rules of an entry's overlays; paths are relative to the entry. */
export function checkOverlays(
  overlays: readonly OverlayConfig[] | undefined,
  ctx: ScenarioContext,
  issue: IssueSink,
): void {
  const names = ctx.assets.map((a) => a.name);
  overlays?.forEach((o, j) => {
    const at = (...p: (string | number)[]) => ['overlays', j, ...p];
    if (o.kind === 'event-hedge') {
      eventHedgeDefinition.check?.(o, ctx, (path, message, input) => issue(at(...path), message, input));
      return;
    }
    if (o.kind === 'escalation') {
      checkEscalationConfig(o, (path, message, input) => issue(at(...path), message, input));
      return;
    }
    if (o.kind === 'futures') {
      o.assets.forEach((name, k) => {
        if (!names.includes(name)) issue(at('assets', k), `must be an asset (${names.join(', ')})`, name);
      });
      if (o.rollBefore >= o.tenor) issue(at('rollBefore'), `must be < tenor (${o.tenor})`, o.rollBefore);
      return;
    }
    if (o.minWeight > o.maxWeight)
      issue(at('minWeight'), `must be <= maxWeight (${o.maxWeight})`, o.minWeight);
    const e = o.estimator;
    if (e.kind === 'garch' && e.alpha + e.beta >= 1)
      issue(at('estimator', 'beta'), `alpha + beta must be < 1 (got ${e.alpha + e.beta})`, undefined);
    if (e.kind === 'covariance' && o.per !== 'sleeve')
      issue(at('per'), "must be 'sleeve' with the covariance estimator", o.per);
    if (o.targets !== undefined && o.per !== 'leg') issue(at('targets'), "need per: 'leg'", undefined);
    for (const name of Object.keys(o.targets ?? {}))
      if (!names.includes(name)) issue(at('targets', name), `must be an asset (${names.join(', ')})`, name);
  });
}

/** Display suffix of an entry's overlays: ` vt=10%`. */
export function overlayLabel(overlays: readonly OverlayConfig[] | undefined): string {
  return (overlays ?? [])
    .map((o) =>
      o.kind === 'futures'
        ? ` (${o.assets.join('+')} via futures)`
        : o.kind === 'event-hedge'
          ? ' +event hedge'
          : o.kind === 'escalation'
            ? ' +escalation'
            : ` vt=${percentLabel(o.target)}`,
    )
    .join('');
}

/**
 * Wraps `strategy` in the entry's overlays, first innermost.
 * @param weights the entry's sleeve weights (the portfolio's by default). Shape: [nAssets].
 */
export function applyOverlays(
  strategy: Strategy,
  overlays: readonly OverlayConfig[] | undefined,
  ctx: ScenarioContext,
  weights: Float64Array,
): Strategy {
  let s = strategy;
  for (const o of overlays ?? []) {
    if (o.kind === 'event-hedge') {
      let asset = o.asset !== undefined ? ctx.assets.findIndex((x) => x.name === o.asset) : -1;
      if (asset < 0)
        for (let i = 0; i < weights.length; i++) if (asset < 0 || weights[i] > weights[asset]) asset = i;
      s = eventHedgeOverlay(s, {
        weights,
        asset,
        window: o.window,
        tenor: o.tenor,
        strike: o.strike,
        vegaBudget: o.vegaBudget,
        after: o.after,
        ...(o.events ? { events: o.events } : {}),
      }) as Strategy;
      continue;
    }
    if (o.kind === 'escalation') {
      const { kind: _kind, rearmAfterDays, initialVol, ...config } = o;
      s = escalationOverlay(s, { config, floor: ctx.floor, rearmAfterDays, initialVol }) as Strategy;
      continue;
    }
    if (o.kind === 'futures') {
      const assets = o.assets.map((name) => ctx.assets.findIndex((a) => a.name === name));
      s = viaFutures(s, { assets, tenor: o.tenor, rollBefore: o.rollBefore }) as Strategy;
      continue;
    }
    const legTargets = o.targets
      ? Float64Array.from(ctx.assets, (a) => o.targets?.[a.name] ?? Number.NaN)
      : undefined;
    s = volTarget(s, {
      target: o.target,
      estimator: o.estimator,
      per: o.per,
      weights,
      lag: o.lag,
      scaleBy: o.scaleBy,
      maxWeight: o.maxWeight,
      minWeight: o.minWeight,
      band: o.band,
      ...(legTargets ? { legTargets } : {}),
      ...(o.initialVol !== undefined ? { initialVol: o.initialVol } : {}),
    }) as Strategy;
  }
  return s;
}
