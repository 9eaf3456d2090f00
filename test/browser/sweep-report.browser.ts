/**
 * The sweep report in a real browser (chromium through playwright-core): it opens from a file with
 * no console error and no network request; every chart drew an SVG; each heat map drew one cell per
 * parameter point × swept strategy, and the metrics tables carry the sweep JSON's numbers.
 * Screenshots in artifacts/browser/ (git-ignored).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadSweep,
  runSweep,
  type SweepResult,
  sweepReportInputFromRun,
  writeSweepHtmlReport,
} from '../../src/api.ts';
import { writeSweep } from '../support/sweep-fixture.ts';
import { launch } from './chromium.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = join(root, 'artifacts', 'browser');

let browser: Awaited<ReturnType<typeof launch>>;
let context: BrowserContext;
let dir: string;
let file: string;
let result: SweepResult;

async function open(f: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => {
    if (r.url() !== `file://${f}`) requests.push(r.url());
  });
  await page.goto(`file://${f}`, { waitUntil: 'load' });
  return { page, errors, requests };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hedgekit-browser-sweep-'));
  mkdirSync(ARTIFACTS, { recursive: true });
  const s = writeSweep();
  const plan = loadSweep(s.file);
  result = (await runSweep(plan, { cacheDir: s.cache, threads: 1 })).result;
  file = join(dir, 'sweep.html');
  writeSweepHtmlReport(file, sweepReportInputFromRun(plan, result, { mode: 'local' }));
  browser = await launch();
  context = browser.context;
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('sweep HTML report in chromium', () => {
  it('opens with no console error and no network request; every chart drew', async () => {
    const { page, errors, requests } = await open(file);
    expect(await page.title()).toBe('small — hedgekit report');
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    const figures = (await page.evaluate(`[...document.querySelectorAll('figure.chart')].map((f) => {
      const svg = f.querySelector('svg');
      const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
      const meta = [...f.querySelectorAll('[ecmeta_series_index]')];
      return {
        kind: f.dataset.chart,
        market: f.dataset.market,
        metric: f.dataset.metric ?? '',
        series: Number(f.dataset.series),
        width: box.width,
        height: box.height,
        metaSeries: new Set(meta.map((e) => e.getAttribute('ecmeta_series_index'))).size,
        cells: meta.filter((e) => e.tagName === 'path' || e.tagName === 'rect').length,
      };
    })`)) as {
      kind: string;
      market: string;
      metric: string;
      series: number;
      width: number;
      height: number;
      metaSeries: number;
      cells: number;
    }[];
    expect(figures.map((f) => [f.kind, f.market, f.metric, f.series])).toEqual(
      ['0', '1'].flatMap((m) => [
        ['sweep-frontier', m, '', 3],
        ['sweep-heatmap', m, 'probEndBelowFloor', 1],
        ['sweep-heatmap', m, 'p20Loss', 1],
        ['sweep-heatmap', m, 'excessReturn', 1],
      ]),
    );
    for (const f of figures) {
      const at = `${f.kind} ${f.market} ${f.metric}`;
      expect(f.width, at).toBeGreaterThan(300);
      expect(f.height, at).toBeGreaterThan(150);
      expect(f.metaSeries, at).toBe(f.series); // every series drew something
      // one cell per parameter point × swept strategy (cppi): 4
      if (f.kind === 'sweep-heatmap') expect(f.cells, at).toBe(4);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'sweep-report.png'), fullPage: true });
    await page.close();
  });

  it('shows the sweep JSON’s numbers in its metrics tables', async () => {
    const { page } = await open(file);
    const cells =
      (await page.evaluate(`[...document.querySelectorAll('table.sweep td[data-metric]')].map((td) => ({
      row: Number(td.closest('tr').dataset.row),
      metric: td.dataset.metric,
      value: td.dataset.value,
      text: td.textContent,
    }))`)) as { row: number; metric: string; value: string; text: string }[];
    expect(cells.length).toBe(result.rows.length * 10);
    for (const c of cells) {
      const v = result.rows[c.row].key[c.metric as keyof SweepResult['rows'][0]['key']];
      if (!Number.isFinite(v)) expect(c.text).toBe('n/a');
      else expect(Number(c.value)).toBe(v);
    }
    expect(await page.locator('table.sweep td.mark:text("◆")').count()).toBe(
      result.rows.filter((r) => r.frontier).length,
    );
    await page.close();
  });
});
