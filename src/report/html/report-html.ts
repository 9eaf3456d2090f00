/**
 * The self-contained HTML report of a scenario run: provenance, regime × strategy heat maps, the
 * cost-of-protection frontier, per market the metrics table and its charts (fan chart, terminal
 * distribution, payoff map, drawdowns, exposure and Greeks, attribution, replays on real dates),
 * a glossary and the scenario text. Charts are ECharts rendered server-side to inline SVG: the file
 * needs no network and no script to display, and prints (figures do not split across pages).
 */
import type { ScenarioResult } from '../../scenario/run.ts';
import { KEY_COLUMNS, marketTitle } from '../comparison-table.ts';
import type { MarketDetail, ReportDetail } from '../detail/report-detail.ts';
import { drawdownDistributionChart, payoffChart, terminalChart } from './charts-distributions.ts';
import {
  attributionChart,
  frontierChart,
  HEATMAPS,
  hasAttribution,
  heatmapChart,
} from './charts-overview.ts';
import { drawdownPathChart, exposureChart, fanChart, replayChart } from './charts-paths.ts';
import { CHART_TERMS, METRIC_DEFINITIONS } from './glossary.ts';
import { type ChartInfo, escapeHtml, figure, glossaryList, htmlPage, provenanceTable } from './page-shell.ts';

/** Where a run came from (the report's provenance block). */
export interface Provenance {
  readonly version: string;
  readonly codeHash: string;
  readonly startedAt?: string | undefined;
  readonly endedAt?: string | undefined;
  /** Run number in the store, when the report was made from (or saved to) one. */
  readonly runId?: number | undefined;
  readonly scenarioFile?: string | undefined;
  readonly scenarioHash?: string | undefined;
}

export interface ReportInput {
  readonly result: ScenarioResult;
  /** Per-step and per-path detail; without it the report has the overview, tables and replays only. */
  readonly detail?: ReportDetail | undefined;
  readonly scenarioText: string;
  readonly provenance: Provenance;
  /** When the report was written (default: now). */
  readonly generatedAt?: Date;
}

export type { ChartInfo } from './page-shell.ts';
export { escapeHtml } from './page-shell.ts';

export interface HtmlReport {
  readonly html: string;
  readonly charts: readonly ChartInfo[];
}

function metricsTable(r: ScenarioResult, mi: number): string {
  const m = r.markets[mi];
  const head = KEY_COLUMNS.map(
    (c) =>
      `<th scope="col"><abbr title="${escapeHtml(METRIC_DEFINITIONS[c.key].definition)}">${escapeHtml(c.header)}</abbr></th>`,
  ).join('');
  const rows = m.strategies
    .map((s, si) => {
      const cells = KEY_COLUMNS.map((c) => {
        const v = s.key[c.key];
        const text = !Number.isFinite(v)
          ? 'n/a'
          : c.format === 'pct'
            ? `${(v * 100).toFixed(2)} %`
            : v.toFixed(2);
        const raw = Number.isFinite(v) ? String(v) : '';
        return `<td data-metric="${c.key}" data-value="${raw}">${text}</td>`;
      }).join('');
      const bm = s.name === r.benchmark ? ' <span class="bm">benchmark</span>' : '';
      return `<tr data-strategy="${si}"><th scope="row">${escapeHtml(s.name)}${bm}</th>${cells}</tr>`;
    })
    .join('\n');
  return `<table class="metrics" data-market="${mi}">
<thead><tr><th scope="col">strategy</th>${head}</tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}

function marketSection(
  r: ScenarioResult,
  mi: number,
  d: MarketDetail | undefined,
  charts: ChartInfo[],
): string {
  const m = r.markets[mi];
  const parts: string[] = [];
  if (m.replay) {
    parts.push(figure(replayChart(r, mi), mi, charts));
    parts.push(figure(drawdownPathChart(r, mi), mi, charts));
  } else if (d) {
    parts.push(figure(fanChart(r, mi, d), mi, charts));
    parts.push(figure(terminalChart(r, mi, d), mi, charts));
    parts.push(figure(payoffChart(r, mi, d), mi, charts));
    parts.push(figure(drawdownDistributionChart(r, mi, d), mi, charts));
  }
  if (d) parts.push(figure(exposureChart(r, mi, d), mi, charts));
  if (hasAttribution(r, mi)) parts.push(figure(attributionChart(r, mi), mi, charts));
  if (!d && !m.replay)
    parts.push(
      '<p class="note">This run was stored without per-path detail: distribution charts are not available.</p>',
    );
  return `<section class="market" id="market-${mi}" data-market="${mi}">
<h2>${escapeHtml(
    marketTitle(
      m,
      r.assets.map((a) => a.name),
    ),
  )}</h2>
${metricsTable(r, mi)}
${parts.join('\n')}
</section>`;
}

/**
 * Writes the report of one run as a single HTML string (no external resources).
 * @example buildHtmlReport({ result, detail, scenarioText, provenance }).html.startsWith('<!doctype html>') // true
 */
export function buildHtmlReport(input: ReportInput): HtmlReport {
  const { result: r, detail, provenance: p } = input;
  const charts: ChartInfo[] = [];
  const generated = (input.generatedAt ?? new Date()).toISOString();
  const overview = [
    ...HEATMAPS.map((h) => figure(heatmapChart(r, h), undefined, charts)),
    figure(frontierChart(r), undefined, charts),
  ].join('\n');
  const markets = r.markets.map((_, mi) => marketSection(r, mi, detail?.markets[mi], charts)).join('\n');
  const prov: [string, string][] = [
    ['scenario', `${r.name}${p.scenarioFile ? ` (${p.scenarioFile})` : ''}`],
    ...(p.scenarioHash ? ([['scenario sha256', p.scenarioHash.slice(0, 16)]] as [string, string][]) : []),
    ['seed', String(r.seed)],
    ['hedgekit', `${p.version} (code ${p.codeHash})`],
    ...(p.runId !== undefined ? ([['stored run', String(p.runId)]] as [string, string][]) : []),
    ...(p.startedAt ? ([['run started', p.startedAt]] as [string, string][]) : []),
    ...(p.endedAt ? ([['run ended', p.endedAt]] as [string, string][]) : []),
    ['report written', generated],
  ];
  const book = r.assets.map((a) => `${(a.weight * 100).toFixed(0)} % ${a.name}`).join(' / ');
  const glossary = glossaryList([...KEY_COLUMNS.map((c) => METRIC_DEFINITIONS[c.key]), ...CHART_TERMS]);
  const html = htmlPage({
    title: r.name,
    version: p.version,
    generated,
    header: `${r.description ? `<p class="lede">${escapeHtml(r.description)}</p>` : ''}
<p>Book ${escapeHtml(book)}, V₀ = ${r.initialValue}, floor ${(r.floor.level * 100).toFixed(0)} % of V₀${r.floor.accrues ? ' (accruing)' : ''}, benchmark ${escapeHtml(r.benchmark)}.</p>
${provenanceTable(prov)}`,
    nav: [
      ['overview', 'Overview'],
      ...r.markets.map((m, mi): [string, string] => [`market-${mi}`, m.label]),
      ['glossary', 'Glossary'],
      ['scenario', 'Scenario'],
    ],
    main: `<section id="overview">
<h2>Overview: every market × strategy</h2>
${overview}
</section>
${markets}
<section id="glossary">
<h2>Glossary</h2>
<dl>
${glossary}
</dl>
</section>
<section id="scenario">
<h2>Scenario</h2>
<pre>${escapeHtml(input.scenarioText)}</pre>
</section>`,
  });
  return { html, charts };
}
