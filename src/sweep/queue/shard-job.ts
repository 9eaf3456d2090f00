/**
 * The shard job on the queue: its id (from the sweep hash and the shard, so adding a shard twice
 * is a no-op), its data (the coordinator's version and everything a worker on any machine needs to
 * build the shard's engine job: the point's scenario as data, the market, the paths) and BullMQ's
 * job options.
 */
import type { Scenario } from '../../config/scenario.ts';
import type { EngineSpec } from '../../engine/parallel.ts';
import type { MarketJobArgs } from '../../scenario/market-builder.ts';
import { SHARD_MODULE, type ShardSpec } from '../shards.ts';
import type { SweepPlan } from '../sweep-file.ts';

/** Data of a shard job (JSON). */
export interface ShardJobData {
  /** The coordinator's `sweepVersion()`; a worker of another version refuses the job. */
  readonly version: string;
  readonly hash: string;
  readonly shard: ShardSpec;
  readonly scenario: Scenario;
  /** Directory relative history paths resolve against (history paths of a sweep are absolute). */
  readonly dir: string;
  readonly chunkPaths: number;
}

/** `<first 32 hex of the sweep hash>-<shard id>`: BullMQ ignores an add whose id exists. */
export function shardJobId(hash: string, shard: ShardSpec): string {
  return `${hash.slice(0, 32)}-${shard.id}`;
}

/** The job data of a shard. */
export function shardJobData(plan: SweepPlan, hash: string, version: string, shard: ShardSpec): ShardJobData {
  return {
    version,
    hash,
    shard,
    scenario: plan.points[shard.point].scenario,
    dir: plan.dir,
    chunkPaths: plan.chunkPaths,
  };
}

/** The engine job a worker runs for a shard (its own copy of the builder module). */
export function shardJobSpec(d: ShardJobData): EngineSpec<MarketJobArgs> {
  return {
    module: SHARD_MODULE,
    builder: 'scenarioMarketConfig',
    args: { scenario: d.scenario, dir: d.dir, market: d.shard.market, chunkPaths: d.chunkPaths },
    nPaths: d.shard.nPaths,
    firstPath: d.shard.firstPath,
  };
}

/**
 * Kept finished jobs: a re-submitted sweep finds its shards' results in the queue for a week (then
 * they are dropped; the coordinator's disk cache keeps them for good).
 */
export const SHARD_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'fixed', delay: 500 },
  removeOnComplete: { age: 7 * 24 * 3600 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;
