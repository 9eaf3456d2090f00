/**
 * Reaching the sweep queue: `redis://[user:password@]host:port[/db]` URLs, a fail-fast probe
 * (an unreachable Redis is a clear error within `timeoutMs`, never a hang), and the connection
 * BullMQ opens for its queues, workers and event readers (RespClient, resp-client.ts).
 *
 * References: BullMQ connections (https://docs.bullmq.io/guide/connections).
 */
import { RedisConnection } from 'bullmq';
import { HedgekitError, ValidationError } from '../../core/errors.ts';
import { RespClient, type RespOptions } from './resp-client.ts';

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

let installed = false;

/** Makes BullMQ open its connections with RespClient (once per process). */
function installClientFactory(): void {
  if (installed) return;
  installed = true;
  RedisConnection.clientFactory = (o) => {
    const opts = o as unknown as RespOptions & { connectionName?: string };
    return new RespClient({
      host: opts.host ?? '127.0.0.1',
      port: Number(opts.port ?? 6379),
      username: opts.username,
      password: opts.password,
      db: opts.db,
      connectTimeout: 3000,
      connectionName: opts.connectionName,
    }) as never;
  };
}

/** The `connection` option of BullMQ's Queue / Worker / QueueEvents for a target. */
export function bullConnection(t: RedisTarget): Record<string, unknown> {
  installClientFactory();
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
  const c = new RespClient({
    host: t.host,
    port: t.port,
    username: t.username,
    password: t.password,
    db: t.db,
    connectTimeout: timeoutMs,
    retry: false,
  });
  try {
    await c.connect();
    await c.raw(['PING']);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new HedgekitError(
      'queue-unreachable',
      `cannot reach Redis at ${t.url}: ${err.code ?? err.message} (is redis-server running there? the --queue URL is redis://host:port)`,
    );
  } finally {
    c.disconnect();
  }
}
