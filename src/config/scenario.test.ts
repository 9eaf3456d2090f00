import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listRegimes } from '../market/regimes.ts';
import { loadScenario, parseScenario, ScenarioError } from './scenario-load.ts';
import { scenarioTemplate } from './scenario-template.ts';

const root = new URL('../../', import.meta.url).pathname;

/** A small valid scenario; `patch` edits its text to make one mistake. */
const GOOD = `name: t
portfolio:
  assets:
    - { name: eq, class: equity, weight: 0.6 }
    - { name: bd, class: bond, weight: 0.4 }
floor: { level: 0.8 }
markets:
  - { kind: regime, preset: crash }
  - kind: gbm
    vols: [0.2, 0.05]
    correlation:
      - [1, 0.3]
      - [0.3, 1]
strategies:
  - { kind: buy-and-hold }
  - { kind: cppi, multiplier: 4 }
  - { kind: tipp, multiplier: 3, ratchet: 0.9 }
`;

function errorOf(text: string, file = 'bad.yaml'): string {
  try {
    parseScenario(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as Error).message;
  }
  throw new Error('expected a ScenarioError');
}

describe('scenario schema accepts the shipped files', () => {
  const files = [
    'scenarios/default.yaml',
    ...readdirSync(join(root, 'examples'))
      // book files (`hedgekit greeks`) are validated by book-file.test.ts, live configs
      // (`hedgekit live`, live-*.yaml but their *-scenario.yaml) by src/live/config.test.ts
      .filter((f) => f.endsWith('.yaml') && f !== 'book.yaml')
      .filter((f) => !f.startsWith('live-') || f.endsWith('-scenario.yaml'))
      .map((f) => `examples/${f}`),
  ];
  it.each(files)('%s validates', (f) => {
    const s = loadScenario(join(root, f)).scenario;
    expect(s.strategies.length).toBeGreaterThan(0);
  });

  it('the default scenario is the issue’s book: 60/30/10, 70 % floor, one year, six strategies', () => {
    const s = loadScenario(join(root, 'scenarios/default.yaml')).scenario;
    expect(s.portfolio.assets.map((a) => [a.class, a.weight])).toEqual([
      ['equity', 0.6],
      ['bond', 0.3],
      ['commodity', 0.1],
    ]);
    expect(s.floor.level).toBe(0.7);
    expect(s.horizon).toBe(1);
    expect(s.strategies.map((x) => x.kind)).toEqual([
      'buy-and-hold',
      'protective-put',
      'collar',
      'cppi',
      'tipp',
      'synthetic-put',
    ]);
    expect(s.markets.some((m) => m.kind === 'history')).toBe(true);
  });

  it('the `hedgekit init` template validates and fills the schema defaults', () => {
    const s = parseScenario(scenarioTemplate(), 'template.yaml');
    expect(s.strategies).toHaveLength(6);
    expect(s.borrowSpread).toBe(0);
    expect(s.costs.contractMultiplier).toBe(1);
  });

  it('JSON works like YAML, and omitted fields take the schema defaults', () => {
    const s = parseScenario(
      JSON.stringify({
        name: 'j',
        portfolio: { assets: [{ name: 'a', class: 'equity', weight: 1 }] },
        floor: { level: 0.9 },
        markets: [{ kind: 'regime', preset: 'calm-bull' }],
        strategies: [{ kind: 'buy-and-hold' }],
      }),
      'j.json',
    );
    expect(s.horizon).toBe(1);
    expect(s.stepsPerYear).toBe(252);
    expect(s.paths).toBe(2000);
    expect(s.portfolio.initialValue).toBe(100);
    expect(s.portfolio.assets[0].spot).toBe(100);
    expect(s.floor.accrues).toBe(false);
    expect(s.pricingVol).toEqual({ kind: 'model' });
    expect(s.costs.bps).toEqual({ equity: 5, bond: 2, commodity: 10, fx: 1 });
  });
});

