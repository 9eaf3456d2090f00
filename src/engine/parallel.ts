/**
 * Runs the back-test engine over worker threads: the paths are split into ranges at multiples of
 * PATH_BLOCK, each range runs `runEngine` in a `node:worker_threads` Worker, and the per-path results
 * are merged in path order. Because every block of PATH_BLOCK paths draws from its own random stream
 * (`blockRng(seed, block)`) and the engine is bit-identical however paths are chunked (`firstPath`),
 * the merged result equals a single-thread `runEngine` of the same scenario bit for bit.
 *
 * Configurations hold functions (strategies, generators, metric factories), which cannot cross a
 * thread boundary, so a job is described by an {@link EngineSpec}: the URL of an ES module, the name
 * of an exported {@link EngineBuilder} and JSON-serialisable arguments. Each worker imports the module
 * (TypeScript through tsx's ESM hooks, registered inside the worker: on Node 20 `execArgv:
 * ['--import', 'tsx']` does not reach a worker's module loader) and builds its own EngineConfig for
 * its range. Per-path arrays come back copied (structured clone): transferring them would detach
 * the worker's buffers and slow every later job of that worker by ~25 % (engine-worker.ts).
 *
 * Shape: every merged per-path array has length spec.nPaths (index = global path − spec.firstPath).
 * References: Node.js worker_threads (MessageChannel, receiveMessageOnPort, Atomics.wait);
 * P. L'Ecuyer et al., "Random numbers for parallel computers: requirements and methods" (2017).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { DomainError, HedgekitError } from '../core/errors.ts';
import { PATH_BLOCK } from '../core/rng.ts';
import type { TradeRecord } from '../portfolio/ledger.ts';
import type { StrategyDiagnostics } from '../strategies/types.ts';
import { mergeDiagnostics } from './diagnostics.ts';
import type { EngineConfig, EngineResult, RunResult } from './engine.ts';

/** The path range a builder is asked to configure: global paths [firstPath, firstPath + nPaths). */
export interface PathRange {
  readonly firstPath: number;
  readonly nPaths: number;
}

/**
 * Builds the EngineConfig of one range. It must depend only on (`args`, `range`): every worker calls
 * it independently. `firstPath` / `nPaths` of the returned config are overwritten with the range's.
 * The config may carry `answerExtras: () => data` (structured-cloneable): called after the run, its
 * value comes back in the merged result's `extras` (in range order).
 */
export type EngineBuilder<A = unknown> = (args: A, range: PathRange) => EngineConfig | Promise<EngineConfig>;

/** A thread-portable description of an engine job. */
export interface EngineSpec<A = unknown> {
  /** URL (`file:` URL string) of an ES module exporting {@link builder}; TypeScript modules are fine. */
  readonly module: string;
  /** Name of the exported {@link EngineBuilder}. */
  readonly builder: string;
  /** Builder arguments; must survive structured cloning (plain JSON data, typed arrays). */
  readonly args: A;
  /** Total number of paths, integer ≥ 1. */
  readonly nPaths: number;
  /** Global index of the first path, a multiple of PATH_BLOCK (default 0). */
  readonly firstPath?: number;
}

/** Per-run results after the merge (a RunResult whose metrics are the accumulator's arrays). */
export type MergedRunResult = Omit<RunResult, 'metrics'> & {
  /**
   * The metrics accumulator's `results()` (when it has that method), each array concatenated over the
   * ranges in path order; undefined without metrics.
   */
  readonly metrics: Record<string, Float64Array> | undefined;
};

export interface MergedEngineResult {
  readonly runs: MergedRunResult[];
  /**
   * Per range, in path order: what the range's config `answerExtras()` returned after the run
   * (see {@link EngineBuilder}; e.g. a report collector's part); undefined when no config had one.
   */
  readonly extras?: readonly unknown[];
  readonly nPaths: number;
  readonly firstPath: number;
  readonly times: Float64Array;
  readonly dates: readonly string[] | undefined;
}

