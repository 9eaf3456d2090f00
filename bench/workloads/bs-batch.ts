/**
 * `bs-batch`: European call price + delta + gamma + vega for 10,000,000 random options (spot 100,
 * strike 50–200, expiry 0.02–3 y, vol 5–100 %, rate 0–5 %), arrays in, arrays out. The arrays come
 * from `blackBatchArrays` (they live in the kernel's memory, priced in place);
 * `bs-batch:plain-arrays` is the same job on ordinary Float64Arrays (copied through the kernel's
 * staging block).
 * Baselines in the same run: a textbook JavaScript implementation (Abramowitz–Stegun 26.2.17 CDF,
 * |error| < 7.5e-8) and the npm package `black-scholes` (price only).
 */
import { createRequire } from 'node:module';
import { blackBatchArrays } from '../../src/pricing/black-batch-arrays.ts';
import { blackBatch } from '../../src/pricing/black-scholes.ts';
import type { BenchWorkload } from '../types.ts';

const N = 10_000_000;

/**
 * Deterministic inputs (mulberry32; the library RNG is not needed to fill a benchmark), in the
 * kernel's memory (`blackBatchArrays`) or in ordinary Float64Arrays.
 */
function makeInputs(n: number, resident: boolean) {
  let a = 0x2f6b1c3d;
  const u = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const batch = resident ? blackBatchArrays(n, ['delta', 'gamma', 'vega']) : undefined;
  const f = () => new Float64Array(n);
  // No dividend row: q = 0, as in the C program.
  const b = batch?.input;
  const input = b
    ? { sign: b.sign, spot: b.spot, strike: b.strike, expiry: b.expiry, rate: b.rate, vol: b.vol }
    : { sign: new Int8Array(n).fill(1), spot: f(), strike: f(), expiry: f(), rate: f(), vol: f() };
  input.spot.fill(100);
  for (let i = 0; i < n; i++) {
    input.strike[i] = 50 + 150 * u();
    input.expiry[i] = 0.02 + 2.98 * u();
    input.vol[i] = 0.05 + 0.95 * u();
    input.rate[i] = 0.05 * u();
  }
  const out = batch
    ? (batch.out as { price: Float64Array; delta: Float64Array; gamma: Float64Array; vega: Float64Array })
    : { price: f(), delta: f(), gamma: f(), vega: f() };
  return { input, out };
}

type Batch = ReturnType<typeof makeInputs>;
let inputs: Batch['input'];
let out: Batch['out'];

function alloc(n: number, resident = true) {
  ({ input: inputs, out } = makeInputs(n, resident));
}

/** Max |price − hedgekit price| over the first `m` options (hedgekit is verified against mpmath). */
function maxPriceError(price: Float64Array, m: number): number {
  const ref = { price: new Float64Array(m) };
  const sub = {
    sign: inputs.sign.subarray(0, m),
    spot: inputs.spot.subarray(0, m),
    strike: inputs.strike.subarray(0, m),
    expiry: inputs.expiry.subarray(0, m),
    rate: inputs.rate.subarray(0, m),
    vol: inputs.vol.subarray(0, m),
  };
  blackBatch(sub, ref);
  let e = 0;
  for (let i = 0; i < m; i++) e = Math.max(e, Math.abs(price[i] - ref.price[i]));
  return e;
}

/** Textbook normal CDF: Abramowitz & Stegun 26.2.17 (absolute error < 7.5e-8). */
function cdfAS(x: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const poly =
    t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  const tail = 0.3989422804014327 * Math.exp(-0.5 * x * x) * poly;
  return x >= 0 ? 1 - tail : tail;
}

export const workloads: BenchWorkload[] = [
  {
    name: 'bs-batch',
    unit: 'option',
    n: N,
    description: 'hedgekit blackBatch: call price+delta+gamma+vega, 1e-15-accurate CDF',
    setup: () => alloc(N),
    run: () => blackBatch(inputs, out),
  },
  {
    name: 'bs-batch:plain-arrays',
    unit: 'option',
    n: N,
    description: 'the same on ordinary Float64Arrays (copied through the staging block)',
    setup: () => alloc(N, false),
    run: () => blackBatch(inputs, out),
  },
  {
    name: 'bs-batch:baseline:textbook-js',
    unit: 'option',
    n: N,
    description: 'first-try JavaScript, A&S 26.2.17 CDF',
    setup: () => alloc(N),
    run: () => {
      const { spot, strike, expiry, rate, vol } = inputs;
      for (let i = 0; i < N; i++) {
        const S = spot[i];
        const K = strike[i];
        const T = expiry[i];
        const r = rate[i];
        const v = vol[i];
        const sq = Math.sqrt(T);
        const d1 = (Math.log(S / K) + (r + 0.5 * v * v) * T) / (v * sq);
        const d2 = d1 - v * sq;
        const pdf = 0.3989422804014327 * Math.exp(-0.5 * d1 * d1);
        const n1 = cdfAS(d1);
        out.price[i] = S * n1 - K * Math.exp(-r * T) * cdfAS(d2);
        out.delta[i] = n1;
        out.gamma[i] = pdf / (S * v * sq);
        out.vega[i] = S * pdf * sq;
      }
    },
    accuracy: () => ({ maxAbsPriceError: maxPriceError(out.price, 1_000_000) }),
  },
  {
    name: 'bs-batch:baseline:black-scholes(npm)',
    unit: 'option',
    n: 200_000,
    description: 'npm black-scholes 1.1.0, price only (100-term series CDF)',
    setup: () => alloc(200_000),
    run: () => {
      const require = createRequire(import.meta.url);
      const bs = require('black-scholes') as {
        blackScholes(s: number, k: number, t: number, v: number, r: number, cp: string): number;
      };
      const { spot, strike, expiry, rate, vol } = inputs;
      for (let i = 0; i < 200_000; i++) {
        out.price[i] = bs.blackScholes(spot[i], strike[i], expiry[i], vol[i], rate[i], 'call');
      }
    },
    accuracy: () => ({ maxAbsPriceError: maxPriceError(out.price, 200_000) }),
  },
];
