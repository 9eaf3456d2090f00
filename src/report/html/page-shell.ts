/**
 * The pieces every hedgekit HTML report shares (the run report, report-html.ts, and the sweep
 * report, sweep-report-html.ts): the page shell (head with the stylesheet and a Content-Security-
 * Policy that forbids every fetch and script, header, navigation, footer), a chart figure (ECharts
 * SSR SVG with stable ids), the provenance table and the glossary list.
 */
import type { ChartSpec } from './chart-spec.ts';
import type { GlossaryEntry } from './glossary.ts';
import { REPORT_CSS } from './report-css.ts';
import { renderSvg } from './svg-chart.ts';

/** One drawn chart, as listed in the report (tests compare series counts with it). */
export interface ChartInfo {
  readonly kind: string;
  readonly market: number | undefined;
  readonly series: number;
}

/**
 * The page's Content-Security-Policy: nothing is fetched and no script runs (the charts are
 * inline SVG, the style sheet inline); a report opened from a mail attachment cannot call home.
 */
export const REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Renders a chart to a `<figure>` with its title and caption, and lists it in `charts`.
 * `attrs` adds data attributes (name → value, escaped).
 */
export function figure(
  spec: ChartSpec,
  market: number | undefined,
  charts: ChartInfo[],
  attrs: Readonly<Record<string, string>> = {},
): string {
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
  const extra = Object.entries(attrs)
    .map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`)
    .join('');
  return `<figure class="chart" data-chart="${spec.kind}"${m}${extra} data-series="${series}">
<h3>${escapeHtml(spec.title)}</h3>
${svg}
<figcaption>${escapeHtml(spec.caption)}</figcaption>
</figure>`;
}

/** The provenance block: label → value rows (`td[data-field=label]`). */
export function provenanceTable(rows: readonly (readonly [string, string])[]): string {
  return `<table class="provenance">${rows.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td data-field="${escapeHtml(k)}">${escapeHtml(v)}</td></tr>`).join('')}</table>`;
}

/** The glossary section's definition list. */
export function glossaryList(entries: readonly GlossaryEntry[]): string {
  return entries.map((g) => `<dt>${escapeHtml(g.term)}</dt><dd>${escapeHtml(g.definition)}</dd>`).join('\n');
}

/** What {@link htmlPage} assembles. */
export interface PageParts {
  /** `<title>` and the `<h1>`. */
  readonly title: string;
  readonly version: string;
  /** ISO time the report was written. */
  readonly generated: string;
  /** HTML after the `<h1>` in the header (lede, provenance). */
  readonly header: string;
  /** Navigation: anchor id → label. */
  readonly nav: readonly (readonly [string, string])[];
  /** HTML of `<main>` (the sections). */
  readonly main: string;
}

/** The whole document around a report's sections (no external resource). */
export function htmlPage(p: PageParts): string {
  const nav = p.nav.map(([id, label]) => `<li><a href="#${id}">${escapeHtml(label)}</a></li>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="hedgekit ${escapeHtml(p.version)}">
<title>${escapeHtml(p.title)} — hedgekit report</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(p.title)}</h1>
${p.header}
<nav><ol>${nav}</ol></nav>
</header>
<main>
${p.main}
</main>
<footer>hedgekit ${escapeHtml(p.version)} · written ${escapeHtml(p.generated)} · charts: Apache ECharts (server-side SVG)</footer>
</body>
</html>
`;
}
