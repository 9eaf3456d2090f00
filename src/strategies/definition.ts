/**
 * A strategy's whole definition, exported by its one file: the kind, a one-line summary, the zod
 * schema of its parameters (defaults there, once), a display label, cross-field rules and the
 * constructor. One registry line (registry.ts) makes it appear in scenario files, the exported JSON
 * Schema, `hedgekit init`, `hedgekit strategies` and the API.
 *
 * Scenario context: the portfolio's assets and weights, the scenario's floor, horizon and rate —
 * what lets a strategy default `weights`, `floor` or `tenor` to the scenario's, and check rules
 * such as "a synthetic put's floor must be below e^{rT}" where the file is read, with file:line.
 *
 * References: zod-first configuration (https://zod.dev); QuantConnect Lean's algorithm framework
 * (models plugged in by type).
 */
import type { z } from 'zod';
import { normalizeWeights } from '../core/weights.ts';
import type { AssetSpec } from '../market/asset.ts';
import type { RebalanceSpec } from '../portfolio/rebalance.ts';
import type { OverlayConfig } from './overlays/overlay.ts';
import type { Strategy } from './types.ts';

/** What a scenario tells every strategy it builds. */
export interface ScenarioContext {
  readonly assets: readonly AssetSpec[];
  /** Portfolio weights. Shape: [nAssets]. */
  readonly weights: Float64Array;
  readonly floor: { readonly level: number; readonly accrues: boolean };
  /** Scenario horizon, years. */
  readonly horizon: number;
  /** Short rate, continuously compounded annual decimal. */
  readonly rate: number;
}

/** Reports a cross-field problem at `path` (relative to the strategy entry). */
export type IssueSink = (path: readonly (string | number)[], message: string, input?: unknown) => void;

/** Fields every scenario entry may carry besides its own parameters. */
export interface CommonEntry {
  readonly kind: string;
  readonly name?: string | undefined;
  readonly rebalance?: RebalanceSpec | undefined;
  /** Sleeve weights per asset (sleeve strategies only); default the portfolio's. */
  readonly weights?: readonly number[] | undefined;
  /** Overlays wrapping the strategy, first innermost (src/strategies/overlays/overlay.ts). */
  readonly overlays?: readonly OverlayConfig[] | undefined;
}

export interface StrategyDefinition<Shape extends z.ZodRawShape = z.ZodRawShape> {
  readonly kind: string;
  /** One line for listings (`hedgekit strategies`, the JSON Schema's description). */
  readonly summary: string;
  /** Whether the strategy holds a risky sleeve (its entry accepts `weights`). */
  readonly sleeve: boolean;
  /** The parameters' zod fields (defaults and descriptions here, once). */
  readonly shape: Shape;
  /** Default display name from the parameters (`name` overrides it). */
  label(p: z.output<z.ZodObject<Shape>>): string;
  /** Cross-field and scenario-dependent rules, reported with file:line by the scenario loader. */
  check?(p: z.output<z.ZodObject<Shape>>, ctx: ScenarioContext, issue: IssueSink): void;
  /** Builds the strategy of a validated entry; `name` is the entry's name or the label. */
  create(p: z.output<z.ZodObject<Shape>> & CommonEntry, ctx: ScenarioContext, name: string): Strategy;
}

/** A definition of any parameter shape (what the registry holds). */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds definitions of every parameter shape; each is checked where defined
export type AnyStrategyDefinition = StrategyDefinition<any>;

/** Identity with inference: `export const cppiDefinition = defineStrategy({ … })`. */
export function defineStrategy<Shape extends z.ZodRawShape>(
  def: StrategyDefinition<Shape>,
): StrategyDefinition<Shape> {
  return def;
}

/** The entry's sleeve weights, else the portfolio's. */
export function entryWeights(entry: CommonEntry, ctx: ScenarioContext): Float64Array {
  return entry.weights ? normalizeWeights(entry.weights) : ctx.weights;
}
