import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.ts';
import { blackBatch, bsmGreeks, bsmPrice } from '../pricing/black-scholes.ts';
import type { OptionType } from '../pricing/types.ts';
import { instrumentUnitCost } from './hedge-inputs.ts';
import { forwardHedge, optionGridHedges, underlyingHedge, vegaBucket } from './hedge-instruments.ts';
import { solveHedge } from './hedge-model.ts';

const MARKET = { name: 'SPX', spot: 100, rate: 0.03, dividend: 0.01, vol: 0.2 };
// Buckets: 0 delta, 1 gamma, 2 vega ≤ 0.25y, 3 vega > 0.25y.
const BUCKETS = {
  nBuckets: 4,
  delta: 0,
  gamma: 1,
  vega: [
    { maxExpiry: 0.25, bucket: 2 },
    { maxExpiry: 10, bucket: 3 },
  ],
};

describe('hedge instrument builders', () => {
  it('put the BSM delta, gamma and vega of each grid option into its buckets, with vol-point spread costs', () => {
    const grid = optionGridHedges(
      MARKET,
      {
        types: ['put', 'call'],
        strikePct: [90, 110],
        expiries: [0.25, 1],
        spreadVolPoints: 0.8,
        feePerContract: 0.5,
        multiplier: 100,
      },
      BUCKETS,
    );
    expect(grid.map((g) => g.id)).toEqual([
      'SPX put K=90 T=0.25',
      'SPX put K=90 T=1',
      'SPX put K=110 T=0.25',
      'SPX put K=110 T=1',
      'SPX call K=90 T=0.25',
      'SPX call K=90 T=1',
      'SPX call K=110 T=0.25',
      'SPX call K=110 T=1',
    ]);
    const g = bsmGreeks('put', 100, 110, 1, 0.03, 0.01, 0.2);
    expect(Array.from(grid[3].exposure)).toEqual([g.delta, g.gamma, 0, g.vega]);
    const s = bsmGreeks('call', 100, 90, 0.25, 0.03, 0.01, 0.2);
    expect(Array.from(grid[4].exposure)).toEqual([s.delta, s.gamma, s.vega, 0]);
    expect(instrumentUnitCost(grid[3])).toBeCloseTo(0.5 * 0.8 * 0.01 * g.vega + 0.005, 14);
  });

  it('give the underlying delta 1, a forward e^{−qT} and a future e^{(r−q)T}', () => {
    expect(Array.from(underlyingHedge(BUCKETS, 'SPX').exposure)).toEqual([1, 0, 0, 0]);
    expect(forwardHedge(MARKET, 'forward', 0.5, BUCKETS).exposure[0]).toBeCloseTo(Math.exp(-0.01 * 0.5), 15);
    const fut = forwardHedge(MARKET, 'future', 0.5, BUCKETS);
    expect(fut.exposure[0]).toBeCloseTo(Math.exp(0.02 * 0.5), 15);
    expect(fut.id).toBe('SPX future K=101.005 T=0.5');
    expect(vegaBucket(BUCKETS, 30)).toBe(3);
    expect(() => underlyingHedge({ nBuckets: 2, delta: 2 }, 'SPX')).toThrow(DomainError);
  });

  it('feed the LP: gamma and vega bands met with a grid, the underlying taking the delta', async () => {
    const instruments = [
      underlyingHedge(BUCKETS, 'SPX', { spread: { kind: 'price', spread: 0.02 } }),
      ...optionGridHedges(
        MARKET,
        { types: ['call', 'put'], strikePct: [90, 100, 110], expiries: [0.25, 1], spreadVolPoints: 1 },
        BUCKETS,
      ),
    ];
    // The book: short 2,000 of a 3-month 95 put and 2,500 of a 1-year 105 call.
    const a = bsmGreeks('put', 100, 95, 0.25, 0.03, 0.01, 0.2);
    const b = bsmGreeks('call', 100, 105, 1, 0.03, 0.01, 0.2);
    const exposure = [
      -2000 * a.delta - 2500 * b.delta,
      -2000 * a.gamma - 2500 * b.gamma,
      -2000 * a.vega,
      -2500 * b.vega,
    ];
    const plan = await solveHedge({
      buckets: [
        { name: 'delta', lo: -50, hi: 50, weight: 1 },
        { name: 'gamma', lo: -5, hi: 5, weight: 1 },
        { name: 'vega ≤3m', lo: -500, hi: 500, weight: 1 },
        { name: 'vega >3m', lo: -500, hi: 500, weight: 1 },
      ],
      exposure,
      instruments,
    });
    expect(plan.status).toBe('optimal');
    expect(Array.from(plan.residual)).toEqual([0, 0, 0, 0]);
    // least cost stops at band edges rather than neutralising: the vega bands end at an edge
    expect(plan.binding.map((c) => c.kind === 'band-lower' || c.kind === 'band-upper')).toContain(true);
    expect(Math.abs(plan.post[2])).toBeCloseTo(500, 6);
    expect(Math.abs(plan.post[3])).toBeCloseTo(500, 6);
  });
});

