/**
 * The self-contained HTML report of a parameter sweep (`hedgekit report SWEEP|sweep.yaml`,
 * `hedgekit sweep --report`): provenance, per market the frontier scatter and heat maps of
 * P(end below floor), the 20th-percentile loss and the excess return over two swept parameters,
 * the metrics table of every point × strategy with the frontier marked, a glossary, the sweep file
 * and the base scenario. The same page shell, chart rendering and glossary as the run report
 * (page-shell.ts): inline SVG, no script, no network.
 */
import type { SweepResult } from '../../sweep/merge.ts';
import { KEY_COLUMNS } from '../comparison-table.ts';
import {
  type HeatmapAxesOptions,
  heatmapLayout,
  SWEEP_HEATMAPS,
  sweepFrontierChart,
  sweepHeatmapChart,
  valueLabel,
} from './charts-sweep.ts';
import { type GlossaryEntry, METRIC_DEFINITIONS } from './glossary.ts';
import { type ChartInfo, escapeHtml, figure, glossaryList, htmlPage, provenanceTable } from './page-shell.ts';
import type { HtmlReport } from './report-html.ts';

/** Where a sweep came from (the report's provenance block). */
export interface SweepProvenance {
  readonly version: string;
  readonly codeHash: string;
  readonly seed: number;
  readonly startedAt?: string | undefined;
  readonly endedAt?: string | undefined;
  /** Its number in the run store, when stored. */
  readonly runId?: number | undefined;
  readonly sweepFile?: string | undefined;
  /** SHA-256 of the sweep file's text. */
  readonly sweepHash?: string | undefined;
  readonly scenarioFile?: string | undefined;
  readonly scenarioHash?: string | undefined;
  /** Where the shards were computed. */
  readonly mode?: 'local' | 'queue' | undefined;
}

export interface SweepReportInput {
  readonly result: SweepResult;
  /** V₀ by point index. */
  readonly initialValues: readonly number[];
  readonly sweepText: string;
  readonly scenarioText: string;
  readonly provenance: SweepProvenance;
  /** Heat-map axes and held values (default: the first two parameters, a panel per other value). */
  readonly axes?: HeatmapAxesOptions | undefined;
  /** When the report was written (default: now). */
  readonly generatedAt?: Date;
}

/** Terms of the sweep report. */
export const SWEEP_TERMS: readonly GlossaryEntry[] = [
  {
    term: 'parameter point',
    definition:
      'One combination of the swept parameters (override path = value): the base scenario with those overrides, run on every market.',
  },
  {
    term: 'efficient frontier ◆',
    definition:
      'Per market, the (point, strategy) rows that no other row beats on both counts: none has a lower risk and a higher reward (the sweep file’s frontier metrics). The benchmark is the reference of excess returns and never on it.',
  },
  {
    term: '20th-percentile loss',
    definition: '1 − V_T p20 / V₀: the loss at the terminal value one path in five ends below.',
  },
  {
    term: 'shard',
    definition:
      'One parameter point × one market × one block of paths; results are identical however the shards are split or where they ran (docs/scale-out.md).',
  },
];

function cell(v: number, format: 'pct' | 'value'): string {
  return !Number.isFinite(v) ? 'n/a' : format === 'pct' ? `${(v * 100).toFixed(2)} %` : v.toFixed(2);
}

function sweepTable(r: SweepResult, market: string, mi: number): string {
  const head = [
    ...r.parameters.map((p) => `<th scope="col">${escapeHtml(p)}</th>`),
    '<th scope="col">strategy</th>',
    ...KEY_COLUMNS.map(
      (c) =>
        `<th scope="col"><abbr title="${escapeHtml(METRIC_DEFINITIONS[c.key].definition)}">${escapeHtml(c.header)}</abbr></th>`,
    ),
    '<th scope="col"><abbr title="On the market’s efficient frontier">frontier</abbr></th>',
  ].join('');
  const rows = r.rows
    .map((row, i) => ({ row, i }))
    .filter(({ row }) => row.market === market)
    .map(({ row, i }) => {
      const params = r.parameters
        .map((p) => `<td class="param">${escapeHtml(valueLabel(row.values[p]))}</td>`)
        .join('');
      const cells = KEY_COLUMNS.map((c) => {
        const v = row.key[c.key];
        return `<td data-metric="${c.key}" data-value="${Number.isFinite(v) ? String(v) : ''}">${cell(v, c.format)}</td>`;
      }).join('');
      const bm = row.benchmark ? ' <span class="bm">benchmark</span>' : '';
      return `<tr data-row="${i}" data-point="${row.point}"${row.frontier ? ' class="frontier"' : ''}>${params}<th scope="row">${escapeHtml(row.strategy)}${bm}</th>${cells}<td class="mark">${row.frontier ? '◆' : ''}</td></tr>`;
    })
    .join('\n');
  return `<div class="wide"><table class="metrics sweep" data-market="${mi}">
<thead><tr>${head}</tr></thead>
<tbody>
${rows}
</tbody>
</table></div>`;
}

