/**
 * Historical replay: a real price history, cut to a date window, stepped through as one
 * deterministic path (copied to every simulated path), with the dates exposed.
 *
 * Asset → column mapping (shared with the bootstrap, see {@link mapAssetsToColumns}):
 * 1. `columns[asset.name]` if given; 2. the column whose name equals the asset's name;
 * 3. an equity asset takes the next column not yet used, in file order (cycling when every column
 *    is taken); 4. any other asset (bond, commodity, fx) with no column stays flat: price = spot,
 *    log return 0, vol 0 — equity-only histories carry no information about it.
 */
import { isIsoDate, yearFractionAct365F } from '../core/calendar-date.ts';
import { DomainError, requirePositive } from '../core/errors.ts';
import type { Rng } from '../core/rng.ts';
import { TRADING_DAYS_PER_YEAR } from '../core/time.ts';
import { type AssetSpec, validateAssets } from '../market/asset.ts';
import type { PriceHistory } from '../market/price-history.ts';
import { constantRate, type RateModel } from '../market/rate.ts';
import { ewmaVarianceStep } from '../volatility/ewma.ts';
import {
  allocState,
  type MarketState,
  type PathGenerator,
  type TimeGrid,
  timeGrid,
  uniformGrid,
} from './types.ts';

/** RiskMetrics daily decay of the EWMA volatility reported in `state.vol`. */
export const REPLAY_EWMA_LAMBDA = 0.94;

/**
 * Maps each asset to a history column index, or −1 for a flat asset (rules in the file header).
 *
 * Shape: returns [nAssets].
 * @param columns - explicit asset name → column name overrides.
 * @throws DomainError if an override names an unknown asset or column:
 *   `columns.BUND ("Bund") must be one of "DAX", "SMI", "CAC", "FTSE"`.
 * @example
 * mapAssetsToColumns([{ name: 'EQ', assetClass: 'equity', spot: 100 }, { name: 'BD', assetClass: 'bond', spot: 100 }], eu);
 * // returns [0, -1]: EQ replays DAX, BD is flat
 * References: hedgekit docs/regimes.md.
 */
export function mapAssetsToColumns(
  assets: readonly AssetSpec[],
  history: PriceHistory,
  columns?: Readonly<Record<string, string>>,
): number[] {
  const cols = history.columns;
  const out = new Array<number>(assets.length).fill(-2);
  const used = new Array<boolean>(cols.length).fill(false);
  const names = new Set(assets.map((a) => a.name));
  if (columns) {
    for (const key of Object.keys(columns)) {
      if (!names.has(key)) {
        throw new DomainError(
          `columns.${key}`,
          key,
          `must name an asset (${[...names].map((x) => `"${x}"`).join(', ')})`,
        );
      }
    }
  }
  for (let i = 0; i < assets.length; i++) {
    const want = columns?.[assets[i].name];
    if (want !== undefined) {
      const j = cols.indexOf(want);
      if (j < 0) {
        throw new DomainError(
          `columns.${assets[i].name}`,
          want,
          `must be one of ${cols.map((c) => `"${c}"`).join(', ')}`,
        );
      }
      out[i] = j;
      used[j] = true;
    } else {
      const j = cols.indexOf(assets[i].name);
      if (j >= 0) {
        out[i] = j;
        used[j] = true;
      }
    }
  }
  let next = 0;
  for (let i = 0; i < assets.length; i++) {
    if (out[i] !== -2) continue;
    if (assets[i].assetClass !== 'equity' || cols.length === 0) {
      out[i] = -1;
      continue;
    }
    let j = -1;
    for (let c = 0; c < cols.length; c++) {
      if (!used[c]) {
        j = c;
        break;
      }
    }
    if (j < 0) {
      j = next % cols.length;
      next++;
    }
    used[j] = true;
    out[i] = j;
  }
  return out;
}

/**
 * Rows [first, last] of `history` inside [from, to] (ISO dates, inclusive; either may be omitted).
 *
 * @throws DomainError if a bound is not an ISO date or the window holds fewer than `minRows` rows:
 *   `window ("1999-01-01 to 1999-02-01") must hold at least 2 rows of eustockmarkets.csv (1991-07-01 to 1998-08-14)`.
 * @example
 * historyWindow(eu, '1998-07-01', '1998-08-14'); // returns { first: 1827, last: 1859 }
 * References: ISO 8601.
 */
