/**
 * Charts over time: the fan chart of portfolio value per strategy (5–95 % and 20–80 % bands,
 * median, floor), exposure and Greeks over time, and for historical replays the value paths on
 * their real dates (crisis days marked) and the drawdown paths.
 */
import type { SeriesOption } from 'echarts';
import type { ScenarioResult } from '../../scenario/run.ts';
import { FAN_QUANTILES, type MarketDetail } from '../detail/report-detail.ts';
import { panels, panelsHeight } from './chart-layout.ts';
import { type ChartSpec, floorAt, pctTick, TEXT, tick } from './chart-spec.ts';
import { colorOf, FLOOR_COLOR } from './svg-chart.ts';

const WIDTH = 1040;

/** Fan chart (issue chart 1): one panel per strategy. Series: 6 per strategy. */
export function fanChart(r: ScenarioResult, mi: number, d: MarketDetail): ChartSpec {
  const m = r.markets[mi];
  const n = m.strategies.length;
  const cols = Math.min(3, n);
  const rowH = 230;
  const P = panels(n, cols, rowH);
  const k = d.times.length;
  const labels = Array.from(d.times, (t) => t.toFixed(2));
  const floor = Array.from(d.times, (t) => floorAt(r, mi, t));
  const q = (s: number, j: number) => Array.from(d.strategies[s].fan.subarray(j * k, (j + 1) * k));
  const series: SeriesOption[] = [];
  m.strategies.forEach((st, i) => {
    const [p5, p20, p50, p80, p95] = FAN_QUANTILES.map((_, j) => q(i, j));
    const c = colorOf(i);
    const base = { type: 'line' as const, xAxisIndex: i, yAxisIndex: i, symbol: 'none', silent: true };
    series.push(
      { ...base, name: `${st.name} p5`, data: p5, stack: `a${i}`, lineStyle: { opacity: 0 } },
      {
        ...base,
        name: `${st.name} 5–95 %`,
        data: p95.map((v, s) => v - p5[s]),
        stack: `a${i}`,
        lineStyle: { opacity: 0 },
        areaStyle: { color: c, opacity: 0.14 },
      },
      { ...base, name: `${st.name} p20`, data: p20, stack: `b${i}`, lineStyle: { opacity: 0 } },
      {
        ...base,
        name: `${st.name} 20–80 %`,
        data: p80.map((v, s) => v - p20[s]),
        stack: `b${i}`,
        lineStyle: { opacity: 0 },
        areaStyle: { color: c, opacity: 0.3 },
      },
      { ...base, name: `${st.name} median`, data: p50, lineStyle: { color: c, width: 2 } },
      { ...base, name: 'floor', data: floor, lineStyle: { color: FLOOR_COLOR, type: 'dashed', width: 1.5 } },
    );
  });
  const lo = Math.min(...floor, ...d.strategies.map((s) => Math.min(...s.fan.subarray(0, k))));
  return {
    kind: 'fan',
    title: `Portfolio value over time — ${m.label}`,
    caption:
      'Median (line), 20–80 % (dark band) and 5–95 % (light band) of the portfolio value across paths at each date; the dashed red line is the floor. Quantiles from a per-step histogram of ln(V/V₀) with 0.5 % bins, ' +
      (k - 1 >= m.steps
        ? 'at every step.'
        : `at ${k} of the ${m.steps + 1} grid dates (evenly spaced, the last included).`),
    width: WIDTH,
    height: panelsHeight(n, cols, rowH),
    option: {
      textStyle: TEXT,
      title: m.strategies.map((s, i) => ({
        text: s.name,
        left: P[i].left,
        top: P[i].top - 22,
        textStyle: { fontSize: 13, fontWeight: 'bold', color: colorOf(i) },
      })),
      grid: P.map((p) => ({
        left: p.left,
        top: p.top,
        width: p.width,
        height: p.height,
        containLabel: false,
      })),
      xAxis: P.map((_, i) => ({
        type: 'category',
        gridIndex: i,
        data: labels,
        boundaryGap: false,
        name: 'years',
        nameGap: 4,
        axisLabel: { interval: Math.max(0, Math.floor(k / 5) - 1), fontSize: 10 },
      })),
      yAxis: P.map((_, i) => ({
        type: 'value',
        gridIndex: i,
        min: Math.floor(lo * 0.95),
        axisLabel: { fontSize: 10, formatter: (v: number) => tick(v) },
      })),
      series,
    },
  };
}

