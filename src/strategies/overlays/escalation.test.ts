/**
 * The escalation overlay: level policy enforced on hand-made paths (HALTED freezes, re-arm then
 * cash-lock, DE-RISK admits only risk-reducing trades — puts bought, a flip to short refused), the
 * same levels as the live protocol fed the same measurements (property over random paths and on
 * the S&P 500 in autumn 2008), a no-op when no threshold can fire, per-path state (chunking does
 * not matter), and the measured cost / benefit on the crash and rally presets.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { handHistory, runHand } from '../../../test/strategy-harness.ts';
import { buildScenario, parseScenario, runScenario } from '../../api.ts';
import { drive } from '../../engine/engine.ts';
import { GridSource } from '../../engine/market-source.ts';
import { EngineStepper } from '../../engine/stepper.ts';
import { type EscalationConfigInput, parseEscalationConfig } from '../../live/escalation/config.ts';
import { createEscalation } from '../../live/escalation/protocol.ts';
import { loadPriceHistory } from '../../market/history-csv.ts';
import { constantRate } from '../../market/rate.ts';
import { MertonGenerator } from '../../paths/merton.ts';
import { uniformGrid } from '../../paths/types.ts';
import type { BookView } from '../../portfolio/book.ts';
import { costModel } from '../../portfolio/costs.ts';
import { tradeListHash } from '../../portfolio/ledger.ts';
import type { StepContext } from '../../portfolio/step-context.ts';
import type { TargetSink } from '../../portfolio/target-sink.ts';
import { constantMix } from '../constant-mix.ts';
import { cppi } from '../cppi.ts';
import { protectivePut } from '../protective-put.ts';
import type { Strategy } from '../types.ts';
import { escalationOverlay } from './escalation.ts';

const ONE = Float64Array.of(1);
const FLOOR = { level: 0.8, accrues: false } as const;
const OFF = { watch: null, deRisk: null, protect: null, halted: null } as const;

function wrap(inner: Strategy<unknown>, config: EscalationConfigInput, rearmAfterDays: number | null = null) {
  return escalationOverlay(inner, {
    config: parseEscalationConfig(config),
    floor: FLOOR,
    rearmAfterDays,
    initialVol: 0.2,
  }) as Strategy;
}

function levelSeries(r: ReturnType<typeof runHand>): number[] {
  return Array.from(r.runs[0].diagnostics?.series['escalation.level'] ?? []);
}

describe('escalation overlay: the level policy on the wrapped strategy', () => {
  const crash = [100, 101, 100.5, 79, 78, 80, 77, 79, 81, 82];

  it('HALTED (a 21 % drop) freezes the book: no trade at or after the halt without a re-arm', () => {
    const r = runHand(handHistory(crash), wrap(cppi({ weights: ONE, floor: 0.8, multiplier: 4 }), {}));
    expect(levelSeries(r).slice(3)).toEqual(Array(crash.length - 3).fill(4));
    expect(r.runs[0].ledger.filter((t) => t.step >= 3)).toEqual([]);
    // the bare CPPI does trade after the crash
    const bare = runHand(handHistory(crash), cppi({ weights: ONE, floor: 0.8, multiplier: 4 }) as Strategy);
    expect(bare.runs[0].ledger.filter((t) => t.step >= 3).length).toBeGreaterThan(0);
  });

  it('the simulated operator re-arms after a day: HALTED → PROTECT, and PROTECT cash-locks at once', () => {
    const r = runHand(handHistory(crash), wrap(cppi({ weights: ONE, floor: 0.8, multiplier: 4 }), {}, 1));
    const lv = levelSeries(r);
    expect(lv[3]).toBe(4);
    expect(lv[4]).toBe(3);
    const sells = r.runs[0].ledger.filter((t) => t.step === 4 && t.kind === 'asset');
    expect(sells).toHaveLength(1);
    expect(sells[0].qty).toBeLessThan(0);
    // all in cash (rate 0): the value no longer moves while the level stays at PROTECT or above
    const v = r.runs[0].values.get(0) as Float64Array;
    for (let i = 5; i < crash.length; i++) if (lv[i] >= 3) expect(v[i]).toBe(v[4]);
    // the counts agree with the level series: one re-arm, the other moves automatic
    let ups = 0;
    let downs = 0;
    for (let i = 1; i < lv.length; i++) {
      if (lv[i] > lv[i - 1]) ups++;
      if (lv[i] < lv[i - 1]) downs++;
    }
    const totals = r.runs[0].diagnostics?.totals ?? {};
    expect(totals['escalation.rearms']).toBe(1);
    expect(totals['escalation.escalations']).toBe(ups);
    expect(totals['escalation.stepDowns']).toBe(downs - 1);
  });

  it('DE-RISK admits sells toward flat and refuses buys (a 50/50 mix after a 7.5 % drop)', () => {
    const path = [100, 100, 92.5, 90, 93, 95, 96, 94, 97, 98];
    const cfg = { moveSigmas: OFF, cushion: OFF, shockedLoss: OFF, dwellHours: 48 };
    const r = runHand(handHistory(path), wrap(constantMix({ weights: ONE, riskyFraction: 0.5 }), cfg));
    const lv = levelSeries(r);
    expect(lv.slice(0, 4)).toEqual([0, 0, 2, 2]);
    const trades = r.runs[0].ledger.filter((t) => t.kind === 'asset' && t.step > 0);
    for (const t of trades) if (lv[t.step] === 2) expect(t.qty).toBeLessThan(0);
    // the bare mix buys on the drop days; under DE-RISK those targets were dropped
    const bare = runHand(handHistory(path), constantMix({ weights: ONE, riskyFraction: 0.5 }) as Strategy);
    expect(bare.runs[0].ledger.some((t) => t.step === 2 && t.qty > 0)).toBe(true);
    expect(trades.some((t) => t.step === 2)).toBe(false);
    expect(r.runs[0].diagnostics?.totals['escalation.droppedTargets']).toBeGreaterThan(0);
  });

  it('DE-RISK at portfolio level: buying puts is admitted, a sell that flips the book short is not', () => {
    // A test strategy: hold 1 unit; at step 3 (under DE-RISK) buy 1 put struck 95 and try to go −0.5 units.
    const inner: Strategy<{ line: number }> = {
      name: 'probe',
      kind: 'probe',
      init: () => ({ line: -1 }),
      decide(ctx: StepContext, _book: BookView, st: { line: number }, targets: TargetSink) {
        if (ctx.step === 0) targets.units(0).fill(1);
        if (ctx.step === 3) {
          st.line = targets.open(
            { kind: 'option', asset: 0, type: 'put', style: 'european' },
            95,
            ctx.t + 0.25,
          );
          targets.qty(st.line).fill(1);
          targets.units(0).fill(-0.5);
        }
      },
    };
    const path = [100, 100, 92.5, 92, 91, 90];
    const cfg = { moveSigmas: OFF, cushion: OFF, shockedLoss: OFF };
    const r = runHand(handHistory(path), wrap(inner, cfg), { vols: { kind: 'constant', vol: 0.3 } });
    expect(levelSeries(r)[3]).toBe(2);
    const at3 = r.runs[0].ledger.filter((t) => t.step === 3);
    expect(at3.filter((t) => t.kind === 'option').map((t) => t.qty)).toEqual([1]);
    expect(at3.filter((t) => t.kind === 'asset')).toEqual([]);
    // without the overlay both trades happen
    const bare = runHand(handHistory(path), inner as Strategy, { vols: { kind: 'constant', vol: 0.3 } });
    expect(bare.runs[0].ledger.filter((t) => t.step === 3 && t.kind === 'asset').map((t) => t.qty)).toEqual([
      -1.5,
    ]);
  });
});

/** The live protocol fed what the overlay measures from prices alone (cushion drivers off). */
function referenceLevels(prices: readonly number[], rearmAfterDays: number | null): number[] {
  const esc = createEscalation({ cushion: OFF, shockedLoss: OFF });
  const yearMs = 365.25 * 86_400_000;
  const dt = 1 / 252;
  let ewVar = 0.04;
  let haltedAt = Number.NaN;
  const out: number[] = [];
  for (let i = 0; i < prices.length; i++) {
    const timeMs = (i / 252) * yearMs;
    if (esc.level === 'HALTED' && rearmAfterDays !== null && timeMs - haltedAt >= rearmAfterDays * 86_400_000)
      esc.manual({ kind: 'rearm', actor: 'back-test' }, timeMs);
    if (i === 0) esc.update({ timeMs });
    else {
      const r = Math.log(prices[i] / prices[i - 1]);
      const moveSigmas = Math.abs(r) / Math.sqrt(ewVar * dt);
      ewVar = 0.94 * ewVar + (0.06 * r * r) / dt;
      for (const t of esc.update({ timeMs, moveSigmas, indexDrop: 1 - Math.exp(r) }))
        if (t.to === 'HALTED') haltedAt = timeMs;
    }
    out.push(['NORMAL', 'WATCH', 'DE-RISK', 'PROTECT', 'HALTED'].indexOf(esc.level));
  }
  return out;
}

