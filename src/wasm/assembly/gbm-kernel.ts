// AssemblyScript source of the WebAssembly SIMD correlated-GBM step kernel. Compiled by
// `npm run build:wasm` (scripts/build-wasm.ts) into src/wasm/generated/gbm-kernel.wasm.ts; not part of
// the tsc/biome project (AssemblyScript types: f64, i32, v128).
//
// It is `GbmGenerator.step` of src/paths/gbm.ts with `Rng.fillNormal` of src/core/rng.ts, for every
// block of PATH_BLOCK = 256 paths of one step, and bit-identical to them (tested):
//   - random numbers: xoshiro128** (Blackman & Vigna 2018) on i32x4, the streams of FOUR blocks in the
//     four lanes (block g·4 + k in lane k), so each lane yields exactly its block's sequence;
//   - normals: the 256-layer ziggurat (Marsaglia & Tsang 2000, Doornik's 2005 layout) — the rectangle
//     test (≈ 99.3 % of draws) here in f64x2; a lane that misses it takes `normalSlow` of rng.ts,
//     ported statement by statement on that lane's state words, with the fdlibm ports of ./fdlibm
//     (bit-identical to V8's Math.log and Math.exp);
//   - the step: x = (μ − σ²/2)Δ + σ√Δ Σ_b L_ab ε_b, S ·= eˣ and ln S += x, two paths per f64x2 step, with
//     the coefficients the loader computed as the JavaScript does, summed in the same order, and
//     Tang's exp of exp-simd.ts.
// WebAssembly arithmetic is IEEE-754 round-to-nearest with no FMA or reassociation, like JavaScript's.
// References: Glasserman (2003) §3.2.3; Blackman & Vigna, ACM TOMS 47(4) (2021); Marsaglia & Tsang,
// J. Stat. Softw. 5(8) (2000); J. A. Doornik (2005).

import { expPair, TABLES_END } from './exp-simd';
import { fdExp, fdLog } from './fdlibm';

/** Memory layout shared with src/wasm/gbm-kernel.ts (byte offsets); the exp tables come first. */
const ZIG_RATIO: usize = TABLES_END; // 256 doubles: X_{i+1}/X_i
const ZIG_X: usize = ZIG_RATIO + 2048; // 257 doubles: layer widths X_i
const ZIG_F: usize = ZIG_X + 2064; // 257 doubles: f(X_i) = exp(−X_i²/2), f(X_0) = f(R)
/** First byte the loader may use for its own areas (parameters, states, scratch, path arrays). */
export const FREE: usize = (ZIG_F + 2064 + 15) & ~15;
/** Start of the tail, R (src/core/ziggurat.ts ZIG_R). */
const ZIG_R: f64 = 3.6541528853610088;

/** Paths per block (PATH_BLOCK of src/core/rng.ts). */
const BLOCK: i32 = 256;
const TWO_32: f64 = 4294967296.0;
const TWO_M53: f64 = 1.1102230246251565e-16;

@inline
function rotl(x: v128, k: i32): v128 {
  return v128.or(i32x4.shl(x, k), i32x4.shr_u(x, 32 - k));
}

@inline
function pair(base: usize, i0: i32, i1: i32): v128 {
  return v128.load64_lane(base + (<usize>i1 << 3), v128.load64_zero(base + (<usize>i0 << 3)), 1);
}

/**
 * Fills `count` standard normals for each of the four lanes, lane k's at eps + k·laneBytes + 8j,
 * advancing the four streams whose state words lie SoA at `state` (s0 of lanes 0–3, then s1, s2, s3).
 */