describe('bad scenario files get their documented error, with file:line and the path', () => {
  it('wrong type', () => {
    expect(errorOf(GOOD.replace('weight: 0.6', 'weight: "0.6"'))).toBe(
      'bad.yaml:4: portfolio.assets[0].weight: must be a number (got "0.6")',
    );
  });

  it('negative multiplier', () => {
    expect(errorOf(GOOD.replace('multiplier: 4', 'multiplier: -1'))).toBe(
      'bad.yaml:16: strategies[1].multiplier: must be > 0 (got -1)',
    );
  });

  it('unknown strategy kind lists the valid kinds', () => {
    expect(errorOf(GOOD.replace('kind: cppi', 'kind: cpi'))).toBe(
      'bad.yaml:16: strategies[1].kind: must be one of: buy-and-hold, constant-mix, protective-put, put-spread, collar, barrier-put, cppi, tipp, synthetic-put, delta-hedge, book-delta-hedge, greek-hedge, gamma-scalp, event-hedge (got "cpi")',
    );
  });

  it('unknown regime name lists the valid presets', () => {
    const names = listRegimes()
      .map((r) => r.name)
      .join(', ');
    expect(errorOf(GOOD.replace('preset: crash', 'preset: boom'))).toBe(
      `bad.yaml:8: markets[0].preset: must be one of: ${names} (got "boom")`,
    );
  });

  it('unknown key (a typo) is an error naming the key and the allowed ones', () => {
    expect(errorOf(GOOD.replace('ratchet: 0.9', 'ratchet: 0.9, multiplyer: 2'))).toBe(
      'bad.yaml:17: strategies[2].multiplyer: unknown key (allowed here: kind, floor, multiplier, maxExposure, floorAccrues, tolerance, reserve, ratchet, name, weights, rebalance, overlays)',
    );
    expect(errorOf(`${GOOD}horizn: 2\n`)).toMatch(
      /^bad\.yaml:18: horizn: unknown key \(allowed here: \$schema, name, .*horizon/,
    );
  });

  it('correlation not positive semi-definite names the market entry', () => {
    const bad = GOOD.replace('vols: [0.2, 0.05]', 'vols: [0.2, 0.05, 0.1]')
      .replace(
        '- { name: bd, class: bond, weight: 0.4 }',
        '- { name: bd, class: bond, weight: 0.2 }\n    - { name: cm, class: commodity, weight: 0.2 }',
      )
      .replace(
        '      - [1, 0.3]\n      - [0.3, 1]',
        '      - [1, 0.9, 0.9]\n      - [0.9, 1, -0.9]\n      - [0.9, -0.9, 1]',
      );
    expect(errorOf(bad)).toBe(
      'bad.yaml:13: markets[1].correlation: is not positive semi-definite (pivot 2, remainder -15.2)',
    );
  });

  it('an asymmetric correlation entry is named down to the element', () => {
    expect(errorOf(GOOD.replace('- [0.3, 1]', '- [0.2, 1]'))).toBe(
      'bad.yaml:13: markets[1].correlation[1][0]: must equal correlation[0][1] (0.3) (got 0.2)',
    );
  });

  it('per-asset parameter lists must have one entry per asset', () => {
    expect(errorOf(GOOD.replace('vols: [0.2, 0.05]', 'vols: [0.2]'))).toBe(
      'bad.yaml:10: markets[1].vols: must have 2 entries, one per asset (got 1)',
    );
  });

  it('weights not summing to 1', () => {
    expect(errorOf(GOOD.replace('weight: 0.4', 'weight: 0.3'))).toBe(
      'bad.yaml:4: portfolio.assets: weights must sum to 1 (got 0.9)',
    );
  });

  it('a missing field says it is required', () => {
    expect(errorOf(GOOD.replace('floor: { level: 0.8 }\n', ''))).toBe('bad.yaml:1: floor: is required');
  });

  it('invalid YAML names its line', () => {
    expect(errorOf('name: x\nportfolio: [\n')).toMatch(/^bad\.yaml:\d+: invalid YAML\/JSON: /);
  });

  it('a missing history CSV names the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hedgekit-scn-'));
    const f = join(dir, 's.yaml');
    writeFileSync(
      f,
      GOOD.replace('markets:\n', 'markets:\n  - { kind: history, file: nowhere/prices.csv }\n'),
    );
    expect(() => loadScenario(f)).toThrow(
      /s\.yaml:8: markets\[0\]\.file: cannot read "nowhere\/prices\.csv" \(ENOENT; resolved to .*nowhere\/prices\.csv\)/,
    );
  });

  it('every issue of a file is reported on one line', () => {
    const msg = errorOf(
      GOOD.replace('multiplier: 4', 'multiplier: -1')
        .replace('weight: "0.6"', 'x')
        .replace('ratchet: 0.9', 'ratchet: 2'),
    );
    expect(msg.split('\n')).toHaveLength(1);
    expect(msg).toContain('strategies[1].multiplier: must be > 0 (got -1)');
    expect(msg).toContain('strategies[2].ratchet: must be <= 1 (got 2)');
  });
});

