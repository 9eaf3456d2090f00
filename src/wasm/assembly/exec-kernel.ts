// AssemblyScript source of the WebAssembly SIMD asset trades of the executor: `tradeAssets3` of
// src/portfolio/execute.ts (the book's asset trades at the current spots, with proportional costs),
// two paths per f64x2 step. Compiled by `npm run build:wasm` into
// src/wasm/generated/exec-kernel.wasm.ts.
//
// Lane by lane it performs the same IEEE operations in the same order as the JavaScript (which stays
// the reference; tests compare the two bit for bit): per path, each asset of the group in order —
// where the path is in the mask and the asset has a target there, du = target − units, and where
// du ≠ 0 and du is not NaN: notional = |du|·S, cost = notional·rate, cash −= du·S + cost, fees += cost,
// value −= cost (unless the book's values are stale), turnover += notional, trades += 1, units =
// target. The branches become lane selects: every store writes the new value or the value already
// there (the same bits).

// The parameter block (i32 slots at `params`, f64 slots from params + 128):
const P_N = 0; // paths
const P_K = 1; // assets in this group (1–3)
const P_KEEP = 2; // 1: update value; 0: the book's values are stale (left alone)
const P_MASK = 3; // u8 rebalancing mask
const P_CASH = 4;
const P_FEES = 5;
const P_VALUE = 6;
const P_TURN = 7;
const P_TRADES = 8;
const P_ASSET = 9; // per asset j (0–2): has (u8), target, units, spot at P_ASSET + 4j …
const F: usize = 128;
// f64 slots: the cost rate of asset j at F + 8j.

/** First byte the loader may use for arrays (the parameter block and the arrays start here). */
export const FREE: usize = 65536;

@inline
function ptr(params: usize, slot: i32): usize {
  return <usize>load<i32>(params + (<usize>slot << 2));
}

/** Two u8 mask bytes as i64x2 lane masks (all ones where the byte is non-zero). */
@inline
function bytesOn(at: usize): v128 {
  const b = i64x2.extend_low_i32x4_u(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load16_splat(at))));
  return v128.not(i64x2.eq(b, i64x2.splat(0)));
}

