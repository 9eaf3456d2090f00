/**
 * Hedge instruments on one asset as solver input: the underlying, a forward or future, and a grid of
 * listed European options (strikes in % of spot × expiries), each with its per-unit exposure in the
 * caller's risk buckets.
 *
 * Per unit, with q the dividend yield, r the rate, T the expiry (years):
 *   underlying: Δ = 1;
 *   forward (delivery K, settled at T): V = S·e^{−qT} − K·e^{−rT}, Δ = e^{−qT};
 *   future (marked to market daily): P&L per unit of spot move is dF/dS, F = S·e^{(r−q)T}, Δ = e^{(r−q)T};
 *   option: BSM Δ, Γ (per 1.00² of spot) and ν (per 1.00 vol) from `blackBatch`, ν put into the
 *   vega bucket of the option's expiry.
 * Option spreads quoted in vol points cost ½·points·0.01·ν per unit (see hedge-inputs.ts).
 *
 * References: J. C. Hull, Options, Futures and Other Derivatives (10th ed.), §5.4, ch. 19;
 * E. G. Haug, The Complete Guide to Option Pricing Formulas (2nd ed.), ch. 2.
 */
import { DomainError, requireFinite, requireNonNegative, requirePositive } from '../core/errors.ts';
import { contractId } from '../instruments/terms.ts';
import { blackBatch } from '../pricing/black-scholes.ts';
import { type OptionType, optionSign } from '../pricing/types.ts';
import type { HedgeInstrument } from './hedge-types.ts';

/** Where an asset's Greeks go in the caller's bucket vector. */
export interface AssetBuckets {
  /** Total number of buckets (the length of every exposure vector). */
  readonly nBuckets: number;
  /** Bucket index of the asset's delta. */
  readonly delta: number;
  /** Bucket index of the asset's gamma; omitted = gamma not tracked. */
  readonly gamma?: number;
  /**
   * Vega buckets by expiry, increasing `maxExpiry` (years): an option expiring at T goes to the first
   * entry with T ≤ maxExpiry, the last entry takes anything longer. Omitted = vega not tracked.
   */
  readonly vega?: readonly { readonly maxExpiry: number; readonly bucket: number }[];
}

/** Market inputs of the asset (annualised decimals; vol flat or a smile function of K and T). */
export interface HedgeMarket {
  /** Display name of the asset, e.g. `SPX`. */
  readonly name: string;
  /** Spot, currency, > 0. */
  readonly spot: number;
  /** Continuously compounded rate r. */
  readonly rate: number;
  /** Continuous dividend yield q. */
  readonly dividend: number;
  /** Implied vol σ ≥ 0: a number or σ(strike, expiry). */
  readonly vol: number | ((strike: number, expiry: number) => number);
}

/** Trading terms shared by the instruments a builder makes. */
export type HedgeTradingTerms = Pick<
  HedgeInstrument,
  'spread' | 'fee' | 'feePerContract' | 'multiplier' | 'minQty' | 'maxQty' | 'lotSize'
>;

/** A grid of listed options: every type × strike × expiry. */
export interface OptionGrid extends Omit<HedgeTradingTerms, 'spread'> {
  readonly types: readonly OptionType[];
  /** Strikes in % of spot, e.g. [90, 100, 110]. */
  readonly strikePct: readonly number[];
  /** Expiries, years, > 0. */
  readonly expiries: readonly number[];
  /** Full bid/ask spread in implied-vol points (1 = 0.01 vol), ≥ 0; omitted = 0. */
  readonly spreadVolPoints?: number;
}

function checkBuckets(b: AssetBuckets): void {
  const idx = (param: string, v: number) => {
    if (!(Number.isInteger(v) && v >= 0 && v < b.nBuckets))
      throw new DomainError(param, v, `must be a bucket index in [0, ${b.nBuckets})`);
  };
  if (!(Number.isInteger(b.nBuckets) && b.nBuckets >= 1))
    throw new DomainError('buckets.nBuckets', b.nBuckets, 'must be an integer >= 1');
  idx('buckets.delta', b.delta);
  if (b.gamma !== undefined) idx('buckets.gamma', b.gamma);
  b.vega?.forEach((v, i) => {
    idx(`buckets.vega[${i}].bucket`, v.bucket);
    if (i > 0 && !(v.maxExpiry > b.vega![i - 1].maxExpiry))
      throw new DomainError(`buckets.vega[${i}].maxExpiry`, v.maxExpiry, 'must increase');
  });
}

function checkMarket(m: HedgeMarket): void {
  requirePositive('market.spot', m.spot);
  requireFinite('market.rate', m.rate);
  requireFinite('market.dividend', m.dividend);
  if (typeof m.vol === 'number') requireNonNegative('market.vol', m.vol);
}

/**
 * Bucket of an expiry among the vega buckets (first with T ≤ maxExpiry, else the last); −1 if none.
 * @example vegaBucket({ nBuckets: 4, delta: 0, vega: [{ maxExpiry: 0.25, bucket: 2 }, { maxExpiry: 1, bucket: 3 }] }, 0.5)
 *   // returns 3
 */
export function vegaBucket(buckets: AssetBuckets, expiry: number): number {
  const v = buckets.vega;
  if (v === undefined || v.length === 0) return -1;
  for (const e of v) if (expiry <= e.maxExpiry) return e.bucket;
  return v[v.length - 1].bucket;
}

