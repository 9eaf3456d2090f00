import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { handHistory, runHand } from '../../test/strategy-harness.ts';
import { drive, runEngine, type StrategyRun } from '../engine/engine.ts';
import { GridSource } from '../engine/market-source.ts';
import { EngineStepper } from '../engine/stepper.ts';
import { constantRate } from '../market/rate.ts';
import { GbmGenerator } from '../paths/gbm.ts';
import { uniformGrid } from '../paths/types.ts';
import { costModel } from '../portfolio/costs.ts';
import { tradeListHash } from '../portfolio/ledger.ts';
import { bsmGreeks } from '../pricing/black-scholes.ts';
import { bookDeltaHedge } from './book-delta-hedge.ts';
import { strategyInfo } from './catalog.ts';
import type { ScenarioContext } from './definition.ts';
import { gammaScalp, gammaScalpDefinition, straddleLegs, strangleLegs } from './gamma-scalp.ts';
import { strategyDefinition } from './registry.ts';

const assets = [
  { name: 'EQ', assetClass: 'equity' as const, spot: 100 },
  { name: 'CM', assetClass: 'commodity' as const, spot: 50 },
];
const ctx: ScenarioContext = {
  assets,
  weights: Float64Array.of(1, 0),
  floor: { level: 0.8, accrues: false },
  horizon: 0.5,
  rate: 0.02,
};
const schema = z.object(gammaScalpDefinition.shape);
const issuesOf = (entry: Record<string, unknown>) => {
  const out: { path: readonly (string | number)[]; message: string }[] = [];
  gammaScalpDefinition.check?.(schema.parse(entry), ctx, (path, message) => out.push({ path, message }));
  return out;
};

describe('gamma scalp: the definition', () => {
  it('is registered, and its schema holds the defaults (straddle at the money, hedged at implied vol)', () => {
    expect(strategyDefinition('gamma-scalp')).toBe(gammaScalpDefinition);
    expect(schema.parse({})).toEqual({
      structure: 'straddle',
      strike: 1,
      putStrike: 0.95,
      callStrike: 1.05,
      quantity: 1,
      hedgeVol: 'implied',
    });
    const info = strategyInfo(gammaScalpDefinition);
    expect(info.parameters.find((p) => p.name === 'hedgeVol')?.default).toBe('implied');
    expect(schema.parse({ hedgeVol: 0.4 }).hedgeVol).toBe(0.4);
    expect(() => schema.parse({ hedgeVol: -0.1 })).toThrow('must be > 0');
    expect(() => schema.parse({ hedgeVol: 'realised' })).toThrow();
    expect(gammaScalpDefinition.label(schema.parse({ hedgeVol: 0.4, band: 0.1 }))).toBe(
      'gamma scalp straddle @0.4 band 0.1',
    );
  });

  it('checks the asset, the strangle order, bought legs and a roll inside the options’ life', () => {
    expect(issuesOf({})).toEqual([]);
    expect(issuesOf({ asset: 'XX', structure: 'strangle', putStrike: 1.1, roll: 1 })).toEqual([
      { path: ['asset'], message: 'must name an asset (EQ, CM)' },
      { path: ['putStrike'], message: 'must be below callStrike (1.05)' },
      { path: ['roll'], message: "must be <= the shortest leg's life (0.5)" },
    ]);
    const legs = [
      { asset: 'EQ', type: 'call', strike: 1, expiry: 0.25, quantity: 1 },
      { asset: 'ZZ', type: 'put', strike: 1, expiry: 0.5, quantity: -1 },
    ];
    expect(issuesOf({ legs })).toEqual([
      { path: ['book', 1, 'asset'], message: 'must name an asset (EQ, CM)' },
      { path: ['legs', 1, 'quantity'], message: 'must be > 0 (a gamma scalp buys its legs)' },
    ]);
  });

  it('builds straddles, strangles and explicit legs; the factory refuses what it cannot hold', () => {
    const s = gammaScalpDefinition.create(
      { kind: 'gamma-scalp', ...schema.parse({ asset: 'CM' }) },
      ctx,
      'gs',
    );
    expect(s.kind).toBe('gamma-scalp');
    expect(s.name).toBe('gs');
    expect(s.rebalance).toBeUndefined();
    expect(gammaScalp({ legs: straddleLegs(0, 1, 1, 1), band: 0.05 }).rebalance).toEqual({ deltaBand: 0.05 });
    expect(strangleLegs(0, 0.9, 1.1, 0.25, 2).map((l) => `${l.type} ${l.strike}`)).toEqual([
      'put 0.9',
      'call 1.1',
    ]);
    expect(() => strangleLegs(0, 1.1, 0.9, 0.25, 1)).toThrow(
      'putStrike (1.1) must be below callStrike (0.9)',
    );
    expect(() => gammaScalp({ legs: [] })).toThrow('legs (0) must list at least one leg');
    expect(() => gammaScalp({ legs: [{ ...straddleLegs(0, 1, 1, 1)[0], quantity: -1 }] })).toThrow(
      'quantity (-1) must be > 0 (a bought leg)',
    );
    expect(() => gammaScalp({ legs: straddleLegs(0, 1, 1, 1), hedgeVol: 0 })).toThrow(
      'hedgeVol (0) must be > 0',
    );
    expect(() => gammaScalp({ legs: straddleLegs(0, 1, 1, 1), roll: 0 })).toThrow('roll (0) must be > 0');
  });
});

