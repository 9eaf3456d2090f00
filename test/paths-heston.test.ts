import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { constantRate } from '../src/market/rate.ts';
import { HestonGenerator } from '../src/paths/heston.ts';
import { simulate, uniformGrid } from '../src/paths/types.ts';
import { correlation, expectWithinSe, meanSe } from './paths-stats.ts';

interface HestonCase {
  name: string;
  spot: number;
  strike: number;
  expiry: number;
  rate: number;
  carry: number;
  v0: number;
  kappa: number;
  theta: number;
  xi: number;
  rho: number;
  price: number;
}
const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/quantlib/heston-calls.json', import.meta.url), 'utf8'),
) as {
  tolerance: { mcStandardErrors: number };
  cases: HestonCase[];
};

/** Terminal spot and variance of each case, one generator per case, 50 steps a year. */
function terminal(cases: HestonCase[], nPaths: number, seed: number, correct = true) {
  return cases.map((c, k) => {
    const gen = new HestonGenerator({
      assets: [{ name: c.name, assetClass: 'equity', spot: c.spot, carry: c.carry }],
      heston: [c],
      rate: constantRate(c.rate),
      martingaleCorrection: correct,
    });
    const iT = Math.round(c.expiry * 50);
    const sT = new Float64Array(nPaths);
    const vT = new Float64Array(nPaths);
    simulate(gen, uniformGrid(c.expiry, iT), nPaths, seed + k, (i, _t, s) => {
      if (i === iT) {
        sT.set(s.spot[0]);
        vT.set(s.variance![0]);
      }
    });
    return { c, sT, vT };
  });
}

describe('Heston QE', () => {
  const N = 60_000;
  const results = terminal(fixture.cases, N, 31);

  it.each(results.map((r) => [r.c.name, r] as const))(
    'prices the European call of case %s within 3 SE of QuantLib AnalyticHestonEngine',
    (_name, { c, sT }) => {
      const payoff = Array.from(sT, (s) => Math.exp(-c.rate * c.expiry) * Math.max(s - c.strike, 0));
      const m = meanSe(payoff);
      expectWithinSe('call price', m.mean, m.se, c.price, { ...c, N }, fixture.tolerance.mcStandardErrors);
    },
  );

  it.each(results.map((r) => [r.c.name, r] as const))(
    'makes e^{-(r-q)T} S_T a martingale in case %s (3 SE)',
    (_n, { c, sT }) => {
      const m = meanSe(Array.from(sT, (s) => s * Math.exp(-(c.rate - c.carry) * c.expiry)));
      expectWithinSe('E[discounted S_T]', m.mean, m.se, c.spot, { ...c, N });
    },
  );

  it.each(results.map((r) => [r.c.name, r] as const))(
    'matches E[V_T] = θ + (v0 − θ)e^{−κT} in case %s (3 SE), V ≥ 0',
    (_n, { c, vT }) => {
      const m = meanSe(vT);
      expectWithinSe('E[V_T]', m.mean, m.se, c.theta + (c.v0 - c.theta) * Math.exp(-c.kappa * c.expiry), {
        ...c,
        N,
      });
      expect(Math.min(...vT)).toBeGreaterThanOrEqual(0);
    },
  );

  it('correlates spot shocks across assets: with ρ = 0 and tiny ξ, log-return correlation ≈ C_ab (3 SE)', () => {
    const h = { v0: 0.04, kappa: 1, theta: 0.04, xi: 1e-4, rho: 0 };
    const gen = new HestonGenerator({
      assets: ['A', 'B'].map((name) => ({ name, assetClass: 'equity' as const, spot: 100 })),
      heston: [h, h],
      correlation: [
        [1, 0.6],
        [0.6, 1],
      ],
    });
    const n = 20_000;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    simulate(gen, uniformGrid(0.1, 1), n, 4, (i, _t, s) => {
      if (i === 1) {
        x.set(s.logReturn[0]);
        y.set(s.logReturn[1]);
      }
    });
    expectWithinSe('correlation', correlation(x, y), (1 - 0.36) / Math.sqrt(n), 0.6, {});
  });

  it('without the martingale correction still prices within 3 SE at 50 steps a year', () => {
    const [r] = terminal([fixture.cases[0]], 40_000, 77, false);
    const payoff = Array.from(r.sT, (s) => Math.exp(-r.c.rate * r.c.expiry) * Math.max(s - r.c.strike, 0));
    const m = meanSe(payoff);
    expectWithinSe('call price (uncorrected)', m.mean, m.se, r.c.price, { ...r.c });
  });

  it('rejects invalid parameters with the offending entry named', () => {
    const assets = [{ name: 'A', assetClass: 'equity' as const, spot: 100 }];
    const ok = { v0: 0.04, kappa: 1, theta: 0.04, xi: 0.5, rho: -0.5 };
    expect(() => new HestonGenerator({ assets, heston: [{ ...ok, kappa: 0 }] })).toThrow(
      'heston[0].kappa (0) must be > 0',
    );
    expect(() => new HestonGenerator({ assets, heston: [{ ...ok, rho: -1.2 }] })).toThrow(
      'heston[0].rho (-1.2) must be in [-1, 1]',
    );
    expect(() => new HestonGenerator({ assets, heston: [{ ...ok, v0: -0.01 }] })).toThrow(
      'heston[0].v0 (-0.01) must be >= 0',
    );
    expect(() => new HestonGenerator({ assets, heston: [] })).toThrow('heston.length (0) must be 1');
    expect(() => new HestonGenerator({ assets, heston: [ok], correlation: [[0.5]] })).toThrow(
      'correlation[0][0] (0.5) must be 1',
    );
  });
});
