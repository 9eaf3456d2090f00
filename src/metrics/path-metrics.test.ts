import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MarketView } from '../market/market-view.ts';
import type { BookView } from '../portfolio/book.ts';
import { concatResults, PATH_METRIC_NAMES, type PathMetricName, PathMetrics } from './path-metrics.ts';

interface PathCase {
  kind: 'path';
  name: string;
  v0: number;
  values: number[];
  bench: number[];
  floor: number[];
  rates: number[];
  times: number[];
  ppy: number;
  fees: number;
  premiums: number;
  turnover0: number;
  turnoverT: number;
  trades: number;
  expected: Record<PathMetricName, number | string | null>;
}

const fixture = JSON.parse(
  readFileSync(new URL('../../test/fixtures/numpy/metrics.json', import.meta.url), 'utf8'),
) as { tolerance: { path: number }; cases: (PathCase | { kind: 'sample' })[] };
const pathCases = fixture.cases.filter((c): c is PathCase => c.kind === 'path');

const decode = (x: number | string | null): number =>
  x === null ? Number.NaN : x === 'Infinity' ? Infinity : x === '-Infinity' ? -Infinity : (x as number);

interface FakeBook extends BookView {
  value: Float64Array;
  fees: Float64Array;
  premiums: Float64Array;
  turnover: Float64Array;
  trades: Float64Array;
}

/**
 * Drives an accumulator through `cases` side by side (one path each, same number of steps) with a
 * hand-built view and book, the way the engine calls it. `selfBenchmark` passes the value array as
 * the benchmark (the engine does so for the benchmark run).
 */
function drive(m: PathMetrics, cases: PathCase[], offset = 0, selfBenchmark = false): void {
  const n = cases.length;
  const c0 = cases[0];
  const N = c0.values.length - 1;
  const view = {
    nPaths: n,
    assets: [],
    step: 0,
    t: c0.times[0],
    dt: 0,
    dtNext: c0.times[1] - c0.times[0],
    final: false,
    end: c0.times[N],
    stepsPerYear: c0.ppy,
    rate: c0.rates[0],
    spot: [],
    vol: [],
    logReturn: [],
    date: undefined,
  } satisfies MarketView as { -readonly [K in keyof MarketView]: MarketView[K] };
  const col = (f: (c: PathCase) => number) => Float64Array.from(cases, f);
  const book: FakeBook = {
    nPaths: n,
    assets: [],
    cash: new Float64Array(n),
    units: [],
    lines: [],
    line: () => undefined,
    exposure: () => {},
    arena: undefined,
    lineSlots: new Int32Array(0),
    value: col((c) => c.values[0]),
    valueStale: false,
    initialValue: c0.v0,
    fees: col((c) => c.fees),
    premiums: col((c) => c.premiums),
    turnover: col((c) => c.turnover0),
    trades: col((c) => c.trades),
  };
  const floor = col((c) => c.floor[0]);
  const bench = new Float64Array(n);
  m.begin(view, book, floor);
  for (let i = 1; i <= N; i++) {
    view.step = i;
    view.t = c0.times[i];
    view.dt = c0.times[i] - c0.times[i - 1];
    view.rate = c0.rates[i];
    for (let p = 0; p < n; p++) {
      book.value[p] = cases[p].values[i];
      floor[p] = cases[p].floor[i];
      bench[p] = cases[p].bench[i];
    }
    m.observe(view, book, floor, selfBenchmark ? book.value : bench);
  }
  book.turnover.set(col((c) => c.turnoverT));
  m.finish(view, book, offset);
}

/** Three paths on the first case's grid: the case, its benchmark as strategy, a higher floor. */
function variants(): PathCase[] {
  const a = pathCases[0];
  return [
    a,
    { ...a, values: a.bench, bench: a.values, fees: 0.1, turnover0: 50 },
    { ...a, floor: a.floor.map((f) => f * 1.08), premiums: -1 },
  ];
}

function expectClose(got: number, want: number, tol: number, what: string): void {
  const ok = Number.isNaN(want)
    ? Number.isNaN(got)
    : got === want || Math.abs(got - want) <= tol * Math.max(1, Math.abs(want));
  if (!ok) throw new Error(`${what}: got ${got}, want ${want} (tol ${tol})`);
}

describe('PathMetrics vs a vectorized NumPy implementation', () => {
  it.each(pathCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const m = new PathMetrics(1);
    drive(m, [c]);
    const r = m.results();
    for (const k of PATH_METRIC_NAMES) {
      expectClose(
        r[k][0],
        decode(c.expected[k]),
        fixture.tolerance.path,
        `${k} of case ${JSON.stringify(c)}`,
      );
    }
  });

  it('gives the same results for paths driven side by side as one at a time', () => {
    const same = variants();
    const together = new PathMetrics(same.length + 3);
    drive(together, same, 3);
    for (let p = 0; p < same.length; p++) {
      const alone = new PathMetrics(1);
      drive(alone, [same[p]]);
      for (const k of PATH_METRIC_NAMES) expect(together.results()[k][3 + p]).toEqual(alone.results()[k][0]);
    }
    expect(Number.isNaN(together.results().sharpe[0])).toBe(true); // paths 0–2 never finished
  });
});

