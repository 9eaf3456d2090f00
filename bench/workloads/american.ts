/**
 * American options on a dividend-paying underlying (src/pricing/american.ts).
 *
 * - `american-bs2002`: Bjerksund–Stensland (2002) closed form, 100,000 random calls and puts
 *   (spot 60–140, strike 100, expiry 0.02–3 y, rate 0–10 %, yield 0–12 %, vol 10–60 %), through
 *   `americanPrice(..., { method: 'bjerksund-stensland' })` (validation and the
 *   max(intrinsic, European) floor included). Accuracy: max relative shortfall against the ALO
 *   engine on the first 200 options.
 * - `american-tree`: the accurate engine, ALO collocation (`americanGreeks`, price + delta + gamma +
 *   theta) on 1,000 options of the same kind. Accuracy: max relative difference from a refined
 *   ALO scheme (48 nodes, 96-point quadrature) on the first 50.
 */

import { americanGreeks, americanPrice } from '../../src/pricing/american.ts';
import { ALO_DEFAULT_SCHEME, aloPut } from '../../src/pricing/american-alo.ts';
import type { OptionType } from '../../src/pricing/types.ts';
import type { BenchWorkload } from '../types.ts';

interface Inputs {
  type: OptionType[];
  spot: Float64Array;
  expiry: Float64Array;
  rate: Float64Array;
  dividend: Float64Array;
  vol: Float64Array;
  out: Float64Array;
}

/** Deterministic inputs from a seeded mulberry32 generator. */
function makeInputs(n: number, seed: number): Inputs {
  let a = seed | 0;
  const u = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const inp: Inputs = {
    type: new Array<OptionType>(n),
    spot: new Float64Array(n),
    expiry: new Float64Array(n),
    rate: new Float64Array(n),
    dividend: new Float64Array(n),
    vol: new Float64Array(n),
    out: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    inp.type[i] = u() < 0.5 ? 'call' : 'put';
    inp.spot[i] = 60 + 80 * u();
    inp.expiry[i] = 0.02 + 2.98 * u();
    inp.rate[i] = 0.1 * u();
    inp.dividend[i] = 0.12 * u();
    inp.vol[i] = 0.1 + 0.5 * u();
  }
  return inp;
}

const K = 100;
let bsIn: Inputs | undefined;
let aloIn: Inputs | undefined;

function aloRefined(inp: Inputs, i: number): number {
  const scheme = { ...ALO_DEFAULT_SCHEME, nodes: 48, quadrature: 96 };
  const S = inp.spot[i];
  return inp.type[i] === 'put'
    ? aloPut(S, K, inp.expiry[i], inp.rate[i], inp.dividend[i], inp.vol[i], scheme).price
    : aloPut(K, S, inp.expiry[i], inp.dividend[i], inp.rate[i], inp.vol[i], scheme).price;
}

export const workloads: BenchWorkload[] = [
  {
    name: 'american-bs2002',
    unit: 'option',
    n: 100_000,
    description: 'Bjerksund–Stensland 2002 American price, 100k random calls/puts with dividends',
    setup() {
      bsIn = makeInputs(100_000, 0x2002_b5);
    },
    run() {
      const inp = bsIn!;
      for (let i = 0; i < inp.out.length; i++) {
        inp.out[i] = americanPrice(
          inp.type[i],
          inp.spot[i],
          K,
          inp.expiry[i],
          inp.rate[i],
          inp.dividend[i],
          inp.vol[i],
          {
            method: 'bjerksund-stensland',
          },
        );
      }
    },
    accuracy() {
      const inp = bsIn!;
      let worst = 0;
      for (let i = 0; i < 200; i++) {
        const ref = americanPrice(
          inp.type[i],
          inp.spot[i],
          K,
          inp.expiry[i],
          inp.rate[i],
          inp.dividend[i],
          inp.vol[i],
        );
        worst = Math.max(worst, Math.abs(inp.out[i] - ref) / ref);
      }
      return { maxRelErrorVsAlo: worst };
    },
  },
  {
    name: 'american-tree',
    unit: 'option',
    n: 1_000,
    reps: 2,
    description: 'Accurate American engine (ALO collocation): price, delta, gamma, theta for 1k options',
    setup() {
      aloIn = makeInputs(1_000, 0xa10);
    },
    run() {
      const inp = aloIn!;
      for (let i = 0; i < inp.out.length; i++) {
        inp.out[i] = americanGreeks(
          inp.type[i],
          inp.spot[i],
          K,
          inp.expiry[i],
          inp.rate[i],
          inp.dividend[i],
          inp.vol[i],
        ).price;
      }
    },
    accuracy() {
      const inp = aloIn!;
      let worst = 0;
      for (let i = 0; i < 50; i++) {
        const noEarly = inp.type[i] === 'call' ? inp.dividend[i] <= 0 : inp.rate[i] <= 0;
        if (noEarly) continue;
        const ref = Math.max(aloRefined(inp, i), inp.type[i] === 'call' ? inp.spot[i] - K : K - inp.spot[i]);
        worst = Math.max(worst, Math.abs(inp.out[i] - ref) / ref);
      }
      return { maxRelDiffVsRefinedAlo: worst };
    },
  },
];
