import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.ts';
import { bsmPrice } from './black-scholes.ts';
import type { DigitalGreeks, DigitalParams } from './digital.ts';
import { DIGITAL_CODE, digitalBatch, digitalGreeks, digitalPrice } from './digital.ts';

const SEED = 20261125;
const GK = ['price', 'delta', 'gamma', 'vega', 'theta', 'rho'] as const;
type G = (typeof GK)[number];

interface FixtureCase extends DigitalParams {
  readonly ql: DigitalGreeks;
  readonly exact: DigitalGreeks;
  readonly tag: string;
}

const fx = JSON.parse(
  readFileSync(new URL('../../test/fixtures/quantlib/digital.json', import.meta.url), 'utf8'),
);

describe('digitalGreeks against QuantLib AnalyticEuropeanEngine', () => {
  it('matches price, delta, gamma, vega, theta, rho (QuantLib and 40-digit values) within the fixture tolerances', () => {
    const tol = fx.tolerance;
    const absTol = (k: G, c: FixtureCase) => {
      const scale = Math.max(c.spot, c.strike, c.cash ?? 0);
      if (k === 'delta') return tol.delta.abs_rel_to_scale_over_spot * (scale / c.spot);
      if (k === 'gamma') return tol.gamma.abs_rel_to_scale_over_spot2 * (scale / (c.spot * c.spot));
      return tol[k].abs_rel_to_scale * scale;
    };
    const failures: unknown[] = [];
    const kinds = new Set<string>();
    for (const c of fx.cases as FixtureCase[]) {
      const g = digitalGreeks(c);
      kinds.add(`${c.type} ${c.payoff}`);
      for (const k of GK) {
        for (const ref of [c.exact[k], c.ql[k]]) {
          const allowed = absTol(k, c) + tol[k].rel * Math.abs(ref);
          if (!(Math.abs(g[k] - ref) <= allowed)) failures.push({ greek: k, hedgekit: g[k], ref, ...c });
        }
      }
    }
    expect(failures).toEqual([]);
    expect(kinds.size).toBe(4);
    expect(fx.cases.length).toBeGreaterThan(1000);
  });
});

describe('digitalPrice against Haug (2007) §4.19 worked examples', () => {
  it('cash-or-nothing put S=100, X=80, K=10, T=0.75, r=6 %, b=0, σ=35 % is 2.6710', () => {
    const p = {
      type: 'put',
      payoff: 'cash',
      spot: 100,
      strike: 80,
      cash: 10,
      expiry: 0.75,
      rate: 0.06,
      dividend: 0.06,
      vol: 0.35,
    } as const;
    expect(digitalPrice(p)).toBeCloseTo(2.671, 4);
  });
  it('asset-or-nothing put S=70, X=65, T=0.5, r=7 %, b=2 %, σ=27 % is 20.2069', () => {
    const p = {
      type: 'put',
      payoff: 'asset',
      spot: 70,
      strike: 65,
      expiry: 0.5,
      rate: 0.07,
      dividend: 0.05,
      vol: 0.27,
    } as const;
    expect(digitalPrice(p)).toBeCloseTo(20.2069, 4);
  });
});

const arb = fc.record({
  spot: fc.double({ min: 10, max: 500, noNaN: true }),
  moneyness: fc.double({ min: -1, max: 1, noNaN: true }),
  cash: fc.double({ min: 0.1, max: 50, noNaN: true }),
  expiry: fc.double({ min: 0.005, max: 10, noNaN: true }),
  rate: fc.double({ min: -0.02, max: 0.15, noNaN: true }),
  dividend: fc.double({ min: -0.02, max: 0.1, noNaN: true }),
  vol: fc.double({ min: 0.02, max: 1.5, noNaN: true }),
});
type Arb = typeof arb extends fc.Arbitrary<infer T> ? T : never;
const mk = (c: Arb) => ({ ...c, strike: c.spot * Math.exp(c.moneyness) });

