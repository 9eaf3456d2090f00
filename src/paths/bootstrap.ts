/**
 * Stationary block bootstrap of multi-asset log returns (Politis & Romano 1994): every path
 * re-samples blocks of consecutive rows of a real history, so cross-asset correlation (one row index
 * for all assets) and short-range dependence such as volatility clustering (consecutive rows) survive.
 */
import { DomainError, requirePositive } from '../core/errors.ts';
import { expFast } from '../core/fast-exp.ts';
import type { Rng } from '../core/rng.ts';
import { TRADING_DAYS_PER_YEAR } from '../core/time.ts';
import { type AssetSpec, validateAssets } from '../market/asset.ts';
import type { PriceHistory } from '../market/price-history.ts';
import { constantRate, type RateModel } from '../market/rate.ts';
import { historyWindow, mapAssetsToColumns } from './replay.ts';
import { allocState, type MarketState, type PathGenerator } from './types.ts';

/** Options of {@link StationaryBootstrap}. */
export interface BootstrapOptions {
  /** Mean block length L in rows, ≥ 1 (L = 1: iid resampling of rows). */
  readonly meanBlockLength: number;
  /** First date of the source window (ISO, inclusive); default the first row. */
  readonly from?: string;
  /** Last date of the source window (ISO, inclusive); default the last row. */
  readonly to?: string;
  /** Assets to drive; default one equity asset per column, named after it, spot = the window's first price. */
  readonly assets?: readonly AssetSpec[];
  /** Asset name → column name overrides (mapping rules of replay.ts). */
  readonly columns?: Readonly<Record<string, string>>;
  /** Rate for the engine's cash account; default 0. */
  readonly rate?: RateModel;
  /** Source rows per year, for the annualized vol in `state.vol`; default 252. */
  readonly periodsPerYear?: number;
}

/** The state of a bootstrap: a MarketState plus the source row of the last step per path (−1 before the first). */
export interface BootstrapState extends MarketState {
  readonly sourceRow: Int32Array;
}

/**
 * Stationary bootstrap. With N source log-return rows rᵢ (i = 0..N−1, one vector across assets) and
 * q = 1/L, each path keeps a row index I: at the first step, and with probability q at each later
 * step, a new block starts at I ~ Uniform{0..N−1}; otherwise I ← (I + 1) mod N (wrap-around). The
 * step's log return is r_I for every asset, S ← S·e^{r_I}. Block lengths are Geometric(q) with mean L,
 * and each step's return is marginally uniform over the rows, so the bootstrap series is stationary
 * with the source's marginal distribution. One step = one source row whatever `dt` is: use a grid
 * with dt = 1/periodsPerYear. `state.vol` holds each asset's annualized sample volatility of the
 * source (constant). Flat assets (no column) keep their spot.
 *
 * Random draws per step and block: 2·nPaths uniforms (restart test, new start).
 *
 * @example
 * const bs = new StationaryBootstrap(eu, { meanBlockLength: 20 });
 * simulate(bs, uniformGrid(1, 252), 10_000, 7, onStep); // 10,000 one-year DAX/SMI/CAC/FTSE paths
 * @throws DomainError on meanBlockLength < 1, a source window with < 2 rows, an invalid mapping or assets.
 * References: D. N. Politis, J. P. Romano, "The Stationary Bootstrap", J. Amer. Statist. Assoc. 89(428)
 * (1994) 1303–1313; D. N. Politis, H. White, "Automatic block-length selection for the dependent
 * bootstrap", Econometric Reviews 23(1) (2004) 53–70 (choice of L).
 */
export class StationaryBootstrap implements PathGenerator {
  readonly assets: readonly AssetSpec[];
  readonly rate: RateModel;
  readonly meanBlockLength: number;
  /** Column index per asset (−1: flat). Shape: [nAssets]. */
  readonly mapping: readonly number[];
  /** Number of source return rows N. */
  readonly nRows: number;
  /** Source log returns per asset (zeros for flat assets). Shape: [nAssets][N]. */
  readonly returns: readonly Float64Array[];
  private readonly q: number;
  private readonly sampleVol: Float64Array;
  private uAll = new Float64Array(0);
  private u = new Float64Array(0);

  constructor(history: PriceHistory, opts: BootstrapOptions) {
    const L = opts.meanBlockLength;
    if (!(Number.isFinite(L) && L >= 1)) throw new DomainError('meanBlockLength', L, 'must be >= 1');
    this.meanBlockLength = L;
    this.q = 1 / L;
    const ppy = opts.periodsPerYear ?? TRADING_DAYS_PER_YEAR;
    requirePositive('periodsPerYear', ppy);
    const { first, last } = historyWindow(history, opts.from, opts.to);
    const assets: readonly AssetSpec[] =
      opts.assets ??
      history.columns.map((c, j) => ({ name: c, assetClass: 'equity', spot: history.prices[j][first] }));
    validateAssets(assets);
    this.assets = assets;
    this.rate = opts.rate ?? constantRate(0);
    this.mapping = mapAssetsToColumns(assets, history, opts.columns);
    const n = last - first;
    this.nRows = n;
    const returns: Float64Array[] = [];
    this.sampleVol = new Float64Array(assets.length);
    for (let a = 0; a < assets.length; a++) {
      const r = new Float64Array(n);
      const j = this.mapping[a];
      if (j >= 0) {
        const p = history.prices[j];
        let s = 0;
        let s2 = 0;
        for (let i = 0; i < n; i++) {
          r[i] = Math.log(p[first + i + 1] / p[first + i]);
          s += r[i];
        }
        const mean = s / n;
        for (let i = 0; i < n; i++) s2 += (r[i] - mean) ** 2;
        this.sampleVol[a] = n > 1 ? Math.sqrt((ppy * s2) / (n - 1)) : 0;
      }
      returns.push(r);
    }
    this.returns = returns;
  }

  init(nPaths: number): BootstrapState {
    const state = allocState(this.assets, nPaths, this.sampleVol);
    const sourceRow = new Int32Array(nPaths).fill(-1);
    Object.assign(state, { sourceRow });
    this.uAll = new Float64Array(2 * nPaths);
    this.u = this.uAll;
    return state as BootstrapState;
  }

  step(_t: number, _dt: number, state: MarketState, rng: Rng): void {
    const n = state.nPaths;
    if (this.u.length !== 2 * n) this.u = this.uAll.subarray(0, 2 * n);
    const u = this.u;
    rng.fillUniform(u);
    const row = (state as BootstrapState).sourceRow;
    const q = this.q;
    const N = this.nRows;
    for (let p = 0; p < n; p++) {
      let i = row[p];
      if (i < 0 || u[p] < q) {
        i = Math.floor(u[n + p] * N);
        if (i >= N) i = N - 1;
      } else {
        i++;
        if (i === N) i = 0;
      }
      row[p] = i;
    }
    const nA = this.assets.length;
    for (let a = 0; a < nA; a++) {
      const r = this.returns[a];
      const lr = state.logReturn[a];
      const spot = state.spot[a];
      for (let p = 0; p < n; p++) {
        const x = r[row[p]];
        lr[p] = x;
        spot[p] *= expFast(x);
      }
    }
  }
}

/**
 * Creates a {@link StationaryBootstrap}.
 *
 * @example
 * stationaryBootstrap(eu, { meanBlockLength: 20 }).nRows; // returns 1859
 * @throws DomainError as the constructor.
 * References: Politis & Romano (1994).
 */
export function stationaryBootstrap(history: PriceHistory, opts: BootstrapOptions): StationaryBootstrap {
  return new StationaryBootstrap(history, opts);
}
