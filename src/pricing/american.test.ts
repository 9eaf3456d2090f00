import { describe, expect, it } from 'vitest';
import fixture from '../../test/fixtures/quantlib/american.json' with { type: 'json' };
import { DomainError } from '../core/errors.ts';
import { americanGreeks, americanPrice } from './american.ts';
import { bsmGreeks, bsmPrice } from './black-scholes.ts';
import type { OptionType } from './types.ts';

interface Case {
  type: string;
  S: number;
  K: number;
  T: number;
  r: number;
  q: number;
  vol: number;
  kind: string;
  qdfp?: { price: number; spread: number; delta: number; gamma: number; theta: number };
  fd: { price: number; delta: number; gamma: number; theta: number };
}
const cases = fixture.cases as Case[];
const tol = fixture.tolerance;
const intrinsic = (c: Case) => Math.max(0, c.type === 'call' ? c.S - c.K : c.K - c.S);
const args = (c: Case) => [c.type as OptionType, c.S, c.K, c.T, c.r, c.q, c.vol] as const;
const fail = (c: Case, what: string, got: number, want: number) => {
  throw new Error(
    `${what}: got ${got}, expected ${want}; inputs ${JSON.stringify({ ...c, qdfp: undefined, fd: undefined })}`,
  );
};

describe('americanGreeks (ALO) against QuantLib 1.29', () => {
  it(`prices within max(${tol.price_vs_qdfp_rel} relative, 2x QuantLib's scheme spread) of QdFpAmericanEngine(highPrecision) on ${cases.length - 2} cases`, () => {
    for (const c of cases) {
      if (!c.qdfp) continue;
      // QD+ undershoots intrinsic by ~1e-6 deep in the exercise region; the true value cannot.
      const ref = Math.max(c.qdfp.price, intrinsic(c));
      const got = americanPrice(...args(c));
      // Allowance: 1e-7 relative, or twice QuantLib's own highPrecision-vs-accurate scheme spread
      // where that is larger (long expiries: ~3e-6 relative at T = 30 y).
      const allow = Math.max(tol.price_vs_qdfp_abs, tol.price_vs_qdfp_rel * ref, 2 * c.qdfp.spread);
      if (!(Math.abs(got - ref) <= allow)) fail(c, 'price', got, ref);
    }
  });

  it('delta, gamma, theta agree with central bumps of the QD+ engine', () => {
    for (const c of cases) {
      if (!c.qdfp || c.qdfp.price <= intrinsic(c) + 1e-9) continue;
      const g = americanGreeks(...args(c));
      // The references are bumps (h = 1e-3·S): their truncation error sets these tolerances
      // (largest at σ = 5 % and at 1-day expiry, where the price is least smooth in S).
      if (!(Math.abs(g.delta - c.qdfp.delta) <= 1e-4)) fail(c, 'delta', g.delta, c.qdfp.delta);
      if (!(Math.abs(g.gamma - c.qdfp.gamma) <= 1e-3 * Math.abs(c.qdfp.gamma) + 1e-7))
        fail(c, 'gamma', g.gamma, c.qdfp.gamma);
      if (!(Math.abs(g.theta - c.qdfp.theta) <= 2e-5 * Math.max(1, Math.abs(c.qdfp.theta))))
        fail(c, 'theta', g.theta, c.qdfp.theta);
    }
  });

  it("agrees with QuantLib's FD engine Greeks wherever QuantLib's FD and QD+ engines agree with each other", () => {
    let used = 0;
    let total = 0;
    for (const c of cases) {
      if (!c.qdfp) continue;
      total++;
      const consistent =
        Math.abs(c.fd.price - c.qdfp.price) <= tol.price_vs_fd_rel * Math.max(1, c.qdfp.price) &&
        Math.abs(c.fd.delta - c.qdfp.delta) <= tol.delta_vs_fd_abs &&
        Math.abs(c.fd.gamma - c.qdfp.gamma) <= tol.gamma_vs_fd_abs &&
        Math.abs(c.fd.theta - c.qdfp.theta) <= tol.theta_vs_fd_abs;
      if (!consistent) continue;
      used++;
      const g = americanGreeks(...args(c));
      if (!(Math.abs(g.price - c.fd.price) <= tol.price_vs_fd_rel * Math.max(1, c.fd.price)))
        fail(c, 'FD price', g.price, c.fd.price);
      if (!(Math.abs(g.delta - c.fd.delta) <= tol.delta_vs_fd_abs)) fail(c, 'FD delta', g.delta, c.fd.delta);
      if (!(Math.abs(g.gamma - c.fd.gamma) <= tol.gamma_vs_fd_abs)) fail(c, 'FD gamma', g.gamma, c.fd.gamma);
      if (!(Math.abs(g.theta - c.fd.theta) <= tol.theta_vs_fd_abs)) fail(c, 'FD theta', g.theta, c.fd.theta);
    }
    // Guard against a vacuous test: QuantLib's two engines agree on ~70 % of the cases (its FD
    // Greeks are poor at 1-day expiries and next to the exercise boundary).
    expect(used).toBeGreaterThan(0.6 * total);
  });

  it('analytic delta and gamma equal fine central differences of the ALO price', () => {
    for (const c of cases.filter((x) => x.kind === 'random').slice(0, 12)) {
      const g = americanGreeks(...args(c));
      if (g.price <= intrinsic(c) + 1e-6) continue;
      const h = 1e-3 * c.S;
      const up = americanPrice(args(c)[0], c.S + h, c.K, c.T, c.r, c.q, c.vol);
      const dn = americanPrice(args(c)[0], c.S - h, c.K, c.T, c.r, c.q, c.vol);
      expect(Math.abs(g.delta - (up - dn) / (2 * h))).toBeLessThan(1e-5);
      expect(Math.abs(g.gamma - (up - 2 * g.price + dn) / (h * h))).toBeLessThan(1e-4 * g.gamma + 1e-6);
    }
  });
});

