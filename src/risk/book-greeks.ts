/**
 * Net Greeks of a book of positions (contract + signed quantity in units of underlying) over
 * several assets, per asset and in total.
 *
 * For asset a with spot S_a, summing q_i × (per-unit Greek of contract i) over its positions:
 * - delta Δ_a in units of the asset; cash delta Δ_a·S_a (currency);
 * - cash gamma per 1 % move, Γ_a·S_a²/100: the change in delta for a 1 % spot move (Γ·0.01·S),
 *   valued in cash at the current spot — the cash amount of the asset one must trade to re-hedge
 *   after a 1 % move (Taleb, Dynamic Hedging: "dollar gamma"); it does not include the
 *   revaluation Δ·0.01·S of the existing delta;
 * - vega per 1.00 of vol, and split into expiry buckets: with edges e_1 < … < e_m (years), bucket
 *   0 holds τ ≤ e_1, bucket j holds e_j < τ ≤ e_{j+1}, the last τ > e_m (default edges 1M, 3M, 6M,
 *   1Y: ≤1M, 1M–3M, 3M–6M, 6M–1Y, >1Y);
 * - theta per year and per calendar day (÷365); vanna ∂²V/∂S∂σ; volga ∂²V/∂σ²; rho per 1.00.
 * Totals add what is in currency: value, cash delta, cash gamma, vega (and buckets), theta, volga,
 * rho, and cash vanna, vanna·S/100 (the change of cash delta Δ·S for +1 vol point).
 * Beta-weighted delta to an index asset I with β_a per asset: Σ_a Δ_a·S_a·β_a (cash) and
 * Σ_a Δ_a·S_a·β_a / S_I (index units).
 *
 * Shape: `perAsset` in asset order; `vegaBuckets` has edges.length + 1 entries.
 * References: Hull, OFOD (10th ed.) ch. 19; Haug (2007) ch. 2; N. Taleb, Dynamic Hedging (Wiley,
 * 1997) (cash gamma, vega buckets by expiry).
 */
import { DomainError, HedgekitError } from '../core/errors.ts';
import type { Contract } from '../instruments/terms.ts';
import { type AssetQuote, type ContractGreeks, contractGreeks } from './contract-value.ts';

/** One asset of a book's market: its quote plus a display name and an optional beta to the index. */
export interface BookAsset extends AssetQuote {
  readonly name: string;
  /** Beta to the index asset (dimensionless), for beta-weighted delta. */
  readonly beta?: number;
}

/** A holding: `quantity` units of underlying of `contract` (negative = short). */
export interface Position {
  /** Display name (unique in the book), e.g. the contract id. */
  readonly name: string;
  readonly contract: Contract;
  readonly quantity: number;
}

/** A book: market inputs and positions; `contract.terms.asset` indexes `assets`. */
export interface Book {
  readonly assets: readonly BookAsset[];
  /** Risk-free rate r, continuously compounded annual decimal. */
  readonly rate: number;
  readonly positions: readonly Position[];
}

/** Default vega bucket edges, years: 1M, 3M, 6M, 1Y. */
export const DEFAULT_VEGA_EDGES: readonly number[] = [1 / 12, 0.25, 0.5, 1];

/** Options of {@link bookGreeks}. */
export interface BookGreeksOptions {
  /** Vega bucket edges, years, strictly increasing and > 0 (default {@link DEFAULT_VEGA_EDGES}). */
  readonly vegaEdges?: readonly number[];
  /** Name of the index asset for beta-weighted delta (omit for none). */
  readonly betaIndex?: string;
}

/** Net risk of one asset (quantities summed over its positions; units in the module header). */
export interface AssetRisk {
  readonly asset: string;
  readonly spot: number;
  readonly value: number;
  readonly delta: number;
  readonly cashDelta: number;
  readonly gamma: number;
  /** Γ·S²/100, currency per 1 % spot move. */
  readonly cashGamma: number;
  readonly vega: number;
  readonly vegaBuckets: readonly number[];
  readonly theta: number;
  readonly thetaPerDay: number;
  readonly vanna: number;
  /** vanna·S/100: change of cash delta for +1 vol point. */
  readonly cashVanna: number;
  readonly volga: number;
  readonly rho: number;
}

/** One position's Greeks, quantity included. */
export interface PositionRisk extends ContractGreeks {
  readonly name: string;
  readonly asset: string;
  readonly quantity: number;
  /** Time to expiry, years (Infinity for the asset). */
  readonly expiry: number;
}