function normals4(state: usize, eps: usize, laneBytes: usize, count: i32): void {
  let s0 = v128.load(state);
  let s1 = v128.load(state, 16);
  let s2 = v128.load(state, 32);
  let s3 = v128.load(state, 48);
  const five = i32x4.splat(5);
  const nine = i32x4.splat(9);
  const e1 = eps + laneBytes;
  const e2 = e1 + laneBytes;
  const e3 = e2 + laneBytes;
  for (let j: i32 = 0; j < count; j++) {
    // two xoshiro128** outputs per lane (rng.ts writes the same six lines out inline)
    let m = i32x4.mul(s1, five);
    const r1 = i32x4.mul(rotl(m, 7), nine);
    let t = i32x4.shl(s1, 9);
    s2 = v128.xor(s2, s0);
    s3 = v128.xor(s3, s1);
    s1 = v128.xor(s1, s2);
    s0 = v128.xor(s0, s3);
    s2 = v128.xor(s2, t);
    s3 = rotl(s3, 11);
    m = i32x4.mul(s1, five);
    const r2 = i32x4.mul(rotl(m, 7), nine);
    t = i32x4.shl(s1, 9);
    s2 = v128.xor(s2, s0);
    s3 = v128.xor(s3, s1);
    s1 = v128.xor(s1, s2);
    s0 = v128.xor(s0, s3);
    s2 = v128.xor(s2, t);
    s3 = rotl(s3, 11);
    // layer: bits 0–7 of r1; sign: bit 8; abscissa u = ((r1 >>> 11)·2^32 + (r2 >>> 0))·2^−53
    const layers = v128.and(r1, i32x4.splat(255));
    const l0 = i32x4.extract_lane(layers, 0);
    const l1 = i32x4.extract_lane(layers, 1);
    const l2 = i32x4.extract_lane(layers, 2);
    const l3 = i32x4.extract_lane(layers, 3);
    const hi = i32x4.shr_u(r1, 11);
    const hiUp = i32x4.shuffle(hi, hi, 2, 3, 0, 1);
    const r2Up = i32x4.shuffle(r2, r2, 2, 3, 0, 1);
    const two32 = f64x2.splat(TWO_32);
    const scale = f64x2.splat(TWO_M53);
    const uA = f64x2.mul(
      f64x2.add(f64x2.mul(f64x2.convert_low_i32x4_u(hi), two32), f64x2.convert_low_i32x4_u(r2)),
      scale,
    );
    const uB = f64x2.mul(
      f64x2.add(f64x2.mul(f64x2.convert_low_i32x4_u(hiUp), two32), f64x2.convert_low_i32x4_u(r2Up)),
      scale,
    );
    // sign factor 1 − ((r1 >>> 7) & 2) ∈ {1, −1}
    const sgn = i32x4.sub(i32x4.splat(1), v128.and(i32x4.shr_u(r1, 7), i32x4.splat(2)));
    const sgnA = f64x2.convert_low_i32x4_s(sgn);
    const sgnB = f64x2.convert_low_i32x4_s(i32x4.shuffle(sgn, sgn, 2, 3, 0, 1));
    const zA = f64x2.mul(f64x2.mul(uA, pair(ZIG_X, l0, l1)), sgnA);
    const zB = f64x2.mul(f64x2.mul(uB, pair(ZIG_X, l2, l3)), sgnB);
    const off = <usize>j << 3;
    f64.store(eps + off, f64x2.extract_lane(zA, 0));
    f64.store(e1 + off, f64x2.extract_lane(zA, 1));
    f64.store(e2 + off, f64x2.extract_lane(zB, 0));
    f64.store(e3 + off, f64x2.extract_lane(zB, 1));
    const inA = f64x2.lt(uA, pair(ZIG_RATIO, l0, l1));
    const inB = f64x2.lt(uB, pair(ZIG_RATIO, l2, l3));
    if (!(i64x2.all_true(inA) && i64x2.all_true(inB))) {
      // Some lane missed its rectangle: that lane's stream takes the slow path, in lane order.
      v128.store(state, s0);
      v128.store(state, s1, 16);
      v128.store(state, s2, 32);
      v128.store(state, s3, 48);
      const neg = v128.and(r1, i32x4.splat(256));
      if (i64x2.extract_lane(inA, 0) == 0)
        slowLane(state, 0, eps + off, l0, f64x2.extract_lane(uA, 0), i32x4.extract_lane(neg, 0));
      if (i64x2.extract_lane(inA, 1) == 0)
        slowLane(state, 1, e1 + off, l1, f64x2.extract_lane(uA, 1), i32x4.extract_lane(neg, 1));
      if (i64x2.extract_lane(inB, 0) == 0)
        slowLane(state, 2, e2 + off, l2, f64x2.extract_lane(uB, 0), i32x4.extract_lane(neg, 2));
      if (i64x2.extract_lane(inB, 1) == 0)
        slowLane(state, 3, e3 + off, l3, f64x2.extract_lane(uB, 1), i32x4.extract_lane(neg, 3));
      s0 = v128.load(state);
      s1 = v128.load(state, 16);
      s2 = v128.load(state, 32);
      s3 = v128.load(state, 48);
    }
  }
  v128.store(state, s0);
  v128.store(state, s1, 16);
  v128.store(state, s2, 32);
  v128.store(state, s3, 48);
}

