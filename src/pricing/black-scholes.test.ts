import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.ts';
import { black76Greeks, black76Price, blackBatch, bsmGreeks, bsmPrice } from './black-scholes.ts';
import type { Greeks, OptionType } from './types.ts';

interface Case {
  model: 'bsm' | 'black76';
  type: OptionType;
  spot: number;
  strike: number;
  expiry: number;
  rate: number;
  dividend: number;
  vol: number;
  mpmath: Greeks;
  quantlib: Partial<Greeks>;
}
interface Tol {
  abs?: number;
  abs_per_scale?: number;
  abs_per_inv_scale?: number;
  rel: number;
}
const fixture = JSON.parse(
  readFileSync(new URL('../../test/fixtures/reference/black-scholes.json', import.meta.url), 'utf8'),
) as { tolerance: Record<'mpmath' | 'quantlib', Record<string, Tol>>; cases: Case[] };

const GREEKS = [
  'price',
  'delta',
  'gamma',
  'vega',
  'theta',
  'rho',
  'dividendRho',
  'vanna',
  'volga',
  'charm',
  'dualDelta',
] as const;

function ours(c: Case): Greeks {
  return c.model === 'bsm'
    ? bsmGreeks(c.type, c.spot, c.strike, c.expiry, c.rate, c.dividend, c.vol)
    : black76Greeks(c.type, c.spot, c.strike, c.expiry, c.rate, c.vol);
}

function allowed(tol: Tol, ref: number, scale: number): number {
  const abs = (tol.abs ?? 0) + (tol.abs_per_scale ?? 0) * scale + (tol.abs_per_inv_scale ?? 0) / scale;
  return abs + tol.rel * Math.abs(ref);
}

function compare(source: 'mpmath' | 'quantlib') {
  const failures: string[] = [];
  let checked = 0;
  for (const c of fixture.cases) {
    const got = ours(c);
    const ref = c[source];
    const scale = Math.max(c.spot, c.strike);
    for (const g of GREEKS) {
      const want = ref[g];
      if (want === undefined) continue;
      checked++;
      const err = Math.abs(got[g] - want);
      if (!(err <= allowed(fixture.tolerance[source][g], want, scale))) {
        failures.push(
          `${g}: got ${got[g]} want ${want} (err ${err.toExponential(2)}) for ${JSON.stringify(c)}`,
        );
      }
    }
  }
  return { failures, checked };
}

describe('black-scholes against reference fixtures', () => {
  it('matches mpmath (50-digit closed form, Greeks by high-precision differentiation) for every Greek', () => {
    const { failures, checked } = compare('mpmath');
    expect(checked).toBeGreaterThan(13_000);
    expect(failures.slice(0, 20)).toEqual([]);
  });

  it('matches QuantLib BlackCalculator on price, delta, gamma, vega, theta, rho and dividend rho', () => {
    const { failures, checked } = compare('quantlib');
    expect(checked).toBeGreaterThan(6_000);
    expect(failures.slice(0, 20)).toEqual([]);
  });

  it('batch API gives bit-identical results to the scalar API', () => {
    const cases = fixture.cases.filter((c) => c.model === 'bsm');
    const n = cases.length;
    const col = (f: (c: Case) => number) => Float64Array.from(cases, f);
    const input = {
      sign: Int8Array.from(cases, (c) => (c.type === 'call' ? 1 : -1)),
      spot: col((c) => c.spot),
      strike: col((c) => c.strike),
      expiry: col((c) => c.expiry),
      rate: col((c) => c.rate),
      dividend: col((c) => c.dividend),
      vol: col((c) => c.vol),
    };
    const out = {
      price: new Float64Array(n),
      delta: new Float64Array(n),
      gamma: new Float64Array(n),
      vega: new Float64Array(n),
      theta: new Float64Array(n),
      rho: new Float64Array(n),
    };
    blackBatch(input, out);
    cases.forEach((c, i) => {
      const g = ours(c);
      expect([out.price[i], out.delta[i], out.gamma[i], out.vega[i], out.theta[i], out.rho[i]]).toEqual([
        g.price,
        g.delta,
        g.gamma,
        g.vega,
        g.theta,
        g.rho,
      ]);
    });
  });
});

