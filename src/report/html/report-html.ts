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
import type { ChartSpec } from './chart-spec.ts';
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
import { REPORT_CSS } from './report-css.ts';
import { renderSvg } from './svg-chart.ts';

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

/** One drawn chart, as listed in the report (tests compare series counts with it). */
export interface ChartInfo {
  readonly kind: string;
  readonly market: number | undefined;
  readonly series: number;
}

export interface HtmlReport {
  readonly html: string;
  readonly charts: readonly ChartInfo[];
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function figure(spec: ChartSpec, market: number | undefined, charts: ChartInfo[]): string {
  const rendered = renderSvg(spec.option, spec.width, spec.height);
  // zrender names classes and clip paths from process-wide counters (zr14-cls-3); number them by
  // chart and first use instead, so the same run always writes the same file (and ids stay unique in the page).
  const ids = new Map<string, string>();
  const svg = rendered.svg.replace(/\bzr\d+-[a-z-]*\d+\b/g, (id) => {
    let v = ids.get(id);
    if (v === undefined) ids.set(id, (v = `hk${charts.length}-${ids.size}`));
    return v;
  });
  const series = rendered.series;
  charts.push({ kind: spec.kind, market, series });
  const m = market === undefined ? '' : ` data-market="${market}"`;
  return `<figure class="chart" data-chart="${spec.kind}"${m} data-series="${series}">
<h3>${escapeHtml(spec.title)}</h3>
${svg}
<figcaption>${escapeHtml(spec.caption)}</figcaption>
</figure>`;
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
  const toc = r.markets
    .map((m, mi) => `<li><a href="#market-${mi}">${escapeHtml(m.label)}</a></li>`)
    .join('');
  const glossary = [...KEY_COLUMNS.map((c) => METRIC_DEFINITIONS[c.key]), ...CHART_TERMS]
    .map((g) => `<dt>${escapeHtml(g.term)}</dt><dd>${escapeHtml(g.definition)}</dd>`)
    .join('\n');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="hedgekit ${escapeHtml(p.version)}">
<title>${escapeHtml(r.name)} — hedgekit report</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(r.name)}</h1>
${r.description ? `<p class="lede">${escapeHtml(r.description)}</p>` : ''}
<p>Book ${escapeHtml(book)}, V₀ = ${r.initialValue}, floor ${(r.floor.level * 100).toFixed(0)} % of V₀${r.floor.accrues ? ' (accruing)' : ''}, benchmark ${escapeHtml(r.benchmark)}.</p>
<table class="provenance">${prov.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td data-field="${escapeHtml(k)}">${escapeHtml(v)}</td></tr>`).join('')}</table>
<nav><ol><li><a href="#overview">Overview</a></li>${toc}<li><a href="#glossary">Glossary</a></li><li><a href="#scenario">Scenario</a></li></ol></nav>
</header>
<main>
<section id="overview">
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
</section>
</main>
<footer>hedgekit ${escapeHtml(p.version)} · written ${escapeHtml(generated)} · charts: Apache ECharts (server-side SVG)</footer>
</body>
</html>
`;
  return { html, charts };
}
