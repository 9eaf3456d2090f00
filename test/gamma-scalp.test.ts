/**
 * Gamma scalping through the engine (src/strategies/gamma-scalp.ts).
 *
 * Ahmad & Wilmott (2005): a call, S = K = 100, T = 1, r = 5 %, bought at implied σ̃ = 20 % while the
 * stock realises σ = 40 % (GBM with drift r, exact), delta-hedged N times. In present value:
 *   hedged at σ      P&L = V(σ) − V(σ̃) + discrete-hedging error,  sd ≈ √(π/4)·σ·ν/√N (Derman–Kamal)
 *   hedged at σ̃      P&L = ½(σ² − σ̃²)∫₀ᵀ e^{−rt}S²Γ(σ̃) dt,        mean V(σ) − V(σ̃), sd ≈ const in N
 * with V(40 %) − V(20 %) = 7.5724. N = 63 and N = 252 share their Brownian paths (one daily grid,
 * the hedge trading every 4th day or every day).
 *
 * Regimes: a straddle bought at 20 % earns in the `whipsaw` preset (equity σ 30 %, mean reverting)
 * and pays theta in `calm-bull` (σ 12 % calm, brief 25 % turbulent spells).
 *
 * References: R. Ahmad, P. Wilmott, Wilmott Magazine (Nov 2005); E. Derman, M. Kamal, Goldman Sachs
 * QS Research Notes (1999); E. Sinclair, Volatility Trading (2nd ed.).
 */
import { describe, expect, it } from 'vitest';
import { runEngine, type StrategyRun } from '../src/engine/engine.ts';
import type { PricingVolSpec } from '../src/market/pricing-vol.ts';
import { constantRate } from '../src/market/rate.ts';
import { GbmGenerator } from '../src/paths/gbm.ts';
import { HestonGenerator } from '../src/paths/heston.ts';
import { regimePreset } from '../src/paths/presets.ts';
import type { PathGenerator } from '../src/paths/types.ts';
import { uniformGrid } from '../src/paths/types.ts';
import { type CostModel, costModel } from '../src/portfolio/costs.ts';
import { bsmPrice } from '../src/pricing/black-scholes.ts';
import { gammaScalp, straddleLegs } from '../src/strategies/gamma-scalp.ts';
import type { OptionLeg } from '../src/strategies/option-book.ts';

const r = 0.05;
const EQ = [{ name: 'EQ', assetClass: 'equity' as const, spot: 100 }];
const CALL: OptionLeg[] = [{ asset: 0, type: 'call', strike: 1, expiry: 1, quantity: 1 }];
const EDGE = bsmPrice('call', 100, 100, 1, r, 0, 0.4) - bsmPrice('call', 100, 100, 1, r, 0, 0.2);

interface Stats {
  mean: number;
  sd: number;
  se: number;
  /** Relative standard error of the sample sd, √((κ − 1)/(4n)), κ the sample kurtosis. */
  sdRelSe: number;
}

/** Present-value P&L statistics, e^{−rT}·V_T − V₀, over the paths. */
function pvStats(terminal: Float64Array, T: number, v0: number): Stats {
  const n = terminal.length;
  const x = Array.from(terminal, (v) => Math.exp(-r * T) * v - v0);
  const mean = x.reduce((a, b) => a + b, 0) / n;
  const m2 = x.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
  const m4 = x.reduce((a, b) => a + (b - mean) ** 4, 0) / n;
  const sd = Math.sqrt((m2 * n) / (n - 1));
  return { mean, sd, se: sd / Math.sqrt(n), sdRelSe: Math.sqrt((m4 / (m2 * m2) - 1) / (4 * n)) };
}

function scalpRun(
  legs: OptionLeg[],
  hedgeVol: 'implied' | number,
  calendar: number,
  vols: PricingVolSpec = { kind: 'constant', vol: 0.2 },
  costs: CostModel = costModel(),
): StrategyRun {
  return {
    strategy: gammaScalp({ legs, hedgeVol, name: `${hedgeVol} every ${calendar}` }),
    costs,
    rebalance: { calendar },
    vols,
  };
}

