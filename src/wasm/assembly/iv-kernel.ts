// AssemblyScript source of the WebAssembly batch implied-volatility kernel: the per-element loop of
// `impliedVolBatch` (src/pricing/implied-vol.ts) — validation, discounting to the forward form,
// `kernel` (bounds, put-call reduction, normalisation) and Jäckel's "Let's Be Rational" inversion
// with the normalised Black function — compiled by `npm run build:wasm` into
// src/wasm/generated/iv-kernel.wasm.ts. Not part of the tsc/biome project (AssemblyScript types).
//
// Scalar (LBR is branchy): every statement performs the same IEEE operations in the same order as
// the JavaScript, which stays the reference, and Math.exp / log / expm1 / cbrt are the fdlibm ports
// V8 uses (fdlibm.ts), so vol and status are bit-identical (src/wasm/iv-kernel.test.ts compares the
// two paths with Object.is on every element). Math.sqrt, abs and max are the f64 instructions: the
// same IEEE results (max: NaN if either is NaN, max(−0, +0) = +0, as Math.max).
//
// The loader (src/wasm/iv-kernel.ts) stages a block of inputs at STAGE_IN and reads vol and status
// back from STAGE_OUT; nothing is allocated (runtime stub, memory imported at its final size).
// References: P. Jäckel, "Let's Be Rational", Wilmott (2015) 40–53; Haug (2007) §1.1; fdlibm 5.3.

import { fdCbrt, fdExp, fdExpm1, fdLog } from './fdlibm';
import { otmImpliedTotalVol as lbr, lbrIterations } from './lets-be-rational';
import { blackVega, otmBlack as black, otmBlackComplement as blackComplement } from './normalised-black';
import { erf as erfPort, erfcx as erfcxPort, normCdf as cdfPort, normInv as invPort } from './normal';

/** Memory layout shared with src/wasm/iv-kernel.ts (byte offsets; BLOCK options per staged block). */
const BLOCK: usize = 4096;
const STAGE_IN: usize = 65536; // price, spot, strike, expiry, rate, dividend: BLOCK doubles each
const STAGE_SIGN: usize = STAGE_IN + 6 * 8 * BLOCK; // BLOCK int8 signs
const STAGE_VOL: usize = STAGE_SIGN + BLOCK; // BLOCK doubles out
const STAGE_STATUS: usize = STAGE_VOL + 8 * BLOCK; // BLOCK uint8 status codes out

// IV_STATUS of implied-vol.ts
const OK: u8 = 0;
const NEGATIVE_PRICE: u8 = 1;
const BELOW_INTRINSIC: u8 = 2;
const ABOVE_UPPER_BOUND: u8 = 3;
const ZERO_EXPIRY: u8 = 4;
const INVALID_INPUT: u8 = 5;

const INTRINSIC_ROUNDING: f64 = 8.881784197001252e-16;

let kernelStatus: u8 = 0;

/** implied-vol.ts `kernel`: validated inputs in discounted-forward form → σ, sets `kernelStatus`. */
function kernel(w: i32, v: f64, sq: f64, kr: f64, x: f64, T: f64): f64 {
  if (!(T > 0)) {
    kernelStatus = ZERO_EXPIRY;
    return NaN;
  }
  if (v < 0) {
    kernelStatus = NEGATIVE_PRICE;
    return NaN;
  }
  const diff = w > 0 ? sq - kr : kr - sq;
  const intrinsic = max<f64>(diff, 0);
  if (v < intrinsic) {
    if (intrinsic - v <= INTRINSIC_ROUNDING * max<f64>(sq, kr)) {
      kernelStatus = OK;
      return 0;
    }
    kernelStatus = BELOW_INTRINSIC;
    return NaN;
  }
  if (v >= (w > 0 ? sq : kr)) {
    kernelStatus = ABOVE_UPPER_BOUND;
    return NaN;
  }
  kernelStatus = OK;
  if (v == intrinsic) return 0;
  const beta = (v - intrinsic) / (sqrt<f64>(sq) * sqrt<f64>(kr));
  const s = lbr(beta, -abs<f64>(x));
  if (s == Infinity) {
    kernelStatus = ABOVE_UPPER_BOUND;
    return NaN;
  }
  return s / sqrt<f64>(T);
}

