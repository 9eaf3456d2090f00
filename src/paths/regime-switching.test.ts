import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.ts';
import { PATH_BLOCK } from '../core/rng.ts';
import type { AssetSpec } from '../market/asset.ts';
import {
  generatorFromStep,
  RegimeSwitchingGenerator,
  type RegimeSwitchingParams,
  stationaryDistribution,
  transitionMatrix,
} from './regime-switching.ts';
import { type MarketState, simulate, simulatePaths, uniformGrid } from './types.ts';

interface MarkovCase {
  kind: 'expm' | 'stationary' | 'logm';
  q: number[][];
  dt?: number;
  p?: number[][];
  pi?: number[];
  stepDt?: number;
}
const fixture = JSON.parse(
  readFileSync(new URL('../../test/fixtures/scipy/regime-markov.json', import.meta.url), 'utf8'),
) as {
  tolerance: { expm: number; logm: number; stationary: number };
  cases: MarkovCase[];
};

const eq = (name: string): AssetSpec => ({ name, assetClass: 'equity', spot: 100 });

function maxAbsDiff(a: number[][], b: number[][]): number {
  let m = 0;
  for (let i = 0; i < a.length; i++)
    for (let j = 0; j < a.length; j++) m = Math.max(m, Math.abs(a[i][j] - b[i][j]));
  return m;
}

describe('Markov chain algebra vs SciPy', () => {
  it('transitionMatrix(Q, dt) matches scipy.linalg.expm within 1e-12', () => {
    const cases = fixture.cases.filter((c) => c.kind === 'expm');
    expect(cases.length).toBe(25);
    for (const c of cases) {
      const got = transitionMatrix(c.q, c.dt!);
      const err = maxAbsDiff(got, c.p!);
      if (!(err <= fixture.tolerance.expm))
        throw new Error(`expm mismatch ${err} for q=${JSON.stringify(c.q)} dt=${c.dt}`);
    }
  });

  it('two-state transition probabilities match the closed form (a/(a+b))(1 − e^{−(a+b)dt})', () => {
    const a = 0.7;
    const b = 5.3;
    for (const dt of [1 / 252, 0.1, 2]) {
      const p = transitionMatrix(
        [
          [-a, a],
          [b, -b],
        ],
        dt,
      );
      expect(p[0][1]).toBeCloseTo((a / (a + b)) * -Math.expm1(-(a + b) * dt), 15);
      expect(p[1][0]).toBeCloseTo((b / (a + b)) * -Math.expm1(-(a + b) * dt), 15);
    }
  });

  it('generatorFromStep matches scipy.linalg.logm (with the diagonal adjustment when not embeddable)', () => {
    const cases = fixture.cases.filter((c) => c.kind === 'logm');
    expect(cases.length).toBe(3);
    for (const c of cases) {
      const got = generatorFromStep(c.p!, c.stepDt!);
      const err = maxAbsDiff(got, c.q);
      if (!(err <= fixture.tolerance.logm * 252)) {
        throw new Error(`logm mismatch ${err} for p=${JSON.stringify(c.p)} stepDt=${c.stepDt}`);
      }
    }
  });

  it('an embeddable per-step matrix round-trips: exp(Q·stepDt) = P₀', () => {
    const p0 = [
      [0.95, 0.04, 0.01],
      [0.1, 0.85, 0.05],
      [0.02, 0.18, 0.8],
    ];
    const back = transitionMatrix(generatorFromStep(p0, 1 / 252), 1 / 252);
    expect(maxAbsDiff(back, p0)).toBeLessThan(1e-13);
  });

  it('stationaryDistribution matches the null space of Qᵀ', () => {
    for (const c of fixture.cases.filter((x) => x.kind === 'stationary')) {
      const pi = stationaryDistribution(c.q, 'generator');
      for (let i = 0; i < pi.length; i++)
        expect(Math.abs(pi[i] - c.pi![i])).toBeLessThan(fixture.tolerance.stationary);
    }
    const pi = stationaryDistribution(
      [
        [0.9, 0.1, 0],
        [0.05, 0.9, 0.05],
        [0, 0.2, 0.8],
      ],
      'per-step',
    );
    expect(pi[0]).toBeCloseTo(2 / 7, 14);
    expect(pi[1]).toBeCloseTo(4 / 7, 14);
    expect(pi[2]).toBeCloseTo(1 / 7, 14);
  });

  const generatorArb = fc
    .integer({ min: 2, max: 4 })
    .chain((k) =>
      fc.array(fc.array(fc.double({ min: 0, max: 20, noNaN: true }), { minLength: k, maxLength: k }), {
        minLength: k,
        maxLength: k,
      }),
    )
    .map((rates) =>
      rates.map((row, i) => {
        const r = row.map((v, j) => (i === j ? 0 : v));
        r[i] = -r.reduce((x, y) => x + y, 0);
        return r;
      }),
    );

  it('property: P(dt) is stochastic and satisfies Chapman–Kolmogorov P(s + t) = P(s)·P(t)', () => {
    fc.assert(
      fc.property(
        generatorArb,
        fc.double({ min: 1e-4, max: 2, noNaN: true }),
        fc.double({ min: 1e-4, max: 2, noNaN: true }),
        (q, s, t) => {
          const ps = transitionMatrix(q, s);
          const pt = transitionMatrix(q, t);
          const pst = transitionMatrix(q, s + t);
          const k = q.length;
          for (let i = 0; i < k; i++) {
            expect(Math.abs(ps[i].reduce((x, y) => x + y, 0) - 1)).toBeLessThan(1e-14);
            for (let j = 0; j < k; j++) {
              expect(ps[i][j]).toBeGreaterThanOrEqual(0);
              let v = 0;
              for (let l = 0; l < k; l++) v += ps[i][l] * pt[l][j];
              expect(Math.abs(v - pst[i][j])).toBeLessThan(1e-12);
            }
          }
        },
      ),
      { seed: 20261125, numRuns: 200 },
    );
  });

  it('property: generatorFromStep inverts transitionMatrix for persistent chains', () => {
    fc.assert(
      fc.property(generatorArb, (q) => {
        const dt = 1 / 252;
        const p = transitionMatrix(q, dt);
        // every diagonal > 1/2 holds here since each exit rate ≤ 60 per year
        const back = generatorFromStep(p, dt);
        expect(maxAbsDiff(back, q)).toBeLessThan(1e-8 * Math.max(1, ...q.map((r) => -Math.min(...r))));
      }),
      { seed: 20261125, numRuns: 200 },
    );
  });

  it('a reducible chain has no unique stationary distribution', () => {
    expect(() =>
      stationaryDistribution(
        [
          [0, 0],
          [0, 0],
        ],
        'generator',
      ),
    ).toThrow('must have a unique stationary distribution');
  });
});

