/**
 * Shards on this machine: an EnginePool of worker threads (`threads` ≥ 2; each thread runs one
 * shard at a time, in the plan's order) or, with `threads: 1`, the calling thread (the event loop
 * is released between shards, so an interruption is seen within one shard).
 */
import { HedgekitError } from '../core/errors.ts';
import { EnginePool, runEngineSpec } from '../engine/parallel.ts';
import type { ShardDone, SweepExecutor } from './executor.ts';
import { shardResultOf } from './shard-result.ts';
import { type ShardSpec, shardEngineSpec } from './shards.ts';
import type { SweepPlan } from './sweep-file.ts';

/** The error of an interrupted sweep run. */
export function interrupted(): HedgekitError {
  return new HedgekitError('interrupted', 'interrupted');
}

/** A local executor over `threads` threads (integer ≥ 1). */
export class LocalExecutor implements SweepExecutor {
  readonly threads: number;
  private pool: EnginePool | undefined;
  private readonly shared: EnginePool | undefined;

  /** @param pool a warm pool to use (and leave open) instead of one started per run */
  constructor(threads: number, pool?: EnginePool) {
    this.threads = pool ? pool.size : threads;
    this.shared = pool;
  }

  async run(
    plan: SweepPlan,
    _hash: string,
    shards: readonly ShardSpec[],
    done: ShardDone,
    signal?: AbortSignal,
  ): Promise<void> {
    if (signal?.aborted) throw interrupted();
    if (this.threads === 1) {
      for (const s of shards) {
        await new Promise((r) => setImmediate(r));
        if (signal?.aborted) throw interrupted();
        done(s, shardResultOf(await runEngineSpec(shardEngineSpec(plan, s))));
      }
      return;
    }
    if (shards.length === 0) return;
    const pool = this.shared ?? new EnginePool(Math.min(this.threads, shards.length));
    this.pool = this.shared ? undefined : pool;
    const stop = () => void pool.close();
    signal?.addEventListener('abort', stop, { once: true });
    try {
      await Promise.all(
        shards.map(async (s) => {
          const res = await pool.runOne(shardEngineSpec(plan, s));
          if (!signal?.aborted) done(s, shardResultOf(res));
        }),
      );
    } catch (e) {
      if (signal?.aborted) throw interrupted();
      throw e;
    } finally {
      signal?.removeEventListener('abort', stop);
      if (!this.shared) await pool.close();
      this.pool = undefined;
    }
    if (signal?.aborted) throw interrupted();
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }
}