/**
 * One xoshiro128** output of the stream whose four words are at w, w + 16, w + 32, w + 48 (a lane of
 * the SoA state), advancing it: the six lines of rng.ts on scalars.
 */
@inline
function next(w: usize): i32 {
  const s0 = i32.load(w);
  const s1 = i32.load(w, 16);
  let s2 = i32.load(w, 32);
  let s3 = i32.load(w, 48);
  const m = s1 * 5;
  const r = ((m << 7) | (m >>> 25)) * 9;
  s2 ^= s0;
  s3 ^= s1;
  i32.store(w, s1 ^ s2, 16);
  i32.store(w, s0 ^ s3);
  i32.store(w, s2 ^ (s1 << 9), 32);
  i32.store(w, (s3 << 11) | (s3 >>> 21), 48);
  return r;
}

/** nextDouble of rng.ts: ((a >>> 5)·2²⁶ + (b >>> 6))·2⁻⁵³. */
@inline
function nextDouble(w: usize): f64 {
  const a = <f64>(<u32>next(w) >>> 5);
  const b = <f64>(<u32>next(w) >>> 6);
  return (a * 67108864.0 + b) * TWO_M53;
}

/** nextOpen of rng.ts: ((a >>> 6)·2²⁶ + (b >>> 6) + ½)·2⁻⁵², on (0, 1). */
@inline
function nextOpen(w: usize): f64 {
  const a = <f64>(<u32>next(w) >>> 6);
  const b = <f64>(<u32>next(w) >>> 6);
  return (a * 67108864.0 + b + 0.5) * 2.220446049250313e-16;
}

/**
 * `normalSlow` of rng.ts for the lane whose state words start at w, statement by statement: the
 * tail beyond R (Marsaglia 1964) or the wedge test, then fresh candidates. Its logarithm and
 * exponential are the fdlibm ports of ./fdlibm, bit-identical to V8's Math.log and Math.exp (tested),
 * so the deviates are the JavaScript's — without a call out to the host per slow draw.
 */
function normalSlowLane(w: usize, layer0: i32, u0: f64, negative0: bool): f64 {
  let layer = layer0;
  let u = u0;
  let negative = negative0;
  for (;;) {
    if (layer == 0) {
      let x: f64;
      let y: f64;
      do {
        x = -fdLog(nextOpen(w)) / ZIG_R;
        y = -fdLog(nextOpen(w));
      } while (y + y < x * x);
      return negative ? -(ZIG_R + x) : ZIG_R + x;
    }
    const x = u * f64.load(ZIG_X + (<usize>layer << 3));
    const fx = fdExp(-0.5 * x * x);
    const fl = f64.load(ZIG_F + (<usize>layer << 3));
    if (fl + nextDouble(w) * (f64.load(ZIG_F + (<usize>(layer + 1) << 3)) - fl) < fx) {
      return negative ? -x : x;
    }
    const r1 = next(w);
    const r2 = next(w);
    layer = r1 & 255;
    u = (<f64>(<u32>r1 >>> 11) * TWO_32 + <f64>(<u32>r2)) * TWO_M53;
    negative = (r1 & 256) != 0;
    if (u < f64.load(ZIG_RATIO + (<usize>layer << 3))) {
      const y2 = u * f64.load(ZIG_X + (<usize>layer << 3));
      return negative ? -y2 : y2;
    }
  }
  return unreachable();
}

/** Lane `k` of the SoA state at `state` through the slow path; the deviate goes to `out`. */
function slowLane(state: usize, k: usize, out: usize, layer: i32, u: f64, negative: i32): void {
  f64.store(out, normalSlowLane(state + (k << 2), layer, u, negative != 0));
}

/** Two paths' log return x: stored, S ·= eˣ, and ln S += x when carried. */
@inline
function advance(x: v128, lr: usize, sp: usize, ls: usize, carry: bool): void {
  v128.store(lr, x);
  v128.store(sp, f64x2.mul(v128.load(sp), expPair(x)));
  if (carry) v128.store(ls, f64x2.add(v128.load(ls), x));
}

/**
 * One GBM step of every block. Layout (all byte offsets, 16-aligned):
 * - coef: c0[a] = (μ_a − σ_a²/2)Δ for a < nA, then c[a·nA + b] = σ_a√Δ·L_ab (row-major, b ≤ a);
 * - states: the blocks' streams, four per group (block g·4 + k in lane k), 64 bytes per group;
 * - eps: scratch of 4 · nA · 256 doubles;
 * - spot, logReturn, logSpot: asset a's array at base + a·stride·8, block b's paths from b·256
 *   (logSpot = 0: not carried).
 * Lanes of the last group past nBlocks run on whatever state the loader put there and are discarded.
 */
