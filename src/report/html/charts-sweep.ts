/**
 * Charts of a parameter sweep (the sweep report, sweep-report-html.ts): heat maps of a metric over
 * two swept parameters — one panel per strategy (the benchmark excluded: the reference of excess
 * returns) and per combination of the other parameters' values, one chart per metric and market —
 * and the frontier scatter of each market (the sweep's risk against its reward, every point ×
 * strategy, the Pareto-efficient ones joined and marked; Markowitz, "Portfolio selection",
 * J. Finance 7 (1952), with P(V_T < F_T) in place of the variance by default).
 */
import type { SeriesOption } from 'echarts';
import { DomainError } from '../../core/errors.ts';
import type { KeyMetrics } from '../../scenario/run.ts';
import type { SweepResult, SweepRow } from '../../sweep/merge.ts';
import { panels, panelsHeight } from './chart-layout.ts';
import { type ChartSpec, pctTick, TEXT, tick } from './chart-spec.ts';
import { colorOf } from './svg-chart.ts';

const WIDTH = 1040;

/** The sweep heat maps' metrics (fractions), and whether lower or higher is better. */
export const SWEEP_HEATMAPS = [
  {
    id: 'probEndBelowFloor',
    title: 'P(end below floor)',
    value: (row: SweepRow, _v0: number) => row.key.probEndBelowFloor,
    good: 'low',
  },
  {
    id: 'p20Loss',
    title: '20th-percentile loss, 1 − V_T p20 / V₀',
    value: (row: SweepRow, v0: number) => 1 - row.key.terminalP20 / v0,
    good: 'low',
  },
  {
    id: 'excessReturn',
    title: 'Excess annualized return vs the benchmark',
    value: (row: SweepRow, _v0: number) => row.key.excessReturn,
    good: 'high',
  },
] as const;

export type SweepHeatmap = (typeof SWEEP_HEATMAPS)[number];

/** Which parameters the heat maps span, and the values the others are held at. */
export interface HeatmapAxesOptions {
  /** Horizontal parameter (default: the first swept parameter). */
  readonly x?: string | undefined;
  /** Vertical parameter (default: the second; none for a one-parameter sweep). */
  readonly y?: string | undefined;
  /** Other parameters held at one value (default: a panel per value combination). */
  readonly fixed?: Readonly<Record<string, unknown>> | undefined;
}

/** The heat maps' layout, shared by every metric and market. */
export interface HeatmapLayout {
  readonly x: string | undefined;
  readonly y: string | undefined;
  /** Category labels of each axis, in sweep order. */
  readonly xValues: readonly string[];
  readonly yValues: readonly string[];
  /** The other parameters and their kept values (a row is kept when every one matches). */
  readonly fixed: Readonly<Record<string, string>>;
}

/** A parameter's value as an axis label; `—` where a point does not set it (the base value). */
export function valueLabel(v: unknown): string {
  if (v === undefined) return '—';
  if (typeof v === 'number') return Number.isFinite(v) ? String(Number(v.toPrecision(6))) : String(v);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function distinct(r: SweepResult, p: string | undefined): string[] {
  if (p === undefined) return ['—'];
  return [...new Set(r.points.map((pt) => valueLabel(pt.values[p])))];
}

/**
 * Resolves the heat maps' axes and held values against a sweep.
 * @throws DomainError naming the option for an unknown parameter, the same parameter twice, or a
 *   held value the sweep never took
 * @example heatmapLayout(result, {}).xValues // ['2', '5'] for a grid multiplier: [2, 5]
 */
export function heatmapLayout(r: SweepResult, o: HeatmapAxesOptions = {}): HeatmapLayout {
  const params = r.parameters;
  const check = (name: string, p: string | undefined) => {
    if (p !== undefined && !params.includes(p))
      throw new DomainError(name, p, `must be a swept parameter (${params.join(', ') || 'none'})`);
  };
  check('x', o.x);
  check('y', o.y);
  const x = o.x ?? params[0];
  const y = o.y ?? params.find((p) => p !== x);
  if (x !== undefined && x === y) throw new DomainError('y', y, 'must differ from x');
  const fixed: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.fixed ?? {})) {
    check(`fixed.${k}`, k);
    if (k === x || k === y)
      throw new DomainError(`fixed.${k}`, String(v), 'is a heat-map axis; hold another parameter');
    const label = valueLabel(v);
    const taken = distinct(r, k);
    if (!taken.includes(label))
      throw new DomainError(`fixed.${k}`, v, `must be one of the swept values (${taken.join(', ')})`);
    fixed[k] = label;
  }
  return { x, y, xValues: distinct(r, x), yValues: distinct(r, y), fixed };
}

