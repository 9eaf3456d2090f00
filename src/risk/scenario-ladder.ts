/**
 * Scenario revaluation of a book by full repricing (no Taylor expansion): every position is
 * repriced under each spot shock × vol shock of a grid, optionally after a time shift, and the
 * ladder holds the P&L, value under the shock minus the base value.
 *
 * Shocked inputs of a shocked asset a: S'_a = S_a·(1 + s) for a relative spot shock s; pricing vol
 * σ' = max(σ(K, τ'; S'_a) + v/100, 0) for a shock of v vol points (the smile, if any, re-read at
 * the shocked spot and the shifted time to expiry τ' = τ − days/365); the rate and carries are
 * unchanged. Spot and vol shocks apply to every asset (the same relative shock), or only to the
 * one asset named. A contract whose τ' ≤ 0 is worth its payoff (contractValue). Barrier options
 * whose shocked spot is on or past the barrier count as knocked (the pricers' convention).
 *
 * P&L(s, v) = Σ_i q_i·V_i(shocked) − Σ_i q_i·V_i(base), base = no shock and no time shift; so the
 * P&L at zero shocks is exactly 0 without a time shift, and the carry (theta) of the shift with one.
 *
 * Shape: `pnl[i][j]` for spotShocks[i] and volShocks[j].
 * References: N. Taleb, Dynamic Hedging (Wiley, 1997) (scenario ladders); Hull, OFOD (10th ed.), ch. 22 (stress testing).
 */
import { DomainError } from '../core/errors.ts';
import { type Book, type BookAsset, PositionError } from './book-greeks.ts';
import { contractValue } from './contract-value.ts';

/** Default relative spot shocks: −30 % … +20 %. */
export const DEFAULT_SPOT_SHOCKS: readonly number[] = [-0.3, -0.2, -0.1, -0.05, 0, 0.05, 0.1, 0.2];
/** Default vol shocks, vol points: −10 … +20. */
export const DEFAULT_VOL_SHOCKS: readonly number[] = [-10, -5, 0, 5, 10, 20];

/** Axes and options of a ladder (every field optional; defaults above). */
export interface LadderSpec {
  /** Relative spot shocks (−0.3 = −30 %), each > −1. */
  readonly spotShocks?: readonly number[];
  /** Vol shocks in vol points (5 = +0.05 of vol). */
  readonly volShocks?: readonly number[];
  /** Calendar days the valuation moves forward (default 0). */
  readonly timeShiftDays?: number;
  /** Shock only this asset (by name); default every asset. */
  readonly asset?: string;
}

/** A P&L ladder (currency). */
export interface Ladder {
  readonly spotShocks: readonly number[];
  readonly volShocks: readonly number[];
  readonly timeShiftDays: number;
  /** The asset shocked, or undefined for all. */
  readonly asset: string | undefined;
  /** Book value with no shock and no time shift. */
  readonly baseValue: number;
  /** pnl[i][j]: spotShocks[i] × volShocks[j]. */
  readonly pnl: readonly (readonly number[])[];
}

/** Shocks applied to a book's market. */
export interface Shock {
  /** Relative spot shock. */
  readonly spot: number;
  /** Vol shock, vol points. */
  readonly volPoints: number;
  /** Days the valuation moves forward. */
  readonly days: number;
  /** Index of the only asset shocked, or undefined for all. */
  readonly asset?: number | undefined;
}

/**
 * The book's market and positions after a shock: spots scaled, vols shifted (volShift in decimal
 * vol), expiries shortened by days/365.
 * @example shockBook(book, { spot: -0.1, volPoints: 5, days: 0 }).assets[0].spot // 0.9 × the spot
 */
export function shockBook(book: Book, shock: Shock): Book {
  const hit = (a: number) => shock.asset === undefined || shock.asset === a;
  const assets: BookAsset[] = book.assets.map((a, i) =>
    hit(i)
      ? { ...a, spot: a.spot * (1 + shock.spot), volShift: (a.volShift ?? 0) + shock.volPoints / 100 }
      : a,
  );
  const dt = shock.days / 365;
  const positions =
    dt === 0
      ? book.positions
      : book.positions.map((p) =>
          p.contract.terms.kind === 'asset'
            ? p
            : { ...p, contract: { ...p.contract, expiry: p.contract.expiry - dt } },
        );
  return { assets, rate: book.rate, positions };
}

/**
 * Value of a book by full repricing: Σ q_i·V_i, currency.
 * @throws PositionError naming a position whose value is not a finite number
 * @example bookValue({ rate: 0, assets: [{ name: 'X', spot: 100, carry: 0, vol: 0.2 }], positions: [] }) // returns 0
 */
export function bookValue(book: Book): number {
  let v = 0;
  for (const p of book.positions) {
    const a = book.assets[p.contract.terms.asset];
    if (!a)
      throw new PositionError(p.name, `asset index ${p.contract.terms.asset} is not in the book's market`);
    let x: number;
    try {
      x = contractValue(p.contract, a, book.rate);
    } catch (e) {
      throw new PositionError(p.name, e instanceof Error ? e.message : String(e));
    }
    if (!Number.isFinite(x)) throw new PositionError(p.name, `value (${x}) is not a finite number`);
    v += p.quantity * x;
  }
  return v;
}

/**
 * The P&L ladder of a book over a spot × vol shock grid (module header for the shock rules).
 * @throws DomainError for a spot shock ≤ −100 %, a non-finite shock, a negative time shift or an
 *   unknown asset name; PositionError naming a position that cannot be priced under some shock
 * @example scenarioLadder(book).pnl[4][2] // returns 0 (zero spot and vol shock, no time shift)
 */
export function scenarioLadder(book: Book, spec: LadderSpec = {}): Ladder {
  const spotShocks = spec.spotShocks ?? DEFAULT_SPOT_SHOCKS;
  const volShocks = spec.volShocks ?? DEFAULT_VOL_SHOCKS;
  const days = spec.timeShiftDays ?? 0;
  spotShocks.forEach((s, i) => {
    if (!(Number.isFinite(s) && s > -1))
      throw new DomainError(`spotShocks[${i}]`, s, 'must be > -1 (a relative shock)');
  });
  volShocks.forEach((v, i) => {
    if (!Number.isFinite(v))
      throw new DomainError(`volShocks[${i}]`, v, 'must be a finite number (vol points)');
  });
  if (!(Number.isFinite(days) && days >= 0)) throw new DomainError('timeShiftDays', days, 'must be >= 0');
  let asset: number | undefined;
  if (spec.asset !== undefined) {
    asset = book.assets.findIndex((a) => a.name === spec.asset);
    if (asset < 0)
      throw new DomainError(
        'asset',
        spec.asset,
        `must name an asset of the book (${book.assets.map((a) => a.name).join(', ')})`,
      );
  }
  const baseValue = bookValue(book);
  const pnl = spotShocks.map((s) =>
    volShocks.map((v) => bookValue(shockBook(book, { spot: s, volPoints: v, days, asset })) - baseValue),
  );
  return {
    spotShocks: [...spotShocks],
    volShocks: [...volShocks],
    timeShiftDays: days,
    asset: spec.asset,
    baseValue,
    pnl,
  };
}