describe('strategy parameters are validated once, in the file, with file:line (cross-field rules too)', () => {
  const withStrategy = (entry: string, floor = '0.8') =>
    GOOD.replace('floor: { level: 0.8 }', `floor: { level: ${floor} }`).replace(
      '  - { kind: tipp, multiplier: 3, ratchet: 0.9 }\n',
      `  - ${entry}\n`,
    );

  it('a CPPI floor above 1', () => {
    expect(errorOf(withStrategy('{ kind: cppi, multiplier: 3, floor: 1.2, name: c2 }'))).toBe(
      'bad.yaml:17: strategies[2].floor: must be <= 1 (got 1.2)',
    );
  });

  it('a CPPI floor left to a scenario floor above 1', () => {
    expect(errorOf(withStrategy('{ kind: constant-mix }', '1.2'))).toBe(
      "bad.yaml:16: strategies[1].floor: must be <= 1: the default, the scenario's floor.level, is 1.2",
    );
  });

  it('a put spread whose short strike is not below its long strike', () => {
    expect(errorOf(withStrategy('{ kind: put-spread, longStrike: 0.9, shortStrike: 0.95 }'))).toBe(
      'bad.yaml:17: strategies[2].shortStrike: must be < longStrike (0.9) (got 0.95)',
    );
  });

  it('a synthetic put guaranteeing more than cash alone reaches', () => {
    expect(errorOf(withStrategy('{ kind: synthetic-put, floor: 1.05, floorAccrues: false }'))).toBe(
      'bad.yaml:17: strategies[2].floor: the guarantee 1.05·V0 must be < e^{rT} = 1 (what cash alone reaches) (got 1.05)',
    );
  });

  it('a delta hedge on an asset the portfolio does not hold', () => {
    expect(
      errorOf(withStrategy('{ kind: delta-hedge, asset: spx, type: call, strike: 1, quantity: -1 }')),
    ).toBe('bad.yaml:17: strategies[2].asset: must name an asset (eq, bd) (got "spx")');
  });

  it('a zero option quantity', () => {
    expect(
      errorOf(withStrategy('{ kind: delta-hedge, asset: eq, type: call, strike: 1, quantity: 0 }')),
    ).toBe('bad.yaml:17: strategies[2].quantity: must be non-zero (got 0)');
  });

  it('a barrier above the spot for a down barrier', () => {
    expect(
      errorOf(withStrategy('{ kind: barrier-put, strike: 1, barrier: 1.1, barrierType: down-out }')),
    ).toBe('bad.yaml:17: strategies[2].barrier: must be < 1 (a down barrier below the spot) (got 1.1)');
  });
});

describe('scenario keys of the option-book engine', () => {
  it('financing and attribution take their named values only, with file:line', () => {
    expect(errorOf(`${GOOD}financing: cheap\n`)).toBe(
      'bad.yaml:18: financing: must be one of: financed, unfinanced (got "cheap")',
    );
    expect(errorOf(`${GOOD}attribution: yes\n`)).toBe(
      'bad.yaml:18: attribution: must be one of: off, book, lines (got "yes")',
    );
  });
});
