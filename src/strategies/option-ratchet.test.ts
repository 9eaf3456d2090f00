import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { handHistory, runHand } from '../../test/strategy-harness.ts';
import { DomainError } from '../core/errors.ts';
import { drive } from '../engine/engine.ts';
import { GridSource } from '../engine/market-source.ts';
import { EngineStepper } from '../engine/stepper.ts';
import { constantRate } from '../market/rate.ts';
import { regimePreset } from '../paths/presets.ts';
import { uniformGrid } from '../paths/types.ts';
import { costModel } from '../portfolio/costs.ts';
import { collar } from './collar.ts';
import type { MomentStats } from './moments.ts';
import type { RatchetState } from './option-ratchet.ts';
import { protectivePut, protectivePutDefinition } from './protective-put.ts';

const rising = [100, 103, 105.5, 107, 111, 112, 116, 117];
const falling = [100, 98, 96, 97, 95, 93, 94, 92];

function put(ratchet?: { trigger: number; step?: number }) {
  return protectivePut({
    weights: Float64Array.of(1),
    strike: 0.9,
    tenor: 1,
    ...(ratchet ? { ratchet } : {}),
  });
}

describe('ratchet: hand-made paths', () => {
  it('a rising path re-strikes at +5 %, +10.25 %, +15.76 % of the opening spot, the legs on the ladder', () => {
    const run = runHand(handHistory(rising), put({ trigger: 0.05 })).runs[0];
    const opts = run.ledger.filter((t) => t.kind === 'option');
    expect(opts.map((t) => [t.step, t.instrument])).toEqual([
      [0, 'A put K=90 T=1'],
      [2, 'A put K=90 T=1'],
      [2, 'A put K=94.5 T=1'],
      [4, 'A put K=94.5 T=1'],
      [4, 'A put K=99.225 T=1'],
      [6, 'A put K=99.225 T=1'],
      [6, 'A put K=104.186 T=1'],
    ]);
    // each ratchet sells the whole old line and buys the same count of new puts (λ·u, λ < 1: the
    // dearer puts are paid by selling a few units, which the ledger shows at the same steps)
    for (const s of [2, 4, 6]) {
      const [close, open] = opts.filter((t) => t.step === s);
      expect(close.qty).toBeLessThan(0);
      const asset = run.ledger.find((t) => t.step === s && t.kind === 'asset');
      expect(asset).toBeDefined();
      expect(asset!.qty).toBeLessThan(0);
      expect(open.qty).toBeCloseTo(-close.qty + asset!.qty, 12);
      // no costs: the value is conserved by the trades (premium = closed value + units sold)
      expect(close.qty * close.price + open.qty * open.price + asset!.qty * rising[s]).toBeCloseTo(0, 10);
    }
  });

  it('a finer ladder step (2.5 %) lands on the highest rung at or below the spot', () => {
    const run = runHand(handHistory(rising), put({ trigger: 0.05, step: 0.025 })).runs[0];
    const opened = run.ledger
      .filter((t) => t.kind === 'option' && t.qty > 0)
      .map((t) => [t.step, t.instrument]);
    // 105.5 → rung ⌊ln 1.055 / ln 1.025⌋ = 2: R = 105.0625, K = 94.55625; next trigger 1.05·R = 110.32
    // 111 → rung 4: R = 110.3813, K = 99.34316; next trigger 115.90 → 116 → rung 6: R = 115.9693, K = 104.3723
    expect(opened).toEqual([
      [0, 'A put K=90 T=1'],
      [2, 'A put K=94.5562 T=1'],
      [4, 'A put K=99.3432 T=1'],
      [6, 'A put K=104.372 T=1'],
    ]);
  });

  it('a falling path never ratchets: the only option trade is the opening', () => {
    const run = runHand(handHistory(falling), put({ trigger: 0.05 })).runs[0];
    expect(run.ledger.filter((t) => t.step > 0)).toEqual([]);
    const plain = runHand(handHistory(falling), put()).runs[0];
    expect(run.terminal[0]).toBe(plain.terminal[0]);
  });

  it('a roll re-strikes on the spot and resets the ladder (every rung line closed)', () => {
    const strategy = protectivePut({
      weights: Float64Array.of(1),
      strike: 0.9,
      tenor: 1,
      roll: 4 / 252,
      ratchet: { trigger: 0.05 },
    });
    const run = runHand(handHistory(rising), strategy).runs[0];
    const opts = run.ledger.filter((t) => t.kind === 'option');
    expect(opts.map((t) => [t.step, t.instrument, Math.sign(t.qty)])).toEqual([
      [0, 'A put K=90 T=1', 1],
      [2, 'A put K=90 T=1', -1],
      [2, 'A put K=94.5 T=1', 1],
      [4, 'A put K=94.5 T=1', -1],
      [4, 'A put K=99.9 T=1.01587', 1],
      // base 111 after the roll: the next trigger is 116.55, not reached before the end
    ]);
  });

  it('never ratchets at the final observation', () => {
    const run = runHand(handHistory([100, 101, 120]), put({ trigger: 0.05 })).runs[0];
    expect(run.ledger.filter((t) => t.step > 0)).toEqual([]);
  });

  it('a collar ratchets both legs, put and short call, at the same step', () => {
    const res = runHand(
      handHistory(rising),
      collar({
        weights: Float64Array.of(1),
        putStrike: 0.9,
        callStrike: 1.2,
        tenor: 1,
        ratchet: { trigger: 0.05 },
      }),
    );
    const at2 = res.runs[0].ledger.filter((t) => t.step === 2 && t.kind === 'option');
    expect(at2.map((t) => t.instrument).sort()).toEqual([
      'A call K=120 T=1',
      'A call K=126 T=1',
      'A put K=90 T=1',
      'A put K=94.5 T=1',
    ]);
  });

  it('validates trigger and step', () => {
    expect(() => put({ trigger: 0 })).toThrow(DomainError);
    expect(() => put({ trigger: 0.05, step: 0.1 })).toThrow('ratchet.step (0.1) must be <= trigger (0.05)');
    const parsed = z.object(protectivePutDefinition.shape).parse({ strike: 0.9, ratchet: { trigger: 0.05 } });
    expect(parsed.ratchet).toEqual({ trigger: 0.05 });
    const issues: string[] = [];
    protectivePutDefinition.check?.(
      { ...parsed, ratchet: { trigger: 0.05, step: 0.1 } },
      undefined as never,
      (path, message) => issues.push(`${path.join('.')}: ${message}`),
    );
    expect(issues).toEqual(['ratchet.step: must be <= trigger (0.05)']);
  });
});

