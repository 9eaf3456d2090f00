/**
 * ContractPricer's Δ-alone route (`deltaRun`): a European vanilla marked for Δ alone, with one strike,
 * expiry and pricing vol on every path and no event variance, goes to `blackDeltaRun` — and gives the
 * bits (Δ and the pricing vol written) of the general batch, which the JavaScript kernels compute
 * with HEDGEKIT_NO_WASM. Every condition that must send a mark to the general batch does so: a
 * strike or an expiry differing on one path, NaN strikes, a smile, event variance, a price or another
 * Greek asked for, American exercise, a per-path model vol. Random books through fast-check. A Book
 * keeps the strike and expiry its lines share (PositionLine.oneStrike / oneExpiry) from the open and
 * through a restore, and its Δ-alone marks take the route exactly on such lines.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testView } from '../../test/support/market-view.ts';
import type { OptionTerms } from '../instruments/terms.ts';
import type { AssetSpec } from '../market/asset.ts';
import type { MarketView } from '../market/market-view.ts';
import { type PricingVolSpec, pricingVol } from '../market/pricing-vol.ts';
import * as blackScholes from '../pricing/black-scholes.ts';
import { useWasmKernels } from '../wasm/bs-kernel.ts';
import { Book } from './book.ts';
import {
  ContractPricer,
  FIRST_ORDER,
  type GreekMask,
  greeksBlock,
  PRICE_DELTA,
  sharedOf,
} from './contract-pricer.ts';

vi.mock('../pricing/black-scholes.ts', async (original) => {
  const m = await original<typeof import('../pricing/black-scholes.ts')>();
  return { ...m, blackDeltaRun: vi.fn(m.blackDeltaRun) };
});

const runs = vi.mocked(blackScholes.blackDeltaRun);

afterEach(() => {
  useWasmKernels(true);
  runs.mockClear();
});

const assets: AssetSpec[] = [
  { name: 'EQ', assetClass: 'equity', spot: 100, carry: 0.015 },
  { name: 'CM', assetClass: 'commodity', spot: 50 },
];

function view(spots: readonly number[], t: number, extra: Parameters<typeof testView>[2] = {}): MarketView {
  const n = spots.length;
  return testView(assets, [], {
    nPaths: n,
    step: 3,
    t,
    dt: 1 / 252,
    dtNext: 1 / 252,
    end: 3,
    stepsPerYear: 252,
    rate: 0.025,
    spot: [Float64Array.from(spots), Float64Array.from(spots, (s) => s / 2)],
    // ln S as a GBM source carries it (here Math.log of the spot).
    logSpot: [Float64Array.from(spots, Math.log), Float64Array.from(spots, (s) => Math.log(s / 2))],
    vol: [new Float64Array(n).fill(0.3), Float64Array.from(spots, (_, p) => 0.2 + p / 1000)],
    ...extra,
  });
}

interface Mark {
  readonly delta: Float64Array;
  readonly vol: Float64Array;
}

/** One `price` call with withPrice false; Δ and the vol out poisoned first (every slot is written). */
function mark(
  terms: OptionTerms,
  v: MarketView,
  spec: PricingVolSpec,
  strike: Float64Array,
  expiry: Float64Array,
  want: GreekMask,
  withPrice = false,
): Mark {
  const n = strike.length;
  const vols = pricingVol(spec);
  vols.reset(n, assets.length);
  const g = greeksBlock(n);
  g.delta.fill(12345.678);
  const vol = new Float64Array(n).fill(12345.678);
  // The strike and expiry every path holds, as a PositionLine keeps them (NaN where they differ).
  const shared = { oneStrike: sharedOf(strike), oneExpiry: sharedOf(expiry) };
  new ContractPricer(n, assets).price(
    terms,
    v,
    vols,
    strike,
    expiry,
    undefined,
    undefined,
    want,
    g,
    vol,
    withPrice,
    shared,
  );
  return { delta: g.delta, vol };
}

/** The same mark by the JavaScript kernels (the general batch, HEDGEKIT_NO_WASM). */
function markJs(...args: Parameters<typeof mark>): Mark {
  useWasmKernels(false);
  try {
    return mark(...args);
  } finally {
    useWasmKernels(true);
  }
}

function sameBits(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
}

const option = (asset: number, type: 'call' | 'put', style: 'european' | 'american' = 'european') =>
  ({ kind: 'option', asset, type, style }) as OptionTerms;

