import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.ts';
import { PATH_BLOCK } from '../core/rng.ts';
import type { AssetSpec } from '../market/asset.ts';
import { constantRate } from '../market/rate.ts';
import { ScheduledJumpGenerator, type ScheduledJumpParams } from './scheduled-jumps.ts';
import { simulatePaths, uniformGrid } from './types.ts';

const eq = (name: string, spot = 100): AssetSpec => ({ name, assetClass: 'equity', spot });

/** Mean and standard error of a sample. */
function meanSe(x: ArrayLike<number>): { mean: number; se: number; variance: number } {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < x.length; i++) {
    s += x[i];
    s2 += x[i] * x[i];
  }
  const mean = s / x.length;
  const variance = s2 / x.length - mean * mean;
  return { mean, se: Math.sqrt(variance / x.length), variance };
}

/** Column i (time index) of a step-major path matrix. */
function atStep(paths: Float64Array, i: number, nPaths: number): Float64Array {
  return paths.subarray(i * nPaths, (i + 1) * nPaths);
}

describe('scheduled gap and volatility spike', () => {
  const crash: ScheduledJumpParams = {
    assets: [eq('EQ'), { name: 'BD', assetClass: 'bond', spot: 100 }],
    vol: [0.15, 0.05],
    drift: [0.05, 0.03],
    correlation: [
      [1, -0.3],
      [-0.3, 1],
    ],
    shocks: [{ time: 21 / 252, gap: [-0.2, 0.02], volMultiplier: [3, 1.5], volHalfLife: 21 / 252 }],
  };
  const n = 4096;
  const grid = uniformGrid(63 / 252, 63);

  it('gaps −20 % on the scheduled day on every path, and only then', () => {
    const spot = simulatePaths(new ScheduledJumpGenerator(crash), grid, n, 5);
    const lr = simulatePaths(new ScheduledJumpGenerator(crash), grid, n, 5, { field: 'logReturn' });
    const day = (i: number) => meanSe(atStep(lr[0], i, n));
    const sd = 0.15 / Math.sqrt(252);
    const gapDay = day(21);
    expect(Math.abs(gapDay.mean - (Math.log(0.8) + (0.05 - 0.5 * 0.15 ** 2) / 252))).toBeLessThan(
      3 * gapDay.se,
    );
    expect(Math.sqrt(gapDay.variance)).toBeCloseTo(sd, 3);
    for (let p = 0; p < n; p++) {
      const r = spot[0][21 * n + p] / spot[0][20 * n + p] - 1;
      if (!(Math.abs(r - -0.2) < 0.8 * 6 * sd)) throw new Error(`path ${p}: gap day return ${r}`);
    }
    for (const i of [20, 22]) expect(Math.abs(day(i).mean)).toBeLessThan(0.01);
    const bond = meanSe(atStep(lr[1], 21, n));
    expect(Math.abs(bond.mean - (Math.log(1.02) + (0.03 - 0.5 * 0.05 ** 2) / 252))).toBeLessThan(3 * bond.se);
  });

  it('vol jumps to M·σ after the gap and its excess halves every half-life', () => {
    const g = new ScheduledJumpGenerator(crash);
    expect(g.volAt(0, 0)).toBe(0.15);
    expect(g.volAt(0, 20 / 252)).toBe(0.15);
    expect(g.volAt(0, 21 / 252)).toBeCloseTo(0.45, 14);
    expect(g.volAt(0, 42 / 252)).toBeCloseTo(0.15 * (1 + 2 * 0.5), 14);
    expect(g.volAt(1, 63 / 252)).toBeCloseTo(0.05 * (1 + 0.5 * 0.25), 14);
    const vol = simulatePaths(new ScheduledJumpGenerator(crash), grid, 8, 5, { field: 'vol' })[0];
    // state.vol after step i is the vol used over (t_{i−1}, t_i]
    expect(vol[21 * 8]).toBe(0.15);
    expect(vol[22 * 8]).toBeCloseTo(0.45, 14);
    const lr = simulatePaths(new ScheduledJumpGenerator(crash), grid, n, 6, { field: 'logReturn' })[0];
    const spike = meanSe(atStep(lr, 22, n));
    const tVar = 0.45 ** 2 / 252;
    // SE of a normal sample variance: var·√(2/n)
    expect(Math.abs(spike.variance - tVar)).toBeLessThan(3 * tVar * Math.sqrt(2 / n));
  });

  it('keeps E[S(T)] = S₀·e^{μT}·(1 + gap) within 3 SE', () => {
    const spot = simulatePaths(new ScheduledJumpGenerator(crash), grid, n, 7);
    for (let a = 0; a < 2; a++) {
      const { mean, se } = meanSe(atStep(spot[a], 63, n));
      const want = 100 * Math.exp(crash.drift![a] * 0.25) * (1 + crash.shocks![0].gap![a]);
      if (!(Math.abs(mean - want) <= 3 * se))
        throw new Error(`asset ${a}: E[S(T)] ${mean} vs ${want} ± ${3 * se}`);
    }
  });

  it('correlates the shocks as asked', () => {
    const lr = simulatePaths(new ScheduledJumpGenerator(crash), uniformGrid(1 / 252, 1), 16384, 8, {
      field: 'logReturn',
    });
    const a = atStep(lr[0], 1, 16384);
    const b = atStep(lr[1], 1, 16384);
    const ma = meanSe(a);
    const mb = meanSe(b);
    let c = 0;
    for (let p = 0; p < a.length; p++) c += (a[p] - ma.mean) * (b[p] - mb.mean);
    const rho = c / a.length / Math.sqrt(ma.variance * mb.variance);
    expect(Math.abs(rho - -0.3)).toBeLessThan((3 * (1 - 0.09)) / Math.sqrt(16384));
  });

  it('uses the risk-neutral drift r − carry when no drift is given', () => {
    const g = new ScheduledJumpGenerator({
      assets: [{ ...eq('EQ'), carry: 0.01 }],
      vol: [0.2],
      rate: constantRate(0.05),
    });
    const spot = simulatePaths(g, uniformGrid(1, 4), 16384, 9)[0];
    const { mean, se } = meanSe(atStep(spot, 4, 16384));
    expect(Math.abs(mean - 100 * Math.exp(0.04))).toBeLessThan(3 * se);
  });
});