export interface ParallelOptions {
  /** Worker threads, integer ≥ 1 (default: 2). */
  readonly workers?: number;
  /**
   * Number of path ranges, integer ≥ 1 (default: `workers`); more ranges than workers balance load
   * and give finer progress. Capped at the number of PATH_BLOCK blocks.
   */
  readonly ranges?: number;
  /**
   * Range boundaries fall on multiples of this many paths (a multiple of PATH_BLOCK; default
   * PATH_BLOCK). Pass the engine's chunkPaths to keep every chunk of the single-thread run intact —
   * for strategies whose per-path results depend on which paths share a chunk (see docs/scale-out.md).
   */
  readonly align?: number;
  /** Called (async runs only) after every engine chunk of every range: paths done so far, total. */
  readonly onProgress?: (pathsDone: number, total: number) => void;
}

/** Messages main → worker. */
export type ToWorker = {
  readonly type: 'run';
  readonly id: number;
  readonly spec: EngineSpec;
  readonly range: PathRange;
};

/** Per-run payload of a worker's answer (maps become entry lists, accumulators become arrays). */
export interface WireRunResult extends Omit<MergedRunResult, 'values'> {
  readonly values: [number, Float64Array][];
}

/**
 * What one job cost its worker thread (efficiency accounting: docs/performance.md). CPU and wait
 * times come from the thread's scheduler statistics (Linux; absent elsewhere): `cpuMs` is the
 * job's own cost whatever the machine's load, `waitMs` the time it was runnable but had no core.
 */
export interface JobStats {
  /** Jobs the worker had answered before this one (0: its code was cold). */
  readonly jobIndex: number;
  /** Builder call (module import on a worker's first job, scenario build), ms of wall time. */
  readonly buildMs: number;
  /** runEngine and packing the answer, ms of wall time. */
  readonly runMs: number;
  /** CPU time of the worker thread over the job, ms (Linux). */
  readonly cpuMs?: number;
  /** Run-queue wait of the worker thread over the job, ms (Linux). */
  readonly waitMs?: number;
}

/** Messages worker → main. */
export type FromWorker =
  | { readonly type: 'progress'; readonly id: number; readonly done: number }
  | {
      readonly type: 'done';
      readonly id: number;
      readonly runs: WireRunResult[];
      readonly times: Float64Array;
      readonly dates: readonly string[] | undefined;
      readonly stats?: JobStats;
      readonly extras?: unknown;
    }
  | {
      readonly type: 'error';
      readonly id: number;
      readonly name: string;
      readonly message: string;
      readonly code?: string;
      readonly stack?: string;
    };

/** What an accumulator with per-path result arrays offers (duck-typed; optional). */
interface HasResults {
  results(): Record<string, Float64Array>;
}

/**
 * Converts an in-thread `runEngine` result to the merged format (value maps kept, metrics
 * accumulators replaced by their `results()` arrays).
 * @example toMergedResult(runEngine(cfg)).runs[0].terminal // Float64Array [nPaths]
 */
export function toMergedResult(res: EngineResult): MergedEngineResult {
  return {
    runs: res.runs.map((r) => ({
      name: r.name,
      kind: r.kind,
      terminal: r.terminal,
      fees: r.fees,
      premiums: r.premiums,
      turnover: r.turnover,
      trades: r.trades,
      ledger: r.ledger,
      values: r.values,
      metrics: metricsArrays(r.metrics),
      ...(r.diagnostics ? { diagnostics: r.diagnostics } : {}),
    })),
    nPaths: res.nPaths,
    firstPath: res.firstPath,
    times: res.times,
    dates: res.dates,
  };
}

function metricsArrays(m: unknown): Record<string, Float64Array> | undefined {
  if (m && typeof (m as Partial<HasResults>).results === 'function') return (m as HasResults).results();
  return undefined;
}

/** Imports the spec's module and returns its builder. @throws DomainError if it is missing. */
export async function loadBuilder(spec: EngineSpec): Promise<EngineBuilder> {
  const mod = (await import(spec.module)) as Record<string, unknown>;
  const fn = mod[spec.builder];
  if (typeof fn !== 'function')
    throw new DomainError('builder', spec.builder, `must be a function exported by ${spec.module}`);
  return fn as EngineBuilder;
}

