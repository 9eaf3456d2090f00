import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { mpmathIv, quantlibIv } from '../../test/support/implied-vol-fixtures.ts';
import { uniforms } from '../../test/support/uniform.ts';
import { type ImpliedVolBatchInput, impliedVolBatch } from '../pricing/implied-vol.ts';
import { LBR_DIAGNOSTICS, otmImpliedTotalVol } from '../pricing/lets-be-rational.ts';
import { BLACK_SCRATCH, normalisedBlack, otmBlack, otmBlackComplement } from '../pricing/normalised-black.ts';
import { BLOCK, ivKernel } from './iv-kernel.ts';
import { useWasmKernels } from './runtime.ts';

// The WebAssembly implied-vol kernel against the JavaScript reference: vol and status compared with
// Object.is on every element, and the solver's module state (BLACK_SCRATCH[0], LBR_DIAGNOSTICS) after.

const kernel = ivKernel();

type Model = 'bsm' | 'black76';

interface Run {
  vol: Float64Array;
  status: Uint8Array;
  vega: number;
  iterations: number;
}

/** `impliedVolBatch` on one path, from the given solver state, with poisoned outputs. */
function run(input: ImpliedVolBatchInput, model: Model, wasm: boolean, vega = 0.25, iterations = 7): Run {
  const n = input.price.length;
  const out = { vol: new Float64Array(n).fill(12345.678), status: new Uint8Array(n).fill(99) };
  BLACK_SCRATCH[0] = vega;
  LBR_DIAGNOSTICS.iterations = iterations;
  useWasmKernels(wasm);
  try {
    impliedVolBatch(input, out, model);
  } finally {
    useWasmKernels(true);
  }
  return { ...out, vega: BLACK_SCRATCH[0], iterations: LBR_DIAGNOSTICS.iterations };
}

/** How often each IV_STATUS code came out of `differences` (coverage of the property tests). */
const statusSeen = new Array<number>(6).fill(0);

/** Every element (and the state after) where the WebAssembly and JavaScript paths differ in any bit. */
function differences(input: ImpliedVolBatchInput, model: Model, vega?: number): string[] {
  const js = run(input, model, false, vega);
  const wasm = run(input, model, true, vega);
  for (const c of js.status) statusSeen[c]++;
  const bad: string[] = [];
  for (let i = 0; i < js.vol.length && bad.length < 5; i++) {
    if (!Object.is(js.vol[i], wasm.vol[i]) || js.status[i] !== wasm.status[i]) {
      const args = [
        input.sign[i],
        input.price[i],
        input.spot[i],
        input.strike[i],
        input.expiry[i],
        input.rate[i],
      ];
      bad.push(
        `${model} [${i}] (${args.join(', ')}, q ${input.dividend?.[i]}): js ${js.vol[i]}/${js.status[i]} wasm ${wasm.vol[i]}/${wasm.status[i]}`,
      );
    }
  }
  if (!Object.is(js.vega, wasm.vega)) bad.push(`BLACK_SCRATCH[0]: js ${js.vega} wasm ${wasm.vega}`);
  if (js.iterations !== wasm.iterations) bad.push(`iterations: js ${js.iterations} wasm ${wasm.iterations}`);
  return bad;
}

interface Option {
  sign: number;
  price: number;
  spot: number;
  strike: number;
  expiry: number;
  rate: number;
  dividend: number;
}

function batchOf(options: readonly Option[], withDividend = true): ImpliedVolBatchInput {
  return {
    sign: Int8Array.from(options, (o) => o.sign),
    price: Float64Array.from(options, (o) => o.price),
    spot: Float64Array.from(options, (o) => o.spot),
    strike: Float64Array.from(options, (o) => o.strike),
    expiry: Float64Array.from(options, (o) => o.expiry),
    rate: Float64Array.from(options, (o) => o.rate),
    ...(withDividend ? { dividend: Float64Array.from(options, (o) => o.dividend) } : {}),
  };
}

