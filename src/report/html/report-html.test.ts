/**
 * The HTML report: every chart of the issue is drawn for the kind of market it belongs to, with
 * the series count the data implies; the metrics table carries the run's numbers; nothing refers to
 * the network; names are escaped; a report made from the run store equals the report made right
 * after the run; and collecting the detail leaves the run's results bit-identical.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenarioFile } from '../../scenario/run.ts';
import { RunStore } from '../../store/run-store.ts';
import { detailToSeries } from '../detail/detail-series.ts';
import { sampledSteps } from '../detail/report-collector.ts';
import { FAN_QUANTILES, MAX_POINTS, PAYOFF_SAMPLE } from '../detail/report-detail.ts';
import { buildHtmlReport } from './report-html.ts';
import {
  type DetailedRun,
  reportInputFromRun,
  reportInputFromStored,
  runWithDetail,
} from './report-source.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const SMALL = join(root, 'test/fixtures/report/small.yaml');
const AT = new Date('2026-12-03T10:00:00Z');

let run: DetailedRun;
let dir: string;
beforeAll(() => {
  run = runWithDetail(SMALL);
  dir = mkdtempSync(join(tmpdir(), 'hedgekit-report-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('buildHtmlReport', () => {
  it('draws every chart of its market kind with the expected series', () => {
    const { charts } = buildHtmlReport({ ...reportInputFromRun(run), generatedAt: AT });
    const n = run.result.markets[0].strategies.length;
    const kinds = (m: number | undefined) =>
      charts.filter((c) => c.market === m).map((c) => [c.kind, c.series]);
    expect(kinds(undefined)).toEqual([
      ['heatmap', 1],
      ['heatmap', 1],
      ['heatmap', 1],
      ['frontier', n],
    ]);
    // Monte-Carlo market: fan (6 series per strategy), distributions, exposure with Greeks (a put strategy), attribution.
    expect(kinds(0)).toEqual([
      ['fan', 6 * n],
      ['terminal', n],
      ['payoff', n], // the strategies but the benchmark, and the diagonal
      ['drawdown', n],
      ['exposure', n + 2],
      ['attribution', n],
    ]);
    // Replay: value paths on dates (+ floor), drawdown paths, exposure, attribution.
    expect(kinds(1)).toEqual([
      ['replay', n + 1],
      ['drawdown', n],
      ['exposure', n + 2],
      ['attribution', n],
    ]);
  });

  it('puts the run’s numbers in the metrics tables and refers to nothing outside the file', () => {
    const { html } = buildHtmlReport({ ...reportInputFromRun(run), generatedAt: AT });
    for (const [mi, m] of run.result.markets.entries())
      for (const [si, s] of m.strategies.entries()) {
        const row = html.match(
          new RegExp(
            `<table class="metrics" data-market="${mi}">[\\s\\S]*?<tr data-strategy="${si}">(.*?)</tr>`,
          ),
        );
        expect(row).not.toBeNull();
        const cell = row?.[1].match(/data-metric="probEndBelowFloor" data-value="([^"]*)">([^<]*)</);
        expect(Number(cell?.[1])).toBe(s.key.probEndBelowFloor);
        expect(cell?.[2]).toBe(`${(s.key.probEndBelowFloor * 100).toFixed(2)} %`);
        const p20 = row?.[1].match(/data-metric="terminalP20" data-value="([^"]*)">([^<]*)</);
        expect(Number(p20?.[1])).toBe(s.key.terminalP20);
        expect(p20?.[2]).toBe(s.key.terminalP20.toFixed(2));
      }
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\((?!#)/i); // url(#clip) is in-page
    expect(html.replace(/xmlns(:\w+)?="http:\/\/www\.w3\.org\/[^"]*"/g, '')).not.toMatch(/https?:\/\//);
    expect(html).toContain(run.text.split('\n')[0].replace(/'/g, '&#39;'));
    expect(html).toContain('<td data-field="seed">7</td>');
    expect(html).not.toMatch(/NaN|Infinity/);
  });

  it('escapes names and scenario text', () => {
    const evil = runWithDetail(SMALL, { paths: 256 });
    const renamed = {
      ...evil,
      text: '<script>alert(1)</script>',
      result: {
        ...evil.result,
        name: 'a <b> & "c"',
        markets: evil.result.markets.map((m) => ({
          ...m,
          strategies: m.strategies.map((s, i) => (i === 1 ? { ...s, name: '<img src=x>' } : s)),
        })),
      },
    };
    const { html } = buildHtmlReport({ ...reportInputFromRun(renamed), generatedAt: AT });
    expect(html).not.toContain('<img src=x>');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('<h1>a &#60;b&#62; &#38; &#34;c&#34;</h1>');
  });

  it('is the same from the run store as right after the run', () => {
    const store = RunStore.open(join(dir, 'runs.sqlite'));
    const id = store.save({
      scenarioFile: run.file,
      scenarioText: run.text,
      options: {},
      startedAt: run.startedAt,
      endedAt: run.endedAt,
      result: run.result,
      series: detailToSeries(run.detail),
    });
    const fromStore = buildHtmlReport({ ...reportInputFromStored(store.get(id)), generatedAt: AT });
    const fresh = buildHtmlReport({ ...reportInputFromRun(run, id), generatedAt: AT });
    store.close();
    expect(fromStore.html).toBe(fresh.html);
  });

  it('keeps the detail bounded and the run’s results unchanged', () => {
    expect(JSON.stringify(run.result)).toBe(JSON.stringify(runScenarioFile(SMALL)));
    const m = run.detail.markets[0];
    const k = sampledSteps(run.result.markets[0].steps).length;
    expect(m.steps.length).toBe(k);
    expect(m.strategies[0].fan.length).toBe(FAN_QUANTILES.length * k);
    expect(m.strategies[0].payoff.length).toBe(2 * Math.min(PAYOFF_SAMPLE, run.result.markets[0].paths));
    // Histograms count every path; the median band's last point is the terminal median within a bin.
    for (const [si, s] of m.strategies.entries()) {
      expect(s.terminalHist.reduce((a, b) => a + b, 0)).toBe(run.result.markets[0].paths);
      const median = run.result.markets[0].strategies[si].summary.terminalValue.percentiles.p50;
      expect(Math.abs(Math.log(s.fan[2 * k + k - 1] / median))).toBeLessThan(0.01);
    }
    // The buy-and-hold book is fully invested: exposure 1 at inception (before costs move V), no Γ or ν.
    expect(m.strategies[0].exposure[0]).toBeCloseTo(1, 3);
    expect([...m.strategies[0].gamma, ...m.strategies[0].vega].every((x) => x === 0)).toBe(true);
    // Long puts: positive Γ and ν, and a delta exposure below the unhedged book's.
    expect(m.strategies[1].gamma[0]).toBeGreaterThan(0);
    expect(m.strategies[1].vega[0]).toBeGreaterThan(0);
    expect(m.strategies[1].exposure[0]).toBeLessThan(m.strategies[0].exposure[0]);
    // CPPI holds no options: Γ = ν = 0; its exposure m·cushion/V = 4·(1 − 0.8) = 0.8 at inception.
    expect([...m.strategies[2].gamma].every((x) => x === 0)).toBe(true);
    expect(m.strategies[2].exposure[0]).toBeCloseTo(0.8, 2);
    expect(readFileSync(SMALL, 'utf8')).toBe(run.text);
  });
});

describe('sampledSteps', () => {
  it('keeps at most MAX_POINTS + 1 dates, evenly spaced, the first and last included', () => {
    expect(sampledSteps(52)).toEqual(Array.from({ length: 53 }, (_, i) => i));
    expect(sampledSteps(252).length).toBe(52); // every 5th daily step and the last
    const s = sampledSteps(650);
    expect(s.length).toBeLessThanOrEqual(MAX_POINTS + 1);
    expect(s[0]).toBe(0);
    expect(s[s.length - 1]).toBe(650);
    expect(new Set(s.slice(1, -1).map((x, i) => x - s[i])).size).toBe(1);
  });
});
