import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.ts';
import { drive, runEngine, type StrategyRun } from '../engine/engine.ts';
import { emptyObservation, GridSource } from '../engine/market-source.ts';
import { EngineStepper } from '../engine/stepper.ts';
import type { EventSpec } from '../market/events.ts';
import { EventJumpGenerator } from '../paths/event-jumps.ts';
import { GbmGenerator } from '../paths/gbm.ts';
import { uniformGrid } from '../paths/types.ts';
import { costModel } from '../portfolio/costs.ts';
import { buyAndHold } from './buy-and-hold.ts';
import { cppi } from './cppi.ts';
import { type EventHedgeState, eventHedge, eventHedgeOverlay } from './event-hedge.ts';
import type { MomentStats } from './moments.ts';
import type { Strategy } from './types.ts';

const assets = [{ name: 'EQ', assetClass: 'equity' as const, spot: 100 }];
const TAU = 0.1;
const events: EventSpec[] = [
  { name: 'CPI', t: TAU, jumpMean: -0.08, jumpStd: 0.02, volBump: 0.1, volHalfLife: 5 / 252 },
];
const grid = uniformGrid(0.25, 63); // daily; τ = 0.1 falls in (t₂₅, t₂₆]
const run = (strategy: Strategy): StrategyRun => ({
  strategy,
  costs: costModel(),
  rebalance: {},
  vols: { kind: 'model' },
});
const params = {
  weights: Float64Array.of(1),
  asset: 0,
  window: 5 / 252,
  tenor: 10 / 252,
  strike: 1,
  vegaBudget: 0.0005,
  after: 1 / 252,
};

function simulate(nPaths: number, keep: number[] = []) {
  const generator = new EventJumpGenerator(new GbmGenerator({ assets, vols: [0.2] }), events);
  return runEngine({
    generator,
    grid,
    nPaths,
    seed: 3,
    initialValue: 100,
    runs: [run(buyAndHold({ weights: Float64Array.of(1) })), run(eventHedge(params))],
    stepsPerYear: 252,
    ledgerPaths: [0],
    keepValuePaths: keep,
    events,
  });
}

function stepperRun(seed: number, until: number) {
  const stepper = new EngineStepper({
    assets,
    nPaths: 256,
    firstPath: 0,
    initialValue: 100,
    runs: [run(buyAndHold({ weights: Float64Array.of(1) })), run(eventHedge(params))],
    benchmark: 0,
    stepsPerYear: 252,
  });
  const source = new GridSource({
    generator: new EventJumpGenerator(new GbmGenerator({ assets, vols: [0.2] }), events),
    grid,
    nPaths: 256,
    seed,
    stepsPerYear: 252,
    events,
  });
  drive(stepper, source, undefined, until);
  return { stepper, source };
}

