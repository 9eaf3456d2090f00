/**
 * ln S carried by the market source (`MarketState.logSpot`): the engine asks the generator for it
 * when a run may hold options (`Strategy.holdsOptions`, default true), and the option marks take
 * ln(S/K) = ln S − ln K from it instead of a logarithm per option and path. Only the last bits may
 * change: a delta hedge and a book of options priced both ways agree to rounding; the declaration
 * decides which route runs, and each route is deterministic (the same bits on every run).
 */
import { describe, expect, it } from 'vitest';
import { buildBookHedge, buildDeltaHedge } from '../../bench/workloads/engine.ts';
import { GbmGenerator } from '../paths/gbm.ts';
import { uniformGrid } from '../paths/types.ts';
import { buyAndHold } from '../strategies/buy-and-hold.ts';
import { cppi } from '../strategies/cppi.ts';
import { volTarget } from '../strategies/overlays/vol-target.ts';
import type { Strategy } from '../strategies/types.ts';
import { drive, type EngineConfig, mayHoldOptions, runEngine } from './engine.ts';
import { GridSource } from './market-source.ts';
import { EngineStepper } from './stepper.ts';

/** `s` with its `holdsOptions` declaration replaced. */
function declaring<S>(s: Strategy<S>, holdsOptions: boolean): Strategy<S> {
  return { ...s, holdsOptions };
}

/** Whether the strategy's context carried ln S at every step (a probe around `decide`). */
function probed<S>(s: Strategy<S>, seen: boolean[]): Strategy<S> {
  return {
    ...s,
    decide(ctx, book, state, targets) {
      seen.push(ctx.logSpot !== undefined);
      s.decide(ctx, book, state, targets);
    },
  };
}

function withStrategy(cfg: EngineConfig, f: (s: Strategy) => Strategy): EngineConfig {
  return { ...cfg, runs: cfg.runs.map((r) => ({ ...r, strategy: f(r.strategy) })) };
}

