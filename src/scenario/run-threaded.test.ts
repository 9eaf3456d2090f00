/**
 * `hedgekit run` over worker threads: the result (every metric, report, ledger hash) is the
 * single-thread result bit for bit, and the thread count follows the work.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../config/scenario-load.ts';
import { EnginePool } from '../engine/parallel.ts';
import { buildScenario } from './build.ts';
import { runScenario } from './run.ts';
import { AUTO_THREADS_MIN_WORK, chooseThreads, runScenarioThreaded } from './run-threaded.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** A GBM market, a regime preset and a replay; option sleeves with a ratchet and a vol-target overlay. */
const SCENARIO = `name: threads
portfolio:
  initialValue: 100
  assets:
    - { name: EQ, class: equity, spot: 100, weight: 0.7, carry: 0.01 }
    - { name: BD, class: bond, spot: 100, weight: 0.3, carry: 0.03 }
floor: { level: 0.8, accrues: false }
horizon: 1
stepsPerYear: 26
rate: 0.02
paths: 1300
seed: 20261203
markets:
  - { kind: gbm, vols: [0.2, 0.05], correlation: [[1, -0.2], [-0.2, 1]] }
  - { kind: regime, preset: crash }
  - { kind: history, file: data/eustockmarkets.csv, from: 1998-06-01, to: 1998-08-14, columns: { EQ: DAX } }
costs: { bps: { equity: 5, bond: 2 }, optionSpreadFraction: 0.02 }
pricingVol: { kind: ewma, lambda: 0.94, initial: [0.2, 0.05] }
strategies:
  - { kind: buy-and-hold }
  - { name: ratcheted put, kind: protective-put, strike: 0.9, ratchet: { trigger: 0.05 } }
  - { kind: cppi, multiplier: 4 }
  - name: overlay
    kind: synthetic-put
    vol: 0.15
    overlays: [{ kind: vol-target, target: 0.1, per: leg, targets: { EQ: 0.12, BD: 0.05 } }]
ledgerPaths: [3, 700]
`;

const built = () => buildScenario(parseScenario(SCENARIO, 'threads.yaml'), root);

describe('runScenarioThreaded', () => {
  it('is bit-identical to one thread with 2 and 3 threads (every metric, report and ledger hash)', async () => {
    const one = JSON.stringify(runScenario(built()));
    const progress: number[] = [];
    const two = await runScenarioThreaded(built(), root, { threads: 2, onProgress: (d) => progress.push(d) });
    expect(JSON.stringify(two)).toBe(one);
    expect(JSON.stringify(await runScenarioThreaded(built(), root, { threads: 3 }))).toBe(one);
    // the reports and kept ledgers are really there (not two empty results compared)
    const overlay = two.markets[0].strategies[3];
    expect(overlay.report?.details).toHaveProperty('legs');
    expect(two.markets[0].strategies[1].ledger.length).toBeGreaterThan(0);
    // progress rises to the whole work
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.every((d, i) => i === 0 || d >= progress[i - 1])).toBe(true);
  });

  it("shares the ranges between this thread and the workers of a caller's pool, same bits", async () => {
    const one = JSON.stringify(runScenario(built()));
    const pool = new EnginePool(1, { depth: 2 });
    try {
      const res = await runScenarioThreaded(built(), root, { threads: 2, pool });
      expect(JSON.stringify(res)).toBe(one);
      // 2 Monte-Carlo markets × ceil(1300 / 512) = 6 ranges: the worker computed some, this thread the rest
      const jobs = pool.jobStats().length;
      expect(jobs).toBeGreaterThan(0);
      expect(jobs).toBeLessThan(6);
    } finally {
      await pool.close();
    }
  });

  it('with threads: 1 runs on the calling thread and gives the same result', async () => {
    const one = JSON.stringify(runScenario(built()));
    expect(JSON.stringify(await runScenarioThreaded(built(), root, { threads: 1 }))).toBe(one);
  });
});

describe('chooseThreads', () => {
  it('uses one thread below the work threshold and every core above it when a core is spare', () => {
    const idle = { cores: 4, load: 0.2 };
    const b = built(); // 2 Monte-Carlo markets × 1300 paths × 26 steps × 4 strategies = 270,400 units
    expect(chooseThreads(b, undefined, undefined, idle)).toBe(1);
    const big = buildScenario({ ...b.scenario, paths: 20_000, stepsPerYear: 252 }, root);
    expect(2 * 20_000 * 252 * 4).toBeGreaterThan(AUTO_THREADS_MIN_WORK);
    expect(chooseThreads(big, undefined, undefined, idle)).toBe(4);
    // a saturated machine: extra threads would only add their start-up
    expect(chooseThreads(big, undefined, undefined, { cores: 2, load: 1.6 })).toBe(1);
    expect(chooseThreads(big, undefined, undefined, { cores: 2, load: 1.4 })).toBe(2);
    // an explicit count wins either way
    expect(chooseThreads(big, 1, undefined, idle)).toBe(1);
    expect(chooseThreads(big, 3, undefined, { cores: 2, load: 12 })).toBe(3);
  });

  it('prefers the measured load of other processes: a busy second core keeps the run on one thread', () => {
    const big = buildScenario({ ...built().scenario, paths: 20_000, stepsPerYear: 252 }, root);
    // the one-minute load average says busy, the measurement says the cores are free now: threads
    expect(chooseThreads(big, undefined, undefined, { cores: 2, load: 5, others: 0.1 })).toBe(2);
    // another process keeps one of two cores (or half of one) busy: one thread
    expect(chooseThreads(big, undefined, undefined, { cores: 2, load: 0.2, others: 1 })).toBe(1);
    expect(chooseThreads(big, undefined, undefined, { cores: 2, load: 0.2, others: 0.6 })).toBe(1);
    // on 8 cores with 3 busy elsewhere, the 5 free ones
    expect(chooseThreads(big, undefined, undefined, { cores: 8, load: 3, others: 3 })).toBe(5);
    expect(chooseThreads(big, undefined, undefined, { cores: 2, load: 0, others: 7 })).toBe(1);
    // small work stays on one thread whatever the machine
    expect(chooseThreads(built(), undefined, undefined, { cores: 8, load: 0, others: 0 })).toBe(1);
  });

  it('keeps attribution runs and replay-only scenarios on one thread', () => {
    const b = buildScenario({ ...built().scenario, paths: 20_000, stepsPerYear: 252 }, root);
    expect(chooseThreads(b, 2, 'book')).toBe(1);
    const replay = buildScenario({ ...b.scenario, markets: [b.scenario.markets[2]] }, root);
    expect(chooseThreads(replay, 2)).toBe(1);
  });

  it('rejects a thread count that is not an integer >= 1', () => {
    expect(() => chooseThreads(built(), 0)).toThrow(/threads \(0\) must be an integer >= 1/);
    expect(() => chooseThreads(built(), 1.5)).toThrow(/threads \(1.5\) must be an integer >= 1/);
  });
});