/** Exposure (risky weight) over time per strategy and, where options are held, Γ and ν (issue chart 7). */
export function exposureChart(r: ScenarioResult, mi: number, d: MarketDetail): ChartSpec {
  const m = r.markets[mi];
  const k = d.times.length;
  const labels = Array.from(d.times, (t) => t.toFixed(2));
  // Option strategies — those that paid or received option premiums — get Γ and ν lines (zero
  // where they held no option at the kept dates; an option held only between two kept dates, like
  // an event hedge held for a week, shows no bump).
  const greeky = m.strategies
    .map((_, i) => i)
    .filter((i) => {
      const prem = m.strategies[i].summary.costOfProtection.premiums;
      return Number.isFinite(prem) && prem !== 0;
    });
  const panelsN = greeky.length > 0 ? 3 : 1;
  const names = [
    'Δ exposure, fraction of value',
    'Γ: value from a 1 % move, % of value',
    'ν: value per vol point, % of value',
  ];
  const P = panels(panelsN, panelsN, 250);
  const series: SeriesOption[] = [];
  const line = (i: number, g: number, data: number[], name: string): SeriesOption => ({
    type: 'line',
    name,
    xAxisIndex: g,
    yAxisIndex: g,
    symbol: 'none',
    data,
    lineStyle: { color: colorOf(i), width: 1.8 },
    itemStyle: { color: colorOf(i) },
  });
  m.strategies.forEach((s, i) => {
    series.push(line(i, 0, Array.from(d.strategies[i].exposure), s.name));
  });
  for (const i of greeky) {
    series.push(line(i, 1, Array.from(d.strategies[i].gamma), m.strategies[i].name));
    series.push(line(i, 2, Array.from(d.strategies[i].vega), m.strategies[i].name));
  }
  return {
    kind: 'exposure',
    title: `Exposure${greeky.length > 0 ? ' and Greeks' : ''} over time — ${m.label}`,
    caption:
      `Mean over paths at ${k} dates of the net delta exposure Σ Δ·S / V (units count Δ = 1: a risky weight including options and futures)` +
      (greeky.length > 0
        ? '; for option strategies (those that paid option premiums), ½·Σ Γ·S²·0.01² / V (convexity gain from a 1 % move) and Σ ν·0.01 / V (per vol point).'
        : '.'),
    width: WIDTH,
    height: panelsHeight(panelsN, panelsN, 250) + 30,
    option: {
      textStyle: TEXT,
      legend: { top: 0, data: m.strategies.map((s) => s.name), textStyle: { fontSize: 11 } },
      title: P.map((p, g) => ({
        text: names[g],
        left: p.left,
        top: p.top - 22,
        textStyle: { fontSize: 12 },
      })),
      grid: P.map((p) => ({ left: p.left, top: p.top + 10, width: p.width, height: p.height })),
      xAxis: P.map((_, g) => ({
        type: 'category',
        gridIndex: g,
        data: labels,
        boundaryGap: false,
        name: 'years',
      })),
      yAxis: P.map((_, g) => ({
        type: 'value',
        gridIndex: g,
        scale: true,
        axisLabel: { fontSize: 10, formatter: (v: number) => pctTick(v) },
      })),
      series,
    },
  };
}

