/**
 * The flagship scenario examples/article-case.yaml (what `npm start` runs) validates and runs, with
 * few paths: the markets the article names, real three-asset history windows, the six strategies,
 * and the headline at the top of the report.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { comparisonReport } from '../src/report/comparison-table.ts';
import { headlineRows } from '../src/report/headline-table.ts';
import { runScenarioFile } from '../src/scenario/run.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const FILE = `${root}examples/article-case.yaml`;

describe('examples/article-case.yaml', () => {
  const r = runScenarioFile(FILE, { paths: 32 });

  it('is what npm start runs', () => {
    const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { scripts: { start: string } };
    expect(pkg.scripts.start).toBe(
      'node bin/hedgekit.js run examples/article-case.yaml --report .hedgekit/reports/article-case.html',
    );
  });

  it('runs a 60/30/10 book with a 70 % floor, six strategies, buy-and-hold as the benchmark', () => {
    expect(r.assets.map((a) => [a.name, a.weight])).toEqual([
      ['equity', 0.6],
      ['bond', 0.3],
      ['commodity', 0.1],
    ]);
    expect(r.floor).toEqual({ level: 0.7, accrues: false });
    expect(r.benchmark).toBe('buy-and-hold');
    expect(r.markets[0].strategies.map((s) => s.name)).toEqual([
      'buy-and-hold',
      'protective put 80%',
      'put 80% ratcheted',
      'cppi m=3',
      'delta-hedged floor',
      'dynamic overlay',
    ]);
  });

  it('has the article’s rally tightening and event-driven scaling: the ratchet trades, the event hedge buys before the announcement', () => {
    const crash = r.markets[1];
    const ratchet = crash.strategies.find((s) => s.name === 'put 80% ratcheted')!;
    const event = crash.strategies.find((s) => s.name === 'dynamic overlay')!;
    const rd = ratchet.report?.details as { ratchets: { mean: number }; ratchetedFraction: number };
    expect(rd.ratchetedFraction).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(rd.ratchets.mean)).toBe(true);
    const ed = event.report?.details as {
      events: { name: string; premium: { mean: number }; vega: { mean: number } }[];
    };
    expect(ed.events.map((e) => e.name)).toEqual(['announcement']);
    expect(ed.events[0].premium.mean).toBeGreaterThan(0); // puts bought before the announcement
    expect(ed.events[0].vega.mean).toBeCloseTo(0.001 * 100, 9); // the vega budget: 0.1 % of V0 per vol point
  });

  it('covers the regime presets and real S&P 500 / AAA bond / WTI windows, every leg mapped', () => {
    expect(r.markets.map((m) => m.preset ?? m.label)).toEqual([
      'calm-bull',
      'crash',
      'v-rebound',
      'whipsaw',
      'vol-spike',
      'dot-com bust 2000-02',
      'crisis 2007-09',
      'rally 2009-10',
      'bootstrap 1999-2018',
    ]);
    const byLabel = new Map(r.markets.map((m) => [m.label, m]));
    const dotcom = byLabel.get('dot-com bust 2000-02')!;
    expect([dotcom.dates![0], dotcom.dates!.at(-1), dotcom.replay]).toEqual([
      '2000-03-24',
      '2002-10-09',
      true,
    ]);
    const gfc = byLabel.get('crisis 2007-09')!;
    expect([gfc.dates![0], gfc.dates!.at(-1)]).toEqual(['2007-10-09', '2009-03-09']);
    for (const m of r.markets.slice(5)) expect(m.columns).toEqual(['sp500', 'aaa_bond', 'wti']);
    expect(byLabel.get('bootstrap 1999-2018')!.paths).toBe(32);
  });

  it('leads the report with the headline: finite excess return, p20 − floor and cost everywhere', () => {
    for (const row of headlineRows(r))
      for (const c of row.cells) {
        expect(Number.isFinite(c.excessReturn)).toBe(true);
        expect(Number.isFinite(c.p20OverFloor)).toBe(true);
        expect(Number.isFinite(c.costOfProtection)).toBe(true);
      }
    const text = comparisonReport(r);
    expect(text.indexOf('Headline — excess')).toBeLessThan(text.indexOf('calm (calm-bull) — regime preset'));
  });
});
