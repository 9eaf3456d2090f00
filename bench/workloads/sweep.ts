import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnginePool } from '../../src/engine/parallel.ts';
import { cpuSince, threadCpu } from '../../src/engine/thread-cpu.ts';
import { LocalExecutor } from '../../src/sweep/local-executor.ts';
import { type SweepWorker, startSweepWorker } from '../../src/sweep/queue/queue-worker.ts';
import { runSweep, runSweepOnQueue } from '../../src/sweep/run-sweep.ts';
import { loadSweep, type SweepPlan } from '../../src/sweep/sweep-file.ts';
import { startRedis, type TestRedis } from '../../test/support/redis-server.ts';
import { type Efficiency, efficiencyOf, loadavg, medianEfficiency } from '../support/efficiency.ts';
import type { BenchWorkload } from '../types.ts';

const BASE = fileURLToPath(new URL('../../examples/cppi-3-assets.yaml', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'hedgekit-bench-sweep-'));
let seq = 0;
const freshCache = () => join(dir, `cache-${seq++}`);

function plan(text: string): SweepPlan {
  const f = join(dir, `sweep-${seq++}.yaml`);
  writeFileSync(f, text);
  return loadSweep(f);
}

const LOCAL = `name: bench-sweep-local
scenario: ${JSON.stringify(BASE)}
markets: [calm gbm]
paths: 2000
grid:
  strategies[cppi].multiplier: [2, 3, 4, 5, 6]
  floor.level: [0.7, 0.8, 0.9]
  strategies[cppi].tolerance: [0.01, 0.02, 0.05]
shardPaths: 1024
`;

/** 120 shards of one step each: the queue's cost dominates. */
const TINY = `name: bench-sweep-tiny
scenario: ${JSON.stringify(BASE)}
markets: [calm gbm]
paths: 512
grid:
  stepsPerYear: [1]
  strategies[cppi].multiplier: [2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5]
  floor.level: [0.7, 0.72, 0.74, 0.76, 0.78, 0.8, 0.82, 0.84, 0.86, 0.88]
shardPaths: 512
`;

let pool: EnginePool | undefined;
let speedup = Number.NaN;
let speedupCold = Number.NaN;
let eff: Efficiency | undefined;
let localPlan: SweepPlan;
let rows = 0;

let redis: TestRedis | undefined;
let worker: SweepWorker | undefined;
let url = '';
let tinyPlan: SweepPlan;
/** One plan per queue run (another seed: another sweep hash, so no shard is in the queue yet). */
const tinyPlans: SweepPlan[] = [];
let localTinyMs = Number.NaN;
let queueTinyMs = Number.NaN;

async function timed(f: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
}

export const workloads: BenchWorkload[] = [
  {
    name: 'sweep-local',
    unit: 'point-path-step',
    n: 45 * 2000 * 252,
    reps: 2,
    description: '45 CPPI points × 2,000 paths × 252 steps, 90 shards on 2 warm engine threads',
    async setup() {
      localPlan = plan(LOCAL);
      pool = new EnginePool(2);
      const two = new LocalExecutor(2, pool);
      const one = new LocalExecutor(1);
      // cold: a pool started by the run itself (as `hedgekit sweep` does)
      const cold2 = await timed(() => runSweep(localPlan, { cacheDir: freshCache(), threads: 2 }));
      await runSweep(localPlan, { cacheDir: freshCache(), executor: two }); // warm the pool
      await runSweep(localPlan, { cacheDir: freshCache(), executor: one }); // and this thread
      pool.jobStats(true);
      let t1 = Number.POSITIVE_INFINITY;
      let t2 = Number.POSITIVE_INFINITY;
      const rounds: Efficiency[] = [];
      for (let k = 0; k < 3; k++) {
        let c = threadCpu();
        t1 = Math.min(t1, await timed(() => runSweep(localPlan, { cacheDir: freshCache(), executor: one })));
        const cpu1 = (cpuSince(c, threadCpu())?.cpuNs ?? Number.NaN) / 1e6;
        c = threadCpu();
        t2 = Math.min(t2, await timed(() => runSweep(localPlan, { cacheDir: freshCache(), executor: two })));
        const main = (cpuSince(c, threadCpu())?.cpuNs ?? Number.NaN) / 1e6;
        rounds.push(efficiencyOf(cpu1, main, pool.jobStats(true)));
      }
      eff = medianEfficiency(rounds);
      speedup = t1 / t2;
      speedupCold = t1 / cold2;
    },
    async run() {
      const out = await runSweep(localPlan, { cacheDir: freshCache(), executor: new LocalExecutor(2, pool) });
      rows = out.result.rows.length;
    },
    async accuracy() {
      await pool?.close();
      const [load1, load5] = loadavg();
      return { speedup, speedupCold, ...eff, load1, load5, rows };
    },
  },
  {
    name: 'sweep-redis-shard',
    unit: 'shard',
    n: 120,
    reps: 2,
    description:
      'queue round trip per shard: 120 one-step shards through BullMQ + redis-server vs the local pool',
    async setup() {
      tinyPlan = plan(TINY);
      for (let k = 0; k < 4; k++) tinyPlans.push(plan(`${TINY}seed: ${1000 + k}\n`));
      redis = await startRedis();
      url = redis.url;
      worker = await startSweepWorker({ url, threads: 1 });
      pool = new EnginePool(1);
      const local = new LocalExecutor(2, pool); // one thread, as the worker has
      await runSweep(tinyPlan, { cacheDir: freshCache(), executor: local });
      localTinyMs = Number.POSITIVE_INFINITY;
      for (let k = 0; k < 3; k++)
        localTinyMs = Math.min(
          localTinyMs,
          await timed(() => runSweep(tinyPlan, { cacheDir: freshCache(), executor: local })),
        );
    },
    async run() {
      // a plan the queue has not seen: every shard is really sent, computed and returned
      const p = tinyPlans.shift() ?? tinyPlan;
      const ms = await timed(() => runSweepOnQueue(p, { url, cacheDir: freshCache() }));
      queueTinyMs = Number.isNaN(queueTinyMs) ? ms : Math.min(queueTinyMs, ms);
    },
    async accuracy() {
      await worker?.close(true);
      await pool?.close();
      redis?.stop();
      return { overheadMs: (queueTinyMs - localTinyMs) / 120, localMsPerShard: localTinyMs / 120 };
    },
  },
];
