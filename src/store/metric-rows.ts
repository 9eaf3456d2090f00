/**
 * Every metric of a strategy in a market as flat `name → number` rows (what the store's `metrics`
 * table holds and `runs diff` compares): `key.*` (the comparison table's metrics), `summary.*`
 * (every cross-path statistic, dotted paths, e.g. `summary.terminalValue.percentiles.p20`) and
 * `attribution.book.<component>.mean` when the run had attribution. Undefined statistics (NaN) are
 * kept as NaN (stored as NULL).
 */
import type { StrategyResult } from '../scenario/run.ts';

function flatten(x: unknown, prefix: string, out: Map<string, number>): void {
  if (typeof x === 'number') out.set(prefix, x);
  else if (x === null) out.set(prefix, Number.NaN);
  else if (typeof x === 'object' && !Array.isArray(x) && !ArrayBuffer.isView(x))
    for (const [k, v] of Object.entries(x as Record<string, unknown>))
      flatten(v, prefix ? `${prefix}.${k}` : k, out);
}

/**
 * The flat metric rows of one strategy result (or a sweep row: key and summary), in a stable order.
 * @example metricRows(result.markets[0].strategies[1]).get('key.probEndBelowFloor') // e.g. 0.0125
 */
export function metricRows(
  s: Pick<StrategyResult, 'key' | 'summary'> & { readonly attribution?: StrategyResult['attribution'] },
): Map<string, number> {
  const out = new Map<string, number>();
  flatten(s.key, 'key', out);
  flatten(s.summary, 'summary', out);
  if (s.attribution) {
    for (const [c, stats] of Object.entries(s.attribution.book))
      out.set(`attribution.book.${c}.mean`, stats.mean);
  }
  return out;
}