/** One panel of a heat map: a strategy at one combination of the other parameters. */
export interface HeatmapPanel {
  readonly strategy: string;
  /** The other parameters' values of this panel (label text). */
  readonly rest: string;
  /** Cells: x index, y index, the row's index in {@link SweepResult.rows}. */
  readonly cells: readonly { readonly x: number; readonly y: number; readonly row: number }[];
}

/**
 * The panels of one market's heat maps: the benchmark excluded, rows outside the held values
 * dropped; panels in order of first appearance. A point repeated with the same values (listed
 * twice) keeps its first cell.
 */
export function heatmapPanels(r: SweepResult, layout: HeatmapLayout, market: string): HeatmapPanel[] {
  const byKey = new Map<
    string,
    { strategy: string; rest: string; cells: { x: number; y: number; row: number }[] }
  >();
  const others = r.parameters.filter((p) => p !== layout.x && p !== layout.y && !(p in layout.fixed));
  r.rows.forEach((row, i) => {
    if (row.market !== market || row.benchmark) return;
    for (const [k, v] of Object.entries(layout.fixed)) if (valueLabel(row.values[k]) !== v) return;
    const rest = others.map((p) => `${p}=${valueLabel(row.values[p])}`).join(', ');
    const key = `${row.strategy}\u0000${rest}`;
    let panel = byKey.get(key);
    if (!panel) byKey.set(key, (panel = { strategy: row.strategy, rest, cells: [] }));
    const x = layout.x === undefined ? 0 : layout.xValues.indexOf(valueLabel(row.values[layout.x]));
    const y = layout.y === undefined ? 0 : layout.yValues.indexOf(valueLabel(row.values[layout.y]));
    if (!panel.cells.some((c) => c.x === x && c.y === y)) panel.cells.push({ x, y, row: i });
  });
  return [...byKey.values()];
}

function fmtCell(v: unknown): string {
  if (typeof v !== 'number') return '';
  const t = (v * 100).toFixed(1);
  return t === '-0.0' ? '0.0' : t; // a tiny negative rounds to 0.0, not −0.0
}

/**
 * One metric's heat maps for one market: a panel per strategy × other-parameter combination,
 * one colour scale for all panels. Series: one per panel; data `[x, y, value]` (undefined → '-').
 * @param initialValues V₀ by point index (the 20th-percentile loss is relative to it)
 */
