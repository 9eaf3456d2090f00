import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conditionalValueAtRisk, percentileSorted, sortedDefined, valueAtRisk } from './quantile.ts';

interface SampleCase {
  kind: 'sample';
  x: number[];
  mean: number;
  std: number | null;
  percentiles: [number, number][];
  tail: [number, number, number][];
}

const fixture = JSON.parse(
  readFileSync(new URL('../../test/fixtures/numpy/metrics.json', import.meta.url), 'utf8'),
) as { tolerance: { percentile: number; tail: number }; cases: (SampleCase | { kind: 'path' })[] };
const samples = fixture.cases.filter((c): c is SampleCase => c.kind === 'sample');

function close(got: number, want: number, tol: number): boolean {
  return got === want || Math.abs(got - want) <= tol * Math.max(1, Math.abs(want));
}

describe('percentiles, VaR and CVaR vs NumPy', () => {
  it('matches numpy.percentile (linear) on every sample and percent', () => {
    expect(samples.length).toBeGreaterThanOrEqual(8);
    for (const c of samples) {
      const s = sortedDefined(Float64Array.from(c.x));
      for (const [pct, want] of c.percentiles) {
        const got = percentileSorted(s, pct);
        if (!close(got, want, fixture.tolerance.percentile))
          throw new Error(`percentile ${pct}: got ${got}, want ${want} for x = ${JSON.stringify(c.x)}`);
      }
    }
  });

  it('matches −percentile(R, 100 − 100α) and −mean(R ≤ −VaR) at 90, 95, 97.5 and 99 %', () => {
    for (const c of samples) {
      const s = sortedDefined(Float64Array.from(c.x));
      for (const [level, v, cv] of c.tail) {
        const got = [valueAtRisk(s, level), conditionalValueAtRisk(s, level)];
        if (!(close(got[0], v, fixture.tolerance.tail) && close(got[1], cv, fixture.tolerance.tail)))
          throw new Error(`level ${level}: got ${got}, want ${[v, cv]} for x = ${JSON.stringify(c.x)}`);
      }
    }
  });
});

describe('percentiles by hand', () => {
  const x = Float64Array.of(-0.3, -0.1, 0, 0.1, 0.2);

  it('interpolates linearly between order statistics: h = (n − 1)·p', () => {
    expect(percentileSorted(Float64Array.of(1, 2, 3, 4), 20)).toBeCloseTo(1.6, 15);
    expect(percentileSorted(x, 5)).toBeCloseTo(-0.3 + 0.2 * 0.2, 15); // h = 0.2
    expect(percentileSorted(x, 50)).toBe(0);
    expect(percentileSorted(x, 0)).toBe(-0.3);
    expect(percentileSorted(x, 100)).toBe(0.2);
  });

  it('returns the single value of a one-element sample at every percent (historical replay)', () => {
    const one = Float64Array.of(0.07);
    for (const p of [0, 1, 20, 50, 99, 100]) expect(percentileSorted(one, p)).toBe(0.07);
    expect(valueAtRisk(one, 0.99)).toBe(-0.07);
    expect(conditionalValueAtRisk(one, 0.95)).toBe(-0.07);
  });

  it('gives VaR 0.26 and CVaR 0.3 at 95 % on five returns', () => {
    expect(valueAtRisk(x, 0.95)).toBeCloseTo(0.26, 15);
    expect(conditionalValueAtRisk(x, 0.95)).toBeCloseTo(0.3, 15);
    // at 50 %: quantile 0, the mean of {−0.3, −0.1, 0}
    expect(conditionalValueAtRisk(x, 0.5)).toBeCloseTo(0.4 / 3, 15);
  });

  it('drops NaN and keeps infinities when sorting', () => {
    expect([...sortedDefined(Float64Array.of(3, Number.NaN, -Infinity, 1))]).toEqual([-Infinity, 1, 3]);
    expect(percentileSorted(new Float64Array(0), 50)).toBeNaN();
  });

  it('rejects percents outside [0, 100] and levels outside (0, 1)', () => {
    expect(() => percentileSorted(x, 101)).toThrow('pct (101) must be in [0, 100]');
    expect(() => valueAtRisk(x, 1)).toThrow('level (1) must be in (0, 1)');
    expect(() => conditionalValueAtRisk(x, Number.NaN)).toThrow('level (NaN) must be in (0, 1)');
  });

  it('is monotone in the percent and CVaR ≥ VaR', () => {
    const prop = fc.property(
      fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 60 }),
      fc.double({ min: 0, max: 100, noNaN: true }),
      fc.double({ min: 0, max: 100, noNaN: true }),
      fc.double({ min: 0.5, max: 0.999, noNaN: true }),
      (xs, p1, p2, level) => {
        const s = sortedDefined(Float64Array.from(xs));
        const [lo, hi] = p1 <= p2 ? [p1, p2] : [p2, p1];
        return (
          percentileSorted(s, lo) <= percentileSorted(s, hi) &&
          conditionalValueAtRisk(s, level) >= valueAtRisk(s, level) - 1e-15
        );
      },
    );
    fc.assert(prop, { seed: 20261125, numRuns: 500 });
  });
});
