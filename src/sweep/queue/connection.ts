/**
 * Reaching the sweep queue (BullMQ itself loads in bullmq-loader.ts): `redis://[user:password@]host:port[/db]` URLs, a fail-fast probe
 * (an unreachable Redis is a clear error within `timeoutMs`, never a hang), and the connection
 * BullMQ opens for its queues, workers and event readers (ioredis, BullMQ's reference driver).
 *
 * References: BullMQ connections (https://docs.bullmq.io/guide/connections).
 */
import { HedgekitError, ValidationError } from '../../core/errors.ts';

/** The one queue every sweep and worker uses (jobs carry their sweep's hash). */
export const SWEEP_QUEUE = 'hedgekit-sweep';

/** Where Redis is. */
export interface RedisTarget {
  readonly host: string;
  readonly port: number;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly db?: number | undefined;
  /** The URL as given (messages). */
  readonly url: string;
}

/**
 * Parses a queue URL.
 * @throws ValidationError naming `--queue` and the expected form
 * @example parseRedisUrl('redis://127.0.0.1:6380').port // 6380
 */
export function parseRedisUrl(url: string): RedisTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ValidationError('--queue', `must be a URL redis://host:port (got ${JSON.stringify(url)})`);
  }
  if (u.protocol !== 'redis:' || !u.hostname)
    throw new ValidationError('--queue', `must be a URL redis://host:port (got ${JSON.stringify(url)})`);
  const db = u.pathname && u.pathname !== '/' ? Number(u.pathname.slice(1)) : undefined;
  if (db !== undefined && !(Number.isInteger(db) && db >= 0))
    throw new ValidationError(
      '--queue',
      `database must be an integer >= 0 (got ${JSON.stringify(u.pathname.slice(1))})`,
    );
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db,
    url,
  };
}

/** The `connection` option of BullMQ's Queue / Worker / QueueEvents for a target. */
export function bullConnection(t: RedisTarget): Record<string, unknown> {
  return {
    host: t.host,
    port: t.port,
    ...(t.username ? { username: t.username } : {}),
    ...(t.password ? { password: t.password } : {}),
    ...(t.db ? { db: t.db } : {}),
  };
}

/**
 * Connects once and PINGs, giving up after `timeoutMs`.
 * @throws HedgekitError `queue-unreachable`: `cannot reach Redis at redis://…: <reason>`
 */
export async function probeRedis(t: RedisTarget, timeoutMs = 3000): Promise<void> {
  const { Redis } = await import('ioredis');
  const c = new Redis({
    host: t.host,
    port: t.port,
    username: t.username,
    password: t.password,
    db: t.db ?? 0,
    connectTimeout: timeoutMs,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null, // one attempt: a probe, not a connection to keep
  });
  // The socket's own error (ECONNREFUSED, ETIMEDOUT…) says more than connect()'s rejection.
  let first: NodeJS.ErrnoException | undefined;
  c.on('error', (e: NodeJS.ErrnoException) => {
    first ??= e;
  });
  try {
    await c.connect();
    await c.ping();
  } catch (e) {
    const err = first ?? (e as NodeJS.ErrnoException);
    throw new HedgekitError(
      'queue-unreachable',
      `cannot reach Redis at ${t.url}: ${err.code ?? err.message} (is redis-server running there? the --queue URL is redis://host:port)`,
    );
  } finally {
    c.disconnect();
  }
}
