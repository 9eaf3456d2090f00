import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { bsKernel, OUTPUT_ORDER, useWasmKernels } from '../wasm/bs-kernel.ts';
import { type BatchGreek, type BlackBatchArrays, blackBatchArrays } from './black-batch-arrays.ts';
import { type BlackBatchOutput, blackBatch, blackBatchJs } from './black-scholes.ts';

afterEach(() => useWasmKernels(true));

const ALL = OUTPUT_ORDER.slice(1) as BatchGreek[];

/** Fills a batch from uniforms: spot 50–150, strike 40–200, expiry 0.01–3, rate −1–8 %, vol 0–100 %, q 0–5 %. */
function fill(b: BlackBatchArrays, seed: number, withQ: boolean): void {
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const x = b.input;
  for (let i = 0; i < x.spot.length; i++) {
    x.sign[i] = u() < 0.5 ? 1 : -1;
    x.spot[i] = 50 + 100 * u();
    x.strike[i] = 40 + 160 * u();
    x.expiry[i] = 0.01 + 3 * u();
    x.rate[i] = -0.01 + 0.09 * u();
    x.vol[i] = u() < 0.05 ? 0 : u();
    x.dividend[i] = withQ ? 0.05 * u() : 0;
  }
}

/** The JavaScript reference on copies of the batch's inputs, with the same outputs present. */
function reference(
  b: BlackBatchArrays,
  model: 'bsm' | 'black76',
  withQ: boolean,
): Record<string, Float64Array> {
  const n = b.input.spot.length;
  const x = b.input;
  const ref: Record<string, Float64Array> = {};
  for (const k of Object.keys(b.out)) ref[k] = new Float64Array(n);
  blackBatchJs(
    {
      sign: x.sign.slice(),
      spot: x.spot.slice(),
      strike: x.strike.slice(),
      expiry: x.expiry.slice(),
      rate: x.rate.slice(),
      vol: x.vol.slice(),
      dividend: withQ ? x.dividend.slice() : undefined,
    },
    ref as unknown as BlackBatchOutput,
    model,
  );
  return ref;
}

function firstDifference(
  got: Record<string, Float64Array>,
  ref: Record<string, Float64Array>,
): string | undefined {
  for (const k of Object.keys(ref)) {
    for (let i = 0; i < ref[k].length; i++)
      if (!Object.is(got[k][i], ref[k][i])) return `${k}[${i}]: ${got[k][i]} vs reference ${ref[k][i]}`;
  }
  return undefined;
}

/** Whether blackBatch went through the shared staging block (its first spot slot is overwritten). */
function usedStaging(run: () => void): boolean {
  const k = bsKernel();
  if (!k) throw new Error('no WebAssembly kernel');
  k.input[0][0] = -12345.5;
  run();
  return k.input[0][0] !== -12345.5;
}