describe('ContractPricer: Δ alone on one strike and expiry', () => {
  it('takes the run route and gives the general batch’s bits on random contracts and paths', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1 }),
        fc.constantFrom<'call' | 'put'>('call', 'put'),
        fc.array(fc.double({ min: 40, max: 250, noNaN: true }), { minLength: 64, maxLength: 300 }),
        fc.double({ min: 0.5, max: 1.6, noNaN: true }),
        // Life left: expired lines (τ ≤ 0, the mark's dummy τ = 1) too.
        fc.oneof(fc.double({ min: 0.02, max: 3, noNaN: true }), fc.constantFrom(0, -0.1)),
        fc.constantFrom<PricingVolSpec>(
          { kind: 'constant', vol: [0.22, 0.35] },
          { kind: 'ewma', lambda: 0.94, initial: [0.18, 0.3] },
        ),
        (asset, type, spots, moneyness, life, spec) => {
          runs.mockClear();
          const t = 0.3;
          const v = view(spots, t);
          const n = spots.length;
          const strike = new Float64Array(n).fill(moneyness * 100);
          const expiry = new Float64Array(n).fill(t + life);
          const got = mark(option(asset, type), v, spec, strike, expiry, PRICE_DELTA);
          const runsTaken = runs.mock.results.filter((r) => r.value === true).length;
          const js = markJs(option(asset, type), v, spec, strike, expiry, PRICE_DELTA);
          return runsTaken === 1 && sameBits(got.delta, js.delta) && sameBits(got.vol, js.vol);
        },
      ),
      { numRuns: 200, seed: 1203 },
    );
  });

  it('leaves every other mark to the general batch, with the same bits', () => {
    const n = 96;
    const t = 0.25;
    const spots = Array.from({ length: n }, (_, p) => 70 + p);
    const flat: PricingVolSpec = { kind: 'constant', vol: [0.22, 0.35] };
    const K = () => new Float64Array(n).fill(100);
    const E = () => new Float64Array(n).fill(1.25);
    const oneOff = (a: Float64Array, x: number) => {
      a[n - 1] = x;
      return a;
    };
    const cases: [string, Parameters<typeof mark>][] = [
      [
        'a strike differing on the last path',
        [option(0, 'call'), view(spots, t), flat, oneOff(K(), 101), E(), PRICE_DELTA],
      ],
      [
        'an expiry differing on the last path',
        [option(0, 'put'), view(spots, t), flat, K(), oneOff(E(), 1.5), PRICE_DELTA],
      ],
      ['NaN strikes', [option(0, 'call'), view(spots, t), flat, K().fill(Number.NaN), E(), PRICE_DELTA]],
      [
        'a smile',
        [
          option(0, 'call'),
          view(spots, t),
          { ...flat, smile: { skew: -0.6, curvature: 1.2, termSlope: 0 } },
          K(),
          E(),
          PRICE_DELTA,
        ],
      ],
      [
        'event variance',
        [
          option(0, 'call'),
          view(spots, t, { events: [{ name: 'CPI', t: t + 0.1, variance: 0.03 ** 2, assets: [0] }] }),
          flat,
          K(),
          E(),
          PRICE_DELTA,
        ],
      ],
      ['Γ and ν asked for', [option(0, 'call'), view(spots, t), flat, K(), E(), FIRST_ORDER]],
      ['θ asked for', [option(1, 'put'), view(spots, t), flat, K(), E(), { theta: true }]],
      ['the price asked for', [option(0, 'call'), view(spots, t), flat, K(), E(), PRICE_DELTA, true]],
      ['American exercise', [option(0, 'put', 'american'), view(spots, t), flat, K(), E(), PRICE_DELTA]],
      // The model's vol differs per path on asset 1.
      ['a per-path model vol', [option(1, 'call'), view(spots, t), { kind: 'model' }, K(), E(), PRICE_DELTA]],
    ];
    for (const [name, args] of cases) {
      runs.mockClear();
      const got = mark(...args);
      expect(
        runs.mock.results.filter((r) => r.value === true),
        name,
      ).toEqual([]);
      const js = markJs(...args);
      expect(sameBits(got.delta, js.delta), name).toBe(true);
      expect(sameBits(got.vol, js.vol), name).toBe(true);
    }
    // The model's vol on asset 0 is the same on every path: the route applies.
    runs.mockClear();
    mark(option(0, 'call'), view(spots, t), { kind: 'model' }, K(), E(), PRICE_DELTA);
    expect(runs.mock.results.filter((r) => r.value === true).length).toBe(1);
  });

  it('a Book knows which lines share one strike and expiry, also after a restore, and marks them by the route', () => {
    const n = 80;
    const t = 0.1;
    const spots = Array.from({ length: n }, (_, p) => 80 + p / 2);
    const v = view(spots, t);
    const vols = pricingVol({ kind: 'constant', vol: [0.22, 0.35] });
    vols.reset(n, assets.length);
    const open = (book: Book) => {
      const ids = [
        book.openLine(option(0, 'call'), v, 100, 1.1),
        // Per-path strikes (one differs), per-path expiries (one differs).
        book.openLine(
          option(0, 'put'),
          v,
          Float64Array.from(spots, (_, p) => (p === 7 ? 95 : 90)),
          0.9,
        ),
        book.openLine(
          option(1, 'put'),
          v,
          45,
          Float64Array.from(spots, (_, p) => (p === n - 1 ? 2 : 1.5)),
        ),
      ];
      for (const id of ids) book.line(id)?.qty.fill(-1);
      return ids;
    };
    const shared = (book: Book, ids: readonly number[]) =>
      ids.map((id) => [book.line(id)?.oneStrike, book.line(id)?.oneExpiry]);
    const book = new Book(n, assets, 1000, { markGreeks: PRICE_DELTA });
    const ids = open(book);
    expect(shared(book, ids)).toEqual([
      [100, 1.1],
      [Number.NaN, 0.9],
      [45, Number.NaN],
    ]);
    const restored = new Book(n, assets, 1000, { markGreeks: PRICE_DELTA });
    restored.restore(book.snapshot());
    expect(shared(restored, ids)).toEqual(shared(book, ids));
    // A mark without values (Δ alone): one route call, the first line's; the bits of the JS book.
    const deltas = (b: Book) => ids.map((id) => Array.from(b.line(id)?.greeks.delta ?? []));
    for (const b of [book, restored]) {
      runs.mockClear();
      b.mark(v, vols, undefined, false);
      expect(runs.mock.results.map((r) => r.value)).toEqual([true]);
      expect(runs.mock.calls[0]?.[0]).toMatchObject({ strike: 100, sign: 1 });
    }
    useWasmKernels(false);
    const js = new Book(n, assets, 1000, { markGreeks: PRICE_DELTA });
    open(js);
    js.mark(v, vols, undefined, false);
    useWasmKernels(true);
    const all = (b: Book) => Float64Array.from(deltas(b).flat());
    for (const b of [book, restored]) expect(sameBits(all(b), all(js))).toBe(true);
  });
});
