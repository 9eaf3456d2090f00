/**
 * Least-cost hedge re-solve benchmark: one kept HiGHS model with 6 instruments (the underlying and
 * five listed options: 3m ATM call and 90 put, 6m 95 put, 1y 105 call, 2y ATM put) × 6 buckets (delta, gamma, vega 3m / 6m / 1y / 2y), its
 * book exposure moved before every solve along a seeded random walk (200 solves per run; every one
 * feasible). Unit: one `setExposure` + `solve` (warm start from the previous basis), including the
 * plan's post-hedge exposures, residuals and binding list. Goal: ≤ 250 µs per solve.
 * Accuracy: worst band violation over the run (0 when every plan meets its bands).
 */
import { optionGridHedges, underlyingHedge } from '../../src/hedging/hedge-instruments.ts';
import { HedgeModel } from '../../src/hedging/hedge-model.ts';
import type { HedgeProblem } from '../../src/hedging/hedge-types.ts';
import { highsRuntime } from '../../src/hedging/highs-runtime.ts';
import type { BenchWorkload } from '../types.ts';

const N = 200;
const MARKET = { name: 'SPX', spot: 100, rate: 0.03, dividend: 0.01, vol: 0.2 };
const BUCKETS = {
  nBuckets: 6,
  delta: 0,
  gamma: 1,
  vega: [
    { maxExpiry: 0.25, bucket: 2 },
    { maxExpiry: 0.5, bucket: 3 },
    { maxExpiry: 1, bucket: 4 },
    { maxExpiry: 2, bucket: 5 },
  ],
};
const option = (type: 'call' | 'put', pct: number, T: number) =>
  optionGridHedges(
    MARKET,
    {
      types: [type],
      strikePct: [pct],
      expiries: [T],
      spreadVolPoints: 0.5,
      feePerContract: 0.65,
      multiplier: 100,
    },
    BUCKETS,
  )[0];

function problem(): HedgeProblem {
  return {
    buckets: [
      { name: 'SPX delta', lo: -50, hi: 50, weight: 1 },
      { name: 'SPX gamma', lo: -2, hi: 2, weight: 100 },
      { name: 'SPX vega 3m', lo: -200, hi: 200, weight: 1 },
      { name: 'SPX vega 6m', lo: -200, hi: 200, weight: 1 },
      { name: 'SPX vega 1y', lo: -200, hi: 200, weight: 1 },
      { name: 'SPX vega 2y', lo: -200, hi: 200, weight: 1 },
    ],
    exposure: [0, 0, 0, 0, 0, 0],
    instruments: [
      underlyingHedge(BUCKETS, 'SPX', { spread: { kind: 'price', spread: 0.01 } }),
      option('put', 90, 0.25),
      option('call', 100, 0.25),
      option('put', 95, 0.5),
      option('call', 105, 1),
      option('put', 100, 2),
    ],
  };
}

/**
 * Seeded random walk (mulberry32) of a book of 12 options (calls struck 85/100/115 at 3m, 6m, 1y,
 * 2y) plus shares: N exposure vectors of 6. The book's gamma and vega come from real options, so
 * every exposure can be hedged into its bands (with a flat vol, Γ/ν = 1/(S²σT) per expiry: gamma
 * is tied to the vega buckets, and made-up exposures would be infeasible).
 */
function walk(seed: number): Float64Array[] {
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  const book = optionGridHedges(
    MARKET,
    { types: ['call'], strikePct: [85, 100, 115], expiries: [0.25, 0.5, 1, 2] },
    BUCKETS,
  );
  const pos = new Float64Array(book.length);
  let shares = 0;
  const out: Float64Array[] = [];
  for (let k = 0; k < N; k++) {
    for (let j = 0; j < pos.length; j++) pos[j] = pos[j] + 100 * u();
    shares += 50 * u();
    const e = new Float64Array(6);
    e[0] = shares;
    book.forEach((o, j) => {
      for (let b = 0; b < 6; b++) e[b] = e[b] + pos[j] * o.exposure[b];
    });
    out.push(e);
  }
  return out;
}

const highs = await highsRuntime();
let model: HedgeModel | undefined;
let path: Float64Array[] = [];
let worst = 0;
let bestEffort = 0;

export const workloads: BenchWorkload[] = [
  {
    name: 'hedge-solve',
    unit: 'solve',
    n: N,
    // The best of 20: the machine is shared and a solve is short enough for load to swamp it.
    reps: 20,
    description: 'least-cost hedge re-solve, 6 instruments × 6 buckets, kept HiGHS model; goal <= 250 µs',
    setup() {
      model = new HedgeModel(highs, problem());
      path = walk(20261125);
    },
    run() {
      const m = model!;
      for (let k = 0; k < N; k++) {
        m.setExposure(path[k]);
        const plan = m.solve();
        if (plan.status !== 'optimal') bestEffort++;
        for (let b = 0; b < 6; b++) worst = Math.max(worst, Math.abs(plan.residual[b]));
      }
    },
    accuracy() {
      model?.dispose();
      return { maxBandViolation: worst, bestEffortSolves: bestEffort };
    },
  },
];
