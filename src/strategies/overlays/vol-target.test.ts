/**
 * The vol-target overlay on the engine: causality, snapshot / restore, the weight's noise on GBM
 * against the EWMA estimator's theory, realized/target under Heston within a derived band, and the
 * band's turnover cut at an unchanged Sharpe ratio.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drive, type EngineConfig, runEngine, type StrategyRun } from '../../engine/engine.ts';
import { emptyObservation, GridSource, type Observation } from '../../engine/market-source.ts';
import { EngineStepper } from '../../engine/stepper.ts';
import { constantRate } from '../../market/rate.ts';
import { GbmGenerator } from '../../paths/gbm.ts';
import { HestonGenerator } from '../../paths/heston.ts';
import { uniformGrid } from '../../paths/types.ts';
import { costModel } from '../../portfolio/costs.ts';
import { tradeListHash } from '../../portfolio/ledger.ts';
import { buyAndHold } from '../buy-and-hold.ts';
import { cppi } from '../cppi.ts';
import type { Strategy } from '../types.ts';
import type { VolEstimatorSpec } from './vol-forecast.ts';
import { type VolTargetParams, type VolTargetState, volTarget } from './vol-target.ts';

const assets3 = ['EQ', 'BOND', 'GOLD'].map((name, i) => ({
  name,
  assetClass: (['equity', 'bond', 'commodity'] as const)[i],
  spot: 100,
  carry: 0,
}));
const gbm3 = () =>
  new GbmGenerator({
    assets: assets3,
    vols: [0.2, 0.07, 0.15],
    correlation: [
      [1, -0.3, 0.2],
      [-0.3, 1, 0.1],
      [0.2, 0.1, 1],
    ],
    rate: constantRate(0.02),
  });
const sleeve3 = Float64Array.of(0.6, 0.3, 0.1);
const params = (over: Partial<VolTargetParams> = {}): VolTargetParams => ({
  target: 0.1,
  estimator: { kind: 'ewma', halfLife: 20 },
  per: 'sleeve',
  weights: sleeve3,
  lag: 1,
  scaleBy: 'vol',
  maxWeight: 3,
  minWeight: 0,
  band: 0,
  ...over,
});
const run = (strategy: Strategy, bps = 5): StrategyRun => ({
  strategy,
  costs: costModel({ bps: { equity: bps, bond: bps, commodity: bps } }),
  rebalance: {},
  vols: { kind: 'model' },
});

/** Every observation of a source, deep-copied (the source reuses its arrays). */
function record(source: GridSource): Observation[] {
  const out: Observation[] = [];
  const obs = emptyObservation();
  while (source.next(obs))
    out.push({
      ...obs,
      spot: obs.spot.map((a) => a.slice()),
      logReturn: obs.logReturn.map((a) => a.slice()),
    });
  return out;
}

/** The observations with every log return after step t scaled by `k` (prices rebuilt from them). */
function perturbAfter(obs: Observation[], t: number, k: number): Observation[] {
  const out = obs.map((o) => ({
    ...o,
    spot: o.spot.map((a) => a.slice()),
    logReturn: o.logReturn.map((a) => a.slice()),
  }));
  for (let i = t + 1; i < out.length; i++)
    for (let a = 0; a < out[i].spot.length; a++)
      for (let p = 0; p < out[i].spot[a].length; p++) {
        out[i].logReturn[a][p] *= k;
        out[i].spot[a][p] = out[i - 1].spot[a][p] * Math.exp(out[i].logReturn[a][p]);
      }
  return out;
}

