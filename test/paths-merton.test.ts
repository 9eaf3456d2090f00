import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { constantRate } from '../src/market/rate.ts';
import { MertonGenerator, poissonInPlace } from '../src/paths/merton.ts';
import { simulate, uniformGrid } from '../src/paths/types.ts';
import { expectWithinSe, meanSe } from './paths-stats.ts';

interface Jump {
  intensity: number;
  mean: number;
  std: number;
}
interface MertonCase {
  name: string;
  spot: number;
  strike: number;
  expiry: number;
  rate: number;
  carry: number;
  vol: number;
  idio: Jump;
  common: Jump;
  price: number;
}
const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/merton/merton-calls.json', import.meta.url), 'utf8'),
) as {
  tolerance: { mcStandardErrors: number };
  cases: MertonCase[];
};

function generator(c: MertonCase) {
  return new MertonGenerator({
    assets: [{ name: c.name, assetClass: 'equity', spot: c.spot, carry: c.carry }],
    vols: [c.vol],
    jumps: [c.idio],
    commonJumps: { intensity: c.common.intensity, sizes: [{ mean: c.common.mean, std: c.common.std }] },
    rate: constantRate(c.rate),
  });
}

describe('Merton jump-diffusion', () => {
  const N = 60_000;
  const results = fixture.cases.map((c, k) => {
    const nSteps = Math.round(c.expiry * 12);
    const sT = new Float64Array(N);
    simulate(generator(c), uniformGrid(c.expiry, nSteps), N, 500 + k, (i, _t, s) => {
      if (i === nSteps) sT.set(s.spot[0]);
    });
    return [c.name, c, sT] as const;
  });

  it.each(results)('prices the European call of case %s within 3 SE of the Merton series', (_n, c, sT) => {
    const m = meanSe(Array.from(sT, (s) => Math.exp(-c.rate * c.expiry) * Math.max(s - c.strike, 0)));
    expectWithinSe('call price', m.mean, m.se, c.price, { ...c, N }, fixture.tolerance.mcStandardErrors);
  });

  it.each(results)('makes e^{-(r-q)T} S_T a martingale in case %s (3 SE)', (_n, c, sT) => {
    const m = meanSe(Array.from(sT, (s) => s * Math.exp(-(c.rate - c.carry) * c.expiry)));
    expectWithinSe('E[discounted S_T]', m.mean, m.se, c.spot, { ...c, N });
  });

  it('gives common jumps a covariance λ_M·T·(m_a m_b + s_a s_b) across assets and keeps idiosyncratic ones apart (3 SE)', () => {
    const lamM = 4;
    const sizes = [
      { mean: -0.1, std: 0.05 },
      { mean: -0.05, std: 0.1 },
    ];
    const gen = new MertonGenerator({
      assets: ['A', 'B'].map((name) => ({ name, assetClass: 'equity' as const, spot: 100 })),
      vols: [0.1, 0.2],
      jumps: [
        { intensity: 5, mean: 0.02, std: 0.1 },
        { intensity: 3, mean: -0.03, std: 0.05 },
      ],
      commonJumps: { intensity: lamM, sizes },
    });
    const n = 60_000;
    const T = 0.5;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    simulate(gen, uniformGrid(T, 6), n, 9, (i, _t, s) => {
      if (i === 0) return;
      for (let p = 0; p < n; p++) {
        x[p] += s.logReturn[0][p];
        y[p] += s.logReturn[1][p];
      }
    });
    const mx = meanSe(x).mean;
    const my = meanSe(y).mean;
    const prod = Array.from(x, (v, p) => (v - mx) * (y[p] - my));
    const cov = meanSe(prod);
    const expected = lamM * T * (sizes[0].mean * sizes[1].mean + sizes[0].std * sizes[1].std);
    expectWithinSe('covariance', cov.mean, cov.se, expected, { lamM, T, sizes });
    // variance of asset A: σ²T + λ_A T(m² + s²) + λ_M T(m_M² + s_M²)
    const vx = meanSe(Array.from(x, (v) => (v - mx) ** 2));
    const vA = 0.01 * T + 5 * T * (0.02 ** 2 + 0.1 ** 2) + lamM * T * (0.1 ** 2 + 0.05 ** 2);
    expectWithinSe('variance A', vx.mean, vx.se, vA, {});
  });

  it('draws Poisson counts by inversion with the right mean and P(N = 0) (3 SE)', () => {
    const u = new Float64Array(100_000);
    for (let i = 0; i < u.length; i++) u[i] = (i + 0.5) / u.length; // stratified uniforms: exact quantiles
    poissonInPlace(u, 2.5);
    expect(Math.abs(meanSe(u).mean - 2.5)).toBeLessThan(1e-3);
    expect(Math.abs(u.filter((k) => k === 0).length / u.length - Math.exp(-2.5))).toBeLessThan(1e-4);
    const half = Float64Array.of(0.5);
    poissonInPlace(half, 2);
    expect(half[0]).toBe(2);
    const zero = Float64Array.of(0.9);
    poissonInPlace(zero, 0);
    expect(zero[0]).toBe(0);
  });

  it('rejects invalid parameters with the offending entry named', () => {
    const assets = [{ name: 'A', assetClass: 'equity' as const, spot: 100 }];
    expect(
      () => new MertonGenerator({ assets, vols: [0.2], jumps: [{ intensity: -1, mean: 0, std: 0.1 }] }),
    ).toThrow('jumps[0].intensity (-1) must be >= 0');
    expect(
      () =>
        new MertonGenerator({
          assets,
          vols: [0.2],
          commonJumps: { intensity: 1, sizes: [{ mean: 0, std: -0.1 }] },
        }),
    ).toThrow('commonJumps.sizes[0].std (-0.1) must be >= 0');
    expect(
      () => new MertonGenerator({ assets, vols: [0.2], commonJumps: { intensity: 1, sizes: [] } }),
    ).toThrow('commonJumps.sizes.length (0) must be 1');
  });
});
