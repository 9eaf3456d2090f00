// AssemblyScript source of the WebAssembly SIMD (f64x2) Black-Scholes/Black-76 batch kernel.
// Compiled by `npm run build:wasm` (scripts/build-wasm.ts) into src/wasm/generated/bs-kernel.wasm.ts;
// not part of the tsc/biome project (AssemblyScript types: f64, i32, v128).
//
// It is `blackBatch` of src/pricing/black-scholes.ts, two options per step, lane by lane the SAME
// IEEE operations in the same order (no FMA, no reassociation; WebAssembly arithmetic is IEEE-754
// with round-to-nearest, like JavaScript's), so every output is bit-identical to the JavaScript
// kernel, which stays the reference (tests compare the two bit for bit):
//   - ln(S/K): fdlibm's __ieee754_log (Sun, 1993), the function V8's Math.log is: an f64x2 main
//     path here, the scalar port of ./fdlibm for the lanes off it;
//   - e^x: Tang's table-driven exp of src/core/fast-exp.ts, with the same tables (written by the
//     loader at TABLE_* offsets); outside (−708, 709) it calls the host's Math.exp as the JS does;
//   - Φ: the table-driven scaled Mills ratio of src/core/normal-fast.ts (same table);
//   - √, ÷: IEEE-754 correctly rounded in both.
// Data-dependent branches of the JavaScript become lane masks (both sides computed, one selected).
// References: Black & Scholes (1973); Merton (1973); Black (1976); Haug (2007) ch. 2;
// P. T. P. Tang, ACM TOMS 15 (1989) 144–157; fdlibm e_log.c (Sun Microsystems, 1993).

import { expPair, hostExp, SHIFT, TABLE_POW2 } from './exp-simd';
import { fdLog } from './fdlibm';

/** Memory layout shared with src/wasm/bs-kernel.ts (byte offsets). */
// TABLE_TH, TABLE_TL, TABLE_POW2 of exp-simd.ts (65536 … 84160), then:
const TABLE_MILLS: usize = TABLE_POW2 + 17600; // normal-fast TABLE, 11 doubles per bucket (+1 pad)

const INV_SQRT_2PI: f64 = 0.3989422804014327;
const T_MAX: f64 = 38.625;

// ---------------------------------------------------------------- ln: fdlibm, scalar and f64x2

const ln2_hi: f64 = 6.93147180369123816490e-1;
const ln2_lo: f64 = 1.90821492927058770002e-10;
const Lg1: f64 = 6.666666666666735130e-1;
const Lg2: f64 = 3.999999999940941908e-1;
const Lg3: f64 = 2.857142874366239149e-1;
const Lg4: f64 = 2.222219843214978396e-1;
const Lg5: f64 = 1.818357216161805012e-1;
const Lg6: f64 = 1.531383769920937332e-1;
const Lg7: f64 = 1.479819860511658591e-1;

/** Both lanes of fdlibm's log: the main path in f64x2, lanes off it (|f| < 2^-20, x ≤ 0, subnormal,
 * ∞, NaN) by the scalar port. */