describe('gamma scalp: in the engine', () => {
  const gen = () =>
    new GbmGenerator({
      assets,
      vols: [0.3, 0.25],
      correlation: [
        [1, 0.2],
        [0.2, 1],
      ],
      rate: constantRate(0.02),
    });
  const engine = (runs: StrategyRun[], nPaths = 256) =>
    runEngine({
      generator: gen(),
      grid: uniformGrid(0.5, 63),
      nPaths,
      seed: 7,
      initialValue: 100,
      runs,
      stepsPerYear: 126,
      ledgerPaths: [0],
    });
  const run = (strategy: StrategyRun['strategy'], rebalance = {}): StrategyRun => ({
    strategy,
    costs: costModel({ bps: { equity: 5, commodity: 5 } }),
    rebalance,
    vols: { kind: 'constant', vol: [0.2, 0.25] },
  });

  it('hedged at implied vol it is the book delta hedge of the same long legs (bit-identical)', () => {
    const legs = [...straddleLegs(0, 1, 0.5, 2), ...strangleLegs(1, 0.9, 1.1, 0.25, 3)];
    const res = engine([run(gammaScalp({ legs })), run(bookDeltaHedge({ legs }))]);
    expect(Array.from(res.runs[0].terminal)).toEqual(Array.from(res.runs[1].terminal));
  });

  it('hedged at a chosen vol, the first hedge is −Σ qty·Δ at that vol (straddle: Δ_call + Δ_put)', () => {
    const res = engine([run(gammaScalp({ legs: straddleLegs(0, 1, 0.5, 1), hedgeVol: 0.4 }))], 1);
    const first = res.runs[0].ledger.find((t) => t.kind === 'asset')!;
    const c = bsmGreeks('call', 100, 100, 0.5, 0.02, 0, 0.4).delta;
    const p = bsmGreeks('put', 100, 100, 0.5, 0.02, 0, 0.4).delta;
    expect(first.qty).toBeCloseTo(-(c + p), 12);
  });

  it('rolls: re-buys the straddle at the new spot every `roll` years, the old one sold at its mark', () => {
    const prices = Array.from({ length: 64 }, (_, i) => 100 * 1.004 ** i);
    const res = runHand(handHistory(prices), gammaScalp({ legs: straddleLegs(0, 1, 0.25, 1), roll: 0.125 }), {
      vols: { kind: 'constant', vol: 0.2 },
    });
    const options = res.runs[0].ledger.filter((t) => t.kind === 'option');
    // Step 0 buys call + put at 100; the roll (t = 0.125, step 32 of 252 a year) sells them, buys
    // at K = S₃₂; the next roll at step 63 is the run's last step, so nothing trades there.
    expect(options.map((t) => [t.step, t.instrument, t.qty])).toEqual([
      [0, 'A call K=100 T=0.25', 1],
      [0, 'A put K=100 T=0.25', 1],
      [32, 'A call K=100 T=0.25', -1],
      [32, 'A put K=100 T=0.25', -1],
      [32, `A call K=${Number((100 * 1.004 ** 32).toPrecision(6))} T=0.376984`, 1],
      [32, `A put K=${Number((100 * 1.004 ** 32).toPrecision(6))} T=0.376984`, 1],
    ]);
  });

  it('its own delta band trades less than hedging every step, and stays inside the band', () => {
    const legs = straddleLegs(0, 1, 0.5, 1);
    const res = engine([run(gammaScalp({ legs })), run(gammaScalp({ legs, band: 0.1 }))], 512);
    const trades = res.runs.map((r) => r.trades.reduce((t, x) => t + x, 0));
    expect(trades[1]).toBeLessThan(0.5 * trades[0]);
    // After inception a hedge trade happens only once the book is off by more than 0.1 × 2 units.
    const hedges = res.runs[1].ledger.filter((t) => t.kind === 'asset' && t.step > 0 && t.step < 63);
    expect(hedges.length).toBeGreaterThan(3);
    for (const t of hedges) expect(Math.abs(t.qty)).toBeGreaterThan(0.2);
  });

  it('its plain state snapshots and restores bit-identically (rolls and a chosen hedge vol)', () => {
    const build = () => {
      const stepper = new EngineStepper({
        assets,
        nPaths: 64,
        firstPath: 0,
        initialValue: 100,
        runs: [run(gammaScalp({ legs: straddleLegs(0, 1, 0.25, 1), roll: 0.125, hedgeVol: 0.3 }))],
        benchmark: 0,
        stepsPerYear: 126,
        ledgerPaths: [0, 63],
      });
      const source = new GridSource({
        generator: gen(),
        grid: uniformGrid(0.5, 63),
        nPaths: 64,
        seed: 9,
        stepsPerYear: 126,
      });
      return { stepper, source };
    };
    const whole = build();
    drive(whole.stepper, whole.source);
    // Step 20 is just after the first roll (t = 0.125 is step 16 of 126 a year).
    for (const k of [10, 20]) {
      const first = build();
      drive(first.stepper, first.source, undefined, k);
      const saved = structuredClone({ engine: first.stepper.snapshot(), source: first.source.snapshot() });
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
