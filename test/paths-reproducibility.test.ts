import { describe, expect, it } from 'vitest';
import { constantRate } from '../src/market/rate.ts';
import { GbmGenerator } from '../src/paths/gbm.ts';
import { HestonGenerator } from '../src/paths/heston.ts';
import { MertonGenerator } from '../src/paths/merton.ts';
import { type PathGenerator, simulatePaths, uniformGrid } from '../src/paths/types.ts';

const assets = ['A', 'B'].map((name) => ({ name, assetClass: 'equity' as const, spot: 100, carry: 0.01 }));
const corr = [
  [1, 0.4],
  [0.4, 1],
];
const models: [string, () => PathGenerator][] = [
  ['gbm', () => new GbmGenerator({ assets, vols: [0.2, 0.3], correlation: corr, rate: constantRate(0.02) })],
  [
    'heston',
    () =>
      new HestonGenerator({
        assets,
        heston: [
          { v0: 0.04, kappa: 2, theta: 0.04, xi: 0.6, rho: -0.7 },
          { v0: 0.09, kappa: 1, theta: 0.05, xi: 1.2, rho: -0.3 },
        ],
        correlation: corr,
        rate: constantRate(0.02),
      }),
  ],
  [
    'merton',
    () =>
      new MertonGenerator({
        assets,
        vols: [0.2, 0.3],
        correlation: corr,
        jumps: [
          { intensity: 3, mean: -0.05, std: 0.1 },
          { intensity: 1, mean: 0.02, std: 0.05 },
        ],
        commonJumps: {
          intensity: 2,
          sizes: [
            { mean: -0.1, std: 0.05 },
            { mean: -0.2, std: 0.1 },
          ],
        },
        rate: constantRate(0.02),
      }),
  ],
];

describe.each(models)('%s reproducibility', (_name, make) => {
  const grid = uniformGrid(0.5, 26);

  it('gives bit-identical paths for 0–1023 at once and for 0–511 + 512–1023', () => {
    for (const field of ['spot', 'vol'] as const) {
      const whole = simulatePaths(make(), grid, 1024, 2026, { field });
      const lo = simulatePaths(make(), grid, 512, 2026, { field });
      const hi = simulatePaths(make(), grid, 512, 2026, { field, firstPath: 512 });
      for (let a = 0; a < 2; a++) {
        for (let i = 0; i <= grid.nSteps; i++) {
          for (let p = 0; p < 512; p++) {
            if (
              whole[a][i * 1024 + p] !== lo[a][i * 512 + p] ||
              whole[a][i * 1024 + 512 + p] !== hi[a][i * 512 + p]
            ) {
              throw new Error(`${field} differs at asset ${a}, step ${i}, path ${p}`);
            }
          }
        }
      }
      expect(whole[0][grid.nSteps * 1024 + 1023]).toBe(hi[0][grid.nSteps * 512 + 511]);
    }
  });

  it('gives the same paths for the same seed and different paths for another seed', () => {
    const a = simulatePaths(make(), grid, 300, 5);
    const b = simulatePaths(make(), grid, 300, 5);
    const c = simulatePaths(make(), grid, 300, 6);
    expect(b[1]).toEqual(a[1]);
    expect(c[1]).not.toEqual(a[1]);
  });
});