describe('americanPrice other engines', () => {
  it(`tree (Leisen–Reimer, n = 1001 + Richardson) is within ${tol.tree_price_rel} relative of the reference`, () => {
    for (const c of cases) {
      // Documented limits of a 1001-step tree (docs/american.md): slow convergence at σ = 5 % with
      // large carry, and 1e-4 relative over 30 years (steps of 11 days).
      if (c.vol < 0.1 || c.T > 10) continue;
      const ref = c.qdfp ? Math.max(c.qdfp.price, intrinsic(c)) : c.fd.price;
      const got = americanPrice(...args(c), { method: 'tree' });
      if (!(Math.abs(got - ref) <= Math.max(tol.tree_price_abs, tol.tree_price_rel * ref)))
        fail(c, 'tree price', got, ref);
    }
  });

  it('prices the double-boundary regime (q < r < 0 puts, r < q < 0 calls) like the FD engine', () => {
    const dbl = cases.filter((c) => c.kind === 'double-boundary');
    expect(dbl.length).toBe(2);
    for (const c of dbl) {
      const got = americanPrice(...args(c));
      if (!(Math.abs(got - c.fd.price) <= 1e-4 * c.fd.price))
        fail(c, 'double-boundary price', got, c.fd.price);
      expect(got).toBeGreaterThan(bsmPrice(...args(c)) + 1e-3);
    }
  });

  it('Bjerksund–Stensland method stays at or below the accurate price and at or above max(intrinsic, European)', () => {
    for (const c of cases) {
      if (!c.qdfp) continue;
      const got = americanPrice(...args(c), { method: 'bjerksund-stensland' });
      const ref = Math.max(c.qdfp.price, intrinsic(c));
      expect(got).toBeLessThanOrEqual(ref * (1 + 1e-7) + 1e-9);
      expect(got).toBeGreaterThanOrEqual(Math.max(intrinsic(c), bsmPrice(...args(c))));
    }
  });
});

