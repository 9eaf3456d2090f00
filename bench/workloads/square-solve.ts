/**
 * Square hedge benchmark: exact delta-gamma-vega neutrality (3 Greeks, 3 instruments) solved per
 * path by `squareHedge` over 100,000 Monte-Carlo paths, Hull's ch. 19 system with each Greek
 * perturbed per path by up to ±20 % (seeded). Unit: one path's 3×3 solve (gather, pivoted
 * elimination, back substitution, scatter). Accuracy: the worst relative residual |e + G·x| / |e|.
 */
import { squareHedge, squareHedgeScratch } from '../../src/hedging/square-solve.ts';
import type { BenchWorkload } from '../types.ts';

const N = 100_000;
const K = 3;
const BASE = [
  [0.6, 0.5, 1],
  [0.5, 0.8, 0],
  [2.0, 1.2, 0],
];
const BOOK = [0, -5000, -8000];
let exposure = new Float64Array(0);
let greeks = new Float64Array(0);
let out = new Float64Array(0);
const scratch = squareHedgeScratch(K);

export const workloads: BenchWorkload[] = [
  {
    name: 'square-solve',
    unit: 'path',
    n: N,
    reps: 10,
    description:
      '3×3 exact delta-gamma-vega hedge per path (Gaussian elimination, partial pivoting), 100 k paths',
    setup() {
      let a = 12345;
      const u = () => {
        a = (Math.imul(a, 1103515245) + 12345) >>> 0;
        return a / 4294967296 - 0.5;
      };
      exposure = new Float64Array(K * N);
      greeks = new Float64Array(K * K * N);
      out = new Float64Array(K * N);
      for (let p = 0; p < N; p++) {
        for (let g = 0; g < K; g++) {
          exposure[g * N + p] = BOOK[g] + 1000 * u();
          for (let i = 0; i < K; i++) greeks[(g * K + i) * N + p] = BASE[g][i] * (1 + 0.4 * u());
        }
      }
    },
    run() {
      squareHedge({ k: K, nPaths: N, exposure, greeks }, out, scratch);
    },
    accuracy() {
      let worst = 0;
      for (let p = 0; p < N; p++) {
        for (let g = 0; g < K; g++) {
          let r = exposure[g * N + p];
          for (let i = 0; i < K; i++) r += greeks[(g * K + i) * N + p] * out[i * N + p];
          worst = Math.max(worst, Math.abs(r) / Math.max(1, Math.abs(exposure[g * N + p])));
        }
      }
      return { maxRelResidual: worst };
    },
  },
];
