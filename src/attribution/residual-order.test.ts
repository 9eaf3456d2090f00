/**
 * The attribution's residual is the remainder of a second-order Taylor expansion: O(dS³) per step.
 * A long call (S = K = 100, T = 1, r = 5 %, σ = 20 %) is repriced with `blackBatch` at every step
 * of GBM paths drawn once on a fine grid and read on coarser ones (the same Brownian paths), so
 * the step size alone changes. On a diffusion dS ~ √dt, hence |residual| ~ dt^{3/2} per step and
 * Σ|residual| ~ dt^{1/2} over a fixed horizon. When the pricing vol moves too, vanna·dS·dσ and
 * ½volga·dσ² are O(dt): leaving them out lowers the residual's order to dt¹ (the wrong method).
 *
 * References: Hull, OFOD (10th ed.) ch. 19 (Taylor series expansions); Taleb, Dynamic Hedging
 * (1997), part II (the Greeks).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.ts';
import { blackBatch } from '../pricing/black-scholes.ts';
import { PnlAttribution } from './pnl-attribution.ts';

const S0 = 100;
const K = 100;
const T = 1;
const r = 0.05;
const sigma = 0.2;
const H = 0.25; // horizon, years
const N_PATHS = 64;
const N_FINE = 1024;
const LEVELS = [16, 32, 64, 128, 256, 512, 1024]; // steps over the horizon
const XI = 0.8; // vol of (lognormal) pricing vol, per √year
const RHO = -0.5; // correlation of spot and vol moves

/** Least-squares slope of y on x. */
function slope(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  return sxy / sxx;
}

/** Brownian increments on the fine grid, [step·N_PATHS + p], for spot (w1) and vol (w2). */
function fineIncrements(seed: number): { w1: Float64Array; w2: Float64Array } {
  const rng = createRng(seed);
  const w1 = new Float64Array(N_FINE * N_PATHS);
  const w2 = new Float64Array(N_FINE * N_PATHS);
  rng.fillNormal(w1);
  rng.fillNormal(w2);
  const sq = Math.sqrt(H / N_FINE);
  for (let i = 0; i < w1.length; i++) {
    w1[i] = w1[i] * sq;
    w2[i] = RHO * w1[i] + Math.sqrt(1 - RHO * RHO) * w2[i] * sq;
  }
  return { w1, w2 };
}

interface LevelResult {
  dt: number;
  /** mean over paths and steps of |one-step residual| */
  stepAbs: number;
  /** the same without vanna and volga (vol-move runs only) */
  stepAbsNoCross: number;
  /** mean over paths of Σ_steps |residual| over the horizon */
  sumAbs: number;
  /** mean over paths of |Σ_steps residual| */
  totalAbs: number;
  /** max over paths of |vega|+|vanna|+|volga| components */
  volTerms: number;
}

/** Attributes the call's P&L on N steps over the horizon; the pricing vol moves when `volMoves`. */
function attributeCall(N: number, volMoves: boolean, w: { w1: Float64Array; w2: Float64Array }): LevelResult {
  const n = N_PATHS;
  const m = N_FINE / N;
  const dt = H / N;
  const W1 = new Float64Array(n);
  const W2 = new Float64Array(n);
  const inp = {
    sign: new Int8Array(n).fill(1),
    spot: new Float64Array(n).fill(S0),
    strike: new Float64Array(n).fill(K),
    expiry: new Float64Array(n).fill(T),
    rate: new Float64Array(n).fill(r),
    vol: new Float64Array(n).fill(sigma),
  };
  const mk = () => ({
    price: new Float64Array(n),
    delta: new Float64Array(n),
    gamma: new Float64Array(n),
    vega: new Float64Array(n),
    theta: new Float64Array(n),
    vanna: new Float64Array(n),
    volga: new Float64Array(n),
  });
  let g0 = mk();
  let g1 = mk();
  blackBatch(inp, g0);
  const dS = new Float64Array(n);
  const dVol = new Float64Array(n);
  const dV = new Float64Array(n);
  const full = new PnlAttribution(n, { keepLastStep: true });
  const noCross = new PnlAttribution(n, { keepLastStep: true });
  const sumAbs = new Float64Array(n);
  let stepAbs = 0;
  let stepAbsNoCross = 0;
  for (let j = 0; j < N; j++) {
    const t1 = (j + 1) * dt;
    for (let p = 0; p < n; p++) {
      for (let k = j * m; k < (j + 1) * m; k++) {
        W1[p] += w.w1[k * n + p];
        W2[p] += w.w2[k * n + p];
      }
      const s1 = S0 * Math.exp((r - 0.5 * sigma * sigma) * t1 + sigma * W1[p]);
      const v1 = volMoves ? sigma * Math.exp(XI * W2[p] - 0.5 * XI * XI * t1) : sigma;
      dS[p] = s1 - inp.spot[p];
      dVol[p] = v1 - inp.vol[p];
      inp.spot[p] = s1;
      inp.vol[p] = v1;
      inp.expiry[p] = T - t1;
    }
    blackBatch(inp, g1);
    for (let p = 0; p < n; p++) dV[p] = g1.price[p] - g0.price[p];
    const move = { dS: [dS], dVol: [dVol], dt };
    full.step([g0], move, dV);
    noCross.step([{ delta: g0.delta, gamma: g0.gamma, vega: g0.vega, theta: g0.theta }], move, dV);
    const res = full.lastStep('residual');
    const resNc = noCross.lastStep('residual');
    for (let p = 0; p < n; p++) {
      stepAbs += Math.abs(res[p]);
      stepAbsNoCross += Math.abs(resNc[p]);
      sumAbs[p] += Math.abs(res[p]);
    }
    [g0, g1] = [g1, g0];
  }
  const s = full.summary().components;
  let volTerms = 0;
  for (const c of ['vega', 'vanna', 'volga'] as const) {
    for (const x of full.get(c)) volTerms = Math.max(volTerms, Math.abs(x));
  }
  let totalAbs = 0;
  for (const x of full.get('residual')) totalAbs += Math.abs(x);
  // the components add up to the repriced P&L on every path
  expect(Math.abs(s.total.sum - sumOf(full))).toBeLessThan(1e-9);
  return {
    dt,
    stepAbs: stepAbs / (n * N),
    stepAbsNoCross: stepAbsNoCross / (n * N),
    sumAbs: sumAbs.reduce((a, b) => a + b, 0) / n,
    totalAbs: totalAbs / n,
    volTerms,
  };
}

