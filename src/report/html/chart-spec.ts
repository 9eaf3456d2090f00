/** A chart of the report before rendering: its kind, caption, size and ECharts option. */
import type { EChartsOption } from 'echarts';
import type { ScenarioResult } from '../../scenario/run.ts';

export interface ChartSpec {
  /** Kind (data-chart attribute): fan, terminal, payoff, drawdown, heatmap, frontier, exposure, attribution, replay. */
  readonly kind: string;
  readonly title: string;
  /** One or two sentences under the chart: what it shows and how to read it. */
  readonly caption: string;
  readonly width: number;
  readonly height: number;
  readonly option: EChartsOption;
}

/** The floor at time t (years) of market m: level·V₀, ·e^{rt} when it accrues (r implied by F_T). */
export function floorAt(r: ScenarioResult, mi: number, t: number): number {
  const m = r.markets[mi];
  const f0 = r.floor.level * r.initialValue;
  if (!r.floor.accrues || !(m.horizon > 0)) return f0;
  const rate = Math.log(m.floorAtEnd / f0) / m.horizon;
  return f0 * Math.exp(rate * t);
}

/** A number for an axis label: at most 4 significant digits. */
export function tick(v: number): string {
  return Number(v.toPrecision(4)).toString();
}

/** A fraction as a percent axis label. */
export function pctTick(v: number): string {
  return `${Number((v * 100).toPrecision(3))} %`;
}

/** Base text style: the page's font, dark grey. */
export const TEXT = { fontFamily: 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif', color: '#333' };
