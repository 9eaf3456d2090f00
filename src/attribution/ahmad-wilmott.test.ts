/**
 * Ahmad & Wilmott (2005): a call bought at implied vol σ̃ and delta-hedged while the stock realises
 * σ ≠ σ̃. Hedged at implied vol, the book's present-value P&L is path-dependent,
 *   PV P&L = ½(σ² − σ̃²)·∫₀ᵀ e^{−rt} S² Γⁱ dt  (Γⁱ at σ̃),
 * whose expectation under drift μ = r is V(σ) − V(σ̃); step by step it is the gamma term ½Γ·dS²
 * plus theta net of the financing of option and hedge (Θ·dt − r(V − ΔS)dt = −½σ̃²S²Γ·dt).
 * Hedged at realised vol the P&L is V(σ) − V(σ̃) plus a discrete-hedging error of standard
 * deviation ≈ √(π/4)·σ·ν/√N (Derman & Kamal 1999), so it halves when N quadruples; hedged at
 * implied it is dominated by the path-dependence, which more rebalancing does not remove.
 *
 * Conventions: the book holds +1 call marked at σ̃, −h shares, and cash at r (premium paid and
 * shares sold into cash at t = 0, so its value X₀ = 0). The attribution is of the excess P&L over
 * the bank account, discounted to 0 (docs/attribution.md, "present value"): per step
 * ΔV = X(t+dt) − e^{r dt}X(t), financing = (cash − X)(e^{r dt} − 1) (= the interest on the cash that
 * finances the positions), discount = e^{−r(t+dt)}; then the `total` is e^{−rT}X_T − X₀ exactly.
 * The stock follows GBM with drift r (the expectation above needs μ = r), simulated exactly; N = 63
 * uses the same Brownian paths as N = 252 (sums of four daily increments).
 *
 * References: R. Ahmad, P. Wilmott, Wilmott Magazine (Nov 2005), eqs. for "hedging with
 * implied volatility" / "with actual volatility"; E. Derman, M. Kamal, "When you cannot hedge
 * continuously", Goldman Sachs QS Research Notes (1999); Hull, OFOD (10th ed.) ch. 19.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.ts';
import { blackBatch, bsmPrice } from '../pricing/black-scholes.ts';
import { PnlAttribution } from './pnl-attribution.ts';

const S0 = 100;
const K = 100;
const T = 1;
const r = 0.05;
const IMPLIED = 0.2;
const REALISED = 0.4;
const N_PATHS = 20_000;
const FINE = 252;
const SEED = 20260502;

interface HedgeRun {
  attribution: PnlAttribution;
  /** per path: discounted gamma + theta + financing */
  gammaThetaFin: Float64Array;
  /** per path: discounted gamma + theta alone */
  gammaTheta: Float64Array;
  seconds: number;
}

