/**
 * The distributed coordinator stores its sweep too: `hedgekit sweep --queue` on a real Redis started
 * by this test (Debian `redis-server` on 127.0.0.1, a free port, no persistence; stopped by pid at
 * the end) with one in-process worker saves the merged result in the run store — mode `queue`,
 * rows identical to the local sweep's — and writes its report.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRedisUrl, probeRedis, startSweepWorker } from '../src/api.ts';
import { cli } from './support/cli-harness.ts';
import { writeSweep } from './support/sweep-fixture.ts';

let redis: ChildProcess | undefined;
let url: string;
let dir: string;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hedgekit-queue-store-'));
  const port = await freePort();
  redis = spawn(
    'redis-server',
    ['--port', String(port), '--save', '', '--appendonly', 'no', '--bind', '127.0.0.1'],
    {
      stdio: 'ignore',
    },
  );
  url = `redis://127.0.0.1:${port}`;
  for (let k = 0; ; k++) {
    try {
      await probeRedis(parseRedisUrl(url), 500);
      break;
    } catch (e) {
      if (k > 100) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
});

afterAll(() => {
  if (redis?.pid) redis.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

describe('hedgekit sweep --queue + run store', () => {
  it('stores the merged result of a distributed sweep (mode queue), identical to the local one', async () => {
    const s = writeSweep();
    const local = await cli(
      { cwd: dir },
      'sweep',
      s.file,
      '--threads',
      '1',
      '--cache',
      `${s.cache}-local`,
      '--json',
    );
    expect(local.code).toBe(0);
    const worker = await startSweepWorker({ url, threads: 1 });
    try {
      const r = await cli(
        { cwd: dir },
        'sweep',
        s.file,
        '--queue',
        url,
        '--cache',
        `${s.cache}-queue`,
        '--report',
        'queue.html',
      );
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Saved as run 2 in');
      expect(worker.computed()).toBe(24);
    } finally {
      await worker.close();
    }
    const shown = JSON.parse((await cli({ cwd: dir }, 'runs', 'show', '2', '--json')).stdout);
    expect([shown.kind, shown.mode, shown.options.queue]).toEqual(['sweep', 'queue', true]);
    expect(JSON.stringify(shown.result.rows)).toBe(JSON.stringify(JSON.parse(local.stdout).rows));
    // the local sweep (run 1) and the distributed one (run 2) differ in nothing
    const d = await cli({ cwd: dir }, 'runs', 'diff', '1', '2');
    expect(d.stdout).toMatch(
      /16 rows \(point × market × strategy\) in both, \d+ metrics compared, 0 differ\./,
    );
    expect(existsSync(join(dir, 'queue.html'))).toBe(true);
    expect(readFileSync(join(dir, 'queue.html'), 'utf8')).toContain(
      '<td data-field="shards">24 of 512 paths',
    );
    // the queue URL is not stored (it may carry a password)
    expect(JSON.stringify(shown)).not.toContain(url);
  }, 120_000);
});
