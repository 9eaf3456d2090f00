/**
 * `hedgekit run` over threads: every Monte-Carlo market of a scenario is split into path ranges
 * (one engine chunk each) that this thread and the workers of an EnginePool take from one queue;
 * the per-path results are merged in path order and summarized exactly as on one thread. Because
 * each block of PATH_BLOCK paths draws from its own random stream (blockRng(seed, block)), the
 * result is bit-identical to {@link runScenario} whatever the number of threads; a report collector
 * that takes parts (src/scenario/split-collector.ts) collects bit-identically too.
 *
 * Threads are used only when the work pays for a worker's start-up and JIT warm-up (~1.1–1.6 s of
 * CPU for the default scenario, docs/performance.md "Both cores") and other processes leave cores
 * free: {@link chooseThreads} decides from paths × steps × strategies and the measured load.
 * Replays (one path), small markets and runs with P&L attribution (not merged across ranges) stay on
 * the calling thread.
 *
 * References: src/engine/parallel.ts; L'Ecuyer et al., "Random numbers for parallel computers:
 * requirements and methods" (2017).
 */
import { availableParallelism, loadavg } from 'node:os';
import { extname } from 'node:path';
import type { Scenario } from '../config/scenario.ts';
import { loadScenario } from '../config/scenario-load.ts';
import { DomainError } from '../core/errors.ts';
import { PATH_BLOCK } from '../core/rng.ts';
import { type CpuSnapshot, cpuSnapshot, othersBusyCores } from '../engine/cpu-load.ts';
import { runEngine } from '../engine/engine.ts';
import {
  EnginePool,
  type EngineSpec,
  type MergedEngineResult,
  mergeRangeResults,
  type PathRange,
  splitRanges,
  toMergedResult,
} from '../engine/parallel.ts';
import { checkRunBudget } from './budget.ts';
import type { BuiltMarket, BuiltScenario } from './build.ts';
import { buildScenario } from './build.ts';
import type { MarketJobArgs } from './market-builder.ts';
import {
  locateInFile,
  type MarketResult,
  marketEngineConfig,
  marketResult,
  marketWork,
  outcomesOf,
  type RunOptions,
  runScenario,
  type ScenarioResult,
  scenarioResult,
  withOverrides,
} from './run.ts';
import { isSplitCollector } from './split-collector.ts';

/**
 * Work (path-steps × strategies of the splittable markets) from which `threads: auto` starts a
 * pool. A worker costs ~1.1–1.6 s of CPU (start-up, cold first ranges, its isolate's JIT
 * compilation on V8's background threads; measured on the default scenario); one unit costs ~50 ns
 * (CPPI) to ~400 ns (option books marked every step), so 8 M units are 0.4–3 s on one core: the
 * default scenario (18 M units) gains, a CPPI-only run of 10,000 × 252 × 2 (5 M) stays on one thread.
 */
export const AUTO_THREADS_MIN_WORK = 8_000_000;

/** A market worth splitting: Monte-Carlo with at least two PATH_BLOCK blocks. */
function splittable(m: BuiltMarket): boolean {
  return !m.replay && m.nPaths >= 2 * PATH_BLOCK;
}

/** Options of a threaded run. */
export interface ThreadedRunOptions extends RunOptions {
  /** Worker threads, integer ≥ 1; 1 runs on the calling thread; undefined decides ({@link chooseThreads}). */
  readonly threads?: number | undefined;
  /**
   * A started pool to use (e.g. started before the scenario was built, so its threads load while
   * this one builds); used only when the run takes threads, and never closed here.
   */
  readonly pool?: EnginePool | undefined;
  /** The machine's state for the automatic choice (default: {@link machineLoad} now). */
  readonly machine?: MachineLoad | undefined;
}

/** What {@link chooseThreads} knows about the machine (injected in tests). */
export interface MachineLoad {
  /** Cores this process may use (os.availableParallelism()). */
  readonly cores: number;
  /** One-minute load average (os.loadavg()[0]; 0 where the platform has none). */
  readonly load: number;
  /**
   * Cores kept busy by other processes, measured just now over a short window (src/engine/cpu-load.ts);
   * preferred to `load` when present.
   */
  readonly others?: number | undefined;
}