describe('black-scholes known values and edges', () => {
  it('prices the textbook at-the-money call (Hull: S=K=100, T=1, r=5 %, σ=20 % → 10.4506)', () => {
    expect(bsmPrice('call', 100, 100, 1, 0.05, 0, 0.2)).toBeCloseTo(10.450583572185565, 13);
  });

  it('at zero vol returns the discounted forward intrinsic value with a step delta', () => {
    const g = bsmGreeks('call', 100, 90, 1, 0.05, 0.02, 0);
    expect(g.price).toBeCloseTo(100 * Math.exp(-0.02) - 90 * Math.exp(-0.05), 12);
    expect(g.delta).toBeCloseTo(Math.exp(-0.02), 14);
    expect(g.gamma).toBe(0);
    expect(g.vega).toBe(0);
    expect(bsmPrice('put', 100, 90, 1, 0.05, 0.02, 0)).toBe(0);
  });

  it('never returns a negative price deep out of the money', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        fc.double({ min: 1e-4, max: 40, noNaN: true }),
        fc.double({ min: 1e-3, max: 3, noNaN: true }),
        fc.double({ min: -0.05, max: 0.2, noNaN: true }),
        (moneyness, T, vol, r) => {
          const call = bsmPrice('call', 100, 100 * moneyness, T, r, 0, vol);
          const put = bsmPrice('put', 100, 100 / moneyness, T, r, 0, vol);
          return call >= 0 && put >= 0;
        },
      ),
      { seed: 20261125, numRuns: 2000 },
    );
  });

  it('rejects invalid inputs with a DomainError naming the parameter', () => {
    expect(() => bsmPrice('call', -1, 100, 1, 0.05, 0, 0.2)).toThrow(DomainError);
    expect(() => bsmPrice('call', 100, 100, 1, 0.05, 0, -0.2)).toThrow('vol (-0.2) must be >= 0');
    expect(() => bsmPrice('call', 100, 100, 0, 0.05, 0, 0.2)).toThrow('expiry (0) must be > 0');
    expect(() => black76Price('put', 100, Number.NaN, 1, 0.05, 0.2)).toThrow('strike (NaN) must be > 0');
    expect(() => black76Price('put', 0, 100, 1, 0.05, 0.2)).toThrow('forward (0) must be > 0');
  });

  it('batch marks invalid rows NaN without throwing and prices the others', () => {
    const out = { price: new Float64Array(2), delta: new Float64Array(2) };
    blackBatch(
      {
        sign: Int8Array.of(1, 1),
        spot: Float64Array.of(100, -5),
        strike: Float64Array.of(100, 100),
        expiry: Float64Array.of(1, 1),
        rate: Float64Array.of(0.05, 0.05),
        vol: Float64Array.of(0.2, 0.2),
      },
      out,
    );
    expect(out.price[0]).toBeCloseTo(10.450583572185565, 13);
    expect(out.price[1]).toBeNaN();
    expect(out.delta[1]).toBeNaN();
  });
});

const arbOption = fc.record({
  spot: fc.double({ min: 1, max: 1000, noNaN: true }),
  moneyness: fc.double({ min: 0.3, max: 3, noNaN: true }),
  expiry: fc.double({ min: 0.01, max: 10, noNaN: true }),
  rate: fc.double({ min: -0.02, max: 0.15, noNaN: true }),
  dividend: fc.double({ min: -0.02, max: 0.1, noNaN: true }),
  vol: fc.double({ min: 0.02, max: 2, noNaN: true }),
});

