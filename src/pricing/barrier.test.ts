import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.ts';
import type { BarrierParams, BarrierType } from './barrier.ts';
import { BARRIER_CODE, barrierGreeks, barrierPrice, barrierPriceBatch } from './barrier.ts';
import { bsmGreeks, bsmPrice } from './black-scholes.ts';

const SEED = 20261125;
const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url), 'utf8'));

interface FixtureCase extends BarrierParams {
  readonly ql: number;
  readonly exact: number;
  readonly tag: string;
}

const vanillaOf = (p: Omit<BarrierParams, 'barrierType'>) =>
  bsmPrice(p.type, p.spot, p.strike, p.expiry, p.rate, p.dividend, p.vol);
const KINDS: BarrierType[] = ['down-in', 'down-out', 'up-in', 'up-out'];

describe('barrierPrice against QuantLib AnalyticBarrierEngine', () => {
  for (const name of ['barrier-random.json', 'barrier-edge.json']) {
    it(`matches ${name} (QuantLib and 40-digit values) to 1e-10 × max(spot, strike)`, () => {
      const fx = fixture(`quantlib/${name}`);
      const tolExact = fx.tolerance.price_vs_exact.abs as number;
      const tolQl = fx.tolerance.price_vs_ql.abs as number;
      const failures: unknown[] = [];
      const types = new Set<string>();
      for (const c of fx.cases as FixtureCase[]) {
        const v = barrierPrice(c);
        const scale = Math.max(c.spot, c.strike);
        if (!(Math.abs(v - c.exact) <= tolExact * scale && Math.abs(v - c.ql) <= tolQl * scale)) {
          failures.push({ ...c, hedgekit: v });
        }
        types.add(`${c.type} ${c.barrierType}`);
      }
      expect(failures).toEqual([]);
      expect(types.size).toBe(8);
      expect(fx.cases.length).toBeGreaterThan(700);
    });
  }
});

describe('barrierPrice against Haug (2007) Table 4-13', () => {
  it('reproduces all 72 printed values within one unit of the 4th decimal', () => {
    const fx = fixture('haug/barrier-table.json');
    const tol = fx.tolerance.value.abs as number;
    const failures: unknown[] = [];
    for (const c of fx.cases) {
      const p = {
        ...c,
        spot: fx.spot,
        expiry: fx.expiry,
        rate: fx.rate,
        dividend: fx.rate - fx.carry,
        rebate: fx.rebate,
      };
      const v = barrierPrice(p);
      if (!(Math.abs(v - c.value) <= tol)) failures.push({ ...p, haug: c.value, hedgekit: v });
    }
    expect(failures).toEqual([]);
    expect(fx.cases.length).toBe(72);
  });
});

const base = { spot: 100, strike: 100, expiry: 1, rate: 0.05, dividend: 0.02, vol: 0.25 };

describe('spot at or through the barrier', () => {
  it('a knock-out is worth its rebate, paid now', () => {
    for (const [barrierType, barrier] of [
      ['down-out', 100],
      ['down-out', 110],
      ['up-out', 100],
      ['up-out', 90],
    ] as const) {
      for (const type of ['call', 'put'] as const) {
        expect(barrierPrice({ ...base, type, barrierType, barrier, rebate: 2.5 })).toBe(2.5);
        const g = barrierGreeks({ ...base, type, barrierType, barrier, rebate: 2.5 });
        expect(g).toEqual({ price: 2.5, delta: 0, gamma: 0, vega: 0, theta: 0, rho: 0 });
      }
    }
  });

  it('a knock-in is the vanilla (rebate ignored) with the vanilla Greeks', () => {
    for (const [barrierType, barrier] of [
      ['down-in', 100],
      ['down-in', 120],
      ['up-in', 100],
      ['up-in', 80],
    ] as const) {
      for (const type of ['call', 'put'] as const) {
        const p = { ...base, type, barrierType, barrier, rebate: 2.5 };
        expect(barrierPrice(p)).toBeCloseTo(vanillaOf(p), 12);
        const g = barrierGreeks(p);
        const v = bsmGreeks(type, p.spot, p.strike, p.expiry, p.rate, p.dividend, p.vol);
        for (const k of ['delta', 'gamma', 'vega', 'theta', 'rho'] as const) {
          expect(Math.abs(g[k] - v[k]), k).toBeLessThan(1e-8 * (1 + Math.abs(v[k])));
        }
      }
    }
  });

  it('the live price converges to those values as the spot approaches the barrier', () => {
    for (const type of ['call', 'put'] as const) {
      const dn = { ...base, type, barrier: 90, rebate: 3 };
      const up = { ...base, type, barrier: 110, rebate: 3 };
      const eps = 1e-9;
      expect(barrierPrice({ ...dn, barrierType: 'down-out', spot: 90 * (1 + eps) })).toBeCloseTo(3, 6);
      expect(barrierPrice({ ...up, barrierType: 'up-out', spot: 110 * (1 - eps) })).toBeCloseTo(3, 6);
      const dIn = { ...dn, barrierType: 'down-in' as const, spot: 90 * (1 + eps) };
      expect(barrierPrice(dIn)).toBeCloseTo(vanillaOf(dIn), 6);
      const uIn = { ...up, barrierType: 'up-in' as const, spot: 110 * (1 - eps) };
      expect(barrierPrice(uIn)).toBeCloseTo(vanillaOf(uIn), 6);
    }
  });
});

