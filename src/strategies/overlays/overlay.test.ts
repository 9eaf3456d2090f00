/**
 * Overlays in scenario files, through the API: the schema (defaults, file:line errors), a
 * vol-targeted CPPI entry end to end, per-leg targets, and the typed warning of a flat series.
 */
import { describe, expect, it } from 'vitest';
import { buildScenario, parseScenario, runScenario } from '../../api.ts';
import { comparisonReport } from '../../report/comparison-table.ts';

const base = (strategies: string, market = '{ kind: gbm, vols: [0.2, 0.05] }') => `name: vt
portfolio:
  assets:
    - { name: eq, class: equity, weight: 0.7 }
    - { name: bd, class: bond, weight: 0.3 }
floor: { level: 0.8 }
paths: 256
markets:
  - ${market}
strategies:
  - { kind: buy-and-hold }
${strategies}
`;

function errorOf(text: string): string {
  try {
    parseScenario(text, 'vt.yaml');
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a ScenarioError');
}

describe('overlays: the scenario schema', () => {
  it('fills the overlay defaults once, from its schema', () => {
    const s = parseScenario(
      base('  - { kind: cppi, multiplier: 4, overlays: [{ kind: vol-target, target: 0.1 }] }'),
    );
    expect(s.strategies[1].overlays).toEqual([
      {
        kind: 'vol-target',
        target: 0.1,
        estimator: { kind: 'ewma', halfLife: 20 },
        per: 'sleeve',
        lag: 1,
        scaleBy: 'vol',
        maxWeight: 1,
        minWeight: 0,
        band: 0,
      },
    ]);
  });

  it.each([
    [
      '{ kind: vol-target, target: -0.1 }',
      'vt.yaml:12: strategies[1].overlays[0].target: must be > 0 (got -0.1)',
    ],
    ['{ kind: vol-target, target: 0.1, lag: 0 }', 'strategies[1].overlays[0].lag: must be >= 1 (got 0)'],
    [
      '{ kind: vol-target, target: 0.1, minWeight: 2 }',
      'strategies[1].overlays[0].minWeight: must be <= maxWeight (1) (got 2)',
    ],
    [
      '{ kind: vol-target, target: 0.1, per: leg, targets: { xx: 0.1 } }',
      'strategies[1].overlays[0].targets.xx: must be an asset (eq, bd)',
    ],
    [
      '{ kind: vol-target, target: 0.1, targets: { eq: 0.1 } }',
      "strategies[1].overlays[0].targets: need per: 'leg'",
    ],
    [
      '{ kind: vol-target, target: 0.1, per: leg, estimator: { kind: covariance, halfLife: 5 } }',
      "overlays[0].per: must be 'sleeve' with the covariance estimator",
    ],
    [
      '{ kind: vol-target, target: 0.1, estimator: { kind: garch, omega: 1e-6, alpha: 0.2, beta: 0.8 } }',
      'overlays[0].estimator.beta: alpha + beta must be < 1 (got 1)',
    ],
    [
      '{ kind: vol-target, target: 0.1, estimator: { kind: realized, window: 1 } }',
      'overlays[0].estimator.window: must be >= 2 (got 1)',
    ],
    [
      '{ kind: vol-target, target: 0.1, typo: 1 }',
      'overlays[0].typo: unknown key (allowed here: kind, target, estimator',
    ],
  ])('rejects %s', (overlay, message) => {
    expect(errorOf(base(`  - { kind: cppi, multiplier: 4, overlays: [${overlay}] }`))).toContain(message);
  });
});

describe('overlays: runs through runScenario', () => {
  it('runs a vol-targeted CPPI entry end to end with its report (JSON and table)', () => {
    const s = parseScenario(
      base(
        `  - { kind: cppi, multiplier: 4 }
  - { kind: cppi, multiplier: 4, overlays: [{ kind: vol-target, target: 0.05, estimator: { kind: covariance, halfLife: 20 } }] }
  - { kind: constant-mix, overlays: [{ kind: vol-target, target: 0.1, per: leg, targets: { eq: 0.1 }, maxWeight: 2, initialVol: 0.2 }] }`,
      ),
    );
    const res = runScenario(buildScenario(s, '.'));
    const [plain, vt, leg] = res.markets[0].strategies.slice(1);
    expect(vt.name).toBe('cppi m=4 vt=5%');
    expect(plain.report).toBeUndefined();
    const d = vt.report!.details as {
      legs: { leg: string; realizedVol: number; meanWeight: number; weightPath: number[] }[];
      worstDayExposure: number;
    };
    expect(d.legs[0].leg).toBe('sleeve');
    expect(d.legs[0].meanWeight).toBeLessThan(0.5); // a ~14 % sleeve scaled to 5 %
    expect(d.legs[0].weightPath).toHaveLength(253);
    expect(Number.isFinite(d.worstDayExposure)).toBe(true);
    expect(vt.key.volatility).toBeLessThan(plain.key.volatility);
    const legs = (leg.report!.details as { legs: { leg: string; realizedOverTarget: number }[] }).legs;
    expect(legs.map((l) => l.leg)).toEqual(['eq']);
    expect(legs[0].realizedOverTarget).toBeGreaterThan(0.9);
    expect(legs[0].realizedOverTarget).toBeLessThan(1.1);
    const json = JSON.parse(JSON.stringify(res));
    expect(json.markets[0].strategies[2].report.details.kind).toBe('vol-target');
    expect(comparisonReport(res)).toContain('cppi m=4 vt=5%: vol target sleeve 5.00 % → realized');
  });

  it('a flat (zero-vol) series holds the weight and counts a typed warning — never Infinity or NaN', () => {
    // GBM with σ = 0 and r = carry = 0: every log return is exactly 0, so the realized forecast is 0.
    const s = parseScenario(
      base(
        '  - { kind: buy-and-hold, overlays: [{ kind: vol-target, target: 0.1, estimator: { kind: realized, window: 5 } }] }',
        '{ kind: gbm, vols: [0, 0] }',
      ).replace('paths: 256', 'paths: 256\nstepsPerYear: 50'),
    );
    const res = runScenario(buildScenario(s, '.'));
    const st = res.markets[0].strategies[1];
    // the weight starts at σ*/initialVol = 1 and is held from step 5 (5 zero returns) to step 50
    expect(st.report!.warnings).toEqual([
      {
        code: 'vol-target-zero-vol',
        message: 'the vol forecast was zero: the previous weight was held',
        count: 46 * 256,
      },
    ]);
    const d = st.report!.details as { legs: { meanWeight: number; weightPath: number[] }[] };
    expect(d.legs[0].meanWeight).toBe(1);
    expect(d.legs[0].weightPath.every((w) => w === 1)).toBe(true);
    // weight 1 throughout: exactly the plain buy-and-hold (its inception costs included)
    expect(st.key.annualizedReturn).toBe(res.markets[0].strategies[0].key.annualizedReturn);
    expect(Number.isFinite(st.summary.terminalValue.mean)).toBe(true);
  });
});
