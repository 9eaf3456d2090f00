/**
 * BullMQ and ioredis, loaded when a queue is first used (`--queue`, `hedgekit worker`), not with the
 * library: every other command would pay ~0.2 s for them. A module of its own, imported only by the
 * queue's executor and worker, so the shipped declarations of the library never name BullMQ's types
 * (which need Node's typings).
 */

type BullMq = typeof import('bullmq');

let installed = false;

/**
 * Loads BullMQ, making it open its connections with ioredis (once per process): BullMQ loads its
 * optional driver with `require`, which native ES modules lack, so the factory hands it the client.
 */
export async function loadBullMq(): Promise<BullMq> {
  const [bullmq, { Redis }] = await Promise.all([import('bullmq'), import('ioredis')]);
  if (installed) return bullmq;
  installed = true;
  const { createIORedisClient, RedisConnection } = bullmq;
  RedisConnection.clientFactory = (o) =>
    createIORedisClient(
      new Redis({
        ...(o as Record<string, unknown>),
        connectTimeout: 3000,
        maxRetriesPerRequest: null, // BullMQ's workers block on the connection
      }),
    );
  return bullmq;
}
