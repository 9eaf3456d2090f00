/**
 * Lazy Greeks: a book's marks compute only what its strategy declares it reads (Strategy.greeks).
 * The declaration must be truthful: every example scenario gives bit-identical results when every
 * book is forced to compute Γ and ν as well (the cost of a mark is all a declaration may change).
 * The control shows the check can fail: a strategy that reads Γ from its line's marks but declares
 * price and Δ only trades on a Γ that was never computed, and its results change.
 *
 * Lazy values: a run whose values no one reads (a delta hedge without metrics) marks without them
 * and without its options' prices until its last step; its results are bit-identical to the run
 * that computes them at every step, also when the strategy trades its open line and reads
 * `book.exposure` (both need prices: computed on demand). The control: a strategy that reads
 * `book.value` but declares `readsValue: false` gets different results.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseScenario } from '../config/scenario-load.ts';
import type { OptionTerms } from '../instruments/terms.ts';
import { constantRate } from '../market/rate.ts';
import { GbmGenerator } from '../paths/gbm.ts';
import { uniformGrid } from '../paths/types.ts';
import { Book } from '../portfolio/book.ts';
import { FIRST_ORDER, type GreekMask, greeksBlock, PRICE_DELTA } from '../portfolio/contract-pricer.ts';
import { costModel } from '../portfolio/costs.ts';
import type { LineId } from '../portfolio/position-line.ts';
import { buildScenario } from '../scenario/build.ts';
import { marketEngineConfig, withOverrides } from '../scenario/run.ts';
import { deltaHedge } from '../strategies/delta-hedge.ts';
import type { Strategy } from '../strategies/types.ts';
import { type EngineConfig, runEngine } from './engine.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Every example scenario (books, live configs and sweep files are other formats: no `strategies:`). */
const EXAMPLES = readdirSync(`${root}examples`)
  .filter((f) => f.endsWith('.yaml') && /^strategies:/m.test(readFileSync(`${root}examples/${f}`, 'utf8')))
  .sort();

/** Run results as text: every number of every run (typed arrays spelled out), for bitwise comparison. */
function fingerprint(cfg: EngineConfig): string {
  const res = runEngine(cfg);
  return JSON.stringify(res, (_k, x) =>
    x instanceof Float64Array
      ? Array.from(x, (v) => (Object.is(v, -0) ? '-0' : v))
      : typeof x === 'number' && !Number.isFinite(x)
        ? String(x)
        : x,
  );
}

/** '' when a = b, else the text around their first difference (a short failure message). */
function firstDifference(a: string, b: string): string {
  if (a === b) return '';
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `at ${i}: …${a.slice(Math.max(0, i - 120), i + 40)}… vs …${b.slice(Math.max(0, i - 120), i + 40)}…`;
}

/** The engine configs of a scenario file's markets at `paths` Monte-Carlo paths. */
function configs(file: string, paths: number): EngineConfig[] {
  const text = readFileSync(`${root}examples/${file}`, 'utf8');
  const built = buildScenario(withOverrides(parseScenario(text, file), { paths }), `${root}examples`);
  return built.markets.map((m) => marketEngineConfig(built, m).config);
}

describe('lazy Greeks', () => {
  it('finds the example scenarios (a guard against an empty loop)', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(10);
    expect(EXAMPLES).toContain('book-hedging.yaml');
    expect(EXAMPLES).toContain('article-case.yaml');
  });

  it.each(EXAMPLES)('%s: results are bit-identical when every mark also computes Γ and ν', (file) => {
    for (const cfg of configs(file, 64)) {
      const lazy = fingerprint(cfg);
      const full = fingerprint({ ...cfg, markGreeks: FIRST_ORDER });
      expect(firstDifference(lazy, full)).toBe('');
    }
  });

  it('control: a strategy that under-declares the Greeks it reads gets different results', () => {
    const [base] = configs('delta-hedge-hull.yaml', 64);
    const withStrategy = (greeks: GreekMask | undefined): EngineConfig => ({
      ...base,
      runs: [{ ...base.runs[0], strategy: gammaReader(greeks) }],
      benchmark: 0,
    });
    const truthful = fingerprint(withStrategy({ gamma: true }));
    expect(fingerprint(withStrategy(undefined))).toBe(truthful); // the default computes Γ and ν
    expect(fingerprint(withStrategy(PRICE_DELTA))).not.toBe(truthful);
    // Forcing Γ and ν back on restores the truthful results.
    expect(fingerprint({ ...withStrategy(PRICE_DELTA), markGreeks: FIRST_ORDER })).toBe(truthful);
  });
});

