/**
 * Distributed sweeps on a real Redis started by this test (Debian `redis-server` on 127.0.0.1, a
 * free port, no persistence; stopped by pid at the end) with `hedgekit worker` child processes:
 * - two workers give the local single-thread result bit for bit;
 * - re-submitting the sweep and resuming it recompute no shard (counted in the workers' logs);
 * - a worker killed with SIGKILL mid-shard loses nothing: the shard is retried (BullMQ stalled
 *   jobs, short lock and stall intervals here) and the result is identical;
 * - a worker of another version refuses the shards with a clear message; an unreachable Redis is
 *   a clear error (the test timeout guards against a hang).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HedgekitError } from '../src/core/errors.ts';
import type { SweepResult } from '../src/sweep/merge.ts';
import { startSweepWorker } from '../src/sweep/queue/queue-worker.ts';
import { runSweep, runSweepOnQueue } from '../src/sweep/run-sweep.ts';
import { loadSweep } from '../src/sweep/sweep-file.ts';
import { sweepVersion } from '../src/sweep/version.ts';
import { freePort, startRedis, type TestRedis } from './support/redis-server.ts';
import { BASE, SWEEP, writeSweep } from './support/sweep-fixture.ts';

const BIN = fileURLToPath(new URL('../bin/hedgekit.js', import.meta.url));
const body = (r: SweepResult) => JSON.stringify({ ...r, stats: undefined });

/** A `hedgekit worker` child process and its log lines. */
interface WorkerProc {
  readonly proc: ChildProcess;
  readonly lines: string[];
  /** Resolves with the first log line matching `re`. */
  waitFor(re: RegExp): Promise<string>;
}

function spawnWorker(url: string): WorkerProc {
  const proc = spawn(
    process.execPath,
    [BIN, 'worker', '--queue', url, '--threads', '1', '--lock-ms', '1000', '--stall-ms', '500'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const lines: string[] = [];
  const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  let rest = '';
  proc.stderr?.setEncoding('utf8');
  proc.stderr?.on('data', (chunk: string) => {
    rest += chunk;
    const parts = rest.split('\n');
    rest = parts.pop() ?? '';
    for (const l of parts) {
      lines.push(l);
      for (const w of waiters.splice(0)) {
        if (w.re.test(l)) w.resolve(l);
        else waiters.push(w);
      }
    }
  });
  return {
    proc,
    lines,
    waitFor(re) {
      const hit = lines.find((l) => re.test(l));
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve) => waiters.push({ re, resolve }));
    },
  };
}

const doneLines = (w: WorkerProc) => w.lines.filter((l) => / done in \d+ ms$/.test(l));

let redis: TestRedis | undefined;
let url: string;
const workers: WorkerProc[] = [];

beforeAll(async () => {
  redis = await startRedis();
  url = redis.url;
});

afterAll(async () => {
  for (const w of workers) if (w.proc.exitCode === null) w.proc.kill('SIGKILL');
  redis?.stop();
});