function run(
  generator: PathGenerator,
  T: number,
  steps: number,
  nPaths: number,
  runs: StrategyRun[],
  seed = 2005,
) {
  return runEngine({
    generator,
    grid: uniformGrid(T, steps),
    nPaths,
    seed,
    initialValue: 100,
    runs,
    stepsPerYear: steps / T,
  });
}

describe('gamma scalp: Ahmad & Wilmott (call bought at 20 %, realised 40 %)', () => {
  const N = 20_000;
  const gbm = () => new GbmGenerator({ assets: EQ, vols: [0.4], rate: constantRate(r) });
  const res = run(gbm(), 1, 252, N, [
    scalpRun(CALL, 0.4, 1),
    scalpRun(CALL, 0.4, 4),
    scalpRun(CALL, 'implied', 1),
    scalpRun(CALL, 'implied', 4),
  ]);
  const [real252, real63, impl252, impl63] = res.runs.map((x) => pvStats(x.terminal, 1, 100));

  it('V(40 %) − V(20 %) = 7.5724', () => {
    expect(EDGE).toBeCloseTo(7.5724, 4);
  });

  it('hedged at the realised vol earns V(σ) − V(σ̃) within 3 SE, with an sd that halves from 63 to 252 rebalances', () => {
    for (const s of [real252, real63]) expect(Math.abs(s.mean - EDGE)).toBeLessThan(3 * s.se);
    // sd ∝ 1/√N: ratio √(252/63) = 2. The band is 3 standard errors of the ratio of two sample sds,
    // each of relative SE √((κ − 1)/(4n)) (delta method), counted as independent (they are
    // positively correlated, so this overstates the noise).
    const ratio = real63.sd / real252.sd;
    const band = 3 * 2 * Math.hypot(real63.sdRelSe, real252.sdRelSe);
    expect(band).toBeLessThan(0.1);
    expect(Math.abs(ratio - 2)).toBeLessThan(band);
    // Derman–Kamal: sd ≈ √(π/4)·σ·ν/√N, ν the vega at σ: 0.845 at N = 252. Allowance: 3 SE of the
    // sample sd (2 %) plus the leading-order formula's own O(1/N) error.
    const vega =
      (bsmPrice('call', 100, 100, 1, r, 0, 0.4 + 1e-5) - bsmPrice('call', 100, 100, 1, r, 0, 0.4 - 1e-5)) /
      2e-5;
    const dk = (Math.sqrt(Math.PI / 4) * 0.4 * vega) / Math.sqrt(252);
    expect(Math.abs(real252.sd / dk - 1)).toBeLessThan(0.05);
  });

  it('hedged at implied vol earns the same in expectation, with a path-dependent sd that more rebalancing does not reduce', () => {
    for (const s of [impl252, impl63]) expect(Math.abs(s.mean - EDGE)).toBeLessThan(3 * s.se);
    expect(impl63.sd / impl252.sd).toBeLessThan(1.2);
    // The path dependence dwarfs the discrete-hedging error of the realised-vol hedge.
    expect(impl252.sd).toBeGreaterThan(3 * real252.sd);
  });
});

