/**
 * The engine worker thread (started by EnginePool in parallel.ts, after tsx's hooks are registered):
 * receives `run` jobs on its MessagePort, builds the range's EngineConfig from the spec's module and
 * builder, runs `runEngine`, and posts the per-path arrays back as transferables. After every answer
 * it bumps the shared signal word and notifies, so a blocked `runSync` caller wakes up.
 *
 * Builders are cached per (module, builder): the module is imported once per worker.
 * References: Node.js worker_threads (MessagePort transfer lists, Atomics.notify).
 */
import { type MessagePort, workerData } from 'node:worker_threads';
import { runEngine } from './engine.ts';
import {
  type EngineBuilder,
  type FromWorker,
  loadBuilder,
  type ToWorker,
  toMergedResult,
  type WireRunResult,
} from './parallel.ts';

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };
/** This worker's imported builder functions (code, not run state): a job's config is built anew. */
const builders = new Map<string, Promise<EngineBuilder>>();

function send(msg: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(msg, transfer);
  if (msg.type !== 'progress') {
    Atomics.add(signal, 0, 1);
    Atomics.notify(signal, 0);
  }
}

async function handle(job: ToWorker): Promise<void> {
  const { id, spec, range } = job;
  try {
    const key = `${spec.module}#${spec.builder}`;
    let builder = builders.get(key);
    if (!builder) {
      builder = loadBuilder(spec);
      builders.set(key, builder);
    }
    const cfg = await (await builder)(spec.args, range);
    const res = toMergedResult(
      runEngine({
        ...cfg,
        firstPath: range.firstPath,
        nPaths: range.nPaths,
        onProgress: (done) => send({ type: 'progress', id, done }),
      }),
    );
    const transfer = new Set<ArrayBuffer>();
    const add = (a: Float64Array) => {
      if (a.buffer instanceof ArrayBuffer) transfer.add(a.buffer);
    };
    const runs: WireRunResult[] = res.runs.map((r) => {
      for (const a of [r.terminal, r.fees, r.premiums, r.turnover, r.trades]) add(a);
      for (const a of r.values.values()) add(a);
      if (r.metrics) for (const a of Object.values(r.metrics)) add(a);
      return { ...r, values: [...r.values.entries()] };
    });
    send({ type: 'done', id, runs, times: res.times, dates: res.dates }, [...transfer]);
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
