/**
 * The report detail as the run store's series (Float32/Float64 BLOBs) and back: market-level
 * arrays under strategy −1, per-strategy arrays under their index.
 */
import type { SeriesEntry } from '../../store/run-store.ts';
import { seriesKey } from '../../store/run-store.ts';
import type { MarketDetail, ReportDetail, StrategyDetail } from './report-detail.ts';

const MARKET_KEYS = ['steps', 'times', 'terminalEdges', 'drawdownEdges'] as const;
const STRATEGY_KEYS = ['fan', 'exposure', 'gamma', 'vega', 'terminalHist', 'drawdownHist', 'payoff'] as const;
const PREFIX = 'detail.';

/** The detail as store series (names `detail.<field>`). */
export function detailToSeries(d: ReportDetail): SeriesEntry[] {
  const out: SeriesEntry[] = [];
  d.markets.forEach((m, mi) => {
    for (const k of MARKET_KEYS) out.push({ market: mi, strategy: -1, name: PREFIX + k, data: m[k] });
    m.strategies.forEach((s, si) => {
      for (const k of STRATEGY_KEYS) out.push({ market: mi, strategy: si, name: PREFIX + k, data: s[k] });
    });
  });
  return out;
}

/**
 * The detail of a stored run, or undefined when the run kept none (a run stored without it).
 * @param shape markets × strategies of the run
 */
export function detailFromSeries(
  series: ReadonlyMap<string, Float32Array | Float64Array>,
  shape: readonly number[],
): ReportDetail | undefined {
  const markets: MarketDetail[] = [];
  for (let mi = 0; mi < shape.length; mi++) {
    const get = (s: number, k: string) => series.get(seriesKey(mi, s, PREFIX + k));
    const steps = get(-1, 'steps');
    if (!steps) return undefined;
    const strategies: StrategyDetail[] = [];
    for (let si = 0; si < shape[mi]; si++) {
      const f = (k: string) => Float32Array.from(get(si, k) ?? []);
      strategies.push({
        fan: f('fan'),
        exposure: f('exposure'),
        gamma: f('gamma'),
        vega: f('vega'),
        terminalHist: f('terminalHist'),
        drawdownHist: f('drawdownHist'),
        payoff: f('payoff'),
      });
    }
    markets.push({
      steps: Float32Array.from(steps),
      times: Float32Array.from(get(-1, 'times') ?? []),
      terminalEdges: Float64Array.from(get(-1, 'terminalEdges') ?? []),
      drawdownEdges: Float64Array.from(get(-1, 'drawdownEdges') ?? []),
      strategies,
    });
  }
  return { markets };
}