// Greeks vs central differences of the price. Tolerance per case: D(h/2) is compared with the
// analytic Greek within |D(h) − D(h/2)| + rounding. With D(h) = f′ + a·h² + O(h⁴) the truncation
// error of D(h/2) is a·h²/4 ≈ |D(h) − D(h/2)|/3, so the bound holds with a factor-3 margin; the
// rounding term is the price kernel's error δ = 8ε·(S + K) (a few ulps on each of its two terms)
// amplified by the difference quotient: δ/h′ for a first difference, 4δ/h′² for a second one
// (h′ = h/2 the step of the compared quotient).
const EPS = 2.220446049250313e-16;

interface Case {
  type: OptionType;
  S: number;
  K: number;
  T: number;
  r: number;
  q: number;
  v: number;
}
const caseArb = fc.record({
  type: fc.constantFrom<OptionType>('call', 'put'),
  S: fc.constant(100),
  K: fc.double({ min: 60, max: 160, noNaN: true }),
  T: fc.double({ min: 0.05, max: 3, noNaN: true }),
  r: fc.double({ min: -0.02, max: 0.08, noNaN: true }),
  q: fc.double({ min: 0, max: 0.05, noNaN: true }),
  v: fc.double({ min: 0.05, max: 0.8, noNaN: true }),
});
const price = (c: Case, d: Partial<Case> = {}) => {
  const x = { ...c, ...d };
  return bsmPrice(x.type, x.S, x.K, x.T, x.r, x.q, x.v);
};
const greeks = (c: Case, d: Partial<Case> = {}) => {
  const x = { ...c, ...d };
  return bsmGreeks(x.type, x.S, x.K, x.T, x.r, x.q, x.v);
};

/** First and second central differences of f at x with step h. */
const d1 = (f: (x: number) => number, x: number, h: number) => (f(x + h) - f(x - h)) / (2 * h);
const d2 = (f: (x: number) => number, x: number, h: number) => (f(x + h) - 2 * f(x) + f(x - h)) / (h * h);

function check(
  name: string,
  analytic: number,
  fd: (h: number) => number,
  h: number,
  rounding: number,
  c: Case,
) {
  const coarse = fd(h);
  const fine = fd(h / 2);
  const tol = Math.abs(coarse - fine) + rounding;
  if (!(Math.abs(fine - analytic) <= tol))
    throw new Error(`${name}: analytic ${analytic} vs FD ${fine} (tol ${tol}) for ${JSON.stringify(c)}`);
}

describe('every Greek fed to the solver equals a central difference of the price (fast-check, seeded)', () => {
  it('delta and gamma vs spot bumps, vega and volga vs vol bumps, vanna = ∂Δ/∂σ, theta = ∂V/∂t', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        return checkAllGreeks(c, greeks(c));
      }),
      { seed: 20261125, numRuns: 400 },
    );
  });

  it('blackBatch gives the same Greeks as bsmGreeks for the batch the grid builder makes', () => {
    fc.assert(
      fc.property(fc.array(caseArb, { minLength: 1, maxLength: 20 }), (cases) => {
        const n = cases.length;
        const col = (f: (c: Case) => number) => Float64Array.from(cases, f);
        const out = {
          price: new Float64Array(n),
          delta: new Float64Array(n),
          gamma: new Float64Array(n),
          vega: new Float64Array(n),
          theta: new Float64Array(n),
          vanna: new Float64Array(n),
          volga: new Float64Array(n),
        };
        blackBatch(
          {
            sign: Int8Array.from(cases, (c) => (c.type === 'call' ? 1 : -1)),
            spot: col((c) => c.S),
            strike: col((c) => c.K),
            expiry: col((c) => c.T),
            rate: col((c) => c.r),
            dividend: col((c) => c.q),
            vol: col((c) => c.v),
          },
          out,
        );
        cases.forEach((c, i) => {
          const g = greeks(c);
          expect([out.delta[i], out.gamma[i], out.vega[i], out.theta[i], out.vanna[i], out.volga[i]]).toEqual(
            [g.delta, g.gamma, g.vega, g.theta, g.vanna, g.volga],
          );
        });
      }),
      { seed: 7, numRuns: 50 },
    );
  });
});

function checkAllGreeks(c: Case, g: ReturnType<typeof bsmGreeks>): boolean {
  const rounding = 8 * EPS * (c.S + c.K); // price rounding δ
  const hS = 1e-3 * c.S;
  const hV = 1e-3;
  const hT = 1e-3 * c.T;
  const byS = (S: number) => price(c, { S });
  const byV = (v: number) => price(c, { v });
  const byT = (T: number) => price(c, { T });
  check('delta', g.delta, (h) => d1(byS, c.S, h), hS, rounding / (hS / 2), c);
  check('gamma', g.gamma, (h) => d2(byS, c.S, h), hS, (4 * rounding) / (hS / 2) ** 2, c);
  check('vega', g.vega, (h) => d1(byV, c.v, h), hV, rounding / (hV / 2), c);
  check('volga', g.volga, (h) => d2(byV, c.v, h), hV, (4 * rounding) / (hV / 2) ** 2, c);
  // Vanna from the delta (already checked against the price): Δ is accurate to a few ulps of 1.
  check('vanna', g.vanna, (h) => d1((v) => greeks(c, { v }).delta, c.v, h), hV, (8 * EPS) / (hV / 2), c);
  // Theta is ∂V/∂t of calendar time = −∂V/∂T (time to expiry falls as t rises).
  check('theta', g.theta, (h) => -d1(byT, c.T, h), hT, rounding / (hT / 2), c);
  return true;
}