describe('black-scholes properties', () => {
  it('satisfies put-call parity C − P = S·e^{−qT} − K·e^{−rT}', () => {
    fc.assert(
      fc.property(arbOption, (o) => {
        const K = o.spot * o.moneyness;
        const c = bsmPrice('call', o.spot, K, o.expiry, o.rate, o.dividend, o.vol);
        const p = bsmPrice('put', o.spot, K, o.expiry, o.rate, o.dividend, o.vol);
        const parity = o.spot * Math.exp(-o.dividend * o.expiry) - K * Math.exp(-o.rate * o.expiry);
        return Math.abs(c - p - parity) <= 1e-12 * Math.max(o.spot, K);
      }),
      { seed: 20261125, numRuns: 3000 },
    );
  });

  it('stays within the no-arbitrage bounds max(S·e^{−qT} − K·e^{−rT}, 0) <= C <= S·e^{−qT}', () => {
    fc.assert(
      fc.property(arbOption, (o) => {
        const K = o.spot * o.moneyness;
        const c = bsmPrice('call', o.spot, K, o.expiry, o.rate, o.dividend, o.vol);
        const Sq = o.spot * Math.exp(-o.dividend * o.expiry);
        const eps = 1e-13 * Math.max(o.spot, K);
        return c >= Math.max(Sq - K * Math.exp(-o.rate * o.expiry), 0) - eps && c <= Sq + eps;
      }),
      { seed: 20261125, numRuns: 3000 },
    );
  });

  it('is decreasing and convex in strike, increasing in vol', () => {
    fc.assert(
      fc.property(arbOption, fc.double({ min: 0.001, max: 0.2, noNaN: true }), (o, h) => {
        const K = o.spot * o.moneyness;
        const dK = K * h;
        const f = (k: number, v = o.vol) => bsmPrice('call', o.spot, k, o.expiry, o.rate, o.dividend, v);
        const tol = 1e-12 * o.spot;
        const decreasing = f(K + dK) <= f(K) + tol;
        const convex = f(K - dK) + f(K + dK) - 2 * f(K) >= -4 * tol;
        const vegaPositive = f(K, o.vol * 1.01) >= f(K) - tol;
        return decreasing && convex && vegaPositive;
      }),
      { seed: 20261125, numRuns: 3000 },
    );
  });

  it('has Greeks that agree with central finite differences', () => {
    fc.assert(
      fc.property(arbOption, fc.constantFrom<OptionType>('call', 'put'), (o, type) => {
        const K = o.spot * o.moneyness;
        const P = (S: number, T: number, r: number, q: number, v: number) => bsmPrice(type, S, K, T, r, q, v);
        const g = bsmGreeks(type, o.spot, K, o.expiry, o.rate, o.dividend, o.vol);
        const hS = o.spot * 1e-4;
        const hT = Math.min(o.expiry * 1e-4, 1e-4);
        const h = 1e-5;
        const fd = {
          delta:
            (P(o.spot + hS, o.expiry, o.rate, o.dividend, o.vol) -
              P(o.spot - hS, o.expiry, o.rate, o.dividend, o.vol)) /
            (2 * hS),
          vega:
            (P(o.spot, o.expiry, o.rate, o.dividend, o.vol + h) -
              P(o.spot, o.expiry, o.rate, o.dividend, o.vol - h)) /
            (2 * h),
          theta:
            -(
              P(o.spot, o.expiry + hT, o.rate, o.dividend, o.vol) -
              P(o.spot, o.expiry - hT, o.rate, o.dividend, o.vol)
            ) /
            (2 * hT),
          rho:
            (P(o.spot, o.expiry, o.rate + h, o.dividend, o.vol) -
              P(o.spot, o.expiry, o.rate - h, o.dividend, o.vol)) /
            (2 * h),
          dividendRho:
            (P(o.spot, o.expiry, o.rate, o.dividend + h, o.vol) -
              P(o.spot, o.expiry, o.rate, o.dividend - h, o.vol)) /
            (2 * h),
        };
        for (const [k, v] of Object.entries(fd)) {
          const a = g[k as keyof Greeks];
          if (Math.abs(a - v) > 1e-5 * (1 + Math.abs(a)) * Math.max(1, o.spot / 100)) return false;
        }
        return true;
      }),
      { seed: 20261125, numRuns: 1000 },
    );
  });

  it('Black-76 equals BSM with dividend yield = rate on the spot F·e^{−(r−q)T} construction', () => {
    fc.assert(
      fc.property(arbOption, (o) => {
        const K = o.spot * o.moneyness;
        const F = o.spot * Math.exp((o.rate - o.dividend) * o.expiry);
        const a = black76Price('call', F, K, o.expiry, o.rate, o.vol);
        const b = bsmPrice('call', o.spot, K, o.expiry, o.rate, o.dividend, o.vol);
        return Math.abs(a - b) <= 1e-11 * Math.max(F, K, o.spot);
      }),
      { seed: 20261125, numRuns: 2000 },
    );
  });
});

