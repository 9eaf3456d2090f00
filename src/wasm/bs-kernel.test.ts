import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { uniforms } from '../../test/support/uniform.ts';
import { blackBatchWasm } from '../pricing/black-batch-wasm.ts';
import {
  type BlackBatchInput,
  type BlackBatchOutput,
  blackBatch,
  blackBatchJs,
} from '../pricing/black-scholes.ts';
import { BLOCK, bsKernel, OUTPUT_ORDER, useWasmKernels, wasmKernelsActive } from './bs-kernel.ts';

type Key = (typeof OUTPUT_ORDER)[number];
type Model = 'bsm' | 'black76';

const kernel = bsKernel();

function outputs(n: number, keys: readonly Key[], withPrice: boolean): Record<Key, Float64Array> {
  const o = (withPrice ? { price: new Float64Array(n) } : {}) as Record<Key, Float64Array>;
  for (const k of keys) o[k] = new Float64Array(n);
  return o;
}

/**
 * Indices (and both values) where the WebAssembly and JavaScript kernels differ in any bit; without
 * a price (`withPrice` false) only the Greeks are asked for (the kernel's NO_PRICE route).
 */
function differences(input: BlackBatchInput, keys: readonly Key[], model: Model, withPrice = true): string[] {
  if (!kernel) throw new Error('no WebAssembly kernel');
  const n = input.spot.length;
  const js = outputs(n, keys, withPrice);
  const wasm = outputs(n, keys, withPrice);
  // Poison the WebAssembly outputs: every slot must be written.
  for (const k of Object.keys(wasm) as Key[]) wasm[k].fill(12345.678);
  blackBatchJs(input, js as BlackBatchOutput, model);
  blackBatchWasm(kernel, input, wasm as BlackBatchOutput, model);
  const bad: string[] = [];
  for (const k of Object.keys(js) as Key[]) {
    for (let i = 0; i < n; i++) {
      if (!Object.is(js[k][i], wasm[k][i]))
        bad.push(`${model} ${k}[${i}]: js ${js[k][i]} wasm ${wasm[k][i]}`);
    }
  }
  return bad;
}

interface Case {
  model: Model;
  type: 'call' | 'put';
  spot: number;
  strike: number;
  expiry: number;
  rate: number;
  dividend: number;
  vol: number;
}

function batchOf(cases: readonly Case[]): BlackBatchInput {
  return {
    sign: Int8Array.from(cases, (c) => (c.type === 'call' ? 1 : -1)),
    spot: Float64Array.from(cases, (c) => c.spot),
    strike: Float64Array.from(cases, (c) => c.strike),
    expiry: Float64Array.from(cases, (c) => c.expiry),
    rate: Float64Array.from(cases, (c) => c.rate),
    vol: Float64Array.from(cases, (c) => c.vol),
    dividend: Float64Array.from(cases, (c) => c.dividend),
  };
}

afterEach(() => useWasmKernels(true));