/** Book totals: what adds across assets (currency amounts). */
export interface BookTotals {
  readonly value: number;
  readonly cashDelta: number;
  readonly cashGamma: number;
  readonly vega: number;
  readonly vegaBuckets: readonly number[];
  readonly theta: number;
  readonly thetaPerDay: number;
  readonly cashVanna: number;
  readonly volga: number;
  readonly rho: number;
}

/** Result of {@link bookGreeks}. */
export interface BookGreeks {
  readonly positions: readonly PositionRisk[];
  readonly perAsset: readonly AssetRisk[];
  readonly total: BookTotals;
  /** Bucket edges used (years) and their labels (`≤1M`, `1M–3M`, …, `>1Y`). */
  readonly vegaEdges: readonly number[];
  readonly bucketLabels: readonly string[];
  /** Beta-weighted delta, when an index was named. */
  readonly betaWeighted?: { readonly index: string; readonly units: number; readonly cash: number };
}

/** An unpriceable position: the error names it. */
export class PositionError extends HedgekitError {
  readonly position: string;
  constructor(position: string, message: string) {
    super('position-unpriceable', `position ${JSON.stringify(position)}: ${message}`);
    this.position = position;
  }
}

/**
 * Index of the vega bucket of time to expiry τ: the first j with τ ≤ edges[j], else edges.length.
 * @example vegaBucket(0.25, DEFAULT_VEGA_EDGES) // returns 1 (the 1M–3M bucket, upper edge included)
 */
export function vegaBucket(tau: number, edges: readonly number[]): number {
  for (let j = 0; j < edges.length; j++) if (tau <= edges[j]) return j;
  return edges.length;
}

/** `1M`, `3M`, `1Y`, `18M`, `2Y`, or years for other edges (`0.3Y`). */
export function tenorLabel(years: number): string {
  const m = years * 12;
  if (Math.abs(m - Math.round(m)) < 1e-9 && Math.round(m) >= 1) {
    const mi = Math.round(m);
    return mi % 12 === 0 ? `${mi / 12}Y` : `${mi}M`;
  }
  const w = years * 52;
  if (Math.abs(w - Math.round(w)) < 1e-9 && Math.round(w) >= 1) return `${Math.round(w)}W`;
  return `${Number(years.toPrecision(4))}Y`;
}

/**
 * Labels of the buckets of `edges`: `≤1M`, `1M–3M`, …, `>1Y`.
 * @example bucketLabels([1 / 12, 0.25]) // returns ['≤1M', '1M–3M', '>3M']
 */
export function bucketLabels(edges: readonly number[]): string[] {
  const t = edges.map(tenorLabel);
  if (t.length === 0) return ['all'];
  return [`≤${t[0]}`, ...t.slice(1).map((e, j) => `${t[j]}–${e}`), `>${t[t.length - 1]}`];
}

function checkEdges(edges: readonly number[]): void {
  edges.forEach((e, j) => {
    if (!(Number.isFinite(e) && e > 0)) throw new DomainError(`vegaEdges[${j}]`, e, 'must be > 0 (years)');
    if (j > 0 && !(e > edges[j - 1]))
      throw new DomainError(`vegaEdges[${j}]`, e, `must be > vegaEdges[${j - 1}] (${edges[j - 1]})`);
  });
}

/**
 * Prices one position, wrapping any failure (or a non-finite result) in a PositionError naming it.
 * @throws PositionError
 */
export function positionGreeks(book: Book, p: Position): ContractGreeks {
  const a = book.assets[p.contract.terms.asset];
  if (!a)
    throw new PositionError(p.name, `asset index ${p.contract.terms.asset} is not in the book's market`);
  if (!Number.isFinite(p.quantity))
    throw new PositionError(p.name, `quantity (${p.quantity}) must be a finite number`);
  try {
    return contractGreeks(p.contract, a, book.rate);
  } catch (e) {
    throw new PositionError(p.name, e instanceof Error ? e.message : String(e));
  }
}

/**
 * Net Greeks of a book per asset and in total, plus the beta-weighted delta to an index.
 *
 * Formulas and units in the module header; per-unit Greeks from {@link contractGreeks}.
 * @throws PositionError naming an unpriceable position; DomainError for invalid bucket edges, an
 *   unknown index or an asset without beta when beta-weighting
 * @example
 *   bookGreeks({ rate: 0, assets: [{ name: 'X', spot: 100, carry: 0, vol: 0.2 }], positions: [{ name: 'X',
 *     contract: { id: 'X', terms: { kind: 'asset', asset: 0 }, strike: 0, expiry: Infinity }, quantity: 5 }] })
 *     .perAsset[0].cashDelta // returns 500
 */
