/**
 * A book's least-cost hedge problem: the risk buckets of the hedged assets with their bands, the
 * book's exposure in each, and the hedge instruments (underlying, forwards / futures, a grid of
 * listed options) with their exposure per unit — the input of the HiGHS solver (src/hedging/).
 *
 * Buckets, per hedged asset a (in this order): delta, gamma, vega per expiry bucket of the book's
 * vega edges. Units are those of `hedgekit greeks`' tables, so bands read like the risk report:
 *   delta Δ_a in units of the asset;
 *   gamma as cash gamma per 1 % move, Γ_a·S_a²/100 (currency);
 *   vega per vol point, ν/100 per bucket (currency per 0.01 vol).
 * A bucket without a band is still tracked (band (−∞, +∞), weight 0) so the report shows how the
 * trades move it.
 *
 * Instruments per asset: `underlyingHedge` (Δ = 1), `forwardHedge` (forward Δ = e^{−qT}, daily-settled
 * future Δ = e^{(r−q)T}), `optionGridHedges` (European options at strike k·S and expiry T). The
 * options' Δ, Γ and ν are then taken from the book's own pricer (`contractGreeks`: total Greeks with
 * the smile moving with spot), so that a grid option and the same option held in the book count
 * alike; with a flat vol the two coincide. Costs per unit: ½·spread + fee + feePerContract /
 * multiplier, with the spread of the underlying and futures in basis points of their price and the
 * options' in price or vol points (see hedge-inputs.ts).
 *
 * References: J. C. Hull, Options, Futures and Other Derivatives (10th ed.), ch. 19;
 * N. Taleb, Dynamic Hedging (1997) (cash gamma, vega buckets).
 */
import { HedgekitError } from '../core/errors.ts';
import {
  type AssetBuckets,
  forwardHedge,
  type HedgeMarket,
  type OptionGrid,
  optionGridHedges,
  underlyingHedge,
  vegaBucket,
} from '../hedging/hedge-instruments.ts';
import type { HedgeInstrument, HedgeProblem, RiskBucket, SpreadQuote } from '../hedging/hedge-types.ts';
import type { Contract } from '../instruments/terms.ts';
import type { OptionType } from '../pricing/types.ts';
import type { Book, BookGreeks } from './book-greeks.ts';
import { contractGreeks, volAt } from './contract-value.ts';

/** A band [lo, hi] in the bucket's units (lo ≤ hi, both finite). */
export interface HedgeBand {
  readonly lo: number;
  readonly hi: number;
}

/** Trading terms of one instrument kind (units of underlying; currency). */
export interface HedgeTradingSpec {
  /** Fee per unit traded, currency. */
  readonly fee: number;
  /** Fee per contract, currency (charged per unit as feePerContract / multiplier). */
  readonly feePerContract: number;
  /** Units of underlying per contract. */
  readonly multiplier: number;
  /** Largest |quantity| traded, units; omitted = no limit. */
  readonly maxQty?: number | undefined;
  /** Units per lot (quantities in whole lots); omitted = continuous. */
  readonly lotSize?: number | undefined;
}

/** The underlying, or a forward / future: full bid/ask spread in basis points of its price. */
export interface LinearHedgeSpec extends HedgeTradingSpec {
  readonly spreadBps: number;
}

/** A forward or a daily-settled future of expiry T (years), struck at the current forward. */
export interface FutureHedgeSpec extends LinearHedgeSpec {
  readonly kind: 'future' | 'forward';
  readonly expiry: number;
}

/** A grid of listed European options: types × strikes (fractions of spot) × expiries (years). */
export interface OptionGridSpec extends HedgeTradingSpec {
  readonly types: readonly OptionType[];
  /** Strikes as fractions of spot, e.g. 0.95 for K = 0.95·S. */
  readonly strikes: readonly number[];
  /** Expiries, years. */
  readonly expiries: readonly number[];
  /** Full bid/ask spread: a price per unit (currency) or implied-vol points (1 = 0.01 vol). */
  readonly spread:
    | { readonly kind: 'price'; readonly spread: number }
    | { readonly kind: 'vol'; readonly points: number };
}

/** What to hedge on one asset and with what. */
export interface AssetHedgeSpec {
  /** Index of the asset in the book. */
  readonly asset: number;
  readonly delta?: HedgeBand | undefined;
  readonly gamma?: HedgeBand | undefined;
  /** One band (or null = no band) per vega bucket of the book's edges (edges.length + 1). */
  readonly vega?: readonly (HedgeBand | null)[] | undefined;
  readonly underlying?: LinearHedgeSpec | undefined;
  readonly futures: readonly FutureHedgeSpec[];
  readonly options?: OptionGridSpec | undefined;
}