describe('PathMetrics on a 5-step path computed by hand', () => {
  // Capital 100; strategy 100 → 105 → 99.5 → 110.5 → 100 → 102.5 (half in an asset going
  // 100 → 110 → 99 → 121 → 100 → 105, the benchmark); floor 104 throughout; 252 steps a year; r = 0.
  const c = pathCases.find((x) => x.name === 'five steps by hand')!;
  const m = new PathMetrics(1);
  drive(m, [c]);
  const r = m.results();
  const T = 5 / 252;

  it('measures returns from the initial capital', () => {
    expect(r.terminalValue[0]).toBe(102.5);
    expect(r.horizonReturn[0]).toBeCloseTo(0.025, 15);
    expect(r.annualizedReturn[0]).toBeCloseTo(1.025 ** (1 / T) - 1, 12);
    expect(r.benchmarkReturn[0]).toBeCloseTo(0.05, 15);
    expect(r.excessReturn[0]).toBeCloseTo(1.025 ** (1 / T) - 1.05 ** (1 / T), 12);
  });

  it('finds the maximum drawdown from the running peak 110.5 down to 100', () => {
    expect(r.maxDrawdown[0]).toBeCloseTo(10.5 / 110.5, 15);
    expect(r.calmar[0]).toBeCloseTo((1.025 ** (1 / T) - 1) / (10.5 / 110.5), 10);
  });

  it('annualizes the sample std of step log returns with √252', () => {
    const lr = [105 / 100, 99.5 / 105, 110.5 / 99.5, 100 / 110.5, 102.5 / 100].map(Math.log);
    const mean = lr.reduce((a, b) => a + b) / 5;
    const sd = Math.sqrt(lr.reduce((a, b) => a + (b - mean) ** 2, 0) / 4);
    expect(r.annualizedVolatility[0]).toBeCloseTo(sd * Math.sqrt(252), 13);
    expect(r.sharpe[0]).toBeCloseTo((1.025 ** (1 / T) - 1) / (sd * Math.sqrt(252)), 12);
    const dd = Math.sqrt((lr[1] ** 2 + lr[3] ** 2) / 5) * Math.sqrt(252);
    expect(r.sortino[0]).toBeCloseTo((1.025 ** (1 / T) - 1) / dd, 12);
  });

  it('captures the sums of strategy returns over benchmark up and down steps', () => {
    // benchmark up at steps 1, 3, 5; down at 2, 4
    const upS = 0.05 + 11 / 99.5 + 0.025;
    const upB = 0.1 + 22 / 99 + 0.05;
    const dnS = -5.5 / 105 - 10.5 / 110.5;
    const dnB = -0.1 - 21 / 121;
    expect(r.upsideCapture[0]).toBeCloseTo(upS / upB, 14);
    expect(r.downsideCapture[0]).toBeCloseTo(dnS / dnB, 14);
  });

  it('records the floor: touched at 99.5, ended 1.5 below, worst cushion (99.5 − 104)/99.5', () => {
    expect(r.touchedFloor[0]).toBe(1);
    expect(r.endedBelowFloor[0]).toBe(1);
    expect(r.shortfall[0]).toBeCloseTo(1.5, 13);
    expect(r.minCushion[0]).toBeCloseTo(-4.5 / 99.5, 15);
  });
});