/** Builds the config of one range (firstPath / nPaths forced to the range's). */
export async function buildConfig(spec: EngineSpec, range: PathRange): Promise<EngineConfig> {
  const builder = await loadBuilder(spec);
  const cfg = await builder(spec.args, range);
  return { ...cfg, firstPath: range.firstPath, nPaths: range.nPaths };
}

/**
 * Runs a spec on the calling thread — the single-thread reference the parallel runner reproduces.
 * @throws DomainError for an invalid spec or configuration
 * @example (await runEngineSpec(spec)).runs[0].terminal // identical to runEngineParallel(spec, …)
 */
export async function runEngineSpec(spec: EngineSpec): Promise<MergedEngineResult> {
  const { runEngine } = await import('./engine.ts');
  const firstPath = checkSpec(spec);
  return toMergedResult(runEngine(await buildConfig(spec, { firstPath, nPaths: spec.nPaths })));
}

function checkSpec(spec: EngineSpec): number {
  if (!(Number.isSafeInteger(spec.nPaths) && spec.nPaths >= 1))
    throw new DomainError('nPaths', spec.nPaths, 'must be an integer >= 1');
  const firstPath = spec.firstPath ?? 0;
  if (!(Number.isSafeInteger(firstPath) && firstPath >= 0 && firstPath % PATH_BLOCK === 0))
    throw new DomainError('firstPath', firstPath, `must be a non-negative multiple of ${PATH_BLOCK}`);
  if (typeof spec.module !== 'string' || !spec.module.startsWith('file:'))
    throw new DomainError('module', spec.module, 'must be a file: URL string');
  return firstPath;
}

/**
 * Splits [firstPath, firstPath + nPaths) into at most `count` contiguous ranges whose boundaries are
 * multiples of `unit` paths (default PATH_BLOCK) from firstPath, as equal as whole units allow
 * (earlier ranges take the extra units).
 * @throws DomainError if count is not an integer ≥ 1 or unit not a positive multiple of PATH_BLOCK
 * @example splitRanges(0, 1000, 2) // [{ firstPath: 0, nPaths: 512 }, { firstPath: 512, nPaths: 488 }]
 */
export function splitRanges(
  firstPath: number,
  nPaths: number,
  count: number,
  unit = PATH_BLOCK,
): PathRange[] {
  if (!(Number.isSafeInteger(count) && count >= 1))
    throw new DomainError('ranges', count, 'must be an integer >= 1');
  if (!(Number.isSafeInteger(unit) && unit >= PATH_BLOCK && unit % PATH_BLOCK === 0))
    throw new DomainError('align', unit, `must be a positive multiple of ${PATH_BLOCK}`);
  const blocks = Math.ceil(nPaths / unit);
  const k = Math.min(count, blocks);
  const out: PathRange[] = [];
  let b = 0;
  for (let j = 0; j < k; j++) {
    const nb = Math.floor(blocks / k) + (j < blocks % k ? 1 : 0);
    const start = b * unit;
    const end = Math.min((b + nb) * unit, nPaths);
    out.push({ firstPath: firstPath + start, nPaths: end - start });
    b += nb;
  }
  return out;
}

/** The file: URL of tsx's ESM hook API, resolved from this package (import condition). */
function tsxEsmApiUrl(): string {
  const req = createRequire(import.meta.url);
  const pkgPath = req.resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  return pathToFileURL(join(dirname(pkgPath), pkg.exports['./esm/api'].import.default)).href;
}

// The worker's entry is plain JavaScript. tsx's ESM hooks are registered only for a TypeScript
// entry (a source checkout); the compiled package's workers load plain JavaScript without them —
// a registered hook puts every later import of the worker through tsx's hooks thread (≈ 0.3–1 s
// of CPU per worker for the engine's modules, measured: docs/performance.md). A TypeScript builder
// module asked for later registers them then (engine-worker.ts).
const BOOTSTRAP = `const { workerData } = require('node:worker_threads');
(workerData.entry.endsWith('.ts') ? import(workerData.tsxApi).then((m) => { m.register(); globalThis.__hedgekitTsx = true; }) : Promise.resolve())
  .then(() => import(workerData.entry));`;

