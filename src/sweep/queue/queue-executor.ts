/**
 * Shards through the BullMQ queue (`hedgekit sweep --queue redis://…`): the coordinator adds every
 * missing shard as a job whose id derives from (sweep hash, shard) — re-submitting a sweep adds
 * nothing new, and shards another run already finished come straight back from the queue — then
 * listens to the queue's events and hands each result over as it completes. Workers
 * (`hedgekit worker`) run anywhere; a failed shard (error, or a worker of another version) stops
 * the sweep with the worker's message.
 *
 * References: BullMQ queues, job ids and events (https://docs.bullmq.io/guide/jobs/job-ids,
 * https://docs.bullmq.io/guide/events).
 */
import type { Queue, QueueEvents } from 'bullmq';
import { HedgekitError } from '../../core/errors.ts';
import type { ShardDone, SweepExecutor } from '../executor.ts';
import { interrupted } from '../local-executor.ts';
import { decodeShard } from '../shard-result.ts';
import type { ShardSpec } from '../shards.ts';
import type { SweepPlan } from '../sweep-file.ts';
import { sweepVersion } from '../version.ts';
import { loadBullMq } from './bullmq-loader.ts';
import { bullConnection, parseRedisUrl, probeRedis, type RedisTarget, SWEEP_QUEUE } from './connection.ts';
import { SHARD_JOB_OPTIONS, shardJobData, shardJobId } from './shard-job.ts';

/** What a queue executor did (for tests and the bench). */
export interface QueueStats {
  /** Jobs added (ids that were new to the queue). */
  added: number;
  /** Results that were already in the queue when the sweep started (finished by an earlier run). */
  fromQueue: number;
}

/** A sweep executor over a BullMQ queue. */
export class QueueExecutor implements SweepExecutor {
  readonly target: RedisTarget;
  readonly stats: QueueStats = { added: 0, fromQueue: 0 };
  private readonly version: string;
  private queue: Queue | undefined;
  private events: QueueEvents | undefined;

  /** @throws ValidationError for a bad URL */
  constructor(url: string, opts: { version?: string } = {}) {
    this.target = parseRedisUrl(url);
    this.version = opts.version ?? sweepVersion();
  }

  async run(
    plan: SweepPlan,
    hash: string,
    shards: readonly ShardSpec[],
    done: ShardDone,
    signal?: AbortSignal,
  ): Promise<void> {
    if (signal?.aborted) throw interrupted();
    if (shards.length === 0) return; // all cached: no queue needed
    await probeRedis(this.target);
    const { Job, Queue, QueueEvents } = await loadBullMq();
    const connection = bullConnection(this.target) as never;
    const queue = new Queue(SWEEP_QUEUE, { connection });
    const events = new QueueEvents(SWEEP_QUEUE, { connection });
    this.queue = queue;
    this.events = events;
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    const byId = new Map(shards.map((s) => [shardJobId(hash, s), s]));
    const open = new Set(byId.keys());
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (e?: Error) => {
        if (settled) return;
        settled = true;
        events.off('completed', onCompleted);
        events.off('failed', onFailed);
        signal?.removeEventListener('abort', onAbort);
        if (e) reject(e);
        else resolve();
      };
      const deliver = (id: string, value: unknown) => {
        const s = byId.get(id);
        if (!s || !open.has(id)) return;
        try {
          done(s, decodeShard(typeof value === 'string' ? JSON.parse(value) : value));
        } catch (e) {
          finish(e as Error);
          return;
        }
        open.delete(id);
        if (open.size === 0) finish();
      };
      const fail = (id: string, reason: string) => {
        const s = byId.get(id);
        if (!s || !open.has(id)) return;
        finish(new HedgekitError('shard-failed', `shard ${s.id} failed on a worker: ${reason}`));
      };
      const onCompleted = ({ jobId, returnvalue }: { jobId: string; returnvalue: unknown }) =>
        deliver(jobId, returnvalue);
      const onFailed = ({ jobId, failedReason }: { jobId: string; failedReason: string }) => {
        // A job that will be retried reports no final failure; BullMQ emits `failed` per attempt.
        void Job.fromId(queue, jobId).then(
          (job) => {
            if (!job) return;
            const final =
              job.attemptsMade >= (job.opts.attempts ?? 1) || /version mismatch/.test(failedReason);
            if (final) fail(jobId, failedReason);
          },
          () => fail(jobId, failedReason),
        );
      };
      const onAbort = () => finish(interrupted());
      events.on('completed', onCompleted);
      events.on('failed', onFailed);
      signal?.addEventListener('abort', onAbort, { once: true });
      void (async () => {
        const jobs = shards.map((s) => ({
          name: 'shard',
          data: shardJobData(plan, hash, this.version, s),
          opts: { ...SHARD_JOB_OPTIONS, jobId: shardJobId(hash, s) },
        }));
        // Ids already in the queue before this run (finished, running or failed by an earlier one).
        const before = await Promise.all(jobs.map((j) => Job.fromId(queue, j.opts.jobId)));
        for (const job of before) {
          if (!job) continue;
          const state = await job.getState();
          if (state === 'completed') {
            this.stats.fromQueue++;
            deliver(job.id as string, job.returnvalue);
          } else if (state === 'failed') await job.retry('failed');
        }
        const fresh = jobs.filter((_, i) => !before[i]);
        for (let i = 0; i < fresh.length; i += 500) await queue.addBulk(fresh.slice(i, i + 500));
        this.stats.added += fresh.length;
      })().catch((e: Error) => finish(e));
    });
  }

  async close(): Promise<void> {
    await this.events?.close();
    await this.queue?.close();
    this.events = undefined;
    this.queue = undefined;
  }
}
