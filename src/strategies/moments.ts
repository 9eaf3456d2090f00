/**
 * Cross-path statistics through the additive `Strategy.diagnostics` totals: a strategy adds n, Σx
 * and Σx² of a per-path figure under `key.n`, `key.sum`, `key.sumSq` (summed over chunks and
 * worker ranges by the engine) and its report turns them into mean, sample std and standard error.
 * NaN entries (paths where the figure is undefined) are left out.
 */

/** Mean, sample standard deviation and standard error of the mean over n paths. */
export interface MomentStats {
  readonly n: number;
  readonly mean: number;
  readonly std: number;
  readonly se: number;
}

/**
 * Adds n, Σx, Σx² of the finite entries of `x` to `totals` under `key`.
 * @example const t = {}; addMoments(t, 'pnl', Float64Array.of(1, 3)); t // { 'pnl.n': 2, 'pnl.sum': 4, 'pnl.sumSq': 10 }
 */
export function addMoments(totals: Record<string, number>, key: string, x: Float64Array): void {
  let n = 0;
  let s = 0;
  let ss = 0;
  for (const v of x) {
    if (!Number.isFinite(v)) continue;
    n++;
    s += v;
    ss += v * v;
  }
  totals[`${key}.n`] = (totals[`${key}.n`] ?? 0) + n;
  totals[`${key}.sum`] = (totals[`${key}.sum`] ?? 0) + s;
  totals[`${key}.sumSq`] = (totals[`${key}.sumSq`] ?? 0) + ss;
}

/**
 * The statistics of `key` from merged totals (NaN where undefined: no path, or one for the std).
 * @example momentStats({ 'pnl.n': 2, 'pnl.sum': 4, 'pnl.sumSq': 10 }, 'pnl') // { n: 2, mean: 2, std: 1.41421, se: 1 }
 */
export function momentStats(totals: Readonly<Record<string, number>>, key: string): MomentStats {
  const n = totals[`${key}.n`] ?? 0;
  const mean = n > 0 ? (totals[`${key}.sum`] ?? 0) / n : Number.NaN;
  const v = n > 1 ? ((totals[`${key}.sumSq`] ?? 0) - n * mean * mean) / (n - 1) : Number.NaN;
  const std = Math.sqrt(Math.max(v, 0));
  return { n, mean, std, se: n > 1 ? std / Math.sqrt(n) : Number.NaN };
}
