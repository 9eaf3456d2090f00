/**
 * CPPI under geometric Brownian motion, by Monte-Carlo through the engine, against
 * - the Bertrand–Prigent (2005) closed form of the terminal value's mean and standard deviation for
 *   continuous rebalancing (V_T = F_T + α_T·S_T^m), within 3 standard errors plus the stated
 *   discretisation bias of daily rebalancing;
 * - the exact moments for daily rebalancing (cushion = C₀·Π(m·R_k + (1 − m)e^{rΔ})), within 3 SE;
 * and checks that with daily rebalancing and no jumps no path ever breaches its floor (CPPI and TIPP).
 */
import { describe, expect, it } from 'vitest';
import { runEngine } from '../src/engine/engine.ts';
import { constantRate } from '../src/market/rate.ts';
import { withFloor } from '../src/metrics/floor.ts';
import { GbmGenerator } from '../src/paths/gbm.ts';
import { uniformGrid } from '../src/paths/types.ts';
import { costModel } from '../src/portfolio/costs.ts';
import { type CppiState, cppi } from '../src/strategies/cppi.ts';
import { cppiDiscreteMoments, cppiGbmMoments } from '../src/strategies/cppi-analytic.ts';
import { tipp } from '../src/strategies/tipp.ts';
import type { Strategy } from '../src/strategies/types.ts';
import { FloorWatch, floorSpec, sampleStats } from './cppi-support.ts';

const STEPS = 252;
const N = 12_288;
const plain = (strategy: Strategy<CppiState>) => ({
  strategy,
  costs: costModel(),
  rebalance: {},
  vols: { kind: 'constant' as const, vol: 0.2 },
});

describe('CPPI under GBM vs Bertrand–Prigent (daily rebalancing, no cap, floor accruing at r)', () => {
  it('one asset: terminal mean and std within 3 SE (+ daily-rebalancing bias) of the closed form', () => {
    const x = { v0: 100, floor: 0.8, multiplier: 4, mu: 0.07, sigma: 0.15, rate: 0.02, horizon: 1 };
    const gen = new GbmGenerator({
      assets: [{ name: 'EQ', assetClass: 'equity', spot: 100 }],
      vols: [x.sigma],
      drifts: [x.mu],
      rate: constantRate(x.rate),
    });
    const res = runEngine({
      generator: gen,
      grid: uniformGrid(x.horizon, STEPS),
      nPaths: N,
      seed: 20261125,
      initialValue: x.v0,
      runs: [
        plain(
          cppi({
            weights: Float64Array.of(1),
            floor: x.floor,
            multiplier: x.multiplier,
            maxExposure: Infinity,
          }),
        ),
      ],
      stepsPerYear: STEPS,
    });
    const mc = sampleStats(res.runs[0].terminal);
    const cont = cppiGbmMoments(x); // mean 106.5376, std 16.4053
    const disc = cppiDiscreteMoments(x, STEPS); // mean 106.5362, std 16.3862
    const biasMean = Math.abs(disc.mean - cont.mean); // 0.0015
    const biasStd = Math.abs(disc.std - cont.std); // 0.019
    const msg = `MC mean ${mc.mean} ± ${mc.seMean}, std ${mc.std} ± ${mc.seStd}; closed form ${JSON.stringify(cont)}; daily ${JSON.stringify(disc)}`;
    expect(Math.abs(mc.mean - cont.mean), msg).toBeLessThan(3 * mc.seMean + biasMean);
    expect(Math.abs(mc.std - cont.std), msg).toBeLessThan(3 * mc.seStd + biasStd);
    expect(Math.abs(mc.mean - disc.mean), msg).toBeLessThan(3 * mc.seMean);
    expect(Math.abs(mc.std - disc.std), msg).toBeLessThan(3 * mc.seStd);
    // Monte-Carlo error at this size (1 SE): 0.145 on the mean, 0.23 on the std (relative 0.14 %, 1.4 %).
    expect(mc.seMean).toBeLessThan(0.2);
    expect(mc.seStd).toBeLessThan(0.4);
  });

  it('two correlated assets: the daily-rebalanced 60/40 sleeve behaves as one GBM of vol √(wᵀΣw)', () => {
    const w = [0.6, 0.4];
    const mu = [0.08, 0.03];
    const sig = [0.2, 0.07];
    const rho = -0.2;
    const r = 0.02;
    const gen = new GbmGenerator({
      assets: [
        { name: 'EQ', assetClass: 'equity', spot: 100 },
        { name: 'BD', assetClass: 'bond', spot: 50 },
      ],
      vols: sig,
      correlation: [
        [1, rho],
        [rho, 1],
      ],
      drifts: mu,
      rate: constantRate(r),
    });
    const res = runEngine({
      generator: gen,
      grid: uniformGrid(1, STEPS),
      nPaths: N,
      seed: 7,
      initialValue: 100,
      runs: [
        plain(cppi({ weights: Float64Array.from(w), floor: 0.85, multiplier: 5, maxExposure: Infinity })),
      ],
      stepsPerYear: STEPS,
    });
    const mc = sampleStats(res.runs[0].terminal);
    // Continuous limit: the sleeve is GBM with μ_I = Σwμ, σ_I² = wᵀΣw.
    const muI = w[0] * mu[0] + w[1] * mu[1];
    const varI = (w[0] * sig[0]) ** 2 + (w[1] * sig[1]) ** 2 + 2 * rho * w[0] * w[1] * sig[0] * sig[1];
    const cont = cppiGbmMoments({
      v0: 100,
      floor: 0.85,
      multiplier: 5,
      mu: muI,
      sigma: Math.sqrt(varI),
      rate: r,
      horizon: 1,
    });
    // Exact daily moments need only E[R] and E[R²] of the one-step sleeve return R = Σ wₐRₐ.
    const d = 1 / STEPS;
    const eR = w[0] * Math.exp(mu[0] * d) + w[1] * Math.exp(mu[1] * d);
    let eR2 = 0;
    for (let a = 0; a < 2; a++)
      for (let b = 0; b < 2; b++) {
        const c = a === b ? sig[a] ** 2 : rho * sig[0] * sig[1];
        eR2 += w[a] * w[b] * Math.exp((mu[a] + mu[b] + c) * d);
      }
    const m = 5;
    const g = Math.exp(r * d);
    const a1 = m * eR + (1 - m) * g;
    const a2 = m * m * eR2 + 2 * m * (1 - m) * g * eR + (1 - m) ** 2 * g * g;
    const c0 = 15;
    const discMean = cont.floorT + c0 * a1 ** STEPS;
    const discStd = Math.sqrt(c0 * c0 * a2 ** STEPS - (c0 * a1 ** STEPS) ** 2);
    const msg = `MC mean ${mc.mean} ± ${mc.seMean}, std ${mc.std} ± ${mc.seStd}; closed form ${JSON.stringify(cont)}; daily ${discMean}, ${discStd}`;
    expect(Math.abs(mc.mean - discMean), msg).toBeLessThan(3 * mc.seMean);
    expect(Math.abs(mc.std - discStd), msg).toBeLessThan(3 * mc.seStd);
    expect(Math.abs(mc.mean - cont.mean), msg).toBeLessThan(3 * mc.seMean + Math.abs(discMean - cont.mean));
    expect(Math.abs(mc.std - cont.std), msg).toBeLessThan(3 * mc.seStd + Math.abs(discStd - cont.std));
  });
});

