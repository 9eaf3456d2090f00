/**
 * `iv-batch`: implied volatility of 1,000,000 random European call prices under BSM (spot 100,
 * K/F log-uniform in [0.5, 2], expiry 0.02–3 y, vol 5–100 %, rate 0–5 %, yield 0–3 %), arrays in,
 * arrays out, through `impliedVolBatch`. Goal: ≤ 350 ns per IV with max |σ̂ − σ| ≤ 1e-12.
 *
 * Prices are made in setup from the generating vol with hedgekit's normalised Black function
 * (a few ulp relative accuracy). A drawn option whose double price cannot determine σ to 1e-13 —
 * information bound 8ε·(σ + (V + (1+|x|)·A)/ν) > 1e-13, the fixture's bound (docs/implied-vol.md):
 * deep in-the-money calls whose time value is below the rounding of the price, or deep
 * out-of-the-money ones priced below 1e-13 of the discounted forward — is redrawn; `accuracy()`
 * reports the redrawn fraction along with the max absolute and relative vol errors.
 *
 * Baseline: the npm package `implied-volatility` 1.0.0 (bisection until the price matches to the
 * cent, no dividend yield) on 2,000 options of the same kind with q = 0.
 */
import { createRequire } from 'node:module';
import { normCdf, normPdf } from '../../src/core/normal.ts';
import { impliedVolBatch } from '../../src/pricing/implied-vol.ts';
import { normalisedBlack } from '../../src/pricing/normalised-black.ts';
import type { BenchWorkload } from '../types.ts';

const N = 1_000_000;
const N_BASELINE = 2_000; // ~1.6 ms per IV: 20,000 would take a minute per repetition
const EPS = 2.220446049250313e-16;

interface Inputs {
  sign: Int8Array;
  price: Float64Array;
  spot: Float64Array;
  strike: Float64Array;
  expiry: Float64Array;
  rate: Float64Array;
  dividend: Float64Array;
  trueVol: Float64Array;
  redrawn: number;
}

/** Deterministic inputs from a seeded mulberry32 generator. */
function makeInputs(n: number, withDividend: boolean): Inputs {
  let a = 0x1d5e_a7c3;
  const u = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const inp: Inputs = {
    sign: new Int8Array(n).fill(1),
    price: new Float64Array(n),
    spot: new Float64Array(n).fill(100),
    strike: new Float64Array(n),
    expiry: new Float64Array(n),
    rate: new Float64Array(n),
    dividend: new Float64Array(n),
    trueVol: new Float64Array(n),
    redrawn: 0,
  };
  const lnRange = Math.log(4);
  for (let i = 0; i < n; i++) {
    for (;;) {
      const S = 100;
      const T = 0.02 + 2.98 * u();
      const vol = 0.05 + 0.95 * u();
      const r = 0.05 * u();
      const q = withDividend ? 0.03 * u() : 0;
      const fwd = S * Math.exp((r - q) * T);
      const K = fwd * Math.exp(Math.log(0.5) + lnRange * u());
      const sq = S * Math.exp(-q * T);
      const kr = K * Math.exp(-r * T);
      const x = Math.log(S / K) + (r - q) * T;
      const s = vol * Math.sqrt(T);
      const price = Math.sqrt(sq) * Math.sqrt(kr) * normalisedBlack(x, s, 1);
      // Information bound of the double price (as in test/fixtures/mpmath/implied-vol.json).
      const d1 = x / s + 0.5 * s;
      const sens = sq * normCdf(d1) + kr * normCdf(d1 - s);
      const vega = sq * normPdf(d1) * Math.sqrt(T);
      const bound = 8 * EPS * (vol + (price + (1 + Math.abs(x)) * sens) / vega);
      if (!(bound <= 1e-13 && price >= 1e-13 * sq)) {
        inp.redrawn++;
        continue;
      }
      inp.price[i] = price;
      inp.strike[i] = K;
      inp.expiry[i] = T;
      inp.rate[i] = r;
      inp.dividend[i] = q;
      inp.trueVol[i] = vol;
      break;
    }
  }
  return inp;
}

let inputs: Inputs;
let out: { vol: Float64Array; status: Uint8Array };

function errors(vol: Float64Array, m: number): Record<string, number> {
  let maxAbs = 0;
  let maxRel = 0;
  let bad = 0;
  for (let i = 0; i < m; i++) {
    const e = Math.abs(vol[i] - inputs.trueVol[i]);
    if (!(e <= 1)) bad++;
    else {
      maxAbs = Math.max(maxAbs, e);
      maxRel = Math.max(maxRel, e / inputs.trueVol[i]);
    }
  }
  return {
    maxAbsVolError: maxAbs,
    maxRelVolError: maxRel,
    failures: bad,
    redrawnFraction: inputs.redrawn / (m + inputs.redrawn),
  };
}

export const workloads: BenchWorkload[] = [
  {
    name: 'iv-batch',
    unit: 'iv',
    n: N,
    description: "hedgekit impliedVolBatch (Jäckel's Let's Be Rational), BSM calls, machine precision",
    setup: () => {
      inputs = makeInputs(N, true);
      out = { vol: new Float64Array(N), status: new Uint8Array(N) };
    },
    run: () => impliedVolBatch(inputs, out),
    accuracy: () => errors(out.vol, N),
  },
  {
    name: 'iv-batch:baseline:implied-volatility(npm)',
    unit: 'iv',
    n: N_BASELINE,
    description: 'npm implied-volatility 1.0.0: bisection to cent price precision, q = 0',
    setup: () => {
      inputs = makeInputs(N_BASELINE, false);
      out = { vol: new Float64Array(N_BASELINE), status: new Uint8Array(N_BASELINE) };
    },
    run: () => {
      const require = createRequire(import.meta.url);
      const iv = require('implied-volatility') as {
        getImpliedVolatility(price: number, s: number, k: number, t: number, r: number, cp: string): number;
      };
      const { price, spot, strike, expiry, rate } = inputs;
      for (let i = 0; i < N_BASELINE; i++) {
        out.vol[i] = iv.getImpliedVolatility(price[i], spot[i], strike[i], expiry[i], rate[i], 'call');
      }
    },
    accuracy: () => errors(out.vol, N_BASELINE),
  },
];