describe('digital parities (fast-check)', () => {
  it('cash call + cash put = cash·e^{−rT}; asset call + asset put = S·e^{−qT}', () => {
    fc.assert(
      fc.property(arb, (c) => {
        const p = mk(c);
        const cc = digitalPrice({ ...p, type: 'call', payoff: 'cash' });
        const cp = digitalPrice({ ...p, type: 'put', payoff: 'cash' });
        expect(Math.abs(cc + cp - p.cash * Math.exp(-p.rate * p.expiry))).toBeLessThanOrEqual(1e-13 * p.cash);
        const ac = digitalPrice({ ...p, type: 'call', payoff: 'asset' });
        const ap = digitalPrice({ ...p, type: 'put', payoff: 'asset' });
        expect(Math.abs(ac + ap - p.spot * Math.exp(-p.dividend * p.expiry))).toBeLessThanOrEqual(
          1e-13 * p.spot,
        );
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('asset-or-nothing call − K × cash-or-nothing call (cash 1) = vanilla call, and the same for puts', () => {
    fc.assert(
      fc.property(arb, fc.constantFrom('call' as const, 'put' as const), (c, type) => {
        const p = mk(c);
        const a = digitalPrice({ ...p, type, payoff: 'asset' });
        const k = digitalPrice({ ...p, type, payoff: 'cash', cash: 1 });
        const w = type === 'call' ? 1 : -1;
        const vanilla = bsmPrice(type, p.spot, p.strike, p.expiry, p.rate, p.dividend, p.vol);
        expect(Math.abs(w * (a - p.strike * k) - vanilla)).toBeLessThanOrEqual(
          1e-12 * Math.max(p.spot, p.strike),
        );
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

describe('digital Greeks vs central finite differences of digitalPrice', () => {
  it('agree for all four kinds at 1e-6 relative', () => {
    fc.assert(
      fc.property(
        arb,
        fc.constantFrom('call' as const, 'put' as const),
        fc.constantFrom('cash' as const, 'asset' as const),
        (c, type, payoff) => {
          const p: DigitalParams = { ...mk(c), type, payoff };
          const g = digitalGreeks(p);
          const f = (d: Partial<DigitalParams>) => digitalPrice({ ...p, ...d });
          const s = p.vol * Math.sqrt(p.expiry);
          const hs = 1e-3 * p.spot * s;
          const hv = 1e-4 * p.vol;
          // each variable's natural scale (the d's move by ~1), and steps of 1e-4 of it
          const scaleT = Math.min(
            p.expiry,
            s / Math.max(Math.abs(p.rate - p.dividend), Math.abs(p.rate), 1e-3),
          );
          const scaleR = Math.min(p.vol / Math.sqrt(p.expiry), 1 / p.expiry);
          const ht = 1e-4 * scaleT;
          const hr = 1e-4 * scaleR;
          const fd: Record<Exclude<G, 'price'>, number> = {
            delta: (f({ spot: p.spot + hs }) - f({ spot: p.spot - hs })) / (2 * hs),
            gamma: (f({ spot: p.spot + hs }) - 2 * g.price + f({ spot: p.spot - hs })) / (hs * hs),
            vega: (f({ vol: p.vol + hv }) - f({ vol: p.vol - hv })) / (2 * hv),
            theta: -(f({ expiry: p.expiry + ht }) - f({ expiry: p.expiry - ht })) / (2 * ht),
            rho: (f({ rate: p.rate + hr }) - f({ rate: p.rate - hr })) / (2 * hr),
          };
          // natural scale of each Greek (price scale / variable scale) for the absolute part
          const V = Math.max(p.payoff === 'cash' ? (p.cash ?? 1) : p.spot, 1e-300);
          const scale: Record<Exclude<G, 'price'>, number> = {
            delta: V / (p.spot * s),
            gamma: V / (p.spot * s) ** 2,
            vega: V / p.vol,
            theta: V / scaleT,
            rho: V / scaleR,
          };
          for (const k of ['delta', 'gamma', 'vega', 'theta', 'rho'] as const) {
            const err = Math.abs(g[k] - fd[k]);
            if (!(err <= 1e-6 * scale[k]))
              throw new Error(`${k}: ${g[k]} vs FD ${fd[k]} ${JSON.stringify(p)}`);
          }
        },
      ),
      { seed: SEED, numRuns: 400 },
    );
  });
});

describe('vol = 0 and validation', () => {
  it('vol = 0 pays for sure or never (Φ(0) = ½ at F = X, where the Greeks are NaN)', () => {
    const p = {
      type: 'call',
      payoff: 'cash',
      spot: 100,
      strike: 90,
      cash: 5,
      expiry: 2,
      rate: 0.03,
      dividend: 0.01,
      vol: 0,
    } as const;
    const g = digitalGreeks(p);
    expect(g.price).toBeCloseTo(5 * Math.exp(-0.06), 14);
    expect(g.delta).toBe(0);
    expect(g.rho).toBeCloseTo(-2 * g.price, 14);
    expect(digitalPrice({ ...p, type: 'put' })).toBe(0);
    // F = X exactly (b = 0 and X = S): the σ → 0 limit ½
    const ga = digitalGreeks({ ...p, payoff: 'asset', strike: 100, rate: 0.02, dividend: 0.02 });
    expect(ga.price).toBeCloseTo(0.5 * 100 * Math.exp(-0.04), 12);
    expect(ga.gamma).toBeNaN();
  });

  it('throws DomainError naming the parameter', () => {
    const ok: DigitalParams = {
      type: 'call',
      payoff: 'cash',
      spot: 100,
      strike: 100,
      expiry: 1,
      rate: 0.05,
      dividend: 0,
      vol: 0.2,
    };
    const cases: [Partial<DigitalParams>, string][] = [
      [{ spot: 0 }, 'spot'],
      [{ strike: -1 }, 'strike'],
      [{ expiry: 0 }, 'expiry'],
      [{ vol: -0.01 }, 'vol'],
      [{ cash: -1 }, 'cash'],
      [{ rate: Number.NaN }, 'rate'],
      [{ dividend: Number.POSITIVE_INFINITY }, 'dividend'],
      [{ payoff: 'bond' as 'cash' }, 'payoff'],
      [{ type: 'straddle' as 'call' }, 'type'],
    ];
    for (const [patch, param] of cases) {
      expect(() => digitalPrice({ ...ok, ...patch })).toThrow(DomainError);
      try {
        digitalGreeks({ ...ok, ...patch });
      } catch (e) {
        expect((e as DomainError).param).toBe(param);
      }
    }
  });
});

describe('digitalBatch', () => {
  it('equals digitalGreeks element by element and gives NaN for invalid rows', () => {
    const cs = (fx.cases as FixtureCase[]).slice(0, 300);
    const n = cs.length + 2;
    const col = (k: 'spot' | 'strike' | 'expiry' | 'rate' | 'dividend' | 'vol') =>
      Float64Array.from([...cs.map((c) => c[k]), 100, 100]);
    const input = {
      sign: Int8Array.from([...cs.map((c) => (c.type === 'call' ? 1 : -1)), 1, 1]),
      payoff: Uint8Array.from([...cs.map((c) => DIGITAL_CODE[c.payoff]), 7, 0]), // bad code
      spot: col('spot'),
      strike: col('strike'),
      cash: Float64Array.from([...cs.map((c) => c.cash ?? 1), 1, 1]),
      expiry: Float64Array.from([...cs.map((c) => c.expiry), 1, -1]), // bad expiry
      rate: col('rate'),
      dividend: col('dividend'),
      vol: col('vol'),
    };
    const out = {
      price: new Float64Array(n),
      delta: new Float64Array(n),
      gamma: new Float64Array(n),
      vega: new Float64Array(n),
      theta: new Float64Array(n),
      rho: new Float64Array(n),
    };
    digitalBatch(input, out);
    cs.forEach((c, i) => {
      const g = digitalGreeks(c);
      for (const k of GK) expect(out[k][i]).toBe(g[k]);
    });
    for (const k of GK) {
      expect(out[k][n - 2]).toBeNaN();
      expect(out[k][n - 1]).toBeNaN();
    }
    expect(() => digitalBatch({ ...input, rate: new Float64Array(2) }, out)).toThrow(DomainError);
  });
});
