/**
 * The sweep coordinator: plans the shards, takes the finished ones from the disk cache, sends the
 * missing ones to an executor (threads here, or a BullMQ queue), caches each result the moment it
 * arrives, and merges everything in shard order into the sweep result (also written as
 * `<cache>/<hash>/result.json`). Interrupted, it keeps every finished shard: the same sweep run
 * again computes only the rest (docs/scale-out.md).
 */
import { availableParallelism } from 'node:os';
import { DomainError, HedgekitError } from '../core/errors.ts';
import { EnginePool } from '../engine/parallel.ts';
import type { SweepExecutor } from './executor.ts';
import { LocalExecutor } from './local-executor.ts';
import { assembleSweep, type DraftRow, mergeGroup, type SweepResult, shardGroups } from './merge.ts';
import { QueueExecutor, type QueueStats } from './queue/queue-executor.ts';
import { ShardCache } from './shard-cache.ts';
import type { ShardResult } from './shard-result.ts';
import { planShards, sweepHash } from './shards.ts';
import type { SweepPlan } from './sweep-file.ts';
import { sweepVersion } from './version.ts';

/** Options of {@link runSweep}. */
export interface SweepOptions {
  /** Root of the shard cache (e.g. `.hedgekit/sweeps` beside the sweep file). */
  readonly cacheDir: string;
  /** Threads of the local executor, integer ≥ 1 (default: the machine's available parallelism). */
  readonly threads?: number | undefined;
  /** Another executor (a queue); default local threads. The caller closes it. */
  readonly executor?: SweepExecutor | undefined;
  /** Aborting it stops the sweep cleanly (finished shards stay cached). */
  readonly signal?: AbortSignal | undefined;
  /** Shards done (cached included) and the total, after every shard. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
}

/** A sweep's result and where it was written. */
export interface SweepOutcome {
  readonly result: SweepResult;
  /** `<cache>/<hash>/result.json`. */
  readonly file: string;
}

/**
 * Runs a planned sweep to the end (or until interrupted).
 * @throws HedgekitError `interrupted` (message: shards done, how to resume) when `signal` aborts;
 *   DomainError for bad options; a shard's error
 * @example (await runSweep(loadSweep('examples/sweep-cppi.yaml'), { cacheDir: '.hedgekit/sweeps' })).result.rows.length
 */
export async function runSweep(plan: SweepPlan, opts: SweepOptions): Promise<SweepOutcome> {
  const threads = opts.threads ?? availableParallelism();
  if (!(Number.isSafeInteger(threads) && threads >= 1))
    throw new DomainError('threads', threads, 'must be an integer >= 1');
  // The threads start now, importing their modules while this thread hashes the sweep, plans the
  // shards and reads the cache (closed unused when every shard is cached).
  const early = !opts.executor && threads > 1 ? new EnginePool(threads) : undefined;
  try {
    const hash = sweepHash(plan);
    const shards = planShards(plan);
    const cache = new ShardCache(opts.cacheDir, hash);
    // Each (point, market) group is merged and summarized the moment its last shard is in, while
    // the other shards still run: the merge overlaps the computation instead of following it
    // (docs/scale-out.md, "Performance"); a merged group's per-path arrays are released.
    const groups = shardGroups(shards);
    const groupOf = new Map<string, number>();
    groups.forEach((g, i) => {
      for (const s of g) groupOf.set(s.id, i);
    });
    const left = groups.map((g) => g.length);
    const drafts: DraftRow[][] = new Array(groups.length);
    const results = new Map<string, ShardResult>();
    const have = new Set<string>();
    const accept = (id: string, r: ShardResult) => {
      have.add(id);
      results.set(id, r);
      const gi = groupOf.get(id) as number;
      if (--left[gi] > 0) return;
      drafts[gi] = mergeGroup(plan, groups[gi], results);
      for (const s of groups[gi]) results.delete(s.id);
    };
    for (const s of shards) {
      const r = cache.get(s.id);
      if (r) accept(s.id, r);
    }
    const cached = have.size;
    const missing = shards.filter((s) => !have.has(s.id));
    opts.onProgress?.(have.size, shards.length);
    const executor = opts.executor ?? new LocalExecutor(threads, early);
    let cacheError: Error | undefined;
    try {
      await executor.run(
        plan,
        hash,
        missing,
        (s, r) => {
          if (have.has(s.id)) return;
          cache.put(s.id, r);
          accept(s.id, r);
          opts.onProgress?.(have.size, shards.length);
        },
        opts.signal,
      );
    } catch (e) {
      if (e instanceof HedgekitError && e.code === 'interrupted')
        throw new HedgekitError(
          'interrupted',
          `interrupted: ${have.size} of ${shards.length} shards done and cached in ${cache.dir}; run the same sweep again to compute only the rest`,
        );
      throw e;
    } finally {
      // Finished shards reach the disk even when the sweep stops (a re-run resumes from them).
      await cache.flush().catch((e: Error) => {
        cacheError = e;
      });
      if (!opts.executor) await executor.close();
    }
    if (cacheError) throw cacheError;
    const open = groups.findIndex((_, i) => left[i] > 0);
    if (open >= 0)
      throw new HedgekitError(
        'shard-missing',
        `shard ${groups[open].find((s) => !have.has(s.id))?.id} has no result`,
      );
    const result = assembleSweep(plan, hash, sweepVersion(), drafts, {
      shards: shards.length,
      cached,
      computed: shards.length - cached,
    });
    const file = cache.write('result.json', JSON.stringify(result));
    return { result, file };
  } finally {
    await early?.close();
  }
}

/**
 * Runs a sweep through a BullMQ queue (`hedgekit sweep --queue`): shards are computed by
 * `hedgekit worker` processes anywhere; this process caches and merges.
 * @throws HedgekitError `queue-unreachable` within a few seconds; `shard-failed` with the worker's
 *   message (e.g. a version mismatch); `interrupted` as {@link runSweep}
 */
export async function runSweepOnQueue(
  plan: SweepPlan,
  opts: Omit<SweepOptions, 'executor' | 'threads'> & { url: string; version?: string },
): Promise<SweepOutcome & { queue: QueueStats }> {
  const executor = new QueueExecutor(opts.url, opts.version !== undefined ? { version: opts.version } : {});
  try {
    const out = await runSweep(plan, { ...opts, executor });
    return { ...out, queue: { ...executor.stats } };
  } finally {
    await executor.close();
  }
}
