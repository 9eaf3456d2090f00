/**
 * A throwaway Redis for the queue tests and the queue benchmark: Debian's `redis-server` on a free
 * loopback port, no persistence, stopped by its pid. Resolves once it answers a PING.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { parseRedisUrl, probeRedis } from '../../src/api.ts';

/** A free TCP port on 127.0.0.1 (the kernel's pick). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** A running redis-server: its URL, and `stop()` (SIGTERM by pid). */
export interface TestRedis {
  readonly url: string;
  readonly process: ChildProcess;
  stop(): void;
}

/** Starts redis-server on a free port and waits (≤ ~5 s) until it answers. */
export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--save', '', '--appendonly', 'no', '--bind', '127.0.0.1'],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let k = 0; ; k++) {
    try {
      await probeRedis(parseRedisUrl(url), 500);
      break;
    } catch (e) {
      if (k > 100) {
        child.kill('SIGTERM');
        throw e;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url,
    process: child,
    stop: () => {
      if (child.pid) child.kill('SIGTERM');
    },
  };
}