interface Slot {
  readonly worker: Worker;
  readonly port: MessagePort;
  busy: boolean;
  /** Where a worker crash is reported while an async job runs. */
  onError: ((e: Error) => void) | undefined;
  /** {@link EnginePool.runOne} jobs sent to this worker and not answered yet. */
  queued: number;
  /** Their rejecters (a worker crash rejects them all). */
  readonly queuedErrors: Set<(e: Error) => void>;
  /** Set once the worker died. */
  dead: Error | undefined;
}

/**
 * A fixed set of engine worker threads, reusable across jobs (workers keep their imported modules
 * and JIT state). `run` is asynchronous; `runSync` blocks the calling thread (Atomics.wait) and suits
 * scripts and benchmarks that have no event loop to spare. Close it when done.
 */
export class EnginePool {
  readonly size: number;
  private readonly slots: Slot[] = [];
  /** signal[0] counts answers posted by workers; Atomics.wait sleeps on it in runSync. */
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private nextId = 0;
  private closed = false;
  /** Every answered job's cost, in answer order (see {@link jobStats}). */
  private readonly answered: (JobStats & { readonly worker: number })[] = [];

  /**
   * Jobs of {@link runOne} a worker holds at once (default 1): with 2 the next job waits inside the
   * worker and starts the moment the running one ends, even while the calling thread is busy with
   * work of its own (`hedgekit run` computes ranges on it too).
   */
  readonly depth: number;

