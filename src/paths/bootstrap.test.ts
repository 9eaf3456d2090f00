import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.ts';
import { PATH_BLOCK } from '../core/rng.ts';
import { loadPriceHistory } from '../market/history-csv.ts';
import { type BootstrapState, StationaryBootstrap } from './bootstrap.ts';
import { simulate, simulatePaths, uniformGrid } from './types.ts';

const eu = loadPriceHistory(fileURLToPath(new URL('../../data/eustockmarkets.csv', import.meta.url)));
const N = eu.dates.length - 1;
const nA = 4;

/** Source log returns, [asset][row]. */
const src = eu.prices.map((p) => {
  const r = new Float64Array(N);
  for (let i = 0; i < N; i++) r[i] = Math.log(p[i + 1] / p[i]);
  return r;
});
const avg = (x: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
};
const srcMean = src.map(avg);
/** Population (1/N) covariance of the source rows: the exact moments of a uniformly drawn row. */
const srcCov = (a: number, b: number) => {
  let s = 0;
  for (let i = 0; i < N; i++) s += (src[a][i] - srcMean[a]) * (src[b][i] - srcMean[b]);
  return s / N;
};

/** Mean and SE across paths of a per-path statistic (paths are iid). */
function acrossPaths(x: Float64Array) {
  const m = avg(x);
  let v = 0;
  for (let i = 0; i < x.length; i++) v += (x[i] - m) ** 2;
  return { mean: m, se: Math.sqrt(v / (x.length - 1) / x.length) };
}

describe('stationary bootstrap: moments of the source', () => {
  const nPaths = 2048;
  const nSteps = 100;
  const L = 10;
  // per path: Σx_a, Σ(x_a − μ_a)(x_b − μ_b) for all pairs a ≤ b
  const sums = Array.from({ length: nA }, () => new Float64Array(nPaths));
  const cross = Array.from({ length: nA * nA }, () => new Float64Array(nPaths));
  simulate(
    new StationaryBootstrap(eu, { meanBlockLength: L }),
    uniformGrid(nSteps / 252, nSteps),
    nPaths,
    17,
    (i, _t, s) => {
      if (i === 0) return;
      for (let a = 0; a < nA; a++) {
        const x = s.logReturn[a];
        for (let p = 0; p < nPaths; p++) sums[a][p] += x[p] / nSteps;
        for (let b = a; b < nA; b++) {
          const y = s.logReturn[b];
          const c = cross[a * nA + b];
          for (let p = 0; p < nPaths; p++) c[p] += ((x[p] - srcMean[a]) * (y[p] - srcMean[b])) / nSteps;
        }
      }
    },
  );

  it('preserves each asset mean log return within 3 SE', () => {
    for (let a = 0; a < nA; a++) {
      const { mean, se } = acrossPaths(sums[a]);
      if (!(Math.abs(mean - srcMean[a]) <= 3 * se))
        throw new Error(`${eu.columns[a]}: mean ${mean} vs ${srcMean[a]} ± ${3 * se}`);
    }
  });

  it('preserves variances and cross-asset covariances within 3 SE, and correlations within 0.02', () => {
    const boot = new Float64Array(nA * nA);
    for (let a = 0; a < nA; a++) {
      for (let b = a; b < nA; b++) {
        const { mean, se } = acrossPaths(cross[a * nA + b]);
        const want = srcCov(a, b);
        if (!(Math.abs(mean - want) <= 3 * se)) {
          throw new Error(`cov(${eu.columns[a]}, ${eu.columns[b]}) = ${mean} vs ${want} ± ${3 * se}`);
        }
        boot[a * nA + b] = mean;
      }
    }
    for (let a = 0; a < nA; a++) {
      for (let b = a + 1; b < nA; b++) {
        const rho = boot[a * nA + b] / Math.sqrt(boot[a * nA + a] * boot[b * nA + b]);
        const want = srcCov(a, b) / Math.sqrt(srcCov(a, a) * srcCov(b, b));
        expect(want).toBeGreaterThan(0.4);
        expect(Math.abs(rho - want)).toBeLessThan(0.02);
      }
    }
  });
});

