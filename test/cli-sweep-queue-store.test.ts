import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSweepWorker } from '../src/api.ts';
import { cli } from './support/cli-harness.ts';
import { startRedis, type TestRedis } from './support/redis-server.ts';
import { writeSweep } from './support/sweep-fixture.ts';

let redis: TestRedis | undefined;
let url: string;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hedgekit-queue-store-'));
  redis = await startRedis();
  url = redis.url;
});

afterAll(() => {
  redis?.stop();
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
