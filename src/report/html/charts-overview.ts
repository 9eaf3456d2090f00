/**
 * Charts across markets and strategies: the regime × strategy heat maps (P(end below floor), the
 * 20th-percentile loss, excess return), the cost-of-protection frontier, and the P&L attribution
 * waterfall of each strategy that has attribution.
 */
import type { SeriesOption } from 'echarts';
import { ATTRIBUTION_COMPONENTS } from '../../attribution/pnl-attribution.ts';
import type { ScenarioResult } from '../../scenario/run.ts';
import { panels, panelsHeight } from './chart-layout.ts';
import { type ChartSpec, pctTick, TEXT } from './chart-spec.ts';
import { colorOf } from './svg-chart.ts';

const WIDTH = 1040;

/** The heat maps' metrics: fraction per market × strategy, and whether higher is better. */
export const HEATMAPS = [
  {
    id: 'probEndBelowFloor',
    title: 'P(end below floor)',
    value: (r: ScenarioResult, mi: number, si: number) => r.markets[mi].strategies[si].key.probEndBelowFloor,
    good: 'low',
  },
  {
    id: 'p20Loss',
    title: '20th-percentile loss, 1 − V_T p20 / V₀',
    value: (r: ScenarioResult, mi: number, si: number) =>
      1 - r.markets[mi].strategies[si].key.terminalP20 / r.initialValue,
    good: 'low',
  },
  {
    id: 'excessReturn',
    title: 'Excess annualized return vs the benchmark',
    value: (r: ScenarioResult, mi: number, si: number) => r.markets[mi].strategies[si].key.excessReturn,
    good: 'high',
  },
] as const;

/** One regime × strategy heat map (issue chart 5). Series: 1. */
export function heatmapChart(r: ScenarioResult, which: (typeof HEATMAPS)[number]): ChartSpec {
  const strategies = r.markets[0].strategies.map((s) => s.name);
  const markets = r.markets.map((m) => m.label);
  const data: [number, number, number | '-'][] = [];
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  r.markets.forEach((m, mi) => {
    m.strategies.forEach((_, si) => {
      const v = which.value(r, mi, si);
      data.push([si, mi, Number.isFinite(v) ? v : '-']);
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    });
  });
  if (!(hi > lo)) hi = lo + 1e-9;
  const colors = ['#2e7d32', '#f5f5dc', '#c62828'];
  return {
    kind: 'heatmap',
    title: which.title,
    caption: `Percent, market (row) × strategy (column); ${which.good === 'low' ? 'green is lower (better)' : 'green is higher (better)'}; blank: undefined.`,
    width: WIDTH,
    height: 90 + 34 * markets.length,
    option: {
      textStyle: TEXT,
      grid: { left: 250, right: 90, top: 10, bottom: 70 },
      xAxis: {
        type: 'category',
        data: strategies,
        axisLabel: { interval: 0, fontSize: 11, rotate: 12 },
        splitArea: { show: true },
      },
      yAxis: {
        type: 'category',
        data: markets,
        inverse: true,
        axisLabel: { fontSize: 11 },
        splitArea: { show: true },
      },
      visualMap: {
        min: lo,
        max: hi,
        calculable: false,
        orient: 'vertical',
        right: 10,
        top: 'middle',
        itemHeight: 120,
        inRange: { color: which.good === 'low' ? colors : [...colors].reverse() },
        formatter: (v: unknown) => pctTick(Number(v)),
        textStyle: { fontSize: 10 },
      },
      series: [
        {
          type: 'heatmap',
          name: which.title,
          data,
          label: {
            show: true,
            fontSize: 10,
            formatter: (p: { value?: unknown }) => fmtCell((p.value as number[])[2]),
          },
          itemStyle: { borderColor: '#fff', borderWidth: 1 },
        },
      ],
    },
  };
}

function fmtCell(v: unknown): string {
  if (typeof v !== 'number') return '';
  const t = (v * 100).toFixed(1);
  return t === '-0.0' ? '0.0' : t; // a tiny negative rounds to 0.0, not −0.0
}