describe('blackBatchArrays: a batch priced in place in the kernel’s memory', () => {
  it('is bit-identical to the JavaScript reference (any length, odd or even, both models, q or not, any Greeks)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 700 }),
        fc.subarray([...ALL]),
        fc.constantFrom('bsm' as const, 'black76' as const),
        fc.boolean(),
        fc.integer(),
        (n, greeks, model, withQ, seed) => {
          const b = blackBatchArrays(n, greeks);
          fill(b, seed, withQ);
          const input = withQ ? b.input : { ...b.input, dividend: undefined };
          for (const k of Object.keys(b.out)) (b.out as unknown as Record<string, Float64Array>)[k].fill(777);
          expect(usedStaging(() => blackBatch(input, b.out, model))).toBe(false);
          const got = b.out as unknown as Record<string, Float64Array>;
          expect(firstDifference(got, reference(b, model, withQ))).toBeUndefined();
        },
      ),
      { numRuns: 60, endOnFailure: true },
    );
  });

  it('prices 2,048 + 1 options (more than one staging block, odd) in one call, and the same bits again', () => {
    const b = blackBatchArrays(4097, ['delta', 'gamma', 'vega']);
    fill(b, 7, true);
    blackBatch(b.input, b.out);
    const ref = reference(b, 'bsm', true);
    expect(firstDifference(b.out as unknown as Record<string, Float64Array>, ref)).toBeUndefined();
    blackBatch(b.input, b.out);
    expect(firstDifference(b.out as unknown as Record<string, Float64Array>, ref)).toBeUndefined();
  });

  it('takes the staged route (same bits) when any array is not the batch’s own', () => {
    const b = blackBatchArrays(300, ['delta']);
    fill(b, 11, false);
    const input = { ...b.input, dividend: undefined };
    const ref = reference(b, 'bsm', false);
    const gamma = new Float64Array(300);
    const delta = b.out.delta ?? new Float64Array(0);
    const mixed = { price: b.out.price, delta, gamma };
    expect(usedStaging(() => blackBatch(input, mixed))).toBe(true);
    const refG = new Float64Array(300);
    blackBatchJs(input, { price: new Float64Array(300), gamma: refG });
    expect(firstDifference({ price: b.out.price, delta, gamma }, { ...ref, gamma: refG })).toBeUndefined();
    // A subarray of the batch's own arrays is not the batch either.
    const half = {
      sign: b.input.sign.subarray(0, 150),
      spot: b.input.spot.subarray(0, 150),
      strike: b.input.strike.subarray(0, 150),
      expiry: b.input.expiry.subarray(0, 150),
      rate: b.input.rate.subarray(0, 150),
      vol: b.input.vol.subarray(0, 150),
    };
    const o = { price: new Float64Array(150) };
    expect(usedStaging(() => blackBatch(half, o))).toBe(true);
    expect(firstDifference(o, { price: ref.price.subarray(0, 150) })).toBeUndefined();
    // Any field given another of the batch's own rows: not the batch's layout.
    const rows = ['spot', 'strike', 'expiry', 'rate', 'vol', 'dividend'] as const;
    for (const [i, field] of rows.entries()) {
      const moved = { ...b.input, [field]: b.input[rows[(i + 1) % rows.length]] };
      expect(
        usedStaging(() => blackBatch(moved, b.out)),
        field,
      ).toBe(true);
    }
    const otherSign = { ...b.input, sign: b.input.sign.slice() };
    expect(
      usedStaging(() => blackBatch(otherSign, b.out)),
      'sign',
    ).toBe(true);
  });

  it('an odd batch’s padding option never shows in its views, and neighbouring batches stay apart', () => {
    const a = blackBatchArrays(5, ['delta']);
    const b = blackBatchArrays(5, ['delta']);
    fill(a, 1, false);
    fill(b, 2, false);
    const before = Array.from(b.input.spot);
    blackBatch({ ...a.input, dividend: undefined }, a.out);
    expect(a.input.spot.length).toBe(5);
    expect(a.out.price.length).toBe(5);
    expect(Array.from(b.input.spot)).toEqual(before);
    expect(
      firstDifference(a.out as unknown as Record<string, Float64Array>, reference(a, 'bsm', false)),
    ).toBeUndefined();
  });

  it('gives plain arrays with the kernels off (HEDGEKIT_NO_WASM), which blackBatch prices as any arrays', () => {
    useWasmKernels(false);
    const b = blackBatchArrays(64, ['vega']);
    expect(b.input.spot.buffer.byteLength).toBe(64 * 8);
    fill(b, 3, true);
    blackBatch(b.input, b.out);
    expect(
      firstDifference(b.out as unknown as Record<string, Float64Array>, reference(b, 'bsm', true)),
    ).toBeUndefined();
  });

  it('starts with calls and zeros, and rejects a size that is not a whole number ≥ 1', () => {
    const b = blackBatchArrays(3);
    expect(Array.from(b.input.sign)).toEqual([1, 1, 1]);
    expect(Array.from(b.input.dividend)).toEqual([0, 0, 0]);
    expect(Object.keys(b.out)).toEqual(['price']);
    expect(() => blackBatchArrays(0)).toThrow(/n must be a whole number >= 1 \(got 0\)/);
    expect(() => blackBatchArrays(2.5)).toThrow(RangeError);
  });
});