@inline
function logPair(x: v128): v128 {
  // High words by a logical shift (native on x64, unlike the arithmetic 64-bit one): a negative x
  // then reads ≥ 0x80000000 instead of < 0, which the test below sends to the scalar port as well.
  const hx = i64x2.shr_u(x, 32);
  // Off the main path: hx < 0x00100000 (incl. negative), hx ≥ 0x7ff00000, or (0xfffff & (2+hx)) < 3.
  const bad = v128.or(
    v128.or(i64x2.lt_s(hx, i64x2.splat(0x00100000)), i64x2.ge_s(hx, i64x2.splat(0x7ff00000))),
    i64x2.lt_s(v128.and(i64x2.add(hx, i64x2.splat(2)), i64x2.splat(0x000fffff)), i64x2.splat(3)),
  );
  if (v128.any_true(bad)) {
    return f64x2.replace_lane(
      f64x2.splat(fdLog(f64x2.extract_lane(x, 0))),
      1,
      fdLog(f64x2.extract_lane(x, 1)),
    );
  }
  let k = i64x2.sub(i64x2.shr_u(hx, 20), i64x2.splat(1023));
  const hm = v128.and(hx, i64x2.splat(0x000fffff));
  const ii = v128.and(i64x2.add(hm, i64x2.splat(0x95f64)), i64x2.splat(0x100000));
  const high = v128.or(hm, v128.xor(ii, i64x2.splat(0x3ff00000)));
  const xn = v128.or(i64x2.shl(high, 32), v128.and(x, i64x2.splat(0xffffffff)));
  k = i64x2.add(k, i64x2.shr_u(ii, 20));
  const one = f64x2.splat(1.0);
  const f = f64x2.sub(xn, one);
  const s = f64x2.div(f, f64x2.add(f64x2.splat(2.0), f));
  // dk = (double)k exactly: k + 1.5·2^52 as bits, minus 1.5·2^52.
  const dk = f64x2.sub(i64x2.add(f64x2.splat(SHIFT), k), f64x2.splat(SHIFT));
  const z = f64x2.mul(s, s);
  const w = f64x2.mul(z, z);
  const t1 = f64x2.mul(
    w,
    f64x2.add(f64x2.splat(Lg2), f64x2.mul(w, f64x2.add(f64x2.splat(Lg4), f64x2.mul(w, f64x2.splat(Lg6))))),
  );
  const t2 = f64x2.mul(
    z,
    f64x2.add(
      f64x2.splat(Lg1),
      f64x2.mul(
        w,
        f64x2.add(f64x2.splat(Lg3), f64x2.mul(w, f64x2.add(f64x2.splat(Lg5), f64x2.mul(w, f64x2.splat(Lg7))))),
      ),
    ),
  );
  const ij = v128.or(i64x2.sub(hm, i64x2.splat(0x6147a)), i64x2.sub(i64x2.splat(0x6b851), hm));
  const R = f64x2.add(t2, t1);
  const hfsq = f64x2.mul(f64x2.mul(f64x2.splat(0.5), f), f);
  const dkHi = f64x2.mul(dk, f64x2.splat(ln2_hi));
  const dkLo = f64x2.mul(dk, f64x2.splat(ln2_lo));
  // fdlibm's k ≠ 0 expressions serve k = 0 too, with the same bits: then dk·ln2_hi = dk·ln2_lo = +0,
  // x + 0 = x for the nonzero s·(hfsq + R), and 0 − ((A − B) − f) = f − (A − B) since round-to-nearest
  // is symmetric (both +0 when A − B = f); f ≠ 0 on this path. So no k = 0 variants and selects.
  // i > 0 branch
  const a = f64x2.sub(
    dkHi,
    f64x2.sub(f64x2.sub(hfsq, f64x2.add(f64x2.mul(s, f64x2.add(hfsq, R)), dkLo)), f),
  );
  // i ≤ 0 branch
  const b = f64x2.sub(dkHi, f64x2.sub(f64x2.sub(f64x2.mul(s, f64x2.sub(f, R)), dkLo), f));
  // i is a 32-bit int in fdlibm: both terms are small, so the 64-bit lanes hold the same value.
  return v128.bitselect(a, b, i64x2.gt_s(ij, i64x2.splat(0)));
}

// ---------------------------------------------------------------- Φ: normal-fast.ts in f64x2