export function gbmStep(
  nA: i32,
  nBlocks: i32,
  coef: usize,
  states: usize,
  eps: usize,
  spot: usize,
  logReturn: usize,
  logSpot: usize,
  stride: i32,
): void {
  const laneBytes = <usize>(nA * BLOCK) << 3;
  const chol = coef + (<usize>nA << 3);
  const carry = logSpot != 0;
  for (let g: i32 = 0; g * 4 < nBlocks; g++) {
    normals4(states + (<usize>g << 6), eps, laneBytes, nA * BLOCK);
    const lanes = min<i32>(4, nBlocks - g * 4);
    for (let k: i32 = 0; k < lanes; k++) {
      const e = eps + <usize>k * laneBytes;
      const first = <usize>((g * 4 + k) * BLOCK) << 3;
      for (let a: i32 = 0; a < nA; a++) {
        const c0 = f64x2.splat(f64.load(coef + (<usize>a << 3)));
        const row = chol + (<usize>(a * nA) << 3);
        const ca = f64x2.splat(f64.load(row + (<usize>a << 3)));
        const eA = e + (<usize>(a * BLOCK) << 3);
        const lr = logReturn + (<usize>(a * stride) << 3) + first;
        const sp = spot + (<usize>(a * stride) << 3) + first;
        const ls = logSpot + (<usize>(a * stride) << 3) + first;
        // The off-diagonal terms the JavaScript adds (b < a, in b order, zero coefficients
        // skipped): up to two, with their coefficients and normals' rows read once per block; more
        // (a fourth asset on) in the general loop.
        let terms = 0;
        let e1: usize = 0;
        let e2: usize = 0;
        let k1 = f64x2.splat(0.0);
        let k2 = f64x2.splat(0.0);
        for (let b: i32 = 0; b < a; b++) {
          const cb = f64.load(row + (<usize>b << 3));
          if (cb == 0.0) continue;
          const eb = e + (<usize>(b * BLOCK) << 3);
          if (terms == 0) {
            e1 = eb;
            k1 = f64x2.splat(cb);
          } else if (terms == 1) {
            e2 = eb;
            k2 = f64x2.splat(cb);
          }
          terms++;
        }
        const end = <usize>(BLOCK << 3);
        if (terms == 0) {
          for (let p: usize = 0; p < end; p += 16)
            advance(f64x2.add(c0, f64x2.mul(ca, v128.load(eA + p))), lr + p, sp + p, ls + p, carry);
        } else if (terms == 1) {
          for (let p: usize = 0; p < end; p += 16) {
            const x = f64x2.add(c0, f64x2.mul(ca, v128.load(eA + p)));
            advance(f64x2.add(x, f64x2.mul(k1, v128.load(e1 + p))), lr + p, sp + p, ls + p, carry);
          }
        } else if (terms == 2) {
          for (let p: usize = 0; p < end; p += 16) {
            let x = f64x2.add(c0, f64x2.mul(ca, v128.load(eA + p)));
            x = f64x2.add(x, f64x2.mul(k1, v128.load(e1 + p)));
            advance(f64x2.add(x, f64x2.mul(k2, v128.load(e2 + p))), lr + p, sp + p, ls + p, carry);
          }
        } else {
          for (let p: usize = 0; p < end; p += 16) {
            let x = f64x2.add(c0, f64x2.mul(ca, v128.load(eA + p)));
            for (let b: i32 = 0; b < a; b++) {
              const cb = f64.load(row + (<usize>b << 3));
              if (cb == 0.0) continue;
              x = f64x2.add(x, f64x2.mul(f64x2.splat(cb), v128.load(e + (<usize>(b * BLOCK) << 3) + p)));
            }
            advance(x, lr + p, sp + p, ls + p, carry);
          }
        }
      }
    }
  }
}

// The vol-target overlay's step, also in this module: when the market is this GBM state, the
// overlay's arrays live in the same memory (an arena after the state) and its step reads the sleeve's
// log returns and spots in place, without copies (src/wasm/vt-kernel.ts).
export { step as vtStep } from './vt-kernel';

// The executor's asset trades and the accrual and mark of an asset book, also in this module: a book
// whose arena is this memory's guest (src/wasm/exec-kernel.ts) reads the market's spots in place.
export { accrueCash, accrueMark3, countNonZero, cushion3, hedgeUnits, tradeAssets } from './exec-kernel';
