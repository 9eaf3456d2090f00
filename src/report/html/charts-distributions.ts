/**
 * Distributions across paths (Monte-Carlo markets): the terminal value per strategy with the floor,
 * the benchmark's and the strategy's 20th percentiles marked; the payoff map (V_T against the
 * benchmark's V_T: the convexity each insurance buys); the maximum-drawdown distribution.
 */
import type { SeriesOption } from 'echarts';
import type { ScenarioResult } from '../../scenario/run.ts';
import type { MarketDetail } from '../detail/report-detail.ts';
import { panels, panelsHeight } from './chart-layout.ts';
import { type ChartSpec, pctTick, TEXT, tick } from './chart-spec.ts';
import { colorOf, FLOOR_COLOR } from './svg-chart.ts';

const WIDTH = 1040;

function centres(edges: Float64Array, bins: number): number[] {
  const w = (edges[1] - edges[0]) / bins;
  return Array.from({ length: bins }, (_, b) => edges[0] + (b + 0.5) * w);
}

/** Terminal-value histogram per strategy (issue chart 2). Series: 1 per strategy. */
export function terminalChart(r: ScenarioResult, mi: number, d: MarketDetail): ChartSpec {
  const m = r.markets[mi];
  const n = m.strategies.length;
  const cols = Math.min(3, n);
  const rowH = 200;
  const P = panels(n, cols, rowH);
  const bins = d.strategies[0].terminalHist.length;
  const x = centres(d.terminalEdges, bins).map((c) => tick(c));
  const bench = m.strategies.find((s) => s.name === r.benchmark) ?? m.strategies[0];
  const benchP20 = bench.key.terminalP20;
  const nearest = (v: number) => {
    const w = (d.terminalEdges[1] - d.terminalEdges[0]) / bins;
    return x[Math.min(bins - 1, Math.max(0, Math.floor((v - d.terminalEdges[0]) / w)))];
  };
  const series: SeriesOption[] = m.strategies.map((s, i) => ({
    type: 'bar',
    name: s.name,
    xAxisIndex: i,
    yAxisIndex: i,
    barCategoryGap: '8%',
    data: Array.from(d.strategies[i].terminalHist, (c) => c / m.paths),
    itemStyle: { color: colorOf(i), opacity: 0.8 },
    markLine: {
      symbol: 'none',
      silent: true,
      label: { fontSize: 9, position: 'insideEndTop', formatter: (p: { name?: string }) => p.name ?? '' },
      data: [
        {
          xAxis: nearest(m.floorAtEnd),
          name: 'floor',
          lineStyle: { color: FLOOR_COLOR, type: 'solid', width: 1.5 },
        },
        {
          xAxis: nearest(s.key.terminalP20),
          name: 'p20',
          lineStyle: { color: '#111', type: 'dashed' as const },
        },
        ...(s.name !== bench.name
          ? [
              {
                xAxis: nearest(benchP20),
                name: 'bm p20',
                lineStyle: { color: '#888', type: 'dotted' as const },
              },
            ]
          : []),
      ],
    },
  }));
  return {
    kind: 'terminal',
    title: `Terminal value distribution — ${m.label}`,
    caption: `Share of paths per bin of V_T (${bins} bins; the end bins also hold the values beyond them). Red: the floor F_T = ${tick(m.floorAtEnd)}; dashed: the strategy's 20th percentile; dotted: the benchmark's (${bench.name}) 20th percentile.`,
    width: WIDTH,
    height: panelsHeight(n, cols, rowH),
    option: {
      textStyle: TEXT,
      title: m.strategies.map((s, i) => ({
        text: s.name,
        left: P[i].left,
        top: P[i].top - 22,
        textStyle: { fontSize: 13, color: colorOf(i) },
      })),
      grid: P.map((p) => ({ left: p.left, top: p.top, width: p.width, height: p.height })),
      xAxis: P.map((_, i) => ({
        type: 'category',
        gridIndex: i,
        data: x,
        axisLabel: { fontSize: 9, interval: 7 },
      })),
      yAxis: P.map((_, i) => ({
        type: 'value',
        gridIndex: i,
        axisLabel: { fontSize: 9, formatter: (v: number) => pctTick(v) },
      })),
      series,
    },
  };
}