/** normCdfFromGauss (src/core/normal-fast.ts) on both lanes. */
@inline
function cdfPair(x: v128, g: v128): v128 {
  const ax = f64x2.abs(x);
  const t = v128.bitselect(f64x2.splat(T_MAX), ax, f64x2.gt(ax, f64x2.splat(T_MAX)));
  // (t·16) | 0 for t in [0, 38.625]: floor, then the integer from the low bits of floor + 1.5·2^52.
  // A NaN lane reads bits of a NaN: the index is clamped into the table, and u is NaN anyway (as in JS).
  const kk = f64x2.add(f64x2.floor(f64x2.mul(t, f64x2.splat(16.0))), f64x2.splat(SHIFT));
  const p0 = TABLE_MILLS + <usize>(min<i32>(<i32>i64x2.extract_lane(kk, 0) & 1023, 618) * 88);
  const p1 = TABLE_MILLS + <usize>(min<i32>(<i32>i64x2.extract_lane(kk, 1) & 1023, 618) * 88);
  // Row j of both lanes: [c_j^0, c_{j+1}^0] and [c_j^1, c_{j+1}^1] → [c_j^0, c_j^1], [c_{j+1}^0, c_{j+1}^1].
  let a = v128.load(p0);
  let b = v128.load(p1);
  const c0 = f64x2.shuffle(a, b, 0, 2);
  const c1 = f64x2.shuffle(a, b, 1, 3);
  a = v128.load(p0, 16);
  b = v128.load(p1, 16);
  const c2 = f64x2.shuffle(a, b, 0, 2);
  const c3 = f64x2.shuffle(a, b, 1, 3);
  a = v128.load(p0, 32);
  b = v128.load(p1, 32);
  const c4 = f64x2.shuffle(a, b, 0, 2);
  const c5 = f64x2.shuffle(a, b, 1, 3);
  a = v128.load(p0, 48);
  b = v128.load(p1, 48);
  const c6 = f64x2.shuffle(a, b, 0, 2);
  const c7 = f64x2.shuffle(a, b, 1, 3);
  a = v128.load(p0, 64);
  b = v128.load(p1, 64);
  const c8 = f64x2.shuffle(a, b, 0, 2);
  const c9 = f64x2.shuffle(a, b, 1, 3);
  a = v128.load(p0, 80);
  b = v128.load(p1, 80);
  const c10 = f64x2.shuffle(a, b, 0, 2);
  const u = f64x2.sub(f64x2.mul(t, c0), c1);
  const u2 = f64x2.mul(u, u);
  const e = f64x2.add(
    f64x2.add(f64x2.add(c4, f64x2.mul(c5, u)), f64x2.mul(u2, f64x2.add(c6, f64x2.mul(c7, u)))),
    f64x2.mul(f64x2.mul(u2, u2), f64x2.add(f64x2.add(c8, f64x2.mul(c9, u)), f64x2.mul(u2, c10))),
  );
  const p = f64x2.mul(g, f64x2.add(c2, f64x2.add(f64x2.mul(u, e), c3)));
  const s = v128.and(f64x2.gt(x, f64x2.splat(0.0)), f64x2.splat(1.0));
  return f64x2.add(s, f64x2.mul(f64x2.sub(f64x2.splat(1.0), f64x2.mul(f64x2.splat(2.0), s)), p));
}

/**
 * The rounding error of hi = a·a (Dekker's product: a split into 26-bit halves by Veltkamp's
 * 2²⁷ + 1), so that a² = hi + lo exactly: the φ(d1) exponent's correction, as blackBatchJs
 * computes it.
 * References: T. J. Dekker, Numer. Math. 18 (1971) 224–242.
 */
@inline
function squareLow(a: v128, hi: v128): v128 {
  const c = f64x2.mul(f64x2.splat(134217729.0), a);
  const ah = f64x2.sub(c, f64x2.sub(c, a));
  const al = f64x2.sub(a, ah);
  return f64x2.add(
    f64x2.add(f64x2.sub(f64x2.mul(ah, ah), hi), f64x2.mul(f64x2.mul(f64x2.splat(2.0), ah), al)),
    f64x2.mul(al, al),
  );
}

// ---------------------------------------------------------------- the batch kernel

const ZERO: v128 = f64x2(0.0, 0.0);

@inline
function sel(mask: v128, a: v128, b: v128): v128 {
  return v128.bitselect(a, b, mask);
}

/**
 * blackBatch on `n` (even) options staged at `base`: inputs at base + 8·cap·k for k = spot, strike,
 * expiry, rate, vol, dividend (f64) and the signs as int8 at k = 6; outputs at `out` + 8·cap·k for
 * k = price, delta, gamma, vega, theta, rho, dividendRho, vanna, volga, charm, dualDelta, written
 * when bit k − 1 of `flags` is set. The price is always written unless bit 10 (NO_PRICE, 1024) is set
 * and no Greek that needs Φ(ωd2) or the price (theta, rho, dualDelta) is asked for: then neither
 * φ(d2) nor Φ(ωd2) is computed (a delta hedge's marks: Δ alone costs ≈ ¾ of price and Δ).
 * `lnS` ≠ 0: the address of n doubles ln S (the caller's log spot, e.g. a GBM path's); ln(S/K) is
 * then ln S − ln K, with fdlibm's ln K computed once per run of equal strikes (`blackBatchJs` with
 * `logSpot`), instead of a division and a logarithm per option.
 *
 * Loop fission: the options go in chunks of CH; each chunk runs five short loops (ln(S/K); discount
 * factors, d1, d2; the exponentials; the two Φ; price and Greeks) that pass their intermediates
 * through scratch rows kept in L1. One loop over the whole computation held more vectors than the
 * 16 SIMD registers (≈ 165 spill moves among ≈ 700 instructions per pair) and one long chain of
 * dependent divisions, logarithm, exponential and table lookups per pair, longer than the CPU's
 * reorder window, so consecutive pairs barely overlapped; each short loop's pairs are independent
 * and overlap. Same operations in the same order per lane: bit for bit the one-loop results.
 */
