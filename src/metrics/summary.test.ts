import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PATH_METRIC_NAMES, PathMetrics, type PathResults } from './path-metrics.ts';
import { DEFAULT_PERCENTILES, distribution, summarize } from './summary.ts';

const fixture = JSON.parse(
  readFileSync(new URL('../../test/fixtures/numpy/metrics.json', import.meta.url), 'utf8'),
) as {
  tolerance: { percentile: number; tail: number; moments: number };
  cases: { kind: string; x: number[]; mean: number; std: number | null; percentiles: [number, number][] }[];
};

/** Per-path results with every metric NaN except those given. */
function results(n: number, given: Partial<Record<keyof PathResults, number[]>>): PathResults {
  const out = {} as PathResults;
  for (const k of PATH_METRIC_NAMES) {
    const a = new Float64Array(n).fill(Number.NaN);
    const g = given[k];
    if (g) a.set(g);
    out[k] = a;
  }
  return out;
}

// Five paths: capital 100, floor 90 at T.
const five = results(5, {
  terminalValue: [70, 90, 100, 110, 120],
  horizonReturn: [-0.3, -0.1, 0, 0.1, 0.2],
  benchmarkReturn: [-0.4, -0.2, 0.1, 0.2, 0.3],
  endedBelowFloor: [1, 0, 0, 0, 0],
  touchedFloor: [1, 1, 0, 0, 0],
  shortfall: [20, 0, 0, 0, 0],
  minCushion: [-0.2, -0.05, 0.05, 0.1, 0.1],
  costs: [1, 1, 2, 2, 4],
  premiums: [3, 3, 3, 3, 3],
  calmar: [Number.NaN, 1, 2, 3, Number.NaN],
  upStrategy: [0.1, 0.2, 0.1, 0.3, 0.3],
  upBenchmark: [0.2, 0.4, 0.2, 0.6, 0.6],
  downStrategy: [-0.2, -0.1, 0, -0.1, 0],
  downBenchmark: [-0.6, -0.3, -0.1, -0.2, -0.1],
});

describe('summarize on five paths by hand', () => {
  const s = summarize(five);

  it('describes the terminal value and the horizon return with NumPy-style percentiles', () => {
    expect(s.paths).toBe(5);
    expect(s.terminalValue.mean).toBe(98);
    expect(s.terminalValue.std).toBeCloseTo(
      Math.sqrt((28 ** 2 + 8 ** 2 + 2 ** 2 + 12 ** 2 + 22 ** 2) / 4),
      12,
    );
    expect(s.terminalValue.min).toBe(70);
    expect(s.terminalValue.max).toBe(120);
    // h = 4·0.2 = 0.8: 70 + 0.8·20 = 86
    expect(s.terminalValue.percentiles.p20).toBeCloseTo(86, 12);
    expect(s.terminalValue.percentiles.p50).toBe(100);
    expect(Object.keys(s.horizonReturn.percentiles)).toEqual(DEFAULT_PERCENTILES.map((p) => `p${p}`));
    expect(s.horizonReturn.percentiles.p1).toBeCloseTo(-0.3 + 0.04 * 0.2, 15);
  });

  it('reports VaR and CVaR of the horizon return as positive losses', () => {
    expect(s.tail.var95).toBeCloseTo(0.26, 15); // −(−0.3 + 0.2·0.2)
    expect(s.tail.cvar95).toBeCloseTo(0.3, 15);
    expect(s.tail.var99).toBeCloseTo(0.3 - 0.04 * 0.2, 15);
    expect(s.tail.cvar99).toBeCloseTo(0.3, 15);
  });

  it('gives the floor breach and touch probabilities and the shortfall, plain and given a breach', () => {
    expect(s.floor.probEndBelow).toBe(0.2);
    expect(s.floor.probTouched).toBe(0.4);
    expect(s.floor.expectedShortfall).toBe(4);
    expect(s.floor.conditionalShortfall).toBe(20);
    expect(s.floor.breaches).toBe(1);
    expect(s.minCushion.min).toBe(-0.2);
    expect(s.minCushion.percentiles.p50).toBe(0.05);
  });

  it('prices protection: costs + premiums and the return given up when the benchmark rose', () => {
    expect(s.costOfProtection.costs).toBe(2);
    expect(s.costOfProtection.premiums).toBe(3);
    expect(s.costOfProtection.total).toBe(5);
    // rising paths 3–5: (0.1 − 0) + (0.2 − 0.1) + (0.3 − 0.2) over 3
    expect(s.costOfProtection.returnGivenUpInRisingMarkets).toBeCloseTo(0.1, 15);
    expect(s.costOfProtection.risingPaths).toBe(3);
  });

  it('pools capture over paths and steps, and compares horizon returns in rising and falling paths', () => {
    expect(s.capture.upside.pooled).toBeCloseTo(1 / 2, 15);
    expect(s.capture.downside.pooled).toBeCloseTo(0.4 / 1.3, 15);
    expect(s.capture.upside.horizon).toBeCloseTo(0.1 / 0.2, 14); // means 0.1 and 0.2
    expect(s.capture.downside.horizon).toBeCloseTo(-0.2 / -0.3, 14);
  });

  it('averages each per-path metric over the paths where it is defined', () => {
    expect(s.metrics.calmar).toEqual({ mean: 2, median: 2, defined: 3 });
    expect(s.metrics.sharpe.defined).toBe(0);
    expect(s.metrics.sharpe.mean).toBeNaN();
    expect(s.metrics.horizonReturn.median).toBe(0);
  });

  it('is plain JSON: it survives a round trip (NaN becomes null)', () => {
    const back = JSON.parse(JSON.stringify(s));
    expect(back.tail.var95).toBe(s.tail.var95);
    expect(back.metrics.sharpe.mean).toBeNull();
    expect(back.terminalValue.percentiles.p20).toBe(s.terminalValue.percentiles.p20);
  });
});

