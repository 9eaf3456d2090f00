import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DerivativeTerms } from '../instruments/terms.ts';
import type { MarketView } from '../market/market-view.ts';
import { pricingVol } from '../market/pricing-vol.ts';
import { Book } from './book.ts';
import { ALL_GREEKS, FIRST_ORDER, greeksBlock } from './contract-pricer.ts';
import { BookQuotes } from './quote-service.ts';

const assets = [{ name: 'EQ', assetClass: 'equity' as const, spot: 100, carry: 0.015 }];
const view = (S: number, t = 0): MarketView => ({
  nPaths: 1,
  assets,
  step: 0,
  t,
  dt: 0,
  dtNext: 1 / 252,
  final: false,
  end: 2,
  stepsPerYear: 252,
  rate: 0.03,
  spot: [Float64Array.of(S)],
  vol: [new Float64Array(1)],
  logReturn: [new Float64Array(1)],
  date: undefined,
});

const KINDS: Record<string, DerivativeTerms> = {
  european: { kind: 'option', asset: 0, type: 'put', style: 'european' },
  barrier: {
    kind: 'option',
    asset: 0,
    type: 'call',
    style: 'european',
    barrier: { type: 'up-out', rebate: 1 },
  },
  digital: { kind: 'digital', asset: 0, type: 'call', payoff: 'cash', cash: 10 },
  american: { kind: 'option', asset: 0, type: 'put', style: 'american' },
  forward: { kind: 'forward', asset: 0 },
};

/** One quote at spot S, vol σ (constant pricing vol), time t. */
function quote(terms: DerivativeTerms, S: number, sigma: number, K: number, T: number, H: number, t = 0) {
  const v = view(S, t);
  const book = new Book(1, assets, 100);
  const q = new BookQuotes(book.pricer, pricingVol({ kind: 'constant', vol: sigma }), v);
  const out = greeksBlock(1);
  q.quote(terms, Float64Array.of(K), Float64Array.of(T), ALL_GREEKS, out, Float64Array.of(H));
  return {
    price: out.price[0],
    delta: out.delta[0],
    gamma: out.gamma[0],
    vega: out.vega[0],
    theta: out.theta[0],
    vanna: out.vanna[0],
    volga: out.volga[0],
  };
}