export function bsBatch(
  base: usize,
  out: usize,
  cap: i32,
  n: i32,
  flags: i32,
  black76: i32,
  hasQ: i32,
  lnS: usize,
): void {
  // Specialised copies for the common output sets (constant flags let the optimiser drop the dead
  // Greeks and shorten the live ranges of the vectors they would read).
  if (flags == 7) bsLoop(base, out, cap, n, 7, black76, hasQ, lnS);
  else if (flags == 1025) bsLoop(base, out, cap, n, 1025, black76, hasQ, lnS);
  else if (flags == 1) bsLoop(base, out, cap, n, 1, black76, hasQ, lnS);
  else if (flags == 0) bsLoop(base, out, cap, n, 0, black76, hasQ, lnS);
  else bsLoop(base, out, cap, n, flags, black76, hasQ, lnS);
}

// Scratch of the phases: after the loader's staging block (STAGE_OUT + 11·8·BLOCK = 491520 of the
// 524288-byte memory; src/wasm/bs-kernel.ts checks that the rows fit).
const SCRATCH: usize = 491520;
/** Options per chunk: every phase of a chunk runs before the next chunk (its scratch stays in L1). */
const CH: i32 = 128;
const CHB: usize = <usize>CH << 3;
// Scratch rows (CH doubles each).
const X_LN: usize = SCRATCH;
const X_D1: usize = SCRATCH + CHB;
const X_D2: usize = SCRATCH + 2 * CHB;
const X_SCF: usize = SCRATCH + 3 * CHB;
const X_KDF: usize = SCRATCH + 4 * CHB;
const X_LNFK: usize = SCRATCH + 5 * CHB;
const X_MAIN: usize = SCRATCH + 6 * CHB;
const X_ARG: usize = SCRATCH + 7 * CHB;
const X_LO: usize = SCRATCH + 8 * CHB;
const X_SMALL: usize = SCRATCH + 9 * CHB;
const X_E1: usize = SCRATCH + 10 * CHB;
const X_E2: usize = SCRATCH + 11 * CHB;
const X_N1: usize = SCRATCH + 12 * CHB;
const X_N2: usize = SCRATCH + 13 * CHB;
const X_DF: usize = SCRATCH + 14 * CHB;
const X_CF: usize = SCRATCH + 15 * CHB;
const X_SQT: usize = SCRATCH + 16 * CHB;
const X_SV: usize = SCRATCH + 17 * CHB;

@inline
function signPair(base: usize, stride: usize, i: i32): v128 {
  return f64x2.convert_low_i32x4_s(
    i32x4.extend_low_i16x8_s(i16x8.extend_low_i8x16_s(v128.load16_splat(base + 6 * stride + <usize>i))),
  );
}

/** `flags` bit: no price (see bsBatch). */
const NO_PRICE: i32 = 1024;
/** The Greeks that read Φ(ωd2) or the price: theta, rho, dualDelta. */
const NEEDS_D2: i32 = 8 | 16 | 512;

