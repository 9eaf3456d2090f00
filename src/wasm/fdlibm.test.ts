import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { uniforms } from '../../test/support/uniform.ts';
import { erf, erfcx, normCdf, normInv } from '../core/normal.ts';
import { ivKernel, UNARY_OPS } from './iv-kernel.ts';

// The implied-vol kernel's ports of fdlibm (src/wasm/assembly/fdlibm.ts: exp, log, expm1, cbrt, as in
// V8's src/base/ieee754.cc) and of src/core/normal.ts must return the same bits as Math.* and the
// JavaScript functions on every double: the kernel is only bit-identical to the JavaScript if they do.

const kernel = ivKernel();

type Op = (typeof UNARY_OPS)[number];

const REFERENCE: Record<Op, (x: number) => number> = {
  exp: Math.exp,
  log: Math.log,
  expm1: Math.expm1,
  cbrt: Math.cbrt,
  erf,
  erfcx,
  normCdf,
  normInv,
};

const LN2 = Math.LN2;
/** Branch points of each function (fdlibm's thresholds, Cody's intervals, AS 241's regions). */
const BRANCH_POINTS: Record<Op, readonly number[]> = {
  exp: [
    1,
    0.5 * LN2,
    1.5 * LN2,
    2 ** -28,
    709.782712893384,
    -745.1332191019411,
    -1021.5 * LN2,
    -1020.5 * LN2,
    1023.5 * LN2,
    -0.5 * LN2,
    -1.5 * LN2,
  ],
  log: [1, Math.SQRT2, Math.SQRT1_2, 1 + 2 ** -20, 1 - 2 ** -20, 2 ** -1022, 1.38, 1.42, 2, 0.5],
  expm1: [
    56 * LN2,
    -56 * LN2,
    709.782712893384,
    0.5 * LN2,
    -0.5 * LN2,
    1.5 * LN2,
    -1.5 * LN2,
    2 ** -54,
    19.5 * LN2,
    20.5 * LN2,
    56.5 * LN2,
    -2.5 * LN2,
    1023.5 * LN2,
    -0.25,
  ],
  cbrt: [1, -1, 2 ** -1022, -(2 ** -1022), 8, 0.125, 3],
  erf: [0.46875, -0.46875, 4, -4, 27.3, -27.3],
  erfcx: [0.46875, 4, -0.46875, -4, 26.6],
  normCdf: [0.46875 * Math.SQRT2, -0.46875 * Math.SQRT2, 4 * Math.SQRT2, -4 * Math.SQRT2, -38.6, 38.6],
  normInv: [0.075, 0.925, Math.exp(-25), 1 - Math.exp(-25), 0.5, 1e-300],
};
/** Where each function is used (random values there, on top of every binade). */
const WORKING_RANGE: Record<Op, readonly [number, number]> = {
  exp: [-760, 760],
  log: [0, 4],
  expm1: [-45, 45],
  cbrt: [-2, 2],
  erf: [-7, 7],
  erfcx: [-27, 40],
  normCdf: [-40, 40],
  normInv: [0, 1],
};
const SPECIALS = [
  0,
  -0,
  1,
  -1,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  2.2250738585072014e-308,
  2.225073858507201e-308,
  -2.225073858507201e-308,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.EPSILON,
  Infinity,
  -Infinity,
  Number.NaN,
];

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** x moved by `ulps` units in the last place (through the bits; sign-magnitude aware). */
function ulpStep(x: number, ulps: number): number {
  f64[0] = x;
  const lo = u32[0] + (x < 0 ? -ulps : ulps);
  u32[1] += Math.floor(lo / 2 ** 32);
  u32[0] = lo >>> 0;
  return f64[0];
}

/**
 * `count` test doubles for `op`: a quarter uniform random bit patterns (every exponent, NaNs and ∞
 * included), a quarter over every binade with either sign, a quarter within a relative 2^-1…2^-52 of
 * a branch point (and ±1…8 ulps), a quarter uniform over the working range; then the specials.
 */