/** The asset trades of one group of 1–3 assets over every path (parameters at `params`). */
export function tradeAssets(params: usize): void {
  const n = load<i32>(params + (<usize>P_N << 2));
  const k = load<i32>(params + (<usize>P_K << 2));
  const keep = load<i32>(params + (<usize>P_KEEP << 2)) != 0;
  const mask = ptr(params, P_MASK);
  const cash = ptr(params, P_CASH);
  const fees = ptr(params, P_FEES);
  const value = ptr(params, P_VALUE);
  const turn = ptr(params, P_TURN);
  const trades = ptr(params, P_TRADES);
  const zero = f64x2.splat(0.0);
  const one = f64x2.splat(1.0);
  const last = <usize>(n & ~1);
  for (let i: usize = 0; i < last; i += 2) {
    const on = bytesOn(mask + i);
    if (!v128.any_true(on)) continue;
    const o = i << 3;
    let cs = v128.load(cash + o);
    let fe = v128.load(fees + o);
    // Stale values (keep = 0) are neither read nor written: a cold stream less (0.85 ns per path).
    let va = keep ? v128.load(value + o) : zero;
    let to = v128.load(turn + o);
    let tr = v128.load(trades + o);
    for (let j = 0; j < k; j++) {
      const has = ptr(params, P_ASSET + 4 * j);
      const target = ptr(params, P_ASSET + 4 * j + 1);
      const units = ptr(params, P_ASSET + 4 * j + 2);
      const spot = ptr(params, P_ASSET + 4 * j + 3);
      const rate = v128.load64_splat(params + F + (<usize>j << 3));
      const x = v128.load(target + o);
      const u = v128.load(units + o);
      const du = f64x2.sub(x, u);
      const ok = v128.and(
        v128.and(on, bytesOn(has + i)),
        v128.and(f64x2.ne(du, zero), f64x2.eq(du, du)),
      );
      const sp = v128.load(spot + o);
      const notional = f64x2.mul(f64x2.abs(du), sp);
      const cost = f64x2.mul(notional, rate);
      cs = v128.bitselect(f64x2.sub(cs, f64x2.add(f64x2.mul(du, sp), cost)), cs, ok);
      fe = v128.bitselect(f64x2.add(fe, cost), fe, ok);
      va = v128.bitselect(f64x2.sub(va, cost), va, ok);
      to = v128.bitselect(f64x2.add(to, notional), to, ok);
      tr = v128.bitselect(f64x2.add(tr, one), tr, ok);
      v128.store(units + o, v128.bitselect(x, u, ok));
    }
    v128.store(cash + o, cs);
    v128.store(fees + o, fe);
    if (keep) v128.store(value + o, va);
    v128.store(turn + o, to);
    v128.store(trades + o, tr);
  }
  // An odd count: the last path alone, the same statements in scalar form.
  if (last < <usize>n && load<u8>(mask + last) != 0) {
    const o = last << 3;
    let cs = load<f64>(cash + o);
    let fe = load<f64>(fees + o);
    let va = load<f64>(value + o);
    let to = load<f64>(turn + o);
    let tr = load<f64>(trades + o);
    for (let j = 0; j < k; j++) {
      if (load<u8>(ptr(params, P_ASSET + 4 * j) + last) == 0) continue;
      const target = ptr(params, P_ASSET + 4 * j + 1);
      const units = ptr(params, P_ASSET + 4 * j + 2);
      const x = load<f64>(target + o);
      const du = x - load<f64>(units + o);
      if (du == 0.0 || du != du) continue;
      const sp = load<f64>(ptr(params, P_ASSET + 4 * j + 3) + o);
      const notional = Math.abs(du) * sp;
      const cost = notional * load<f64>(params + F + (<usize>j << 3));
      cs -= du * sp + cost;
      fe += cost;
      va -= cost;
      to += notional;
      tr += 1.0;
      store<f64>(units + o, x);
    }
    store<f64>(cash + o, cs);
    store<f64>(fees + o, fe);
    if (keep) store<f64>(value + o, va);
    store<f64>(turn + o, to);
    store<f64>(trades + o, tr);
  }
}

/**
 * TargetSink.hedgeUnits on two paths per f64x2 step: target = (ratio·qty)·greek where qty ≠ 0, +0
 * where qty is ±0 — the JavaScript loop's operations in its order, so the same bits (NaN included).
 */
export function hedgeUnits(n: i32, target: usize, qty: usize, greek: usize, ratio: f64): void {
  const last = <usize>(n & ~1) << 3;
  const r = f64x2.splat(ratio);
  const zero = f64x2.splat(0.0);
  for (let o: usize = 0; o < last; o += 16) {
    const q = v128.load(qty + o);
    const v = f64x2.mul(f64x2.mul(r, q), v128.load(greek + o));
    v128.store(target + o, v128.bitselect(zero, v, f64x2.eq(q, zero)));
  }
  if ((n & 1) != 0) {
    const q = load<f64>(qty + last);
    store<f64>(target + last, q == 0 ? 0.0 : ratio * q * load<f64>(greek + last));
  }
}

/**
 * How many of the `n` doubles at `at` are not zero (NaN counts, −0 does not: JavaScript's `x !== 0`):
 * the live positions of a book's line (Book.settle before the line's earliest expiry).
 */
export function countNonZero(n: i32, at: usize): i32 {
  const last = <usize>(n & ~1) << 3;
  const zero = f64x2.splat(0.0);
  let acc = i64x2.splat(0);
  // ne gives −1 (all ones) in a lane that is not zero: subtracting counts it.
  for (let o: usize = 0; o < last; o += 16) acc = i64x2.sub(acc, f64x2.ne(v128.load(at + o), zero));
  let c = <i32>(i64x2.extract_lane(acc, 0) + i64x2.extract_lane(acc, 1));
  if ((n & 1) != 0 && load<f64>(at + last) != 0) c++;
  return c;
}

