/**
 * Local sweeps: the merged result is the single-thread `hedgekit run` of every point's scenario
 * bit for bit, whatever the thread count; an interrupted sweep resumes computing only the missing
 * shards; a finished one recomputes nothing.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSweep } from '../../test/support/sweep-fixture.ts';
import { marketLabel } from '../config/scenario.ts';
import { HedgekitError } from '../core/errors.ts';
import { runEngineSpec } from '../engine/parallel.ts';
import { buildScenario } from '../scenario/build.ts';
import { runScenario } from '../scenario/run.ts';
import type { SweepExecutor } from './executor.ts';
import type { SweepResult } from './merge.ts';
import { runSweep } from './run-sweep.ts';
import { shardResultOf } from './shard-result.ts';
import { planShards, shardEngineSpec } from './shards.ts';
import { loadSweep } from './sweep-file.ts';

/** The result without the run's bookkeeping (cache hits). */
const body = (r: SweepResult) => JSON.stringify({ ...r, stats: undefined });

describe('runSweep (local)', () => {
  it('merges to the single-thread run of every point, identically on 1 and 2 threads', async () => {
    const { file, cache } = writeSweep();
    const plan = loadSweep(file);
    expect(plan.points.length).toBe(4);
    const shards = planShards(plan);
    expect(shards.length).toBe(4 * 2 * 3); // 4 points × 2 markets × ceil(1100 / 512)
    const one = await runSweep(plan, { cacheDir: `${cache}-1`, threads: 1 });
    const two = await runSweep(plan, { cacheDir: `${cache}-2`, threads: 2 });
    expect(body(two.result)).toBe(body(one.result));
    expect(one.result.stats).toEqual({ shards: 24, cached: 0, computed: 24 });
    // every row equals `hedgekit run` of the point's scenario (all strategies, all summaries)
    for (const p of plan.points) {
      const ref = runScenario(buildScenario(p.scenario, plan.dir));
      for (const m of ref.markets)
        for (const st of m.strategies) {
          const row = one.result.rows.find(
            (r) => r.point === p.index && r.market === m.label && r.strategy === st.name,
          );
          expect(row, `${p.index} ${m.label} ${st.name}`).toBeDefined();
          expect(JSON.stringify(row?.summary)).toBe(JSON.stringify(st.summary));
          expect(JSON.stringify(row?.key)).toBe(JSON.stringify(st.key));
        }
    }
    // the sweep's strategy selection kept cppi and the benchmark only
    expect(new Set(one.result.rows.map((r) => r.strategy))).toEqual(new Set(['buy-and-hold', 'cppi']));
    expect(one.result.rows.length).toBe(4 * 2 * 2);
    expect(plan.points.map((p) => marketLabel(p.scenario.markets[1]))).toEqual([
      'crash',
      'crash',
      'crash',
      'crash',
    ]);
    // the frontier: some cppi row per market, never the benchmark
    for (const m of ['calm', 'crash']) {
      const rows = one.result.rows.filter((r) => r.market === m);
      expect(rows.some((r) => r.frontier)).toBe(true);
      expect(rows.filter((r) => r.benchmark).every((r) => !r.frontier)).toBe(true);
    }
  });

  it('resumes an interrupted sweep computing only the missing shards, with the same result', async () => {
    const { file, cache } = writeSweep();
    const plan = loadSweep(file);
    const full = await runSweep(plan, { cacheDir: `${cache}-ref`, threads: 1 });
    const ctl = new AbortController();
    let error: unknown;
    try {
      await runSweep(plan, {
        cacheDir: cache,
        threads: 2,
        signal: ctl.signal,
        onProgress: (done) => {
          if (done >= 5) ctl.abort();
        },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HedgekitError);
    expect((error as HedgekitError).code).toBe('interrupted');
    expect((error as Error).message).toMatch(
      /interrupted: \d+ of 24 shards done and cached in .*; run the same sweep again/,
    );
    const hashDir = readdirSync(cache)[0];
    const kept = readdirSync(join(cache, hashDir, 'shards')).filter((f) => f.endsWith('.json')).length;
    expect(kept).toBeGreaterThanOrEqual(5);
    expect(kept).toBeLessThan(24);
    const resumed = await runSweep(plan, { cacheDir: cache, threads: 2 });
    expect(resumed.result.stats).toEqual({ shards: 24, cached: kept, computed: 24 - kept });
    expect(body(resumed.result)).toBe(body(full.result));
    // once finished, running it again computes nothing
    const again = await runSweep(plan, { cacheDir: cache, threads: 2 });
    expect(again.result.stats).toEqual({ shards: 24, cached: 24, computed: 0 });
    expect(body(again.result)).toBe(body(full.result));
  });

  it('merges each point as its last shard arrives, whatever the arrival order, to the same bits', async () => {
    const { file, cache } = writeSweep();
    const plan = loadSweep(file);
    const ref = await runSweep(plan, { cacheDir: `${cache}-ref`, threads: 1 });
    // an executor that hands the shards back in a scrambled order (last block of a point first,
    // points interleaved), each computed on this thread
    const scrambled: SweepExecutor = {
      async run(p, _hash, shards, done) {
        const order = [...shards].sort(
          (a, b) => b.block - a.block || ((a.point * 7) % 5) - ((b.point * 7) % 5),
        );
        expect(order.map((s) => s.id)).not.toEqual(shards.map((s) => s.id));
        for (const s of order) done(s, shardResultOf(await runEngineSpec(shardEngineSpec(p, s))));
      },
      async close() {},
    };
    const out = await runSweep(plan, { cacheDir: cache, executor: scrambled });
    expect(body(out.result)).toBe(body(ref.result));
    // every shard reached the disk cache (written in the background, flushed before the end)
    const again = await runSweep(plan, { cacheDir: cache, threads: 1 });
    expect(again.result.stats).toEqual({ shards: 24, cached: 24, computed: 0 });
  });

  it('reports a shard the executor never delivered', async () => {
    const { file, cache } = writeSweep();
    const plan = loadSweep(file);
    const lossy: SweepExecutor = {
      async run(p, _hash, shards, done) {
        for (const s of shards.slice(1)) done(s, shardResultOf(await runEngineSpec(shardEngineSpec(p, s))));
      },
      async close() {},
    };
    await expect(runSweep(plan, { cacheDir: cache, executor: lossy })).rejects.toThrow(
      /shard p0-m0-b0 has no result/,
    );
  });
});