/**
 * The loop of `impliedVolBatch` over the n ≤ BLOCK staged options: vol and status at STAGE_VOL and
 * STAGE_STATUS. `hasQ` 0: q = 0 (no dividend row, or Black-76); `black76` 1: spot holds forwards.
 */
export function ivBatch(n: i32, hasQ: i32, black76: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 3;
    const w = <i32>load<i8>(STAGE_SIGN + <usize>i);
    const v = load<f64>(STAGE_IN + o);
    const S = load<f64>(STAGE_IN + o, 8 * BLOCK);
    const K = load<f64>(STAGE_IN + o, 16 * BLOCK);
    const T = load<f64>(STAGE_IN + o, 24 * BLOCK);
    const r = load<f64>(STAGE_IN + o, 32 * BLOCK);
    const q = hasQ ? load<f64>(STAGE_IN + o, 40 * BLOCK) : 0.0;
    if (
      !(w == 1 || w == -1) ||
      !(S > 0 && S < Infinity) ||
      !(K > 0 && K < Infinity) ||
      !isFinite<f64>(v) ||
      !isFinite<f64>(T) ||
      !isFinite<f64>(r) ||
      !isFinite<f64>(q)
    ) {
      store<f64>(STAGE_VOL + o, NaN);
      store<u8>(STAGE_STATUS + <usize>i, INVALID_INPUT);
      continue;
    }
    let sq: f64;
    let kr: f64;
    let x: f64;
    if (!black76) {
      sq = S * fdExp(-q * T);
      kr = K * fdExp(-r * T);
      x = fdLog(S / K) + (r - q) * T;
    } else {
      const df = fdExp(-r * T);
      sq = S * df;
      kr = K * df;
      x = fdLog(S / K);
    }
    store<f64>(STAGE_VOL + o, kernel(w, v, sq, kr, x, T));
    store<u8>(STAGE_STATUS + <usize>i, kernelStatus);
  }
}

// ---------------------------------------------------------------- state shared with JavaScript

/** BLACK_SCRATCH[0] and LBR_DIAGNOSTICS.iterations in (before a batch). */
export function setState(vega: f64, iterations: i32): void {
  blackVega = vega;
  lbrIterations = iterations;
}

/** BLACK_SCRATCH[0] after the last evaluation. */
export function vega(): f64 {
  return blackVega;
}

/** LBR_DIAGNOSTICS.iterations after the last inversion. */
export function iterations(): i32 {
  return lbrIterations;
}

// ---------------------------------------------------------------- test entry points

export function exp(x: f64): f64 {
  return fdExp(x);
}
export function log(x: f64): f64 {
  return fdLog(x);
}
export function expm1(x: f64): f64 {
  return fdExpm1(x);
}
export function cbrt(x: f64): f64 {
  return fdCbrt(x);
}
export function erf(x: f64): f64 {
  return erfPort(x);
}
export function erfcx(x: f64): f64 {
  return erfcxPort(x);
}
export function normCdf(x: f64): f64 {
  return cdfPort(x);
}
export function normInv(p: f64): f64 {
  return invPort(p);
}
export function otmBlack(x: f64, s: f64): f64 {
  return black(x, s);
}
export function otmBlackComplement(x: f64, s: f64): f64 {
  return blackComplement(x, s);
}
export function otmImpliedTotalVol(beta: f64, x: f64): f64 {
  return lbr(beta, x);
}

/**
 * Function `op` (0 exp, 1 log, 2 expm1, 3 cbrt, 4 erf, 5 erfcx, 6 normCdf, 7 normInv) applied in
 * place to the n ≤ 6·BLOCK doubles at STAGE_IN: the tests check millions of doubles against Math.*.
 */
export function unaryBatch(op: i32, n: i32): void {
  for (let i = 0; i < n; i++) {
    const p = STAGE_IN + (<usize>i << 3);
    const x = load<f64>(p);
    let y: f64;
    switch (op) {
      case 0:
        y = fdExp(x);
        break;
      case 1:
        y = fdLog(x);
        break;
      case 2:
        y = fdExpm1(x);
        break;
      case 3:
        y = fdCbrt(x);
        break;
      case 4:
        y = erfPort(x);
        break;
      case 5:
        y = erfcxPort(x);
        break;
      case 6:
        y = cdfPort(x);
        break;
      default:
        y = invPort(x);
    }
    store<f64>(p, y);
  }
}
