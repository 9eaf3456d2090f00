/**
 * runScenario: determinism, and a golden back-test (Lean's regression idea): a small scenario's key
 * metrics and trade-list hashes are compared with values committed in
 * test/fixtures/golden/scenario-small.json.
 *
 * Updating the golden values DELIBERATELY (only after a change that is meant to move results, e.g.
 * a new cost convention — say so in the commit message):
 *   UPDATE_GOLDEN=1 npx vitest run src/scenario/run.test.ts
 * then review `git diff test/fixtures/golden/scenario-small.json` line by line.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../config/scenario-load.ts';
import { buildScenario } from './build.ts';
import { runScenario, withOverrides } from './run.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const GOLDEN = `${root}test/fixtures/golden/scenario-small.json`;

/** Two assets, weekly steps, every strategy family, a GBM market and a short real-history replay. */
const SMALL = `name: golden-small
portfolio:
  initialValue: 100
  assets:
    - { name: EQ, class: equity, spot: 100, weight: 0.7, carry: 0.01 }
    - { name: BD, class: bond, spot: 100, weight: 0.3, carry: 0.03 }
floor: { level: 0.8, accrues: false }
horizon: 1
stepsPerYear: 52
rate: 0.02
paths: 512
seed: 20261125
markets:
  - kind: gbm
    vols: [0.2, 0.05]
    correlation: [[1, -0.2], [-0.2, 1]]
    drifts: [0.06, 0.03]
  - { kind: history, file: data/eustockmarkets.csv, from: 1998-06-01, to: 1998-08-14, columns: { EQ: DAX } }
costs:
  bps: { equity: 5, bond: 2 }
  optionSpreadFraction: 0.02
pricingVol: { kind: constant, vol: [0.2, 0.05] }
strategies:
  - { kind: buy-and-hold }
  - { kind: protective-put, strike: 0.9 }
  - { kind: collar, putStrike: 0.9, callStrike: 1.1 }
  - { kind: cppi, multiplier: 4 }
  - { kind: tipp, multiplier: 4, ratchet: 0.85 }
  - { kind: synthetic-put, vol: 0.15 }
ledgerPaths: [0, 300]
`;

function run(overrides: { seed?: number; paths?: number } = {}) {
  const s = withOverrides(parseScenario(SMALL, 'small.yaml'), overrides);
  return runScenario(buildScenario(s, root));
}