/** Delta-hedges one long call on N_PATHS GBM paths at once, rebalancing N times over T. */
function hedgeRun(N: number, hedgeVol: number): HedgeRun {
  const started = performance.now();
  const n = N_PATHS;
  const m = FINE / N;
  const dt = T / N;
  const growth = Math.exp(r * dt);
  const drift = (r - 0.5 * REALISED * REALISED) * dt;
  const volStep = REALISED * Math.sqrt(dt / m);
  const rng = createRng(SEED);
  const z = new Float64Array(n);
  const w = new Float64Array(n);
  const mark = {
    sign: new Int8Array(n).fill(1),
    spot: new Float64Array(n).fill(S0),
    strike: new Float64Array(n).fill(K),
    expiry: new Float64Array(n).fill(T),
    rate: new Float64Array(n).fill(r),
    vol: new Float64Array(n).fill(IMPLIED),
  };
  // spot and expiry arrays shared with `mark`: only the vol differs
  const hedgeIn = { ...mark, vol: new Float64Array(n).fill(hedgeVol) };
  const mk = () => ({
    price: new Float64Array(n),
    delta: new Float64Array(n),
    gamma: new Float64Array(n),
    theta: new Float64Array(n),
  });
  let g0 = mk();
  let g1 = mk();
  const hedgeOut = { price: new Float64Array(n), delta: new Float64Array(n) };
  const hedgeDelta = hedgeVol === IMPLIED ? g0.delta : hedgeOut.delta;
  blackBatch(mark, g0);
  if (hedgeVol !== IMPLIED) blackBatch(hedgeIn, hedgeOut);
  const S = new Float64Array(n).fill(S0);
  const h = Float64Array.from(hedgeDelta);
  const cash = new Float64Array(n);
  const X = new Float64Array(n); // book value, 0 at inception
  for (let p = 0; p < n; p++) cash[p] = -g0.price[p] + h[p] * S0;
  const posDelta = new Float64Array(n);
  const dS = new Float64Array(n);
  const dV = new Float64Array(n);
  const fin = new Float64Array(n);
  const a = new PnlAttribution(n, { keepLastStep: true });
  const gammaThetaFin = new Float64Array(n);
  const gammaTheta = new Float64Array(n);
  for (let i = 0; i < N; i++) {
    const t1 = (i + 1) * dt;
    const last = i + 1 === N;
    // the same Brownian path for every N: sum of m daily increments
    w.fill(0);
    for (let k = 0; k < m; k++) {
      rng.fillNormal(z);
      for (let p = 0; p < n; p++) w[p] += z[p];
    }
    for (let p = 0; p < n; p++) {
      const s1 = S[p] * Math.exp(drift + volStep * w[p]);
      dS[p] = s1 - S[p];
      S[p] = s1;
      mark.spot[p] = s1;
      mark.expiry[p] = T - t1;
      posDelta[p] = g0.delta[p] - h[p];
    }
    if (last) {
      for (let p = 0; p < n; p++) g1.price[p] = Math.max(S[p] - K, 0);
    } else {
      blackBatch(mark, g1);
    }
    for (let p = 0; p < n; p++) {
      fin[p] = (cash[p] - X[p]) * (growth - 1);
      cash[p] = cash[p] * growth;
      const x1 = g1.price[p] - h[p] * S[p] + cash[p];
      dV[p] = x1 - growth * X[p];
      X[p] = x1;
    }
    const greeks = [{ delta: posDelta, gamma: g0.gamma, theta: g0.theta }];
    const move = { dS: [dS], dt, discount: Math.exp(-r * t1) };
    a.step(greeks, move, dV, { financing: fin });
    const lg = a.lastStep('gamma');
    const lt = a.lastStep('theta');
    const lf = a.lastStep('financing');
    for (let p = 0; p < n; p++) {
      gammaTheta[p] += lg[p] + lt[p];
      gammaThetaFin[p] += lg[p] + lt[p] + lf[p];
    }
    if (!last) {
      // rebalance at t + dt at the mark: value-neutral (no costs here)
      if (hedgeVol !== IMPLIED) blackBatch(hedgeIn, hedgeOut);
      const hd = hedgeVol === IMPLIED ? g1.delta : hedgeOut.delta;
      for (let p = 0; p < n; p++) {
        // short h shares: going to −h' sells h' − h more at S
        cash[p] = cash[p] + (hd[p] - h[p]) * S[p];
        h[p] = hd[p];
      }
    }
    [g0, g1] = [g1, g0];
  }
  return { attribution: a, gammaThetaFin, gammaTheta, seconds: (performance.now() - started) / 1000 };
}

function meanSe(x: Float64Array): { mean: number; sd: number; se: number } {
  let s = 0;
  for (const v of x) s += v;
  const mean = s / x.length;
  let s2 = 0;
  for (const v of x) s2 += (v - mean) ** 2;
  const sd = Math.sqrt(s2 / (x.length - 1));
  return { mean, sd, se: sd / Math.sqrt(x.length) };
}

/** Sample std with its standard error from the sample kurtosis: se ≈ s·√((κ − 1)/(4n)). */
function sdSe(x: Float64Array): { sd: number; se: number } {
  const { mean, sd } = meanSe(x);
  let s2 = 0;
  let s4 = 0;
  for (const v of x) {
    const d = (v - mean) ** 2;
    s2 += d;
    s4 += d * d;
  }
  const kurt = s4 / x.length / (s2 / x.length) ** 2;
  return { sd, se: sd * Math.sqrt((kurt - 1) / (4 * x.length)) };
}

const fmt = (m: { mean: number; se: number }) => `${m.mean.toFixed(4)} ± ${m.se.toFixed(4)}`;