describe('escalation overlay: the same protocol as live', () => {
  const cfg = { cushion: OFF, shockedLoss: OFF };

  it('property: on random paths the overlay levels equal the live protocol fed the same measurements', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            { arbitrary: fc.double({ min: -0.035, max: 0.035, noNaN: true }), weight: 8 },
            { arbitrary: fc.double({ min: -0.25, max: 0.1, noNaN: true }), weight: 1 },
          ),
          { minLength: 2, maxLength: 80 },
        ),
        fc.constantFrom(null, 1, 3),
        (returns, rearm) => {
          const prices = [100];
          for (const r of returns) prices.push(prices[prices.length - 1] * Math.exp(r));
          const r = runHand(
            handHistory(prices),
            wrap(constantMix({ weights: ONE, riskyFraction: 0.5 }), cfg, rearm),
          );
          expect(levelSeries(r)).toEqual(referenceLevels(prices, rearm));
        },
      ),
      { seed: 20261203, numRuns: 60 },
    );
  });

  it('on the S&P 500 from September to December 2008', () => {
    const h = loadPriceHistory('data/sp500.csv');
    const col = h.columns.indexOf('close');
    const i0 = h.dates.indexOf('2008-09-02');
    const i1 = h.dates.indexOf('2008-12-31');
    const prices = Array.from(h.prices[col].subarray(i0, i1 + 1));
    const r = runHand(handHistory(prices), wrap(constantMix({ weights: ONE, riskyFraction: 0.5 }), cfg, 1));
    const lv = levelSeries(r);
    expect(lv).toEqual(referenceLevels(prices, 1));
    // the autumn reached DE-RISK or worse (the 9 % falls of 29 Sep and 15 Oct 2008) and came back down
    expect(Math.max(...lv)).toBeGreaterThanOrEqual(2);
    expect(lv[lv.length - 1]).toBeLessThan(Math.max(...lv));
  });
});

