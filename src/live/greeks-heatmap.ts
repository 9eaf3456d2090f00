/**
 * Net Greeks of a book by asset × expiry bucket: the grid the live dashboard draws as a heat map.
 *
 * For asset a and column c, summing over the book's positions i on a whose time to expiry τ_i falls
 * in c (the expiry buckets of src/risk/book-greeks.ts, `vegaBucket`: ≤1M, 1M–3M, …, >1Y by default;
 * the asset holdings themselves, τ = ∞, in a first `spot` column):
 *   cash Δ[a][c] = S_a · Σ q_i·Δ_i,   cash Γ[a][c] = S_a²/100 · Σ q_i·Γ_i   (per 1 % move),
 *   ν[a][c] = Σ q_i·ν_i                (per 1.00 vol; 0 in the spot column).
 * Each row sums to the asset's totals (`AssetRisk.cashDelta`, `cashGamma`, `vega`), and the vega
 * columns after `spot` are the asset's `vegaBuckets`: the same sums, split by expiry.
 *
 * References: N. Taleb, Dynamic Hedging (1997), ch. 8 (bucketed Greeks, cash gamma); J. C. Hull,
 * Options, Futures and Other Derivatives (10th ed.), ch. 19.
 */
import { type BookGreeks, vegaBucket } from '../risk/book-greeks.ts';

/** Label of the column holding the assets themselves (τ = ∞). */
export const SPOT_COLUMN = 'spot';

/** The grid (module header). Shape: every matrix [assets.length][columns.length], currency. */
export interface GreeksHeatmap {
  /** `spot`, then the expiry buckets' labels. */
  readonly columns: readonly string[];
  readonly assets: readonly string[];
  readonly cashDelta: readonly (readonly number[])[];
  readonly cashGamma: readonly (readonly number[])[];
  readonly vega: readonly (readonly number[])[];
}

/**
 * The heat-map grid of a book's Greeks (formulas in the module header).
 * @example greeksHeatmap(bookGreeks(book)).columns // returns ['spot', '≤1M', '1M–3M', '3M–6M', '6M–1Y', '>1Y']
 */
export function greeksHeatmap(g: BookGreeks): GreeksHeatmap {
  const columns = [SPOT_COLUMN, ...g.bucketLabels];
  const nc = columns.length;
  const row = new Map(g.perAsset.map((a, i) => [a.asset, i]));
  const grid = () => g.perAsset.map(() => new Array<number>(nc).fill(0));
  const delta = grid();
  const gamma = grid();
  const vega = grid();
  for (const p of g.positions) {
    const i = row.get(p.asset);
    if (i === undefined) continue;
    const c = Number.isFinite(p.expiry) ? 1 + vegaBucket(p.expiry, g.vegaEdges) : 0;
    delta[i][c] += p.delta;
    gamma[i][c] += p.gamma;
    vega[i][c] += p.vega;
  }
  return {
    columns,
    assets: g.perAsset.map((a) => a.asset),
    cashDelta: delta.map((r, i) => r.map((x) => x * g.perAsset[i].spot)),
    cashGamma: gamma.map((r, i) => r.map((x) => (x * g.perAsset[i].spot ** 2) / 100)),
    vega,
  };
}