/**
 * The underlying as a hedge instrument: exposure 1 in the delta bucket.
 * @throws DomainError for an invalid bucket map
 * @example underlyingHedge({ nBuckets: 2, delta: 0, gamma: 1 }, 'SPX').exposure // returns Float64Array [1, 0]
 */
export function underlyingHedge(
  buckets: AssetBuckets,
  name: string,
  terms: HedgeTradingTerms = {},
): HedgeInstrument {
  checkBuckets(buckets);
  const exposure = new Float64Array(buckets.nBuckets);
  exposure[buckets.delta] = 1;
  return { id: name, exposure, ...terms };
}

/**
 * A forward (Δ = e^{−qT}) or a daily-settled future (Δ = e^{(r−q)T}) on the asset, struck at the
 * current forward S·e^{(r−q)T}.
 * @param expiry years, > 0
 * @throws DomainError for an invalid market, expiry or bucket map
 * @example forwardHedge({ name: 'SPX', spot: 100, rate: 0.05, dividend: 0, vol: 0.2 }, 'future', 1,
 *   { nBuckets: 1, delta: 0 }).exposure[0] // returns 1.0512710963760241
 */
export function forwardHedge(
  market: HedgeMarket,
  kind: 'forward' | 'future',
  expiry: number,
  buckets: AssetBuckets,
  terms: HedgeTradingTerms = {},
): HedgeInstrument {
  checkMarket(market);
  checkBuckets(buckets);
  requirePositive('expiry', expiry);
  const { spot, rate, dividend } = market;
  const fwd = spot * Math.exp((rate - dividend) * expiry);
  const exposure = new Float64Array(buckets.nBuckets);
  exposure[buckets.delta] =
    kind === 'forward' ? Math.exp(-dividend * expiry) : Math.exp((rate - dividend) * expiry);
  return { id: contractId({ kind, asset: 0 }, market.name, fwd, expiry), exposure, ...terms };
}

/**
 * Listed European options on a grid (types × strikes in % of spot × expiries), priced once as a
 * batch with BSM; per-unit Δ, Γ and ν (per 1.00 vol) go into the delta, gamma and expiry-vega buckets.
 * Each option's spread cost is ½·spreadVolPoints·0.01·ν.
 *
 * Shape: returns types.length × strikePct.length × expiries.length instruments, type-major then
 * strike then expiry.
 * @throws DomainError for an invalid market, grid entry or bucket map (a smile vol that is not ≥ 0 too)
 * @example
 *   optionGridHedges({ name: 'SPX', spot: 100, rate: 0.05, dividend: 0, vol: 0.2 },
 *     { types: ['call'], strikePct: [100], expiries: [1] }, { nBuckets: 1, delta: 0 })[0].exposure[0]
 *   // returns 0.6368306511756191 (the BSM delta)
 * References: Haug (2007) ch. 2.
 */
export function optionGridHedges(
  market: HedgeMarket,
  grid: OptionGrid,
  buckets: AssetBuckets,
): HedgeInstrument[] {
  checkMarket(market);
  checkBuckets(buckets);
  grid.strikePct.forEach((k, i) => {
    requirePositive(`grid.strikePct[${i}]`, k);
  });
  grid.expiries.forEach((t, i) => {
    requirePositive(`grid.expiries[${i}]`, t);
  });
  const points = grid.spreadVolPoints ?? 0;
  requireNonNegative('grid.spreadVolPoints', points);
  const n = grid.types.length * grid.strikePct.length * grid.expiries.length;
  const input = {
    sign: new Int8Array(n),
    spot: new Float64Array(n).fill(market.spot),
    strike: new Float64Array(n),
    expiry: new Float64Array(n),
    rate: new Float64Array(n).fill(market.rate),
    vol: new Float64Array(n),
    dividend: new Float64Array(n).fill(market.dividend),
  };
  let j = 0;
  for (const type of grid.types) {
    for (const pct of grid.strikePct) {
      for (const T of grid.expiries) {
        const K = (market.spot * pct) / 100;
        const vol = typeof market.vol === 'number' ? market.vol : market.vol(K, T);
        requireNonNegative(`market.vol(${K}, ${T})`, vol);
        input.sign[j] = optionSign(type);
        input.strike[j] = K;
        input.expiry[j] = T;
        input.vol[j] = vol;
        j++;
      }
    }
  }
  const out = {
    price: new Float64Array(n),
    delta: new Float64Array(n),
    gamma: new Float64Array(n),
    vega: new Float64Array(n),
  };
  blackBatch(input, out);
  const { spreadVolPoints: _, types: _t, strikePct: _k, expiries: _e, ...terms } = grid;
  const result: HedgeInstrument[] = [];
  j = 0;
  for (const type of grid.types) {
    for (let s = 0; s < grid.strikePct.length; s++) {
      for (const T of grid.expiries) {
        const exposure = new Float64Array(buckets.nBuckets);
        exposure[buckets.delta] = out.delta[j];
        if (buckets.gamma !== undefined) exposure[buckets.gamma] = out.gamma[j];
        const vb = vegaBucket(buckets, T);
        if (vb >= 0) exposure[vb] = exposure[vb] + out.vega[j];
        result.push({
          id: contractId(
            { kind: 'option', asset: 0, type, style: 'european' },
            market.name,
            input.strike[j],
            T,
          ),
          exposure,
          spread: { kind: 'vol', points, vega: out.vega[j] },
          ...terms,
        });
        j++;
      }
    }
  }
  return result;
}