/** Payoff map (issue chart 3): V_T against the benchmark's V_T, a sample of paths. Series: strategies + diagonal. */
export function payoffChart(r: ScenarioResult, mi: number, d: MarketDetail): ChartSpec {
  const m = r.markets[mi];
  const bIdx = Math.max(
    0,
    m.strategies.findIndex((s) => s.name === r.benchmark),
  );
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  const series: SeriesOption[] = [];
  m.strategies.forEach((s, i) => {
    if (i === bIdx) return;
    const p = d.strategies[i].payoff;
    const data: [number, number][] = [];
    for (let j = 0; j + 1 < p.length; j += 2) {
      data.push([p[j], p[j + 1]]);
      lo = Math.min(lo, p[j], p[j + 1]);
      hi = Math.max(hi, p[j], p[j + 1]);
    }
    // large: all points of a series in one SVG path (a few kB instead of ~230 bytes per point).
    series.push({
      type: 'scatter',
      name: s.name,
      data,
      symbolSize: 3,
      large: true,
      largeThreshold: 0,
      itemStyle: { color: colorOf(i), opacity: 0.6 },
    });
  });
  if (!Number.isFinite(lo)) {
    lo = 0;
    hi = 1;
  }
  series.push({
    type: 'line',
    name: `= ${r.benchmark}`,
    data: [
      [lo, lo],
      [hi, hi],
    ],
    symbol: 'none',
    lineStyle: { color: '#999', type: 'dashed' },
    itemStyle: { color: '#999' },
    markLine: {
      symbol: 'none',
      silent: true,
      lineStyle: { color: FLOOR_COLOR },
      label: { formatter: 'floor', fontSize: 10 },
      data: [{ yAxis: m.floorAtEnd }],
    },
  });
  const nPay = d.strategies[0].payoff.length / 2;
  return {
    kind: 'payoff',
    title: `Payoff map — ${m.label}`,
    caption: `Each point is a path: the strategy's V_T (vertical) against the benchmark's V_T (horizontal), first ${nPay} paths. Above the dashed diagonal the strategy beat the benchmark; the red line is the floor. Insurance bends the left end up (convexity) and pays for it on the right.`,
    width: WIDTH,
    height: 440,
    option: {
      textStyle: TEXT,
      legend: { top: 0, textStyle: { fontSize: 11 } },
      grid: { left: 70, right: 30, top: 40, bottom: 50 },
      xAxis: {
        type: 'value',
        name: `${r.benchmark} V_T`,
        nameLocation: 'middle',
        nameGap: 28,
        min: Math.floor(lo),
        max: Math.ceil(hi),
      },
      yAxis: { type: 'value', name: 'strategy V_T', min: Math.floor(lo), max: Math.ceil(hi) },
      series,
    },
  };
}

/** Maximum-drawdown distribution (issue chart 4, Monte-Carlo). Series: 1 per strategy. */
export function drawdownDistributionChart(r: ScenarioResult, mi: number, d: MarketDetail): ChartSpec {
  const m = r.markets[mi];
  const bins = d.strategies[0].drawdownHist.length;
  const x = centres(d.drawdownEdges, bins).map((c) => `${(c * 100).toFixed(1)} %`);
  const series: SeriesOption[] = m.strategies.map((s, i) => ({
    type: 'line',
    name: s.name,
    step: 'middle',
    symbol: 'none',
    data: Array.from(d.strategies[i].drawdownHist, (c) => c / m.paths),
    lineStyle: { color: colorOf(i), width: 1.6 },
    itemStyle: { color: colorOf(i) },
  }));
  return {
    kind: 'drawdown',
    title: `Maximum drawdown distribution — ${m.label}`,
    caption: `Share of paths per bin of the maximum drawdown over the horizon (${bins} bins from ${pctTick(d.drawdownEdges[0])} to ${pctTick(d.drawdownEdges[1])}).`,
    width: WIDTH,
    height: 320,
    option: {
      textStyle: TEXT,
      legend: { top: 0, textStyle: { fontSize: 11 } },
      grid: { left: 60, right: 30, top: 40, bottom: 40 },
      xAxis: { type: 'category', data: x, name: 'max DD', axisLabel: { interval: 4 } },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => pctTick(v) } },
      series,
    },
  };
}