/** Counts transitions i → j between consecutive steps and regime occupancy at chosen steps. */
function chainStats(gen: RegimeSwitchingGenerator, nPaths: number, nSteps: number, dt: number, seed: number) {
  const k = gen.nRegimes;
  const counts = new Float64Array(k * k);
  const occupancy: Float64Array[] = [];
  const prev = new Int32Array(nPaths);
  simulate(gen, uniformGrid(nSteps * dt, nSteps), nPaths, seed, (i, _t, s) => {
    const r = s.regime!;
    if (i >= 2) for (let p = 0; p < nPaths; p++) counts[prev[p] * k + r[p]]++;
    if (i >= 1) {
      const occ = new Float64Array(k);
      for (let p = 0; p < nPaths; p++) occ[r[p]]++;
      occupancy.push(occ);
    }
    prev.set(r);
  });
  return { counts, occupancy };
}

function expectTransitionsWithin3Se(counts: Float64Array, p: number[][]) {
  const k = p.length;
  for (let i = 0; i < k; i++) {
    let ni = 0;
    for (let j = 0; j < k; j++) ni += counts[i * k + j];
    expect(ni).toBeGreaterThan(1000);
    for (let j = 0; j < k; j++) {
      const f = counts[i * k + j] / ni;
      const se = Math.sqrt((p[i][j] * (1 - p[i][j])) / ni);
      if (!(Math.abs(f - p[i][j]) <= 3 * se)) {
        throw new Error(`transition ${i}→${j}: frequency ${f} vs ${p[i][j]} (3 SE = ${3 * se}, n = ${ni})`);
      }
    }
  }
}

