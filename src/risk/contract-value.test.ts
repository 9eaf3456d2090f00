import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Contract, InstrumentTerms } from '../instruments/terms.ts';
import { bsmGreeks } from '../pricing/black-scholes.ts';
import {
  type AssetQuote,
  type ContractGreeks,
  contractGreeks,
  contractValue,
  VOL_BUMP,
} from './contract-value.ts';

interface QlCase {
  case: Record<string, number | string> & { name: string; kind: string; expiry: number };
  ql: Record<string, number>;
  greekSource: Record<string, 'analytic' | 'fd'>;
}
const FIX = JSON.parse(
  readFileSync(new URL('../../test/fixtures/quantlib/book-greeks.json', import.meta.url), 'utf8'),
) as {
  tolerance: Record<string, { rel: number; abs?: number; abs_rel_to_price_scale?: number }>;
  contracts: QlCase[];
};

const GREEKS = ['price', 'delta', 'gamma', 'vega', 'theta', 'vanna', 'volga', 'rho'] as const;

/** The fixture case as a hedgekit contract and quote. */
function fromCase(c: QlCase['case']): { contract: Contract; quote: AssetQuote; rate: number } {
  const type = c.type as 'call' | 'put';
  let terms: InstrumentTerms;
  if (c.kind === 'digital')
    terms = { kind: 'digital', asset: 0, type, payoff: c.payoff as 'cash' | 'asset', cash: c.cash as number };
  else if (c.kind === 'barrier')
    terms = {
      kind: 'option',
      asset: 0,
      type,
      style: 'european',
      barrier: { type: c.barrierType as 'down-out', rebate: c.rebate as number },
    };
  else terms = { kind: 'option', asset: 0, type, style: c.kind === 'american' ? 'american' : 'european' };
  const contract: Contract = {
    id: c.name,
    terms,
    strike: c.strike as number,
    expiry: c.expiry,
    ...(c.kind === 'barrier' ? { barrier: c.barrier as number } : {}),
  };
  return {
    contract,
    quote: { spot: c.spot as number, carry: c.carry as number, vol: c.vol as number },
    rate: c.rate as number,
  };
}

describe('contract Greeks match QuantLib (test/fixtures/quantlib/book-greeks.json)', () => {
  for (const r of FIX.contracts) {
    it(`${r.case.name}`, () => {
      const { contract, quote, rate } = fromCase(r.case);
      const g = contractGreeks(contract, quote, rate);
      const scale = Math.max(Math.abs(r.ql.price!), 1);
      for (const k of GREEKS) {
        const src = k === 'price' ? 'analytic' : r.greekSource[k];
        const tol =
          r.case.kind === 'american'
            ? FIX.tolerance.american!
            : src === 'analytic'
              ? FIX.tolerance.analytic!
              : FIX.tolerance.fd!;
        const ref = r.ql[k];
        const allowed = tol.rel * Math.abs(ref) + (tol.abs ?? 0) + (tol.abs_rel_to_price_scale ?? 0) * scale;
        expect(
          Math.abs(g[k] - ref),
          `${k} of ${JSON.stringify(r.case)}: hedgekit ${g[k]} vs QuantLib ${ref}`,
        ).toBeLessThanOrEqual(allowed);
      }
    });
  }
});