/** Buys an at-the-money call at step 0 and then holds 100·Γ units of its asset: it reads Γ from the marks. */
function gammaReader(greeks: GreekMask | undefined): Strategy<{ line: LineId }> {
  const terms: OptionTerms = { kind: 'option', asset: 0, type: 'call', style: 'european' };
  return {
    name: 'gamma reader',
    kind: 'test',
    ...(greeks ? { greeks } : {}),
    init: () => ({ line: -1 }),
    decide(ctx, book, st, targets) {
      if (ctx.step === 0) {
        st.line = targets.open(terms, Float64Array.from(ctx.spot[0]), ctx.t + 0.5);
        targets.qty(st.line).fill(1);
        return;
      }
      const line = book.line(st.line);
      const units = targets.units(0);
      for (let p = 0; p < ctx.nPaths; p++) units[p] = line ? 100 * line.greeks.gamma[p] : 0;
    },
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

/** A one-asset GBM market (σ = 20 %, r = 3 %) with `strategy` at 5 bp, daily for 40 steps, 256 paths. */
function hedgeConfig(strategy: Strategy): EngineConfig {
  return {
    generator: new GbmGenerator({
      assets: [{ name: 'SPX', assetClass: 'equity', spot: 100 }],
      vols: [0.2],
      rate: constantRate(0.03),
    }),
    grid: uniformGrid(40 / 252, 40),
    nPaths: 256,
    seed: 99,
    initialValue: 100,
    runs: [
      {
        strategy,
        costs: costModel({ bps: { equity: 5 } }),
        rebalance: { calendar: 'daily' },
        vols: { kind: 'constant', vol: 0.2 },
      },
    ],
    stepsPerYear: 252,
  };
}

/** The run's fingerprint and how many of its marks skipped the values. */
function runCountingLazyMarks(cfg: EngineConfig): { print: string; lazyMarks: number; marks: number } {
  const spy = vi.spyOn(Book.prototype, 'mark');
  const print = fingerprint(cfg);
  const lazyMarks = spy.mock.calls.filter((c) => c[3] === false).length;
  const marks = spy.mock.calls.length;
  spy.mockRestore();
  return { print, lazyMarks, marks };
}

describe('lazy values', () => {
  /** Every strategy of a config's runs declaring it reads the values (the eager marks). */
  const eager = (cfg: EngineConfig): EngineConfig => ({
    ...cfg,
    runs: cfg.runs.map((run) => ({ ...run, strategy: { ...run.strategy, readsValue: true } })),
  });
  let lazyMarksInExamples = 0;

  it.each(EXAMPLES)(
    '%s without metrics or attribution: results are bit-identical when every mark computes the values',
    (file) => {
      for (const cfg of configs(file, 64)) {
        const bare: EngineConfig = {
          ...cfg,
          metrics: undefined,
          keepValuePaths: undefined,
          attribution: undefined,
        };
        const lazy = runCountingLazyMarks(bare);
        lazyMarksInExamples += lazy.lazyMarks;
        const full = runCountingLazyMarks(eager(bare));
        expect(full.lazyMarks).toBe(0);
        expect(firstDifference(lazy.print, full.print)).toBe('');
      }
    },
  );

  it('some example runs marked lazily (a guard for the loop above: the delta hedges and the book hedge)', () => {
    expect(lazyMarksInExamples).toBeGreaterThan(100);
  });

  it('a delta hedge without metrics marks without values until its last step, with the same bits', () => {
    // The option expires after the run (tenor 0.25 > 40 days): its price is needed at the last step.
    const hedge = deltaHedge({ asset: 0, type: 'call', strike: 100, tenor: 0.25, quantity: -1 });
    const lazy = runCountingLazyMarks(hedgeConfig(hedge));
    const eager = runCountingLazyMarks(hedgeConfig({ ...hedge, readsValue: true }));
    expect(lazy.marks).toBe(40);
    expect(lazy.lazyMarks).toBe(39); // every mark but the last
    expect(eager.lazyMarks).toBe(0);
    expect(firstDifference(lazy.print, eager.print)).toBe('');
    // Metrics read the values: then no mark skips them.
    const withMetrics = runCountingLazyMarks({ ...hedgeConfig(hedge), keepValuePaths: [5] });
    expect(withMetrics.lazyMarks).toBe(0);
  });

  it('a strategy that trades its open line and reads book.exposure gets the prices it needs', () => {
    const lazy = runCountingLazyMarks(hedgeConfig(lineTrader(false, false)));
    const eager = runCountingLazyMarks(hedgeConfig(lineTrader(true, false)));
    expect(lazy.lazyMarks).toBe(39);
    expect(firstDifference(lazy.print, eager.print)).toBe('');
  });

  it('control: a strategy that reads book.value but declares readsValue: false gets different results', () => {
    const truthful = fingerprint(hedgeConfig(lineTrader(true, true)));
    expect(fingerprint(hedgeConfig(lineTrader(false, true)))).not.toBe(truthful);
  });
});

/**
 * Buys an at-the-money call at step 0, halves it at step 10 (a trade of an open line at its mark,
 * that step without reading the exposure),
 * and holds −Δ + 0.001·(value of the holdings) units of the asset, both from `book.exposure` (which
 * reads the line's price);
 * with `readValue` it also buys 0.001·value units (a reader of `book.value`).
 */
function lineTrader(
  readsValue: boolean,
  readValue: boolean,
): Strategy<{ line: LineId; g: ReturnType<typeof greeksBlock> }> {
  const terms: OptionTerms = { kind: 'option', asset: 0, type: 'call', style: 'european' };
  return {
    name: 'line trader',
    kind: 'test',
    greeks: FIRST_ORDER, // the marks compute Γ and ν: exposure completes nothing, reads the marks
    readsValue,
    init: (ctx) => ({ line: -1, g: greeksBlock(ctx.nPaths) }),
    decide(ctx, book, st, targets) {
      if (ctx.step === 0) {
        st.line = targets.open(terms, Float64Array.from(ctx.spot[0]), ctx.t + 0.5);
        targets.qty(st.line).fill(10);
        return;
      }
      // Step 10 trades the line without reading the exposure first: the executor needs its price.
      if (ctx.step === 10) targets.qty(st.line).fill(5);
      else book.exposure(0, st.g);
      const units = targets.units(0);
      const V = book.value;
      for (let p = 0; p < ctx.nPaths; p++) {
        // The exposure's Δ and its value (units·S + Σ qty·price: the line's price is read).
        const hedge = book.units[0][p] - st.g.delta[p] + 1e-3 * st.g.price[p];
        units[p] = hedge + (readValue ? 0.001 * V[p] : 0);
      }
    },
  };
}