/** Penalty per unit of band violation (best-effort plans), currency per bucket unit. */
export interface HedgeWeights {
  /** Per unit of delta; omitted = the asset's spot (a violation costs its cash delta). */
  readonly delta?: number | undefined;
  /** Per currency of cash gamma (1 %). */
  readonly gamma: number;
  /** Per currency of vega per vol point. */
  readonly vega: number;
}

/** The `hedge:` section of a book file, resolved (asset indices, years, fractions). */
export interface BookHedgeSpec {
  readonly assets: readonly AssetHedgeSpec[];
  readonly weights: HedgeWeights;
}

/** Greek of a bucket. */
export type HedgeGreek = 'delta' | 'gamma' | 'vega';

/** What a bucket of the problem measures. */
export interface HedgeBucketInfo {
  readonly name: string;
  readonly asset: string;
  readonly greek: HedgeGreek;
  /** The vega bucket's label (`≤1M`, `1M–3M`, …), null for delta and gamma. */
  readonly expiryBucket: string | null;
  /** `units`, `cash gamma 1%` or `vega/pt`. */
  readonly unit: string;
}

/** What a hedge instrument is, for the report and for re-booking the trade. */
export interface HedgeInstrumentInfo {
  readonly id: string;
  readonly asset: string;
  readonly kind: 'underlying' | 'future' | 'forward' | 'option';
  readonly type: OptionType | null;
  /** Strike (options) or delivery price (forwards / futures: the current forward), currency. */
  readonly strike: number | null;
  /** Expiry, years; null for the underlying. */
  readonly expiry: number | null;
  readonly multiplier: number;
  readonly lotSize: number | null;
}

/** The solver's problem plus what each bucket and instrument is. */
export interface BookHedgeProblem {
  readonly problem: HedgeProblem;
  readonly buckets: readonly HedgeBucketInfo[];
  readonly instruments: readonly HedgeInstrumentInfo[];
}

/** Unit label of each Greek's bucket. */
export const HEDGE_UNITS: Readonly<Record<HedgeGreek, string>> = {
  delta: 'units',
  gamma: 'cash gamma 1%',
  vega: 'vega/pt',
};

function terms(t: HedgeTradingSpec, spread: SpreadQuote | undefined) {
  return {
    ...(spread ? { spread } : {}),
    fee: t.fee,
    feePerContract: t.feePerContract,
    multiplier: t.multiplier,
    ...(t.maxQty !== undefined ? { minQty: -t.maxQty, maxQty: t.maxQty } : {}),
    ...(t.lotSize !== undefined ? { lotSize: t.lotSize } : {}),
  };
}

/** `(0.95·100).toPrecision(12)`: strikes in % of spot without binary noise (110.00000000000001). */
const pctOf = (k: number) => Number((k * 100).toPrecision(12));

/**
 * Builds the hedge problem of a book from its Greeks (`bookGreeks` with the same vega edges) and
 * the hedge specification.
 * @throws HedgekitError (`hedge-instrument`) naming a hedge option the book's pricer cannot price;
 *   DomainError for inputs the builders reject
 * @example
 *   // a book long 100 units of X, delta band ±10, the underlying at 2 bp: sell 90 units
 *   bookHedgeProblem(book, bookGreeks(book), spec).problem.exposure[0] // returns 100
 */
