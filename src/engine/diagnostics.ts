/**
 * Merging strategy diagnostics (Strategy.diagnostics) across chunks of paths and worker ranges:
 * additive totals are summed, per-step series are kept from the run's first path.
 */
import type { StrategyDiagnostics } from '../strategies/types.ts';

/**
 * Sums `d`'s totals into a copy of `acc`; keeps `d`'s series (copied) when `first` (the chunk or
 * range holding the run's first path), else `acc`'s.
 * @example mergeDiagnostics({ totals: { n: 1 }, series: {} }, { totals: { n: 2 }, series: {} }, false).totals.n // 3
 */
export function mergeDiagnostics(
  acc: StrategyDiagnostics | undefined,
  d: StrategyDiagnostics,
  first: boolean,
): StrategyDiagnostics {
  const totals: Record<string, number> = { ...acc?.totals };
  for (const [k, v] of Object.entries(d.totals)) totals[k] = (totals[k] ?? 0) + v;
  const series = first
    ? Object.fromEntries(Object.entries(d.series).map(([k, v]) => [k, v.slice()]))
    : (acc?.series ?? {});
  return { totals, series };
}