/** Runs static and ratcheted puts on the calm-bull preset; returns per-path protected levels at T. */
function rally(nPaths: number) {
  const assets = [{ name: 'EQ', assetClass: 'equity' as const, spot: 100 }];
  const gen = regimePreset('calm-bull')(assets, constantRate(0.02));
  const grid = uniformGrid(1, 252);
  const mk = (ratchet?: { trigger: number }) => ({
    strategy: protectivePut({
      weights: Float64Array.of(1),
      strike: 0.9,
      tenor: 1.25, // still alive at the horizon: the protected level is Σ qty·K
      ...(ratchet ? { ratchet } : {}),
    }),
    costs: costModel(),
    rebalance: {},
    vols: { kind: 'model' as const },
  });
  const runs = [mk(), mk({ trigger: 0.05 })];
  const stepper = new EngineStepper({
    assets,
    nPaths,
    firstPath: 0,
    initialValue: 100,
    runs,
    benchmark: 0,
    stepsPerYear: 252,
  });
  drive(stepper, new GridSource({ generator: gen, grid, nPaths, seed: 7, stepsPerYear: 252 }));
  const protectedLevel = stepper.books.map((b) => {
    const out = new Float64Array(nPaths);
    for (const line of b.lines) for (let p = 0; p < nPaths; p++) out[p] += line.qty[p] * line.strike[p];
    return out;
  });
  const rs = (stepper.snapshot().states[1] as { ratchet: RatchetState }).ratchet;
  const strategy = runs[1].strategy;
  const report = strategy.report?.(strategy.diagnostics!(stepper.stateOf(1) as never));
  return { protectedLevel, rs, report, values: stepper.books.map((b) => b.value) };
}