function expectOccupancyWithin3Se(occ: Float64Array, pi: number[], n: number, what: string) {
  for (let r = 0; r < pi.length; r++) {
    const f = occ[r] / n;
    const se = Math.sqrt((pi[r] * (1 - pi[r])) / n);
    if (!(Math.abs(f - pi[r]) <= 3 * se))
      throw new Error(`${what}: regime ${r} share ${f} vs π = ${pi[r]} (3 SE = ${3 * se})`);
  }
}

const threeRegimes = (transition: RegimeSwitchingParams['transition']): RegimeSwitchingParams => ({
  assets: [eq('A')],
  regimes: [
    { name: 'calm', drift: [0.1], vol: [0.1] },
    { name: 'turbulent', drift: [0], vol: [0.25] },
    { name: 'crisis', drift: [-0.4], vol: [0.5], jumpIntensity: 10, jumpMean: [-0.05], jumpStd: [0.03] },
  ],
  transition,
  initialRegime: 'stationary',
});

describe('regime chain simulation', () => {
  it('per-step chain: transition frequencies and stationary occupancy agree with P₀ and π within 3 SE', () => {
    const p0 = [
      [0.95, 0.04, 0.01],
      [0.1, 0.85, 0.05],
      [0.02, 0.18, 0.8],
    ];
    const gen = new RegimeSwitchingGenerator(threeRegimes({ kind: 'per-step', matrix: p0, stepDt: 1 / 252 }));
    const nPaths = 4096;
    const { counts, occupancy } = chainStats(gen, nPaths, 60, 1 / 252, 11);
    expectTransitionsWithin3Se(counts, p0);
    const pi = stationaryDistribution(p0, 'per-step');
    // paths are independent, so the occupancy at a fixed step is multinomial(n, π)
    expectOccupancyWithin3Se(occupancy[0], pi, nPaths, 'step 1');
    expectOccupancyWithin3Se(occupancy[59], pi, nPaths, 'step 60');
  });

  it('generator chain on weekly steps: frequencies agree with exp(Q·dt) within 3 SE', () => {
    const q = [
      [-2, 1.5, 0.5],
      [4, -6, 2],
      [1, 9, -10],
    ];
    const dt = 1 / 52;
    const gen = new RegimeSwitchingGenerator(threeRegimes({ kind: 'generator', matrix: q }));
    const { counts, occupancy } = chainStats(gen, 4096, 40, dt, 12);
    expectTransitionsWithin3Se(counts, transitionMatrix(q, dt));
    expectOccupancyWithin3Se(occupancy[39], stationaryDistribution(q, 'generator'), 4096, 'week 40');
  });

  it('a per-step matrix used on a coarser grid goes through its generator', () => {
    const p0 = [
      [0.95, 0.04, 0.01],
      [0.1, 0.85, 0.05],
      [0.02, 0.18, 0.8],
    ];
    const gen = new RegimeSwitchingGenerator(threeRegimes({ kind: 'per-step', matrix: p0, stepDt: 1 / 252 }));
    expect(gen.supportsDt(5 / 252)).toBe(true);
    const { counts } = chainStats(gen, 4096, 30, 5 / 252, 13);
    const q = generatorFromStep(p0, 1 / 252);
    expectTransitionsWithin3Se(counts, transitionMatrix(q, 5 / 252));
  });

  it('a fixed initial regime (by name) starts every path there', () => {
    const gen = new RegimeSwitchingGenerator({
      ...threeRegimes({
        kind: 'generator',
        matrix: [
          [-1, 1, 0],
          [0, -1, 1],
          [1, 0, -1],
        ],
      }),
      initialRegime: 'crisis',
    });
    const s = gen.init(8);
    expect(Array.from(s.regime!)).toEqual(new Array(8).fill(2));
    expect(s.vol[0][0]).toBe(0.5);
  });

  it('a random initial regime is −1 at t₀ with the π-weighted RMS vol, then drawn', () => {
    const gen = new RegimeSwitchingGenerator({
      assets: [eq('A')],
      regimes: [
        { name: 'a', drift: [0], vol: [0.1] },
        { name: 'b', drift: [0], vol: [0.3] },
      ],
      transition: {
        kind: 'generator',
        matrix: [
          [0, 0],
          [0, 0],
        ],
      },
      initialRegime: [0.25, 0.75],
    });
    const s = gen.init(4);
    expect(s.regime![0]).toBe(-1);
    expect(s.vol[0][0]).toBeCloseTo(Math.sqrt(0.25 * 0.01 + 0.75 * 0.09), 15);
    let share = 0;
    simulate(gen, uniformGrid(1 / 252, 1), 8192, 3, (i, _t, st) => {
      if (i === 1) for (let p = 0; p < 8192; p++) share += st.regime![p];
    });
    const se = Math.sqrt((0.75 * 0.25) / 8192);
    expect(Math.abs(share / 8192 - 0.75)).toBeLessThan(3 * se);
  });

  it('a per-step matrix without a generator yields NaN returns on a foreign dt and keeps regimes', () => {
    const gen = new RegimeSwitchingGenerator({
      assets: [eq('A')],
      regimes: [
        { name: 'a', drift: [0], vol: [0.1] },
        { name: 'b', drift: [0], vol: [0.3] },
      ],
      transition: {
        kind: 'per-step',
        matrix: [
          [0.4, 0.6],
          [0.6, 0.4],
        ],
        stepDt: 1 / 252,
      },
      initialRegime: 'b',
    });
    expect(gen.supportsDt(1 / 252)).toBe(true);
    expect(gen.supportsDt(1 / 52)).toBe(false);
    expect(gen.generator).toBeUndefined();
    const lr = simulatePaths(gen, uniformGrid(1 / 52, 1), 4, 1, { field: 'logReturn' })[0];
    expect(Number.isNaN(lr[4])).toBe(true);
  });
});

