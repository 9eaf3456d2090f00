import { describe, expect, it } from 'vitest';
import { buildScenario } from '../scenario/build.ts';
import { runScenario } from '../scenario/run.ts';
import { parseScenario, ScenarioError } from './scenario-load.ts';

const BASE = `name: events
portfolio:
  assets:
    - { name: EQ, class: equity, weight: 1 }
floor: { level: 0.8 }
horizon: 0.25
markets:
  - { kind: gbm, vols: [0.2] }
paths: 512
strategies:
  - { kind: buy-and-hold }
  - { kind: event-hedge }
`;

function errorOf(text: string): string {
  try {
    parseScenario(text, 'ev.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as Error).message;
  }
  throw new Error('expected a ScenarioError');
}

describe('scenario events', () => {
  it('parses years and dates (ACT/365.25 from inception) with the documented defaults', () => {
    const s = parseScenario(
      `${BASE}inception: 2025-01-02
events:
  - { name: CPI, at: 2025-02-12, jump: { mean: -0.05, std: 0.02 }, volBump: 0.1 }
  - { name: FOMC, at: 0.2 }
`,
      'ev.yaml',
    );
    const built = buildScenario(s, '.');
    expect(built.events.map((e) => [e.name, e.t])).toEqual([
      ['CPI', 41 / 365.25],
      ['FOMC', 0.2],
    ]);
    expect(s.events?.[1]).toEqual({
      name: 'FOMC',
      at: 0.2,
      jump: { mean: 0, std: 0 },
      volBump: 0,
      volHalfLife: 5 / 252,
    });
  });

  it('bad event entries give file:line errors', () => {
    const bad = `${BASE}events:
  - { name: CPI, at: 2025-02-12 }
  - { name: CPI, at: 0.5, jump: { mean: -0.05, std: -0.02 } }
  - { name: X, at: 0.1, assets: [BD], volBump: -1 }
`;
    // every issue in one message, each with its line: types first, then the cross-field rules
    expect(errorOf(bad).split(/; (?=ev\.yaml:)/)).toEqual([
      'ev.yaml:15: events[1].jump.std: must be >= 0 (got -0.02)',
      'ev.yaml:16: events[2].volBump: must be >= 0 (got -1)',
      'ev.yaml:14: events[0].at: a date needs the scenario’s `inception` date (or give years) (got "2025-02-12")',
      'ev.yaml:15: events[1].name: must be unique (got "CPI")',
      'ev.yaml:15: events[1].at: must be within the horizon (0.25 y; got 0.5 y) (got 0.5)',
      'ev.yaml:16: events[2].assets[0]: must name an asset (EQ) (got "BD")',
    ]);
    expect(errorOf(`${BASE}inception: 2025-03-01\nevents:\n  - { name: E, at: 2025-02-12 }\n`)).toBe(
      'ev.yaml:15: events[0].at: must be after inception (2025-03-01) (got "2025-02-12")',
    );
  });

  it('runs end to end: the event moves the Monte-Carlo market and the report carries per-event figures', () => {
    const s = parseScenario(
      `${BASE}events:
  - { name: CPI, at: 0.1, jump: { mean: -0.08, std: 0.02 } }
`,
      'ev.yaml',
    );
    const res = runScenario(buildScenario(s, '.'));
    const [bh, eh] = res.markets[0].strategies;
    expect(bh.report).toBeUndefined();
    const json = JSON.parse(JSON.stringify(eh));
    const [ev] = json.report.details.events;
    expect(ev.name).toBe('CPI');
    expect(ev.pnl.n).toBe(512);
    expect(ev.pnl.mean).toBeGreaterThan(3 * ev.pnl.se); // the puts paid off on the −8 % event
    expect(ev.vega.mean).toBeCloseTo(0.05, 10);
    expect(ev.premium.mean).toBeGreaterThan(0);
  });
});