describe('Ahmad–Wilmott: a call bought at 20 % implied, stock realising 40 %', () => {
  const edge = bsmPrice('call', S0, K, T, r, 0, REALISED) - bsmPrice('call', S0, K, T, r, 0, IMPLIED);
  let implied252: HedgeRun;
  let implied63: HedgeRun;
  let realised252: HedgeRun;
  let realised63: HedgeRun;
  let report = '';
  beforeAll(() => {
    implied252 = hedgeRun(252, IMPLIED);
    implied63 = hedgeRun(63, IMPLIED);
    realised252 = hedgeRun(252, REALISED);
    realised63 = hedgeRun(63, REALISED);
    const row = (name: string, x: HedgeRun) => {
      const c = x.attribution.summary().components;
      return (
        `${name}: total ${fmt({ mean: c.total.mean, se: c.total.std / Math.sqrt(N_PATHS) })} sd ${c.total.std.toFixed(4)}` +
        ` | γ+θ+fin ${fmt(meanSe(x.gammaThetaFin))} | γ+θ ${fmt(meanSe(x.gammaTheta))}` +
        ` | residual ${fmt({ mean: c.residual.mean, se: c.residual.std / Math.sqrt(N_PATHS) })}` +
        ` | delta ${c.delta.mean.toFixed(4)} | ${x.seconds.toFixed(2)} s`
      );
    };
    report = [
      `V(40%) − V(20%) = ${edge}`,
      row('implied 252', implied252),
      row('implied 63', implied63),
      row('realised 252', realised252),
      row('realised 63', realised63),
    ].join('\n');
  });

  it('the edge is V(40 %) − V(20 %) = 7.5724', () => {
    expect(edge).toBeCloseTo(7.5724, 4);
  });

  it('hedged at implied: the discounted gamma + theta (net of financing) P&L averages the edge within 3 se', () => {
    const g = meanSe(implied252.gammaThetaFin);
    expect(Math.abs(g.mean - edge), report).toBeLessThan(3 * g.se);
    // the book's total discounted P&L too (delta is 0: hedged at the marking vol)
    const c = implied252.attribution.summary().components;
    expect(Math.abs(c.total.mean - edge), report).toBeLessThan((3 * c.total.std) / Math.sqrt(N_PATHS));
    expect(Math.abs(c.delta.mean), report).toBeLessThan(1e-12);
  });

  it('what the second-order terms leave (the residual) is an O(dt) bias: small, and smaller at 252 than 63 steps', () => {
    // gamma + theta + financing + delta + residual = total exactly; E[total] = the edge at any N,
    // so the residual's mean is minus the discretisation bias of the gamma–theta P&L
    const r252 = implied252.attribution.summary().components.residual;
    const r63 = implied63.attribution.summary().components.residual;
    expect(Math.abs(r252.mean), report).toBeLessThan(0.005 * edge);
    expect(Math.abs(r63.mean) / Math.abs(r252.mean), report).toBeGreaterThan(2);
    const c = implied252.attribution.summary().components;
    const g = meanSe(implied252.gammaThetaFin);
    expect(g.mean + c.delta.mean + c.residual.mean, report).toBeCloseTo(c.total.mean, 10);
  });

  it('wrong method: gamma + Black-Scholes theta without the hedge financing misses the edge by > 3 se', () => {
    const g = meanSe(implied252.gammaTheta);
    expect(Math.abs(g.mean - edge), report).toBeGreaterThan(3 * g.se);
  });

  it('hedged at realised vol the P&L is far less dispersed and its sd halves from 63 to 252 rebalances', () => {
    const imp = sdSe(implied252.attribution.get('total'));
    const rea252 = sdSe(realised252.attribution.get('total'));
    const rea63 = sdSe(realised63.attribution.get('total'));
    const imp63 = sdSe(implied63.attribution.get('total'));
    const ratioRealised = rea63.sd / rea252.sd;
    const ratioImplied = imp63.sd / imp.sd;
    const msg = `${report}\nsd implied ${imp63.sd}→${imp.sd} (${ratioImplied}), realised ${rea63.sd}→${rea252.sd} (${ratioRealised})`;
    expect(rea252.sd * 3, msg).toBeLessThan(imp.sd);
    // 1/√N: √(252/63) = 2
    expect(ratioRealised, msg).toBeGreaterThan(1.8);
    expect(ratioRealised, msg).toBeLessThan(2.2);
    // Derman–Kamal: sd ≈ √(π/4)·σ·ν(σ)/√N (ν at the realised vol), within 5 %
    const d1 = (r + 0.5 * REALISED * REALISED) / REALISED;
    const vega = (S0 * Math.exp(-0.5 * d1 * d1)) / Math.sqrt(2 * Math.PI);
    const dk = (Math.sqrt(Math.PI / 4) * REALISED * vega) / Math.sqrt(252);
    expect(Math.abs(rea252.sd / dk - 1), msg).toBeLessThan(0.05);
    // hedged at implied, more rebalancing barely helps
    expect(ratioImplied, msg).toBeLessThan(1.2);
    // and the realised-vol hedge still earns the edge on average
    const c = realised252.attribution.summary().components.total;
    expect(Math.abs(c.mean - edge), msg).toBeLessThan((3 * c.std) / Math.sqrt(N_PATHS));
  });
});
