import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ScenarioSchema, scenarioContext, strategyLabel } from '../config/scenario.ts';
import { scenarioTemplate } from '../config/scenario-template.ts';
import { describeStrategies } from './catalog.ts';
import { STRATEGY_KINDS, STRATEGY_REGISTRY, strategyDefinition } from './registry.ts';

const schemaFile = JSON.parse(
  readFileSync(new URL('../../schemas/scenario.schema.json', import.meta.url), 'utf8'),
) as unknown;

/** A minimal valid entry of each kind (the required parameters only). */
const MINIMAL: Record<string, Record<string, unknown>> = {
  'buy-and-hold': {},
  'constant-mix': {},
  'protective-put': { strike: 0.9 },
  'put-spread': { longStrike: 0.95, shortStrike: 0.8 },
  collar: { putStrike: 0.9, callStrike: 1.1 },
  'barrier-put': { strike: 0.95, barrier: 0.75, barrierType: 'down-out' },
  cppi: { multiplier: 4 },
  tipp: { multiplier: 4, ratchet: 0.9 },
  'synthetic-put': {},
  'delta-hedge': { asset: 'eq', type: 'call', strike: 1, quantity: -1 },
  'book-delta-hedge': { book: [{ asset: 'eq', type: 'call', strike: 1, expiry: 0.5, quantity: -1 }] },
  'greek-hedge': {
    book: [{ asset: 'eq', type: 'put', strike: 0.9, expiry: 1, quantity: -1 }],
    neutralize: 'delta-gamma',
  },
  'event-hedge': {},
  'gamma-scalp': {},
};

describe('the strategy registry is the one source of the strategy list', () => {
  it('every registered kind is in the scenario schema, the JSON Schema, init and the catalog', () => {
    const json = JSON.stringify(schemaFile);
    const template = scenarioTemplate();
    const catalog = describeStrategies().map((s) => s.kind);
    expect(catalog).toEqual(STRATEGY_KINDS);
    for (const kind of STRATEGY_KINDS) {
      expect(json, kind).toContain(`"const":"${kind}"`);
      expect(template, kind).toContain(`#   ${kind}: `);
      expect(strategyDefinition(kind)?.kind).toBe(kind);
    }
    expect(Object.keys(MINIMAL).sort()).toEqual([...STRATEGY_KINDS].sort()); // this test covers them all
  });

  it.each(STRATEGY_REGISTRY.map((d) => [d.kind]))(
    '%s: a minimal entry validates and builds a strategy of its kind',
    (kind) => {
      const s = ScenarioSchema.parse({
        name: 't',
        portfolio: { assets: [{ name: 'eq', class: 'equity', weight: 1 }] },
        floor: { level: 0.8 },
        markets: [{ kind: 'regime', preset: 'crash' }],
        strategies: [{ kind, ...MINIMAL[kind] }],
      });
      const entry = s.strategies[0];
      const def = strategyDefinition(kind)!;
      const strategy = def.create(entry, scenarioContext(s), strategyLabel(entry));
      expect(strategy.kind).toBe(kind);
      expect(strategy.name).toBe(strategyLabel(entry));
      // defaults come from the definition's schema, once
      const defaults = z.object(def.shape).parse(MINIMAL[kind]) as Record<string, unknown>;
      for (const [k, v] of Object.entries(defaults)) expect(entry[k], `${kind}.${k}`).toEqual(v);
    },
  );

  it('default display names are the scenario labels reports have always shown', () => {
    const label = (kind: string, p: Record<string, unknown>) => strategyLabel({ kind, ...p });
    expect(label('protective-put', { strike: 0.9 })).toBe('put 90%');
    expect(label('put-spread', { longStrike: 0.95, shortStrike: 0.8 })).toBe('put spread 95%/80%');
    expect(label('collar', { putStrike: 0.925, callStrike: 1.1 })).toBe('collar 92.5%/110%');
    expect(label('barrier-put', { strike: 0.95, barrierType: 'down-out' })).toBe('down-out put 95%');
    expect(label('cppi', { multiplier: 4 })).toBe('cppi m=4');
    expect(label('tipp', { multiplier: 3 })).toBe('tipp m=3');
    expect(label('cppi', { multiplier: 4, name: 'mine' })).toBe('mine');
  });
});