describe('PathMetrics NaN rules', () => {
  const base = pathCases.find((x) => x.name === 'five steps by hand')!;

  it('leaves Calmar and Sortino undefined without a drawdown or a losing step', () => {
    const c = pathCases.find((x) => x.name.startsWith('monotone rise'))!;
    const m = new PathMetrics(1);
    drive(m, [c]);
    const r = m.results();
    expect(r.maxDrawdown[0]).toBe(0);
    expect(r.calmar[0]).toBeNaN();
    expect(r.sortino[0]).toBeNaN();
    expect(r.downsideCapture[0]).toBeNaN();
    // round-off volatility (~6e-15) is not a risk: Sharpe undefined, not 5e13
    expect(r.annualizedVolatility[0]).toBeLessThan(1e-13);
    expect(r.sharpe[0]).toBeNaN();
  });

  it('makes every path-dependent statistic NaN once the value is not finite', () => {
    const c = { ...base, values: [100, 105, Number.NaN, 110.5, 100, 102.5] };
    const m = new PathMetrics(1);
    drive(m, [c]);
    const r = m.results();
    for (const k of ['annualizedVolatility', 'maxDrawdown', 'touchedFloor', 'minCushion', 'sortino'] as const)
      expect(r[k][0], k).toBeNaN();
    expect(r.terminalValue[0]).toBe(102.5);
  });

  it('makes benchmark statistics NaN once the benchmark is not finite, leaving the rest', () => {
    const c = { ...base, bench: [100, 110, Number.NaN, 121, 100, 105] };
    const m = new PathMetrics(1);
    drive(m, [c]);
    const r = m.results();
    for (const k of ['trackingError', 'upsideCapture', 'downsideCapture', 'excessReturn'] as const)
      expect(r[k][0], k).toBeNaN();
    expect(r.maxDrawdown[0]).toBeCloseTo(10.5 / 110.5, 15);
  });

  it('gives a cushion of −∞ and an undefined annualized return once the value is negative', () => {
    const c = { ...base, values: [100, 105, -5, 110.5, 100, -2] };
    const m = new PathMetrics(1);
    drive(m, [c]);
    const r = m.results();
    expect(r.minCushion[0]).toBe(-Infinity);
    expect(r.annualizedReturn[0]).toBeNaN();
    expect(r.horizonReturn[0]).toBeCloseTo(-1.02, 15);
    expect(r.shortfall[0]).toBeCloseTo(106, 13);
  });
});

describe('PathMetrics against its own benchmark', () => {
  it('has zero tracking error, zero excess return and capture ratios of exactly 1', () => {
    const c = pathCases.find((x) => x.name === 'five steps by hand')!;
    const own = { ...c, bench: c.values };
    const m = new PathMetrics(1);
    drive(m, [own], 0, true);
    const r = m.results();
    expect(r.trackingError[0]).toBe(0);
    expect(r.excessReturn[0]).toBe(0);
    expect(r.upsideCapture[0]).toBe(1);
    expect(r.downsideCapture[0]).toBe(1);
    expect(r.benchmarkReturn[0]).toBe(r.horizonReturn[0]);
  });
});

describe('PathMetrics properties', () => {
  it('max drawdown ∈ [0, 1), capture of a scaled benchmark equals the scale, cushion ≤ 1 − F/V₀', () => {
    const prop = fc.property(
      // returns on a 0.1 % grid: a sub-ulp "return" would not move the value at all
      fc.array(
        fc.integer({ min: -200, max: 200 }).map((k) => k / 1000),
        { minLength: 2, maxLength: 30 },
      ),
      fc.double({ min: 0.1, max: 2, noNaN: true }),
      (rets, beta) => {
        const N = rets.length;
        const bench = [100];
        const values = [100];
        for (const x of rets) {
          bench.push(bench[bench.length - 1] * (1 + x));
          values.push(values[values.length - 1] * (1 + beta * x));
        }
        const c: PathCase = {
          ...pathCases[0],
          values,
          bench,
          floor: new Array(N + 1).fill(70),
          rates: new Array(N + 1).fill(0.01),
          times: Array.from({ length: N + 1 }, (_, i) => i / 252),
          ppy: 252,
        };
        const m = new PathMetrics(1);
        drive(m, [c]);
        const r = m.results();
        const dd = r.maxDrawdown[0];
        if (!(dd >= 0 && dd < 1)) return false;
        if (!(r.minCushion[0] <= 0.3 + 1e-15)) return false;
        const up = rets.some((x) => x > 0);
        if (up && !(Math.abs(r.upsideCapture[0] - beta) < 1e-9)) return false;
        return !up || rets.every((x) => x >= 0) || Math.abs(r.downsideCapture[0] - beta) < 1e-9;
      },
    );
    fc.assert(prop, { seed: 20261125, numRuns: 300 });
  });
});

describe('PathMetrics validation and merging', () => {
  it('rejects a non-integer or zero path count', () => {
    expect(() => new PathMetrics(0)).toThrow('nPaths (0) must be an integer >= 1');
    expect(() => new PathMetrics(2.5)).toThrow(/nPaths/);
  });

  it('rejects an offset past the end of the run', () => {
    const m = new PathMetrics(1);
    expect(() => drive(m, [pathCases[0]], 1)).toThrow(/offset \(1\)/);
  });

  it('concatenates results of consecutive path ranges in order', () => {
    const c = variants();
    const a = new PathMetrics(1);
    const b = new PathMetrics(c.length - 1);
    drive(a, c.slice(0, 1));
    drive(b, c.slice(1));
    const whole = new PathMetrics(c.length);
    drive(whole, c);
    const merged = concatResults([a.results(), b.results()]);
    for (const k of PATH_METRIC_NAMES) expect(merged[k]).toEqual(whole.results()[k]);
    expect(() => concatResults([])).toThrow(/parts.length/);
    expect(() => concatResults([{ terminalValue: new Float64Array(2) }])).toThrow(
      /parts\[0\]\.horizonReturn/,
    );
  });
});
