import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../config/scenario-load.ts';
import { buildScenario } from '../scenario/build.ts';
import { runScenario } from '../scenario/run.ts';
import { comparisonReport } from './comparison-table.ts';
import { headlineReport, headlineRows } from './headline-table.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

const scenario = (accrues: boolean) => `name: headline
portfolio:
  initialValue: 200
  assets:
    - { name: EQ, class: equity, weight: 1 }
floor: { level: 0.8, accrues: ${accrues} }
horizon: 0.5
stepsPerYear: 52
rate: 0.04
paths: 256
seed: 3
markets:
  - { name: gbm 20%, kind: gbm, vols: [0.2], drifts: [0.05] }
  - { kind: history, file: data/eustockmarkets.csv, from: 1998-06-01, to: 1998-08-14, columns: { EQ: DAX } }
pricingVol: { kind: constant, vol: 0.2 }
strategies:
  - { kind: buy-and-hold }
  - { kind: protective-put, strike: 0.9 }
  - { kind: cppi, multiplier: 4 }
`;

const run = (accrues: boolean) =>
  runScenario(buildScenario(parseScenario(scenario(accrues), 'h.yaml'), root));

describe('headline table', () => {
  it('reports excess return, (V_T p20 − F_T)/V0 and cost per market and strategy', () => {
    const r = run(false);
    const rows = headlineRows(r);
    expect(rows.map((x) => [x.market, x.replay])).toEqual([
      ['gbm 20%', false],
      [r.markets[1].label, true],
    ]);
    r.markets.forEach((m, i) => {
      expect(m.floorAtEnd).toBe(160);
      m.strategies.forEach((s, j) => {
        const c = rows[i].cells[j];
        expect(c.excessReturn).toBe(s.key.excessReturn);
        expect(c.p20OverFloor).toBeCloseTo((s.key.terminalP20 - 160) / 200, 14);
        expect(c.costOfProtection).toBe(s.key.costOfProtection);
      });
    });
    expect(rows[0].cells[0].excessReturn).toBe(0); // the benchmark against itself
    expect(rows[0].cells[1].costOfProtection).toBeGreaterThan(0); // the put's premium
  });

  it('measures against the accrued floor level·V0·e^{rT} when the floor accrues', () => {
    const r = run(true);
    expect(r.markets[0].floorAtEnd).toBeCloseTo(160 * Math.exp(0.04 * 0.5), 12);
    const replay = r.markets[1];
    expect(replay.floorAtEnd).toBeCloseTo(160 * Math.exp(0.04 * replay.horizon), 12);
    const c = headlineRows(r)[0].cells[2];
    expect(c.p20OverFloor).toBeCloseTo(
      (r.markets[0].strategies[2].key.terminalP20 - r.markets[0].floorAtEnd) / 200,
      14,
    );
  });

  it('prints three tables, markets × strategies, at the top of the comparison report', () => {
    const r = run(false);
    const text = headlineReport(r);
    expect(text.split('\n')[0]).toBe('Headline — excess ann. return vs the benchmark (mean over paths):');
    expect(text).toContain('buy-and-hold (bm)');
    expect(text).toContain('(replay)');
    expect(text.match(/^Headline — /gm)?.length).toBe(3);
    const p20 = headlineRows(r)[0].cells[1].p20OverFloor;
    expect(text).toContain(`${p20 > 0 ? '+' : ''}${(p20 * 100).toFixed(2)} %`);
    const report = comparisonReport(r);
    expect(report.indexOf('Headline — ')).toBeLessThan(report.indexOf('gbm 20% — gbm model'));
  });
});