export function bookHedgeProblem(book: Book, greeks: BookGreeks, spec: BookHedgeSpec): BookHedgeProblem {
  const edges = greeks.vegaEdges;
  const labels = greeks.bucketLabels;
  const nv = labels.length;
  const per = 2 + nv;
  const nBuckets = spec.assets.length * per;
  const buckets: RiskBucket[] = [];
  const info: HedgeBucketInfo[] = [];
  const exposure = new Float64Array(nBuckets);
  const scale = new Float64Array(nBuckets);
  const instruments: HedgeInstrument[] = [];
  const instInfo: HedgeInstrumentInfo[] = [];
  const open = { lo: Number.NEGATIVE_INFINITY, hi: Number.POSITIVE_INFINITY };

  spec.assets.forEach((s, k) => {
    const a = book.assets[s.asset];
    const risk = greeks.perAsset[s.asset];
    const S = a.spot;
    const base = k * per;
    const add = (
      greek: HedgeGreek,
      band: HedgeBand | null | undefined,
      weight: number,
      label: string | null,
    ) => {
      const b = buckets.length;
      const name = `${a.name} ${greek}${label ? ` ${label}` : ''}`;
      buckets.push({ name, ...(band ?? open), weight: band ? weight : 0 });
      info.push({ name, asset: a.name, greek, expiryBucket: label, unit: HEDGE_UNITS[greek] });
      return b;
    };
    add('delta', s.delta, spec.weights.delta ?? S, null);
    add('gamma', s.gamma, spec.weights.gamma, null);
    for (let j = 0; j < nv; j++) add('vega', s.vega?.[j], spec.weights.vega, labels[j]);
    exposure[base] = risk.delta;
    exposure[base + 1] = risk.cashGamma;
    scale[base] = 1;
    scale[base + 1] = (S * S) / 100;
    for (let j = 0; j < nv; j++) {
      exposure[base + 2 + j] = risk.vegaBuckets[j] / 100;
      scale[base + 2 + j] = 0.01;
    }

    const map: AssetBuckets = {
      nBuckets,
      delta: base,
      gamma: base + 1,
      vega: [
        ...edges.map((e, j) => ({ maxExpiry: e, bucket: base + 2 + j })),
        { maxExpiry: Number.POSITIVE_INFINITY, bucket: base + 2 + edges.length },
      ],
    };
    const market: HedgeMarket = {
      name: a.name,
      spot: S,
      rate: book.rate,
      dividend: a.carry,
      vol: (K, T) => volAt(a, K, T),
    };
    const push = (
      x: HedgeInstrument,
      meta: Omit<HedgeInstrumentInfo, 'id' | 'asset' | 'multiplier' | 'lotSize'>,
      t: HedgeTradingSpec,
    ) => {
      instruments.push(x);
      instInfo.push({
        id: x.id,
        asset: a.name,
        ...meta,
        multiplier: t.multiplier,
        lotSize: t.lotSize ?? null,
      });
    };

    const u = s.underlying;
    if (u) {
      const x = underlyingHedge(map, a.name, terms(u, { kind: 'price', spread: u.spreadBps * 1e-4 * S }));
      push(x, { kind: 'underlying', type: null, strike: null, expiry: null }, u);
    }
    for (const f of s.futures) {
      const fwd = S * Math.exp((book.rate - a.carry) * f.expiry);
      const x = forwardHedge(
        market,
        f.kind,
        f.expiry,
        map,
        terms(f, { kind: 'price', spread: f.spreadBps * 1e-4 * fwd }),
      );
      push(x, { kind: f.kind, type: null, strike: fwd, expiry: f.expiry }, f);
    }
    const o = s.options;
    if (o) {
      const grid: OptionGrid = {
        ...terms(o, undefined),
        types: o.types,
        strikePct: o.strikes.map(pctOf),
        expiries: o.expiries,
        ...(o.spread.kind === 'vol' ? { spreadVolPoints: o.spread.points } : {}),
      };
      const built = optionGridHedges(market, grid, map);
      let j = 0;
      for (const type of o.types)
        for (const k of o.strikes)
          for (const T of o.expiries) {
            const x = built[j++];
            const K = (S * pctOf(k)) / 100;
            const c: Contract = {
              id: x.id,
              terms: { kind: 'option', asset: s.asset, type, style: 'european' },
              strike: K,
              expiry: T,
            };
            let g: ReturnType<typeof contractGreeks>;
            try {
              g = contractGreeks(c, a, book.rate);
            } catch (e) {
              throw new HedgekitError(
                'hedge-instrument',
                `hedge option ${JSON.stringify(x.id)}: ${e instanceof Error ? e.message : String(e)}`,
              );
            }
            const ex = new Float64Array(nBuckets);
            ex[map.delta] = g.delta;
            ex[base + 1] = g.gamma;
            ex[vegaBucket(map, T)] += g.vega;
            const spread: SpreadQuote =
              o.spread.kind === 'price'
                ? { kind: 'price', spread: o.spread.spread }
                : { kind: 'vol', points: o.spread.points, vega: g.vega };
            push({ ...x, exposure: ex, spread }, { kind: 'option', type, strike: K, expiry: T }, o);
          }
    }
  });
  // Into the report's units: cash gamma (1 %) and vega per vol point.
  for (const x of instruments) {
    const e = x.exposure as Float64Array;
    for (let b = 0; b < nBuckets; b++) e[b] *= scale[b];
  }
  return { problem: { buckets, instruments, exposure }, buckets: info, instruments: instInfo };
}