describe('event hedge', () => {
  it('holds the puts only inside the window: bought at the first step ≥ τ − window, sold at the first ≥ τ + after', () => {
    const res = simulate(256);
    const t = grid.times;
    const first = (x: number) => t.findIndex((s) => s >= x - 1e-9);
    const opts = res.runs[1].ledger.filter((r) => r.kind === 'option');
    expect(opts.map((r) => [r.step, Math.sign(r.qty)])).toEqual([
      [first(TAU - params.window), 1],
      [first(TAU + params.after), -1],
    ]);
    expect(first(TAU - params.window)).toBe(21);
    expect(first(TAU + params.after)).toBe(27);
    expect(opts[0].instrument).toMatch(/^EQ put K=[\d.]+ T=0\.123016$/); // t₂₁ + 10/252
  });

  it('buys exactly the vega budget (never more), and reports premium, vega and P&L per event', () => {
    const { stepper } = stepperRun(4, Number.POSITIVE_INFINITY);
    const st = stepper.stateOf(1) as EventHedgeState;
    expect(st.names).toEqual(['CPI']);
    for (const v of st.vega[0]) {
      expect(v).toBeLessThanOrEqual(0.0005 * 100 * (1 + 1e-12));
      expect(v).toBeCloseTo(0.05, 10);
    }
    for (const x of st.premium[0]) expect(x).toBeGreaterThan(0);
    const res = simulate(512);
    const strategy = eventHedge(params);
    const report = strategy.report!(res.runs[1].diagnostics!);
    const [ev] = report.details.events as {
      name: string;
      premium: MomentStats;
      vega: MomentStats;
      pnl: MomentStats;
    }[];
    expect(ev.name).toBe('CPI');
    expect(ev.vega.n).toBe(512);
    expect(ev.vega.mean).toBeCloseTo(0.05, 10);
    expect(ev.premium.mean).toBeGreaterThan(0);
    expect(ev.pnl.mean).toBeGreaterThan(3 * ev.pnl.se); // the −8 % event pays the puts
    expect(report.warnings).toEqual([]);
  });

  it('a −8 % jump event: the hedged book loses less on the event than buy-and-hold (2,048 paths, > 3 SE)', () => {
    const n = 2048;
    const keep = Array.from({ length: n }, (_, p) => p);
    const res = simulate(n, keep);
    const diff: number[] = [];
    const lossBh: number[] = [];
    const lossH: number[] = [];
    for (let p = 0; p < n; p++) {
      const bh = res.runs[0].values.get(p)!;
      const h = res.runs[1].values.get(p)!;
      lossBh.push(bh[25] - bh[26]);
      lossH.push(h[25] - h[26]);
      diff.push(bh[25] - bh[26] - (h[25] - h[26]));
    }
    const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
    const m = mean(diff);
    const sd = Math.sqrt(diff.reduce((s, v) => s + (v - m) ** 2, 0) / (n - 1));
    const se = sd / Math.sqrt(n);
    expect(mean(lossBh)).toBeGreaterThan(5); // ≈ 100·(1 − e^{−0.08}) = 7.7
    expect(m).toBeGreaterThan(3 * se);
    expect(mean(lossH)).toBeLessThan(mean(lossBh));
    const ev = (
      eventHedge(params).report!(res.runs[1].diagnostics!).details.events as {
        premium: MomentStats;
        pnl: MomentStats;
      }[]
    )[0];
    console.log(
      `event CPI: loss on the event step buy-and-hold ${mean(lossBh).toFixed(3)}, hedged ${mean(lossH).toFixed(3)} ` +
        `(saved ${m.toFixed(3)} ± ${se.toFixed(3)}); premium ${ev.premium.mean.toFixed(3)}, hedge P&L ${ev.pnl.mean.toFixed(3)} ± ${ev.pnl.se.toFixed(3)}`,
    );
  });

  it('sees the event ahead of time in the view, and never after it passed', () => {
    const seen: [number, number][] = [];
    const probe: Strategy<null> = {
      name: 'probe',
      kind: 'probe',
      init: () => null,
      decide(ctx) {
        seen.push([ctx.t, ctx.events?.length ?? -1]);
        for (const e of ctx.events ?? []) expect(e.t).toBeGreaterThan(ctx.t);
      },
    };
    runEngine({
      generator: new EventJumpGenerator(new GbmGenerator({ assets, vols: [0.2] }), events),
      grid,
      nPaths: 1,
      seed: 1,
      initialValue: 100,
      runs: [run(probe)],
      stepsPerYear: 252,
      events,
    });
    expect(seen.slice(0, 26).every(([, k]) => k === 1)).toBe(true); // t₀ … t₂₅ < τ
    expect(seen.slice(26).every(([, k]) => k === 0)).toBe(true); // from t₂₆ ≥ τ: the jump is in
    // a source without events leaves the view's list undefined
    const obs = emptyObservation();
    const src = new GridSource({
      generator: new GbmGenerator({ assets, vols: [0.2] }),
      grid,
      nPaths: 1,
      seed: 1,
      stepsPerYear: 252,
    });
    src.next(obs);
    expect(obs.events).toBeUndefined();
  });

  it('rejects a tenor that would expire before the unwind', () => {
    expect(() => eventHedge({ ...params, tenor: 5 / 252 })).toThrow(DomainError);
    expect(() => eventHedge({ ...params, tenor: 5 / 252 })).toThrow(
      /^tenor \(0\.01984\d*\) must be > window \+ after \(0\.0238095\)$/,
    );
  });

  it('a run snapshotted inside the window (step 23) and restored continues bit-identically', () => {
    const full = stepperRun(4, Number.POSITIVE_INFINITY).stepper;
    const part = stepperRun(4, 24);
    const resumed = stepperRun(4, 0);
    resumed.stepper.restore(part.stepper.snapshot());
    resumed.source.restore(part.source.snapshot());
    drive(resumed.stepper, resumed.source);
    expect(resumed.stepper.books[1].value).toEqual(full.books[1].value);
    expect(full.books[1].value).not.toEqual(full.books[0].value);
  });
});

describe('the event hedge as an overlay', () => {
  it('adds the same puts to any strategy: CPPI + event overlay = CPPI trades + the event puts', () => {
    const generator = new EventJumpGenerator(new GbmGenerator({ assets, vols: [0.2] }), events);
    const inner = () => cppi({ weights: Float64Array.of(1), floor: 0.8, multiplier: 3 });
    const res = runEngine({
      generator,
      grid,
      nPaths: 256,
      seed: 3,
      initialValue: 100,
      runs: [run(eventHedge(params)), run(inner()), run(eventHedgeOverlay(inner(), params))],
      stepsPerYear: 252,
      ledgerPaths: [0],
      events,
    });
    const [standalone, plain, overlaid] = res.runs;
    const options = (r: typeof plain) => r.ledger.filter((t) => t.kind === 'option');
    // The overlay's option trades are exactly the standalone event hedge's (same sizing on V₀).
    expect(options(overlaid).map((t) => [t.step, t.instrument, t.qty])).toEqual(
      options(standalone).map((t) => [t.step, t.instrument, t.qty]),
    );
    expect(options(plain)).toEqual([]);
    // Before the window the overlaid book is the CPPI book, trade for trade.
    const preWindow = (r: typeof plain) => r.ledger.filter((t) => t.kind === 'asset' && t.step < 21);
    expect(preWindow(overlaid)).toEqual(preWindow(plain));
    expect(overlaid.name).toBe(plain.name);
  });
});
