import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { type IvCase, mpmathIv, quantlibIv } from '../../test/support/implied-vol-fixtures.ts';
import { DomainError, HedgekitError } from '../core/errors.ts';
import { normCdf, normPdf } from '../core/normal.ts';
import { useWasmKernels } from '../wasm/runtime.ts';
import { black76Price, bsmPrice } from './black-scholes.ts';
import {
  ImpliedVolError,
  type ImpliedVolErrorCode,
  IV_STATUS,
  impliedVolBatch,
  impliedVolBlack76,
  impliedVolBsm,
} from './implied-vol.ts';
import type { OptionType } from './types.ts';

/** `impliedVolBatch`'s two paths: the WebAssembly kernel (default) and the JavaScript loop. */
const PATHS = [
  { name: 'WebAssembly kernel', wasm: true },
  { name: 'JavaScript loop', wasm: false },
] as const;

afterEach(() => useWasmKernels(true));

const fixture = mpmathIv;
const quantlib = quantlibIv;

function solve(c: IvCase): number {
  return c.model === 'bsm'
    ? impliedVolBsm(c.type, c.price, c.spot!, c.strike, c.expiry, c.rate, c.dividend!)
    : impliedVolBlack76(c.type, c.price, c.forward!, c.strike, c.expiry, c.rate);
}

function expectCode(fn: () => unknown, code: ImpliedVolErrorCode): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ImpliedVolError);
  expect(caught).toBeInstanceOf(HedgekitError);
  expect((caught as ImpliedVolError).code).toBe(code);
}

describe('implied vol against mpmath prices (50 digits, rounded to double)', () => {
  it('recovers the generating vol within the per-case information bound, ≤ 1e-12 when well posed', () => {
    const failures: string[] = [];
    let worstRatio = 0;
    let worstWellPosed = 0;
    for (const c of fixture.cases) {
      let got: number;
      try {
        got = solve(c);
      } catch (e) {
        failures.push(`threw ${(e as Error).message} for ${JSON.stringify(c)}`);
        continue;
      }
      const err = Math.abs(got - c.vol);
      const wellPosed = c.tags.includes('wellPosed');
      const limit = wellPosed ? Math.min(c.tol, fixture.tolerance.wellPosedAbsolute) : c.tol;
      worstRatio = Math.max(worstRatio, err / c.tol);
      if (wellPosed) worstWellPosed = Math.max(worstWellPosed, err);
      if (!(err <= limit)) failures.push(`got ${got}, err ${err} > ${limit} for ${JSON.stringify(c)}`);
    }
    expect(failures.slice(0, 5)).toEqual([]);
    expect(worstRatio).toBeLessThanOrEqual(1);
    expect(worstWellPosed).toBeLessThanOrEqual(1e-12);
  });

  it('covers every hard region in the fixture', () => {
    const tags = new Set(fixture.cases.flatMap((c) => c.tags));
    for (const t of [
      'wellPosed',
      'minutes-to-a-day',
      'decades',
      'tiny-vol',
      'huge-vol',
      'tiny-price',
      'atm',
    ]) {
      expect(tags.has(t), t).toBe(true);
    }
  });

  for (const path of PATHS) {
    it(`batch API gives bit-identical vols and status 0 on the same cases (${path.name})`, () => {
      useWasmKernels(path.wasm);
      const bsm = fixture.cases.filter((c) => c.model === 'bsm');
      const n = bsm.length;
      const input = {
        sign: new Int8Array(n),
        price: new Float64Array(n),
        spot: new Float64Array(n),
        strike: new Float64Array(n),
        expiry: new Float64Array(n),
        rate: new Float64Array(n),
        dividend: new Float64Array(n),
      };
      bsm.forEach((c, i) => {
        input.sign[i] = c.type === 'call' ? 1 : -1;
        input.price[i] = c.price;
        input.spot[i] = c.spot!;
        input.strike[i] = c.strike;
        input.expiry[i] = c.expiry;
        input.rate[i] = c.rate;
        input.dividend[i] = c.dividend!;
      });
      const out = { vol: new Float64Array(n), status: new Uint8Array(n).fill(99) };
      impliedVolBatch(input, out);
      bsm.forEach((c, i) => {
        expect(out.status[i], JSON.stringify(c)).toBe(IV_STATUS.ok);
        expect(out.vol[i], JSON.stringify(c)).toBe(solve(c));
      });
    });

    it(`batch black76 model matches the scalar Black-76 solver (${path.name})`, () => {
      useWasmKernels(path.wasm);
      const b76 = fixture.cases.filter((c) => c.model === 'black76').slice(0, 300);
      const n = b76.length;
      const input = {
        sign: Int8Array.from(b76, (c) => (c.type === 'call' ? 1 : -1)),
        price: Float64Array.from(b76, (c) => c.price),
        spot: Float64Array.from(b76, (c) => c.forward!),
        strike: Float64Array.from(b76, (c) => c.strike),
        expiry: Float64Array.from(b76, (c) => c.expiry),
        rate: Float64Array.from(b76, (c) => c.rate),
      };
      const out = { vol: new Float64Array(n), status: new Uint8Array(n) };
      impliedVolBatch(input, out, 'black76');
      b76.forEach((c, i) => {
        expect(out.vol[i], JSON.stringify(c)).toBe(solve(c));
      });
    });
  }
});