describe('per-regime return moments', () => {
  // two regimes with different drifts, vols, correlations; jumps only in `crisis`
  const dt = 1 / 52;
  const params: RegimeSwitchingParams = {
    assets: [eq('A'), eq('B')],
    regimes: [
      {
        name: 'calm',
        drift: [0.1, 0.05],
        vol: [0.15, 0.1],
        correlation: [
          [1, 0.3],
          [0.3, 1],
        ],
      },
      {
        name: 'crisis',
        drift: [-0.2, -0.1],
        vol: [0.4, 0.3],
        correlation: [
          [1, 0.8],
          [0.8, 1],
        ],
        jumpIntensity: 6,
        jumpMean: [-0.06, -0.03],
        jumpStd: [0.04, 0.02],
      },
    ],
    transition: {
      kind: 'generator',
      matrix: [
        [-3, 3],
        [6, -6],
      ],
    },
    initialRegime: 'stationary',
  };

  it('mean, variance, E[e^x] and correlation of log returns per regime match theory within 3 SE', () => {
    const gen = new RegimeSwitchingGenerator(params);
    const nPaths = 4096;
    const nSteps = 40;
    // per regime, per asset: Σx, Σx², Σx³, Σx⁴, Σe^x, Σe^{2x}; Σ xA·xB; count
    const acc = [0, 1].map(() => ({ n: 0, s: [new Float64Array(6), new Float64Array(6)], sab: 0 }));
    simulate(gen, uniformGrid(nSteps * dt, nSteps), nPaths, 21, (i, _t, st: MarketState) => {
      if (i === 0) return;
      for (let p = 0; p < nPaths; p++) {
        const a = acc[st.regime![p]];
        a.n++;
        for (let x = 0; x < 2; x++) {
          const v = st.logReturn[x][p];
          const e = Math.exp(v);
          const s = a.s[x];
          s[0] += v;
          s[1] += v * v;
          s[2] += v * v * v;
          s[3] += v * v * v * v;
          s[4] += e;
          s[5] += e * e;
        }
        a.sab += st.logReturn[0][p] * st.logReturn[1][p];
      }
    });
    for (let r = 0; r < 2; r++) {
      const g = params.regimes[r];
      const lam = g.jumpIntensity ?? 0;
      const n = acc[r].n;
      expect(n).toBeGreaterThan(20_000);
      const mean: number[] = [];
      const sd: number[] = [];
      for (let x = 0; x < 2; x++) {
        const m = g.jumpMean?.[x] ?? 0;
        const s = g.jumpStd?.[x] ?? 0;
        const kappa = Math.expm1(m + 0.5 * s * s);
        const mu = g.drift[x];
        const sig = g.vol[x];
        const tMean = (mu - 0.5 * sig * sig - lam * kappa) * dt + lam * dt * m;
        const tVar = sig * sig * dt + lam * dt * (m * m + s * s);
        const S = acc[r].s[x];
        const eMean = S[0] / n;
        const eVar = S[1] / n - eMean * eMean;
        // central 4th moment for the SE of the sample variance
        const m4 = S[3] / n - 4 * eMean * (S[2] / n) + 6 * eMean * eMean * (S[1] / n) - 3 * eMean ** 4;
        const ctx = `regime ${r} asset ${x} (n = ${n})`;
        const seMean = Math.sqrt(eVar / n);
        if (!(Math.abs(eMean - tMean) <= 3 * seMean))
          throw new Error(`${ctx}: mean ${eMean} vs ${tMean} ± ${3 * seMean}`);
        const seVar = Math.sqrt((m4 - eVar * eVar) / n);
        if (!(Math.abs(eVar - tVar) <= 3 * seVar))
          throw new Error(`${ctx}: var ${eVar} vs ${tVar} ± ${3 * seVar}`);
        const eGross = S[4] / n;
        const seGross = Math.sqrt((S[5] / n - eGross * eGross) / n);
        const tGross = Math.exp(mu * dt);
        if (!(Math.abs(eGross - tGross) <= 3 * seGross)) {
          throw new Error(`${ctx}: E[e^x] ${eGross} vs e^{μdt} = ${tGross} ± ${3 * seGross}`);
        }
        mean.push(eMean);
        sd.push(Math.sqrt(eVar));
      }
      if (lam === 0) {
        const rho = (acc[r].sab / n - mean[0] * mean[1]) / (sd[0] * sd[1]);
        const tRho = g.correlation![0][1];
        const se = (1 - tRho * tRho) / Math.sqrt(n);
        if (!(Math.abs(rho - tRho) <= 3 * se))
          throw new Error(`regime ${r}: correlation ${rho} vs ${tRho} ± ${3 * se}`);
      }
    }
  });

  it('state.vol reports the diffusive vol of the regime in force', () => {
    const gen = new RegimeSwitchingGenerator(params);
    simulate(gen, uniformGrid(5 / 52, 5), 300, 4, (i, _t, st) => {
      if (i === 0) return;
      for (let p = 0; p < 300; p++) expect(st.vol[1][p]).toBe(params.regimes[st.regime![p]].vol[1]);
    });
  });
});