describe('sweeps over BullMQ workers', () => {
  it('two workers give the local result bit for bit; re-submission and resume recompute nothing', async () => {
    const w1 = spawnWorker(url);
    const w2 = spawnWorker(url);
    workers.push(w1, w2);
    await Promise.all([w1.waitFor(/waiting for shards/), w2.waitFor(/waiting for shards/)]);
    const { file, cache } = writeSweep();
    const plan = loadSweep(file);
    const local = await runSweep(plan, { cacheDir: `${cache}-local`, threads: 1 });
    const progress: number[] = [];
    const q = await runSweepOnQueue(plan, { url, cacheDir: cache, onProgress: (d) => progress.push(d) });
    expect(body(q.result)).toBe(body(local.result));
    expect(q.result.stats).toEqual({ shards: 24, cached: 0, computed: 24 });
    expect(q.queue).toEqual({ added: 24, fromQueue: 0 });
    expect(progress[progress.length - 1]).toBe(24);
    // every shard computed exactly once across the two workers
    const computed = () => [...doneLines(w1), ...doneLines(w2)].length;
    expect(computed()).toBe(24);

    // re-submitting (a fresh coordinator cache): the queue already holds every result
    const again = await runSweepOnQueue(plan, { url, cacheDir: `${cache}-again` });
    expect(again.queue).toEqual({ added: 0, fromQueue: 24 });
    expect(body(again.result)).toBe(body(local.result));
    // resuming with the coordinator's cache: nothing is even asked of the queue
    const resumed = await runSweepOnQueue(plan, { url, cacheDir: cache });
    expect(resumed.result.stats).toEqual({ shards: 24, cached: 24, computed: 0 });
    expect(resumed.queue).toEqual({ added: 0, fromQueue: 0 });
    expect(computed()).toBe(24);
    for (const w of [w1, w2]) w.proc.kill('SIGTERM');
  });

  it('a worker killed with SIGKILL mid-shard loses nothing: the shard is retried and the result is identical', async () => {
    // Daily steps and one 2,048-path shard per point and market: a shard takes a while.
    const base = BASE.replace('stepsPerYear: 12', 'stepsPerYear: 252').replace('paths: 1100', 'paths: 2048');
    const sweep = SWEEP.replace('shardPaths: 512', 'shardPaths: 2048').replace(
      'floor.level: [0.75, 0.9]',
      'floor.level: [0.8]',
    );
    const { file, cache } = writeSweep(sweep, base);
    const plan = loadSweep(file);
    const victim = spawnWorker(url);
    workers.push(victim);
    await victim.waitFor(/waiting for shards/);
    const running = runSweepOnQueue(plan, { url, cacheDir: cache });
    const started = await victim.waitFor(/ started$/);
    victim.proc.kill('SIGKILL');
    const shard = started.match(/shard \w+\/(\S+) started/)?.[1];
    expect(shard).toMatch(/^p\d+-m\d+-b\d+$/);
    expect(doneLines(victim).some((l) => l.includes(`/${shard} `))).toBe(false);
    const rescuer = spawnWorker(url);
    workers.push(rescuer);
    const out = await running;
    // the killed worker's shard was computed again by the other one
    expect(doneLines(rescuer).some((l) => l.includes(`/${shard} `))).toBe(true);
    const local = await runSweep(plan, { cacheDir: `${cache}-local`, threads: 1 });
    expect(body(out.result)).toBe(body(local.result));
    expect(out.result.stats.computed).toBe(4);
    rescuer.proc.kill('SIGTERM');
  });

  it('a worker of another version refuses the shards and the sweep stops with both versions named', async () => {
    const db1 = `${url}/1`; // a database of its own: no other worker listens there
    const stale = await startSweepWorker({ url: db1, version: 'hedgekit 0.0.9 (sweep protocol 0)' });
    try {
      const { file, cache } = writeSweep();
      const err = await runSweepOnQueue(loadSweep(file), { url: db1, cacheDir: cache }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(HedgekitError);
      expect((err as Error).message).toMatch(
        new RegExp(
          `shard p\\d+-m\\d+-b\\d+ failed on a worker: version mismatch: the coordinator runs ${sweepVersion().replace(/[().]/g, '\\$&')}, worker \\S+ runs hedgekit 0\\.0\\.9 \\(sweep protocol 0\\); run the same hedgekit version on both`,
        ),
      );
      expect(stale.computed()).toBe(0);
    } finally {
      await stale.close(true);
    }
  });

  it('an unreachable Redis is a clear error for the coordinator and the worker', async () => {
    const port = await freePort(); // nothing listens there
    const dead = `redis://127.0.0.1:${port}`;
    const { file, cache } = writeSweep();
    await expect(runSweepOnQueue(loadSweep(file), { url: dead, cacheDir: cache })).rejects.toThrow(
      `cannot reach Redis at ${dead}: ECONNREFUSED (is redis-server running there? the --queue URL is redis://host:port)`,
    );
    await expect(startSweepWorker({ url: dead })).rejects.toThrow(/cannot reach Redis at .*: ECONNREFUSED/);
  }, 15_000);
});
