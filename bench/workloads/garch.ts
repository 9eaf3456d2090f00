/**
 * GARCH(1,1) fitting benchmark: one maximum-likelihood fit (Nelder–Mead → BFGS → Newton) on the
 * first 2,000 returns of a simulated GARCH(1,1) series (μ = 2e-4, ω = 2e-6, α = 0.08, β = 0.9,
 * standard normal innovations from a seeded mulberry32 generator through the inverse normal CDF).
 * Goal: ≤ 50 ms per fit. Accuracy: relative distance of the fitted α, β to the generating values
 * (sampling error, not numerical error) and the max-norm of the score at the optimum.
 */

import { normInv } from '../../src/core/normal.ts';
import { fitGarch, type GarchFit, simulateGarch } from '../../src/volatility/garch.ts';
import type { BenchWorkload } from '../types.ts';

const N = 2000;
const TRUTH = { mu: 2e-4, omega: 2e-6, alpha: 0.08, beta: 0.9 };

function seededNormals(n: number, seed: number): Float64Array {
  let a = seed >>> 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = normInv((((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296);
  }
  return out;
}

let returns: Float64Array = new Float64Array(0);
let last: GarchFit | undefined;

export const workloads: BenchWorkload[] = [
  {
    name: 'garch-fit',
    unit: 'fit',
    n: 1,
    reps: 10,
    description: 'GARCH(1,1) MLE on 2,000 simulated daily returns (seed 20261125), goal <= 50 ms',
    setup() {
      returns = simulateGarch(TRUTH, seededNormals(N, 20261125));
    },
    run() {
      last = fitGarch(returns);
    },
    accuracy() {
      const f = last ?? fitGarch(returns);
      return {
        gradientNorm: f.gradientNorm,
        alphaRelToTruth: Math.abs(f.params.alpha / TRUTH.alpha - 1),
        betaRelToTruth: Math.abs(f.params.beta / TRUTH.beta - 1),
        evaluations: f.evaluations,
      };
    },
  },
];
