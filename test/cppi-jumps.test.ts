/**
 * Gap risk of CPPI under jumps, by Monte-Carlo through the engine, against Cont & Tankov (2009):
 * with rebalancing at every jump time the floor is breached exactly when a jump ΔS/S < −1/m occurs,
 * P = 1 − exp(−λT·P(J < 1 − 1/m)). The engine rebalances daily instead; the exact breach probability
 * of that scheme (cppiDiscreteGapProbability: a step breaches when its gross return ≤ (m−1)e^{rΔ}/m)
 * differs from Cont–Tankov by a stated discretisation bias, and the Monte-Carlo estimate must lie
 * within 3 binomial standard errors of the exact one and within 3 SE + that bias of Cont–Tankov.
 */
import { describe, expect, it } from 'vitest';
import { runEngine } from '../src/engine/engine.ts';
import { constantRate } from '../src/market/rate.ts';
import { withFloor } from '../src/metrics/floor.ts';
import { MertonGenerator } from '../src/paths/merton.ts';
import { uniformGrid } from '../src/paths/types.ts';
import { costModel } from '../src/portfolio/costs.ts';
import { cppi } from '../src/strategies/cppi.ts';
import { cppiDiscreteGapProbability, cppiGapProbability } from '../src/strategies/cppi-analytic.ts';
import { FloorWatch, floorSpec } from './cppi-support.ts';

const STEPS = 252;
const N = 12_288;

function breachFrequency(gen: MertonGenerator, weights: Float64Array, multiplier: number, seed: number) {
  const watch = new FloorWatch(N);
  const r = runEngine({
    generator: gen,
    grid: uniformGrid(1, STEPS),
    nPaths: N,
    seed,
    initialValue: 100,
    runs: [
      {
        strategy: cppi({ weights, floor: 0.8, multiplier, maxExposure: Infinity }),
        costs: costModel(),
        rebalance: {},
        vols: { kind: 'constant', vol: 0.2 },
      },
    ],
    stepsPerYear: STEPS,
    metrics: () => withFloor(watch, floorSpec(0.8, true), 100),
  });
  // Once breached the book is all cash, growing like the floor: "ever below" = "ends below".
  const floorT = 80 * Math.exp(0.02);
  let below = 0;
  for (const v of r.runs[0].terminal) if (v < floorT * (1 - 1e-12)) below++;
  const p = watch.breaches() / N;
  return { p, se: Math.sqrt((p * (1 - p)) / N), endsBelow: below / N };
}

describe('CPPI gap risk under jumps vs Cont–Tankov', () => {
  it('one asset, Merton jumps (λ = 2, ln J ~ N(−0.15, 0.1²)), m = 5', () => {
    const jumps = { intensity: 2, mean: -0.15, std: 0.1 };
    const gen = new MertonGenerator({
      assets: [{ name: 'EQ', assetClass: 'equity', spot: 100 }],
      vols: [0.2],
      jumps: [jumps],
      rate: constantRate(0.02),
    });
    const mc = breachFrequency(gen, Float64Array.of(1), 5, 20261125);
    const ct = cppiGapProbability(5, jumps, 1); // 0.37156
    const exact = cppiDiscreteGapProbability(5, jumps, { mu: 0.02, sigma: 0.2 }, 0.02, 1, STEPS); // 0.37145
    const bias = Math.abs(exact - ct); // 1.1e-4
    const msg = `MC ${mc.p} ± ${mc.se}; Cont–Tankov ${ct}; exact daily ${exact}`;
    expect(Math.abs(mc.p - exact), msg).toBeLessThan(3 * mc.se);
    expect(Math.abs(mc.p - ct), msg).toBeLessThan(3 * mc.se + bias);
    expect(mc.endsBelow).toBe(mc.p);
    // Monte-Carlo error: ±0.0044 (1 SE) at this size.
    expect(mc.se).toBeLessThan(0.005);
  });

  it('60/40 sleeve hit by common crashes (same size on both assets, λ = 1.5, ln J ~ N(−0.1, 0.15²)), m = 4', () => {
    const size = { mean: -0.1, std: 0.15 };
    const sig = [0.15, 0.05];
    const gen = new MertonGenerator({
      assets: [
        { name: 'EQ', assetClass: 'equity', spot: 100 },
        { name: 'BD', assetClass: 'bond', spot: 100 },
      ],
      vols: sig,
      commonJumps: { intensity: 1.5, sizes: [size, size] },
      rate: constantRate(0.02),
    });
    const mc = breachFrequency(gen, Float64Array.of(0.6, 0.4), 4, 99);
    const jumps = { intensity: 1.5, ...size };
    const ct = cppiGapProbability(4, jumps, 1); // 0.14627
    // Both assets jump by the same J, so the sleeve does too; its diffusive vol is √(wᵀΣw) (independent
    // Brownian motions). Daily-rebalancing bias, from the one-asset exact formula at that vol: ~1e-5.
    const sigI = Math.hypot(0.6 * sig[0], 0.4 * sig[1]);
    const approx = cppiDiscreteGapProbability(4, jumps, { mu: 0.02, sigma: sigI }, 0.02, 1, STEPS);
    const bias = Math.abs(approx - ct);
    const msg = `MC ${mc.p} ± ${mc.se}; Cont–Tankov ${ct}; daily (lognormal sleeve) ${approx}`;
    expect(Math.abs(mc.p - ct), msg).toBeLessThan(3 * mc.se + bias);
    expect(mc.endsBelow).toBe(mc.p);
  });

  it('m ≤ 1 never gaps: the same crashes leave every path above the floor', () => {
    const jumps = { intensity: 3, mean: -0.3, std: 0.2 };
    const gen = new MertonGenerator({
      assets: [{ name: 'EQ', assetClass: 'equity', spot: 100 }],
      vols: [0.2],
      jumps: [jumps],
      rate: constantRate(0.02),
    });
    expect(cppiGapProbability(1, jumps, 1)).toBe(0);
    const watch = new FloorWatch(1024);
    runEngine({
      generator: gen,
      grid: uniformGrid(1, 52),
      nPaths: 1024,
      seed: 5,
      initialValue: 100,
      runs: [
        {
          strategy: cppi({ weights: Float64Array.of(1), floor: 0.8, multiplier: 1 }),
          costs: costModel(),
          rebalance: {},
          vols: { kind: 'constant', vol: 0.2 },
        },
      ],
      stepsPerYear: 52,
      metrics: () => withFloor(watch, floorSpec(0.8, true), 100),
    });
    expect(watch.breaches()).toBe(0);
  });
});