describe('volTarget: causality (no look-ahead)', () => {
  const nPaths = 6;
  const nSteps = 40;
  const observations = record(
    new GridSource({
      generator: gbm3(),
      grid: uniformGrid(40 / 252, nSteps),
      nPaths,
      seed: 5,
      stepsPerYear: 252,
    }),
  );
  /** Weight paths (per leg, step-major) of a vol-targeted CPPI fed `obs`. */
  const weights = (p: VolTargetParams, obs: Observation[]) => {
    const strategy = volTarget(cppi({ weights: sleeve3, floor: 0.8, multiplier: 4 }), p);
    const stepper = new EngineStepper({
      assets: assets3,
      nPaths,
      firstPath: 0,
      initialValue: 100,
      runs: [run(strategy as Strategy)],
      benchmark: 0,
      stepsPerYear: 252,
    });
    return obs.map((o) => {
      stepper.step(o);
      const st = stepper.stateOf(0) as VolTargetState<unknown>;
      return st.overlay.weight.map((w) => Array.from(w));
    });
  };
  const estimators: VolEstimatorSpec[] = [
    { kind: 'ewma', halfLife: 5 },
    { kind: 'realized', window: 5 },
    { kind: 'garch', omega: 2e-6, alpha: 0.1, beta: 0.85 },
    { kind: 'covariance', halfLife: 5 },
  ];

  it('perturbing the returns after t never changes the weight at t (every estimator, per sleeve and leg, lag 1–3)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: nSteps - 2 }),
        fc.double({ min: 0.2, max: 5, noNaN: true }),
        fc.constantFrom(...estimators),
        fc.constantFrom<'sleeve' | 'leg'>('sleeve', 'leg'),
        fc.integer({ min: 1, max: 3 }),
        (t, k, estimator, per, lag) => {
          const p = params({
            estimator,
            per: estimator.kind === 'covariance' ? 'sleeve' : per,
            lag,
            maxWeight: 50,
          });
          const a = weights(p, observations);
          const b = weights(p, perturbAfter(observations, t, k));
          for (let i = 0; i <= t; i++) expect(b[i]).toEqual(a[i]);
          // lag L: the weight decided at t + L − 1 has not seen r_{t+1} either
          for (let i = t + 1; i <= Math.min(t + lag - 1, nSteps); i++) expect(b[i]).toEqual(a[i]);
        },
      ),
      { seed: 20261203, numRuns: 60 },
    );
  });

  it('has the power to see a change: with lag 1 the weight at t + 1 moves when r_{t+1} does', () => {
    const p = params({ estimator: { kind: 'ewma', halfLife: 5 }, maxWeight: 50 });
    const a = weights(p, observations);
    const b = weights(p, perturbAfter(observations, 10, 3));
    expect(b[11]).not.toEqual(a[11]);
  });
});

describe('volTarget: snapshot / restore', () => {
  const nPaths = 256;
  const grid = uniformGrid(0.25, 63);
  const runs = () => [
    run(buyAndHold({ weights: sleeve3 })),
    run(
      volTarget(
        cppi({ weights: sleeve3, floor: 0.8, multiplier: 4 }),
        params({ estimator: { kind: 'covariance', halfLife: 10 } }),
      ) as Strategy,
    ),
    run(
      volTarget(
        buyAndHold({ weights: sleeve3 }),
        params({ per: 'leg', estimator: { kind: 'realized', window: 10 }, band: 0.05 }),
      ) as Strategy,
    ),
  ];
  const build = () => {
    const rs = runs();
    return {
      rs,
      stepper: new EngineStepper({
        assets: assets3,
        nPaths,
        firstPath: 0,
        initialValue: 100,
        runs: rs,
        benchmark: 0,
        stepsPerYear: 252,
        ledgerPaths: [0, 255],
      }),
      source: new GridSource({ generator: gbm3(), grid, nPaths, seed: 3, stepsPerYear: 252 }),
    };
  };
  const finish = (x: ReturnType<typeof build>) => {
    drive(x.stepper, x.source);
    return {
      values: x.stepper.books.map((b) => Array.from(b.value)),
      ledgers: x.stepper.ledgers.map((l) => tradeListHash(l.records)),
      diagnostics: [1, 2].map((r) => x.rs[r].strategy.diagnostics?.(x.stepper.stateOf(r))),
    };
  };

  it('continues bit-identically from a snapshot at step k', () => {
    const whole = finish(build());
    for (const k of [1, 11, 40]) {
      const first = build();
      drive(first.stepper, first.source, undefined, k);
      const saved = structuredClone({ engine: first.stepper.snapshot(), source: first.source.snapshot() });
      const second = build();
      second.stepper.restore(saved.engine);
      second.source.restore(saved.source);
      expect(finish(second), `k = ${k}`).toEqual(whole);
    }
  });
});

/** One vol-targeted buy-and-hold of a single asset on `generator`; returns the report and the run. */
function singleAsset(cfg: Pick<EngineConfig, 'generator' | 'nPaths' | 'seed'>, p: VolTargetParams, bps = 0) {
  const strategy = volTarget(buyAndHold({ weights: Float64Array.of(1) }), p);
  const res = runEngine({
    ...cfg,
    grid: uniformGrid(1, 252),
    initialValue: 100,
    stepsPerYear: 252,
    runs: [run(strategy as Strategy, bps)],
  });
  const rep = strategy.report!(res.runs[0].diagnostics!);
  const leg = (
    rep.details.legs as { realizedOverTarget: number; meanWeight: number; weightStd: number }[]
  )[0];
  return { rep, leg, run: res.runs[0] };
}

