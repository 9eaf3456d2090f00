// AssemblyScript ports of the fdlibm functions behind V8's Math.exp, Math.log, Math.expm1 and
// Math.cbrt (V8 src/base/ieee754.cc, itself FreeBSD msun / fdlibm 5.3: e_exp.c, e_log.c, s_expm1.c,
// s_cbrt.c), statement by statement, so that every result is bit-identical to the JavaScript
// builtins (tested on millions of doubles in src/wasm/fdlibm.test.ts). AssemblyScript's own Math is
// musl's table-driven exp/log: correctly rounded more often, but not the same bits, so it must not
// be used where the WebAssembly kernels have to reproduce the JavaScript reference.
//
// Word access: fdlibm reads the high and low 32-bit words of a double; here `reinterpret<u64>` and
// shifts. Branch thresholds compare high words exactly as fdlibm does (signed or unsigned as there).
// The decimal constants are fdlibm's; the comments give their bit patterns.
//
// References: Sun Microsystems fdlibm 5.3 (1993–2004), http://www.netlib.org/fdlibm; FreeBSD
// lib/msun/src (s_cbrt.c rewritten by B. Evans, 2005–2012); V8 src/base/ieee754.cc (2016), which
// returns exp(1) = E exactly.

// ---------------------------------------------------------------- shared constants

const ln2_hi: f64 = 6.93147180369123816490e-1; // 0x3FE62E42 FEE00000
const ln2_lo: f64 = 1.90821492927058770002e-10; // 0x3DEA39EF 35793C76
const invln2: f64 = 1.44269504088896338700e0; // 0x3FF71547 652B82FE
const o_threshold: f64 = 7.09782712893383973096e2; // 0x40862E42 FEFA39EF
const huge: f64 = 1.0e300;

@inline
function highWord(x: f64): i32 {
  return <i32>(reinterpret<u64>(x) >> 32);
}

@inline
function lowWord(x: f64): u32 {
  return <u32>reinterpret<u64>(x);
}

/** The double with high word `hi` and low word `lo` (fdlibm's INSERT_WORDS). */
@inline
function fromWords(hi: u32, lo: u32): f64 {
  return reinterpret<f64>((<u64>hi << 32) | <u64>lo);
}

// ---------------------------------------------------------------- exp (e_exp.c)

const P1: f64 = 1.66666666666666019037e-1; // 0x3FC55555 5555553E
const P2: f64 = -2.77777777770155933842e-3; // 0xBF66C16C 16BEBD93
const P3: f64 = 6.61375632143793436117e-5; // 0x3F11566A AF25DE2C
const P4: f64 = -1.65339022054652515390e-6; // 0xBEBBBD41 C5D26BF1
const P5: f64 = 4.13813679705723846039e-8; // 0x3E663769 72BEA4D0
const u_threshold: f64 = -7.45133219101941108420e2; // 0xC0874910 D52D3051
const twom1000: f64 = 9.33263618503218878990e-302; // 2^-1000
const two1023: f64 = 8.988465674311579539e307; // 2^1023
const E: f64 = 2.718281828459045; // 0x4005BF0A 8B145769: V8 returns it for exp(1)

/**
 * fdlibm exp: x = k·ln2 + r, |r| ≤ ln2/2 (r = hi − lo), exp(r) = 1 + r + r·R1(r)/(2 − R1(r)) with
 * the degree-5 Remez polynomial P1…P5 in r², then scaled by 2^k. Error < 1 ulp.
 */
export function fdExp(x: f64): f64 {
  let hx = <u32>highWord(x);
  const xsb = <i32>(hx >> 31); // sign bit of x
  hx &= 0x7fffffff; // high word of |x|
  let hi: f64 = 0.0;
  let lo: f64 = 0.0;
  let k: i32 = 0;
  // filter out non-finite arguments and the over/underflow range
  if (hx >= 0x40862e42) {
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | lowWord(x)) != 0) return x + x; // NaN
      return xsb == 0 ? x : 0.0; // exp(±∞) = {∞, 0}
    }
    if (x > o_threshold) return huge * huge; // overflow
    if (x < u_threshold) return twom1000 * twom1000; // underflow
  }
  // argument reduction
  if (hx > 0x3fd62e42) {
    // |x| > ln2/2
    if (hx < 0x3ff0a2b2) {
      // and |x| < 1.5·ln2
      if (x == 1.0) return E;
      if (xsb == 0) {
        hi = x - ln2_hi;
        lo = ln2_lo;
        k = 1;
      } else {
        hi = x + ln2_hi;
        lo = -ln2_lo;
        k = -1;
      }
    } else {
      k = <i32>(invln2 * x + (xsb == 0 ? 0.5 : -0.5));
      const tk = <f64>k;
      hi = x - tk * ln2_hi; // t·ln2_hi is exact here
      lo = tk * ln2_lo;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    // |x| < 2^-28
    if (huge + x > 1.0) return 1.0 + x;
  }
  // x is now in the primary range
  const t = x * x;
  const twopk =
    k >= -1021 ? fromWords(<u32>(0x3ff00000 + (k << 20)), 0) : fromWords(<u32>(0x3ff00000 + ((k + 1000) << 20)), 0);
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k == 0) return 1.0 - ((x * c) / (c - 2.0) - x);
  const y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi);
  if (k >= -1021) {
    if (k == 1024) return y * 2.0 * two1023;
    return y * twopk;
  }
  return y * twopk * twom1000;
}

