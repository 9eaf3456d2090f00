/**
 * `normal-cdf`: the standard normal CDF on 10,000,000 random x in [−10, 3], arrays in, arrays out.
 *
 * - `normal-cdf`: `normCdfFromGauss(x, g)` (table-driven, src/core/normal-fast.ts) with
 *   g = exp(−x²/2) precomputed in setup, as in the Black-Scholes kernel, which has g anyway.
 * - `normal-cdf:baseline:normCdfWithGauss`: the same contract through Cody's three rational
 *   intervals (src/core/normal.ts).
 * - `normal-cdf-scalar`: `normCdfFast(x)` (g computed inside), vs `normal-cdf-scalar:baseline:normCdf`.
 * - `normal-cdf:baseline:npm-black-scholes`: `stdNormCDF` of the npm package `black-scholes`
 *   (100-term Taylor series; 200,000 x only, it is ~100× slower).
 * Accuracy: max |Φ − normCdf| (absolute) and max relative difference for x ≤ 0, over the first
 * 1,000,000 x (normCdf is within 7.4e-16 relative of mpmath, normCdfFromGauss within 4.3e-16).
 */
import { createRequire } from 'node:module';
import { gaussExp, normCdf, normCdfWithGauss } from '../../src/core/normal.ts';
import { normCdfFast, normCdfFromGauss } from '../../src/core/normal-fast.ts';
import type { BenchWorkload } from '../types.ts';

const N = 10_000_000;
const N_NPM = 200_000;
const CHECK = 1_000_000;

let x = new Float64Array(0);
let g = new Float64Array(0);
let out = new Float64Array(0);

/** Deterministic inputs (mulberry32), x uniform in [−10, 3], and g = exp(−x²/2). */
function setup(n: number): void {
  if (x.length === n) return;
  let a = 0x2f6b1c3d;
  x = new Float64Array(n);
  g = new Float64Array(n);
  out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    x[i] = -10 + (13 * ((t ^ (t >>> 14)) >>> 0)) / 4294967296;
    g[i] = gaussExp(x[i]);
  }
}

/** Differences of `out` from normCdf over the first `m` inputs. */
function accuracy(m: number): Record<string, number> {
  let abs = 0;
  let rel = 0;
  for (let i = 0; i < Math.min(m, out.length); i++) {
    const ref = normCdf(x[i]);
    abs = Math.max(abs, Math.abs(out[i] - ref));
    if (x[i] <= 0 && ref > 0) rel = Math.max(rel, Math.abs(out[i] / ref - 1));
  }
  return { maxAbsDiffVsNormCdf: abs, maxRelDiffVsNormCdf: rel };
}

const require = createRequire(import.meta.url);

export const workloads: BenchWorkload[] = [
  {
    name: 'normal-cdf',
    unit: 'cdf',
    n: N,
    description: 'normCdfFromGauss(x, g): table-driven Mills ratio, g precomputed',
    setup: () => setup(N),
    run() {
      for (let i = 0; i < N; i++) out[i] = normCdfFromGauss(x[i], g[i]);
    },
    accuracy: () => accuracy(CHECK),
  },
  {
    name: 'normal-cdf:baseline:normCdfWithGauss',
    unit: 'cdf',
    n: N,
    description: "normCdfWithGauss(x, g): Cody's three rational intervals, g precomputed",
    setup: () => setup(N),
    run() {
      for (let i = 0; i < N; i++) out[i] = normCdfWithGauss(x[i], g[i]);
    },
    accuracy: () => accuracy(CHECK),
  },
  {
    name: 'normal-cdf-scalar',
    unit: 'cdf',
    n: N,
    description: 'normCdfFast(x): table-driven, exp(−x²/2) with the exact split of x²',
    setup: () => setup(N),
    run() {
      for (let i = 0; i < N; i++) out[i] = normCdfFast(x[i]);
    },
    accuracy: () => accuracy(CHECK),
  },
  {
    name: 'normal-cdf-scalar:baseline:normCdf',
    unit: 'cdf',
    n: N,
    description: 'normCdf(x): Cody erfcx with the exact split of x²',
    setup: () => setup(N),
    run() {
      for (let i = 0; i < N; i++) out[i] = normCdf(x[i]);
    },
  },
  {
    name: 'normal-cdf:baseline:npm-black-scholes',
    unit: 'cdf',
    n: N_NPM,
    reps: 2,
    description: 'npm black-scholes stdNormCDF (100-term series; 0 and 1 beyond |x| = 8)',
    setup: () => setup(N_NPM),
    run() {
      const { stdNormCDF } = require('black-scholes') as { stdNormCDF: (x: number) => number };
      for (let i = 0; i < N_NPM; i++) out[i] = stdNormCDF(x[i]);
    },
    accuracy: () => accuracy(N_NPM),
  },
];