/** Cost of protection against downside protected, a point per strategy × market (issue chart 6). */
export function frontierChart(r: ScenarioResult): ChartSpec {
  const names = r.markets[0].strategies.map((s) => s.name);
  const series: SeriesOption[] = names.map((name, si) => ({
    type: 'scatter',
    name,
    symbolSize: 9,
    itemStyle: { color: colorOf(si) },
    data: r.markets.map((m) => {
      const s = m.strategies[si];
      const b = m.strategies.find((x) => x.name === r.benchmark) ?? m.strategies[0];
      return {
        value: [s.key.costOfProtection, (s.key.terminalP20 - b.key.terminalP20) / r.initialValue],
        name: m.label,
      };
    }),
  }));
  return {
    kind: 'frontier',
    title: 'Cost of protection against downside protected',
    caption:
      'Each point is a strategy in one market: horizontal, the mean trading costs + net option premiums paid (fraction of V₀); vertical, how much higher its 20th-percentile terminal value is than the benchmark’s (fraction of V₀). Up and to the left is cheap protection.',
    width: WIDTH,
    height: 440,
    option: {
      textStyle: TEXT,
      legend: { top: 0, textStyle: { fontSize: 11 } },
      grid: { left: 80, right: 30, top: 40, bottom: 55 },
      xAxis: {
        type: 'value',
        name: 'cost of protection (% of V₀)',
        nameLocation: 'middle',
        nameGap: 30,
        axisLabel: { formatter: (v: number) => pctTick(v) },
      },
      yAxis: {
        type: 'value',
        name: 'p20 gain vs benchmark (% of V₀)',
        axisLabel: { formatter: (v: number) => pctTick(v) },
      },
      series,
    },
  };
}

/** The attributed components shown as bars (the total closes the waterfall). */
const PARTS = ATTRIBUTION_COMPONENTS.filter((c) => c !== 'total');

/** Whether any strategy of market mi has attribution. */
export function hasAttribution(r: ScenarioResult, mi: number): boolean {
  return r.markets[mi].strategies.some((s) => s.attribution !== undefined);
}

/**
 * P&L attribution waterfall per strategy (issue chart 8): mean present value of each component
 * over paths, fraction of V₀, as floating bars (candlesticks open → close), then the total.
 * Series: 1 per strategy with attribution.
 */
export function attributionChart(r: ScenarioResult, mi: number): ChartSpec {
  const m = r.markets[mi];
  const withAtt = m.strategies.map((s, i) => ({ s, i })).filter(({ s }) => s.attribution);
  const n = withAtt.length;
  const cols = Math.min(3, n);
  const rowH = 230;
  const P = panels(n, cols, rowH);
  const cats = [...PARTS, 'total'];
  const series: SeriesOption[] = withAtt.map(({ s }, g) => {
    const book = s.attribution?.book;
    let cum = 0;
    const data = PARTS.map((c) => {
      const v = (book?.[c].mean ?? Number.NaN) / r.initialValue;
      const x = Number.isFinite(v) ? v : 0;
      const open = cum;
      cum += x;
      return [open, cum, Math.min(open, cum), Math.max(open, cum)];
    });
    const total = (book?.total.mean ?? Number.NaN) / r.initialValue;
    const t = Number.isFinite(total) ? total : cum;
    data.push([0, t, Math.min(0, t), Math.max(0, t)]);
    return {
      type: 'candlestick',
      name: s.name,
      xAxisIndex: g,
      yAxisIndex: g,
      data,
      barMaxWidth: 26,
      itemStyle: { color: '#2e7d32', color0: '#c62828', borderColor: '#2e7d32', borderColor0: '#c62828' },
    };
  });
  return {
    kind: 'attribution',
    title: `P&L attribution — ${m.label}`,
    caption:
      'Mean over paths of each component of the horizon P&L (present value, fraction of V₀): green adds, red takes away; the last bar is the total D_T·V_T − V₀ (docs/attribution.md).',
    width: WIDTH,
    height: panelsHeight(n, cols, rowH),
    option: {
      textStyle: TEXT,
      title: withAtt.map(({ s, i }, g) => ({
        text: s.name,
        left: P[g].left,
        top: P[g].top - 22,
        textStyle: { fontSize: 13, color: colorOf(i) },
      })),
      grid: P.map((p) => ({ left: p.left, top: p.top, width: p.width, height: p.height })),
      xAxis: P.map((_, g) => ({
        type: 'category',
        gridIndex: g,
        data: cats,
        axisLabel: { fontSize: 9, rotate: 45, interval: 0 },
      })),
      yAxis: P.map((_, g) => ({
        type: 'value',
        gridIndex: g,
        scale: true,
        axisLabel: { fontSize: 9, formatter: (v: number) => pctTick(v) },
      })),
      series,
    },
  };
}