/**
 * Writes the report of one sweep as a single HTML string (no external resources).
 * @throws DomainError for heat-map axes that are not swept parameters (charts-sweep.ts)
 * @example buildSweepReport({ result, initialValues, sweepText, scenarioText, provenance }).charts.length // 4 per market
 */
export function buildSweepReport(input: SweepReportInput): HtmlReport {
  const { result: r, provenance: p } = input;
  const layout = heatmapLayout(r, input.axes);
  const charts: ChartInfo[] = [];
  const generated = (input.generatedAt ?? new Date()).toISOString();
  const markets = [...new Set(r.rows.map((x) => x.market))];
  const sections = markets.map((m, mi) => {
    const figs = [
      figure(sweepFrontierChart(r, m), mi, charts),
      ...SWEEP_HEATMAPS.map((h) =>
        figure(sweepHeatmapChart(r, h, layout, m, input.initialValues), mi, charts, { metric: h.id }),
      ),
    ];
    return `<section class="market" id="market-${mi}" data-market="${mi}">
<h2>Market: ${escapeHtml(m)}</h2>
${figs.join('\n')}
<h3>Every parameter point × strategy</h3>
${sweepTable(r, m, mi)}
</section>`;
  });
  const prov: [string, string][] = [
    ['sweep', `${r.name}${p.sweepFile ? ` (${p.sweepFile})` : ''}`],
    ...(p.sweepHash ? ([['sweep sha256', p.sweepHash.slice(0, 16)]] as [string, string][]) : []),
    ['base scenario', p.scenarioFile ?? r.scenario],
    ...(p.scenarioHash ? ([['scenario sha256', p.scenarioHash.slice(0, 16)]] as [string, string][]) : []),
    ['seed', String(p.seed)],
    ['parameter points', `${r.points.length} (${r.parameters.join(' × ') || 'no parameter'})`],
    [
      'shards',
      `${r.stats.shards} of ${r.shardPaths} paths (plan ${r.hash.slice(0, 12)})${p.mode ? `, ${p.mode}` : ''}`,
    ],
    ['hedgekit', `${p.version} (code ${p.codeHash})`],
    ...(p.runId !== undefined ? ([['stored run', String(p.runId)]] as [string, string][]) : []),
    ...(p.startedAt ? ([['sweep started', p.startedAt]] as [string, string][]) : []),
    ...(p.endedAt ? ([['sweep ended', p.endedAt]] as [string, string][]) : []),
    ['report written', generated],
  ];
  const held = Object.entries(layout.fixed);
  const html = htmlPage({
    title: r.name,
    version: p.version,
    generated,
    header: `<p class="lede">Parameter sweep of ${escapeHtml(r.scenario.split(/[\\/]/).pop() ?? r.scenario)}: ${r.points.length} points × ${markets.length} market${markets.length === 1 ? '' : 's'}; frontier ${escapeHtml(r.frontier.risk)} (minimized) against ${escapeHtml(r.frontier.reward)} (maximized).</p>
<p>Heat maps over ${escapeHtml(layout.x ?? '—')} (horizontal) × ${escapeHtml(layout.y ?? '—')} (vertical)${held.length ? `, holding ${escapeHtml(held.map(([k, v]) => `${k}=${v}`).join(', '))}` : ''}.</p>
${provenanceTable(prov)}`,
    nav: [
      ...markets.map((m, mi): [string, string] => [`market-${mi}`, m]),
      ['glossary', 'Glossary'],
      ['sweep-file', 'Sweep file'],
      ['scenario', 'Base scenario'],
    ],
    main: `${sections.join('\n')}
<section id="glossary">
<h2>Glossary</h2>
<dl>
${glossaryList([...KEY_COLUMNS.map((c) => METRIC_DEFINITIONS[c.key]), ...SWEEP_TERMS])}
</dl>
</section>
<section id="sweep-file">
<h2>Sweep file</h2>
<pre>${escapeHtml(input.sweepText)}</pre>
</section>
<section id="scenario">
<h2>Base scenario</h2>
<pre>${escapeHtml(input.scenarioText)}</pre>
</section>`,
  });
  return { html, charts };
}