describe('drift phases and mean reversion', () => {
  it('a phase adds its log drift over its days: E[ln S(T)] = ln S₀ + (μ − σ²/2)T + g·(end − start)', () => {
    const g = new ScheduledJumpGenerator({
      assets: [eq('EQ')],
      vol: [0.2],
      drift: [0.06],
      phases: [{ start: 10 / 252, end: 25 / 252, logDrift: [Math.log(0.72) / (15 / 252)] }],
    });
    const n = 8192;
    const spot = simulatePaths(g, uniformGrid(40 / 252, 40), n, 10)[0];
    const lnAt = (i: number) => meanSe(Array.from(atStep(spot, i, n), (s) => Math.log(s / 100)));
    const at25 = lnAt(25);
    const want25 = (0.06 - 0.02) * (25 / 252) + Math.log(0.72);
    expect(Math.abs(at25.mean - want25)).toBeLessThan(3 * at25.se);
    const at10 = lnAt(10);
    expect(Math.abs(at10.mean - 0.04 * (10 / 252))).toBeLessThan(3 * at10.se);
  });

  it('mean reversion gives the Ornstein–Uhlenbeck variance σ²(1 − e^{−2κT})/(2κ), exactly on any step size', () => {
    const kappa = 10;
    const sig = 0.3;
    const n = 16384;
    const tVar = (sig * sig * -Math.expm1(-2 * kappa)) / (2 * kappa);
    for (const steps of [252, 12]) {
      const g = new ScheduledJumpGenerator({
        assets: [eq('EQ')],
        vol: [sig],
        drift: [0.5 * sig * sig],
        meanReversion: [kappa],
      });
      const spot = simulatePaths(g, uniformGrid(1, steps), n, 11)[0];
      const x = Array.from(atStep(spot, steps, n), (s) => Math.log(s / 100));
      const { mean, se, variance } = meanSe(x);
      expect(Math.abs(mean)).toBeLessThan(3 * se);
      if (!(Math.abs(variance - tVar) <= 3 * tVar * Math.sqrt(2 / n))) {
        throw new Error(`${steps} steps: Var ln S(1) ${variance} vs OU ${tVar}`);
      }
    }
  });

  it('without events or reversion it is the GBM of gbm.ts in law: Var ln S(T) = σ²T', () => {
    const g = new ScheduledJumpGenerator({ assets: [eq('EQ')], vol: [0.25], drift: [0.1] });
    const n = 16384;
    const x = Array.from(atStep(simulatePaths(g, uniformGrid(2, 8), n, 12)[0], 8, n), (s) =>
      Math.log(s / 100),
    );
    const { mean, se, variance } = meanSe(x);
    expect(Math.abs(mean - (0.1 - 0.03125) * 2)).toBeLessThan(3 * se);
    expect(Math.abs(variance - 0.125)).toBeLessThan(3 * 0.125 * Math.sqrt(2 / n));
  });
});

