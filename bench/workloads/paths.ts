/**
 * Path-generator throughput: 3 assets, 10,000 paths × 252 daily steps, streamed (no path storage).
 * Unit: one path-step of all 3 assets. Goal for paths-gbm3: ≤ 30 ns per path-step on one core.
 */
import { constantRate } from '../../src/market/rate.ts';
import { GbmGenerator } from '../../src/paths/gbm.ts';
import { HestonGenerator } from '../../src/paths/heston.ts';
import { type MarketState, type PathGenerator, simulate, uniformGrid } from '../../src/paths/types.ts';
import type { BenchWorkload } from '../types.ts';

const N_PATHS = 10_000;
const N_STEPS = 252;
const grid = uniformGrid(1, N_STEPS);
const assets = ['EQ', 'BOND', 'GOLD'].map((name, i) => ({
  name,
  assetClass: (['equity', 'bond', 'commodity'] as const)[i],
  spot: 100,
  carry: 0.01 * i,
}));
const correlation = [
  [1, -0.3, 0.2],
  [-0.3, 1, 0.1],
  [0.2, 0.1, 1],
];

function workload(name: string, description: string, make: () => PathGenerator): BenchWorkload {
  let gen: PathGenerator;
  let checksum = 0;
  const onStep = (i: number, _t: number, s: MarketState) => {
    if (i === N_STEPS) checksum = s.spot[0][0] + s.spot[2][N_PATHS - 1];
  };
  return {
    name,
    unit: 'path-step',
    n: N_PATHS * N_STEPS,
    description,
    setup() {
      gen = make();
    },
    run() {
      simulate(gen, grid, N_PATHS, 20261125, onStep);
    },
    accuracy: () => ({ checksum }),
  };
}

export const workloads: BenchWorkload[] = [
  workload(
    'paths-gbm3',
    '3 correlated GBM assets, 10k paths × 252 daily steps, streamed',
    () => new GbmGenerator({ assets, vols: [0.2, 0.07, 0.15], correlation, rate: constantRate(0.03) }),
  ),
  workload(
    'paths-heston',
    '3 Heston assets (QE, martingale-corrected), 10k paths × 252 daily steps, streamed',
    () =>
      new HestonGenerator({
        assets,
        heston: [
          { v0: 0.04, kappa: 1.5, theta: 0.04, xi: 0.5, rho: -0.7 },
          { v0: 0.005, kappa: 0.8, theta: 0.005, xi: 0.1, rho: 0 },
          { v0: 0.03, kappa: 1, theta: 0.03, xi: 0.6, rho: 0.2 },
        ],
        correlation,
        rate: constantRate(0.03),
      }),
  ),
];
