/**
 * Server-side chart rendering: Apache ECharts' SSR renderer turns an option into an SVG string
 * (no DOM, no browser, no network). The report inlines the SVG; nothing runs at view time.
 */

import { createRequire } from 'node:module';
import type { EChartsOption } from 'echarts';

// ECharts is loaded on the first chart, not when the library loads: it is the largest dependency
// (~0.3–0.6 s to load), and every command but `report` and `run --report` would pay for it.
const requireCjs = createRequire(import.meta.url);
let loaded: typeof import('echarts') | undefined;
const echartsLib = (): typeof import('echarts') => {
  loaded ??= requireCjs('echarts') as typeof import('echarts');
  return loaded;
};

/** A rendered chart: the SVG and the number of data series it drew. */
export interface RenderedChart {
  readonly svg: string;
  readonly series: number;
}

/**
 * Renders an ECharts option to SVG (animation off).
 * @example renderSvg({ xAxis: { type: 'value' }, yAxis: { type: 'value' }, series: [{ type: 'line', data: [[0, 1], [1, 2]] }] }, 400, 300).svg.startsWith('<svg') // true
 */
export function renderSvg(option: EChartsOption, width: number, height: number): RenderedChart {
  const chart = echartsLib().init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, ...option });
    const series = Array.isArray(option.series) ? option.series.length : option.series ? 1 : 0;
    return { svg: chart.renderToSVGString(), series };
  } finally {
    chart.dispose();
  }
}

/** Strategy colours, by strategy index (the same in every chart). */
export const PALETTE = [
  '#5b6470',
  '#2f6fb0',
  '#e08a1e',
  '#2e9d5b',
  '#b53b8f',
  '#8a6d3b',
  '#17a2b8',
  '#c0392b',
  '#6c5ce7',
];

/** The colour of strategy i. */
export function colorOf(i: number): string {
  return PALETTE[i % PALETTE.length];
}

/** The floor's colour. */
export const FLOOR_COLOR = '#c62828';
