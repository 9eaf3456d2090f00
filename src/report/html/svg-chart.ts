/**
 * Server-side chart rendering: Apache ECharts' SSR renderer turns an option into an SVG string
 * (no DOM, no browser, no network). The report inlines the SVG; nothing runs at view time.
 */

import type { EChartsOption } from 'echarts';
import * as echarts from 'echarts';

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
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
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
