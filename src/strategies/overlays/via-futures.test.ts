import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../config/scenario-load.ts';
import { runEngine, type StrategyRun } from '../../engine/engine.ts';
import { constantRate } from '../../market/rate.ts';
import { GbmGenerator } from '../../paths/gbm.ts';
import { uniformGrid } from '../../paths/types.ts';
import { costModel } from '../../portfolio/costs.ts';
import { buildScenario } from '../../scenario/build.ts';
import { runScenario } from '../../scenario/run.ts';
import { buyAndHold } from '../buy-and-hold.ts';
import { constantMix } from '../constant-mix.ts';
import { cppi } from '../cppi.ts';
import { protectivePut } from '../protective-put.ts';
import type { Strategy } from '../types.ts';
import { viaFutures } from './via-futures.ts';

const assets = [
  { name: 'EQ', assetClass: 'equity' as const, spot: 100, carry: 0.02 },
  { name: 'BD', assetClass: 'bond' as const, spot: 100, carry: 0.04 },
  { name: 'CM', assetClass: 'commodity' as const, spot: 60, carry: -0.01 },
];
const w = Float64Array.of(0.6, 0.3, 0.1);
const run = (strategy: Strategy): StrategyRun => ({
  strategy,
  costs: costModel(),
  rebalance: {},
  vols: { kind: 'model' },
});
const engine = (runs: StrategyRun[]) =>
  runEngine({
    generator: new GbmGenerator({
      assets,
      vols: [0.18, 0.06, 0.3],
      correlation: [
        [1, -0.2, 0.3],
        [-0.2, 1, 0],
        [0.3, 0, 1],
      ],
      rate: constantRate(0.03),
    }),
    grid: uniformGrid(1, 252),
    nPaths: 512,
    seed: 11,
    initialValue: 100,
    runs,
    stepsPerYear: 252,
    ledgerPaths: [0],
  });

describe('legs held through futures', () => {
  it('bond and commodity legs through quarterly futures track the same book held in the assets', () => {
    const res = engine([
      run(buyAndHold({ weights: w })),
      run(viaFutures(buyAndHold({ weights: w }), { assets: [1, 2], tenor: 0.25 })),
    ]);
    const [spot, fut] = res.runs;
    // Same exposure: the daily margin replicates the price moves, cash at r replaces the carry q.
    // What differs: between daily re-sizings the futures' delta e^{(r−q)τ} drifts by |r−q|·dt, so a
    // leg of value V with vol σ is mis-hedged by ≈ |r−q|·dt·V·σ√dt a day; over N days, a random walk:
    // |r−q|·V·σ·dt·√(N·dt). Bond (30, σ 6 %, r−q = −1 %) and commodity (10, σ 30 %, +4 %): ≈ 5.5e-4.
    const dt = 1 / 252;
    const predicted = Math.hypot(0.01 * 30 * 0.06 * dt, 0.04 * 10 * 0.3 * dt);
    let sq = 0;
    for (let p = 0; p < 512; p++) sq += (spot.terminal[p] - fut.terminal[p]) ** 2;
    const rmsGap = Math.sqrt(sq / 512); // measured 4.9e-4
    expect(rmsGap).toBeLessThan(3 * predicted);
    expect(rmsGap).toBeGreaterThan(predicted / 3); // the mechanism is the one described
    // Futures are rolled every quarter (4 openings per leg over the year), never the assets bought.
    const ledger = fut.ledger;
    expect(
      ledger.filter((t) => t.kind === 'asset' && (t.instrument === 'BD' || t.instrument === 'CM')),
    ).toEqual([]);
    const opened = ledger.filter(
      (t) => t.kind === 'forward' && t.qty > 0 && t.instrument.startsWith('BD future'),
    );
    expect(opened.map((t) => t.step)).toEqual([0, 63, 126, 189]);
  });

  it('CPPI with its bond leg in futures: the inner strategy sees the futures as units and its floor holds', () => {
    const res = engine([
      run(cppi({ weights: w, floor: 0.8, multiplier: 3 })),
      run(
        viaFutures(cppi({ weights: w, floor: 0.8, multiplier: 3 }), {
          assets: [1],
          tenor: 0.5,
          rollBefore: 1 / 52,
        }),
      ),
    ]);
    const [spot, fut] = res.runs;
    for (let p = 0; p < 512; p++) expect(fut.terminal[p]).toBeGreaterThan(80 * Math.exp(0.03) - 1);
    const mean = (a: Float64Array) => a.reduce((t, x) => t + x, 0) / a.length;
    expect(Math.abs(mean(fut.terminal) - mean(spot.terminal))).toBeLessThan(0.1);
  });

  it('a protective put on every leg keeps its guarantee when the bond and commodity legs are futures', () => {
    const pp = () => protectivePut({ weights: w, strike: 0.9, tenor: 1 });
    const res = engine([run(pp()), run(viaFutures(pp(), { assets: [1, 2], tenor: 0.25 }))]);
    const guarantee = Math.min(...res.runs[0].terminal); // Σ u·K: every spot path ends at or above it
    // The futures book tracks the spot book within the tailing error (previous test: rms ≈ 5e-4); the
    // worst of 512 paths stays within 10 × that.
    for (let p = 0; p < 512; p++) expect(res.runs[1].terminal[p]).toBeGreaterThan(guarantee - 5.5e-3);
  });

  it('a constant mix rebalances its futures leg daily (the targets keep their weights)', () => {
    const res = engine([run(viaFutures(constantMix({ weights: w }), { assets: [2], tenor: 0.25 }))]);
    const cm = res.runs[0].ledger.filter((t) => t.kind === 'forward' && t.instrument.startsWith('CM'));
    expect(cm.length).toBeGreaterThan(200); // resized every step
  });
});