/** This machine's cores and load (`others` from a CPU snapshot taken earlier, when given). */
export function machineLoad(since?: CpuSnapshot): MachineLoad {
  const others = since ? othersBusyCores(since, cpuSnapshot()) : undefined;
  return {
    cores: Math.max(1, availableParallelism()),
    load: loadavg()[0] ?? 0,
    ...(others !== undefined ? { others } : {}),
  };
}

/** Splittable work (path-steps × strategies of the Monte-Carlo markets worth splitting). */
function splittableWork(built: BuiltScenario): number {
  return built.markets.filter(splittable).reduce((t, m) => t + marketWork(built, m), 0);
}

/**
 * How many threads a run uses: `requested` when given; else, when the splittable work reaches
 * {@link AUTO_THREADS_MIN_WORK}, as many as there are cores free of other processes — measured
 * just now (`machine.others`: cores − others, rounded, so on 2 cores another process using half a
 * core or more keeps the run on one thread: the second core is busy, and a second thread would
 * only add its start-up and JIT warm-up to the run) or, without that measurement, every core when
 * the one-minute load average is below cores − 0.5; otherwise 1. Attribution runs and runs without
 * a splittable market use 1. The choice never changes a result (bit-identical either way).
 * @throws DomainError if `requested` is not an integer ≥ 1
 * @example chooseThreads(built, undefined, undefined, { cores: 2, load: 3, others: 0.1 }) // 2 for the default scenario
 */
export function chooseThreads(
  built: BuiltScenario,
  requested: number | undefined,
  attribution?: string,
  machine: MachineLoad = machineLoad(),
): number {
  if (requested !== undefined && !(Number.isSafeInteger(requested) && requested >= 1))
    throw new DomainError('threads', requested, 'must be an integer >= 1');
  if ((attribution ?? built.scenario.attribution) !== 'off') return 1;
  const work = splittableWork(built);
  if (work === 0) return 1;
  if (requested !== undefined) return requested;
  if (work < AUTO_THREADS_MIN_WORK) return 1;
  if (machine.others !== undefined)
    return Math.max(1, Math.min(machine.cores, Math.round(machine.cores - machine.others)));
  return machine.load < machine.cores - 0.5 ? machine.cores : 1;
}

/**
 * Runs a built scenario, the Monte-Carlo markets over `threads` threads — this one and
 * `threads − 1` workers; bit-identical to {@link runScenario}. The markets' paths are cut into
 * ranges of one engine chunk each, taken in order from one queue by this thread and by the
 * workers (each worker holds the next range while it computes one, so it never waits for this
 * thread); this thread runs the replays, and merges and summarizes each market as soon as its
 * ranges are in. One worker fewer than threads: every extra isolate costs its own JIT compilation
 * (~1.3 s of CPU for the default scenario, docs/performance.md).
 * @param dir the scenario file's directory (history paths resolve against it in the workers)
 * @throws DomainError for invalid options; whatever the engine throws (rebuilt from the worker)
 * @example (await runScenarioThreaded(built, 'examples', { threads: 2 })).markets.length // 9
 */
