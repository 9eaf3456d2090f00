/**
 * The strategy of docs/write-a-strategy.md (examples/strategies/momentum-put.ts) works as the guide
 * says: its schema fills the defaults, its check reports cross-field problems at the right path,
 * `create` builds it from a scenario context, the engine runs it on a hand-made path and on
 * Monte-Carlo paths, and its plain state snapshots and restores bit-identically.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  type MomentumPutState,
  momentumPut,
  momentumPutDefinition,
} from '../examples/strategies/momentum-put.ts';
import { drive, runEngine, type StrategyRun } from '../src/engine/engine.ts';
import { GridSource } from '../src/engine/market-source.ts';
import { EngineStepper } from '../src/engine/stepper.ts';
import { constantRate } from '../src/market/rate.ts';
import { GbmGenerator } from '../src/paths/gbm.ts';
import { uniformGrid } from '../src/paths/types.ts';
import { costModel } from '../src/portfolio/costs.ts';
import { tradeListHash } from '../src/portfolio/ledger.ts';
import { buyAndHold } from '../src/strategies/buy-and-hold.ts';
import { strategyInfo } from '../src/strategies/catalog.ts';
import type { AnyStrategyDefinition, ScenarioContext } from '../src/strategies/definition.ts';
import { STRATEGY_REGISTRY } from '../src/strategies/registry.ts';
import type { Strategy } from '../src/strategies/types.ts';
import { handHistory, runHand } from './strategy-harness.ts';

const assets = [{ name: 'EQ', assetClass: 'equity' as const, spot: 100, carry: 0.01 }];
const ctx: ScenarioContext = {
  assets,
  weights: Float64Array.of(1),
  floor: { level: 0.8, accrues: false },
  horizon: 1,
  rate: 0.02,
};
const schema = z.object(momentumPutDefinition.shape);
const defaults = { strike: 0.95, tenor: 0.25, roll: 1 / 12, halfLife: 0.1, maxPremium: 0.03 };
const issuesOf = (entry: Record<string, unknown>) => {
  const out: { path: readonly (string | number)[]; message: string }[] = [];
  momentumPutDefinition.check?.(schema.parse(entry), ctx, (path, message) => out.push({ path, message }));
  return out;
};

describe('write-a-strategy: the definition', () => {
  it('the schema fills every default, once, and the catalog (hedgekit strategies) reads them off it', () => {
    expect(schema.parse({ asset: 'EQ' })).toEqual({ asset: 'EQ', ...defaults });
    const info = strategyInfo(momentumPutDefinition);
    expect(info.parameters.map((p) => [p.name, p.required, p.default])).toEqual([
      ['asset', true, undefined],
      ['strike', false, 0.95],
      ['tenor', false, 0.25],
      ['roll', false, 1 / 12],
      ['halfLife', false, 0.1],
      ['maxPremium', false, 0.03],
    ]);
    expect(() => schema.parse({ asset: 'EQ', strike: -1 })).toThrow('must be > 0');
  });

  it('the check reports cross-field rules at the entry-relative path the loader turns into file:line', () => {
    expect(issuesOf({ asset: 'EQ' })).toEqual([]);
    expect(issuesOf({ asset: 'XX', tenor: 0.05 })).toEqual([
      { path: ['asset'], message: 'must name an asset (EQ)' },
      { path: ['tenor'], message: 'must be >= roll (0.0833333): else puts lapse between rolls' },
    ]);
  });

  it('fits the registry: one more line in STRATEGY_REGISTRY type-checks', () => {
    const registry: readonly AnyStrategyDefinition[] = [...STRATEGY_REGISTRY, momentumPutDefinition];
    expect(registry.map((d) => d.kind)).toContain('momentum-put');
    expect(STRATEGY_REGISTRY.map((d) => d.kind)).not.toContain('momentum-put'); // the guide's example only
  });

  it('create builds the strategy from a scenario context, named by its label', () => {
    const s = momentumPutDefinition.create(
      { kind: 'momentum-put', ...schema.parse({ asset: 'EQ' }) },
      ctx,
      'momentum put 95%',
    );
    expect(s.kind).toBe('momentum-put');
    expect(s.name).toBe(momentumPutDefinition.label(schema.parse({ asset: 'EQ' })));
    expect(() => momentumPut({ asset: 0, ...defaults, tenor: 0 })).toThrow('tenor (0) must be > 0');
  });
});

describe('write-a-strategy: in the engine', () => {
  const strategy = () =>
    momentumPutDefinition.create({ kind: 'momentum-put', asset: 'EQ', ...defaults }, ctx, 'mp');

  it('buys 95 % puts at the first monthly roll on a falling path, never on a rising one', () => {
    const falling = handHistory(Array.from({ length: 40 }, (_, i) => 100 * 0.99 ** i));
    const rising = handHistory(Array.from({ length: 40 }, (_, i) => 100 * 1.01 ** i));
    const down = runHand(falling, strategy(), { rate: 0.02 });
    const up = runHand(rising, strategy(), { rate: 0.02 });
    const puts = down.runs[0].ledger.filter((t) => t.kind === 'option');
    // Inception buys the asset; the first roll after it is step 21 (t = 1/12 on the 252-day grid).
    expect(puts[0].step).toBe(21);
    const S21 = 100 * 0.99 ** 21;
    expect(puts[0].instrument).toBe(`A put K=${Number((0.95 * S21).toPrecision(6))} T=0.333333`);
    expect(puts[0].qty).toBeCloseTo(100 / 100, 12); // the units held: V0 / S0
    expect(up.runs[0].ledger.filter((t) => t.kind === 'option')).toEqual([]);
  });

  it('runs on Monte-Carlo paths beside buy-and-hold: puts on some paths only, the left tail lifted', () => {
    const nPaths = 2048;
    const run = (s: Strategy): StrategyRun => ({
      strategy: s,
      costs: costModel({ bps: { equity: 5 }, optionSpreadFraction: 0.02 }),
      rebalance: {},
      vols: { kind: 'constant', vol: 0.25 },
    });
    const res = runEngine({
      generator: new GbmGenerator({ assets, vols: [0.25], rate: constantRate(0.02) }),
      grid: uniformGrid(1, 252),
      nPaths,
      seed: 11,
      initialValue: 100,
      runs: [run(buyAndHold({ weights: Float64Array.of(1) })), run(strategy())],
      stepsPerYear: 252,
    });
    const [hold, mp] = res.runs;
    const hedged = mp.premiums.filter((x) => x > 0).length / nPaths;
    expect(hedged).toBeGreaterThan(0.2);
    expect(hedged).toBeLessThan(1);
    const p5 = (a: Float64Array) => Float64Array.from(a).sort()[Math.floor(0.05 * a.length)];
    // Measured (seed 11): puts bought on 66 % of the paths; 5th percentile of V_T 65.75 held,
    // 72.76 with the momentum puts, for a mean of 102.79 instead of 103.07.
    expect(p5(mp.terminal)).toBeGreaterThan(p5(hold.terminal) + 2);
  });

  it('its plain state snapshots and restores: a run stopped at step k continues bit-identically', () => {
    const build = () => {
      const stepper = new EngineStepper({
        assets,
        nPaths: 256,
        firstPath: 0,
        initialValue: 100,
        runs: [{ strategy: strategy(), costs: costModel(), rebalance: {}, vols: { kind: 'model' } }],
        benchmark: 0,
        stepsPerYear: 52,
        ledgerPaths: [0, 100, 255],
      });
      const gen = new GbmGenerator({ assets, vols: [0.3], rate: constantRate(0.02) });
      const source = new GridSource({
        generator: gen,
        grid: uniformGrid(1, 52),
        nPaths: 256,
        seed: 3,
        stepsPerYear: 52,
      });
      return { stepper, source };
    };
    const whole = build();
    drive(whole.stepper, whole.source);
    for (const k of [5, 18]) {
      const first = build();
      drive(first.stepper, first.source, undefined, k);
      const saved = structuredClone({ engine: first.stepper.snapshot(), source: first.source.snapshot() });
      const state = saved.engine.states[0] as MomentumPutState;
      expect(state.momentum).toBeInstanceOf(Float64Array);
      const second = build();
      second.stepper.restore(saved.engine);
      second.source.restore(saved.source);
      drive(second.stepper, second.source);
      expect(Array.from(second.stepper.books[0].value), `k = ${k}`).toEqual(
        Array.from(whole.stepper.books[0].value),
      );
      expect(tradeListHash(second.stepper.ledgers[0].records)).toBe(
        tradeListHash(whole.stepper.ledgers[0].records),
      );
    }
  });
});