describe('the futures overlay in scenario files', () => {
  const yaml = (overlay: string) => `name: f
portfolio:
  assets:
    - { name: eq, class: equity, weight: 0.6, carry: 0.02 }
    - { name: bd, class: bond, weight: 0.3, carry: 0.04 }
    - { name: cm, class: commodity, weight: 0.1, spot: 60 }
floor: { level: 0.7 }
rate: 0.03
paths: 256
markets:
  - { kind: gbm, vols: [0.18, 0.06, 0.3] }
strategies:
  - { kind: buy-and-hold }
  - { kind: cppi, multiplier: 3, overlays: [${overlay}] }
ledgerPaths: [0]
`;

  it('holds the named legs through futures, composes with a vol target, and reports both in the name', () => {
    const r = runScenario(
      buildScenario(
        parseScenario(
          yaml('{ kind: vol-target, target: 0.08 }, { kind: futures, assets: [bd, cm], tenor: 0.25 }'),
          'f.yaml',
        ),
        '.',
      ),
    );
    const s = r.markets[0].strategies[1];
    expect(s.name).toBe('cppi m=3 vt=8% (bd+cm via futures)');
    expect(s.ledger.some((t) => t.instrument.startsWith('bd future'))).toBe(true);
    expect(s.ledger.some((t) => t.kind === 'asset' && t.instrument === 'bd')).toBe(false);
    expect(Number.isFinite(s.key.terminalP20)).toBe(true);
  });

  it('an unknown asset and a roll longer than the tenor are file:line errors', () => {
    expect(() => parseScenario(yaml('{ kind: futures, assets: [gold] }'), 'f.yaml')).toThrow(
      'f.yaml:14: strategies[1].overlays[0].assets[0]: must be an asset (eq, bd, cm) (got "gold")',
    );
    expect(() =>
      parseScenario(yaml('{ kind: futures, assets: [bd], tenor: 0.25, rollBefore: 0.5 }'), 'f.yaml'),
    ).toThrow('strategies[1].overlays[0].rollBefore: must be < tenor (0.25) (got 0.5)');
  });
});