@inline
function bsLoop(
  base: usize,
  out: usize,
  cap: i32,
  n: i32,
  flags: i32,
  black76: i32,
  hasQ: i32,
  lnS: usize,
): void {
  const noPrice = (flags & NO_PRICE) != 0 && (flags & NEEDS_D2) == 0;
  // Δ alone (a delta hedge's marks): phase 2 skips the scratch rows only the price and the other
  // Greeks read.
  const deltaOnly = noPrice && (flags & ~NO_PRICE) == 1;
  const stride = <usize>cap << 3;
  const nan = f64x2.splat(NaN);
  const one = f64x2.splat(1.0);
  const b76 = black76 != 0;
  let cT = nan;
  let cR = nan;
  let cQ = nan;
  let cDf = one;
  let cCf = one;
  let cSqT = one;
  let cK = nan;
  let cLnK = nan;
  for (let c0 = 0; c0 < n; c0 += CH) {
    const m = min<i32>(CH, n - c0);
    const cb = base + (<usize>c0 << 3);
    const co = out + (<usize>c0 << 3);
    // Phase 1: ln(S/K), or ln S − ln K from the caller's ln S with ln K once per run of equal strikes.
    if (lnS != 0) {
      const cl = lnS + (<usize>c0 << 3);
      for (let i = 0; i < m; i += 2) {
        const o = <usize>i << 3;
        const K = v128.load(cb + stride + o);
        if (!i64x2.all_true(f64x2.eq(K, cK))) {
          cK = K;
          cLnK = logPair(K);
        }
        v128.store(X_LN + o, f64x2.sub(v128.load(cl + o), cLnK));
      }
    } else {
      for (let i = 0; i < m; i += 2) {
        const o = <usize>i << 3;
        v128.store(X_LN + o, logPair(f64x2.div(v128.load(cb + o), v128.load(cb + stride + o))));
      }
    }
    // Phase 2: discount factors, d1, d2 and the exp argument.
    for (let i = 0; i < m; i += 2) {
      const o = <usize>i << 3;
      const S = v128.load(cb + o);
      const K = v128.load(cb + stride + o);
      const T = v128.load(cb + 2 * stride + o);
      const r = v128.load(cb + 3 * stride + o);
      const sigma = v128.load(cb + 4 * stride + o);
      const q = hasQ != 0 && !b76 ? v128.load(cb + 5 * stride + o) : ZERO;
      const b = b76 ? ZERO : f64x2.sub(r, q);
      if (!i64x2.all_true(v128.and(v128.and(f64x2.eq(T, cT), f64x2.eq(r, cR)), f64x2.eq(q, cQ)))) {
        cT = T;
        cR = r;
        cQ = q;
        cDf = sel(f64x2.eq(r, ZERO), one, expPair(f64x2.mul(f64x2.neg(r), T)));
        const q0 = f64x2.eq(q, ZERO);
        cCf = b76 ? cDf : i64x2.all_true(q0) ? one : sel(q0, one, expPair(f64x2.mul(f64x2.neg(q), T)));
        cSqT = f64x2.sqrt(T);
      }
      const sv = f64x2.mul(sigma, cSqT);
      const Scf = f64x2.mul(S, cCf);
      const Kdf = f64x2.mul(K, cDf);
      const lnFK = f64x2.add(v128.load(X_LN + o), f64x2.mul(b, T));
      const z = f64x2.div(lnFK, sv);
      const main = v128.and(f64x2.gt(sv, ZERO), f64x2.lt(f64x2.abs(z), f64x2.splat(1e300)));
      const d1m = f64x2.add(z, f64x2.mul(f64x2.splat(0.5), sv));
      const d2m = f64x2.sub(d1m, sv);
      const a1 = f64x2.abs(d1m);
      const small = f64x2.lt(a1, f64x2.splat(40.0));
      const hi = f64x2.mul(a1, a1);
      const lo = squareLow(a1, hi);
      v128.store(X_D1 + o, d1m);
      v128.store(X_LNFK + o, lnFK);
      v128.store(X_MAIN + o, main);
      v128.store(X_ARG + o, v128.and(f64x2.mul(f64x2.splat(-0.5), hi), small));
      v128.store(X_LO + o, lo);
      v128.store(X_SMALL + o, small);
      v128.store(X_CF + o, cCf);
      if (deltaOnly) continue;
      v128.store(X_D2 + o, d2m);
      v128.store(X_SCF + o, Scf);
      v128.store(X_KDF + o, Kdf);
      v128.store(X_DF + o, cDf);
      v128.store(X_SQT + o, cSqT);
      v128.store(X_SV + o, sv);
    }
    // Phase 3: φ-scaled exponentials e1 = e^{−d1²/2}, e2 = e1·S·cf/(K·df).
    for (let i = 0; i < m; i += 2) {
      const o = <usize>i << 3;
      const small = v128.load(X_SMALL + o);
      const ex = expPair(v128.load(X_ARG + o));
      const e1 = v128.and(f64x2.mul(ex, f64x2.sub(one, f64x2.mul(f64x2.splat(0.5), v128.load(X_LO + o)))), small);
      if (noPrice) {
        v128.store(X_E1 + o, e1);
        continue;
      }
      let e2 = f64x2.div(f64x2.mul(e1, v128.load(X_SCF + o)), v128.load(X_KDF + o));
      const e2ok = v128.and(f64x2.gt(e1, ZERO), f64x2.le(e2, one));
      const need = v128.andnot(v128.load(X_MAIN + o), e2ok);
      if (v128.any_true(need)) {
        const d2m = v128.load(X_D2 + o);
        if (i64x2.extract_lane(need, 0) != 0) {
          const d = f64x2.extract_lane(d2m, 0);
          e2 = f64x2.replace_lane(e2, 0, hostExp(-0.5 * d * d));
        }
        if (i64x2.extract_lane(need, 1) != 0) {
          const d = f64x2.extract_lane(d2m, 1);
          e2 = f64x2.replace_lane(e2, 1, hostExp(-0.5 * d * d));
        }
      }
      v128.store(X_E1 + o, e1);
      v128.store(X_E2 + o, e2);
    }
    // Phase 4: Φ(ω·d1), Φ(ω·d2).
    for (let i = 0; i < m; i += 2) {
      const o = <usize>i << 3;
      const w = signPair(base, stride, c0 + i);
      v128.store(X_N1 + o, cdfPair(f64x2.mul(w, v128.load(X_D1 + o)), v128.load(X_E1 + o)));
      if (noPrice) continue;
      v128.store(X_N2 + o, cdfPair(f64x2.mul(w, v128.load(X_D2 + o)), v128.load(X_E2 + o)));
    }
    // Phase 5: price and Greeks.
    for (let i = 0; i < m; i += 2) {
      const o = <usize>i << 3;
      const S = v128.load(cb + o);
      const K = v128.load(cb + stride + o);
      const T = v128.load(cb + 2 * stride + o);
      const r = v128.load(cb + 3 * stride + o);
      const sigma = v128.load(cb + 4 * stride + o);
      const q = hasQ != 0 && !b76 ? v128.load(cb + 5 * stride + o) : ZERO;
      const w = signPair(base, stride, c0 + i);
      const valid = v128.and(
        v128.and(
          v128.and(f64x2.gt(S, ZERO), f64x2.gt(K, ZERO)),
          v128.and(f64x2.gt(T, ZERO), f64x2.ge(sigma, ZERO)),
        ),
        v128.and(
          v128.and(f64x2.eq(r, r), f64x2.eq(q, q)),
          v128.or(f64x2.eq(w, one), f64x2.eq(w, f64x2.splat(-1.0))),
        ),
      );
      const b = b76 ? ZERO : f64x2.sub(r, q);
      const main = v128.load(X_MAIN + o);
      const lnFK = v128.load(X_LNFK + o);
      const mm = sel(
        f64x2.eq(lnFK, ZERO),
        f64x2.splat(0.5),
        v128.and(f64x2.gt(f64x2.mul(w, lnFK), ZERO), one),
      );
      const Nd1 = sel(main, v128.load(X_N1 + o), mm);
      // Without the price (noPrice) Nd2 and p are never read: NEEDS_D2 is off.
      let Nd2 = ZERO;
      let p = ZERO;
      if (deltaOnly) {
        v128.store(co + stride + o, sel(valid, f64x2.mul(f64x2.mul(w, v128.load(X_CF + o)), Nd1), nan));
        continue;
      }
      const Scf = v128.load(X_SCF + o);
      const Kdf = v128.load(X_KDF + o);
      if (!noPrice) {
        Nd2 = sel(main, v128.load(X_N2 + o), mm);
        p = f64x2.mul(w, f64x2.sub(f64x2.mul(Scf, Nd1), f64x2.mul(Kdf, Nd2)));
        const lower = f64x2.mul(w, f64x2.sub(Scf, Kdf));
        p = sel(f64x2.lt(p, lower), lower, p);
        p = v128.andnot(p, f64x2.le(p, ZERO));
        v128.store(co + o, sel(valid, p, nan));
      }
      if ((flags & ~NO_PRICE) == 0) continue;
      const cf = v128.load(X_CF + o);
      const n1 = v128.and(f64x2.mul(v128.load(X_E1 + o), f64x2.splat(INV_SQRT_2PI)), main);
      const n1zero = f64x2.eq(n1, ZERO);
      if (flags & 1) v128.store(co + stride + o, sel(valid, f64x2.mul(f64x2.mul(w, cf), Nd1), nan));
      const sv = v128.load(X_SV + o);
      if (flags & 2) {
        const g = f64x2.div(f64x2.mul(cf, n1), f64x2.mul(S, sv));
        v128.store(co + 2 * stride + o, sel(valid, v128.andnot(g, n1zero), nan));
      }
      const sqT = v128.load(X_SQT + o);
      const nu = f64x2.mul(f64x2.mul(Scf, n1), sqT);
      if (flags & 4) v128.store(co + 3 * stride + o, sel(valid, nu, nan));
      if ((flags & ~NO_PRICE) < 8) continue;
      const df = v128.load(X_DF + o);
      const d1 = v128.and(v128.load(X_D1 + o), main);
      const d2 = v128.and(v128.load(X_D2 + o), main);
      const wbr = f64x2.mul(w, f64x2.sub(b, r));
      if (flags & 8) {
        const th0 = v128.andnot(
          f64x2.div(f64x2.mul(f64x2.mul(f64x2.neg(Scf), n1), sigma), f64x2.mul(f64x2.splat(2.0), sqT)),
          n1zero,
        );
        const th = f64x2.sub(
          f64x2.sub(th0, f64x2.mul(f64x2.mul(wbr, Scf), Nd1)),
          f64x2.mul(f64x2.mul(f64x2.mul(w, r), Kdf), Nd2),
        );
        v128.store(co + 4 * stride + o, sel(valid, th, nan));
      }
      if (flags & 16) {
        const rh = b76 ? f64x2.mul(f64x2.neg(T), p) : f64x2.mul(f64x2.mul(f64x2.mul(w, T), Kdf), Nd2);
        v128.store(co + 5 * stride + o, sel(valid, rh, nan));
      }
      if (flags & 32) {
        const dr = b76 ? ZERO : f64x2.mul(f64x2.mul(f64x2.mul(f64x2.neg(w), T), Scf), Nd1);
        v128.store(co + 6 * stride + o, sel(valid, dr, nan));
      }
      if (flags & 64) {
        const va = f64x2.div(f64x2.mul(f64x2.mul(f64x2.neg(cf), n1), d2), sigma);
        v128.store(co + 7 * stride + o, sel(valid, v128.andnot(va, n1zero), nan));
      }
      if (flags & 128) {
        const vo = f64x2.div(f64x2.mul(f64x2.mul(nu, d1), d2), sigma);
        v128.store(co + 8 * stride + o, sel(valid, v128.andnot(vo, n1zero), nan));
      }
      if (flags & 256) {
        const inner = v128.andnot(
          f64x2.mul(
            f64x2.mul(cf, n1),
            f64x2.sub(f64x2.div(b, sv), f64x2.div(d2, f64x2.mul(f64x2.splat(2.0), T))),
          ),
          n1zero,
        );
        const ch = f64x2.neg(f64x2.add(f64x2.mul(f64x2.mul(wbr, cf), Nd1), inner));
        v128.store(co + 9 * stride + o, sel(valid, ch, nan));
      }
      if (flags & 512) {
        const dd = f64x2.mul(f64x2.mul(f64x2.neg(w), df), Nd2);
        v128.store(co + 10 * stride + o, sel(valid, dd, nan));
      }
    }
  }
}