const scenario = (strategies: string, markets: string, paths = 512) => `name: esc
portfolio:
  assets:
    - { name: index, class: equity, weight: 1 }
floor: { level: 0.8 }
horizon: 0.5
paths: ${paths}
seed: 5
markets:
${markets}
costs: { bps: { equity: 5 } }
pricingVol: { kind: ewma, lambda: 0.94, initial: 0.2 }
strategies:
  - { kind: buy-and-hold }
${strategies}
`;

function keyOf(text: string, chunkPaths?: number) {
  const s = parseScenario(text, 'esc.yaml');
  return runScenario(buildScenario(s, '.'), chunkPaths ? { chunkPaths } : {});
}

describe('escalation overlay in scenarios', () => {
  it('reports a bad entry with its path and line', () => {
    const text = scenario(
      '  - { kind: cppi, multiplier: 4, overlays: [{ kind: escalation, indexDrop: { protect: 0.05 } }] }',
      '  - { kind: regime, preset: crash }',
    );
    expect(() => parseScenario(text, 'esc.yaml')).toThrow(
      /esc\.yaml:\d+: strategies\[1\]\.overlays\[0\]\.indexDrop\.protect: must be > deRisk \(0\.07\): thresholds must be ordered by level/,
    );
    const typo = scenario(
      '  - { kind: cppi, multiplier: 4, overlays: [{ kind: escalation, rearmAfter: 2 }] }',
      '  - { kind: regime, preset: crash }',
    );
    expect(() => parseScenario(typo, 'esc.yaml')).toThrow(
      /overlays\[0\]\.rearmAfter: unknown key \(allowed here: kind, dwellHours, .*, rearmAfterDays, initialVol\)/,
    );
  });

  it('with every threshold off it changes nothing (same trades, same metrics)', () => {
    const off = '{ watch: null, deRisk: null, protect: null, halted: null }';
    const r = keyOf(
      scenario(
        `  - { kind: cppi, multiplier: 4 }
  - { kind: cppi, multiplier: 4, name: wrapped, overlays: [{ kind: escalation, cushion: ${off}, shockedLoss: ${off}, moveSigmas: ${off}, indexDrop: ${off} }] }`,
        '  - { kind: regime, preset: crash }',
      ),
    );
    const [, bare, wrapped] = r.markets[0].strategies;
    expect(wrapped.key).toEqual(bare.key);
    expect(wrapped.summary).toEqual(bare.summary);
  });

  it('keeps one state per path: results do not depend on how paths are chunked', () => {
    const text = scenario(
      '  - { kind: cppi, multiplier: 4, overlays: [{ kind: escalation }] }',
      '  - { kind: regime, preset: crash }',
      768,
    );
    const a = keyOf(text, 256).markets[0].strategies[1];
    const b = keyOf(text, 512).markets[0].strategies[1];
    expect(b.key).toEqual(a.key);
    expect(b.report).toEqual(a.report);
  });

  it('reports the share of path-steps at each level and its counts', () => {
    const r = keyOf(
      scenario(
        '  - { kind: cppi, multiplier: 4, overlays: [{ kind: escalation }] }',
        '  - { kind: regime, preset: crash }',
      ),
    );
    const esc = r.markets[0].strategies[1].report?.details.escalation as {
      shareOfPathSteps: Record<string, number>;
      escalations: number;
      rearms: number;
    };
    const shares = Object.values(esc.shareOfPathSteps);
    expect(shares.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
    // the −20 % gap of day 21 halts some paths and the operator stand-in re-arms each of them
    expect(esc.shareOfPathSteps.HALTED).toBeGreaterThan(0);
    expect(esc.rearms).toBeGreaterThan(0);
    expect(r.markets[0].strategies[1].name).toBe('cppi m=4 +escalation');
  });

  it('measured: on the crash preset it lifts a protective put book tail; on the rally preset it costs CPPI upside', () => {
    const r = keyOf(
      scenario(
        `  - { kind: protective-put, strike: 0.9 }
  - { kind: protective-put, strike: 0.9, name: put esc, overlays: [{ kind: escalation }] }
  - { kind: cppi, multiplier: 4 }
  - { kind: cppi, multiplier: 4, name: cppi esc, overlays: [{ kind: escalation }] }`,
        '  - { kind: regime, preset: crash }\n  - { kind: regime, preset: v-rebound }',
      ),
    );
    const [crash, rally] = r.markets;
    expect(crash.strategies[2].key.terminalP20).toBeGreaterThan(crash.strategies[1].key.terminalP20);
    expect(rally.strategies[4].key.annualizedReturn).toBeLessThan(rally.strategies[3].key.annualizedReturn);
  });
});

describe('escalation overlay on real history', () => {
  it('measured: through 2007-09 a put rolled at 90 % breaches the 80 % floor; the protocol cash-locks above it', () => {
    const r = keyOf(
      scenario(
        `  - { kind: protective-put, strike: 0.9, tenor: 0.25, roll: quarterly }
  - { kind: protective-put, strike: 0.9, tenor: 0.25, roll: quarterly, name: put esc, overlays: [{ kind: escalation }] }`,
        `  - { kind: history, file: data/us-multiasset.csv, from: 2007-10-09, to: 2009-03-09, columns: { index: sp500 } }`,
      ),
    );
    const [bh, put, esc] = r.markets[0].strategies;
    expect(bh.key.probEndBelowFloor).toBe(1);
    expect(put.key.probEndBelowFloor).toBe(1);
    expect(esc.key.probEndBelowFloor).toBe(0);
    expect(esc.key.probTouchFloor).toBe(0);
    const details = esc.report?.details.escalation as
      | { shareOfPathSteps: Record<string, number> }
      | undefined;
    const share = details?.shareOfPathSteps ?? {};
    expect(share.PROTECT + share['DE-RISK']).toBeGreaterThan(0);
  });
});

describe('escalation overlay: engine snapshot / restore', () => {
  // Jumpy paths and tight thresholds so that levels move every way, a rolled put (lines) and CPPI.
  const assets = [{ name: 'EQ', assetClass: 'equity' as const, spot: 100 }];
  const cfg = { moveSigmas: { watch: 1.5, deRisk: 2, protect: 2.5, margin: 0.5 }, dwellHours: 30 };
  const grid = uniformGrid(1, 52);
  const nPaths = 256;
  const build = () => {
    const common = {
      costs: costModel({ bps: { equity: 5 } }),
      rebalance: {},
      vols: { kind: 'ewma' as const, lambda: 0.94, initial: 0.2 },
    };
    const stepper = new EngineStepper({
      assets,
      nPaths,
      firstPath: 0,
      initialValue: 100,
      runs: [
        { strategy: wrap(cppi({ weights: ONE, floor: 0.8, multiplier: 4 }), cfg, 0.05), ...common },
        {
          strategy: wrap(
            protectivePut({ weights: ONE, strike: 0.95, tenor: 0.25, roll: 'monthly' }),
            cfg,
            0.05,
          ),
          ...common,
        },
      ],
      benchmark: 0,
      stepsPerYear: 52,
      ledgerPaths: [0, 5, 255],
    });
    const generator = new MertonGenerator({
      assets,
      rate: constantRate(0.02),
      vols: [0.25],
      jumps: [{ intensity: 3, mean: -0.1, std: 0.08 }],
    });
    const source = new GridSource({ generator, grid, nPaths, seed: 3, stepsPerYear: 52 });
    return { stepper, source };
  };
  const finish = (x: ReturnType<typeof build>) => {
    drive(x.stepper, x.source);
    return {
      values: x.stepper.books.map((b) => Array.from(b.value)),
      ledgers: x.stepper.ledgers.map((l) => tradeListHash(l.records)),
      states: x.stepper.snapshot().states,
    };
  };

  it('continues bit-identically from a snapshot in a fresh engine (overlay state included)', () => {
    const whole = finish(build());
    const levels = (whole.states[0] as { atLevel: Float64Array }).atLevel;
    // the run visits every level below HALTED, and some paths halt
    for (let l = 0; l < 5; l++) expect(levels[l], `level ${l}`).toBeGreaterThan(0);
    for (const k of [1, 19, 40]) {
      const first = build();
      drive(first.stepper, first.source, undefined, k);
      const saved = structuredClone({ engine: first.stepper.snapshot(), source: first.source.snapshot() });
      const second = build();
      second.stepper.restore(saved.engine);
      second.source.restore(saved.source);
      const resumed = finish(second);
      expect(resumed.values, `k = ${k}`).toEqual(whole.values);
      expect(resumed.ledgers, `k = ${k}`).toEqual(whole.ledgers);
      expect(resumed.states, `k = ${k}`).toEqual(whole.states);
    }
  });
});