/** The `count` worst one-step returns of a value path: [step, return]. */
export function worstDays(values: readonly number[], count: number): [number, number][] {
  const rets: [number, number][] = [];
  for (let i = 1; i < values.length; i++) rets.push([i, values[i] / values[i - 1] - 1]);
  return rets
    .filter(([, x]) => Number.isFinite(x))
    .sort((a, b) => a[1] - b[1])
    .slice(0, count)
    .sort((a, b) => a[0] - b[0]);
}

/** Historical replay: each strategy's value on real dates, floor, crisis days marked (issue chart 9). */
export function replayChart(r: ScenarioResult, mi: number): ChartSpec {
  const m = r.markets[mi];
  const dates = m.dates ?? [];
  const bench = m.strategies.find((s) => s.name === r.benchmark) ?? m.strategies[0];
  const crisis = worstDays(bench.valuePath ?? [], 5);
  const t0 = 0;
  const floor = dates.map((_, i) => floorAt(r, mi, t0 + (m.horizon * i) / Math.max(1, dates.length - 1)));
  const series: SeriesOption[] = m.strategies.map((s, i) => ({
    type: 'line',
    name: s.name,
    symbol: 'none',
    data: s.valuePath ?? [],
    lineStyle: { color: colorOf(i), width: 1.6 },
    itemStyle: { color: colorOf(i) },
    ...(i === 0
      ? {
          markLine: {
            symbol: 'none',
            silent: true,
            lineStyle: { color: '#999', type: 'dotted' },
            label: { formatter: (p: { name?: string }) => p.name ?? '', fontSize: 10, color: '#a33' },
            data: crisis.map(([step, x]) => ({
              xAxis: dates[step],
              name: `${dates[step]} ${(x * 100).toFixed(1)} %`,
            })),
          },
        }
      : {}),
  }));
  series.push({
    type: 'line',
    name: 'floor',
    symbol: 'none',
    data: floor,
    lineStyle: { color: FLOOR_COLOR, type: 'dashed' },
    itemStyle: { color: FLOOR_COLOR },
  });
  return {
    kind: 'replay',
    title: `Historical replay on real dates — ${m.label}`,
    caption: `Portfolio value of each strategy from ${dates[0] ?? '?'} to ${dates[dates.length - 1] ?? '?'}; dotted verticals mark the five worst days of the benchmark (${bench.name}); the dashed red line is the floor.`,
    width: WIDTH,
    height: 400,
    option: {
      textStyle: TEXT,
      legend: { top: 0, textStyle: { fontSize: 11 } },
      grid: { left: 60, right: 30, top: 40, bottom: 40 },
      xAxis: { type: 'category', data: [...dates], boundaryGap: false },
      yAxis: { type: 'value', scale: true, axisLabel: { formatter: (v: number) => tick(v) } },
      series,
    },
  };
}

/** Drawdown paths of a replay: 1 − V_t / max_{s≤t} V_s per strategy (issue chart 4, history). */
export function drawdownPathChart(r: ScenarioResult, mi: number): ChartSpec {
  const m = r.markets[mi];
  const dates = m.dates ?? [];
  const series: SeriesOption[] = m.strategies.map((s, i) => {
    let peak = Number.NEGATIVE_INFINITY;
    const dd = (s.valuePath ?? []).map((v) => {
      peak = Math.max(peak, v);
      return peak > 0 ? -(1 - v / peak) : 0;
    });
    return {
      type: 'line',
      name: s.name,
      symbol: 'none',
      data: dd,
      lineStyle: { color: colorOf(i), width: 1.4 },
      itemStyle: { color: colorOf(i) },
    };
  });
  return {
    kind: 'drawdown',
    title: `Drawdown paths — ${m.label}`,
    caption: 'Drawdown from the running peak, −(1 − V_t / max V_s), of each strategy along the replay.',
    width: WIDTH,
    height: 320,
    option: {
      textStyle: TEXT,
      legend: { top: 0, textStyle: { fontSize: 11 } },
      grid: { left: 60, right: 30, top: 40, bottom: 40 },
      xAxis: { type: 'category', data: [...dates], boundaryGap: false },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => pctTick(v) } },
      series,
    },
  };
}
