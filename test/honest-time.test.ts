/**
 * Issue 11 §4: historical time from the dates (ACT/365F), protection that covers the whole replayed
 * window (or an error, never a silent gap), flagged annualized figures on short windows, and a
 * reserve asset other than cash for CPPI / TIPP / the synthetic put.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPriceHistory, parseScenario } from '../src/api.ts';
import { runCli } from '../src/cli/program.ts';
import { HistoricalReplay } from '../src/paths/replay.ts';
import { buildScenario } from '../src/scenario/build.ts';
import { runScenario } from '../src/scenario/run.ts';

const root = new URL('../', import.meta.url).pathname;
const US = join(root, 'data/us-multiasset.csv');

function run(text: string) {
  return runScenario(buildScenario(parseScenario(text, 't.yaml'), root));
}

const dotCom = (extra = '') => `name: dot
portfolio:
  assets:
    - { name: sp500, class: equity, weight: 1 }
floor: { level: 0.8 }
horizon: 1
rate: 0.03
${extra}markets:
  - { kind: history, file: ${US}, from: 1999-01-04, to: 2002-10-09 }
strategies:
  - { kind: buy-and-hold }
  - { kind: synthetic-put, vol: 0.2 }
`;

describe('historical time comes from the dates (ACT/365F), not rows ÷ 252', () => {
  it('a replayed year of ~252 rows spans its calendar days ÷ 365', () => {
    const h = loadPriceHistory(join(root, 'data/eustockmarkets.csv'), { columns: ['DAX'] });
    const rp = new HistoricalReplay(h, { from: '1997-01-01', to: '1997-12-31' });
    const days = (Date.parse(rp.dates[rp.nSteps]) - Date.parse(rp.dates[0])) / 86_400_000;
    const g = rp.grid();
    expect(g.times[g.nSteps]).toBe(days / 365);
    // The row clock would say nSteps / 252 (more than a year for this file's 261 rows a year).
    expect(rp.nSteps / 252).toBeGreaterThan(1.02);
    expect(g.times[g.nSteps]).toBeLessThan(1);
    // Each step is its own calendar gap: a weekend is 3 days.
    const fri = rp.dates.findIndex((_d, i) => i > 0 && new Date(rp.dates[i - 1]).getUTCDay() === 5);
    expect(g.times[fri] - g.times[fri - 1]).toBeCloseTo(3 / 365, 15);
  });

  it('the scenario run reports the window in ACT/365F years', () => {
    const m = run(dotCom()).markets[0];
    const days = (Date.parse('2002-10-09') - Date.parse('1999-01-04')) / 86_400_000;
    expect(m.horizon).toBeCloseTo(days / 365, 12);
  });

  it("dayCount: 'rows' keeps the row clock for histories without real dates", () => {
    const h = loadPriceHistory(join(root, 'data/eustockmarkets.csv'), { columns: ['DAX'] });
    const rp = new HistoricalReplay(h, { from: '1997-01-01', to: '1997-12-31', dayCount: 'rows' });
    expect(rp.grid().times[rp.nSteps]).toBeCloseTo(rp.nSteps / 252, 14);
  });
});

describe('a replay longer than the horizon never leaves a silent gap in protection', () => {
  it('by default the protection follows the window: the synthetic put holds its floor to the end', () => {
    const m = run(dotCom()).markets[0];
    expect(m.protectionHorizon).toBe(m.horizon);
    const end = (name: string) => {
      const vp = m.strategies.find((s) => s.kind === name)?.valuePath ?? [];
      return vp[vp.length - 1];
    };
    // Buy-and-hold loses 37 %; the put replicated over the whole 3.8-year window ends near its
    // 80 floor (discrete hedging error only). With the one-year horizon it ended at 62.6.
    expect(end('buy-and-hold')).toBeLessThan(64);
    expect(end('synthetic-put')).toBeGreaterThan(0.97 * 80);
  });

  it('replayHorizon: scenario with a longer window is an error naming the unprotected years', () => {
    expect(() => run(dotCom('replayHorizon: scenario\n'))).toThrow(
      /markets\[0\] \(history us-multiasset\.csv 1999-01-04…2002-10-09\): the replayed window lasts 3\.764 y \(ACT\/365F\), longer than the horizon \(1 y\): protection would end after 1 y and leave 2\.764 y unprotected/,
    );
  });

  it('the report states the protection horizon of each replay', async () => {
    const out: string[] = [];
    const code = await runCli(['run', join(root, 'examples/history-dax-crises.yaml')], {
      stdout: (l) => out.push(l),
      stderr: () => {},
    });
    expect(code).toBe(0);
    expect(out.join('\n')).toContain(
      'Asian crisis 1997 H2 — historical replay, 1 path × 131 steps, 1997-07-01 … 1997-12-31; 0.50 y (ACT/365F), protection over the whole window',
    );
  });
});

describe('annualized figures of short windows are flagged', () => {
  it('a 1998 August replay (0.12 y) carries † and the return over the window itself', async () => {
    const out: string[] = [];
    await runCli(['run', join(root, 'examples/history-dax-crises.yaml')], {
      stdout: (l) => out.push(l),
      stderr: () => {},
    });
    const text = out.join('\n');
    expect(text).toMatch(/│ hist-1998-august \(replay\) † +│/);
    expect(text).toMatch(
      /† window 0\.12\d y < 0\.25 y: annualized figures extrapolate a short window to a year; buy-and-hold's return over the window itself is -\d+\.\d\d %/,
    );
    expect(text).not.toMatch(/│ Russia 1998 \(replay\) †/);
  });
});

describe('the reserve of CPPI / TIPP / synthetic put can be any market asset', () => {
  const book = (reserve: string) => `name: r
portfolio:
  assets:
    - { name: EQ, class: equity, weight: 0.6 }
    - { name: BD, class: bond, weight: 0.4 }
floor: { level: 0.8 }
paths: 16
ledgerPaths: [0]
markets:
  - { kind: gbm, vols: [0.2, 0.05] }
strategies:
  - { kind: buy-and-hold }
  - { kind: cppi, multiplier: 3, weights: [1, 0]${reserve} }
  - { kind: tipp, multiplier: 3, ratchet: 0.9, weights: [1, 0]${reserve} }
  - { kind: synthetic-put, weights: [1, 0]${reserve} }
`;
  const bondTrades = (reserve: string) =>
    run(book(reserve))
      .markets[0].strategies.slice(1)
      .map((s) => s.ledger.filter((t) => t.kind === 'asset' && t.instrument === 'BD').length);

  it('reserve: BD puts the value outside the sleeve into the bond index, not cash', () => {
    expect(bondTrades('')).toEqual([0, 0, 0]);
    for (const n of bondTrades(', reserve: BD')) expect(n).toBeGreaterThan(0);
  });

  it('a reserve that is not an asset is an error listing the assets', () => {
    expect(() => parseScenario(book(', reserve: bonds'), 't.yaml')).toThrow(
      /strategies\[1\]\.reserve: must name an asset \(EQ, BD\) \(got "bonds"\)/,
    );
  });
});