const one = [{ name: 'EQ', assetClass: 'equity' as const, spot: 100, carry: 0 }];
const single = (over: Partial<VolTargetParams>) =>
  params({ weights: Float64Array.of(1), maxWeight: 10, initialVol: 0.2, ...over });

describe('volTarget: GBM — the weight is constant up to the estimator noise', () => {
  it('mean and dispersion of w = σ*/σ̂ match the EWMA theory (σ = 20 %, σ* = 10 %, h = 20)', () => {
    // σ̂² = σ²·X with X a λ-weighted mean of χ²₁/1 draws: E X = 1, Var X = 2(1−λ)/(1+λ) = 2/ν.
    // Treating X as χ²_ν/ν: E[X^{−1/2}] = 1 + 3/(4ν) + 25/(32ν²), CV(w) ≈ √(Var X)/2.
    const lambda = 2 ** (-1 / 20);
    const varX = (2 * (1 - lambda)) / (1 + lambda);
    const nu = 2 / varX;
    const meanW = 0.5 * (1 + 3 / (4 * nu) + 25 / (32 * nu * nu));
    const cvW = Math.sqrt(varX) / 2;
    const nPaths = 2048;
    const { leg } = singleAsset(
      { generator: new GbmGenerator({ assets: one, vols: [0.2], rate: constantRate(0) }), nPaths, seed: 7 },
      single({}),
    );
    // Standard error of the mean weight: the EWMA's integrated autocorrelation (1+λ)/(1−λ) steps.
    const se = (meanW * cvW) / Math.sqrt((nPaths * 252 * (1 - lambda)) / (1 + lambda));
    expect(Math.abs(leg.meanWeight - meanW), `mean ${leg.meanWeight} vs ${meanW}`).toBeLessThan(3 * se);
    expect(leg.weightStd / leg.meanWeight / cvW).toBeGreaterThan(0.9);
    expect(leg.weightStd / leg.meanWeight / cvW).toBeLessThan(1.1);
  });
});

describe('volTarget: Heston with known parameters — realized vol within a derived band of the target', () => {
  // v: κ = 3, θ = 0.04, ξ = 0.3, ρ = −0.7 (Feller 2κθ > ξ²). To second order, with w = σ*/σ̂:
  //   E[w²v]/σ*² = E[v/σ̂²] ≈ (1 + 2(1−λ)/(1+λ)) · E[v/v̄] and E[v/v̄] = 1 + O(T²),
  // where v̄ is the EWMA of v (rate a = ln2/(h·Δt)) and T = ξ²/(2κθ)·κ/(a+κ) is the relative variance
  // of the tracking error v − v̄ (an OU approximation of the CIR variance). So realized/target
  // ≈ √(1 + 2(1−λ)/(1+λ)) within T/2 (neglected higher orders) + 0.005 (mean of per-path vols vs
  // the root of the mean: Jensen over 251 returns per path).
  const h = { v0: 0.04, kappa: 3, theta: 0.04, xi: 0.3, rho: -0.7 };
  for (const halfLife of [10, 20]) {
    it(`EWMA half-life ${halfLife}`, () => {
      const lambda = 2 ** (-1 / halfLife);
      const predicted = Math.sqrt(1 + (2 * (1 - lambda)) / (1 + lambda));
      const a = Math.LN2 / (halfLife / 252);
      const T = ((h.xi * h.xi) / (2 * h.kappa * h.theta)) * (h.kappa / (a + h.kappa));
      const { leg, rep } = singleAsset(
        {
          generator: new HestonGenerator({ assets: one, rate: constantRate(0), heston: [h] }),
          nPaths: 4096,
          seed: 11,
        },
        single({ estimator: { kind: 'ewma', halfLife } }),
      );
      expect(
        Math.abs(leg.realizedOverTarget - predicted),
        `${leg.realizedOverTarget} vs ${predicted} ± ${T / 2 + 0.005}`,
      ).toBeLessThan(T / 2 + 0.005);
      expect(rep.warnings).toEqual([]);
    });
  }
});