export function bookGreeks(book: Book, options: BookGreeksOptions = {}): BookGreeks {
  const edges = options.vegaEdges ?? DEFAULT_VEGA_EDGES;
  checkEdges(edges);
  const nb = edges.length + 1;
  const acc = book.assets.map(() => ({
    value: 0,
    delta: 0,
    gamma: 0,
    vega: 0,
    theta: 0,
    vanna: 0,
    volga: 0,
    rho: 0,
    buckets: new Array<number>(nb).fill(0),
  }));
  const positions: PositionRisk[] = [];
  for (const p of book.positions) {
    const g = positionGreeks(book, p);
    const a = p.contract.terms.asset;
    const q = p.quantity;
    const s = acc[a];
    s.value += q * g.price;
    s.delta += q * g.delta;
    s.gamma += q * g.gamma;
    s.vega += q * g.vega;
    s.theta += q * g.theta;
    s.vanna += q * g.vanna;
    s.volga += q * g.volga;
    s.rho += q * g.rho;
    if (g.vega !== 0) s.buckets[vegaBucket(p.contract.expiry, edges)] += q * g.vega;
    positions.push({
      name: p.name,
      asset: book.assets[a].name,
      quantity: q,
      expiry: p.contract.expiry,
      price: q * g.price,
      delta: q * g.delta,
      gamma: q * g.gamma,
      vega: q * g.vega,
      theta: q * g.theta,
      vanna: q * g.vanna,
      volga: q * g.volga,
      rho: q * g.rho,
    });
  }
  const perAsset: AssetRisk[] = book.assets.map((a, i) => {
    const s = acc[i];
    const S = a.spot;
    return {
      asset: a.name,
      spot: S,
      value: s.value,
      delta: s.delta,
      cashDelta: s.delta * S,
      gamma: s.gamma,
      cashGamma: (s.gamma * S * S) / 100,
      vega: s.vega,
      vegaBuckets: s.buckets,
      theta: s.theta,
      thetaPerDay: s.theta / 365,
      vanna: s.vanna,
      cashVanna: (s.vanna * S) / 100,
      volga: s.volga,
      rho: s.rho,
    };
  });
  const sum = (f: (r: AssetRisk) => number) => perAsset.reduce((t, r) => t + f(r), 0);
  const total: BookTotals = {
    value: sum((r) => r.value),
    cashDelta: sum((r) => r.cashDelta),
    cashGamma: sum((r) => r.cashGamma),
    vega: sum((r) => r.vega),
    vegaBuckets: Array.from({ length: nb }, (_, j) => sum((r) => r.vegaBuckets[j])),
    theta: sum((r) => r.theta),
    thetaPerDay: sum((r) => r.thetaPerDay),
    cashVanna: sum((r) => r.cashVanna),
    volga: sum((r) => r.volga),
    rho: sum((r) => r.rho),
  };
  const result: BookGreeks = {
    positions,
    perAsset,
    total,
    vegaEdges: [...edges],
    bucketLabels: bucketLabels(edges),
  };
  if (options.betaIndex === undefined) return result;
  return { ...result, betaWeighted: betaWeightedDelta(book, perAsset, options.betaIndex) };
}

/**
 * Beta-weighted delta: cash = Σ_a Δ_a·S_a·β_a, units = cash / S_index. The index asset's beta is 1
 * when not given; every other asset holding a position needs a beta.
 * @throws DomainError for an unknown index or a missing beta
 * @example // a one-asset book with β = 1 and index = that asset: units = its delta
 */
export function betaWeightedDelta(
  book: Book,
  perAsset: readonly AssetRisk[],
  index: string,
): { index: string; units: number; cash: number } {
  const i = book.assets.findIndex((a) => a.name === index);
  if (i < 0)
    throw new DomainError(
      'betaIndex',
      index,
      `must name an asset of the book (${book.assets.map((a) => a.name).join(', ')})`,
    );
  let cash = 0;
  book.assets.forEach((a, j) => {
    const r = perAsset[j];
    if (r.delta === 0) return;
    const beta = a.beta ?? (j === i ? 1 : undefined);
    if (beta === undefined)
      throw new DomainError(`beta of ${a.name}`, undefined, 'is required for beta-weighted delta');
    cash += r.cashDelta * beta;
  });
  return { index, units: cash / book.assets[i].spot, cash };
}
