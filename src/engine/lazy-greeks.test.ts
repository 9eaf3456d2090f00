/**
 * Lazy Greeks: a book's marks compute only what its strategy declares it reads (Strategy.greeks).
 * The declaration must be truthful: every example scenario gives bit-identical results when every
 * book is forced to compute Γ and ν as well (the cost of a mark is all a declaration may change).
 * The control shows the check can fail: a strategy that reads Γ from its line's marks but declares
 * price and Δ only trades on a Γ that was never computed, and its results change.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../config/scenario-load.ts';
import type { OptionTerms } from '../instruments/terms.ts';
import { FIRST_ORDER, type GreekMask, PRICE_DELTA } from '../portfolio/contract-pricer.ts';
import type { LineId } from '../portfolio/position-line.ts';
import { buildScenario } from '../scenario/build.ts';
import { marketEngineConfig, withOverrides } from '../scenario/run.ts';
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