/** The f64x2 log of the kernel on `n` (even) doubles at `at`, in place; exported for the tests. */
export function lnPairs(at: usize, n: i32): void {
  for (let i = 0; i < n; i += 2) {
    const o = at + (<usize>i << 3);
    v128.store(o, logPair(v128.load(o)));
  }
}

/** Scalar fdlibm log, exported for the tests (bit-identical to V8's Math.log). */
export function ln(x: f64): f64 {
  return fdLog(x);
}

/**
 * Δ of one European contract on `n` (even) spots: every input but the spot (and ln S) is the same,
 * the scalars `K`, `T`, `r`, `sigma`, `q`, `w` (±1). It is bsBatch with flags 1025 (Δ alone, no
 * price) on a batch whose strike, expiry, rate, vol, dividend and sign rows each hold one value, lane
 * by lane the same IEEE operations in the same order, so the bits are those of bsBatch and of the
 * JavaScript kernel (tested): the per-run quantities (ln K, the carry factor, σ√T, (r − q)·T, the
 * validity of the non-spot inputs) are computed once, and per chunk three short loops (d1 and the
 * exp argument; the exponential; Φ and Δ) do the rest — measured 8.9 against bsBatch's 11.0 ns per
 * option (one fused loop: 11.9). A delta hedge's marks: one option line, the same strike and expiry
 * on every path. Where a bsBatch lane is invalid (a non-spot input, or S ≤ 0) this one is too: NaN.
 * Spots at `sAt`, ln S at `lnSAt` (0: ln(S/K) from S/K), Δ to `out`.
 * References: Haug (2007) §2.1 (generalized BSM Δ = ω·e^{(b−r)T}·Φ(ω·d1)); Black (1976).
 */