export function historyWindow(
  history: PriceHistory,
  from?: string,
  to?: string,
  minRows = 2,
): { first: number; last: number } {
  const iso = /^\d{4}-\d{2}-\d{2}$/;
  if (from !== undefined && !iso.test(from))
    throw new DomainError('from', from, 'must be an ISO date YYYY-MM-DD');
  if (to !== undefined && !iso.test(to)) throw new DomainError('to', to, 'must be an ISO date YYYY-MM-DD');
  const d = history.dates;
  let first = 0;
  while (first < d.length && from !== undefined && d[first] < from) first++;
  let last = d.length - 1;
  while (last >= 0 && to !== undefined && d[last] > to) last--;
  if (last - first + 1 < minRows) {
    const span = d.length > 0 ? `${d[0]} to ${d[d.length - 1]}` : 'empty';
    throw new DomainError(
      'window',
      `${from ?? 'start'} to ${to ?? 'end'}`,
      `must hold at least ${minRows} rows of ${history.source} (${span})`,
    );
  }
  return { first, last };
}

/**
 * Causal EWMA volatility of a price column, annualized: s_t = λ s_{t−1} + (1 − λ) r_t², r_t = ln(P_t/P_{t−1}),
 * seeded with s_0 = the mean of r² over the first min(20, n − 1) returns; vol[t] = √(ppy·s_t) uses
 * returns up to row t only (the seed aside). The recursion is {@link ewmaVarianceStep} (dt = 1).
 *
 * Shape: prices [n], n ≥ 1; returns [n].
 * @param lambda - decay in (0, 1), e.g. 0.94; not validated (internal helper).
 * @param ppy - rows per year, e.g. 252.
 * @example
 * ewmaVolColumn(Float64Array.of(100, 101, 100), 0.94, 252)[1]; // returns √(252·ln(1.01)²) ≈ 0.15796
 * References: RiskMetrics — Technical Document (1996), §5.2.
 */
export function ewmaVolColumn(prices: Float64Array, lambda: number, ppy: number): Float64Array {
  const n = prices.length;
  const out = new Float64Array(n);
  const m = Math.min(20, n - 1);
  let seed = 0;
  for (let i = 1; i <= m; i++) seed += Math.log(prices[i] / prices[i - 1]) ** 2;
  // One "path": the volatility module's step kernel on length-1 views, per-period variance (dt = 1).
  const s = Float64Array.of(m > 0 ? seed / m : 0);
  const r = new Float64Array(1);
  out[0] = Math.sqrt(ppy * s[0]);
  for (let i = 1; i < n; i++) {
    r[0] = Math.log(prices[i] / prices[i - 1]);
    ewmaVarianceStep(s, r, lambda, 1);
    out[i] = Math.sqrt(ppy * s[0]);
  }
  return out;
}

/** Options of {@link HistoricalReplay}; every field is optional. */
export interface ReplayOptions {
  /** First date (ISO, inclusive); default the first row. */
  readonly from?: string;
  /** Last date (ISO, inclusive); default the last row. */
  readonly to?: string;
  /** Assets to drive; default one equity asset per column, named after it, spot = the window's first price. */
  readonly assets?: readonly AssetSpec[];
  /** Asset name → column name overrides (see the file header). */
  readonly columns?: Readonly<Record<string, string>>;
  /** Rate for the engine's cash account; default 0. */
  readonly rate?: RateModel;
  /**
   * Nominal rows per year (default 252): calendar rebalancing and the EWMA annualization; also the
   * clock when `dayCount` is `'rows'`.
   */
  readonly periodsPerYear?: number;
  /**
   * How time advances between rows: `'act365f'` (default) — the year fraction between the rows'
   * dates, actual days ÷ 365 (ISDA ACT/365 Fixed), so a file with 261 rows a year spans one year,
   * not 1.036; `'rows'` — row ÷ periodsPerYear (histories without real dates).
   */
  readonly dayCount?: 'act365f' | 'rows';
}