describe('volTarget: a band on the weight', () => {
  it('cuts turnover with the Sharpe ratio unchanged within noise', () => {
    const gen = () =>
      new HestonGenerator({
        assets: one,
        rate: constantRate(0),
        drifts: [0.08],
        heston: [{ v0: 0.04, kappa: 3, theta: 0.04, xi: 0.3, rho: -0.7 }],
      });
    const nPaths = 4096;
    const go = (band: number) =>
      singleAsset(
        { generator: gen(), nPaths, seed: 13 },
        single({ estimator: { kind: 'ewma', halfLife: 10 }, band }),
        5,
      );
    const sharpe = (r: Float64Array) => {
      let m = 0;
      for (const x of r) m += Math.log(x / 100);
      m /= r.length;
      let s = 0;
      for (const x of r) s += (Math.log(x / 100) - m) ** 2;
      return m / Math.sqrt(s / (r.length - 1));
    };
    const mean = (a: Float64Array) => a.reduce((t, x) => t + x, 0) / a.length;
    const noBand = go(0).run;
    const banded = go(0.1).run;
    expect(mean(banded.turnover)).toBeLessThan(0.5 * mean(noBand.turnover));
    expect(mean(banded.trades)).toBeLessThan(0.2 * mean(noBand.trades));
    const s0 = sharpe(noBand.terminal);
    const s1 = sharpe(banded.terminal);
    // Standard error of a Sharpe estimate over N i.i.d. outcomes (Lo 2002): √((1 + S²/2)/N).
    expect(Math.abs(s1 - s0)).toBeLessThan(3 * Math.sqrt((1 + (s0 * s0) / 2) / nPaths));
  });
});

describe('volTarget: diagnostics merge over chunks and worker threads', () => {
  it('totals and the first path’s series do not depend on the split', async () => {
    const { buildVolTarget3 } = await import('../../../bench/workloads/engine.ts');
    const { runEngineParallel } = await import('../../engine/parallel.ts');
    const args = { nSteps: 20, seed: 4, report: true };
    const range = { firstPath: 0, nPaths: 1024 };
    const whole = runEngine({ ...buildVolTarget3(args, range), chunkPaths: 1024 }).runs[0].diagnostics!;
    const chunked = runEngine({ ...buildVolTarget3(args, range), chunkPaths: 256 }).runs[0].diagnostics!;
    expect(chunked.series).toEqual(whole.series);
    for (const [k, v] of Object.entries(whole.totals)) expect(chunked.totals[k], k).toBeCloseTo(v, 9);
    const par = await runEngineParallel(
      {
        module: new URL('../../../bench/workloads/engine.ts', import.meta.url).href,
        builder: 'buildVolTarget3',
        args,
        nPaths: 1024,
      },
      { workers: 2 },
    );
    const d = par.runs[0].diagnostics!;
    expect(d.series).toEqual(whole.series);
    for (const [k, v] of Object.entries(whole.totals)) expect(d.totals[k], k).toBeCloseTo(v, 9);
    expect(whole.totals.paths).toBe(1024);
  }, 60_000);
});

describe('volTarget: report off', () => {
  it('trades bit-identically to report on, with empty diagnostics and report (every estimator, lag 1 and 3)', () => {
    const ests: VolEstimatorSpec[] = [
      { kind: 'covariance', halfLife: 10 },
      { kind: 'ewma', halfLife: 10 },
      { kind: 'garch', omega: 2e-6, alpha: 0.1, beta: 0.85 },
      { kind: 'realized', window: 5 },
    ];
    for (const estimator of ests)
      for (const lag of [1, 3])
        for (const [scaleBy, band] of [
          ['vol', 0.05],
          ['variance', 0],
        ] as const) {
          const res = [true, false].map((report) => {
            const s = volTarget(
              cppi({ weights: sleeve3, floor: 0.8, multiplier: 4 }),
              params({ estimator, lag, scaleBy, band, report }),
            ) as Strategy;
            const cfg: EngineConfig = {
              generator: gbm3(),
              grid: uniformGrid(60 / 252, 60),
              nPaths: 300,
              seed: 3,
              initialValue: 100,
              runs: [run(s)],
              stepsPerYear: 252,
            };
            return { r: runEngine(cfg).runs[0], s };
          });
          const [on, off] = res;
          const label = `${estimator.kind} lag ${lag} ${scaleBy}`;
          expect(Buffer.from(off.r.terminal.buffer), label).toEqual(Buffer.from(on.r.terminal.buffer));
          expect(Buffer.from(off.r.fees.buffer), label).toEqual(Buffer.from(on.r.fees.buffer));
          expect(Buffer.from(off.r.trades.buffer), label).toEqual(Buffer.from(on.r.trades.buffer));
          expect(Object.keys(on.r.diagnostics!.totals).length, label).toBeGreaterThan(0);
          expect(off.r.diagnostics, label).toEqual({ totals: {}, series: {} });
          expect(off.s.report!(off.r.diagnostics!), label).toEqual({ warnings: [], details: {} });
        }
  });
});