export async function runScenarioThreaded(
  built: BuiltScenario,
  dir: string,
  opts: ThreadedRunOptions = {},
): Promise<ScenarioResult> {
  // A collector that cannot take parts from other threads keeps the run on this one.
  if (opts.collect && !isSplitCollector(opts.collect)) return runScenario(built, opts);
  const collect = isSplitCollector(opts.collect) ? opts.collect : undefined;
  checkRunBudget(built);
  const threads = chooseThreads(built, opts.threads, opts.attribution, opts.machine);
  if (threads === 1) return runScenario(built, opts);
  const workers = threads - 1;
  const own = opts.pool && opts.pool.size >= workers ? undefined : new EnginePool(workers, { depth: 2 });
  const pool = own ?? (opts.pool as EnginePool);
  // The builder next to this module: .ts in a source checkout, .js in the compiled package.
  const builder = collect?.partBuilder ?? {
    module: new URL(`./market-builder${extname(new URL(import.meta.url).pathname)}`, import.meta.url).href,
    builder: 'scenarioMarketConfig',
  };
  const chunk = opts.chunkPaths ?? 512;
  const total = built.markets.reduce((t, m) => t + marketWork(built, m), 0);
  const nM = built.markets.length;
  // Progress: paths done per range, reported as path-steps × strategies.
  const perPath = built.markets.map((m) => m.grid.nSteps * built.strategyNames.length);
  const ranges: PathRange[][] = built.markets.map((m) =>
    splittable(m) ? splitRanges(0, m.nPaths, Math.ceil(m.nPaths / chunk), chunk) : [],
  );
  const doneBy = ranges.map((r) => new Float64Array(Math.max(1, r.length)));
  const report = () => {
    let d = 0;
    for (let i = 0; i < nM; i++) for (const x of doneBy[i]) d += x * perPath[i];
    opts.onProgress?.(d, total);
  };
  const parts: MergedEngineResult[][] = ranges.map((r) => new Array(r.length));
  const left = ranges.map((r) => r.length);
  // The shared queue of ranges, in market then path order.
  const queue: { i: number; j: number }[] = [];
  ranges.forEach((rs, i) => {
    rs.forEach((_, j) => {
      queue.push({ i, j });
    });
  });
  let next = 0;
  let failed: Error | undefined;
  const pending = new Set<Promise<void>>();
  let wake: (() => void) | undefined;
  const feed = () => {
    while (!failed && next < queue.length && pending.size < pool.size * pool.depth) {
      const { i, j } = queue[next++];
      const r = ranges[i][j];
      const args: MarketJobArgs = { scenario: built.scenario, dir, market: i, chunkPaths: chunk };
      const spec: EngineSpec<MarketJobArgs> = {
        module: builder.module,
        builder: builder.builder,
        args,
        nPaths: r.nPaths,
        firstPath: r.firstPath,
      };
      const job: Promise<void> = pool
        .runOne(spec, {
          onProgress: (d) => {
            doneBy[i][j] = d;
            report();
          },
        })
        .then(
          (res) => {
            parts[i][j] = res;
            left[i]--;
          },
          (e: Error) => {
            failed ??= e;
          },
        )
        .finally(() => {
          pending.delete(job);
          feed();
          wake?.();
        });
      pending.add(job);
    }
  };
  const markets: MarketResult[] = [];
  /** Merges and summarizes the markets, in order, whose ranges are all in. */
  const assemble = () => {
    while (markets.length < nM && left[markets.length] === 0) {
      const i = markets.length;
      const m = built.markets[i];
      const { config, runs, metrics } = marketEngineConfig(built, m, {
        chunkPaths: opts.chunkPaths,
        attribution: opts.attribution,
        collect: collect ? { collector: collect, market: i } : undefined,
      });
      // A strategy's report reads configuration its `init` records (e.g. a vol-target overlay's
      // leg names): initialize this thread's strategy objects on one path (microseconds).
      const { metrics: _unused, ...prime } = config;
      runEngine({ ...prime, nPaths: 1, firstPath: 0, ledgerPaths: [], keepValuePaths: [] });
      if (ranges[i].length > 0) {
        const res = mergeRangeResults(m.nPaths, 0, ranges[i], parts[i]);
        parts[i] = [];
        if (collect) {
          // set the market up in the collector, then take the ranges' parts in path order
          for (let r = 0; r < runs.length; r++) config.metrics?.(r);
          for (const x of res.extras ?? []) collect.absorb(i, x as unknown[]);
          collect.marketDone(
            i,
            res.runs.map((r) => r.metrics ?? {}),
          );
        }
        markets.push(
          marketResult(
            built,
            m,
            runs,
            res.runs.map((r) => ({ ...r, metrics: r.metrics ?? {} })),
          ),
        );
      } else {
        const res = runEngine({
          ...config,
          onProgress: (d) => {
            doneBy[i][0] = d;
            report();
          },
        });
        collect?.marketDone(
          i,
          metrics.map((x) => x.results()),
        );
        markets.push(marketResult(built, m, runs, outcomesOf(res)));
      }
    }
  };
  const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));
  try {
    feed();
    for (;;) {
      await yieldToLoop(); // worker answers are taken and the workers fed
      if (failed) throw failed;
      assemble();
      if (next >= queue.length) break;
      const { i, j } = queue[next++];
      const r = ranges[i][j];
      const part = collect?.forRange();
      const { config, runs } = marketEngineConfig(
        built,
        built.markets[i],
        {
          chunkPaths: opts.chunkPaths,
          attribution: opts.attribution,
          collect: part ? { collector: part, market: i } : undefined,
        },
        r,
      );
      const res = toMergedResult(
        runEngine({
          ...config,
          onProgress: (d) => {
            doneBy[i][j] = d;
            report();
          },
        }),
      );
      parts[i][j] = part ? { ...res, extras: [part.partsOf(i, runs.length)] } : res;
      left[i]--;
    }
    while (pending.size > 0) {
      await new Promise<void>((r) => {
        wake = r;
        if (pending.size === 0) r();
      });
      wake = undefined;
      if (failed) throw failed;
      assemble();
    }
    if (failed) throw failed;
    assemble();
    return scenarioResult(built, markets);
  } finally {
    await own?.close();
  }
}