describe('runScenario', () => {
  it('gives identical results for the same seed, and different ones for another seed', () => {
    const a = run();
    const b = run();
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const c = run({ seed: 2 });
    expect(c.markets[0].strategies[0].key.annualizedReturn).not.toBe(
      a.markets[0].strategies[0].key.annualizedReturn,
    );
    // the replay has no randomness
    expect(c.markets[1].strategies.map((s) => s.valuePath)).toEqual(
      a.markets[1].strategies.map((s) => s.valuePath),
    );
  });

  it('does not depend on how the paths are chunked', () => {
    const s = parseScenario(SMALL, 'small.yaml');
    const a = runScenario(buildScenario(s, root), { chunkPaths: 256 });
    const b = runScenario(buildScenario(s, root), { chunkPaths: 4096 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('replays history on one path and returns each strategy’s dated value path', () => {
    const r = run();
    const m = r.markets[1];
    expect(m.replay).toBe(true);
    expect(m.paths).toBe(1);
    expect(m.dates![0]).toBe('1998-06-01');
    expect(m.dates![m.dates!.length - 1]).toBe('1998-08-14');
    expect(m.columns).toEqual(['DAX', null]);
    for (const s of m.strategies) {
      expect(s.valuePath).toHaveLength(m.steps + 1);
      expect(s.valuePath![0]).toBeCloseTo(100, 0);
    }
    expect(r.markets[0].strategies[0].valuePath).toBeUndefined();
  });

  it('keeps the ledgers of the chosen paths and reports progress up to the total work', () => {
    const s = parseScenario(SMALL, 'small.yaml');
    const seen: [number, number][] = [];
    const r = runScenario(buildScenario(s, root), { onProgress: (d, t) => seen.push([d, t]) });
    const total = (512 * 52 + 1 * r.markets[1].steps) * 6;
    expect(seen[seen.length - 1]).toEqual([total, total]);
    const paths = new Set(r.markets[0].strategies[3].ledger.map((t) => t.path));
    expect([...paths].sort((x, y) => x - y)).toEqual([0, 300]);
  });

  it('--paths overrides every Monte-Carlo market and leaves replays at one path', () => {
    const r = run({ paths: 256 });
    expect(r.markets.map((m) => m.paths)).toEqual([256, 1]);
  });

  it('matches the committed golden metrics and trade-list hashes', () => {
    const r = run();
    const actual = r.markets.map((m) => ({
      market: m.label,
      strategies: m.strategies.map((s) => ({ name: s.name, key: s.key, tradeListHash: s.tradeListHash })),
    }));
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, `${JSON.stringify(actual, null, 2)}\n`);
    const expected = JSON.parse(readFileSync(GOLDEN, 'utf8')) as typeof actual;
    expect(actual.map((m) => m.market)).toEqual(expected.map((m) => m.market));
    actual.forEach((m, i) => {
      m.strategies.forEach((s, j) => {
        const e = expected[i].strategies[j];
        const where = `${m.market} / ${s.name}`;
        expect(s.name, where).toBe(e.name);
        expect(s.tradeListHash, `${where} trade list`).toBe(e.tradeListHash);
        for (const [k, v] of Object.entries(s.key)) {
          const want = e.key[k as keyof typeof s.key];
          // JSON writes NaN as null
          if (want === null) expect(v, `${where} ${k}`).toBeNaN();
          else
            expect(Math.abs(v - want), `${where} ${k}: ${v} vs golden ${want}`).toBeLessThanOrEqual(
              1e-10 * Math.max(1, Math.abs(want)),
            );
        }
      });
    });
  });
});

describe('rebalancing policies combine field by field', () => {
  // The bug a new user found: `tolerance` on a CPPI entry silently replaced the entry's own
  // `rebalance: {calendar: monthly}`, so it traded on 249 days instead of at most 13.
  const yaml = (rebalance: string) => `name: policy
portfolio:
  assets:
    - { name: EQ, class: equity, weight: 1 }
floor: { level: 0.8 }
markets:
  - { kind: history, file: data/eustockmarkets.csv, from: 1997-01-02, to: 1997-12-31, columns: { EQ: DAX } }
strategies:
  - { kind: buy-and-hold }
  - { kind: cppi, multiplier: 4, tolerance: 0.001${rebalance} }
ledgerPaths: [0]
`;
  const tradingDays = (text: string) => {
    const r = runScenario(buildScenario(parseScenario(text, 'p.yaml'), root));
    const m = r.markets[0];
    const days = new Set(m.strategies[1].ledger.filter((t) => t.kind === 'asset').map((t) => t.step));
    return { days: days.size, steps: [...days] };
  };

  it('a CPPI tolerance band keeps the entry’s monthly calendar (at most 13 trading days a year)', () => {
    const monthly = tradingDays(yaml(', rebalance: { calendar: monthly }'));
    expect(monthly.days).toBeGreaterThan(1);
    expect(monthly.days).toBeLessThanOrEqual(13);
    for (const step of monthly.steps) expect(step % 21, `step ${step}`).toBe(0); // 252 / 12
    // the band alone trades on other days too: the calendar is what limits it
    const bandOnly = tradingDays(yaml(''));
    expect(bandOnly.days).toBeGreaterThan(monthly.days);
    expect(bandOnly.steps.some((step) => step % 21 !== 0)).toBe(true);
  });
});

describe('weights accepted by the file are accepted by the engine', () => {
  it('weights summing to 1 within the file tolerance (1e-6) but not 1e-9 run', () => {
    const text = `name: w
portfolio:
  assets:
    - { name: A, class: equity, weight: 0.5000004 }
    - { name: B, class: bond, weight: 0.4999999 }
floor: { level: 0.8 }
paths: 256
markets:
  - { kind: gbm, vols: [0.2, 0.05] }
strategies:
  - { kind: buy-and-hold }
  - { kind: cppi, multiplier: 3, weights: [0.7000003, 0.2999998] }
`;
    const r = runScenario(buildScenario(parseScenario(text, 'w.yaml'), root));
    expect(r.markets[0].strategies.map((s) => s.name)).toEqual(['buy-and-hold', 'cppi m=3']);
    expect(Number.isFinite(r.markets[0].strategies[1].key.terminalP20)).toBe(true);
  });
});
