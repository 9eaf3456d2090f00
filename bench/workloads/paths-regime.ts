/**
 * Regime-switching and bootstrap path throughput: 3 assets, 10,000 paths × 252 daily steps, streamed
 * (no path storage). Unit: one path-step of all 3 assets.
 * - paths-regime: 3 regimes (calm / turbulent / crisis, jumps in the last two), per-year generator.
 * - paths-bootstrap: stationary block bootstrap (mean block 20 days) of DAX, SMI, CAC daily log
 *   returns from data/eustockmarkets.csv.
 */
import { fileURLToPath } from 'node:url';
import { loadPriceHistory } from '../../src/market/history-csv.ts';
import { constantRate } from '../../src/market/rate.ts';
import { StationaryBootstrap } from '../../src/paths/bootstrap.ts';
import { RegimeSwitchingGenerator } from '../../src/paths/regime-switching.ts';
import { type MarketState, type PathGenerator, simulate, uniformGrid } from '../../src/paths/types.ts';
import type { BenchWorkload } from '../types.ts';

const N_PATHS = 10_000;
const N_STEPS = 252;
const grid = uniformGrid(1, N_STEPS);
const assets = ['EQ', 'BOND', 'GOLD'].map((name, i) => ({
  name,
  assetClass: (['equity', 'bond', 'commodity'] as const)[i],
  spot: 100,
}));
const corr = (eb: number, ec: number, bc: number) => [
  [1, eb, ec],
  [eb, 1, bc],
  [ec, bc, 1],
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
    'paths-regime',
    '3 assets, 3 regimes (calm/turbulent/crisis with jumps), 10k paths × 252 daily steps, streamed',
    () =>
      new RegimeSwitchingGenerator({
        assets,
        rate: constantRate(0.03),
        regimes: [
          {
            name: 'calm',
            drift: [0.1, 0.03, 0.05],
            vol: [0.12, 0.04, 0.14],
            correlation: corr(-0.2, 0.2, -0.1),
          },
          {
            name: 'turbulent',
            drift: [-0.05, 0.04, 0],
            vol: [0.25, 0.06, 0.25],
            correlation: corr(-0.35, 0.35, -0.15),
            jumpIntensity: 3,
            jumpMean: [-0.03, 0.005, -0.02],
            jumpStd: [0.02, 0.003, 0.02],
          },
          {
            name: 'crisis',
            drift: [-0.4, 0.06, -0.2],
            vol: [0.45, 0.08, 0.35],
            correlation: corr(-0.4, 0.5, -0.2),
            jumpIntensity: 12,
            jumpMean: [-0.06, 0.01, -0.04],
            jumpStd: [0.04, 0.005, 0.03],
          },
        ],
        transition: {
          kind: 'generator',
          matrix: [
            [-0.6, 0.5, 0.1],
            [3, -4, 1],
            [2, 6, -8],
          ],
        },
        initialRegime: 'stationary',
      }),
  ),
  workload(
    'paths-bootstrap',
    'stationary block bootstrap (L = 20) of DAX/SMI/CAC 1991–1998 returns, 10k paths × 252 steps, streamed',
    () =>
      new StationaryBootstrap(
        loadPriceHistory(fileURLToPath(new URL('../../data/eustockmarkets.csv', import.meta.url))),
        {
          meanBlockLength: 20,
          assets,
          columns: { EQ: 'DAX', BOND: 'SMI', GOLD: 'CAC' },
          rate: constantRate(0.03),
        },
      ),
  ),
];
