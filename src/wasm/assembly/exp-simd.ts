// AssemblyScript: Tang's table-driven e^x (src/core/fast-exp.ts) on two lanes of f64x2, shared by the
// WebAssembly kernels (bs-kernel.ts, gbm-kernel.ts). Lane by lane it performs the same IEEE
// operations in the same order as `expFast`, so results are bit-identical; lanes outside (−708, 709)
// or NaN call the host's Math.exp, as `expFast` does. The loaders write the tables at TABLE_*.
// References: P. T. P. Tang, "Table-driven implementation of the exponential function in IEEE
// floating-point arithmetic", ACM TOMS 15 (1989) 144–157.

@external("env", "exp")
export declare function hostExp(x: f64): f64;

/** Byte offsets of the exp tables (shared by every kernel's memory layout). */
export const TABLE_TH: usize = 65536; // 64 doubles: 2^(j/64) high parts
export const TABLE_TL: usize = TABLE_TH + 512; // 64 doubles: low parts
export const TABLE_POW2: usize = TABLE_TL + 512; // 2200 doubles: 2^k, k = −1100 … 1099
/** First free byte after the exp tables. */
export const TABLES_END: usize = TABLE_POW2 + 17600;

/** 1.5·2^52: adding and subtracting it rounds to the nearest integer. */
export const SHIFT: f64 = 6755399441055744.0;

@inline
export function gather2(base: usize, i0: i32, i1: i32): v128 {
  return v128.load64_lane(base + (<usize>i1 << 3), v128.load64_zero(base + (<usize>i0 << 3)), 1);
}

/**
 * expFast (src/core/fast-exp.ts) on both lanes; lanes outside (−708, 709) or NaN take Math.exp.
 * Inlined: V8 does not inline WebAssembly calls, and a call spills every live vector around it
 * (all SIMD registers are caller-saved) — measured 6–9 % of the Black-Scholes kernel.
 */
@inline
export function expPair(x: v128): v128 {
  const inRange = v128.and(f64x2.gt(x, f64x2.splat(-708.0)), f64x2.lt(x, f64x2.splat(709.0)));
  const xs = v128.and(x, inRange); // 0 in lanes out of range: keeps the table indices in bounds
  const t = f64x2.add(f64x2.mul(xs, f64x2.splat(92.33248261689366)), f64x2.splat(SHIFT));
  const n = f64x2.sub(t, f64x2.splat(SHIFT));
  const r = f64x2.sub(
    f64x2.sub(xs, f64x2.mul(n, f64x2.splat(0.01083042469326756))),
    f64x2.mul(n, f64x2.splat(2.9815858269852933e-12)),
  );
  // n | 0 = the low word of t's bits (t = n + 1.5·2^52 holds n in its low mantissa bits).
  const n0 = <i32>i64x2.extract_lane(t, 0);
  const n1 = <i32>i64x2.extract_lane(t, 1);
  const r2 = f64x2.mul(r, r);
  const p = f64x2.add(
    r,
    f64x2.mul(
      r2,
      f64x2.add(
        f64x2.add(f64x2.splat(0.5), f64x2.mul(r, f64x2.splat(0.16666666666666666))),
        f64x2.mul(
          r2,
          f64x2.add(f64x2.splat(0.041666666666666664), f64x2.mul(r, f64x2.splat(0.008333333333333333))),
        ),
      ),
    ),
  );
  const th = gather2(TABLE_TH, n0 & 63, n1 & 63);
  const tl = gather2(TABLE_TL, n0 & 63, n1 & 63);
  const pw = gather2(TABLE_POW2, (n0 >> 6) + 1100, (n1 >> 6) + 1100);
  let e = f64x2.mul(pw, f64x2.add(th, f64x2.add(tl, f64x2.mul(th, p))));
  if (!i64x2.all_true(inRange)) {
    if (i64x2.extract_lane(inRange, 0) == 0) e = f64x2.replace_lane(e, 0, hostExp(f64x2.extract_lane(x, 0)));
    if (i64x2.extract_lane(inRange, 1) == 0) e = f64x2.replace_lane(e, 1, hostExp(f64x2.extract_lane(x, 1)));
  }
  return e;
}
