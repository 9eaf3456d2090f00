/** The report's stylesheet (inline in the page): readable on a laptop, printable on A4. */
export const REPORT_CSS = `
:root { --fg: #222; --muted: #666; --line: #ddd; --bg: #fff; --accent: #2f6fb0; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 24px 28px 48px; color: var(--fg); background: var(--bg);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size: 28px; margin: 0 0 4px; }
h2 { font-size: 21px; margin: 36px 0 10px; padding-top: 8px; border-top: 2px solid var(--line); }
h3 { font-size: 15px; margin: 0 0 6px; }
.lede { font-size: 17px; color: var(--muted); margin: 0 0 10px; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
table.provenance th { text-align: left; font-weight: 600; padding: 1px 12px 1px 0; color: var(--muted); }
table.provenance td { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; }
table.metrics { width: 100%; margin: 8px 0 18px; font-size: 13px; }
table.metrics th, table.metrics td { border-bottom: 1px solid var(--line); padding: 4px 6px; }
table.metrics td { text-align: right; }
table.metrics thead th { text-align: right; border-bottom: 2px solid #bbb; }
table.metrics thead th:first-child, table.metrics tbody th { text-align: left; }
abbr { text-decoration: underline dotted; cursor: help; }
.bm { font-size: 11px; color: var(--muted); border: 1px solid var(--line); border-radius: 3px; padding: 0 3px; }
nav ol { display: flex; flex-wrap: wrap; gap: 4px 16px; padding: 0; list-style: none; margin: 12px 0 0; font-size: 14px; }
a { color: var(--accent); }
figure.chart { margin: 14px 0 22px; break-inside: avoid; page-break-inside: avoid; }
figure.chart svg { max-width: 100%; height: auto; display: block; }
figcaption { font-size: 13px; color: var(--muted); margin-top: 2px; }
.note { color: var(--muted); font-style: italic; }
.wide { overflow-x: auto; }
table.sweep td.param { text-align: left; color: var(--muted); }
dl dt { font-weight: 600; margin-top: 8px; }
dl dd { margin: 0 0 0 18px; }
pre { background: #f6f6f6; border: 1px solid var(--line); padding: 10px; font-size: 12px; overflow-x: auto; white-space: pre-wrap; }
footer { margin-top: 40px; font-size: 12px; color: var(--muted); }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav { display: none; }
  h2 { break-before: page; border-top: none; }
  #overview h2 { break-before: auto; }
  a { color: inherit; text-decoration: none; }
  pre { white-space: pre-wrap; }
  .wide { overflow: visible; }
  table.sweep { font-size: 8pt; }
}
`;
