/**
 * The kernel's run route (`bsDeltaRun`, through blackDeltaRunWasm and blackDeltaRun): Δ of one
 * contract on many spots equals, bit for bit, the Δ of the JavaScript kernel (blackBatchJs) on the
 * same batch spelled out option by option (every non-spot row holding the contract's value), with
 * Δ the only output. Random contracts include invalid ones (K ≤ 0, NaN, T ≤ 0, σ < 0, an invalid
 * sign, a NaN rate or yield), random spots include 0, negative, NaN, ∞ and subnormal ones, ln S is
 * absent, exact or off by noise, and the lengths run across staging blocks, odd and even.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { blackDeltaRunWasm, type DeltaRunTerms } from '../pricing/black-batch-wasm.ts';
import { blackBatchJs, blackDeltaRun, deltaRunActive, WASM_MIN } from '../pricing/black-scholes.ts';
import { BLOCK, bsKernel, useWasmKernels } from './bs-kernel.ts';

type Model = 'bsm' | 'black76';

const kernel = bsKernel();

afterEach(() => useWasmKernels(true));

/** blackBatchJs's Δ (no price, no other Greek) with every non-spot input set to `terms`. */
function referenceDelta(
  terms: DeltaRunTerms,
  spot: Float64Array,
  logSpot: Float64Array | undefined,
  model: Model,
): Float64Array {
  const n = spot.length;
  const row = (x: number) => new Float64Array(n).fill(x);
  const delta = new Float64Array(n);
  blackBatchJs(
    {
      sign: new Int8Array(n).fill(terms.sign),
      spot,
      strike: row(terms.strike),
      expiry: row(terms.expiry),
      rate: row(terms.rate),
      vol: row(terms.vol),
      dividend: row(terms.dividend),
      ...(logSpot ? { logSpot } : {}),
    },
    { delta },
    model,
  );
  return delta;
}

/** Indices where the run route's Δ and the reference differ in any bit (NaN equals NaN). */
function differences(
  terms: DeltaRunTerms,
  spot: Float64Array,
  logSpot: Float64Array | undefined,
  model: Model,
): string[] {
  if (!kernel) throw new Error('no WebAssembly kernel');
  const ref = referenceDelta(terms, spot, logSpot, model);
  // Poisoned: every slot must be written.
  const got = new Float64Array(spot.length).fill(12345.678);
  blackDeltaRunWasm(kernel, terms, spot, logSpot, got, model);
  const bad: string[] = [];
  for (let i = 0; i < spot.length; i++)
    if (!Object.is(ref[i], got[i])) bad.push(`${model} Δ[${i}] (S = ${spot[i]}): js ${ref[i]} run ${got[i]}`);
  return bad;
}

const terms = fc.record({
  sign: fc.constantFrom(1, 1, -1, -1, 0, 2),
  strike: fc.oneof(
    { weight: 6, arbitrary: fc.double({ min: 1, max: 500, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(100, 0, -5, Number.NaN, 1e300, 5e-324) },
  ),
  expiry: fc.oneof(
    { weight: 6, arbitrary: fc.double({ min: 0.01, max: 5, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(0, -0.5, Number.NaN, 1, 1e-4) },
  ),
  rate: fc.oneof(
    { weight: 6, arbitrary: fc.double({ min: -0.1, max: 0.3, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(0, Number.NaN) },
  ),
  vol: fc.oneof(
    { weight: 6, arbitrary: fc.double({ min: 0.01, max: 3, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(0, -0.1, Number.NaN, 1e-12, 5e-324) },
  ),
  dividend: fc.oneof(
    { weight: 6, arbitrary: fc.double({ min: -0.1, max: 0.3, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(0, Number.NaN) },
  ),
});

/** Spots as multiples of the strike (most near the money), or odd values. */
const spotFactor = fc.oneof(
  { weight: 12, arbitrary: fc.double({ min: 0.3, max: 3, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 1e-300, 5e-324, Number.NaN, Infinity, 1) },
);

describe('the Black-Scholes kernel’s run route (Δ of one contract on many spots)', () => {
  it('equals the JavaScript kernel’s Δ bit for bit on random contracts, spots and ln S', () => {
    let moved = 0;
    fc.assert(
      fc.property(
        terms,
        fc.array(spotFactor, { minLength: 1, maxLength: 300 }),
        fc.constantFrom<'none' | 'exact' | 'noisy'>('none', 'exact', 'noisy'),
        fc.constantFrom<Model>('bsm', 'black76'),
        (c, factors, ln, model) => {
          const scale = c.strike > 0 && c.strike < 1e6 ? c.strike : 100;
          const spots = factors.map((f) => (f > 0.1 && f < 10 ? f * scale : f));
          const spot = Float64Array.from(spots);
          const noise = [0, 1e-9, -3e-16, Number.NaN];
          const logSpot =
            ln === 'none'
              ? undefined
              : Float64Array.from(spots, (s, i) => Math.log(s) + (ln === 'noisy' ? noise[i % 4] : 0));
          const ref = referenceDelta(c, spot, logSpot, model);
          // Count the contracts whose Δ is a number strictly inside (−1, 1) somewhere: the
          // formula's main path, not only its NaN and limit branches.
          if (ref.some((d) => Math.abs(d) > 1e-6 && Math.abs(d) < 1 - 1e-6)) moved++;
          return differences(c, spot, logSpot, model).length === 0;
        },
      ),
      { numRuns: 1500, seed: 20261203 },
    );
    expect(moved).toBeGreaterThan(300);
  });

  it('is bit-identical across staging blocks (lengths around BLOCK, odd and even)', () => {
    const c: DeltaRunTerms = { sign: -1, strike: 100, expiry: 0.75, rate: 0.03, vol: 0.22, dividend: 0.012 };
    for (const n of [1, 2, 3, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK + 3]) {
      const spot = Float64Array.from({ length: n }, (_, i) => 60 + ((i * 7919) % 97));
      const logSpot = spot.map(Math.log);
      for (const model of ['bsm', 'black76'] as const) {
        expect(differences(c, spot, undefined, model)).toEqual([]);
        expect(differences(c, spot, logSpot, model)).toEqual([]);
      }
    }
  });

  it('blackDeltaRun takes the kernel from WASM_MIN spots on, and otherwise leaves Δ to blackBatch', () => {
    const c: DeltaRunTerms = { sign: 1, strike: 100, expiry: 0.5, rate: 0.02, vol: 0.2, dividend: 0 };
    const spot = Float64Array.from({ length: WASM_MIN }, (_, i) => 80 + i);
    const delta = new Float64Array(WASM_MIN);
    expect(deltaRunActive(WASM_MIN)).toBe(true);
    expect(blackDeltaRun(c, spot, undefined, delta)).toBe(true);
    expect(delta).toEqual(referenceDelta(c, spot, undefined, 'bsm'));
    // Below WASM_MIN, or with the kernels off: false, and Δ untouched.
    const few = new Float64Array(WASM_MIN - 1).fill(7);
    expect(deltaRunActive(WASM_MIN - 1)).toBe(false);
    expect(blackDeltaRun(c, spot.subarray(1), undefined, few)).toBe(false);
    expect(few.every((d) => d === 7)).toBe(true);
    useWasmKernels(false);
    delta.fill(7);
    expect(deltaRunActive(WASM_MIN)).toBe(false);
    expect(blackDeltaRun(c, spot, undefined, delta)).toBe(false);
    expect(delta.every((d) => d === 7)).toBe(true);
  });
});