describe('ratchet: a rally regime (calm-bull, 1 y, 512 paths)', () => {
  it('ends with a higher protected level than the static put, at a reported cost', () => {
    const n = 512;
    const {
      protectedLevel: [stat, rat],
      rs,
      report,
    } = rally(n);
    const mean = (x: ArrayLike<number>) => Array.from(x).reduce((s, v) => s + v, 0) / x.length;
    const min = (x: ArrayLike<number>) => Math.min(...Array.from(x));
    // Static: u·K = 100·90/(100 + P₀) on every path. Ratcheted: never below it on any path.
    expect(max(stat) - min(stat)).toBeLessThan(1e-9);
    for (let p = 0; p < n; p++) expect(rat[p]).toBeGreaterThanOrEqual(stat[p] - 1e-9);
    expect(mean(rat)).toBeGreaterThan(mean(stat) + 5);
    expect(min(rat)).toBeGreaterThanOrEqual(min(stat) - 1e-9);
    const ratcheted = Array.from(rs.count).filter((c) => c > 0).length;
    expect(ratcheted / n).toBeGreaterThan(0.5);
    // the cost: net premium paid at ratchets (new − closed puts), positive on the ratcheted paths
    for (let p = 0; p < n; p++) if (rs.count[p] > 0) expect(rs.cost[p]).toBeGreaterThan(0);
    // the same figures in the run's report (`run --json`: report.details)
    const d = report!.details as { ratchets: MomentStats; ratchetedFraction: number; cost: MomentStats };
    expect(d.ratchetedFraction).toBe(ratcheted / n);
    expect(d.cost.mean).toBeCloseTo(mean(rs.cost), 12);
    expect(d.ratchets.mean).toBeCloseTo(mean(rs.count), 12);
    expect(d.cost.se).toBeGreaterThan(0);
    console.log(
      `calm-bull: protected level static ${mean(stat).toFixed(3)} → ratchet ${mean(rat).toFixed(3)}; ` +
        `ratcheted ${((100 * ratcheted) / n).toFixed(1)} % of paths, mean ratchets ${mean(rs.count).toFixed(2)}, ` +
        `mean cost ${mean(rs.cost).toFixed(3)}`,
    );
  });
});

function max(x: ArrayLike<number>): number {
  return Math.max(...Array.from(x));
}

describe('ratchet: per-path trades under costs, and snapshots', () => {
  function gbmRuns(nPaths: number, until = Number.POSITIVE_INFINITY) {
    const assets = [{ name: 'EQ', assetClass: 'equity' as const, spot: 100 }];
    const costs = costModel({ bps: { equity: 5 }, optionSpreadFraction: 0.04 });
    const mk = (ratchet?: { trigger: number }) => ({
      strategy: protectivePut({
        weights: Float64Array.of(1),
        strike: 0.9,
        tenor: 0.5,
        ...(ratchet ? { ratchet } : {}),
      }),
      costs,
      rebalance: {},
      vols: { kind: 'model' as const },
    });
    const stepper = new EngineStepper({
      assets,
      nPaths,
      firstPath: 0,
      initialValue: 100,
      runs: [mk(), mk({ trigger: 0.04 })],
      benchmark: 0,
      stepsPerYear: 252,
    });
    const gen = regimePreset('calm-bull')(assets, constantRate(0));
    const source = new GridSource({
      generator: gen,
      grid: uniformGrid(0.5, 126),
      nPaths,
      seed: 9,
      stepsPerYear: 252,
    });
    drive(stepper, source, undefined, until);
    return { stepper, source };
  }

  it('paths that never ratchet pay exactly the static put’s costs and end at its value', () => {
    const n = 256;
    const { stepper } = gbmRuns(n);
    const rs = (stepper.stateOf(1) as { ratchet: RatchetState }).ratchet;
    const [stat, rat] = stepper.books;
    let never = 0;
    for (let p = 0; p < n; p++) {
      if (rs.count[p] > 0) {
        expect(rat.fees[p]).toBeGreaterThan(stat.fees[p]);
        continue;
      }
      never++;
      expect(rat.fees[p]).toBe(stat.fees[p]);
      expect(rat.value[p]).toBe(stat.value[p]);
    }
    expect(never).toBeGreaterThan(0);
    expect(never).toBeLessThan(n);
  });

  it('a run snapshotted at step 40 and restored continues bit-identically', () => {
    const n = 256;
    const full = gbmRuns(n).stepper;
    const part = gbmRuns(n, 41);
    const snap = part.stepper.snapshot();
    const src = part.source.snapshot();
    const resumed = gbmRuns(n, 0);
    resumed.stepper.restore(snap);
    resumed.source.restore(src);
    drive(resumed.stepper, resumed.source);
    expect(resumed.stepper.books[1].value).toEqual(full.books[1].value);
  });
});