/**
 * Replays rows [first, last] of a PriceHistory. Row i sits at time τᵢ = ACT/365F(date₀, dateᵢ) years
 * (or i/periodsPerYear with `dayCount: 'rows'`); at time t the state shows the row whose τ is nearest
 * t (clamped to the window): on the grid of {@link grid} each step advances one row; a coarser grid
 * samples every k-th row. Replayed prices are
 * Sₐ(t) = spotₐ·P(row)/P(first) — exactly P(row) when spotₐ = P(first) (the default assets) —,
 * logReturn = ln(P(row₁)/P(row₀)) and vol the causal EWMA volatility (λ = 0.94, annualized).
 * Every path of the state holds the same history (nPaths = 1 is the natural use; more paths are
 * allowed so that the Monte-Carlo engine can run it). Past the window's end prices stay at the last
 * row (log return 0). No random numbers are drawn.
 *
 * @example
 * const rp = new HistoricalReplay(eu, { from: '1998-07-01', to: '1998-08-14' });
 * simulatePaths(rp, rp.grid(), 1, 0)[0][rp.nSteps]; // returns 5473.72 (DAX on 1998-08-14)
 * @throws DomainError on an invalid window, mapping, asset list or periodsPerYear.
 * References: hedgekit docs/regimes.md; RiskMetrics — Technical Document (1996), §5.2 (EWMA).
 */
export class HistoricalReplay implements PathGenerator {
  readonly assets: readonly AssetSpec[];
  readonly rate: RateModel;
  /** Dates of the window's rows, ISO. Shape: [nSteps + 1]. */
  readonly dates: readonly string[];
  /** Column index per asset (−1: flat). Shape: [nAssets]. */
  readonly mapping: readonly number[];
  /** Column name per asset, `null` for a flat asset. Shape: [nAssets]. */
  readonly columnNames: readonly (string | null)[];
  /** Number of row-to-row steps in the window. */
  readonly nSteps: number;
  readonly periodsPerYear: number;
  /** Time of each window row, years from the window's first row. Shape: [nSteps + 1]. */
  readonly rowTimes: Float64Array;
  readonly dayCount: 'act365f' | 'rows';
  private readonly px: Float64Array[]; // per asset, window rows, scaled
  private readonly ewma: Float64Array[]; // per asset, window rows

  constructor(history: PriceHistory, opts: ReplayOptions = {}) {
    const ppy = opts.periodsPerYear ?? TRADING_DAYS_PER_YEAR;
    requirePositive('periodsPerYear', ppy);
    this.periodsPerYear = ppy;
    const { first, last } = historyWindow(history, opts.from, opts.to);
    const assets: readonly AssetSpec[] =
      opts.assets ??
      history.columns.map((c, j) => ({ name: c, assetClass: 'equity', spot: history.prices[j][first] }));
    validateAssets(assets);
    this.assets = assets;
    this.rate = opts.rate ?? constantRate(0);
    this.mapping = mapAssetsToColumns(assets, history, opts.columns);
    this.columnNames = this.mapping.map((j) => (j >= 0 ? history.columns[j] : null));
    this.dates = history.dates.slice(first, last + 1);
    this.nSteps = last - first;
    this.dayCount = opts.dayCount ?? 'act365f';
    this.rowTimes = new Float64Array(this.nSteps + 1);
    if (this.dayCount === 'rows') for (let i = 0; i <= this.nSteps; i++) this.rowTimes[i] = i / ppy;
    else {
      for (let i = 0; i <= this.nSteps; i++) {
        const d = this.dates[i];
        if (!isIsoDate(d))
          throw new DomainError(
            `dates[${first + i}]`,
            d,
            "must be a date YYYY-MM-DD for dayCount 'act365f' (or use 'rows')",
          );
        this.rowTimes[i] = yearFractionAct365F(this.dates[0], d);
        if (i > 0 && !(this.rowTimes[i] > this.rowTimes[i - 1]))
          throw new DomainError(`dates[${first + i}]`, d, `must come after ${this.dates[i - 1]}`);
      }
    }
    const nRows = last - first + 1;
    this.px = [];
    this.ewma = [];
    for (let a = 0; a < assets.length; a++) {
      const j = this.mapping[a];
      const p = new Float64Array(nRows);
      const v = new Float64Array(nRows);
      if (j < 0) {
        p.fill(assets[a].spot);
      } else {
        const src = history.prices[j];
        const p0 = src[first];
        const spot = assets[a].spot;
        for (let i = 0; i < nRows; i++) p[i] = spot === p0 ? src[first + i] : spot * (src[first + i] / p0);
        v.set(ewmaVolColumn(src, REPLAY_EWMA_LAMBDA, ppy).subarray(first, last + 1));
      }
      this.px.push(p);
      this.ewma.push(v);
    }
  }