describe('portfolio insurance with a down-and-out put (a barrier strategy)', () => {
  // Protection on 100 of stock, strike 100, knocked out at 80: cheap, and gone in a crash.
  const dop = {
    type: 'put',
    barrierType: 'down-out',
    strike: 100,
    barrier: 80,
    rebate: 0.5,
    expiry: 1,
  } as const;
  const mkt = { rate: 0.03, dividend: 0.01, vol: 0.3 };

  it('costs less than the vanilla put', () => {
    const p = { ...dop, ...mkt, spot: 100 };
    const dopValue = barrierPrice(p);
    const putValue = vanillaOf(p);
    expect(dopValue).toBeGreaterThan(0);
    expect(dopValue).toBeLessThan(0.5 * putValue);
  });

  it('collapses to its rebate once the spot crosses the barrier while the vanilla put jumps', () => {
    // a crash path 100 → 90 → 81 → 79 (barrier 80)
    const path = [100, 90, 81, 79];
    const dopv = path.map((spot) => barrierPrice({ ...dop, ...mkt, spot }));
    const putv = path.map((spot) => vanillaOf({ ...dop, ...mkt, spot }));
    expect(dopv[3]).toBe(0.5); // knocked out: only the rebate is left, paid now
    for (let i = 1; i < path.length; i++) {
      expect(dopv[i]).toBeLessThan(dopv[i - 1]); // the "protection" loses value as the market falls
      expect(putv[i]).toBeGreaterThan(putv[i - 1]); // the vanilla put gains
    }
    expect(putv[3] - putv[0]).toBeGreaterThan(11); // 10.73 → 22.42
    expect(dopv[0] - dopv[3]).toBeGreaterThan(0.5); // 1.06 → 0.50
    // its delta is positive all the way down: a long DOP is long the market, not insurance
    for (const spot of [100, 90, 81])
      expect(barrierGreeks({ ...dop, ...mkt, spot }).delta).toBeGreaterThan(0);
    expect(bsmGreeks('put', 81, 100, 1, mkt.rate, mkt.dividend, mkt.vol).delta).toBeLessThan(-0.5);
  });
});

describe('vol = 0 (deterministic path)', () => {
  it('pays the rebate at the hitting time τ = ln(H/S)/(r − q)', () => {
    const p = {
      type: 'call',
      barrierType: 'down-out',
      spot: 100,
      strike: 90,
      barrier: 95,
      rebate: 2,
      expiry: 1,
    } as const;
    const m = { rate: 0.02, dividend: 0.1 };
    const tau = Math.log(0.95) / (0.02 - 0.1);
    expect(barrierPrice({ ...p, ...m, vol: 0 })).toBeCloseTo(2 * Math.exp(-0.02 * tau), 14);
    // the σ → 0 limit of the closed form agrees
    expect(barrierPrice({ ...p, ...m, vol: 1e-4 })).toBeCloseTo(2 * Math.exp(-0.02 * tau), 4);
    // never hit: the forward intrinsic value; knock-in then pays its rebate at expiry
    const up = { ...p, ...m, rate: 0.1, dividend: 0.02, vol: 0 };
    expect(barrierPrice(up)).toBeCloseTo(Math.max(100 * Math.exp(-0.02) - 90 * Math.exp(-0.1), 0), 14);
    expect(barrierPrice({ ...up, barrierType: 'down-in' })).toBeCloseTo(2 * Math.exp(-0.1), 14);
  });
});