describe('stationary bootstrap: blocks', () => {
  /** Per path, the source rows used, step-major. */
  function rows(L: number, nPaths: number, nSteps: number, seed: number): Int32Array {
    const out = new Int32Array(nSteps * nPaths);
    simulate(
      new StationaryBootstrap(eu, { meanBlockLength: L }),
      uniformGrid(nSteps / 252, nSteps),
      nPaths,
      seed,
      (i, _t, s) => {
        if (i > 0) out.set((s as BootstrapState).sourceRow, (i - 1) * nPaths);
      },
    );
    return out;
  }

  it('starts a new block with probability 1/L per step: mean block length ≈ L within 3 SE', () => {
    for (const L of [5, 20]) {
      const nPaths = 1024;
      const nSteps = 200;
      const r = rows(L, nPaths, nSteps, 23);
      let breaks = 0;
      for (let i = 1; i < nSteps; i++) {
        for (let p = 0; p < nPaths; p++)
          if (r[i * nPaths + p] !== (r[(i - 1) * nPaths + p] + 1) % N) breaks++;
      }
      const m = (nSteps - 1) * nPaths;
      // a new block that happens to start at the next row is invisible: P(visible) = q(1 − 1/N)
      const q = (1 / L) * (1 - 1 / N);
      const f = breaks / m;
      const se = Math.sqrt((q * (1 - q)) / m);
      if (!(Math.abs(f - q) <= 3 * se)) throw new Error(`L=${L}: restart frequency ${f} vs ${q} ± ${3 * se}`);
      // mean block length 1/f, SE by the delta method
      expect(Math.abs(1 / f - 1 / q)).toBeLessThan((3 * se) / (q * q));
    }
  });

  it('wraps around from the last row to the first inside a block', () => {
    const nPaths = 512;
    const r = rows(400, nPaths, 252, 24);
    let wraps = 0;
    for (let i = 1; i < 252; i++) {
      for (let p = 0; p < nPaths; p++)
        if (r[(i - 1) * nPaths + p] === N - 1 && r[i * nPaths + p] === 0) wraps++;
    }
    expect(wraps).toBeGreaterThan(0);
  });

  // |r| rather than r²: the SE of products of r² needs 8th moments, which fat-tailed daily returns barely have
  it('keeps volatility clustering: lag-1 autocovariance of |r| = (1 − 1/L)·the source circular one', () => {
    const y = Float64Array.from(src[0], (x) => Math.abs(x));
    const ym = avg(y);
    let circ = 0;
    for (let i = 0; i < N; i++) circ += (y[i] - ym) * (y[(i + 1) % N] - ym);
    circ /= N;
    expect(circ).toBeGreaterThan(0);
    for (const L of [1, 20]) {
      const nPaths = 2048;
      const nSteps = 120;
      const stat = new Float64Array(nPaths);
      const prev = new Float64Array(nPaths);
      simulate(
        new StationaryBootstrap(eu, { meanBlockLength: L }),
        uniformGrid(nSteps / 252, nSteps),
        nPaths,
        25,
        (i, _t, s) => {
          if (i === 0) return;
          const x = s.logReturn[0];
          for (let p = 0; p < nPaths; p++) {
            const v = Math.abs(x[p]) - ym;
            if (i > 1) stat[p] += (prev[p] * v) / (nSteps - 1);
            prev[p] = v;
          }
        },
      );
      const { mean, se } = acrossPaths(stat);
      const want = (1 - 1 / L) * circ;
      if (!(Math.abs(mean - want) <= 3 * se))
        throw new Error(`L=${L}: lag-1 autocov ${mean} vs ${want} ± ${3 * se}`);
    }
  });
});

describe('stationary bootstrap: state, mapping and reproducibility', () => {
  it('starts at the asset spots, reports the sample vol and keeps flat assets flat', () => {
    const bs = new StationaryBootstrap(eu, {
      meanBlockLength: 20,
      from: '1997-01-01',
      assets: [
        { name: 'EQ', assetClass: 'equity', spot: 100 },
        { name: 'BD', assetClass: 'bond', spot: 90 },
      ],
    });
    expect(bs.mapping).toEqual([0, -1]);
    const first = eu.dates.findIndex((d) => d >= '1997-01-01');
    expect(bs.nRows).toBe(N - first);
    const s = bs.init(4);
    expect(s.spot[0][0]).toBe(100);
    expect(Array.from(s.sourceRow)).toEqual([-1, -1, -1, -1]);
    const r = src[0].subarray(first);
    const m = avg(r);
    let v = 0;
    for (const x of r) v += (x - m) ** 2;
    expect(s.vol[0][0]).toBeCloseTo(Math.sqrt((252 * v) / (r.length - 1)), 14);
    const paths = simulatePaths(bs, uniformGrid(1, 252), 300, 3);
    expect(new Set(paths[1])).toEqual(new Set([90]));
    // the equity path is S₀·exp(Σ source returns)
    expect(paths[0][252 * 300]).not.toBe(100);
  });

  it('same seed → bit-identical paths whether simulated at once or in two block ranges', () => {
    const mk = () => new StationaryBootstrap(eu, { meanBlockLength: 15 });
    const grid = uniformGrid(1, 252);
    const whole = simulatePaths(mk(), grid, 2 * PATH_BLOCK, 8);
    const lo = simulatePaths(mk(), grid, PATH_BLOCK, 8);
    const hi = simulatePaths(mk(), grid, PATH_BLOCK, 8, { firstPath: PATH_BLOCK });
    for (let a = 0; a < nA; a++) {
      let same = true;
      for (let i = 0; i <= 252; i++) {
        for (let p = 0; p < PATH_BLOCK; p++) {
          if (!Object.is(whole[a][i * 2 * PATH_BLOCK + p], lo[a][i * PATH_BLOCK + p])) same = false;
          if (!Object.is(whole[a][i * 2 * PATH_BLOCK + PATH_BLOCK + p], hi[a][i * PATH_BLOCK + p]))
            same = false;
        }
      }
      expect(same).toBe(true);
    }
  });

  it('names every invalid option', () => {
    const bad = (f: () => unknown, message: string) => {
      expect(f).toThrow(DomainError);
      expect(f).toThrow(message);
    };
    bad(() => new StationaryBootstrap(eu, { meanBlockLength: 0.5 }), 'meanBlockLength (0.5) must be >= 1');
    bad(
      () => new StationaryBootstrap(eu, { meanBlockLength: Number.NaN }),
      'meanBlockLength (NaN) must be >= 1',
    );
    bad(
      () => new StationaryBootstrap(eu, { meanBlockLength: 5, from: '2001-01-01' }),
      'must hold at least 2 rows',
    );
    bad(
      () => new StationaryBootstrap(eu, { meanBlockLength: 5, periodsPerYear: -1 }),
      'periodsPerYear (-1) must be > 0',
    );
    bad(
      () =>
        new StationaryBootstrap(eu, {
          meanBlockLength: 5,
          assets: [{ name: 'EQ', assetClass: 'equity', spot: 1 }],
          columns: { EQ: 'SPX' },
        }),
      'columns.EQ ("SPX") must be one of',
    );
  });
});