describe('reproducibility', () => {
  it('same seed → bit-identical paths whether simulated at once or in two block ranges', () => {
    const mk = () =>
      new ScheduledJumpGenerator({
        assets: [eq('A'), eq('B')],
        vol: [0.2, 0.3],
        meanReversion: [5, 0],
        correlation: [
          [1, 0.5],
          [0.5, 1],
        ],
        shocks: [{ time: 0.05, gap: [-0.1, -0.2], volMultiplier: [2, 3] }],
      });
    const grid = uniformGrid(0.25, 63);
    const whole = simulatePaths(mk(), grid, 2 * PATH_BLOCK, 3);
    const hi = simulatePaths(mk(), grid, PATH_BLOCK, 3, { firstPath: PATH_BLOCK });
    const lo = simulatePaths(mk(), grid, PATH_BLOCK, 3);
    for (let a = 0; a < 2; a++) {
      let same = true;
      for (let i = 0; i <= grid.nSteps; i++) {
        for (let p = 0; p < PATH_BLOCK; p++) {
          if (!Object.is(whole[a][i * 2 * PATH_BLOCK + p], lo[a][i * PATH_BLOCK + p])) same = false;
          if (!Object.is(whole[a][i * 2 * PATH_BLOCK + PATH_BLOCK + p], hi[a][i * PATH_BLOCK + p]))
            same = false;
        }
      }
      expect(same).toBe(true);
    }
  });
});

describe('validation', () => {
  const base = (): ScheduledJumpParams => ({
    assets: [eq('A'), eq('B')],
    vol: [0.2, 0.2],
    shocks: [{ time: 0.1, gap: [-0.2, -0.1], volMultiplier: [2, 2], volHalfLife: 0.05 }],
    phases: [{ start: 0.2, end: 0.3, logDrift: [-1, -1] }],
  });
  const bad = (patch: (p: ScheduledJumpParams) => ScheduledJumpParams, message: string) => {
    const f = () => new ScheduledJumpGenerator(patch(base()));
    expect(f).toThrow(DomainError);
    expect(f).toThrow(message);
  };
  const shock = (p: ScheduledJumpParams, s: object) => ({ ...p, shocks: [{ ...p.shocks![0], ...s }] });
  const phase = (p: ScheduledJumpParams, s: object) => ({ ...p, phases: [{ ...p.phases![0], ...s }] });

  it('accepts the base parameters', () => {
    expect(new ScheduledJumpGenerator(base()).assets.length).toBe(2);
  });

  it('names every invalid entry', () => {
    bad((p) => ({ ...p, vol: [0.2] }), 'vol.length (1) must be 2 (one per asset)');
    bad((p) => ({ ...p, vol: undefined as never }), 'vol (undefined) is required');
    bad((p) => ({ ...p, vol: [0.2, -0.1] }), 'vol[1] (-0.1) must be >= 0');
    bad((p) => ({ ...p, drift: [0, Number.NaN] }), 'drift[1] (NaN) must be a finite number');
    bad((p) => ({ ...p, meanReversion: [-1, 0] }), 'meanReversion[0] (-1) must be >= 0');
    bad(
      (p) => ({
        ...p,
        correlation: [
          [1, 2],
          [2, 1],
        ],
      }),
      'correlation[0][1] (2) must be in [-1, 1]',
    );
    bad((p) => shock(p, { time: 0 }), 'shocks[0].time (0) must be > 0');
    bad((p) => shock(p, { gap: [-1, 0] }), 'shocks[0].gap[0] (-1) must be > -1');
    bad((p) => shock(p, { gap: [0] }), 'shocks[0].gap.length (1) must be 2');
    bad((p) => shock(p, { volMultiplier: [2, -1] }), 'shocks[0].volMultiplier[1] (-1) must be >= 0');
    bad((p) => shock(p, { volHalfLife: 0 }), 'shocks[0].volHalfLife (0) must be > 0');
    bad((p) => phase(p, { end: 0.2 }), 'phases[0].end (0.2) must be > start (0.2)');
    bad((p) => phase(p, { start: -0.1 }), 'phases[0].start (-0.1) must be >= 0');
    bad((p) => phase(p, { end: Number.NaN }), 'phases[0].end (NaN) must be a finite number');
    bad((p) => phase(p, { logDrift: [1] }), 'phases[0].logDrift.length (1) must be 2');
    bad((p) => ({ ...p, assets: [] }), 'assets.length (0) must be >= 1');
  });
});