describe('reproducibility', () => {
  it('same seed → bit-identical paths and regimes, whether simulated at once or in two block ranges', () => {
    const mk = () =>
      new RegimeSwitchingGenerator(
        threeRegimes({
          kind: 'generator',
          matrix: [
            [-20, 15, 5],
            [40, -60, 20],
            [10, 90, -100],
          ],
        }),
      );
    const grid = uniformGrid(0.25, 63);
    const whole = simulatePaths(mk(), grid, 2 * PATH_BLOCK, 99)[0];
    const lo = simulatePaths(mk(), grid, PATH_BLOCK, 99)[0];
    const hi = simulatePaths(mk(), grid, PATH_BLOCK, 99, { firstPath: PATH_BLOCK })[0];
    let same = true;
    for (let i = 0; i <= grid.nSteps; i++) {
      for (let p = 0; p < PATH_BLOCK; p++) {
        if (!Object.is(whole[i * 2 * PATH_BLOCK + p], lo[i * PATH_BLOCK + p])) same = false;
        if (!Object.is(whole[i * 2 * PATH_BLOCK + PATH_BLOCK + p], hi[i * PATH_BLOCK + p])) same = false;
      }
    }
    expect(same).toBe(true);
    const regimesOf = (first: number, n: number) => {
      const out: number[] = [];
      simulate(mk(), grid, n, 99, (i, _t, s) => i === grid.nSteps && out.push(...s.regime!), {
        firstPath: first,
      });
      return out;
    };
    const all = regimesOf(0, 2 * PATH_BLOCK);
    expect(all.slice(PATH_BLOCK)).toEqual(regimesOf(PATH_BLOCK, PATH_BLOCK));
    expect(new Set(all).size).toBe(3);
    const again = simulatePaths(mk(), grid, 2 * PATH_BLOCK, 99)[0];
    expect(again).toEqual(whole);
  });
});

