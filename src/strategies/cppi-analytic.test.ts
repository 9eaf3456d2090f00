import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.ts';
import {
  cppiDiscreteGapProbability,
  cppiDiscreteMoments,
  cppiGapProbability,
  cppiGbmMoments,
} from './cppi-analytic.ts';

interface Case {
  kind: string;
  [k: string]: number | string;
}
const fixture = JSON.parse(
  readFileSync(new URL('../../test/fixtures/scipy/cppi-reference.json', import.meta.url), 'utf8'),
) as { source: string; tolerance: { moments: number; probability: number }; cases: Case[] };

const rel = (got: number, want: number) => Math.abs(got - want) / Math.max(Math.abs(want), 1e-300);

function expectRel(got: number, want: number, tol: number, c: Case): void {
  if (!(rel(got, want) <= tol))
    throw new Error(`got ${got}, want ${want} (tol ${tol}) for ${JSON.stringify(c)}`);
}

describe(`cppi closed forms vs ${fixture.source}`, () => {
  const of = (kind: string) => fixture.cases.filter((c) => c.kind === kind);
  const inputs = (c: Case) => ({
    v0: c.v0 as number,
    floor: c.floor as number,
    multiplier: c.multiplier as number,
    mu: c.mu as number,
    sigma: c.sigma as number,
    rate: c.rate as number,
    horizon: c.horizon as number,
  });

  it('Bertrand–Prigent terminal mean and std match numerical integration of F_T + α_T·S_T^m', () => {
    const cs = of('gbm-continuous');
    expect(cs.length).toBeGreaterThan(0);
    for (const c of cs) {
      const m = cppiGbmMoments(inputs(c));
      expectRel(m.mean, c.mean as number, fixture.tolerance.moments, c);
      expectRel(m.std, c.std as number, fixture.tolerance.moments, c);
      expectRel(m.floorT, c.floorT as number, fixture.tolerance.moments, c);
    }
  });

  it('discrete-rebalancing moments match the integrated one-step factors raised to the n-th power', () => {
    const cs = of('gbm-discrete');
    expect(cs.length).toBeGreaterThan(0);
    for (const c of cs) {
      const m = cppiDiscreteMoments(inputs(c), c.steps as number);
      expectRel(m.mean, c.mean as number, fixture.tolerance.moments, c);
      expectRel(m.std, c.std as number, fixture.tolerance.moments, c);
    }
  });

  it('Cont–Tankov and the exact discrete gap probabilities match SciPy / mpmath', () => {
    for (const c of of('gap-continuous')) {
      const p = cppiGapProbability(
        c.multiplier as number,
        { intensity: c.intensity as number, mean: c.jumpMean as number, std: c.jumpStd as number },
        c.horizon as number,
      );
      expect(Math.abs(p - (c.probability as number))).toBeLessThanOrEqual(fixture.tolerance.probability);
    }
    for (const c of of('gap-discrete')) {
      const p = cppiDiscreteGapProbability(
        c.multiplier as number,
        { intensity: c.intensity as number, mean: c.jumpMean as number, std: c.jumpStd as number },
        { mu: c.mu as number, sigma: c.sigma as number },
        c.rate as number,
        c.horizon as number,
        c.steps as number,
      );
      if (!(Math.abs(p - (c.probability as number)) <= fixture.tolerance.probability))
        throw new Error(`got ${p}, want ${c.probability} for ${JSON.stringify(c)}`);
    }
  });

  it('discrete moments converge to the continuous ones as the step shrinks (bias O(Δt))', () => {
    const x = { v0: 100, floor: 0.8, multiplier: 4, mu: 0.07, sigma: 0.15, rate: 0.02, horizon: 1 };
    const c = cppiGbmMoments(x);
    const b = [63, 126, 252, 504].map((n) => Math.abs(cppiDiscreteMoments(x, n).std - c.std));
    for (let i = 1; i < b.length; i++) expect(b[i - 1] / b[i]).toBeCloseTo(2, 1);
  });

  it('rejects invalid inputs naming the parameter', () => {
    const x = { v0: 100, floor: 0.8, multiplier: 4, mu: 0.07, sigma: 0.15, rate: 0.02, horizon: 1 };
    expect(() => cppiGbmMoments({ ...x, floor: 1 })).toThrow('floor (1) must be in [0, 1)');
    expect(() => cppiGbmMoments({ ...x, sigma: -1 })).toThrow(DomainError);
    expect(() => cppiDiscreteMoments(x, 0)).toThrow('steps (0) must be an integer >= 1');
    expect(() => cppiGapProbability(4, { intensity: -1, mean: 0, std: 0.1 }, 1)).toThrow(
      'jumps.intensity (-1) must be >= 0',
    );
  });
});