describe('input validation', () => {
  const ok: BarrierParams = { ...base, type: 'call', barrierType: 'down-out', barrier: 90 };
  it('throws DomainError naming the parameter', () => {
    const cases: [Partial<BarrierParams>, string][] = [
      [{ barrier: 0 }, 'barrier'],
      [{ barrier: Number.NaN }, 'barrier'],
      [{ spot: -1 }, 'spot'],
      [{ strike: 0 }, 'strike'],
      [{ expiry: 0 }, 'expiry'],
      [{ vol: -0.1 }, 'vol'],
      [{ rebate: -1 }, 'rebate'],
      [{ rate: Number.POSITIVE_INFINITY }, 'rate'],
      [{ dividend: Number.NaN }, 'dividend'],
      [{ barrierType: 'sideways' as BarrierType }, 'barrierType'],
      [{ rate: -0.05, dividend: -0.05, vol: 0.2, rebate: 1 }, 'rate'], // λ² = μ² + 2r/σ² < 0
    ];
    for (const [patch, param] of cases) {
      const call = () => barrierPrice({ ...ok, ...patch });
      expect(call).toThrow(DomainError);
      try {
        call();
      } catch (e) {
        expect((e as DomainError).param).toBe(param);
      }
    }
    expect(barrierPrice({ ...ok, vol: 0 })).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------- properties

const arbCase = fc.record({
  type: fc.constantFrom('call' as const, 'put' as const),
  spot: fc.double({ min: 20, max: 300, noNaN: true }),
  moneyness: fc.double({ min: -0.6, max: 0.6, noNaN: true }),
  gap: fc.double({ min: 0.002, max: 0.6, noNaN: true }),
  expiry: fc.double({ min: 0.01, max: 5, noNaN: true }),
  rate: fc.double({ min: 0, max: 0.12, noNaN: true }),
  dividend: fc.double({ min: -0.02, max: 0.1, noNaN: true }),
  vol: fc.double({ min: 0.05, max: 1, noNaN: true }),
});

type ArbCase = typeof arbCase extends fc.Arbitrary<infer T> ? T : never;

function build(c: ArbCase, down: boolean) {
  const barrier = down ? c.spot * (1 - c.gap) : c.spot / (1 - c.gap);
  return { ...c, strike: c.spot * Math.exp(c.moneyness), barrier, rebate: 0 };
}

describe('barrier identities (fast-check)', () => {
  it('in + out = vanilla when the rebate is 0', () => {
    fc.assert(
      fc.property(arbCase, fc.boolean(), (c, down) => {
        const p = build(c, down);
        const vin = barrierPrice({ ...p, barrierType: down ? 'down-in' : 'up-in' });
        const vout = barrierPrice({ ...p, barrierType: down ? 'down-out' : 'up-out' });
        const scale = Math.max(p.spot, p.strike);
        expect(Math.abs(vin + vout - vanillaOf(p))).toBeLessThanOrEqual(1e-12 * scale);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('0 <= knock-out <= vanilla and knock-in >= 0', () => {
    fc.assert(
      fc.property(arbCase, fc.boolean(), (c, down) => {
        const p = build(c, down);
        const vout = barrierPrice({ ...p, barrierType: down ? 'down-out' : 'up-out' });
        const vin = barrierPrice({ ...p, barrierType: down ? 'down-in' : 'up-in' });
        expect(vout).toBeGreaterThanOrEqual(0);
        expect(vin).toBeGreaterThanOrEqual(0);
        expect(vout).toBeLessThanOrEqual(vanillaOf(p) + 1e-12 * Math.max(p.spot, p.strike));
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('moving the barrier towards the spot lowers knock-outs and raises knock-ins', () => {
    fc.assert(
      fc.property(arbCase, fc.boolean(), fc.double({ min: 0.05, max: 0.95, noNaN: true }), (c, down, f) => {
        const far = build(c, down);
        const near = build({ ...c, gap: c.gap * f }, down);
        const tol = 1e-12 * Math.max(far.spot, far.strike);
        const out = down ? 'down-out' : 'up-out';
        const inn = down ? 'down-in' : 'up-in';
        expect(barrierPrice({ ...near, barrierType: out })).toBeLessThanOrEqual(
          barrierPrice({ ...far, barrierType: out }) + tol,
        );
        expect(barrierPrice({ ...near, barrierType: inn })).toBeGreaterThanOrEqual(
          barrierPrice({ ...far, barrierType: inn }) - tol,
        );
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});

describe('barrierGreeks', () => {
  const GK = ['delta', 'gamma', 'vega', 'theta', 'rho'] as const;

  it('in + out Greeks equal the analytic vanilla Greeks (rebate 0), also next to the barrier', () => {
    fc.assert(
      fc.property(arbCase, fc.boolean(), fc.boolean(), (c, down, hug) => {
        // hug: spot within 1e-5..1e-3 of the barrier, forcing the one-sided stencils
        const p = build(hug ? { ...c, gap: c.gap / 600 } : c, down);
        const gi = barrierGreeks({ ...p, barrierType: down ? 'down-in' : 'up-in' });
        const go = barrierGreeks({ ...p, barrierType: down ? 'down-out' : 'up-out' });
        const v = bsmGreeks(p.type, p.spot, p.strike, p.expiry, p.rate, p.dividend, p.vol);
        const S = p.spot;
        const scale: Record<(typeof GK)[number], number> = {
          delta: 1,
          gamma: 1 / (S * p.vol * Math.sqrt(p.expiry)),
          vega: S * Math.sqrt(p.expiry),
          theta: (S * p.vol) / Math.sqrt(p.expiry),
          rho: S * p.expiry,
        };
        for (const k of GK) {
          const err = Math.abs(gi[k] + go[k] - v[k]);
          if (!(err <= 2e-7 * scale[k]))
            throw new Error(`${k}: in ${gi[k]} + out ${go[k]} vs ${v[k]} ${JSON.stringify(p)}`);
        }
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('satisfy the Black-Scholes PDE θ + (r−q)SΔ + ½σ²S²Γ − rV = 0 on the live side, with rebates', () => {
    fc.assert(
      fc.property(
        arbCase,
        fc.constantFrom(...KINDS),
        fc.double({ min: 0, max: 10, noNaN: true }),
        (c, kind, rebate) => {
          const p = { ...build(c, kind.startsWith('down')), rebate, barrierType: kind };
          const g = barrierGreeks(p);
          const S = p.spot;
          const resid =
            g.theta +
            (p.rate - p.dividend) * S * g.delta +
            0.5 * p.vol ** 2 * S * S * g.gamma -
            p.rate * g.price;
          const scale = Math.max(S, p.strike, rebate) * (p.vol ** 2 + p.rate + 1 / p.expiry);
          if (!(Math.abs(resid) <= 2e-7 * scale))
            throw new Error(`residual ${resid} ${JSON.stringify({ p, g })}`);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('agree with plain central differences of barrierPrice away from the barrier', () => {
    const p: BarrierParams = {
      type: 'call',
      barrierType: 'up-out',
      spot: 100,
      strike: 95,
      barrier: 130,
      rebate: 2,
      expiry: 0.75,
      rate: 0.04,
      dividend: 0.01,
      vol: 0.22,
    };
    const g = barrierGreeks(p);
    const f = (d: Partial<BarrierParams>) => barrierPrice({ ...p, ...d });
    const hs = 1e-3;
    expect(g.delta).toBeCloseTo((f({ spot: 100 + hs }) - f({ spot: 100 - hs })) / (2 * hs), 6);
    expect(g.gamma).toBeCloseTo((f({ spot: 100 + 0.01 }) - 2 * g.price + f({ spot: 100 - 0.01 })) / 1e-4, 5);
    expect(g.vega).toBeCloseTo((f({ vol: 0.22 + 1e-5 }) - f({ vol: 0.22 - 1e-5 })) / 2e-5, 5);
    expect(g.theta).toBeCloseTo(-(f({ expiry: 0.75 + 1e-5 }) - f({ expiry: 0.75 - 1e-5 })) / 2e-5, 5);
    expect(g.rho).toBeCloseTo((f({ rate: 0.04 + 1e-6 }) - f({ rate: 0.04 - 1e-6 })) / 2e-6, 4);
  });
});

describe('barrierPriceBatch', () => {
  it('equals the scalar API element by element, Greeks included, and gives NaN for invalid rows', () => {
    const fx = fixture('quantlib/barrier-edge.json');
    const cs = (fx.cases as FixtureCase[]).slice(0, 200);
    const n = cs.length + 1;
    const col = (k: keyof BarrierParams) => Float64Array.from([...cs.map((c) => c[k] as number), 1]);
    const input = {
      sign: Int8Array.from([...cs.map((c) => (c.type === 'call' ? 1 : -1)), 1]),
      barrierType: Uint8Array.from([...cs.map((c) => BARRIER_CODE[c.barrierType]), 1]),
      spot: col('spot'),
      strike: col('strike'),
      barrier: Float64Array.from([...cs.map((c) => c.barrier), -5]), // last row invalid
      rebate: col('rebate'),
      expiry: col('expiry'),
      rate: col('rate'),
      dividend: col('dividend'),
      vol: col('vol'),
    };
    const prices = { price: new Float64Array(n) };
    barrierPriceBatch(input, prices);
    const full = { price: new Float64Array(n), delta: new Float64Array(n), theta: new Float64Array(n) };
    barrierPriceBatch(input, full);
    cs.forEach((c, i) => {
      expect(prices.price[i]).toBe(barrierPrice(c));
      const g = barrierGreeks(c);
      expect(full.price[i]).toBe(g.price);
      expect(full.delta[i]).toBe(g.delta);
      expect(full.theta[i]).toBe(g.theta);
    });
    expect(prices.price[n - 1]).toBeNaN();
    expect(full.delta[n - 1]).toBeNaN();
    expect(() => barrierPriceBatch({ ...input, vol: new Float64Array(3) }, prices)).toThrow(DomainError);
  });
});
