/**
 * `hedgekit worker --queue redis://…`: pulls shard jobs from the sweep queue (BullMQ) and runs them
 * on a pool of engine threads, one job per thread at a time and one more waiting in each thread;
 * the result goes back through the queue. A job of
 * another hedgekit / protocol version is refused (failed, not retried) with a message naming both.
 *
 * Failure handling (BullMQ's stalled jobs): a job holds a lock renewed every lockDuration/2 while it
 * runs; a worker that dies (SIGKILL, power loss) stops renewing, and within lockDuration +
 * stalledInterval any live worker moves the job back to the queue, where it runs again from
 * scratch — a shard is pure (same inputs, same bits), so a retry changes nothing but time.
 * Shards run on worker threads so the event loop that renews locks is never blocked.
 *
 * References: BullMQ workers and stalled jobs (https://docs.bullmq.io/guide/workers/stalled-jobs).
 */
import { hostname } from 'node:os';
import { DomainError } from '../../core/errors.ts';
import { EnginePool } from '../../engine/parallel.ts';
import { encodeShard, type ShardResultText, shardResultOf } from '../shard-result.ts';
import { sweepVersion } from '../version.ts';
import { loadBullMq } from './bullmq-loader.ts';
import { bullConnection, parseRedisUrl, probeRedis, SWEEP_QUEUE } from './connection.ts';
import { type ShardJobData, shardJobSpec } from './shard-job.ts';

/** Options of a sweep worker. */
export interface SweepWorkerOptions {
  /** `redis://host:port`. */
  readonly url: string;
  /** Engine threads = shards run at once, integer ≥ 1 (default 1). */
  readonly threads?: number | undefined;
  /** Job lock, ms (default 30,000): a dead worker's shard is retried after about this long. */
  readonly lockMs?: number | undefined;
  /** How often stalled jobs are looked for, ms (default 15,000). */
  readonly stalledMs?: number | undefined;
  /** The version this worker announces (default `sweepVersion()`; tests set another). */
  readonly version?: string | undefined;
  /** One line per event (ready, shard started / done / refused). */
  readonly log?: ((line: string) => void) | undefined;
}

/** A running worker. */
export interface SweepWorker {
  /** Shards this worker computed. */
  readonly computed: () => number;
  /** Stops taking jobs; waits for the running ones unless `force`. */
  close(force?: boolean): Promise<void>;
}

/**
 * Starts a worker.
 * @throws HedgekitError `queue-unreachable` within a few seconds when Redis is not there;
 *   ValidationError for a bad URL; DomainError for bad options
 */
export async function startSweepWorker(opts: SweepWorkerOptions): Promise<SweepWorker> {
  const target = parseRedisUrl(opts.url);
  const threads = opts.threads ?? 1;
  if (!(Number.isSafeInteger(threads) && threads >= 1))
    throw new DomainError('threads', threads, 'must be an integer >= 1');
  const lockDuration = opts.lockMs ?? 30_000;
  if (!(Number.isSafeInteger(lockDuration) && lockDuration >= 100))
    throw new DomainError('lockMs', lockDuration, 'must be an integer >= 100');
  await probeRedis(target);
  const { UnrecoverableError, Worker } = await loadBullMq();
  const version = opts.version ?? sweepVersion();
  const log = opts.log ?? (() => {});
  // Each engine thread holds a second shard while it computes one, and BullMQ fetches that many:
  // the queue's round trips (fetch, complete, lock) overlap the computation instead of following
  // it (docs/scale-out.md, "Performance"). A killed worker's held shards are retried like its
  // running ones.
  const pool = new EnginePool(threads, { depth: 2 });
  let computed = 0;
  const worker = new Worker<ShardJobData, ShardResultText>(
    SWEEP_QUEUE,
    async (job) => {
      const d = job.data;
      if (d.version !== version) {
        log(`refused shard ${d.shard.id} of sweep ${d.hash.slice(0, 12)}: version mismatch`);
        throw new UnrecoverableError(
          `version mismatch: the coordinator runs ${d.version}, worker ${hostname()} runs ${version}; run the same hedgekit version on both`,
        );
      }
      const t0 = performance.now();
      log(`shard ${d.hash.slice(0, 12)}/${d.shard.id} started`);
      const res = await pool.runOne(shardJobSpec(d));
      computed++;
      log(`shard ${d.hash.slice(0, 12)}/${d.shard.id} done in ${Math.round(performance.now() - t0)} ms`);
      return encodeShard(shardResultOf(res));
    },
    {
      connection: bullConnection(target) as never,
      concurrency: 2 * threads,
      lockDuration,
      stalledInterval: opts.stalledMs ?? 15_000,
      maxStalledCount: 5,
      autorun: true,
    },
  );
  worker.on('error', (e) => log(`queue error: ${e.message}`));
  await worker.waitUntilReady();
  log(
    `${version} on ${hostname()}: ${threads} thread${threads === 1 ? '' : 's'}, waiting for shards on ${opts.url}`,
  );
  return {
    computed: () => computed,
    async close(force = false) {
      await worker.close(force);
      await pool.close();
    },
  };
}