/**
 * Loads, validates, builds and runs a scenario file over threads (what `hedgekit run` does).
 * @throws ScenarioError (file:line), ValidationError, CsvValidationError as runScenarioFile
 * @example (await runScenarioFileThreaded('examples/article-case.yaml', { threads: 2 })).markets.length // 9
 */
export async function runScenarioFileThreaded(
  file: string,
  opts: ThreadedRunOptions & { paths?: number | undefined; seed?: number | undefined } = {},
): Promise<ScenarioResult> {
  const since = cpuSnapshot();
  const loaded = loadScenario(file);
  const scenario = withOverrides(loaded.scenario, { paths: opts.paths, seed: opts.seed });
  // Threads start now, while this thread builds the scenario (CSV, generators: ~0.2–0.5 s), when
  // the run will likely take them: their start-up (module import, JIT) then costs the run nothing.
  // The measured choice after the build may still say one thread; the pool is closed unused then.
  const cores = Math.max(1, availableParallelism());
  const likely =
    opts.pool === undefined &&
    cores > 1 &&
    (opts.threads === undefined || opts.threads > 1) &&
    (!opts.collect || isSplitCollector(opts.collect)) &&
    (opts.attribution ?? scenario.attribution) === 'off' &&
    (opts.threads !== undefined ||
      (estimatedWork(scenario) >= AUTO_THREADS_MIN_WORK && loadavg()[0] < cores + 1));
  const early = likely ? new EnginePool((opts.threads ?? cores) - 1, { depth: 2 }) : undefined;
  try {
    const built = buildScenario(scenario, loaded.dir);
    return await runScenarioThreaded(built, loaded.dir, {
      ...opts,
      pool: opts.pool ?? early,
      machine: opts.machine ?? machineLoad(since),
    });
  } catch (e) {
    throw locateInFile(e, file);
  } finally {
    await early?.close();
  }
}

/** Splittable work of a validated scenario before it is built (Monte-Carlo markets, paths × steps × strategies). */
function estimatedWork(s: Scenario): number {
  let work = 0;
  for (const m of s.markets) {
    if (m.kind === 'history') continue;
    const paths = (m as { paths?: number }).paths ?? s.paths;
    if (paths < 2 * PATH_BLOCK) continue;
    work += paths * Math.ceil(s.horizon * s.stepsPerYear) * s.strategies.length;
  }
  return work;
}