  /**
   * The grid that steps `stepRows` rows at a time: t_i = i·stepRows/periodsPerYear,
   * nSteps = ⌊(rows − 1)/stepRows⌋.
   *
   * @throws DomainError if stepRows is not an integer in [1, rows − 1].
   * @example
   * new HistoricalReplay(eu).grid().nSteps; // returns 1859
   * References: Glasserman (2003), §3.1.
   */
  grid(stepRows = 1): TimeGrid {
    if (!(Number.isInteger(stepRows) && stepRows >= 1 && stepRows <= this.nSteps)) {
      throw new DomainError('stepRows', stepRows, `must be an integer in [1, ${this.nSteps}]`);
    }
    const n = Math.floor(this.nSteps / stepRows);
    if (this.dayCount === 'rows') return uniformGrid((n * stepRows) / this.periodsPerYear, n);
    const times = new Float64Array(n + 1);
    for (let i = 0; i <= n; i++) times[i] = this.rowTimes[i * stepRows];
    return timeGrid(times);
  }

  /** Window row shown at time t (years): the row whose time is nearest t, clamped to [0, nSteps]. */
  rowAt(t: number): number {
    if (this.dayCount === 'rows') {
      const i = Math.round(t * this.periodsPerYear);
      return Math.max(0, Math.min(i, this.nSteps));
    }
    const rt = this.rowTimes;
    if (!(t > rt[0])) return 0;
    if (t >= rt[this.nSteps]) return this.nSteps;
    let lo = 0;
    let hi = this.nSteps;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (rt[mid] <= t) lo = mid;
      else hi = mid;
    }
    return t - rt[lo] <= rt[hi] - t ? lo : hi;
  }

  /**
   * The date shown at time t (years from the window start).
   * @example
   * rp.dateAt(0); // returns '1998-07-01'
   * References: ISO 8601.
   */
  dateAt(t: number): string {
    return this.dates[this.rowAt(t)];
  }

  /** Replayed price of asset `a` at window row `row` (after scaling). */
  priceAt(a: number, row: number): number {
    return this.px[a][row];
  }

  init(nPaths: number): MarketState {
    const vols = this.ewma.map((v) => v[0]);
    const state = allocState(this.assets, nPaths, vols);
    for (let a = 0; a < this.assets.length; a++) state.spot[a].fill(this.px[a][0]);
    return state;
  }

  step(t: number, dt: number, state: MarketState, _rng: Rng): void {
    const i0 = this.rowAt(t);
    const i1 = this.rowAt(t + dt);
    for (let a = 0; a < this.assets.length; a++) {
      const p = this.px[a];
      const s1 = p[i1];
      state.spot[a].fill(s1);
      state.logReturn[a].fill(i1 === i0 ? 0 : Math.log(s1 / p[i0]));
      state.vol[a].fill(this.ewma[a][i1]);
    }
  }
}

/**
 * Creates a {@link HistoricalReplay}.
 *
 * @example
 * historicalReplay(eu, { from: '1997-07-01', to: '1997-12-31' }).dates[0]; // returns '1997-07-01'
 * @throws DomainError as the constructor.
 * References: hedgekit docs/regimes.md.
 */
export function historicalReplay(history: PriceHistory, opts?: ReplayOptions): HistoricalReplay {
  return new HistoricalReplay(history, opts);
}
