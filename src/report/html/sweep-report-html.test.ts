/**
 * The sweep report: each heat map has one cell per parameter point × strategy (the benchmark
 * excluded) with the sweep JSON's value, never NaN; a third parameter repeats the panels per value
 * or is held at one; the frontier scatter marks exactly the rows the sweep marked; the metrics
 * tables, texts and provenance are in the page, which has no NaN, no Infinity and no script.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SWEEP, writeSweep } from '../../../test/support/sweep-fixture.ts';
import { DomainError } from '../../core/errors.ts';
import type { SweepResult } from '../../sweep/merge.ts';
import { runSweep } from '../../sweep/run-sweep.ts';
import { loadSweep, type SweepPlan } from '../../sweep/sweep-file.ts';
import {
  heatmapLayout,
  heatmapPanels,
  SWEEP_HEATMAPS,
  sweepFrontierChart,
  sweepHeatmapChart,
} from './charts-sweep.ts';
import { REPORT_CSP } from './page-shell.ts';
import { buildSweepReport } from './sweep-report-html.ts';
import { sweepReportInputFromRun } from './sweep-report-source.ts';

const THREE = `name: three
scenario: base.yaml
strategies: [cppi]
paths: 512
grid:
  strategies[cppi].multiplier: [2, 5]
  floor.level: [0.75, 0.9]
  strategies[cppi].tolerance: [0.01, 0.05]
shardPaths: 512
`;

let plan: SweepPlan;
let result: SweepResult;
let plan3: SweepPlan;
let result3: SweepResult;

beforeAll(async () => {
  const a = writeSweep(SWEEP);
  plan = loadSweep(a.file);
  result = (await runSweep(plan, { cacheDir: a.cache, threads: 1 })).result;
  const b = writeSweep(THREE);
  plan3 = loadSweep(b.file);
  result3 = (await runSweep(plan3, { cacheDir: b.cache, threads: 1 })).result;
}, 120_000);

type Cell = [number, number, number | '-'];
const seriesOf = (spec: ReturnType<typeof sweepHeatmapChart>) =>
  spec.option.series as { name: string; data: Cell[] }[];

describe('sweep heat maps', () => {
  it('have one cell per point × strategy with the value of the sweep JSON, never NaN', () => {
    const layout = heatmapLayout(result);
    expect([layout.x, layout.y]).toEqual(['strategies[cppi].multiplier', 'floor.level']);
    expect([layout.xValues, layout.yValues]).toEqual([
      ['2', '5'],
      ['0.75', '0.9'],
    ]);
    const iv = plan.points.map((p) => p.scenario.portfolio.initialValue);
    for (const market of ['calm', 'crash'])
      for (const h of SWEEP_HEATMAPS) {
        const series = seriesOf(sweepHeatmapChart(result, h, layout, market, iv));
        expect(series.map((s) => s.name)).toEqual(['cppi']);
        const cells = series.flatMap((s) => s.data);
        // grid size (2 × 2 points) × one swept strategy
        expect(cells.length).toBe(plan.points.length * 1);
        const seen = new Set<string>();
        for (const [x, y, v] of cells) {
          seen.add(`${x},${y}`);
          const row = result.rows.find(
            (r) =>
              r.market === market &&
              r.strategy === 'cppi' &&
              r.values['strategies[cppi].multiplier'] === [2, 5][x] &&
              r.values['floor.level'] === [0.75, 0.9][y],
          );
          expect(row).toBeDefined();
          if (!row) continue;
          const want =
            h.id === 'probEndBelowFloor'
              ? row.key.probEndBelowFloor
              : h.id === 'excessReturn'
                ? row.key.excessReturn
                : 1 - row.key.terminalP20 / 100;
          expect(Number.isFinite(want)).toBe(true);
          expect(v).toBe(want);
          expect(Number.isNaN(v)).toBe(false);
        }
        expect(seen.size).toBe(4); // every cell of the grid, once
      }
  });

  it('repeat the panels per value of a third parameter, or hold it at one value', () => {
    const iv = plan3.points.map(() => 100);
    const layout = heatmapLayout(result3);
    const panels = heatmapPanels(result3, layout, 'crash');
    expect(panels.map((p) => p.rest)).toEqual([
      'strategies[cppi].tolerance=0.01',
      'strategies[cppi].tolerance=0.05',
    ]);
    const all = seriesOf(sweepHeatmapChart(result3, SWEEP_HEATMAPS[0], layout, 'crash', iv));
    expect(all.flatMap((s) => s.data).length).toBe(8);
    const held = heatmapLayout(result3, {
      x: 'floor.level',
      y: 'strategies[cppi].tolerance',
      fixed: { 'strategies[cppi].multiplier': 5 },
    });
    const spec = sweepHeatmapChart(result3, SWEEP_HEATMAPS[2], held, 'crash', iv);
    const one = seriesOf(spec);
    expect(one.length).toBe(1);
    expect(one[0].data.length).toBe(4);
    expect(spec.caption).toContain('held: strategies[cppi].multiplier=5');
    for (const [x, y, v] of one[0].data) {
      const row = result3.rows.find(
        (r) =>
          r.market === 'crash' &&
          r.strategy === 'cppi' &&
          r.values['strategies[cppi].multiplier'] === 5 &&
          r.values['floor.level'] === [0.75, 0.9][x] &&
          r.values['strategies[cppi].tolerance'] === [0.01, 0.05][y],
      );
      expect(v).toBe(row?.key.excessReturn);
    }
  });

  it('refuse axes that are not swept parameters and held values the sweep never took', () => {
    expect(() => heatmapLayout(result, { x: 'rate' })).toThrow(DomainError);
    expect(() => heatmapLayout(result, { x: 'rate' })).toThrow(
      'x ("rate") must be a swept parameter (strategies[cppi].multiplier, floor.level)',
    );
    expect(() => heatmapLayout(result, { x: 'floor.level', y: 'floor.level' })).toThrow(
      /y \("floor\.level"\) must differ from x/,
    );
    expect(() => heatmapLayout(result3, { fixed: { 'strategies[cppi].tolerance': 0.02 } })).toThrow(
      /fixed\.strategies\[cppi\]\.tolerance \(0\.02\) must be one of the swept values \(0\.01, 0\.05\)/,
    );
  });
});

describe('sweep frontier chart', () => {
  it('marks exactly the rows the sweep put on the frontier, and plots every row', () => {
    for (const market of ['calm', 'crash']) {
      const series = sweepFrontierChart(result, market).option.series as {
        name: string;
        data: { value: number[] }[];
      }[];
      expect(series.map((s) => s.name)).toEqual(['buy-and-hold', 'cppi', 'efficient frontier']);
      const rows = result.rows.filter((r) => r.market === market);
      const front = rows.filter((r) => r.frontier);
      expect(front.length).toBeGreaterThan(0);
      const frontier = series[2].data.map((d) => d.value);
      expect(frontier).toEqual(
        front.map((r) => [r.key.probEndBelowFloor, r.key.excessReturn]).sort((a, b) => a[0] - b[0]),
      );
      expect(series[0].data.length + series[1].data.length).toBe(rows.length);
    }
  });
});

describe('buildSweepReport', () => {
  it('writes one page: charts per market, the metrics tables, texts, provenance; no NaN, no script', () => {
    const input = sweepReportInputFromRun(plan, result, { runId: 4, mode: 'local' });
    const { html, charts } = buildSweepReport({ ...input, generatedAt: new Date('2026-12-03T11:00:00Z') });
    expect(charts.map((c) => [c.kind, c.market, c.series])).toEqual(
      [0, 1].flatMap((m) => [
        ['sweep-frontier', m, 3],
        ['sweep-heatmap', m, 1],
        ['sweep-heatmap', m, 1],
        ['sweep-heatmap', m, 1],
      ]),
    );
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`);
    expect(html).not.toMatch(/NaN|Infinity|<script|https?:\/\/(?!www\.w3\.org)/);
    // the metrics table: every row of the JSON with its key metrics as data attributes
    const cells = [...html.matchAll(/<tr data-row="(\d+)"[^>]*>(.*?)<\/tr>/g)];
    expect(cells.length).toBe(result.rows.length);
    for (const [, i, tr] of cells) {
      const row = result.rows[Number(i)];
      for (const [, metric, value] of tr.matchAll(/data-metric="(\w+)" data-value="([^"]*)"/g)) {
        const v = row.key[metric as keyof typeof row.key];
        expect(value).toBe(Number.isFinite(v) ? String(v) : '');
      }
    }
    expect((html.match(/<td class="mark">◆<\/td>/g) ?? []).length).toBe(
      result.rows.filter((r) => r.frontier).length,
    );
    expect(html).toContain('<td data-field="stored run">4</td>');
    expect(html).toContain(`<td data-field="seed">${plan.points[0].scenario.seed}</td>`);
    expect(html).toContain(readFileSync(plan.file, 'utf8').replace('[cppi]', '[cppi]'));
    expect(html).toContain('name: sweep-base');
    expect(html).toContain('<section id="glossary">');
  });
});