describe('forward, future and the asset', () => {
  const fwd: Contract = { id: 'F', terms: { kind: 'forward', asset: 0 }, strike: 72, expiry: 0.75 };
  const q = { spot: 70, carry: 0.03, vol: 0.35 };
  it('values a forward at S e^{-qT} - K e^{-rT} with delta e^{-qT}, analytic theta and rho', () => {
    const g = contractGreeks(fwd, q, 0.04);
    const cf = Math.exp(-0.03 * 0.75);
    const df = Math.exp(-0.04 * 0.75);
    expect(g.price).toBeCloseTo(70 * cf - 72 * df, 13);
    expect(g.delta).toBeCloseTo(cf, 15);
    expect(g.theta).toBeCloseTo(0.03 * 70 * cf - 0.04 * 72 * df, 13);
    expect(g.rho).toBeCloseTo(0.75 * 72 * df, 13);
    expect([g.gamma, g.vega, g.vanna, g.volga]).toEqual([0, 0, 0, 0]);
  });
  it('values a daily-settled future at F − K, F = S e^{(r−q)T}, with delta e^{(r−q)T} (as the engine and the hedge solver)', () => {
    const g = contractGreeks({ ...fwd, terms: { kind: 'future', asset: 0 } }, q, 0.04);
    const F = 70 * Math.exp((0.04 - 0.03) * 0.75);
    expect(g.price).toBeCloseTo(F - 72, 13);
    expect(g.delta).toBeCloseTo(Math.exp(0.01 * 0.75), 15);
    expect(g.theta).toBeCloseTo(-0.01 * F, 13);
    expect(g.rho).toBeCloseTo(0.75 * F, 13);
    expect([g.gamma, g.vega, g.vanna, g.volga]).toEqual([0, 0, 0, 0]);
  });
  it('values the asset at S with delta 1 and no other Greek', () => {
    const a: Contract = {
      id: 'A',
      terms: { kind: 'asset', asset: 0 },
      strike: 0,
      expiry: Number.POSITIVE_INFINITY,
    };
    expect(contractGreeks(a, q, 0.04)).toEqual({
      price: 70,
      delta: 1,
      gamma: 0,
      vega: 0,
      theta: 0,
      vanna: 0,
      volga: 0,
      rho: 0,
    });
  });
  it('a European vanilla at a flat vol is exactly bsmGreeks', () => {
    const c: Contract = {
      id: 'P',
      terms: { kind: 'option', asset: 0, type: 'put', style: 'european' },
      strike: 95,
      expiry: 0.5,
    };
    const b = bsmGreeks('put', 100, 95, 0.5, 0.04, 0.01, 0.22);
    const g = contractGreeks(c, { spot: 100, carry: 0.01, vol: 0.22 }, 0.04);
    for (const k of GREEKS) expect(g[k]).toBe(b[k]);
  });
  it('an expired contract is worth its payoff; its Greeks are an error naming it', () => {
    const c: Contract = {
      id: 'X put K=95 T=0',
      terms: { kind: 'option', asset: 0, type: 'put', style: 'european' },
      strike: 95,
      expiry: 0,
    };
    expect(contractValue(c, { spot: 90, carry: 0, vol: 0.2 }, 0.03)).toBe(5);
    expect(() => contractGreeks(c, { spot: 90, carry: 0, vol: 0.2 }, 0.03)).toThrow(
      /expiry \(0\) must be > 0 .*expired/,
    );
  });
});

// ---------------------------------------------------------------- Greeks = differences of the value

/**
 * 4th-order central differences of the full-repricing value, with bumps `scale` times 1 % of each
 * variable's natural scale: spot S·σ√τ (capped at 1 % of the barrier distance), vol
 * max(σ, 100·VOL_BUMP) — never finer than contract-value.ts's own vol bump —, time τ; rate 1e-3
 * (r − 2h stays > 0: an American call with q = 0 has a kink at r = 0).
 */
function fdGreeks(c: Contract, q: AssetQuote, rate: number, sigma: number, hBarrier: number, scale: number) {
  const S = q.spot;
  const hS = scale * Math.min(0.01 * S * sigma * Math.sqrt(c.expiry), 0.01 * hBarrier);
  const hv = scale * Math.max(0.01 * sigma, VOL_BUMP);
  const ht = scale * 0.01 * c.expiry;
  const hr = scale * 1e-3;
  const V = (s: number, dv: number, dt: number, dr: number) =>
    contractValue({ ...c, expiry: c.expiry - dt }, { ...q, spot: s, volShift: dv }, rate + dr);
  const D1 = (f: (x: number) => number, h: number) =>
    (f(-2 * h) - 8 * f(-h) + 8 * f(h) - f(2 * h)) / (12 * h);
  const D2 = (f: (x: number) => number, h: number) =>
    (-f(-2 * h) + 16 * f(-h) - 30 * f(0) + 16 * f(h) - f(2 * h)) / (12 * h * h);
  const delta = (dv: number) => D1((x) => V(S + x, dv, 0, 0), hS);
  const fd: ContractGreeks = {
    price: V(S, 0, 0, 0),
    delta: delta(0),
    gamma: D2((x) => V(S + x, 0, 0, 0), hS),
    vega: D1((x) => V(S, x, 0, 0), hv),
    volga: D2((x) => V(S, x, 0, 0), hv),
    vanna: D1((x) => delta(x), hv),
    theta: D1((x) => V(S, 0, x, 0), ht),
    rho: D1((x) => V(S, 0, 0, x), hr),
  };
  const h: Record<string, [number, number]> = {
    delta: [hS, 1],
    gamma: [hS, 2],
    vega: [hv, 1],
    volga: [hv, 2],
    vanna: [hS * hv, 1],
    theta: [ht, 1],
    rho: [hr, 1],
    price: [1, 0],
  };
  return { fd, h };
}

const smileArb = fc.option(
  fc.record({
    skew: fc.double({ min: -1, max: 0, noNaN: true }),
    curvature: fc.double({ min: 0, max: 1, noNaN: true }),
    termSlope: fc.double({ min: -0.02, max: 0.02, noNaN: true }),
  }),
  { nil: undefined },
);