describe('summarize on a single path (historical replay)', () => {
  const one = results(1, {
    terminalValue: [104],
    horizonReturn: [0.04],
    benchmarkReturn: [0.1],
    endedBelowFloor: [0],
    touchedFloor: [1],
    shortfall: [0],
    minCushion: [-0.01],
    costs: [0.5],
    premiums: [2],
  });
  const s = summarize(one);

  it('sets every percentile, VaR and CVaR to that path’s value and the std to NaN', () => {
    for (const v of Object.values(s.terminalValue.percentiles)) expect(v).toBe(104);
    expect(s.tail.var95).toBe(-0.04);
    expect(s.tail.cvar99).toBe(-0.04);
    expect(s.horizonReturn.std).toBeNaN();
    expect(s.floor.probTouched).toBe(1);
    expect(s.floor.conditionalShortfall).toBeNaN();
    expect(s.costOfProtection.returnGivenUpInRisingMarkets).toBeCloseTo(0.06, 15);
  });
});

describe('distribution vs NumPy', () => {
  it('matches NumPy mean, sample std and percentiles', () => {
    const pcts = fixture.cases[0].percentiles.map(([p]) => p);
    for (const c of fixture.cases.filter((x) => x.kind === 'sample')) {
      const d = distribution(Float64Array.from(c.x), pcts);
      const std = c.std ?? Number.NaN;
      const okStd = Number.isNaN(std)
        ? Number.isNaN(d.std)
        : Math.abs(d.std - std) <= fixture.tolerance.moments;
      if (!(Math.abs(d.mean - c.mean) <= fixture.tolerance.moments && okStd))
        throw new Error(`mean/std ${d.mean}/${d.std} vs ${c.mean}/${std} for x = ${JSON.stringify(c.x)}`);
      for (const [p, want] of c.percentiles) expect(d.percentiles[`p${p}`]).toBe(want);
    }
  });
});

describe('summarize options and validation', () => {
  it('takes other percentiles and confidence levels, keyed by their percent', () => {
    const s = summarize(five, { percentiles: [2.5, 97.5], confidence: [0.975] });
    expect(Object.keys(s.terminalValue.percentiles)).toEqual(['p2.5', 'p97.5']);
    expect(Object.keys(s.tail)).toEqual(['var97.5', 'cvar97.5']);
  });

  it('names the missing or mis-sized metric array and bad options', () => {
    const { sharpe: _, ...missing } = five;
    expect(() => summarize(missing)).toThrow('perPath.sharpe (undefined) must be a Float64Array of length 5');
    expect(() => summarize({ ...five, calmar: new Float64Array(3) })).toThrow('perPath.calmar (3)');
    expect(() => summarize(results(0, {}))).toThrow(/must be >= 1/);
    expect(() => summarize(five, { percentiles: [120] })).toThrow('percentiles[0] (120) must be in [0, 100]');
    expect(() => summarize(five, { confidence: [0.95, 1] })).toThrow('confidence[1] (1) must be in (0, 1)');
  });

  it('is reachable from the accumulator class for merged worker results', () => {
    expect(PathMetrics.summarize(five).floor.breaches).toBe(1);
  });
});
