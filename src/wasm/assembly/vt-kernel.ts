// AssemblyScript source of the WebAssembly SIMD step of the volatility-targeting overlay for its
// common case — one sleeve weight over 3 assets, forecast from the EWMA covariance, no report
// bookkeeping: `fusedSleeve3Lean` of src/strategies/overlays/vol-target.ts with kind 0, two paths per
// f64x2 step. Compiled by `npm run build:wasm` into src/wasm/generated/vt-kernel.wasm.ts.
//
// Lane by lane it performs the same IEEE operations in the same order as the JavaScript (which stays
// the reference; tests compare the two bit for bit); data-dependent branches become lane selects
// (both sides computed, one kept — every store writes either the new value or the value already
// there):
//   - stepCovariance: Σ ← λΣ + (1−λ)/Δ · x xᵀ per pair, an entry whose update is not finite kept;
//   - covarianceForecast: σ̂² = hᵀΣh / (Σh)², h = the inner's units at today's prices (c if Σh = 0);
//   - the lagged weight w* = σ⁎/σ̂ (or σ⁎²/σ̂²) clamped to [lo, hi], taken outside the band;
//   - the scaled unit targets w·base.
// References: RiskMetrics Technical Document (1996) §5.2 (EWMA covariance); Moreira & Muir (2017);
// Harvey, Hoyle, Korgaonkar, Rattray, Sargaison & Van Hemert (2018), "The impact of volatility targeting".

// Pointers and scalars of one step, written by the loader in a parameter block at `params` (i32 slots
// from params, f64 slots from params + 256; 384 bytes).
// i32 slots
const P_N = 0; // paths (even)
const P_DO_COV = 1; // 1 when step > 0
const P_RING = 2; // 1 when lag > 1
const P_WR = 3; // ring write offset (elements)
const P_RD = 4; // ring read offset (elements)
const P_PRE = 5; // the band pre-test applies (by vol, step > 0)
const P_BY_VAR = 6;
const P_FIRST = 7; // step 0
const P_ALL = 30; // 3 slots: every path of sleeve asset k has a target
const P_PTR = 8; // 21 pointers follow: r0 r1 r2 s0 s1 s2 b0 b1 b2 o0 o1 o2 h0 h1 h2 g0 g1 g2 w v cov; then lagged
// f64 slots (from params + 256)
const F: usize = 256;
const F_LAMBDA = 0;
const F_CW = 1;
const F_C0 = 2;
const F_C1 = 3;
const F_C2 = 4;
const F_TGT = 5;
const F_TGT2 = 6;
const F_BAND = 7;
const F_LO = 8;
const F_HI = 9;

/** First byte the loader may use for the arrays. */
export const FREE: usize = 65536;

@inline
function pi(params: usize, k: i32): i32 {
  return i32.load(params + (<usize>k << 2));
}

@inline
function ptr(params: usize, k: i32): usize {
  return <usize>i32.load(params + (<usize>(P_PTR + k) << 2));
}

@inline
function pf(params: usize, k: i32): f64 {
  return f64.load(params + F + (<usize>k << 3));
}

/** `x − x == 0` per lane: finite. */
@inline
function finite(x: v128): v128 {
  return f64x2.eq(f64x2.sub(x, x), f64x2.splat(0.0));
}

/** Lane mask (all ones where has[p] ≠ 0) from two bytes. */
@inline
function byteMask(at: usize): v128 {
  const lo = <i64>(load<u8>(at) != 0);
  const hi = <i64>(load<u8>(at, 1) != 0);
  return i64x2.replace_lane(i64x2.splat(-lo), 1, -hi);
}

/**
 * base ← out where has; out ← w·base where has, or where it differs from the holding (has ← 1 there).
 * `all`: every path has a target (the loader checked): base ← out, out ← w·out.
 */
@inline
function scale(w: v128, base: usize, out: usize, held: usize, has: usize, o: usize, p: usize, all: bool): void {
  if (all) {
    const b = v128.load(out + o);
    v128.store(base + o, b);
    v128.store(out + o, f64x2.mul(w, b));
    return;
  }
  const g = byteMask(has + p);
  const outV = v128.load(out + o);
  const b = v128.bitselect(outV, v128.load(base + o), g);
  v128.store(base + o, b);
  const y = f64x2.mul(w, b);
  const moved = v128.andnot(f64x2.ne(y, v128.load(held + o)), g); // untargeted, w·base ≠ holding
  v128.store(out + o, v128.bitselect(y, outV, v128.or(g, moved)));
  if (i64x2.extract_lane(moved, 0) != 0) store<u8>(has + p, 1);
  if (i64x2.extract_lane(moved, 1) != 0) store<u8>(has + p, 1, 1);
}

