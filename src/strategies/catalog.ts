/**
 * The registry as documentation: every strategy's kind, summary and parameters (type, default,
 * whether required, description), read off its zod schema — what `hedgekit strategies` prints and
 * `hedgekit init` lists, so neither can drift from the schema.
 */
import { z } from 'zod';
import type { AnyStrategyDefinition } from './definition.ts';
import { STRATEGY_REGISTRY } from './registry.ts';

export interface ParameterInfo {
  readonly name: string;
  /** JSON-Schema-ish type text: `number`, `boolean`, `string`, `"call" | "put"`, … */
  readonly type: string;
  readonly required: boolean;
  readonly default: unknown;
  readonly description: string;
}

export interface StrategyInfo {
  readonly kind: string;
  readonly summary: string;
  /** Whether the entry accepts sleeve `weights`. */
  readonly sleeve: boolean;
  readonly parameters: readonly ParameterInfo[];
}

function typeText(s: Record<string, unknown>): string {
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (Array.isArray(s.anyOf)) return (s.anyOf as Record<string, unknown>[]).map(typeText).join(' | ');
  if ('const' in s) return JSON.stringify(s.const);
  return String(s.type ?? 'value');
}

/** The parameters of one definition, in schema order. */
export function strategyInfo(d: AnyStrategyDefinition): StrategyInfo {
  const json = z.toJSONSchema(z.object(d.shape), { io: 'input' }) as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  const required = new Set(json.required ?? []);
  const parameters = Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    type: typeText(s),
    required: required.has(name),
    default: s.default,
    description: String(s.description ?? ''),
  }));
  return { kind: d.kind, summary: d.summary, sleeve: d.sleeve, parameters };
}

/**
 * Every registered strategy with its parameters.
 * @example describeStrategies().find((s) => s.kind === 'cppi')?.parameters[1].name // 'multiplier'
 */
export function describeStrategies(): StrategyInfo[] {
  return STRATEGY_REGISTRY.map((d) => strategyInfo(d));
}