describe('no floor breach with daily rebalancing and no jumps', () => {
  it('CPPI (m = 6, σ = 30 %, capped and uncapped) and TIPP keep V ≥ F on every path and step', () => {
    const gen = new GbmGenerator({
      assets: [
        { name: 'EQ', assetClass: 'equity', spot: 100 },
        { name: 'CM', assetClass: 'commodity', spot: 80 },
      ],
      vols: [0.3, 0.35],
      correlation: [
        [1, 0.3],
        [0.3, 1],
      ],
      drifts: [-0.1, 0.0],
      rate: constantRate(0.03),
    });
    const n = 4096;
    const watches = [new FloorWatch(n), new FloorWatch(n)];
    // TIPP's own floor, watched from inside decide: V ≥ Fₜ ≥ Fₜ₋₁ on every path.
    let tippViolations = 0;
    let tippDecreases = 0;
    const t = tipp({ weights: Float64Array.of(0.7, 0.3), floor: 0.8, multiplier: 6, ratchet: 0.85 });
    let prev = new Float64Array(0);
    const tippSpy: Strategy<CppiState> = {
      ...t,
      decide(view, book, st, targets) {
        if (view.step === 0) prev = new Float64Array(view.nPaths);
        t.decide(view, book, st, targets);
        for (let p = 0; p < view.nPaths; p++) {
          if (book.value[p] < st.floor[p]) tippViolations++;
          if (view.step > 0 && st.floor[p] < prev[p]) tippDecreases++;
        }
        prev.set(st.floor);
      },
    };
    runEngine({
      generator: gen,
      grid: uniformGrid(1, STEPS),
      nPaths: n,
      seed: 11,
      initialValue: 100,
      runs: [
        plain(cppi({ weights: Float64Array.of(0.7, 0.3), floor: 0.8, multiplier: 6 })),
        plain(cppi({ weights: Float64Array.of(0.7, 0.3), floor: 0.8, multiplier: 6, maxExposure: 3 })),
        plain(tippSpy),
      ],
      stepsPerYear: STEPS,
      metrics: (r) => withFloor(watches[r] ?? new FloorWatch(n), floorSpec(0.8, true), 100),
    });
    for (const wch of watches) {
      expect(wch.breaches()).toBe(0);
      // the cushion did get thin on some paths: the test is not vacuous
      expect(Math.min(...wch.minCushion)).toBeLessThan(0.01);
    }
    expect(tippViolations).toBe(0);
    expect(tippDecreases).toBe(0);
  });
});