describe('americanPrice conventions and edge cases', () => {
  it('never falls below max(intrinsic, European) for any engine in any fixture case', () => {
    for (const method of ['alo', 'tree', 'bjerksund-stensland'] as const) {
      for (const c of cases) {
        const v = americanPrice(...args(c), { method });
        const lo = Math.max(intrinsic(c), bsmPrice(...args(c)));
        if (!(v >= lo)) fail(c, `${method} floor`, v, lo);
      }
    }
  });

  it('equals the European price when early exercise is never optimal', () => {
    const euroCall = bsmGreeks('call', 100, 100, 1, 0.05, 0, 0.25);
    expect(americanGreeks('call', 100, 100, 1, 0.05, 0, 0.25)).toEqual({
      price: euroCall.price,
      delta: euroCall.delta,
      gamma: euroCall.gamma,
      theta: euroCall.theta,
    });
    expect(americanPrice('put', 100, 100, 1, 0, 0.04, 0.25)).toBe(
      bsmPrice('put', 100, 100, 1, 0, 0.04, 0.25),
    );
    expect(americanPrice('put', 100, 100, 1, -0.01, 0.02, 0.25)).toBe(
      bsmPrice('put', 100, 100, 1, -0.01, 0.02, 0.25),
    );
  });

  it('returns intrinsic value at expiry and the exact deterministic value at zero volatility', () => {
    expect(americanGreeks('put', 90, 100, 0, 0.05, 0, 0.2)).toEqual({
      price: 10,
      delta: -1,
      gamma: 0,
      theta: 0,
    });
    expect(americanPrice('call', 90, 100, 0, 0.05, 0, 0.2)).toBe(0);
    // σ = 0 put, r > q: exercising now beats waiting when K − S > K e^{−rT} − S e^{−qT}.
    expect(americanPrice('put', 90, 100, 1, 0.05, 0, 0)).toBe(10);
    // Call with r = 0, q = 5 %: the forward falls, so exercise now: S − K.
    expect(americanPrice('call', 110, 100, 1, 0, 0.05, 0)).toBe(10);
    // Put with r < q: the discounted intrinsic value peaks at t* = ln(rK/(qS))/(r − q) inside (0, T).
    const S = 100;
    const K = 100;
    const [r, q] = [0.02, 0.05];
    const ts = Math.log((r * K) / (q * S)) / (r - q);
    expect(americanPrice('put', S, K, 40, r, q, 0)).toBeCloseTo(
      K * Math.exp(-r * ts) - S * Math.exp(-q * ts),
      12,
    );
  });

  it('returns the exercise value with delta = ±1 and zero gamma and theta inside the exercise region', () => {
    expect(americanGreeks('put', 50, 100, 1, 0.08, 0, 0.2)).toEqual({
      price: 50,
      delta: -1,
      gamma: 0,
      theta: 0,
    });
    const c = americanGreeks('call', 200, 100, 1, 0.0, 0.08, 0.2);
    expect(c.price).toBe(100);
    expect(c.delta).toBeCloseTo(1, 14);
    expect(c.gamma).toBe(0);
  });

  it('rejects invalid inputs with a DomainError naming the parameter', () => {
    const bad: [string, () => unknown][] = [
      ['type', () => americanPrice('straddle' as OptionType, 100, 100, 1, 0.05, 0, 0.2)],
      ['spot', () => americanPrice('put', 0, 100, 1, 0.05, 0, 0.2)],
      ['strike', () => americanPrice('put', 100, -1, 1, 0.05, 0, 0.2)],
      ['expiry', () => americanPrice('put', 100, 100, -1, 0.05, 0, 0.2)],
      ['rate', () => americanPrice('put', 100, 100, 1, Number.NaN, 0, 0.2)],
      ['dividend', () => americanGreeks('put', 100, 100, 1, 0.05, Number.POSITIVE_INFINITY, 0.2)],
      ['vol', () => americanPrice('put', 100, 100, 1, 0.05, 0, -0.2)],
      ['method', () => americanPrice('put', 100, 100, 1, 0.05, 0, 0.2, { method: 'fd' as 'alo' })],
      ['steps', () => americanPrice('put', 100, 100, 1, 0.05, 0, 0.2, { method: 'tree', steps: 2.5 })],
    ];
    for (const [param, f] of bad) {
      expect(f).toThrow(DomainError);
      try {
        f();
      } catch (e) {
        expect((e as DomainError).param).toBe(param);
      }
    }
  });
});