/**
 * The cash accrual of Book.accrue, two paths per f64x2 step: cash ·= gUp on every path when
 * gUp = gDown, else cash ·= (cash ≥ 0 ? gUp : gDown) (a NaN cash takes gDown, as `c >= 0` is false
 * in JavaScript). One IEEE product per path, as in the JavaScript loops: the same bits.
 */
export function accrueCash(n: i32, cash: usize, gUp: f64, gDown: f64): void {
  const last = <usize>(n & ~1) << 3;
  const up = f64x2.splat(gUp);
  const down = f64x2.splat(gDown);
  if (gUp == gDown) {
    for (let o: usize = 0; o < last; o += 16) v128.store(cash + o, f64x2.mul(v128.load(cash + o), up));
  } else {
    const zero = f64x2.splat(0.0);
    for (let o: usize = 0; o < last; o += 16) {
      const c = v128.load(cash + o);
      v128.store(cash + o, f64x2.mul(c, v128.bitselect(up, down, f64x2.ge(c, zero))));
    }
  }
  if ((n & 1) != 0) {
    const c = load<f64>(cash + last);
    store<f64>(cash + last, c * (gUp == gDown || c >= 0 ? gUp : gDown));
  }
}

/**
 * The accrual and the mark of a book of three assets and no lines (`Book.accrueAndMark`), two paths
 * per f64x2 step, the same operations in the same order as the JavaScript loop: per path
 * c = cash·(oneRate or c ≥ 0 ? gUp : gDown) when financed, c += u_j·P_j·k_j for each asset j with
 * a carry (bit j of `carry`), cash = c, value = ((c + u0·s0) + u1·s1) + u2·s2.
 * Arrays (byte offsets): cash, value; units u0–u2; spots s0–s2; the previous spots p0–p2 (read only
 * for the assets with a carry).
 */
export function accrueMark3(
  n: i32,
  cash: usize,
  value: usize,
  u0: usize,
  u1: usize,
  u2: usize,
  s0: usize,
  s1: usize,
  s2: usize,
  p0: usize,
  p1: usize,
  p2: usize,
  fin: i32,
  gUp: f64,
  gDown: f64,
  k0: f64,
  k1: f64,
  k2: f64,
  carry: i32,
): void {
  const financed = fin != 0;
  const oneRate = gUp == gDown;
  const up = f64x2.splat(gUp);
  const down = f64x2.splat(gDown);
  const zero = f64x2.splat(0.0);
  const kk0 = f64x2.splat(k0);
  const kk1 = f64x2.splat(k1);
  const kk2 = f64x2.splat(k2);
  const c0 = (carry & 1) != 0;
  const c1 = (carry & 2) != 0;
  const c2 = (carry & 4) != 0;
  const last = <usize>(n & ~1);
  for (let i: usize = 0; i < last; i += 2) {
    const o = i << 3;
    let c = v128.load(cash + o);
    if (financed) c = f64x2.mul(c, oneRate ? up : v128.bitselect(up, down, f64x2.ge(c, zero)));
    const a0 = v128.load(u0 + o);
    const a1 = v128.load(u1 + o);
    const a2 = v128.load(u2 + o);
    if (c0) c = f64x2.add(c, f64x2.mul(f64x2.mul(a0, v128.load(p0 + o)), kk0));
    if (c1) c = f64x2.add(c, f64x2.mul(f64x2.mul(a1, v128.load(p1 + o)), kk1));
    if (c2) c = f64x2.add(c, f64x2.mul(f64x2.mul(a2, v128.load(p2 + o)), kk2));
    v128.store(cash + o, c);
    const v = f64x2.add(
      f64x2.add(f64x2.add(c, f64x2.mul(a0, v128.load(s0 + o))), f64x2.mul(a1, v128.load(s1 + o))),
      f64x2.mul(a2, v128.load(s2 + o)),
    );
    v128.store(value + o, v);
  }
  // An odd count: the last path alone, the same statements in scalar form.
  if (last < <usize>n) {
    const o = last << 3;
    let c = load<f64>(cash + o);
    if (financed) c = c * (oneRate || c >= 0.0 ? gUp : gDown);
    const a0 = load<f64>(u0 + o);
    const a1 = load<f64>(u1 + o);
    const a2 = load<f64>(u2 + o);
    if (c0) c += a0 * load<f64>(p0 + o) * k0;
    if (c1) c += a1 * load<f64>(p1 + o) * k1;
    if (c2) c += a2 * load<f64>(p2 + o) * k2;
    store<f64>(cash + o, c);
    store<f64>(value + o, c + a0 * load<f64>(s0 + o) + a1 * load<f64>(s1 + o) + a2 * load<f64>(s2 + o));
  }
}