const caseArb = (kinds: readonly string[]) =>
  fc.record({
    kind: fc.constantFrom(...kinds),
    type: fc.constantFrom('call' as const, 'put' as const),
    spot: fc.double({ min: 20, max: 500, noNaN: true }),
    moneyness: fc.double({ min: -0.4, max: 0.4, noNaN: true }),
    expiry: fc.double({ min: 0.08, max: 2, noNaN: true }),
    rate: fc.double({ min: 0.01, max: 0.08, noNaN: true }),
    carry: fc.double({ min: 0, max: 0.06, noNaN: true }),
    base: fc.double({ min: 0.12, max: 0.5, noNaN: true }),
    smile: smileArb,
    barrierGap: fc.double({ min: 0.1, max: 0.4, noNaN: true }),
    barrierKind: fc.constantFrom('down-in', 'down-out', 'up-in', 'up-out'),
    rebate: fc.constantFrom(0, 2),
  });

function build(x: Record<string, unknown>): {
  c: Contract;
  q: AssetQuote;
  rate: number;
  hBarrier: number;
} {
  const S = x.spot as number;
  const K = S * Math.exp(x.moneyness as number);
  const type = x.type as 'call' | 'put';
  const kind = x.kind as string;
  let terms: InstrumentTerms;
  let barrier: number | undefined;
  if (kind === 'digital')
    terms = { kind: 'digital', asset: 0, type, payoff: x.rebate === 0 ? 'cash' : 'asset', cash: 3 };
  else if (kind === 'barrier') {
    const bk = x.barrierKind as 'down-in';
    barrier = bk.startsWith('down')
      ? S * Math.exp(-(x.barrierGap as number))
      : S * Math.exp(x.barrierGap as number);
    terms = {
      kind: 'option',
      asset: 0,
      type,
      style: 'european',
      barrier: { type: bk, rebate: x.rebate as number },
    };
  } else if (kind === 'forward') terms = { kind: 'forward', asset: 0 };
  else terms = { kind: 'option', asset: 0, type, style: kind === 'american' ? 'american' : 'european' };
  const smile = x.smile as { skew: number; curvature: number; termSlope: number } | undefined;
  const q: AssetQuote = {
    spot: S,
    carry: x.carry as number,
    vol: smile ? { base: x.base as number, smile } : (x.base as number),
  };
  return {
    c: {
      id: `${kind} ${type}`,
      terms,
      strike: K,
      expiry: x.expiry as number,
      ...(barrier ? { barrier } : {}),
    },
    q,
    rate: x.rate as number,
    hBarrier: barrier ? Math.abs(S - barrier) : S,
  };
}

/**
 * Compares each Greek with the Richardson-extrapolated difference R = f_h + (f_h − f_2h)/15 (6th
 * order). Allowed error: e = |f_h − f_2h|/15, the estimated truncation error of f_h, which bounds
 * the truncation of contract-value.ts's own stencils (its bumps are no larger relative to the
 * variable's scale) — doubled for the estimate's own uncertainty; plus 2e-6·|R| for hedgekit's
 * differenced barrier Greeks (~1e-8 relative) and ALO's price accuracy (~1e-9 relative), plus a
 * rounding floor 100ε·|V|/hⁿ.
 */
function checkAgainstFd(x: Record<string, unknown>): void {
  const { c, q, rate, hBarrier } = build(x);
  const g = contractGreeks(c, q, rate);
  const sigma = typeof q.vol === 'number' ? q.vol : q.vol.base;
  const { fd, h } = fdGreeks(c, q, rate, sigma, hBarrier, 1);
  const { fd: fd2 } = fdGreeks(c, q, rate, sigma, hBarrier, 2);
  const eps = Number.EPSILON;
  const vScale = Math.max(Math.abs(fd.price), 1e-3 * q.spot);
  for (const k of GREEKS) {
    const [hk, order] = h[k];
    const rich = fd[k] + (fd[k] - fd2[k]) / 15;
    const trunc = Math.abs(fd[k] - fd2[k]) / 15;
    const rounding = order === 0 ? 0 : (100 * eps * vScale) / hk ** order;
    const tol = 2e-6 * Math.abs(rich) + 2 * trunc + rounding + 1e-12;
    expect(
      Math.abs(g[k] - rich),
      `${k}: ${g[k]} vs extrapolated difference ${rich} (truncation ~${trunc}); ${JSON.stringify(x)}`,
    ).toBeLessThanOrEqual(tol);
  }
}

describe('every Greek equals a central difference of the full-repricing value (smile moving with spot)', () => {
  it('European vanillas, digitals, barriers and forwards', () => {
    fc.assert(fc.property(caseArb(['european', 'digital', 'barrier', 'forward']), checkAgainstFd), {
      seed: 20250115,
      numRuns: 150,
    });
  });
  it('American options', () => {
    fc.assert(fc.property(caseArb(['american']), checkAgainstFd), { seed: 20250116, numRuns: 12 });
  });
});