describe('WebAssembly SIMD Black-Scholes kernel', () => {
  it('instantiates here (Node 20 has WebAssembly SIMD) and is used by default', () => {
    expect(kernel).not.toBeNull();
    expect(wasmKernelsActive()).toBe(true);
  });

  it('its fdlibm log is bit-identical to Math.log on every kind of double', () => {
    const ln = kernel?.exports.ln ?? (() => Number.NaN);
    const special = [
      0,
      -0,
      1,
      -1,
      2,
      0.5,
      1 + 2 ** -52,
      1 - 2 ** -53,
      1 + 2 ** -21,
      5e-324,
      2.2250738585072014e-308,
    ];
    for (const x of [...special, Number.MIN_VALUE, Number.MAX_VALUE, Infinity, -Infinity, Number.NaN]) {
      expect(Object.is(ln(x), Math.log(x)), `ln(${x})`).toBe(true);
    }
    fc.assert(
      fc.property(fc.double(), (x) => Object.is(ln(x), Math.log(x))),
      { numRuns: 20000 },
    );
    // Ratios S/K as the kernel sees them, densely around 1 (fdlibm's |f| < 2^-20 branch).
    fc.assert(
      fc.property(fc.double({ min: 0.999, max: 1.001, noNaN: true }), (x) => Object.is(ln(x), Math.log(x))),
      { numRuns: 20000 },
    );
  });

  it('its two-lane log (the kernel’s ln(S/K)) is bit-identical to Math.log, both lanes', () => {
    if (!kernel) throw new Error('no WebAssembly kernel');
    const at = kernel.stageIn;
    const view = kernel.input[0];
    const check = (xs: readonly number[]) => {
      const n = xs.length + (xs.length & 1);
      for (let i = 0; i < n; i++) view[i] = xs[i] ?? 2;
      kernel.exports.lnPairs(at, n);
      xs.forEach((x, i) => {
        expect(Object.is(view[i], Math.log(x)), `ln(${x})`).toBe(true);
      });
    };
    // Every branch of fdlibm's: k = 0 and k ≠ 0, i > 0 and i ≤ 0, |f| < 2^-20, x ≤ 0, subnormal, ∞, NaN;
    // a lane off the main path next to one on it.
    check([
      0.8,
      1.2,
      0.71,
      1.41,
      1.5,
      3,
      0.25,
      1e-300,
      1e300,
      1 + 2 ** -21,
      1.0000001,
      0,
      -1,
      5e-324,
      Infinity,
      NaN,
    ]);
    const u = uniforms(20261203);
    for (let r = 0; r < 200; r++) {
      // S/K as the kernel sees them (0.25–4, densest around 1), and any positive double.
      const xs = Array.from({ length: 64 }, (_, i) =>
        i % 4 === 3 ? 2 ** (2100 * u() - 1070) : Math.exp((u() - 0.5) * (i % 2 ? 0.2 : 2.8)),
      );
      check(xs);
    }
    fc.assert(
      fc.property(fc.double(), fc.double(), (x, y) => {
        check([x, y]);
        return true;
      }),
      { numRuns: 5000 },
    );
  });

  it('is bit-identical to the JavaScript kernel on the reference fixtures (every Greek, both models)', () => {
    const fixture = JSON.parse(
      readFileSync(new URL('../../test/fixtures/reference/black-scholes.json', import.meta.url), 'utf8'),
    ) as { cases: Case[] };
    for (const model of ['bsm', 'black76'] as const) {
      const cases = fixture.cases.filter((c) => c.model === model);
      expect(cases.length).toBeGreaterThan(100);
      expect(differences(batchOf(cases), OUTPUT_ORDER.slice(1), model)).toEqual([]);
      // Without a price: Δ alone (a delta hedge's marks), and the first-order Greeks.
      expect(differences(batchOf(cases), ['delta'], model, false)).toEqual([]);
      expect(differences(batchOf(cases), ['delta', 'gamma', 'vega'], model, false)).toEqual([]);
    }
  });

  it('is bit-identical on random inputs, edge cases, any subset of Greeks and any length', () => {
    const value = fc.oneof(
      { weight: 8, arbitrary: fc.double({ min: 1e-3, max: 1e3, noNaN: true }) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(0, -0, -1, 1, 1e-300, 1e300, Number.NaN, Infinity, -Infinity, 5e-324),
      },
    );
    const option = fc.record({
      model: fc.constantFrom<Model>('bsm', 'black76'),
      type: fc.constantFrom<'call' | 'put'>('call', 'put'),
      spot: value,
      strike: fc.oneof(value, fc.constant(100)),
      expiry: value,
      rate: fc.oneof(
        fc.double({ min: -0.1, max: 0.3, noNaN: true }),
        fc.constantFrom(0, -0, Number.NaN, 800),
      ),
      dividend: fc.oneof(fc.double({ min: -0.1, max: 0.3, noNaN: true }), fc.constantFrom(0, Number.NaN)),
      vol: fc.oneof(fc.double({ min: 0, max: 5, noNaN: true }), fc.constantFrom(0, 1e-12, -0.1, Infinity)),
    });
    fc.assert(
      fc.property(
        fc.array(option, { minLength: 1, maxLength: 40 }),
        fc.subarray(OUTPUT_ORDER.slice(1)),
        fc.constantFrom<Model>('bsm', 'black76'),
        fc.boolean(),
        fc.boolean(),
        (cases, keys, model, withDividend, withPrice) => {
          // Spot = strike for some: ln(S/K) = 0 exactly.
          const input = batchOf(cases.map((c) => ({ ...c, spot: c.strike === 100 ? 100 : c.spot })));
          const batch = withDividend ? input : { ...input, dividend: undefined };
          return differences(batch, keys, model, withPrice).length === 0;
        },
      ),
      { numRuns: 400 },
    );
  });

  it('is bit-identical across staging blocks (lengths around BLOCK, odd and even)', () => {
    let seed = 7;
    const u = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    for (const n of [BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK + 3]) {
      const cases: Case[] = [];
      for (let i = 0; i < n; i++) {
        cases.push({
          model: 'bsm',
          type: u() < 0.5 ? 'call' : 'put',
          spot: 100,
          strike: 50 + 150 * u(),
          expiry: 0.02 + 2.98 * u(),
          rate: 0.05 * u(),
          dividend: u() < 0.5 ? 0 : 0.03 * u(),
          vol: 0.05 + 0.95 * u(),
        });
      }
      expect(differences(batchOf(cases), ['delta', 'gamma', 'vega', 'theta'], 'bsm')).toEqual([]);
    }
  });

  it('is bit-identical when (T, r, q) repeat in runs, as in a Monte-Carlo book (cached discount factors)', () => {
    const cases: Case[] = [];
    const runs = [
      [0.5, 0.03, 0.01],
      [0.5, 0.03, 0.01],
      [0.5, -0, 0],
      [0.5, 0, -0],
      [1.25, 0.03, 0],
      [Number.NaN, 0.03, 0],
      [1.25, 0.03, 0],
    ];
    for (const [T, r, q] of runs) {
      for (let i = 0; i < 9; i++) {
        cases.push({
          model: 'bsm',
          type: i % 3 ? 'call' : 'put',
          spot: 90 + 3 * i,
          strike: 100,
          expiry: T,
          rate: r,
          dividend: q,
          vol: 0.2,
        });
      }
    }
    for (const model of ['bsm', 'black76'] as const) {
      expect(differences(batchOf(cases), OUTPUT_ORDER.slice(1), model)).toEqual([]);
      // Without a price: Δ alone (a delta hedge's marks), and the first-order Greeks.
      expect(differences(batchOf(cases), ['delta'], model, false)).toEqual([]);
      expect(differences(batchOf(cases), ['delta', 'gamma', 'vega'], model, false)).toEqual([]);
    }
  });

  it('is bit-identical with the caller’s ln S (ln K once per run of equal strikes), in and across blocks', () => {
    // Strikes from a short list, so runs of equal strikes end inside a pair, at a pair's edge and
    // across staging blocks; some ln S are Math.log(S), some arbitrary (the contract is the caller's).
    const strikes = [100, 100, 95, Number.NaN, 0, -5, 1e300, 5e-324, 100];
    const value = fc.oneof(
      { weight: 8, arbitrary: fc.double({ min: 1e-3, max: 1e3, noNaN: true }) },
      { weight: 1, arbitrary: fc.constantFrom(0, -1, 1e-300, Number.NaN, Infinity) },
    );
    const option = fc.record({
      model: fc.constantFrom<Model>('bsm', 'black76'),
      type: fc.constantFrom<'call' | 'put'>('call', 'put'),
      spot: value,
      strike: fc.constantFrom(...strikes),
      expiry: fc.oneof(fc.double({ min: 1e-3, max: 5, noNaN: true }), fc.constantFrom(0, 1)),
      rate: fc.oneof(fc.double({ min: -0.1, max: 0.3, noNaN: true }), fc.constant(0)),
      dividend: fc.oneof(fc.double({ min: -0.1, max: 0.3, noNaN: true }), fc.constant(0)),
      vol: fc.oneof(fc.double({ min: 0, max: 3, noNaN: true }), fc.constant(0.2)),
    });
    const withLog = (cases: readonly Case[], noise: readonly number[]): BlackBatchInput => {
      const b = batchOf(cases);
      return {
        ...b,
        logSpot: Float64Array.from(cases, (c, i) => Math.log(c.spot) + (noise[i % noise.length] ?? 0)),
      };
    };
    fc.assert(
      fc.property(
        fc.array(option, { minLength: 1, maxLength: 300 }),
        fc.array(fc.constantFrom(0, 0, 0, 1e-9, -3e-16, Number.NaN), { minLength: 1, maxLength: 7 }),
        fc.subarray(OUTPUT_ORDER.slice(1)),
        fc.constantFrom<Model>('bsm', 'black76'),
        fc.boolean(),
        (cases, noise, keys, model, withPrice) =>
          differences(withLog(cases, noise), keys, model, withPrice).length === 0,
      ),
      { numRuns: 300 },
    );
    // Around the staging block, runs of 37 equal strikes: Δ alone and every Greek.
    for (const n of [BLOCK - 1, BLOCK + 1, 2 * BLOCK + 3]) {
      const cases: Case[] = Array.from({ length: n }, (_, i) => ({
        model: 'bsm',
        type: i % 5 ? 'call' : 'put',
        spot: 60 + ((i * 7919) % 97),
        strike: 80 + 5 * Math.floor(i / 37),
        expiry: 0.5,
        rate: 0.02,
        dividend: 0.01,
        vol: 0.25,
      }));
      expect(differences(withLog(cases, [0]), ['delta'], 'bsm', false)).toEqual([]);
      expect(differences(withLog(cases, [0, 1e-12]), OUTPUT_ORDER.slice(1), 'bsm')).toEqual([]);
    }
  });

  it('blackBatch gives the same bits with the kernels on and off (HEDGEKIT_NO_WASM path)', () => {
    const input = batchOf(
      Array.from({ length: 100 }, (_, i) => ({
        model: 'bsm' as const,
        type: i % 2 ? ('put' as const) : ('call' as const),
        spot: 100,
        strike: 60 + i,
        expiry: 0.1 + i / 50,
        rate: 0.03,
        dividend: 0.01,
        vol: 0.1 + i / 200,
      })),
    );
    const on = outputs(100, ['delta', 'vega'], true);
    const off = outputs(100, ['delta', 'vega'], true);
    blackBatch(input, on as BlackBatchOutput);
    useWasmKernels(false);
    expect(wasmKernelsActive()).toBe(false);
    blackBatch(input, off as BlackBatchOutput);
    for (const k of ['price', 'delta', 'vega'] as const)
      expect(Array.from(on[k])).toEqual(Array.from(off[k]));
    expect(on.price[40]).toBeGreaterThan(0);
  });
});
