/**
 * The engine worker thread (started by EnginePool in parallel.ts, after tsx's hooks are registered):
 * receives `run` jobs on its MessagePort, builds the range's EngineConfig from the spec's module and
 * builder, runs `runEngine`, and posts the per-path arrays back (copied, not transferred: see
 * `handle`), with the job's CPU accounting (JobStats). After every answer it bumps the shared
 * signal word and notifies, so a blocked `runSync` caller wakes up.
 *
 * Builders are cached per (module, builder): the module is imported once per worker.
 * References: Node.js worker_threads (MessagePort, Atomics.notify); V8 protectors
 * (src/execution/protectors.h: ArrayBufferDetaching).
 */
import { type MessagePort, workerData } from 'node:worker_threads';
import { runEngine } from './engine.ts';
import {
  type EngineBuilder,
  type FromWorker,
  type JobStats,
  loadBuilder,
  type ToWorker,
  toMergedResult,
  type WireRunResult,
} from './parallel.ts';
import { cpuSince, threadCpu } from './thread-cpu.ts';

const { port, signal, tsxApi } = workerData as { port: MessagePort; signal: Int32Array; tsxApi: string };

/** Registers tsx's ESM hooks once, for a TypeScript builder module in a compiled-package worker. */
async function ensureTypeScript(module: string): Promise<void> {
  const g = globalThis as { __hedgekitTsx?: boolean };
  if (g.__hedgekitTsx || !/\.[mc]?ts$/.test(new URL(module).pathname)) return;
  const { register } = (await import(tsxApi)) as { register: () => void };
  register();
  g.__hedgekitTsx = true;
}
/** This worker's imported builder functions (code, not run state): a job's config is built anew. */
const builders = new Map<string, Promise<EngineBuilder>>();
/** Jobs this worker has answered (0 on its first: cold code). */
let jobsDone = 0;

function send(msg: FromWorker): void {
  port.postMessage(msg);
  if (msg.type !== 'progress') {
    Atomics.add(signal, 0, 1);
    Atomics.notify(signal, 0);
  }
}

async function handle(job: ToWorker): Promise<void> {
  const { id, spec, range } = job;
  const t0 = performance.now();
  const c0 = threadCpu();
  const jobIndex = jobsDone++;
  try {
    const key = `${spec.module}#${spec.builder}`;
    let builder = builders.get(key);
    if (!builder) {
      builder = ensureTypeScript(spec.module).then(() => loadBuilder(spec));
      builders.set(key, builder);
    }
    const cfg = await (await builder)(spec.args, range);
    const t1 = performance.now();
    const res = toMergedResult(
      runEngine({
        ...cfg,
        firstPath: range.firstPath,
        nPaths: range.nPaths,
        onProgress: (done) => send({ type: 'progress', id, done }),
      }),
    );
    // Copied (structured clone), never transferred: transferring detaches this thread's
    // ArrayBuffers, and the first detach in an isolate invalidates V8's ArrayBuffer-detaching
    // protector, after which every optimized typed-array access carries a detach check — measured
    // here: +25 % CPU per path-step on every later job of the worker (engine-cppi3: 85 → 107 ms of
    // thread CPU per 5,000 paths). The copy costs ~0.1 ms per MB (docs/performance.md).
    const runs: WireRunResult[] = res.runs.map((r) => ({ ...r, values: [...r.values.entries()] }));
    const t2 = performance.now();
    const cpu = cpuSince(c0, threadCpu());
    const stats: JobStats = {
      jobIndex,
      buildMs: t1 - t0,
      runMs: t2 - t1,
      ...(cpu ? { cpuMs: cpu.cpuNs / 1e6, waitMs: cpu.waitNs / 1e6 } : {}),
    };
    const more = (cfg as { answerExtras?: () => unknown }).answerExtras;
    const extras = more ? { extras: more() } : {};
    send({ type: 'done', id, runs, times: res.times, dates: res.dates, stats, ...extras });
  } catch (err) {
    const e = err as Error & { code?: unknown };
    send({
      type: 'error',
      id,
      name: e?.name ?? 'Error',
      message: e?.message ?? String(err),
      ...(typeof e?.code === 'string' ? { code: e.code } : {}),
      ...(e?.stack ? { stack: e.stack } : {}),
    });
  }
}

// Jobs run one at a time: the pool never sends a second job before the first is answered.
port.on('message', (job: ToWorker) => {
  void handle(job);
});