/** One step of every path (n even), in place on the arrays of the parameter block at `params`. */
export function step(params: usize): void {
  const n = pi(params, P_N);
  const doCov = pi(params, P_DO_COV) != 0;
  const ring = pi(params, P_RING) != 0;
  const wr = <usize>pi(params, P_WR) << 3;
  const rd = <usize>pi(params, P_RD) << 3;
  const pre = pi(params, P_PRE) != 0;
  const byVar = pi(params, P_BY_VAR) != 0;
  const first = pi(params, P_FIRST) != 0;
  const all0 = pi(params, P_ALL) != 0;
  const all1 = pi(params, P_ALL + 1) != 0;
  const all2 = pi(params, P_ALL + 2) != 0;
  const r0 = ptr(params, 0);
  const r1 = ptr(params, 1);
  const r2 = ptr(params, 2);
  const s0 = ptr(params, 3);
  const s1 = ptr(params, 4);
  const s2 = ptr(params, 5);
  const b0 = ptr(params, 6);
  const b1 = ptr(params, 7);
  const b2 = ptr(params, 8);
  const o0 = ptr(params, 9);
  const o1 = ptr(params, 10);
  const o2 = ptr(params, 11);
  const h0p = ptr(params, 12);
  const h1p = ptr(params, 13);
  const h2p = ptr(params, 14);
  const g0 = ptr(params, 15);
  const g1 = ptr(params, 16);
  const g2 = ptr(params, 17);
  const wp = ptr(params, 18);
  const vp = ptr(params, 19);
  const cov = ptr(params, 20);
  const lagged = ptr(params, 21);
  const lambda = f64x2.splat(pf(params, F_LAMBDA));
  const cw = f64x2.splat(pf(params, F_CW));
  const c0s = pf(params, F_C0);
  const c1s = pf(params, F_C1);
  const c2s = pf(params, F_C2);
  const c0 = f64x2.splat(c0s);
  const c1 = f64x2.splat(c1s);
  const c2 = f64x2.splat(c2s);
  const tgt = f64x2.splat(pf(params, F_TGT));
  const tgt2 = f64x2.splat(pf(params, F_TGT2));
  const band = f64x2.splat(pf(params, F_BAND));
  const negBand = f64x2.neg(band);
  const lo = f64x2.splat(pf(params, F_LO));
  const hi = f64x2.splat(pf(params, F_HI));
  const zero = f64x2.splat(0.0);
  const two = f64x2.splat(2.0);
  const upTol = f64x2.splat(1 - 1e-9);
  const dnTol = f64x2.splat(1 + 1e-9);
  const inf = f64x2.splat(Infinity);
  for (let p: usize = 0; p < <usize>n; p += 2) {
    const o = p << 3;
    if (doCov) {
      const x0 = v128.load(r0 + o);
      const x1 = v128.load(r1 + o);
      const x2 = v128.load(r2 + o);
      const c = cov + p * 48; // path p's six pairs, then path p+1's
      // path p's six pairs then path p+1's, 96 contiguous bytes: six loads, then shuffles into
      // (p, p+1) lanes per pair (and back for the stores)
      const A0 = v128.load(c);
      const A1 = v128.load(c, 16);
      const A2 = v128.load(c, 32);
      const B0 = v128.load(c, 48);
      const B1 = v128.load(c, 64);
      const B2 = v128.load(c, 80);
      let e00 = i64x2.shuffle(A0, B0, 0, 2);
      let e01 = i64x2.shuffle(A0, B0, 1, 3);
      let e02 = i64x2.shuffle(A1, B1, 0, 2);
      let e11 = i64x2.shuffle(A1, B1, 1, 3);
      let e12 = i64x2.shuffle(A2, B2, 0, 2);
      let e22 = i64x2.shuffle(A2, B2, 1, 3);
      // y = λ·e + cw·x·x' (in that order), kept only where finite. The six are finite exactly
      // when their sum is: one test for the common case, per-entry selects otherwise.
      const y00 = f64x2.add(f64x2.mul(lambda, e00), f64x2.mul(f64x2.mul(cw, x0), x0));
      const y01 = f64x2.add(f64x2.mul(lambda, e01), f64x2.mul(f64x2.mul(cw, x0), x1));
      const y02 = f64x2.add(f64x2.mul(lambda, e02), f64x2.mul(f64x2.mul(cw, x0), x2));
      const y11 = f64x2.add(f64x2.mul(lambda, e11), f64x2.mul(f64x2.mul(cw, x1), x1));
      const y12 = f64x2.add(f64x2.mul(lambda, e12), f64x2.mul(f64x2.mul(cw, x1), x2));
      const y22 = f64x2.add(f64x2.mul(lambda, e22), f64x2.mul(f64x2.mul(cw, x2), x2));
      const ys = f64x2.add(f64x2.add(f64x2.add(y00, y01), f64x2.add(y02, y11)), f64x2.add(y12, y22));
      if (i64x2.all_true(finite(ys))) {
        e00 = y00;
        e01 = y01;
        e02 = y02;
        e11 = y11;
        e12 = y12;
        e22 = y22;
      } else {
        e00 = v128.bitselect(y00, e00, finite(y00));
        e01 = v128.bitselect(y01, e01, finite(y01));
        e02 = v128.bitselect(y02, e02, finite(y02));
        e11 = v128.bitselect(y11, e11, finite(y11));
        e12 = v128.bitselect(y12, e12, finite(y12));
        e22 = v128.bitselect(y22, e22, finite(y22));
      }
      v128.store(c, i64x2.shuffle(e00, e01, 0, 2));
      v128.store(c, i64x2.shuffle(e02, e11, 0, 2), 16);
      v128.store(c, i64x2.shuffle(e12, e22, 0, 2), 32);
      v128.store(c, i64x2.shuffle(e00, e01, 1, 3), 48);
      v128.store(c, i64x2.shuffle(e02, e11, 1, 3), 64);
      v128.store(c, i64x2.shuffle(e12, e22, 1, 3), 80);
      // h = base·spot; tot = ((0 + h0) + h1) + h2; h ← c where tot = 0
      let h0 = f64x2.mul(v128.load(b0 + o), v128.load(s0 + o));
      let h1 = f64x2.mul(v128.load(b1 + o), v128.load(s1 + o));
      let h2 = f64x2.mul(v128.load(b2 + o), v128.load(s2 + o));
      const tot = f64x2.add(f64x2.add(f64x2.add(zero, h0), h1), h2);
      const none = f64x2.eq(tot, zero);
      h0 = v128.bitselect(c0, h0, none);
      h1 = v128.bitselect(c1, h1, none);
      h2 = v128.bitselect(c2, h2, none);
      let sv = f64x2.add(zero, f64x2.mul(f64x2.mul(h0, h0), e00));
      sv = f64x2.add(sv, f64x2.mul(f64x2.mul(f64x2.mul(two, h0), h1), e01));
      sv = f64x2.add(sv, f64x2.mul(f64x2.mul(f64x2.mul(two, h0), h2), e02));
      sv = f64x2.add(sv, f64x2.mul(f64x2.mul(h1, h1), e11));
      sv = f64x2.add(sv, f64x2.mul(f64x2.mul(f64x2.mul(two, h1), h2), e12));
      sv = f64x2.add(sv, f64x2.mul(f64x2.mul(h2, h2), e22));
      sv = v128.bitselect(sv, f64x2.div(sv, f64x2.mul(tot, tot)), none);
      v128.store(vp + o, sv);
      if (ring) v128.store(lagged + wr + o, sv);
    }
    // nextWeight
    const f = ring ? v128.load(lagged + rd + o) : v128.load(vp + o);
    const wOld = v128.load(wp + o);
    const valid = v128.and(f64x2.gt(f, zero), f64x2.lt(f, inf));
    let keep = v128.not(valid);
    if (pre) {
      const q = f64x2.div(tgt2, f);
      const up = f64x2.add(wOld, band);
      const dn = f64x2.sub(wOld, band);
      const inside = v128.and(
        f64x2.lt(q, f64x2.mul(f64x2.mul(up, up), upTol)),
        v128.or(f64x2.le(dn, zero), f64x2.gt(q, f64x2.mul(f64x2.mul(dn, dn), dnTol))),
      );
      keep = v128.or(keep, inside);
    }
    // The exact weight (a square root and a division) only where some lane needs it: with the band
    // pre-test most paths keep their weight.
    const need = v128.andnot(valid, keep);
    let wNew = wOld;
    if (v128.any_true(need)) {
      let x = byVar ? f64x2.div(tgt2, f) : f64x2.div(tgt, f64x2.sqrt(f));
      x = f64x2.min(hi, f64x2.max(lo, x));
      const d = f64x2.sub(x, wOld);
      const take = first ? valid : v128.or(f64x2.gt(d, band), f64x2.lt(d, negBand));
      wNew = v128.bitselect(x, wOld, v128.and(take, need));
    }
    v128.store(wp + o, wNew);
    scale(wNew, b0, o0, h0p, g0, o, p, all0);
    scale(wNew, b1, o1, h1p, g1, o, p, all1);
    scale(wNew, b2, o2, h2p, g2, o, p, all2);
  }
}