describe('implied vol against QuantLib blackFormulaImpliedStdDev (secondary reference)', () => {
  it('agrees within 1e-12 on moderate Black-76 cases', () => {
    for (const c of quantlib.cases) {
      const got = impliedVolBlack76(c.type, c.price, c.forward, c.strike, c.expiry, c.rate);
      expect(Math.abs(got - c.vol), JSON.stringify(c)).toBeLessThanOrEqual(quantlib.tolerance.absolute);
    }
  });
});

describe('implied vol round trips (fast-check)', () => {
  const SEED = 20261125;
  const EPS = 2.220446049250313e-16;
  // The fixture's information bound evaluated in double: C·ε·(σ + (V + (1+|x|)·A)/ν) with
  // A = S_q Φ(θd1) + K_r Φ(θd2) and ν the vega — what the double price and inputs can tell about σ.
  // C = 16 here because the price itself comes from black-scholes.ts in double.
  function infoBound(
    type: OptionType,
    sq: number,
    kr: number,
    T: number,
    vol: number,
    price: number,
  ): number {
    const w = type === 'call' ? 1 : -1;
    const s = vol * Math.sqrt(T);
    const x = Math.log(sq / kr);
    const d1 = x / s + 0.5 * s;
    const a = sq * normCdf(w * d1) + kr * normCdf(w * (d1 - s));
    const vega = sq * normPdf(d1) * Math.sqrt(T);
    return 16 * EPS * (vol + (price + (1 + Math.abs(x)) * a) / vega);
  }

  it('bsmPrice → impliedVolBsm returns the vol on out-of-the-money options, minutes to decades', () => {
    fc.assert(
      fc.property(
        fc.double({ min: Math.log(1 / 525600), max: Math.log(40), noNaN: true }),
        fc.double({ min: Math.log(0.001), max: Math.log(5), noNaN: true }),
        fc.double({ min: -6, max: 6, noNaN: true }),
        fc.double({ min: -0.02, max: 0.1, noNaN: true }),
        fc.double({ min: 0, max: 0.06, noNaN: true }),
        (lnT, lnVol, hStd, r, q) => {
          const T = Math.exp(lnT);
          const vol = Math.exp(lnVol);
          const s = vol * Math.sqrt(T);
          const spot = 100;
          const fwd = spot * Math.exp((r - q) * T);
          const strike = fwd * Math.exp(-hStd * s);
          const type: OptionType = hStd <= 0 ? 'call' : 'put';
          const price = bsmPrice(type, spot, strike, T, r, q, vol);
          const df = Math.exp(-r * T);
          const bound = type === 'call' ? spot * Math.exp(-q * T) : strike * df;
          // information floor: time value >= 1e-13 of the forward, on either side
          if (!(price > 1e-13 * fwd * df && bound - price > 1e-13 * bound)) return true;
          const got = impliedVolBsm(type, price, spot, strike, T, r, q);
          return Math.abs(got - vol) <= infoBound(type, spot * Math.exp(-q * T), strike * df, T, vol, price);
        },
      ),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('black76Price → impliedVolBlack76 returns the vol for vols 0.1 %–500 % and prices down to 1e-13·F', () => {
    fc.assert(
      fc.property(
        fc.double({ min: Math.log(1 / 8760), max: Math.log(30), noNaN: true }),
        fc.double({ min: Math.log(0.001), max: Math.log(5), noNaN: true }),
        fc.double({ min: -9, max: 0, noNaN: true }),
        fc.boolean(),
        (lnT, lnVol, hStd, callSide) => {
          const T = Math.exp(lnT);
          const vol = Math.exp(lnVol);
          const s = vol * Math.sqrt(T);
          const F = 50;
          // out of the money on the chosen side
          const x = hStd * s;
          const strike = callSide ? F * Math.exp(-x) : F * Math.exp(x);
          const type: OptionType = callSide ? 'call' : 'put';
          const price = black76Price(type, F, strike, T, 0.01, vol);
          const bound = (callSide ? F : strike) * Math.exp(-0.01 * T);
          if (!(price > 1e-13 * F && bound - price > 1e-13 * bound)) return true;
          const got = impliedVolBlack76(type, price, F, strike, T, 0.01);
          const df = Math.exp(-0.01 * T);
          return Math.abs(got - vol) <= infoBound(type, F * df, strike * df, T, vol, price);
        },
      ),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('is symmetric: a call and its parity put give the same vol where the prices carry it', () => {
    let checked = 0;
    fc.assert(
      fc.property(
        fc.double({ min: 0.02, max: 3, noNaN: true }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.double({ min: 0.5, max: 2, noNaN: true }),
        (T, vol, m) => {
          const F = 100;
          const K = F * m;
          const call = black76Price('call', F, K, T, 0, vol);
          const put = black76Price('put', F, K, T, 0, vol);
          const tolCall = Math.min(infoBound('call', F, K, T, vol, call), 1e-12);
          const tolPut = Math.min(infoBound('put', F, K, T, vol, put), 1e-12);
          if (
            !(Math.max(infoBound('call', F, K, T, vol, call), infoBound('put', F, K, T, vol, put)) <= 1e-12)
          ) {
            return true; // the in-the-money side's price does not determine σ to 1e-12
          }
          checked++;
          const a = impliedVolBlack76('call', call, F, K, T, 0);
          const b = impliedVolBlack76('put', put, F, K, T, 0);
          return Math.abs(a - vol) <= tolCall && Math.abs(b - vol) <= tolPut;
        },
      ),
      { seed: SEED, numRuns: 1000 },
    );
    expect(checked).toBeGreaterThan(250);
  });
});

describe('no-arbitrage bounds and domain errors', () => {
  it("throws 'negative-price' for a negative price", () => {
    expectCode(() => impliedVolBsm('call', -0.01, 100, 100, 1, 0.05, 0), 'negative-price');
    expectCode(() => impliedVolBlack76('put', -1e-300, 100, 100, 1, 0.05), 'negative-price');
  });

  it("throws 'below-intrinsic' below the discounted forward intrinsic value", () => {
    // call intrinsic: 100·e^{0} − 80·e^{−0.05} = 23.90
    expectCode(() => impliedVolBsm('call', 23.8, 100, 80, 1, 0.05, 0), 'below-intrinsic');
    expectCode(() => impliedVolBlack76('put', 9.5, 100, 110, 1, 0), 'below-intrinsic');
  });

  it("throws 'above-upper-bound' at or above S·e^{−qT} (call) or K·e^{−rT} (put)", () => {
    expectCode(
      () => impliedVolBsm('call', 100 * Math.exp(-0.02), 100, 100, 1, 0.05, 0.02),
      'above-upper-bound',
    );
    expectCode(() => impliedVolBsm('put', 100, 100, 100, 1, 0.05, 0), 'above-upper-bound');
    expectCode(() => impliedVolBlack76('call', 99, 100, 100, 1, 0.05), 'above-upper-bound');
  });

  it("throws 'zero-expiry' for expiry <= 0", () => {
    expectCode(() => impliedVolBsm('call', 5, 100, 100, 0, 0.05, 0), 'zero-expiry');
    expectCode(() => impliedVolBlack76('call', 5, 100, 100, -1, 0.05), 'zero-expiry');
  });

  it('carries the violated bound on the error', () => {
    try {
      impliedVolBlack76('put', 9.5, 100, 110, 1, 0);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ImpliedVolError);
      expect((e as ImpliedVolError).bound).toBeCloseTo(10, 12);
      expect((e as ImpliedVolError).price).toBe(9.5);
    }
  });

  it('throws DomainError for non-finite or non-positive spot/strike and non-finite inputs', () => {
    expect(() => impliedVolBsm('call', 5, 0, 100, 1, 0, 0)).toThrow(DomainError);
    expect(() => impliedVolBsm('call', 5, 100, -1, 1, 0, 0)).toThrow(DomainError);
    expect(() => impliedVolBsm('call', Number.NaN, 100, 100, 1, 0, 0)).toThrow(DomainError);
    expect(() => impliedVolBsm('call', 5, 100, 100, Number.POSITIVE_INFINITY, 0, 0)).toThrow(DomainError);
    expect(() => impliedVolBsm('call', 5, 100, 100, 1, Number.NaN, 0)).toThrow(DomainError);
    expect(() => impliedVolBsm('call', 5, 100, 100, 1, 0, Number.NaN)).toThrow(DomainError);
    expect(() => impliedVolBlack76('put', 5, Number.POSITIVE_INFINITY, 100, 1, 0)).toThrow(DomainError);
    expect(() => impliedVolBlack76('straddle' as OptionType, 5, 100, 100, 1, 0)).toThrow(DomainError);
  });

  it('returns exactly 0 for a price equal to the intrinsic value (and for a zero OTM price)', () => {
    const intrinsic = 100 - 80 * Math.exp(-0.05);
    expect(impliedVolBsm('call', intrinsic, 100, 80, 1, 0.05, 0)).toBe(0);
    expect(impliedVolBlack76('call', 0, 100, 120, 1, 0.05)).toBe(0);
  });

  for (const path of PATHS) {
    it(`batch writes one status per element and never throws (${path.name})`, () => {
      useWasmKernels(path.wasm);
      const n = 7;
      const input = {
        sign: Int8Array.of(1, 1, 1, -1, 1, 1, 2),
        price: Float64Array.of(10.450583572185565, -1, 1, 200, 5, 5, 5),
        spot: Float64Array.of(100, 100, 100, 100, 100, Number.NaN, 100),
        strike: Float64Array.of(100, 100, 50, 100, 100, 100, 100),
        expiry: Float64Array.of(1, 1, 1, 1, 0, 1, 1),
        rate: Float64Array.of(0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05),
        dividend: new Float64Array(n),
      };
      const out = { vol: new Float64Array(n), status: new Uint8Array(n) };
      impliedVolBatch(input, out);
      expect(Array.from(out.status)).toEqual([
        IV_STATUS.ok,
        IV_STATUS.negativePrice,
        IV_STATUS.belowIntrinsic,
        IV_STATUS.aboveUpperBound,
        IV_STATUS.zeroExpiry,
        IV_STATUS.invalidInput,
        IV_STATUS.invalidInput,
      ]);
      expect(Math.abs(out.vol[0] - 0.2)).toBeLessThan(1e-15);
      for (let i = 1; i < n; i++) expect(out.vol[i]).toBeNaN();
    });
  }

  it('batch rejects mismatched array lengths before the loop', () => {
    const input = {
      sign: Int8Array.of(1),
      price: Float64Array.of(1, 2),
      spot: Float64Array.of(100, 100),
      strike: Float64Array.of(100, 100),
      expiry: Float64Array.of(1, 1),
      rate: Float64Array.of(0, 0),
    };
    expect(() => impliedVolBatch(input, { vol: new Float64Array(2), status: new Uint8Array(2) })).toThrow(
      DomainError,
    );
  });
});