describe('QuoteService', () => {
  it.each(Object.keys(KINDS))('%s: the quote before opening is exactly the mark once held', (kind) => {
    const terms = KINDS[kind];
    const v = view(100);
    const vols = pricingVol({ kind: 'constant', vol: 0.25 });
    const book = new Book(1, assets, 100);
    const q = new BookQuotes(book.pricer, vols, v);
    const out = greeksBlock(1);
    q.quote(terms, Float64Array.of(95), Float64Array.of(0.5), FIRST_ORDER, out, Float64Array.of(130));
    const line = book.line(book.openLine(terms, v, 95, 0.5, 130))!;
    line.qty[0] = 1;
    book.mark(v, vols);
    expect(line.greeks.price[0]).toBe(out.price[0]);
    expect(line.greeks.delta[0]).toBe(out.delta[0]);
    expect(line.greeks.vega[0]).toBe(out.vega[0]);
  });

  // Every Greek the quote service (and so the hedge solver and the attribution) uses equals a central
  // difference of its own price. The difference D(h) has truncation error ≈ c·h²; D(h/2) has a
  // quarter of it, and |D(h) − D(h/2)| ≈ ¾·c·h² estimates it (Richardson): it bounds the error of
  // D(h/2) three times over. Tolerance: that estimate plus the price's rounding, 64·ε·|V|/(h/2)^order.
  const EPS = 2.220446049250313e-16;
  // The barrier kernel's own Δ, Γ, Θ are 4th-order differences, ~1e-8 relative (src/pricing/barrier.ts):
  // their error is added, at 1e-7 relative, for those three.
  let kernelRel = 0;
  const check = (
    what: string,
    got: number,
    fd: (h: number) => number,
    h: number,
    scale: number,
    order: number,
  ) => {
    const coarse = fd(h);
    const fine = fd(h / 2);
    const own = what === 'delta' || what === 'gamma' || what === 'theta' ? kernelRel * Math.abs(got) : 0;
    const tol = Math.abs(coarse - fine) + (64 * EPS * scale) / (h / 2) ** order + own;
    expect(Math.abs(got - fine), `${what}: ${got} vs ${fine} (tolerance ${tol})`).toBeLessThanOrEqual(tol);
  };

  it.each(['european', 'barrier', 'digital', 'forward'])(
    '%s: Δ, Γ, ν, Θ, vanna, volga equal central differences of the price (property)',
    (kind) => {
      const terms = KINDS[kind];
      kernelRel = kind === 'barrier' ? 1e-7 : 0;
      fc.assert(
        fc.property(
          fc.double({ min: 85, max: 115, noNaN: true }),
          fc.double({ min: 0.15, max: 0.4, noNaN: true }),
          fc.double({ min: 0.3, max: 1.5, noNaN: true }),
          (S, sigma, T) => {
            const K = 100;
            const H = 150; // well above the spot: the up-out call is smooth in S
            const g = quote(terms, S, sigma, K, T, H);
            const p = (s: number, v: number, t = 0) => quote(terms, s, v, K, T, H, t).price;
            const d = (s: number, v: number) => quote(terms, s, v, K, T, H).delta;
            const scale = Math.max(Math.abs(g.price), 1);
            const hS = 1e-2 * S;
            check('delta', g.delta, (h) => (p(S + h, sigma) - p(S - h, sigma)) / (2 * h), hS, scale, 1);
            check(
              'gamma',
              g.gamma,
              (h) => (p(S + h, sigma) - 2 * g.price + p(S - h, sigma)) / (h * h),
              hS,
              scale,
              2,
            );
            check('vega', g.vega, (h) => (p(S, sigma + h) - p(S, sigma - h)) / (2 * h), 1e-2, scale, 1);
            check('theta', g.theta, (h) => (p(S, sigma, h) - p(S, sigma, -h)) / (2 * h), 1e-3, scale, 1);
            check('vanna', g.vanna, (h) => (d(S, sigma + h) - d(S, sigma - h)) / (2 * h), 1e-2, scale, 1);
            check(
              'volga',
              g.volga,
              (h) => (p(S, sigma + h) - 2 * g.price + p(S, sigma - h)) / (h * h),
              1e-2,
              scale,
              2,
            );
          },
        ),
        { seed: 20261203, numRuns: 60 },
      );
    },
  );
});

describe('QuoteService: scheduled events are priced in', () => {
  it('an option expiring after an event carries its jump variance: σ_eff² = σ² + v/τ; one expiring before does not', () => {
    const v: MarketView = { ...view(100), events: [{ name: 'CPI', t: 0.1, variance: 0.04 ** 2 }] };
    const book = new Book(1, assets, 100);
    const q = new BookQuotes(book.pricer, pricingVol({ kind: 'constant', vol: 0.2 }), v);
    const out = greeksBlock(1);
    const vol = new Float64Array(1);
    const put = KINDS.european;
    q.quote(put, Float64Array.of(100), Float64Array.of(0.25), {}, out, undefined, vol);
    expect(vol[0]).toBeCloseTo(Math.sqrt(0.2 ** 2 + 0.04 ** 2 / 0.25), 15);
    expect(out.price[0]).toBe(quote(put, 100, Math.sqrt(0.2 ** 2 + 0.04 ** 2 / 0.25), 100, 0.25, 130).price);
    q.quote(put, Float64Array.of(100), Float64Array.of(0.05), {}, out, undefined, vol);
    expect(vol[0]).toBe(0.2);
    // An event on another asset changes nothing.
    const other: MarketView = { ...view(100), events: [{ name: 'X', t: 0.1, variance: 0.01, assets: [1] }] };
    new BookQuotes(book.pricer, pricingVol({ kind: 'constant', vol: 0.2 }), other).quote(
      put,
      Float64Array.of(100),
      Float64Array.of(0.25),
      {},
      out,
      undefined,
      vol,
    );
    expect(vol[0]).toBe(0.2);
  });
});