  /** @throws DomainError if workers (or depth) is not an integer ≥ 1 */
  constructor(workers = 2, opts: { depth?: number } = {}) {
    if (!(Number.isSafeInteger(workers) && workers >= 1))
      throw new DomainError('workers', workers, 'must be an integer >= 1');
    const depth = opts.depth ?? 1;
    if (!(Number.isSafeInteger(depth) && depth >= 1))
      throw new DomainError('depth', depth, 'must be an integer >= 1');
    this.size = workers;
    this.depth = depth;
    const tsxApi = tsxEsmApiUrl();
    // The compiled package (dist/) runs engine-worker.js; the sources under tsx run the .ts file.
    const entry = new URL(
      `./engine-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
      import.meta.url,
    ).href;
    for (let w = 0; w < workers; w++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(BOOTSTRAP, {
        eval: true,
        workerData: { tsxApi, entry, port: port2, signal: this.signal },
        transferList: [port2],
      });
      worker.unref();
      const slot: Slot = {
        worker,
        port: port1,
        busy: false,
        onError: undefined,
        queued: 0,
        queuedErrors: new Set(),
        dead: undefined,
      };
      // A permanent listener: an 'error' event without one would crash the main thread.
      worker.on('error', (e: Error) => {
        slot.dead = e;
        slot.onError?.(e);
        for (const rej of slot.queuedErrors) rej(e);
      });
      worker.on('exit', (code) => {
        if (!this.closed && !slot.dead)
          slot.dead = new HedgekitError('worker-exit', `an engine worker exited (code ${code})`);
        if (!this.closed) {
          slot.onError?.(slot.dead!);
          for (const rej of slot.queuedErrors) rej(slot.dead!);
        }
      });
      this.slots.push(slot);
    }
  }

  /** Runs `spec` split into ranges over the pool's workers and merges the results. */
  async run(spec: EngineSpec, opts: Omit<ParallelOptions, 'workers'> = {}): Promise<MergedEngineResult> {
    const { ranges, firstPath } = this.plan(spec, opts);
    const parts: (FromWorker & { type: 'done' })[] = new Array(ranges.length);
    const doneByRange = new Float64Array(ranges.length);
    let next = 0;
    await new Promise<void>((resolve, reject) => {
      let finished = 0;
      let failed = false;
      const fail = (e: Error) => {
        if (failed) return;
        failed = true;
        for (const s of this.slots) {
          s.port.removeAllListeners('message');
          s.port.unref();
          s.onError = undefined;
          s.busy = false;
        }
        reject(e);
      };
      const dispatch = (slot: Slot) => {
        if (failed || next >= ranges.length) {
          slot.busy = false;
          slot.port.removeAllListeners('message');
          slot.port.unref();
          slot.onError = undefined;
          return;
        }
        const j = next++;
        const id = this.nextId++;
        slot.busy = true;
        slot.port.removeAllListeners('message');
        slot.port.on('message', (msg: FromWorker) => {
          if (msg.id !== id) return;
          if (msg.type === 'progress') {
            doneByRange[j] = msg.done;
            if (opts.onProgress) {
              let total = 0;
              for (const d of doneByRange) total += d;
              opts.onProgress(total, spec.nPaths);
            }
            return;
          }
          if (msg.type === 'error') return fail(remoteError(msg));
          parts[j] = msg;
          this.record(slot, msg.stats);
          if (++finished === ranges.length) {
            for (const s of this.slots) s.port.unref();
            resolve();
          }
          dispatch(slot);
        });
        slot.port.ref();
        slot.onError = fail;
        slot.port.postMessage({ type: 'run', id, spec, range: ranges[j] } satisfies ToWorker);
      };
      for (const s of this.slots) dispatch(s);
    });
    return merge(spec.nPaths, firstPath, ranges, parts);
  }

  /**
   * As {@link run}, but blocks the calling thread until every range is done (no progress callbacks).
   * A worker that dies without answering is detected after `timeoutMs` of silence.
   * @throws the first range's error (DomainError etc. rebuilt from the worker's message)
   */
  runSync(
    spec: EngineSpec,
    opts: Omit<ParallelOptions, 'workers' | 'onProgress'> & { timeoutMs?: number } = {},
  ): MergedEngineResult {
    const { ranges, firstPath } = this.plan(spec, opts);
    const parts: (FromWorker & { type: 'done' })[] = new Array(ranges.length);
    const owner = new Map<Slot, { id: number; j: number }>();
    let next = 0;
    let finished = 0;
    const dispatch = (slot: Slot) => {
      if (next >= ranges.length) return;
      const j = next++;
      const id = this.nextId++;
      owner.set(slot, { id, j });
      slot.port.postMessage({ type: 'run', id, spec, range: ranges[j] } satisfies ToWorker);
    };
    // Read the signal before dispatching: a worker that answers at once (a builder that throws)
    // bumps it before the first wait, which then returns at once instead of waiting for a bump
    // that never comes.
    let seen = Atomics.load(this.signal, 0);
    for (const s of this.slots) dispatch(s);
    while (finished < ranges.length) {
      if (Atomics.wait(this.signal, 0, seen, opts.timeoutMs ?? 600_000) === 'timed-out')
        throw new HedgekitError('worker-timeout', 'an engine worker did not answer in time');
      seen = Atomics.load(this.signal, 0);
      for (const slot of this.slots) {
        const job = owner.get(slot);
        if (!job) continue;
        for (let m = receiveMessageOnPort(slot.port); m; m = receiveMessageOnPort(slot.port)) {
          const msg = m.message as FromWorker;
          if (msg.id !== job.id || msg.type === 'progress') continue;
          if (msg.type === 'error') throw remoteError(msg);
          parts[job.j] = msg;
          this.record(slot, msg.stats);
          finished++;
          owner.delete(slot);
          dispatch(slot);
          break;
        }
      }
    }
    return merge(spec.nPaths, firstPath, ranges, parts);
  }

  /** Callers of {@link runOne} waiting for a free worker. */
  private readonly waiting: (() => void)[] = [];
  /** Rejecters of the {@link runOne} jobs in flight (closing the pool rejects them). */
  private readonly inflight = new Set<(e: Error) => void>();

  /**
   * Runs a whole spec (its paths as ONE range) on the next free worker. Calls may overlap: up to
   * `size` run at once, the others wait their turn in call order — a queue of independent jobs
   * (sweep shards) over the pool. Do not mix with {@link run} / {@link runSync} on the same pool.
   * @throws the job's error (rebuilt from the worker), or HedgekitError `pool-closed` once closed
   * @example await Promise.all(specs.map((s) => pool.runOne(s))) // each bit-identical to runEngineSpec(s)
   */
  async runOne(
    spec: EngineSpec,
    opts: { onProgress?: (pathsDone: number) => void } = {},
  ): Promise<MergedEngineResult> {
    const firstPath = checkSpec(spec);
    let slot: Slot | undefined;
    for (;;) {
      if (this.closed) throw new HedgekitError('pool-closed', 'the engine pool is closed');
      const dead = this.slots.find((s) => s.dead)?.dead;
      if (dead) throw dead;
      // the least loaded worker with room (a job queued behind the running one starts the moment
      // that one ends, without waiting for this thread to hand it over)
      for (const s of this.slots) if (s.queued < this.depth && (!slot || s.queued < slot.queued)) slot = s;
      if (slot) break;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    const s = slot;
    s.queued++;
    s.busy = true;
    const range: PathRange = { firstPath, nPaths: spec.nPaths };
    const id = this.nextId++;
    let reject: (e: Error) => void = () => {};
    let onMessage: (msg: FromWorker) => void = () => {};
    try {
      const done = await new Promise<FromWorker & { type: 'done' }>((resolve, rej) => {
        reject = rej;
        onMessage = (msg: FromWorker) => {
          if (msg.id !== id) return;
          if (msg.type === 'progress') opts.onProgress?.(msg.done);
          else if (msg.type === 'error') rej(remoteError(msg));
          else {
            this.record(s, msg.stats);
            resolve(msg);
          }
        };
        this.inflight.add(rej);
        s.queuedErrors.add(rej);
        s.port.on('message', onMessage);
        s.port.ref();
        s.port.postMessage({ type: 'run', id, spec, range } satisfies ToWorker);
      });
      return merge(spec.nPaths, firstPath, [range], [done]);
    } finally {
      this.inflight.delete(reject);
      s.queuedErrors.delete(reject);
      s.port.off('message', onMessage);
      if (--s.queued === 0) {
        s.port.unref();
        s.busy = false;
      }
      this.waiting.shift()?.();
    }
  }

  /**
   * The cost of every job answered since the pool started (or since the last `clear`), in answer
   * order, with the index of the worker that ran it: the efficiency accounting of
   * docs/performance.md (CPU time per job, run-queue waits, cold first jobs).
   */
  jobStats(clear = false): (JobStats & { readonly worker: number })[] {
    const out = this.answered.slice();
    if (clear) this.answered.length = 0;
    return out;
  }

  private record(slot: Slot, stats: JobStats | undefined): void {
    if (stats) this.answered.push({ ...stats, worker: this.slots.indexOf(slot) });
  }

  /** Terminates the workers (jobs of {@link runOne} in flight or waiting reject with `pool-closed`). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const closed = new HedgekitError('pool-closed', 'the engine pool is closed');
    for (const rej of this.inflight) rej(closed);
    for (const wake of this.waiting.splice(0)) wake();
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private plan(
    spec: EngineSpec,
    opts: { ranges?: number; align?: number },
  ): { ranges: PathRange[]; firstPath: number } {
    if (this.closed) throw new HedgekitError('pool-closed', 'the engine pool is closed');
    const dead = this.slots.find((s) => s.dead)?.dead;
    if (dead) throw dead;
    if (this.slots.some((s) => s.busy))
      throw new HedgekitError('pool-busy', 'the engine pool is busy with another job');
    const firstPath = checkSpec(spec);
    return { ranges: splitRanges(firstPath, spec.nPaths, opts.ranges ?? this.size, opts.align), firstPath };
  }
}

function remoteError(msg: FromWorker & { type: 'error' }): Error {
  const e = msg.code !== undefined ? new HedgekitError(msg.code, msg.message) : new Error(msg.message);
  e.name = msg.name;
  if (msg.stack) e.stack = `${msg.stack}\n    (in an engine worker thread)`;
  return e;
}

/**
 * Merges results of consecutive path ranges of one spec (e.g. {@link EnginePool.runOne} jobs, one
 * per range) in path order, exactly as {@link EnginePool.run} merges its ranges.
 * Shape: `ranges[j]` is the range of `results[j]`; together they cover [firstPath, firstPath + nPaths).
 * @example mergeRangeResults(1000, 0, ranges, await Promise.all(ranges.map((r) => pool.runOne({ ...spec, ...r }))))
 */
export function mergeRangeResults(
  nPaths: number,
  firstPath: number,
  ranges: readonly PathRange[],
  results: readonly MergedEngineResult[],
): MergedEngineResult {
  if (results.length !== ranges.length || results.length === 0)
    throw new DomainError('results', results.length, `must hold one result per range (${ranges.length})`);
  return merge(
    nPaths,
    firstPath,
    ranges,
    results.map((res) => ({
      type: 'done' as const,
      id: 0,
      runs: res.runs.map((r) => ({ ...r, values: [...r.values.entries()] })),
      times: res.times,
      dates: res.dates,
      ...(res.extras ? { extras: res.extras[0] } : {}),
    })),
  );
}

/** Concatenates the ranges' results in path order. */
function merge(
  nPaths: number,
  firstPath: number,
  ranges: readonly PathRange[],
  parts: readonly (FromWorker & { type: 'done' })[],
): MergedEngineResult {
  const first = parts[0];
  const runs: MergedRunResult[] = first.runs.map((r0, r) => {
    const field = (k: 'terminal' | 'fees' | 'premiums' | 'turnover' | 'trades') => {
      if (parts.length === 1) return r0[k];
      const out = new Float64Array(nPaths);
      for (let j = 0; j < parts.length; j++) out.set(parts[j].runs[r][k], ranges[j].firstPath - firstPath);
      return out;
    };
    const ledger: TradeRecord[] = [];
    const values = new Map<number, Float64Array>();
    for (const part of parts) {
      for (const t of part.runs[r].ledger) ledger.push(t);
      for (const [g, arr] of part.runs[r].values) values.set(g, arr);
    }
    // Each range's ledger is already in (path, step) order and ranges are in path order; the stable
    // sort is the engine's own and a no-op here, kept so the order never depends on the split.
    ledger.sort((a, b) => a.path - b.path || a.step - b.step);
    let metrics: Record<string, Float64Array> | undefined;
    if (r0.metrics) {
      metrics = {};
      for (const key of Object.keys(r0.metrics)) {
        let len = 0;
        for (const part of parts) len += part.runs[r].metrics![key].length;
        const out = new Float64Array(len);
        let off = 0;
        for (const part of parts) {
          const a = part.runs[r].metrics![key];
          out.set(a, off);
          off += a.length;
        }
        metrics[key] = out;
      }
    }
    // Strategy diagnostics: totals summed over the ranges, series of the first range's first path.
    let diagnostics: StrategyDiagnostics | undefined;
    parts.forEach((part, j) => {
      const d = part.runs[r].diagnostics;
      if (d) diagnostics = mergeDiagnostics(diagnostics, d, j === 0);
    });
    return {
      ...(diagnostics ? { diagnostics } : {}),
      name: r0.name,
      kind: r0.kind,
      terminal: field('terminal'),
      fees: field('fees'),
      premiums: field('premiums'),
      turnover: field('turnover'),
      trades: field('trades'),
      ledger,
      values: new Map([...values.entries()].sort((a, b) => a[0] - b[0])),
      metrics,
    };
  });
  const extras = parts.some((p) => p.extras !== undefined) ? parts.map((p) => p.extras) : undefined;
  return { runs, nPaths, firstPath, times: first.times, dates: first.dates, ...(extras ? { extras } : {}) };
}

/**
 * Runs `spec` over `workers` worker threads (a pool made and closed for this call) and merges the
 * results, bit-identical to {@link runEngineSpec} on one thread.
 *
 * Cost: each worker pays ~0.15–0.3 s to start (tsx registration, module import, JIT warm-up); keep an
 * {@link EnginePool} for repeated jobs.
 * @throws DomainError for invalid options or spec, or the error a worker's builder / engine threw
 * @example
 * const res = await runEngineParallel({ module: import.meta.url, builder: 'myScenario', args: {}, nPaths: 10_000 }, { workers: 2 });
 * res.runs[0].terminal.length // returns 10000
 * References: Node.js worker_threads; L'Ecuyer et al. (2017) on block-split random streams.
 */
export async function runEngineParallel(
  spec: EngineSpec,
  opts: ParallelOptions = {},
): Promise<MergedEngineResult> {
  checkSpec(spec);
  const pool = new EnginePool(opts.workers ?? 2);
  try {
    return await pool.run(spec, opts);
  } finally {
    await pool.close();
  }
}