describe('ln S for the option marks', () => {
  it('is asked for when a run may hold options (the default), not when every run trades assets only', () => {
    const dh = buildDeltaHedge({ nSteps: 20, seed: 3 }, { firstPath: 0, nPaths: 300 });
    expect(mayHoldOptions(dh.runs)).toBe(true);
    const seen: boolean[] = [];
    runEngine(withStrategy(dh, (s) => probed(s, seen)));
    expect(seen.length).toBeGreaterThan(20);
    expect(seen.every((x) => x)).toBe(true);
    // Assets only: CPPI, buy-and-hold, and a vol-target overlay on CPPI (it passes its inner's on).
    const c = cppi({ weights: Float64Array.of(1), floor: 0.8, multiplier: 4 });
    const overlayParams = {
      target: 0.1,
      per: 'sleeve',
      estimator: { kind: 'ewma', halfLife: 20 },
      weights: Float64Array.of(1),
      lag: 1,
      scaleBy: 'vol',
      maxWeight: 1,
      minWeight: 0,
      band: 0,
    } as const;
    const overlay = volTarget(c, overlayParams);
    const hold = buyAndHold({ weights: Float64Array.of(1) });
    expect([c, hold, overlay].map((s) => s.holdsOptions)).toEqual([false, false, false]);
    // An overlay on a strategy that declares nothing may hold options (the default).
    const { holdsOptions: _, ...bare } = hold;
    expect(mayHoldOptions([{ strategy: volTarget(bare, overlayParams) }])).toBe(true);
    const cfg: EngineConfig = {
      ...dh,
      generator: new GbmGenerator({ assets: dh.generator.assets, vols: [0.2] }),
      grid: uniformGrid(1, 20),
      runs: [{ ...dh.runs[0], strategy: c }],
    };
    expect(mayHoldOptions(cfg.runs)).toBe(false);
    seen.length = 0;
    runEngine(withStrategy(cfg, (s) => probed(s, seen)));
    expect(seen.length).toBeGreaterThan(20);
    expect(seen.some((x) => x)).toBe(false);
    // One run that may hold options is enough for all of them.
    expect(mayHoldOptions([...cfg.runs, ...dh.runs])).toBe(true);
  });

  it('changes a delta hedge and a 20-option book by rounding only, and each route keeps its bits', () => {
    const cases = [
      buildDeltaHedge({ nSteps: 63, seed: 11 }, { firstPath: 0, nPaths: 1024 }),
      buildBookHedge({ nSteps: 63, seed: 11 }, { firstPath: 0, nPaths: 256 }),
    ];
    for (const cfg of cases) {
      const withLn = runEngine(cfg).runs[0];
      const again = runEngine(cfg).runs[0];
      const without = runEngine(withStrategy(cfg, (s) => declaring(s, false))).runs[0];
      expect(Array.from(again.terminal)).toEqual(Array.from(withLn.terminal));
      let worst = 0;
      let moved = 0;
      for (let p = 0; p < withLn.terminal.length; p++) {
        const d = Math.abs(withLn.terminal[p] - without.terminal[p]);
        worst = Math.max(worst, d);
        if (d > 0) moved++;
      }
      // Δ moves by ~1e-15 a step (ln S − ln K against ln(S/K)); the hedge's units by as much, so the
      // terminal value (≈ 100) by ≲ steps · 1e-15 · S: well under 1e-9. A wrong ln S would move Δ by
      // far more (the kernel tests: ln S + 0.01 moves Δ by > 1e-3).
      expect(worst).toBeLessThan(1e-9);
      expect(moved).toBeGreaterThan(0);
    }
  });

  it('travels with a source snapshot: a delta hedge stopped at step k and restored continues bit-identically', () => {
    const cfg = buildDeltaHedge({ nSteps: 40, seed: 5 }, { firstPath: 0, nPaths: 512 });
    const build = () => ({
      stepper: new EngineStepper({
        assets: cfg.generator.assets,
        nPaths: 512,
        firstPath: 0,
        initialValue: 100,
        runs: cfg.runs,
        benchmark: 0,
        stepsPerYear: 40,
      }),
      source: new GridSource({
        generator: buildDeltaHedge({ nSteps: 40, seed: 5 }, { firstPath: 0, nPaths: 512 }).generator,
        grid: cfg.grid,
        nPaths: 512,
        seed: 5,
        stepsPerYear: 40,
        logSpot: true,
      }),
    });
    const whole = build();
    drive(whole.stepper, whole.source);
    const want = Array.from(whole.stepper.books[0].value);
    for (const k of [3, 25]) {
      const first = build();
      drive(first.stepper, first.source, undefined, k);
      const saved = structuredClone({ engine: first.stepper.snapshot(), source: first.source.snapshot() });
      // The snapshot holds ln S (the marks after the restore read it, not a fresh Math.log).
      expect(Object.keys((saved.source as { state: object }).state)).toContain('logSpot');
      const second = build();
      second.stepper.restore(saved.engine);
      second.source.restore(saved.source);
      drive(second.stepper, second.source);
      expect(Array.from(second.stepper.books[0].value), `k = ${k}`).toEqual(want);
    }
  });

  it('gives the same bits however the paths are split (ln S is a per-path state from the path’s own stream)', () => {
    const whole = runEngine(buildDeltaHedge({ nSteps: 30, seed: 9 }, { firstPath: 0, nPaths: 1024 })).runs[0];
    const parts = [0, 512].map(
      (firstPath) => runEngine(buildDeltaHedge({ nSteps: 30, seed: 9 }, { firstPath, nPaths: 512 })).runs[0],
    );
    expect(Array.from(parts[0].terminal)).toEqual(Array.from(whole.terminal.subarray(0, 512)));
    expect(Array.from(parts[1].terminal)).toEqual(Array.from(whole.terminal.subarray(512)));
    // and with chunks of 256 paths inside one engine run
    const chunked = runEngine({
      ...buildDeltaHedge({ nSteps: 30, seed: 9 }, { firstPath: 0, nPaths: 1024 }),
      chunkPaths: 256,
    }).runs[0];
    expect(Array.from(chunked.terminal)).toEqual(Array.from(whole.terminal));
  });
});
