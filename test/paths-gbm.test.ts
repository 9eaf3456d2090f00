import { describe, expect, it } from 'vitest';
import { DomainError } from '../src/core/errors.ts';
import { constantRate } from '../src/market/rate.ts';
import { GbmGenerator } from '../src/paths/gbm.ts';
import { simulate, uniformGrid } from '../src/paths/types.ts';
import { correlation, expectWithinSe, meanSe } from './paths-stats.ts';

const assets = [
  { name: 'EQ', assetClass: 'equity' as const, spot: 100, carry: 0.02 },
  { name: 'BOND', assetClass: 'bond' as const, spot: 95 },
  { name: 'GOLD', assetClass: 'commodity' as const, spot: 1800, carry: -0.01 },
];
const vols = [0.2, 0.07, 0.15];
const corr = [
  [1, -0.3, 0.2],
  [-0.3, 1, 0.1],
  [0.2, 0.1, 1],
];
const r = 0.03;
const T = 1;
const N = 40_000;
const grid = uniformGrid(T, 12);

/** Terminal log returns ln(S_T/S_0) per asset and the pooled one-step log returns of asset 0. */
function run(gen: GbmGenerator, seed: number) {
  const total = assets.map(() => new Float64Array(N));
  const stepReturns: number[] = [];
  simulate(gen, grid, N, seed, (i, _t, s) => {
    if (i === 0) return;
    for (let a = 0; a < assets.length; a++) for (let p = 0; p < N; p++) total[a][p] += s.logReturn[a][p];
    if (i <= 3) for (let p = 0; p < N; p++) stepReturns.push(s.logReturn[0][p]);
  });
  return { total, stepReturns };
}

describe('correlated GBM', () => {
  const gen = new GbmGenerator({ assets, vols, correlation: corr, rate: constantRate(r) });
  const { total, stepReturns } = run(gen, 11);

  it('has terminal log returns N((r − q − σ²/2)T, σ²T) per asset (mean and variance within 3 SE)', () => {
    for (let a = 0; a < assets.length; a++) {
      const q = assets[a].carry ?? 0;
      const m = meanSe(total[a]);
      const inputs = { asset: a, r, q, vol: vols[a], T, N };
      expectWithinSe('mean log return', m.mean, m.se, (r - q - 0.5 * vols[a] ** 2) * T, inputs);
      const v = vols[a] ** 2 * T;
      expectWithinSe('variance of log return', m.sd ** 2, v * Math.sqrt(2 / N), v, inputs);
    }
  });

  it('has one-step log returns with mean (r − q − σ²/2)Δ and variance σ²Δ (3 SE)', () => {
    const dt = T / 12;
    const m = meanSe(stepReturns);
    const n = stepReturns.length;
    expectWithinSe('step mean', m.mean, m.se, (r - 0.02 - 0.02) * dt, { dt });
    expectWithinSe('step variance', m.sd ** 2, 0.04 * dt * Math.sqrt(2 / n), 0.04 * dt, { dt });
  });

  it('correlates log returns as the correlation matrix says (3 SE of the sample correlation)', () => {
    for (let a = 0; a < 3; a++) {
      for (let b = a + 1; b < 3; b++) {
        const rho = corr[a][b];
        expectWithinSe('correlation', correlation(total[a], total[b]), (1 - rho * rho) / Math.sqrt(N), rho, {
          a,
          b,
        });
      }
    }
  });

  it('makes the discounted spot (with carry reinvested) a martingale (3 SE)', () => {
    for (let a = 0; a < assets.length; a++) {
      const q = assets[a].carry ?? 0;
      const disc = total[a].map((x) => assets[a].spot * Math.exp(x - (r - q) * T));
      const m = meanSe(disc);
      expectWithinSe('E[e^{-(r-q)T} S_T]', m.mean, m.se, assets[a].spot, { asset: a });
    }
  });

  it('uses real-world drifts when given: E[S_T] = S_0·e^{μT} (3 SE)', () => {
    const drifts = [0.08, 0.01, -0.05];
    const rw = run(new GbmGenerator({ assets, vols, correlation: corr, rate: constantRate(r), drifts }), 12);
    for (let a = 0; a < assets.length; a++) {
      const m = meanSe(rw.total[a].map((x) => Math.exp(x)));
      expectWithinSe('E[S_T/S_0]', m.mean, m.se, Math.exp(drifts[a] * T), { asset: a, drift: drifts[a] });
    }
  });

  it('reports the constant vol and moves spot consistently with logReturn', () => {
    const g = new GbmGenerator({ assets, vols, correlation: corr });
    simulate(g, uniformGrid(1, 3), 5, 1, (i, _t, s) => {
      expect(s.vol[2][4]).toBe(0.15);
      if (i === 0) expect(s.spot[0][0]).toBe(100);
    });
  });

  it('rejects invalid parameters with the offending entry named', () => {
    expect(() => new GbmGenerator({ assets, vols: [0.2, 0.1] })).toThrow('vols.length (2) must be 3');
    expect(() => new GbmGenerator({ assets, vols: [0.2, -0.1, 0.1] })).toThrow('vols[1] (-0.1) must be >= 0');
    const bad = corr.map((row) => row.slice());
    bad[1][2] = 1.3;
    bad[2][1] = 1.3;
    expect(() => new GbmGenerator({ assets, vols, correlation: bad })).toThrow(
      'correlation[1][2] (1.3) must be in [-1, 1]',
    );
    const npsd = [
      [1, 0.9, -0.9],
      [0.9, 1, 0.9],
      [-0.9, 0.9, 1],
    ];
    expect(() => new GbmGenerator({ assets, vols, correlation: npsd })).toThrow(
      /correlation is not positive semi-definite \(pivot 2/,
    );
    expect(() => new GbmGenerator({ assets: [{ ...assets[0], spot: -5 }], vols: [0.2] })).toThrow(
      'assets[0].spot (-5) must be > 0',
    );
    expect(() => new GbmGenerator({ assets, vols, drifts: [0, Number.NaN, 0] })).toThrow(DomainError);
  });
});
