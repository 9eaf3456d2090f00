/**
 * Where shards are computed: a pool of threads on this machine (local-executor.ts) or workers
 * anywhere pulling from a BullMQ queue (queue/queue-executor.ts). Both hand back each shard's
 * result as it finishes, in any order; the coordinator (run-sweep.ts) caches and merges them.
 */
import type { ShardResult } from './shard-result.ts';
import type { ShardSpec } from './shards.ts';
import type { SweepPlan } from './sweep-file.ts';

/** A shard's result handed back by an executor. */
export type ShardDone = (shard: ShardSpec, result: ShardResult) => void;

/** Computes shards. */
export interface SweepExecutor {
  /**
   * Computes `shards` of the sweep `hash`, calling `done` once per shard as it finishes.
   * Resolves when all are done; rejects on the first shard that failed, or with
   * HedgekitError `interrupted` once `signal` aborts (shards already handed back stay valid).
   */
  run(
    plan: SweepPlan,
    hash: string,
    shards: readonly ShardSpec[],
    done: ShardDone,
    signal?: AbortSignal,
  ): Promise<void>;
  /** Releases threads and connections. */
  close(): Promise<void>;
}