describe('validation', () => {
  const base = (): RegimeSwitchingParams => ({
    assets: [eq('A'), eq('B')],
    regimes: [
      { name: 'calm', drift: [0.1, 0.1], vol: [0.1, 0.1] },
      {
        name: 'crisis',
        drift: [-0.1, -0.1],
        vol: [0.3, 0.3],
        jumpIntensity: 1,
        jumpMean: [-0.1, -0.1],
        jumpStd: [0.1, 0.1],
      },
    ],
    transition: {
      kind: 'generator',
      matrix: [
        [-1, 1],
        [2, -2],
      ],
    },
  });
  const bad = (patch: (p: RegimeSwitchingParams) => RegimeSwitchingParams, message: string) => {
    const f = () => new RegimeSwitchingGenerator(patch(base()));
    expect(f).toThrow(DomainError);
    expect(f).toThrow(message);
  };
  const withRegime = (p: RegimeSwitchingParams, i: number, patch: object): RegimeSwitchingParams => ({
    ...p,
    regimes: p.regimes.map((g, j) => (j === i ? { ...g, ...patch } : g)),
  });

  it('accepts the base parameters', () => {
    expect(new RegimeSwitchingGenerator(base()).regimeNames).toEqual(['calm', 'crisis']);
  });

  it('names every invalid regime entry', () => {
    bad((p) => ({ ...p, regimes: [] }), 'regimes.length (0) must be >= 1');
    bad((p) => withRegime(p, 1, { name: 'calm' }), 'regimes[1].name ("calm") must be unique');
    bad((p) => withRegime(p, 0, { name: '' }), 'regimes[0].name ("") must be a non-empty string');
    bad((p) => withRegime(p, 0, { name: 'stationary' }), 'regimes[0].name ("stationary") is reserved');
    bad((p) => withRegime(p, 1, { drift: [0.1] }), 'regimes[1].drift.length (1) must be 2 (one per asset)');
    bad(
      (p) => withRegime(p, 1, { drift: [0.1, Number.NaN] }),
      'regimes[1].drift[1] (NaN) must be a finite number',
    );
    bad((p) => withRegime(p, 0, { drift: undefined }), 'regimes[0].drift (undefined) is required');
    bad((p) => withRegime(p, 0, { vol: undefined }), 'regimes[0].vol (undefined) is required');
    bad((p) => withRegime(p, 0, { vol: [0.1, -0.2] }), 'regimes[0].vol[1] (-0.2) must be >= 0');
    bad((p) => withRegime(p, 1, { jumpIntensity: -1 }), 'regimes[1].jumpIntensity (-1) must be >= 0');
    bad((p) => withRegime(p, 1, { jumpMean: [0] }), 'regimes[1].jumpMean.length (1) must be 2');
    bad((p) => withRegime(p, 1, { jumpStd: [0.1, -0.1] }), 'regimes[1].jumpStd[1] (-0.1) must be >= 0');
    bad(
      (p) =>
        withRegime(p, 1, {
          correlation: [
            [1, 1.5],
            [1.5, 1],
          ],
        }),
      'regimes[1].correlation[0][1] (1.5) must be in [-1, 1]',
    );
    bad(
      (p) =>
        withRegime(p, 0, {
          correlation: [
            [1, 0.2],
            [0.3, 1],
          ],
        }),
      'regimes[0].correlation[1][0] (0.3) must equal',
    );
  });

  it('names every invalid transition entry', () => {
    bad(
      (p) => ({ ...p, transition: { kind: 'weekly' } as never }),
      `transition.kind ("weekly") must be 'generator' or 'per-step'`,
    );
    bad(
      (p) => ({ ...p, transition: { kind: 'generator', matrix: [[-1, 1]] } }),
      'transition.matrix.length (1) must be 2',
    );
    bad(
      (p) => ({
        ...p,
        transition: {
          kind: 'generator',
          matrix: [
            [-1, 1, 0],
            [1, -1],
          ],
        },
      }),
      'transition.matrix[0].length (3) must be 2',
    );
    bad(
      (p) => ({
        ...p,
        transition: {
          kind: 'generator',
          matrix: [
            [0.5, -0.5],
            [1, -1],
          ],
        },
      }),
      'transition.matrix[0][1] (-0.5) must be >= 0 (a rate)',
    );
    bad(
      (p) => ({
        ...p,
        transition: {
          kind: 'generator',
          matrix: [
            [-1, 1],
            [2, -1.5],
          ],
        },
      }),
      'transition.matrix[1] ("row sum 0.5") must sum to 0',
    );
    bad(
      (p) => ({
        ...p,
        transition: {
          kind: 'generator',
          matrix: [
            [-1, Number.POSITIVE_INFINITY],
            [1, -1],
          ],
        },
      }),
      'transition.matrix[0][1] (Infinity) must be a finite number',
    );
    bad(
      (p) => ({
        ...p,
        transition: {
          kind: 'per-step',
          matrix: [
            [0.9, 0.08],
            [0.1, 0.9],
          ],
          stepDt: 1 / 252,
        },
      }),
      'transition.matrix[0] ("row sum 0.98") must sum to 1',
    );
    bad(
      (p) => ({
        ...p,
        transition: {
          kind: 'per-step',
          matrix: [
            [1.1, -0.1],
            [0.1, 0.9],
          ],
          stepDt: 1 / 252,
        },
      }),
      'transition.matrix[0][0] (1.1) must be a probability in [0, 1]',
    );
    bad(
      (p) => ({
        ...p,
        transition: {
          kind: 'per-step',
          matrix: [
            [0.9, 0.1],
            [0.1, 0.9],
          ],
          stepDt: 0,
        },
      }),
      'transition.stepDt (0) must be > 0',
    );
  });

  it('names an invalid initial regime', () => {
    bad((p) => ({ ...p, initialRegime: 2 }), 'initialRegime (2) must be an integer in [0, 1]');
    bad(
      (p) => ({ ...p, initialRegime: 'boom' }),
      `initialRegime ("boom") must be 'stationary' or one of 'calm', 'crisis'`,
    );
    bad((p) => ({ ...p, initialRegime: [1] }), 'initialRegime.length (1) must be 2');
    bad((p) => ({ ...p, initialRegime: [0.5, 0.6] }), 'initialRegime ("sum 1.1") must sum to 1');
    bad((p) => ({ ...p, initialRegime: [1.5, -0.5] }), 'initialRegime[0] (1.5) must be in [0, 1]');
    bad(
      (p) => ({
        ...p,
        transition: {
          kind: 'generator',
          matrix: [
            [0, 0],
            [0, 0],
          ],
        },
        initialRegime: 'stationary',
      }),
      'must have a unique stationary distribution',
    );
  });

  it('names an invalid asset list', () => {
    bad((p) => ({ ...p, assets: [eq('A'), eq('A')] }), 'assets[1].name ("A") must be unique');
  });

  it('rejects bad inputs to the chain helpers', () => {
    expect(() =>
      transitionMatrix(
        [
          [-1, 1],
          [1, -1],
        ],
        -1,
      ),
    ).toThrow('dt (-1) must be >= 0');
    expect(() =>
      transitionMatrix(
        [
          [1, -1],
          [1, -1],
        ],
        1,
      ),
    ).toThrow('q[0][1] (-1) must be >= 0 (a rate)');
    expect(() =>
      generatorFromStep(
        [
          [0.4, 0.6],
          [0.1, 0.9],
        ],
        1 / 252,
      ),
    ).toThrow('p[0][0] (0.4) must be > 0.5 to convert a per-step matrix to a generator');
    expect(() =>
      generatorFromStep(
        [
          [0.9, 0.1],
          [0.1, 0.9],
        ],
        0,
      ),
    ).toThrow('stepDt (0) must be > 0');
    expect(() =>
      stationaryDistribution(
        [
          [0.5, 0.6],
          [0.5, 0.5],
        ],
        'per-step',
      ),
    ).toThrow('must sum to 1');
  });
});