/** The price of an option at vol σ (hedgekit's normalised Black), the way the iv-batch bench makes them. */
function priceAt(o: Omit<Option, 'price'>, vol: number, model: Model): number {
  const q = model === 'bsm' ? o.dividend : 0;
  const sq = o.spot * Math.exp(-q * o.expiry);
  const kr = o.strike * Math.exp(-o.rate * o.expiry);
  const x =
    model === 'bsm' ? Math.log(o.spot / o.strike) + (o.rate - q) * o.expiry : Math.log(o.spot / o.strike);
  return Math.sqrt(sq) * Math.sqrt(kr) * normalisedBlack(x, vol * Math.sqrt(o.expiry), o.sign === 1 ? 1 : -1);
}

afterEach(() => useWasmKernels(true));

describe('WebAssembly implied-vol kernel (Let’s Be Rational) against the JavaScript reference', () => {
  it('instantiates here', () => {
    expect(kernel).not.toBeNull();
  });

  it('otmBlack and otmBlackComplement are bit-identical, vega included, in every region (A–D, underflow)', () => {
    if (!kernel) throw new Error('no WebAssembly kernel');
    const ex = kernel.exports;
    const u = uniforms(20261204);
    const xs = [0, -0, -1e-300, -1e-12, -0.1, -1, -10, -100, -700, -1500];
    const ss = [0, -0, 1e-300, 1e-9, 0.05, 0.2, 0.42, 1, 3, 10, 40, 80, Infinity, Number.NaN];
    const pairs: [number, number][] = [];
    for (const x of xs) for (const s of ss) pairs.push([x, s]);
    for (let i = 0; i < 200_000; i++) pairs.push([-Math.exp(-20 + 28 * u()), Math.exp(-14 + 19 * u())]);
    const bad: string[] = [];
    for (const [x, s] of pairs) {
      const b = otmBlack(x, s);
      const vb = BLACK_SCRATCH[0];
      const bw = ex.otmBlack(x, s);
      const vbw = ex.vega();
      const c = otmBlackComplement(x, s);
      const vc = BLACK_SCRATCH[0];
      const cw = ex.otmBlackComplement(x, s);
      const vcw = ex.vega();
      if (
        !(Object.is(b, bw) && Object.is(vb, vbw) && Object.is(c, cw) && Object.is(vc, vcw)) &&
        bad.length < 5
      )
        bad.push(`(${x}, ${s}): js ${b} ${vb} ${c} ${vc} wasm ${bw} ${vbw} ${cw} ${vcw}`);
    }
    expect(bad).toEqual([]);
  });

  it('otmImpliedTotalVol is bit-identical, iteration count included, over x ∈ [−e^5, 0], s ∈ [e^−9, e^3] and at the edges', () => {
    if (!kernel) throw new Error('no WebAssembly kernel');
    const ex = kernel.exports;
    const u = uniforms(20261205);
    const cases: [number, number][] = [];
    for (let i = 0; i < 100_000; i++) {
      const x = -Math.exp(-14 + 19 * u());
      const beta = otmBlack(x, Math.exp(-9 + 12 * u()));
      // a quarter perturbed off the exact price, some to the bounds
      cases.push([x, i % 4 === 0 ? beta * (1 + (u() - 0.5) * 1e-9) : beta]);
    }
    for (const x of [0, -0, -1e-300, -1e-40, -1e-12, -0.1, -5])
      for (const beta of [
        0,
        -0,
        -1,
        1e-300,
        1e-22,
        1e-5,
        0.1,
        Math.exp(x / 2),
        Math.exp(x / 2) * (1 - 1e-15),
        Number.NaN,
      ])
        cases.push([x, beta]);
    const bad: string[] = [];
    for (const [x, beta] of cases) {
      BLACK_SCRATCH[0] = 0.125;
      ex.setState(0.125, -1);
      const s = otmImpliedTotalVol(beta, x);
      const sw = ex.otmImpliedTotalVol(beta, x);
      if (
        !(
          Object.is(s, sw) &&
          LBR_DIAGNOSTICS.iterations === ex.iterations() &&
          Object.is(BLACK_SCRATCH[0], ex.vega())
        ) &&
        bad.length < 5
      )
        bad.push(
          `(β ${beta}, x ${x}): js ${s} (${LBR_DIAGNOSTICS.iterations}) wasm ${sw} (${ex.iterations()})`,
        );
    }
    expect(bad).toEqual([]);
  });

  it('impliedVolBatch is bit-identical with the kernel on and off on random options: both models, any sign, invalid inputs, deep ITM/OTM, tiny and huge vol', () => {
    statusSeen.fill(0);
    const value = (min: number, max: number) =>
      fc.oneof(
        { weight: 12, arbitrary: fc.double({ min, max, noNaN: true }) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(0, -0, -1, 1e-300, 1e300, Number.NaN, Infinity, -Infinity, 5e-324),
        },
      );
    const option = fc.record({
      sign: fc.oneof(
        { weight: 12, arbitrary: fc.constantFrom(1, -1) },
        { weight: 1, arbitrary: fc.constantFrom(0, 2, -2) },
      ),
      spot: value(1, 1000),
      moneyness: fc.double({ min: -8, max: 8, noNaN: true }),
      expiry: value(1e-4, 40),
      rate: fc.oneof(fc.double({ min: -0.05, max: 0.3, noNaN: true }), fc.constantFrom(0, -0, Number.NaN, 5)),
      dividend: fc.oneof(
        fc.double({ min: -0.05, max: 0.2, noNaN: true }),
        fc.constantFrom(0, -0, Number.NaN),
      ),
      lnVol: fc.double({ min: Math.log(1e-6), max: Math.log(20), noNaN: true }),
      // how the price is set: 0 from the vol, 1 perturbed, 2 raw (any value, bounds, invalid)
      priceKind: fc.constantFrom(0, 0, 0, 1, 2),
      rawPrice: value(-1, 2000),
      bump: fc.double({ min: -1e-6, max: 1e-6, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.array(option, { minLength: 1, maxLength: 60 }),
        fc.constantFrom<Model>('bsm', 'black76'),
        fc.boolean(),
        (drawn, model, withDividend) => {
          const options = drawn.map((d): Option => {
            const base = {
              sign: d.sign,
              spot: d.spot,
              strike: d.spot * Math.exp(d.moneyness),
              expiry: d.expiry,
              rate: d.rate,
              dividend: withDividend ? d.dividend : 0,
            };
            const p = priceAt(base, Math.exp(d.lnVol), model);
            const price = d.priceKind === 0 ? p : d.priceKind === 1 ? p * (1 + d.bump) : d.rawPrice;
            return { ...base, price };
          });
          expect(differences(batchOf(options, withDividend), model)).toEqual([]);
        },
      ),
      { seed: 20261203, numRuns: 1500 },
    );
    // Every outcome occurs, most of them solved: ok, negative, below intrinsic, above bound, T ≤ 0, invalid.
    const total = statusSeen.reduce((a, b) => a + b, 0);
    expect(statusSeen[0] / total).toBeGreaterThan(0.5);
    for (let c = 1; c < 6; c++) expect(statusSeen[c], `status ${c}`).toBeGreaterThan(20);
  });

  it('is bit-identical on the mpmath and QuantLib fixtures (both models) with every status code produced the same', () => {
    const mp = mpmathIv;
    const ql = quantlibIv;
    for (const model of ['bsm', 'black76'] as const) {
      const cases = mp.cases.filter((c) => c.model === model);
      expect(cases.length).toBeGreaterThan(100);
      const options = cases.map(
        (c): Option => ({
          sign: c.type === 'call' ? 1 : -1,
          price: c.price,
          spot: (model === 'bsm' ? c.spot : c.forward) ?? Number.NaN,
          strike: c.strike,
          expiry: c.expiry,
          rate: c.rate,
          dividend: c.dividend ?? 0,
        }),
      );
      expect(differences(batchOf(options), model)).toEqual([]);
      // The same options priced 1e-9 off, at the bounds, and with the call/put flag flipped.
      const off = options.flatMap((o) => [
        { ...o, price: o.price * (1 + 1e-9) },
        { ...o, price: o.price * (1 - 1e-9) },
        { ...o, sign: -o.sign },
        { ...o, price: 0 },
      ]);
      expect(differences(batchOf(off), model)).toEqual([]);
    }
    const qlOptions = ql.cases.map(
      (c): Option => ({
        sign: c.type === 'call' ? 1 : -1,
        price: c.price,
        spot: c.forward,
        strike: c.strike,
        expiry: c.expiry,
        rate: c.rate,
        dividend: 0,
      }),
    );
    expect(differences(batchOf(qlOptions, false), 'black76')).toEqual([]);
  });

  it('is bit-identical across staging blocks (lengths around BLOCK) on iv-batch-like options', () => {
    const u = uniforms(11);
    for (const n of [1, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK + 3]) {
      const options: Option[] = [];
      for (let i = 0; i < n; i++) {
        const base = {
          sign: u() < 0.5 ? 1 : -1,
          spot: 100,
          strike: 100 * Math.exp(Math.log(0.5) + Math.log(4) * u()),
          expiry: 0.02 + 2.98 * u(),
          rate: 0.05 * u(),
          dividend: 0.03 * u(),
        };
        options.push({ ...base, price: priceAt(base, 0.05 + 0.95 * u(), 'bsm') });
      }
      expect(differences(batchOf(options), 'bsm')).toEqual([]);
    }
  });

  it('does not depend on the vega a previous call left when s_l = 0 (|x| ≈ 1e-40, β < b_c), in either path', () => {
    // S = K, r − q = −1e-40: x = −1e-40, where s_l = max(s_c − b_c/b'_c, 0) rounds to 0; b(x, 0) and
    // b'(x, 0) are 0 there. A solver that read BLACK_SCRATCH[0] without evaluating took whatever the
    // last call left (0.25 and 0 gave different σ): now every leftover gives the same bits.
    const stale: Option = {
      sign: 1,
      price: 5.641895835477563e-23,
      spot: 1,
      strike: 1,
      expiry: 1,
      rate: 0,
      dividend: 1e-40,
    };
    const fresh: Option = { sign: 1, price: 10, spot: 100, strike: 100, expiry: 1, rate: 0.01, dividend: 0 };
    const ref = run(batchOf([stale]), 'bsm', false, 0);
    expect(ref.status[0]).toBe(0);
    for (const vega of [0.25, 0.0625, 0, Number.NaN]) {
      for (const wasm of [false, true]) {
        const r = run(batchOf([stale]), 'bsm', wasm, vega);
        expect(Object.is(r.vol[0], ref.vol[0])).toBe(true);
      }
      expect(differences(batchOf([stale]), 'bsm', vega)).toEqual([]);
      expect(differences(batchOf([fresh, stale, stale]), 'bsm', vega)).toEqual([]);
    }
  });

  it('leaves LBR_DIAGNOSTICS.iterations as the JavaScript loop does, also when no element reaches the solver', () => {
    const none: Option = { sign: 1, price: -1, spot: 100, strike: 100, expiry: 1, rate: 0, dividend: 0 };
    const one: Option = { sign: 1, price: 10, spot: 100, strike: 100, expiry: 1, rate: 0.01, dividend: 0 };
    for (const options of [[none], [one], [one, none], [none, one, none]]) {
      const js = run(batchOf(options), 'bsm', false, 0.25, 9);
      const wasm = run(batchOf(options), 'bsm', true, 0.25, 9);
      expect(wasm.iterations).toBe(js.iterations);
      expect(Object.is(wasm.vega, js.vega)).toBe(true);
    }
    expect(run(batchOf([none]), 'bsm', true, 0.25, 9).iterations).toBe(9);
  });
});