// ---------------------------------------------------------------- log (e_log.c)

const two54: f64 = 1.80143985094819840000e16; // 0x43500000 00000000
const Lg1: f64 = 6.666666666666735130e-1; // 3FE55555 55555593
const Lg2: f64 = 3.999999999940941908e-1; // 3FD99999 9997FA04
const Lg3: f64 = 2.857142874366239149e-1; // 3FD24924 94229359
const Lg4: f64 = 2.222219843214978396e-1; // 3FCC71C5 1D8E78AF
const Lg5: f64 = 1.818357216161805012e-1; // 3FC74664 96CB03DE
const Lg6: f64 = 1.531383769920937332e-1; // 3FC39A09 D078C69F
const Lg7: f64 = 1.479819860511658591e-1; // 3FC2F112 DF3E5244

/**
 * fdlibm log: x = 2^k·(1 + f), √2/2 < 1 + f < √2; with s = f/(2 + f), log(1 + f) = 2s + s·R(s²)
 * (Remez polynomial Lg1…Lg7), combined as k·ln2_hi + (f − (hfsq − (s(hfsq + R) + k·ln2_lo))).
 * Error < 1 ulp. log(±0) = −∞, log(x < 0) = NaN.
 */
export function fdLog(x: f64): f64 {
  let hx = highWord(x);
  const lx = lowWord(x);
  let k: i32 = 0;
  if (hx < 0x00100000) {
    // x < 2^-1022
    if (((hx & 0x7fffffff) | lx) == 0) return -Infinity; // log(±0) = −∞
    if (hx < 0) return NaN; // log(−#) = NaN
    k -= 54;
    x *= two54; // subnormal: scale up
    hx = highWord(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  let i = (hx + 0x95f64) & 0x100000;
  x = fromWords(<u32>(hx | (i ^ 0x3ff00000)), lowWord(x)); // normalise x or x/2
  k += i >> 20;
  const f = x - 1.0;
  if ((0x000fffff & (2 + hx)) < 3) {
    // −2^-20 ≤ f < 2^-20
    if (f == 0.0) {
      if (k == 0) return 0.0;
      const dk0 = <f64>k;
      return dk0 * ln2_hi + dk0 * ln2_lo;
    }
    const R0 = f * f * (0.5 - 0.33333333333333333 * f);
    if (k == 0) return f - R0;
    const dk1 = <f64>k;
    return dk1 * ln2_hi - ((R0 - dk1 * ln2_lo) - f);
  }
  const s = f / (2.0 + f);
  const dk = <f64>k;
  const z = s * s;
  i = hx - 0x6147a;
  const w = z * z;
  const j = 0x6b851 - hx;
  const t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
  const t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  i |= j;
  const R = t2 + t1;
  if (i > 0) {
    const hfsq = 0.5 * f * f;
    if (k == 0) return f - (hfsq - s * (hfsq + R));
    return dk * ln2_hi - ((hfsq - (s * (hfsq + R) + dk * ln2_lo)) - f);
  }
  if (k == 0) return f - s * (f - R);
  return dk * ln2_hi - ((s * (f - R) - dk * ln2_lo) - f);
}

// ---------------------------------------------------------------- expm1 (s_expm1.c)

// Q_n scaled by 2^n, for R1(2z) with z = x²/2.
const Q1: f64 = -3.33333333333331316428e-2; // BFA11111 111110F4
const Q2: f64 = 1.58730158725481460165e-3; // 3F5A01A0 19FE5585
const Q3: f64 = -7.93650757867487942473e-5; // BF14CE19 9EAADBB7
const Q4: f64 = 4.00821782732936239552e-6; // 3ED0CFCA 86E65239
const Q5: f64 = -2.01099218183624371326e-7; // BE8AFDB7 6E09C32D
const tiny: f64 = 1.0e-300;

/**
 * fdlibm expm1: x = k·ln2 + r with the reduction error c carried, expm1(r) from the rational form
 * r + r²/2 + r³/2·(3 − (R1 + R1·r/2))/(6 − r(3 − R1·r/2)) (Remez R1 in r², Q1…Q5), then scaled by
 * 2^k with the case split (i)–(vii) of the fdlibm notes. Error < 1 ulp.
 */
export function fdExpm1(x: f64): f64 {
  let hx = <u32>highWord(x);
  const xsb = hx & 0x80000000; // sign bit of x
  hx &= 0x7fffffff; // high word of |x|
  let hi: f64;
  let lo: f64;
  let c: f64 = 0.0;
  let k: i32;
  // filter out huge and non-finite arguments
  if (hx >= 0x4043687a) {
    // |x| ≥ 56·ln2
    if (hx >= 0x40862e42) {
      // |x| ≥ 709.78…
      if (hx >= 0x7ff00000) {
        if (((hx & 0xfffff) | lowWord(x)) != 0) return x + x; // NaN
        return xsb == 0 ? x : -1.0; // expm1(±∞) = {∞, −1}
      }
      if (x > o_threshold) return huge * huge; // overflow
    }
    if (xsb != 0) {
      // x < −56·ln2: −1 (inexact)
      if (x + tiny < 0.0) return tiny - 1.0;
    }
  }
  // argument reduction
  if (hx > 0x3fd62e42) {
    // |x| > ln2/2
    if (hx < 0x3ff0a2b2) {
      // and |x| < 1.5·ln2
      if (xsb == 0) {
        hi = x - ln2_hi;
        lo = ln2_lo;
        k = 1;
      } else {
        hi = x + ln2_hi;
        lo = -ln2_lo;
        k = -1;
      }
    } else {
      k = <i32>(invln2 * x + (xsb == 0 ? 0.5 : -0.5));
      const t0 = <f64>k;
      hi = x - t0 * ln2_hi; // t·ln2_hi is exact here
      lo = t0 * ln2_lo;
    }
    x = hi - lo;
    c = hi - x - lo;
  } else if (hx < 0x3c900000) {
    // |x| < 2^-54: x
    const t1 = huge + x;
    return x - (t1 - (huge + x));
  } else {
    k = 0;
  }
  // x is now in the primary range
  const hfx = 0.5 * x;
  const hxs = x * hfx;
  const r1 = 1.0 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
  let t = 3.0 - r1 * hfx;
  let e = hxs * ((r1 - t) / (6.0 - x * t));
  if (k == 0) return x - (x * e - hxs); // c is 0
  const twopk = fromWords(<u32>(0x3ff00000 + (k << 20)), 0); // 2^k
  e = x * (e - c) - c;
  e -= hxs;
  if (k == -1) return 0.5 * (x - e) - 0.5;
  if (k == 1) {
    if (x < -0.25) return -2.0 * (e - (x + 0.5));
    return 1.0 + 2.0 * (x - e);
  }
  let y: f64;
  if (k <= -2 || k > 56) {
    // exp(x) − 1 suffices
    y = 1.0 - (e - x);
    if (k == 1024) y = y * 2.0 * 8.98846567431158e307;
    else y = y * twopk;
    return y - 1.0;
  }
  if (k < 20) {
    t = fromWords(<u32>(0x3ff00000 - (0x200000 >> k)), 0); // 1 − 2^-k
    y = t - (e - x);
    y = y * twopk;
  } else {
    t = fromWords(<u32>((0x3ff - k) << 20), 0); // 2^-k
    y = x - (e + t);
    y += 1.0;
    y = y * twopk;
  }
  return y;
}

// ---------------------------------------------------------------- cbrt (s_cbrt.c, FreeBSD)

const B1: u32 = 715094163; // (1023 − 1023/3 − 0.03306235651)·2^20
const B2: u32 = 696219795; // (1023 − 1023/3 − 54/3 − 0.03306235651)·2^20
// |1/cbrt(x) − p(x)| < 2^-23.5
const C0: f64 = 1.87595182427177009643; // 0x3FFE03E6 0F61E692
const C1: f64 = -1.88497979543377169875; // 0xBFFE28E0 92F02420
const C2: f64 = 1.621429720105354466140; // 0x3FF9F160 4A49D6C2
const C3: f64 = -0.758397934778766047437; // 0xBFE844CB BEE751D9
const C4: f64 = 0.145996192886612446982; // 0x3FC2B000 D4E4EDD7

/**
 * FreeBSD's cbrt: a 5-bit estimate from the exponent bits (integer division by 3), a degree-4
 * polynomial in t³/x to 23 bits, t rounded away from zero to 23 bits, then one Newton step to
 * 53 bits (error < 0.667 ulp). cbrt(±0) = ±0, cbrt(NaN/±∞) = itself.
 */
export function fdCbrt(x: f64): f64 {
  let hx = <u32>highWord(x);
  const low = lowWord(x);
  const sign = hx & 0x80000000;
  hx ^= sign;
  if (hx >= 0x7ff00000) return x + x; // cbrt(NaN, ∞) is itself
  let t: f64;
  if (hx < 0x00100000) {
    // zero or subnormal
    if ((hx | low) == 0) return x; // cbrt(±0) is itself
    t = fromWords(0x43500000, 0) * x; // 2^54·x
    const high = <u32>highWord(t);
    t = fromWords(sign | ((high & 0x7fffffff) / 3 + B2), 0);
  } else {
    t = fromWords(sign | (hx / 3 + B1), 0);
  }
  // cbrt(x) = t·cbrt(x/t³) ≈ t·P(t³/x), to 23 bits
  let r = t * t * (t / x);
  t = t * ((C0 + r * (C1 + r * C2)) + r * r * r * (C3 + r * C4));
  // round t away from zero to 23 bits
  t = reinterpret<f64>((reinterpret<u64>(t) + 0x80000000) & 0xffffffffc0000000);
  // one Newton step to 53 bits
  const s = t * t; // exact
  r = x / s;
  const w = t + t; // exact
  r = (r - t) / (w + r); // r − t is exact
  return t + t * r;
}
