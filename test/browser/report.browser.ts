/**
 * The HTML report in a real browser (chromium through playwright-core): it opens from a file with
 * no console error and no network request; every chart drew an SVG with the series the run implies;
 * the numbers in the page equal the run's JSON; it prints to PDF. Screenshots and the PDF are saved
 * in artifacts/browser/ (git-ignored); HEDGEKIT_UPDATE_DOCS_IMG=1 also refreshes docs/img/report.png.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DetailedRun, reportInputFromRun, runWithDetail, writeHtmlReport } from '../../src/api.ts';
import type { ScenarioResult } from '../../src/scenario/run.ts';
import { launch } from './chromium.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = join(root, 'artifacts', 'browser');
const SMALL = join(root, 'test/fixtures/report/small.yaml');
const ARTICLE = join(root, 'examples/article-case.yaml');

let browser: Awaited<ReturnType<typeof launch>>;
let context: BrowserContext;
let dir: string;
let small: DetailedRun;
let smallFile: string;

/** Opens a file and records console errors, page errors and every request that is not the file. */
async function open(file: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => {
    if (r.url() !== `file://${file}`) requests.push(r.url());
  });
  await page.goto(`file://${file}`, { waitUntil: 'load' });
  return { page, errors, requests };
}

/** Series each chart must draw, from the run's JSON alone (kinds in page order, per market). */
function expectedCharts(r: ScenarioResult): [string, string, number][] {
  const out: [string, string, number][] = [];
  const n0 = r.markets[0].strategies.length;
  for (let i = 0; i < 3; i++) out.push(['heatmap', '', 1]);
  out.push(['frontier', '', n0]);
  r.markets.forEach((m, mi) => {
    const n = m.strategies.length;
    // Option strategies (they paid or received option premiums) add a Γ and a ν line.
    const options = m.strategies.filter((s) => {
      const p = s.summary.costOfProtection.premiums;
      return Number.isFinite(p) && p !== 0;
    }).length;
    const at = String(mi);
    if (m.replay) out.push(['replay', at, n + 1], ['drawdown', at, n]);
    else out.push(['fan', at, 6 * n], ['terminal', at, n], ['payoff', at, n], ['drawdown', at, n]);
    out.push(['exposure', at, n + 2 * options]);
    if (m.strategies.some((s) => s.attribution))
      out.push(['attribution', at, m.strategies.filter((s) => s.attribution).length]);
  });
  return out;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hedgekit-browser-'));
  mkdirSync(ARTIFACTS, { recursive: true });
  small = runWithDetail(SMALL);
  smallFile = join(dir, 'small.html');
  writeHtmlReport(smallFile, reportInputFromRun(small));
  writeFileSync(join(dir, 'small.json'), JSON.stringify(small.result));
  browser = await launch();
  context = browser.context;
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('HTML report in chromium', () => {
  it('opens from a file with no console error and no network request', async () => {
    const { page, errors, requests } = await open(smallFile);
    expect(await page.title()).toBe('report-small — hedgekit report');
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'report-small.png'), fullPage: true });
    await page.close();
  });

  it('draws every chart: a visible SVG per figure with the series the run implies', async () => {
    const { page } = await open(smallFile);
    const figures = (await page.evaluate(`[...document.querySelectorAll('figure.chart')].map((f) => {
      const svg = f.querySelector('svg');
      const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
      const drawn = [...f.querySelectorAll('path')].filter((p) => (p.getAttribute('d') || '').length > 4).length;
      const metaSeries = new Set([...f.querySelectorAll('[ecmeta_series_index]')].map((e) => e.getAttribute('ecmeta_series_index'))).size;
      return { kind: f.dataset.chart, market: f.dataset.market ?? '', series: Number(f.dataset.series), width: box.width, height: box.height, drawn, metaSeries };
    })`)) as {
      kind: string;
      market: string;
      series: number;
      width: number;
      height: number;
      drawn: number;
      metaSeries: number;
    }[];
    expect(figures.map((f) => [f.kind, f.market, f.series])).toEqual(expectedCharts(small.result));
    for (const f of figures) {
      expect(f.width, `${f.kind} ${f.market}`).toBeGreaterThan(300);
      expect(f.height, `${f.kind} ${f.market}`).toBeGreaterThan(150);
      expect(f.drawn, `${f.kind} ${f.market}`).toBeGreaterThanOrEqual(f.series);
      // Charts of symbols, bars, cells and candles tag each drawn item with its series: all drew.
      if (['heatmap', 'frontier', 'terminal', 'payoff', 'drawdown', 'attribution', 'replay'].includes(f.kind))
        expect(f.metaSeries, `${f.kind} ${f.market}`).toBe(f.series);
    }
    let i = 0;
    for (const fig of await page.locator('figure.chart').all())
      await fig.screenshot({ path: join(ARTIFACTS, `chart-${i++}.png`) });
    await page.close();
  });

  it('shows the numbers of the run’s JSON in its metrics tables and provenance', async () => {
    const { page } = await open(smallFile);
    const cells = (await page.evaluate(`[...document.querySelectorAll('table.metrics td')].map((td) => ({
      market: Number(td.closest('table').dataset.market),
      strategy: Number(td.closest('tr').dataset.strategy),
      metric: td.dataset.metric,
      value: td.dataset.value,
      text: td.textContent,
    }))`)) as { market: number; strategy: number; metric: string; value: string; text: string }[];
    const r = small.result;
    expect(cells.length).toBe(r.markets.reduce((a, m) => a + m.strategies.length, 0) * 10);
    for (const c of cells) {
      const v =
        r.markets[c.market].strategies[c.strategy].key[
          c.metric as keyof (typeof r.markets)[0]['strategies'][0]['key']
        ];
      if (!Number.isFinite(v)) {
        expect(c.text).toBe('n/a');
        continue;
      }
      expect(Number(c.value)).toBe(v);
      expect(c.text).toBe(c.metric === 'terminalP20' ? v.toFixed(2) : `${(v * 100).toFixed(2)} %`);
    }
    expect(await page.locator('td[data-field="seed"]').textContent()).toBe(String(r.seed));
    expect(await page.locator('#scenario pre').textContent()).toBe(small.text);
    // Every metric has its definition on hover and in the glossary.
    expect(await page.locator('table.metrics thead abbr[title]').count()).toBe(10 * r.markets.length);
    expect(await page.locator('#glossary dt').count()).toBeGreaterThanOrEqual(10);
    await page.close();
  });

  it('prints: a multi-page A4 PDF with no chart split across pages', async () => {
    const { page } = await open(smallFile);
    await page.emulateMedia({ media: 'print' });
    const breakInside = await page.evaluate(
      `getComputedStyle(document.querySelector('figure.chart')).breakInside`,
    );
    expect(breakInside).toBe('avoid');
    const pdf = await page.pdf({ format: 'A4', path: join(ARTIFACTS, 'report-small.pdf') });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBeGreaterThan(2);
    await page.close();
  });

  it('renders the article case (the README screenshot)', async () => {
    const run = runWithDetail(ARTICLE, { paths: 512 });
    const file = join(dir, 'article.html');
    writeHtmlReport(file, reportInputFromRun(run));
    const { page, errors, requests } = await open(file);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    const kinds = (await page.evaluate(
      `[...document.querySelectorAll('figure.chart')].map((f) => [f.dataset.chart, f.dataset.market ?? '', Number(f.dataset.series)])`,
    )) as [string, string, number][];
    expect(kinds).toEqual(expectedCharts(run.result));
    // The crash market: its metrics table and fan chart (page coordinates for a full-page clip).
    const top = (await page.evaluate(
      `document.querySelector('#market-1').getBoundingClientRect().top + window.scrollY`,
    )) as number;
    expect(top).toBeGreaterThan(0);
    const clip = { x: 0, y: top, width: 1200, height: 1000 };
    await page.screenshot({ path: join(ARTIFACTS, 'report-article.png'), clip, fullPage: true });
    if (process.env.HEDGEKIT_UPDATE_DOCS_IMG === '1')
      await page.screenshot({ path: join(root, 'docs/img/report.png'), clip, fullPage: true });
    await page.close();
  });
});