describe('gamma scalp: attribution', () => {
  it('splits a straddle’s P&L: gamma + theta + financing is the vol edge, costs are the fees, the residual is small', () => {
    const N = 20_000;
    const straddle = straddleLegs(0, 1, 1, 1);
    const costs = costModel({ bps: { equity: 2 }, optionSpreadFraction: 0.01 });
    const res = runEngine({
      generator: new GbmGenerator({ assets: EQ, vols: [0.4], rate: constantRate(r) }),
      grid: uniformGrid(1, 252),
      nPaths: N,
      seed: 8,
      initialValue: 100,
      runs: [scalpRun(straddle, 'implied', 1, { kind: 'constant', vol: 0.2 }, costs)],
      stepsPerYear: 252,
      attribution: 'book',
    }).runs[0];
    const c = res.attribution!.book;
    // Put–call parity: the put's edge equals the call's.
    const edge = 2 * EDGE;
    const se = c.total.std / Math.sqrt(N);
    const explained = c.gamma.mean + c.theta.mean + c.financing.mean;
    expect(Math.abs(explained - edge)).toBeLessThan(3 * se + Math.abs(c.residual.mean));
    expect(Math.abs(c.total.mean - c.costs.mean - edge)).toBeLessThan(3 * se);
    // Long gamma earns gamma and pays theta; no vol moves at a constant pricing vol.
    expect(c.gamma.mean).toBeGreaterThan(0);
    expect(c.theta.mean).toBeLessThan(0);
    expect(c.vega.mean).toBe(0);
    expect(Math.abs(c.residual.mean)).toBeLessThan(0.02 * edge);
    // Costs: minus the present value of every fee (option spread and hedge trades).
    const fees = res.fees.reduce((t, x) => t + x, 0) / N;
    expect(c.costs.mean).toBeLessThan(0);
    expect(-c.costs.mean).toBeLessThanOrEqual(fees);
    expect(-c.costs.mean).toBeGreaterThanOrEqual(Math.exp(-r) * fees);
    // Total = D_T·V_T − V₀.
    const pv = pvStats(res.terminal, 1, 100);
    expect(c.total.mean).toBeCloseTo(pv.mean, 9);
  });

  it('marked at the model vol under Heston, the vega term carries the vol move (down from 30 %, up from 15 %) and lines add up to the book', () => {
    const heston = (v0: number) =>
      new HestonGenerator({
        assets: EQ,
        heston: [{ v0, kappa: 4, theta: 0.04, xi: 0.3, rho: -0.5 }],
        rate: constantRate(r),
      });
    const one = (v0: number) => {
      const res = runEngine({
        generator: heston(v0),
        grid: uniformGrid(0.5, 126),
        nPaths: 4000,
        seed: 21,
        initialValue: 100,
        runs: [
          {
            strategy: gammaScalp({ legs: straddleLegs(0, 1, 0.25, 1), roll: 0.125 }),
            costs: costModel(),
            rebalance: {},
            vols: { kind: 'model' },
          },
        ],
        stepsPerYear: 252,
        attribution: 'lines',
      });
      return res.runs[0].attribution!;
    };
    const down = one(0.09);
    const up = one(0.0225);
    const se = (a: typeof down) => a.book.vega.std / Math.sqrt(4000);
    expect(down.book.vega.mean).toBeLessThan(-3 * se(down));
    expect(up.book.vega.mean).toBeGreaterThan(3 * se(up));
    for (const a of [down, up]) {
      // Four rolls of call + put: eight lines, whose gamma and vega add up to the book's.
      expect(a.lines).toHaveLength(8);
      for (const k of ['gamma', 'vega', 'theta'] as const) {
        const sum = a.lines.reduce((t, l) => t + l.components[k].mean, 0);
        expect(sum).toBeCloseTo(a.book[k].mean, 9);
      }
      // The residual is small next to the terms it is left over from.
      expect(Math.abs(a.book.residual.mean)).toBeLessThan(0.1 * Math.abs(a.book.vega.mean));
    }
  });
});

describe('gamma scalp: whipsaw versus calm regimes', () => {
  it('a straddle bought at 20 % earns in whipsaw (σ 30 %) and pays theta in calm-bull (σ 12 %)', () => {
    const N = 10_000;
    const regime = (name: string) => {
      const res = runEngine({
        generator: regimePreset(name)(EQ, constantRate(r)),
        grid: uniformGrid(0.25, 63),
        nPaths: N,
        seed: 13,
        initialValue: 100,
        runs: [scalpRun(straddleLegs(0, 1, 0.25, 1), 'implied', 1)],
        stepsPerYear: 252,
        attribution: 'book',
      }).runs[0];
      return { pv: pvStats(res.terminal, 0.25, 100), att: res.attribution!.book };
    };
    const whipsaw = regime('whipsaw');
    const calm = regime('calm-bull');
    expect(whipsaw.pv.mean).toBeGreaterThan(3 * whipsaw.pv.se);
    expect(calm.pv.mean).toBeLessThan(-3 * calm.pv.se);
    // Both pay theta at the same implied vol; the realised gamma makes the difference.
    for (const x of [whipsaw, calm]) expect(x.att.theta.mean).toBeLessThan(0);
    expect(whipsaw.att.gamma.mean + whipsaw.att.theta.mean).toBeGreaterThan(0);
    expect(calm.att.gamma.mean + calm.att.theta.mean).toBeLessThan(0);
  });
});