/**
 * CPPI's exposure and unit targets of a three-asset sleeve without reserve (`exposure3` of
 * src/strategies/cppi.ts), two paths per f64x2 step, the same operations in the same order as the
 * JavaScript loop: per path c = v − f; where c > 0, e = min(m·c, cap·v), else e = 0 and force = 1
 * (a NaN c too); exposure = e; target_j = (w_j·e)/S_j. Math.min and f64x2.min agree on NaN and on
 * the order of −0 and +0.
 * Arrays (byte offsets): value; spots s0–s2; the unit targets t0–t2; the exposure; force (u8).
 */
export function cushion3(
  n: i32,
  value: usize,
  s0: usize,
  s1: usize,
  s2: usize,
  t0: usize,
  t1: usize,
  t2: usize,
  exposure: usize,
  force: usize,
  f: f64,
  m: f64,
  cap: f64,
  w0: f64,
  w1: f64,
  w2: f64,
): void {
  const ff = f64x2.splat(f);
  const mm = f64x2.splat(m);
  const cc = f64x2.splat(cap);
  const ww0 = f64x2.splat(w0);
  const ww1 = f64x2.splat(w1);
  const ww2 = f64x2.splat(w2);
  const zero = f64x2.splat(0.0);
  const last = <usize>(n & ~1);
  for (let i: usize = 0; i < last; i += 2) {
    const o = i << 3;
    const v = v128.load(value + o);
    const c = f64x2.sub(v, ff);
    const pos = f64x2.gt(c, zero);
    // e = 0 (+0) where the cushion is gone: the mask zeroes those lanes.
    const e = v128.and(f64x2.min(f64x2.mul(mm, c), f64x2.mul(cc, v)), pos);
    if (!i64x2.all_true(pos)) {
      if (i64x2.extract_lane(pos, 0) == 0) store<u8>(force + i, 1);
      if (i64x2.extract_lane(pos, 1) == 0) store<u8>(force + i + 1, 1);
    }
    v128.store(exposure + o, e);
    v128.store(t0 + o, f64x2.div(f64x2.mul(ww0, e), v128.load(s0 + o)));
    v128.store(t1 + o, f64x2.div(f64x2.mul(ww1, e), v128.load(s1 + o)));
    v128.store(t2 + o, f64x2.div(f64x2.mul(ww2, e), v128.load(s2 + o)));
  }
  // An odd count: the last path alone, the same statements in scalar form.
  if (last < <usize>n) {
    const o = last << 3;
    const v = load<f64>(value + o);
    const c = v - f;
    let e = 0.0;
    if (c > 0.0) e = min<f64>(m * c, cap * v);
    else store<u8>(force + last, 1);
    store<f64>(exposure + o, e);
    store<f64>(t0 + o, (w0 * e) / load<f64>(s0 + o));
    store<f64>(t1 + o, (w1 * e) / load<f64>(s1 + o));
    store<f64>(t2 + o, (w2 * e) / load<f64>(s2 + o));
  }
}