function doubles(op: Op, count: number, seed: number): Float64Array {
  const u = uniforms(seed);
  const out = new Float64Array(count + SPECIALS.length + 32 * BRANCH_POINTS[op].length);
  const bp = BRANCH_POINTS[op];
  const [lo, hi] = WORKING_RANGE[op];
  for (let i = 0; i < count; i++) {
    switch (i & 3) {
      case 0:
        u32[0] = u() * 2 ** 32;
        u32[1] = u() * 2 ** 32;
        out[i] = f64[0];
        break;
      case 1:
        out[i] = (u() < 0.5 ? -1 : 1) * (1 + u()) * 2 ** Math.floor(2100 * u() - 1076);
        break;
      case 2: {
        const b = bp[Math.floor(u() * bp.length)];
        out[i] =
          u() < 0.5 ? b * (1 + (u() - 0.5) * 2 ** -Math.floor(1 + 52 * u())) : ulpStep(b, (u() * 17 - 8) | 0);
        break;
      }
      default:
        out[i] = lo + (hi - lo) * u();
    }
  }
  let j = count;
  for (const s of SPECIALS) out[j++] = s;
  for (const b of bp) for (let d = -16; d < 16; d++) out[j++] = ulpStep(b, d);
  return out;
}

/** Arguments where the kernel's `op` and the reference differ in any bit (at most 5 reported). */
function mismatches(op: Op, xs: Float64Array): string[] {
  if (!kernel) throw new Error('no WebAssembly kernel');
  const code = UNARY_OPS.indexOf(op);
  const ref = REFERENCE[op];
  const view = kernel.unary;
  const bad: string[] = [];
  for (let i0 = 0; i0 < xs.length; i0 += view.length) {
    const c = Math.min(view.length, xs.length - i0);
    for (let j = 0; j < c; j++) view[j] = xs[i0 + j];
    kernel.exports.unaryBatch(code, c);
    for (let j = 0; j < c; j++) {
      const x = xs[i0 + j];
      const want = ref(x);
      if (!Object.is(view[j], want) && bad.length < 5) bad.push(`${op}(${x}): wasm ${view[j]} js ${want}`);
    }
  }
  return bad;
}

describe('fdlibm ports of the implied-vol kernel (exp, log, expm1, cbrt as V8 computes them)', () => {
  it('instantiates here', () => {
    expect(kernel).not.toBeNull();
  });

  for (const op of ['exp', 'log', 'expm1', 'cbrt'] as const) {
    it(`${op} is bit-identical to Math.${op} on 1.2 million doubles (random bits, every binade, branch points ± ulps, ±0, subnormals, ±∞, NaN)`, () => {
      expect(mismatches(op, doubles(op, 1_200_000, 20261203 + op.length))).toEqual([]);
    });
  }

  it('exp(1) is E exactly, as V8 special-cases it', () => {
    expect(kernel?.exports.exp(1)).toBe(Math.E);
    expect(kernel?.exports.exp(1)).toBe(Math.exp(1));
  });

  it('the scalar exports agree with Math.* on fast-check doubles', () => {
    const ex = kernel?.exports;
    if (!ex) throw new Error('no WebAssembly kernel');
    fc.assert(
      fc.property(
        fc.double(),
        (x) =>
          Object.is(ex.exp(x), Math.exp(x)) &&
          Object.is(ex.log(x), Math.log(x)) &&
          Object.is(ex.expm1(x), Math.expm1(x)) &&
          Object.is(ex.cbrt(x), Math.cbrt(x)),
      ),
      { seed: 20261203, numRuns: 20000 },
    );
  });
});

describe('normal-distribution ports of the implied-vol kernel (src/core/normal.ts)', () => {
  for (const op of ['erf', 'erfcx', 'normCdf', 'normInv'] as const) {
    it(`${op} is bit-identical to the JavaScript ${op} on 600,000 doubles (random bits, binades, interval edges, specials)`, () => {
      expect(mismatches(op, doubles(op, 600_000, 7 + op.length))).toEqual([]);
    });
  }
});