export function bsDeltaRun(
  sAt: usize,
  lnSAt: usize,
  out: usize,
  n: i32,
  K: f64,
  T: f64,
  r: f64,
  sigma: f64,
  q: f64,
  w: f64,
  black76: i32,
): void {
  const b76 = black76 != 0;
  const nan = f64x2.splat(NaN);
  const one = f64x2.splat(1.0);
  const Kv = f64x2.splat(K);
  const Tv = f64x2.splat(T);
  const rv = f64x2.splat(r);
  const qv = b76 ? ZERO : f64x2.splat(q);
  const wv = f64x2.splat(w);
  const sigv = f64x2.splat(sigma);
  // The non-spot half of bsLoop's `valid`; the spot half (S > 0) is per option.
  const validRun = v128.and(
    v128.and(v128.and(f64x2.gt(Kv, ZERO), f64x2.gt(Tv, ZERO)), f64x2.ge(sigv, ZERO)),
    v128.and(
      v128.and(f64x2.eq(rv, rv), f64x2.eq(qv, qv)),
      v128.or(f64x2.eq(wv, one), f64x2.eq(wv, f64x2.splat(-1.0))),
    ),
  );
  const bv = b76 ? ZERO : f64x2.sub(rv, qv);
  const df = sel(f64x2.eq(rv, ZERO), one, expPair(f64x2.mul(f64x2.neg(rv), Tv)));
  const q0 = f64x2.eq(qv, ZERO);
  const cf = b76 ? df : i64x2.all_true(q0) ? one : sel(q0, one, expPair(f64x2.mul(f64x2.neg(qv), Tv)));
  const sv = f64x2.mul(sigv, f64x2.sqrt(Tv));
  const bT = f64x2.mul(bv, Tv);
  const halfSv = f64x2.mul(f64x2.splat(0.5), sv);
  const svPos = f64x2.gt(sv, ZERO);
  const wcf = f64x2.mul(wv, cf);
  const lnK = lnSAt != 0 ? logPair(Kv) : ZERO;
  for (let c0 = 0; c0 < n; c0 += CH) {
    const m = min<i32>(CH, n - c0);
    const cs = sAt + (<usize>c0 << 3);
    const cl = lnSAt + (<usize>c0 << 3);
    const co = out + (<usize>c0 << 3);
    // d1, the exp argument −d1²/2 (hi part) and its low part: bsLoop's phases 1 and 2.
    for (let i = 0; i < m; i += 2) {
      const o = <usize>i << 3;
      const x = lnSAt != 0 ? f64x2.sub(v128.load(cl + o), lnK) : logPair(f64x2.div(v128.load(cs + o), Kv));
      const lnFK = f64x2.add(x, bT);
      const z = f64x2.div(lnFK, sv);
      const d1m = f64x2.add(z, halfSv);
      const a1 = f64x2.abs(d1m);
      const small = f64x2.lt(a1, f64x2.splat(40.0));
      const hi = f64x2.mul(a1, a1);
      const lo = squareLow(a1, hi);
      const main = v128.and(svPos, f64x2.lt(f64x2.abs(z), f64x2.splat(1e300)));
      const valid = v128.and(validRun, f64x2.gt(v128.load(cs + o), ZERO));
      // Outside the main path Δ is ω·cf·(0, ½ or 1) (ln(F/K) < 0, = 0, > 0), NaN when invalid.
      const mm = sel(
        f64x2.eq(lnFK, ZERO),
        f64x2.splat(0.5),
        v128.and(f64x2.gt(f64x2.mul(wv, lnFK), ZERO), one),
      );
      v128.store(X_D1 + o, d1m);
      // Δ = ω·cf·Φ(ω·d1) where both hold (X_MAIN), else the fallback (X_CF): ω·cf·mm, or NaN.
      v128.store(X_MAIN + o, v128.and(valid, main));
      v128.store(X_CF + o, sel(valid, f64x2.mul(wcf, mm), nan));
      v128.store(X_ARG + o, v128.and(f64x2.mul(f64x2.splat(-0.5), hi), small));
      v128.store(X_LO + o, v128.and(f64x2.sub(one, f64x2.mul(f64x2.splat(0.5), lo)), small));
    }
    // e1 = e^{−d1²/2}: bsLoop's phase 3. bsLoop masks e^{arg}·(1 − lo/2) with `small`; here the
    // factor (1 − lo/2) is masked instead: off `small` the argument is +0, so e^{arg} = 1 and
    // 1·(+0) = +0, the masked value.
    for (let i = 0; i < m; i += 2) {
      const o = <usize>i << 3;
      v128.store(X_E1 + o, f64x2.mul(expPair(v128.load(X_ARG + o)), v128.load(X_LO + o)));
    }
    // Φ(ω·d1) and Δ: phases 4 and 5.
    for (let i = 0; i < m; i += 2) {
      const o = <usize>i << 3;
      const n1 = cdfPair(f64x2.mul(wv, v128.load(X_D1 + o)), v128.load(X_E1 + o));
      v128.store(co + o, sel(v128.load(X_MAIN + o), f64x2.mul(wcf, n1), v128.load(X_CF + o)));
    }
  }
}
