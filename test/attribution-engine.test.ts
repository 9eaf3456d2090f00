/**
 * P&L attribution through the engine: Ahmad & Wilmott's volatility-arbitrage example. A long call
 * (S = K = 100, T = 1, r = 5 %) bought at implied 20 % and delta-hedged daily at 20 % while the
 * stock realises 40 % earns V(40 %) − V(20 %) = 7.5724 in expectation (present value); the engine's
 * attribution puts it in gamma + theta + financing, and the residual is small.
 * References: Ahmad & Wilmott, "Which free lunch would you like today, Sir?", Wilmott Magazine (2005).
 */
import { describe, expect, it } from 'vitest';
import { runEngine } from '../src/engine/engine.ts';
import { constantRate } from '../src/market/rate.ts';
import { GbmGenerator } from '../src/paths/gbm.ts';
import { uniformGrid } from '../src/paths/types.ts';
import { costModel } from '../src/portfolio/costs.ts';
import { bsmPrice } from '../src/pricing/black-scholes.ts';
import { deltaHedge } from '../src/strategies/delta-hedge.ts';

describe('engine P&L attribution', () => {
  const r = 0.05;
  const N = 20_000;
  const run = (attribution: 'book' | 'lines') =>
    runEngine({
      generator: new GbmGenerator({
        assets: [{ name: 'EQ', assetClass: 'equity', spot: 100 }],
        vols: [0.4],
        rate: constantRate(r),
      }),
      grid: uniformGrid(1, 252),
      nPaths: N,
      seed: 2005,
      initialValue: 100,
      runs: [
        {
          strategy: deltaHedge({ asset: 0, type: 'call', strike: 100, tenor: 1, quantity: 1 }),
          costs: costModel(),
          rebalance: {},
          vols: { kind: 'constant', vol: 0.2 },
        },
      ],
      stepsPerYear: 252,
      attribution,
    });

  it('a call bought at 20 % and hedged under 40 % earns V(40 %) − V(20 %) = 7.5724 in gamma + theta + financing', () => {
    const edge = bsmPrice('call', 100, 100, 1, r, 0, 0.4) - bsmPrice('call', 100, 100, 1, r, 0, 0.2);
    expect(edge).toBeCloseTo(7.5724, 4);
    const a = run('lines').runs[0].attribution!;
    const c = a.book;
    // Per-path sum of the three components, from the per-component means and the total's spread.
    const explained = c.gamma.mean + c.theta.mean + c.financing.mean;
    const se = c.total.std / Math.sqrt(N);
    expect(Math.abs(explained - edge)).toBeLessThan(3 * se + Math.abs(c.residual.mean));
    expect(Math.abs(c.total.mean - edge)).toBeLessThan(3 * se);
    // The wrong method: gamma + theta alone misses the financing of the option and its hedge.
    expect(Math.abs(c.gamma.mean + c.theta.mean - edge)).toBeGreaterThan(10 * se);
    // Constant pricing vol: no vega, vanna or volga P&L; the residual is small next to the edge.
    expect(c.vega.mean).toBe(0);
    expect(c.vanna.mean).toBe(0);
    expect(Math.abs(c.residual.mean)).toBeLessThan(0.02 * edge);
    // The components add up to the total on every path, so their means do too.
    const parts = c.delta.mean + c.gamma.mean + c.vega.mean + c.theta.mean + c.vanna.mean + c.volga.mean;
    expect(parts + c.carry.mean + c.financing.mean + c.costs.mean + c.residual.mean).toBeCloseTo(
      c.total.mean,
      9,
    );
    // The option line: its gamma is the book's, its delta P&L is hedged away in the book.
    expect(a.lines).toHaveLength(1);
    expect(a.lines[0].contract).toBe('EQ call K=100 T=1');
    expect(a.lines[0].components.gamma.mean).toBeCloseTo(c.gamma.mean, 9);
    expect(Math.abs(c.delta.mean)).toBeLessThan(Math.abs(a.lines[0].components.delta.mean) + 1e-9);
  });
});

describe('engine P&L attribution with costs', () => {
  it('attributes the opening trades’ costs too: total = D_T·V_T − V₀ and costs = −PV of every fee', () => {
    const res = runEngine({
      generator: new GbmGenerator({
        assets: [{ name: 'EQ', assetClass: 'equity', spot: 100 }],
        vols: [0.25],
        rate: constantRate(0.02),
      }),
      grid: uniformGrid(0.5, 26),
      nPaths: 512,
      seed: 3,
      initialValue: 100,
      runs: [
        {
          strategy: deltaHedge({ asset: 0, type: 'put', strike: 95, tenor: 0.5, quantity: -1 }),
          costs: costModel({ bps: { equity: 10 }, optionSpreadFraction: 0.05 }),
          rebalance: {},
          vols: { kind: 'constant', vol: 0.25 },
        },
      ],
      stepsPerYear: 52,
      attribution: 'book',
    }).runs[0];
    const c = res.attribution!.book;
    const pv = res.terminal.reduce((t, v) => t + Math.exp(-0.02 * 0.5) * v - 100, 0) / 512;
    expect(c.total.mean).toBeCloseTo(pv, 9);
    // Every fee is in `costs`, discounted by at most e^{−rT}: the opening spread alone is 2.5 % of the put.
    const fees = res.fees.reduce((t, x) => t + x, 0) / 512;
    expect(-c.costs.mean).toBeLessThanOrEqual(fees);
    expect(-c.costs.mean).toBeGreaterThanOrEqual(Math.exp(-0.02 * 0.5) * fees);
  });
});