function sumOf(a: PnlAttribution): number {
  let t = 0;
  for (const c of ['delta', 'gamma', 'vega', 'theta', 'vanna', 'volga', 'residual'] as const) {
    t += a.summary().components[c].sum;
  }
  return t;
}

const logs = (x: readonly number[]) => x.map(Math.log);

describe('third-order residual of a long call repriced by blackBatch along GBM paths', () => {
  let flat: LevelResult[] = [];
  let moving: LevelResult[] = [];
  let table = '';
  beforeAll(() => {
    const w = fineIncrements(20260501);
    flat = LEVELS.map((N) => attributeCall(N, false, w));
    moving = LEVELS.map((N) => attributeCall(N, true, w));
    table = LEVELS.map(
      (N, i) =>
        `N=${N} dt=${flat[i].dt.toExponential(3)} step|res| ${flat[i].stepAbs.toExponential(3)} ` +
        `Σ|res| ${flat[i].sumAbs.toExponential(3)} |Σres| ${flat[i].totalAbs.toExponential(3)} | vol moves: ` +
        `${moving[i].stepAbs.toExponential(3)} without vanna/volga ${moving[i].stepAbsNoCross.toExponential(3)}`,
    ).join('\n');
  });

  it('at constant vol the vega, vanna and volga terms are 0', () => {
    for (const x of flat) expect(x.volTerms).toBe(0);
  });

  it('one-step residual ~ dt^1.5 (slope of log|res| on log dt), i.e. ~ dS³', () => {
    const b = slope(logs(flat.map((x) => x.dt)), logs(flat.map((x) => x.stepAbs)));
    expect(b, table).toBeGreaterThan(1.45);
    expect(b, table).toBeLessThan(1.55);
  });

  it('the residual over the fixed horizon falls like dt^0.5 as the step is refined', () => {
    for (let i = 1; i < LEVELS.length; i++) {
      expect(flat[i].sumAbs, table).toBeLessThan(flat[i - 1].sumAbs);
      expect(flat[i].totalAbs, table).toBeLessThan(flat[i - 1].totalAbs);
    }
    const b = slope(logs(flat.map((x) => x.dt)), logs(flat.map((x) => x.sumAbs)));
    expect(b, table).toBeGreaterThan(0.45);
    expect(b, table).toBeLessThan(0.55);
  });

  it('with a vol move, vanna and volga keep the residual at dt^1.5; without them it is dt^1 (wrong method)', () => {
    const x = logs(moving.map((m) => m.dt));
    const withCross = slope(x, logs(moving.map((m) => m.stepAbs)));
    const without = slope(x, logs(moving.map((m) => m.stepAbsNoCross)));
    expect(withCross, table).toBeGreaterThan(1.4);
    expect(withCross, table).toBeLessThan(1.6);
    expect(without, table).toBeGreaterThan(0.9);
    expect(without, table).toBeLessThan(1.1);
    // and at the finest step the cross terms explain most of what delta/gamma/vega/theta leave
    const last = moving[moving.length - 1];
    expect(last.stepAbs * 10, table).toBeLessThan(last.stepAbsNoCross);
  });
});

describe('residual / h³ → speed/6 when spot alone is bumped by h (dt = 0)', () => {
  it('converges to V_SSS/6 = −Γ(1 + d1/(σ√T))/(6S) with an O(h) error', () => {
    const hs = [2, 1, 0.5, 0.25, 0.125, 0.0625];
    const n = hs.length;
    const inp = (spot: number[]) => ({
      sign: new Int8Array(n).fill(1),
      spot: Float64Array.from(spot),
      strike: new Float64Array(n).fill(K),
      expiry: new Float64Array(n).fill(T),
      rate: new Float64Array(n).fill(r),
      vol: new Float64Array(n).fill(sigma),
    });
    const g = { price: new Float64Array(n), delta: new Float64Array(n), gamma: new Float64Array(n) };
    const up = { price: new Float64Array(n) };
    blackBatch(inp(hs.map(() => S0)), g);
    blackBatch(inp(hs.map((h) => S0 + h)), up);
    const a = new PnlAttribution(n);
    a.step(
      [g],
      { dS: [Float64Array.from(hs)], dt: 0 },
      up.price.map((v, i) => v - g.price[i]),
    );
    const d1 = (Math.log(S0 / K) + (r + 0.5 * sigma * sigma) * T) / (sigma * Math.sqrt(T));
    const speed = (-g.gamma[0] / S0) * (1 + d1 / (sigma * Math.sqrt(T)));
    const err = hs.map((h, i) => a.get('residual')[i] / h ** 3 / (speed / 6) - 1);
    for (let i = 1; i < n; i++) {
      // halving h halves the error (first-order convergence)
      expect(Math.abs(err[i] / err[i - 1] - 0.5)).toBeLessThan(0.05);
    }
    expect(Math.abs(err[n - 1])).toBeLessThan(0.01);
  });
});