describe('black-scholes batch with the caller’s ln S', () => {
  it('differs from ln(S/K) by the rounding of ln S − ln K alone (Δ, Γ and price within the derived bound)', () => {
    // Both batches take ln(S/K) as x and then run the same arithmetic, so the outputs move by
    // ∂/∂x · δx with δx the difference of the two roundings of x, plus each output's own rounding:
    // |∂Δ/∂x| = cf·φ(d1)/(σ√T) ≤ cf/(σ√T·√(2π)), |∂Γ/∂x| ≤ cf·|d1|φ(d1)/(S(σ√T)²) ≤ cf/(S(σ√T)²·√(2πe)),
    // and ∂price/∂x = ω(Scf·φ(d1) − Kdf·φ(d2))/(σ√T), each term at most Scf/(σ√T·√(2π)).
    const eps = 2 ** -52;
    const c = 1 / Math.sqrt(2 * Math.PI);
    let moved = 0;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            sign: fc.constantFrom(1, -1),
            spot: fc.double({ min: 1, max: 1000, noNaN: true }),
            strike: fc.constantFrom(50, 90, 100, 100, 130, 400),
            expiry: fc.double({ min: 0.01, max: 3, noNaN: true }),
            rate: fc.double({ min: -0.02, max: 0.1, noNaN: true }),
            dividend: fc.double({ min: 0, max: 0.05, noNaN: true }),
            vol: fc.double({ min: 0.05, max: 1, noNaN: true }),
          }),
          { minLength: 1, maxLength: 200 },
        ),
        (rows) => {
          const input = {
            sign: Int8Array.from(rows, (r) => r.sign),
            spot: Float64Array.from(rows, (r) => r.spot),
            strike: Float64Array.from(rows, (r) => r.strike),
            expiry: Float64Array.from(rows, (r) => r.expiry),
            rate: Float64Array.from(rows, (r) => r.rate),
            vol: Float64Array.from(rows, (r) => r.vol),
            dividend: Float64Array.from(rows, (r) => r.dividend),
          };
          const n = rows.length;
          const out = () => ({
            price: new Float64Array(n),
            delta: new Float64Array(n),
            gamma: new Float64Array(n),
          });
          const a = out();
          const b = out();
          blackBatch(input, a);
          blackBatch({ ...input, logSpot: input.spot.map(Math.log) }, b);
          for (let i = 0; i < n; i++) {
            const { spot: S, strike: K, expiry: T, rate: r, dividend: q, vol } = rows[i];
            const dx = Math.abs(Math.log(S) - Math.log(K) - Math.log(S / K));
            const sv = vol * Math.sqrt(T);
            const cf = Math.exp(-q * T);
            const Scf = S * cf;
            const Kdf = K * Math.exp(-r * T);
            const dDelta = Math.abs(a.delta[i] - b.delta[i]);
            const dGamma = Math.abs(a.gamma[i] - b.gamma[i]);
            const dPrice = Math.abs(a.price[i] - b.price[i]);
            if (dDelta + dGamma + dPrice > 0) moved++;
            if (dDelta > (cf * c * dx) / sv + 4 * eps * Math.max(Math.abs(a.delta[i]), Math.abs(b.delta[i])))
              return false;
            const gBound = (cf * c * dx) / (Math.sqrt(Math.E) * S * sv * sv);
            if (dGamma > gBound + 4 * eps * Math.max(a.gamma[i], b.gamma[i])) return false;
            if (dPrice > ((Scf + Kdf) * c * dx) / sv + 8 * eps * (Scf + Kdf)) return false;
          }
          return true;
        },
      ),
      { numRuns: 300 },
    );
    // The two roundings do differ on many options: the bound is exercised, not trivially met.
    expect(moved).toBeGreaterThan(100);
  });

  it('reads the given ln S (a shifted ln S moves Δ as a shifted spot would)', () => {
    const spot = Float64Array.of(100, 120, 80, 400);
    const input = {
      sign: Int8Array.of(1, -1, 1, -1),
      spot,
      strike: Float64Array.of(100, 100, 100, 100),
      expiry: Float64Array.of(0.5, 1, 2, 0.25),
      rate: Float64Array.of(0.02, 0.02, 0.02, 0.02),
      vol: Float64Array.of(0.2, 0.3, 0.25, 0.4),
    };
    const a = { price: new Float64Array(4), delta: new Float64Array(4) };
    const b = { price: new Float64Array(4), delta: new Float64Array(4) };
    // ln S + h prices the forward of S·e^h (Δ = ω·cf·Φ(ωd1) with d1 shifted by h/(σ√T)).
    const h = 0.01;
    blackBatch({ ...input, spot: spot.map((S) => S * Math.exp(h)) }, a);
    blackBatch({ ...input, logSpot: spot.map((S) => Math.log(S) + h) }, b);
    for (let i = 0; i < 4; i++) expect(Math.abs(b.delta[i] - a.delta[i])).toBeLessThan(1e-14);
    blackBatch(input, a);
    for (let i = 0; i < 4; i++) expect(b.delta[i]).toBeGreaterThan(a.delta[i]);
    expect(b.delta[0] - a.delta[0]).toBeGreaterThan(1e-3);
  });
});