export function sweepHeatmapChart(
  r: SweepResult,
  which: SweepHeatmap,
  layout: HeatmapLayout,
  market: string,
  initialValues: readonly number[],
): ChartSpec {
  const ps = heatmapPanels(r, layout, market);
  const cols = Math.max(1, Math.min(3, ps.length, Math.floor(12 / Math.max(1, layout.xValues.length)) || 1));
  const rowH = Math.max(170, 70 + 30 * layout.yValues.length);
  const P = panels(ps.length, cols, rowH, 40);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  const series: SeriesOption[] = ps.map((panel, g) => ({
    type: 'heatmap',
    name: panel.rest ? `${panel.strategy} (${panel.rest})` : panel.strategy,
    xAxisIndex: g,
    yAxisIndex: g,
    data: panel.cells.map((c) => {
      const row = r.rows[c.row];
      const v = which.value(row, initialValues[row.point]);
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      return [c.x, c.y, Number.isFinite(v) ? v : '-'];
    }),
    label: {
      show: true,
      fontSize: 10,
      formatter: (p: { value?: unknown }) => fmtCell((p.value as number[])[2]),
    },
    itemStyle: { borderColor: '#fff', borderWidth: 1 },
  }));
  if (!(lo <= hi)) {
    lo = 0;
    hi = 1;
  }
  const ends = [pctTick(hi), pctTick(lo)]; // before widening a single-valued scale
  if (!(hi > lo)) hi = lo + 1e-9;
  const colors = ['#2e7d32', '#f5f5dc', '#c62828'];
  const xName = layout.x ?? '';
  const yName = layout.y ?? '';
  return {
    kind: 'sweep-heatmap',
    title: `${which.title} — ${market}`,
    caption: `Percent; horizontal ${xName || '(no parameter)'}, vertical ${yName || '(no parameter)'}; a panel per strategy${
      ps.some((p) => p.rest) ? ' and per value of the other parameters' : ''
    }${
      Object.keys(layout.fixed).length
        ? ` (held: ${Object.entries(layout.fixed)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')})`
        : ''
    }; ${which.good === 'low' ? 'green is lower (better)' : 'green is higher (better)'}; blank: undefined.`,
    width: WIDTH,
    height: panelsHeight(ps.length, cols, rowH, 40) + 20,
    option: {
      textStyle: TEXT,
      title: ps.map((panel, g) => ({
        text: panel.strategy,
        subtext: panel.rest,
        left: P[g].left,
        top: P[g].top - 40,
        textStyle: { fontSize: 13 },
        subtextStyle: { fontSize: 10 },
      })),
      grid: P.map((p) => ({ left: p.left, top: p.top, width: p.width, height: p.height - 8 })),
      xAxis: P.map((_, g) => ({
        type: 'category',
        gridIndex: g,
        data: [...layout.xValues],
        name: xName,
        nameLocation: 'middle',
        nameGap: 22,
        nameTextStyle: { fontSize: 10 },
        axisLabel: { fontSize: 10, interval: 0 },
        splitArea: { show: true },
      })),
      yAxis: P.map((_, g) => ({
        type: 'category',
        gridIndex: g,
        data: [...layout.yValues],
        name: yName,
        nameTextStyle: { fontSize: 10 },
        axisLabel: { fontSize: 10 },
        splitArea: { show: true },
      })),
      visualMap: {
        min: lo,
        max: hi,
        calculable: false,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        itemWidth: 12,
        itemHeight: 160,
        text: ends,
        seriesIndex: ps.map((_, g) => g),
        inRange: { color: which.good === 'low' ? colors : [...colors].reverse() },
        formatter: (v: unknown) => pctTick(Number(v)),
        textStyle: { fontSize: 10 },
      },
      series,
    },
  };
}

function axisTick(k: keyof KeyMetrics): (v: number) => string {
  return k === 'terminalP20' ? tick : pctTick;
}

/**
 * The frontier scatter of one market: every point × strategy at (risk, reward), a series per
 * strategy, and the efficient frontier (the rows the sweep marked) joined in order of risk.
 * Series: strategies + 1. Rows with an undefined risk or reward are left out.
 */
export function sweepFrontierChart(r: SweepResult, market: string): ChartSpec {
  const { risk, reward } = r.frontier;
  const rows = r.rows.filter(
    (x) => x.market === market && Number.isFinite(x.key[risk]) && Number.isFinite(x.key[reward]),
  );
  const strategies = [...new Set(r.rows.filter((x) => x.market === market).map((x) => x.strategy))];
  const label = (x: SweepRow) =>
    r.parameters.map((p) => `${p}=${valueLabel(x.values[p])}`).join(', ') || x.strategy;
  const series: SeriesOption[] = strategies.map((name, si) => ({
    type: 'scatter',
    name,
    symbolSize: 8,
    itemStyle: { color: colorOf(si), opacity: 0.75 },
    data: rows
      .filter((x) => x.strategy === name)
      .map((x) => ({ value: [x.key[risk], x.key[reward]], name: label(x) })),
  }));
  const front = rows.filter((x) => x.frontier).sort((a, b) => a.key[risk] - b.key[risk]);
  series.push({
    type: 'line',
    name: 'efficient frontier',
    symbol: 'diamond',
    symbolSize: 13,
    lineStyle: { color: '#111', width: 1.5, type: 'dashed' },
    itemStyle: { color: '#111' },
    data: front.map((x) => ({ value: [x.key[risk], x.key[reward]], name: label(x) })),
  });
  return {
    kind: 'sweep-frontier',
    title: `Frontier: ${risk} against ${reward} — ${market}`,
    caption: `Each point is a strategy at one parameter point; the diamonds joined by the dashed line are the efficient frontier: no other point has a lower ${risk} and a higher ${reward} (the benchmark is never on it).`,
    width: WIDTH,
    height: 440,
    option: {
      textStyle: TEXT,
      legend: { top: 0, textStyle: { fontSize: 11 } },
      grid: { left: 80, right: 30, top: 40, bottom: 55 },
      xAxis: {
        type: 'value',
        scale: true,
        name: `${risk} (minimized)`,
        nameLocation: 'middle',
        nameGap: 30,
        axisLabel: { formatter: (v: number) => axisTick(risk)(v) },
      },
      yAxis: {
        type: 'value',
        scale: true,
        name: `${reward} (maximized)`,
        axisLabel: { formatter: (v: number) => axisTick(reward)(v) },
      },
      series,
    },
  };
}
