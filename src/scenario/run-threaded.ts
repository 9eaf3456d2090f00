/**
 * `hedgekit run` over worker threads: every Monte-Carlo market of a scenario is split into path
 * ranges (multiples of PATH_BLOCK) that run on an EnginePool; the per-path results are merged in
 * path order and summarized exactly as on one thread. Because each block of PATH_BLOCK paths draws
 * from its own random stream (blockRng(seed, block)), the result is bit-identical to
 * {@link runScenario} whatever the number of threads.
 *
 * The pool is used only when the work pays for its start-up (~0.3–1 s per worker: tsx registration,
 * module import, JIT warm-up) and the machine has a core to spare: {@link chooseThreads} decides from
 * paths × steps × strategies and the load average.
 * Replays (one path), small markets and runs with P&L attribution (not merged across ranges) stay on
 * the calling thread.
 *
 * References: src/engine/parallel.ts; L'Ecuyer et al., "Random numbers for parallel computers:
 * requirements and methods" (2017).
 */
import { availableParallelism, loadavg } from 'node:os';
import { extname } from 'node:path';
import { loadScenario } from '../config/scenario-load.ts';
import { DomainError } from '../core/errors.ts';
import { PATH_BLOCK } from '../core/rng.ts';
import { runEngine } from '../engine/engine.ts';
import { EnginePool, type EngineSpec } from '../engine/parallel.ts';
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

/**
 * Work (path-steps × strategies of the splittable markets) from which `threads: auto` starts a
 * pool. A worker costs ~0.3–1 s to start (tsx, module import, JIT warm-up); one unit costs ~50 ns
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
}

/** What {@link chooseThreads} knows about the machine (injected in tests). */
export interface MachineLoad {
  /** Cores this process may use (os.availableParallelism()). */
  readonly cores: number;
  /** One-minute load average (os.loadavg()[0]; 0 where the platform has none). */
  readonly load: number;
}

/** This machine's cores and load. */
export function machineLoad(): MachineLoad {
  return { cores: Math.max(1, availableParallelism()), load: loadavg()[0] ?? 0 };
}

/**
 * How many threads a run uses: `requested` when given; else every core when the splittable work
 * reaches {@link AUTO_THREADS_MIN_WORK} and the machine has a core to spare (one-minute load average
 * below cores − 0.5: on a saturated machine extra threads only add their start-up to the run),
 * otherwise 1. Attribution runs and runs without a splittable market use 1. The choice never changes
 * a result (bit-identical either way), only the time.
 * @throws DomainError if `requested` is not an integer ≥ 1
 * @example chooseThreads(built, undefined, undefined, { cores: 2, load: 0.3 }) // 2 for the default scenario
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
  const work = built.markets.filter(splittable).reduce((t, m) => t + marketWork(built, m), 0);
  if (work === 0) return 1;
  if (requested !== undefined) return requested;
  const spare = machine.load < machine.cores - 0.5;
  return work >= AUTO_THREADS_MIN_WORK && spare ? machine.cores : 1;
}

/**
 * Runs a built scenario, the Monte-Carlo markets over `threads` worker threads; bit-identical to
 * {@link runScenario}.
 * @param dir the scenario file's directory (history paths resolve against it in the workers)
 * @throws DomainError for invalid options; whatever the engine throws (rebuilt from the worker)
 * @example (await runScenarioThreaded(built, 'examples', { threads: 2 })).markets.length // 9
 */
export async function runScenarioThreaded(
  built: BuiltScenario,
  dir: string,
  opts: ThreadedRunOptions = {},
): Promise<ScenarioResult> {
  // The report's collector observes the runs in this thread: a collected run stays on it.
  if (opts.collect) return runScenario(built, opts);
  checkRunBudget(built);
  const threads = chooseThreads(built, opts.threads, opts.attribution);
  const total = built.markets.reduce((t, m) => t + marketWork(built, m), 0);
  const pool = threads > 1 ? new EnginePool(threads) : undefined;
  // The builder next to this module: .ts in a source checkout, .js in the compiled package.
  const module = new URL(`./market-builder${extname(new URL(import.meta.url).pathname)}`, import.meta.url)
    .href;
  try {
    let before = 0;
    const markets: MarketResult[] = [];
    for (let i = 0; i < built.markets.length; i++) {
      const m = built.markets[i];
      const perPath = m.grid.nSteps * built.strategyNames.length;
      const progress = (done: number) => opts.onProgress?.(before + done * perPath, total);
      const { config, runs } = marketEngineConfig(built, m, {
        chunkPaths: opts.chunkPaths,
        attribution: opts.attribution,
      });
      if (pool && splittable(m)) {
        const args: MarketJobArgs = {
          scenario: built.scenario,
          dir,
          market: i,
          chunkPaths: opts.chunkPaths ?? 512,
        };
        const spec: EngineSpec<MarketJobArgs> = {
          module,
          builder: 'scenarioMarketConfig',
          args,
          nPaths: m.nPaths,
        };
        // One range per engine chunk: the chunks of the single-thread run, whole (chunk-dependent
        // strategies stay identical), and diagnostics totals summed chunk by chunk in path order,
        // exactly as one thread sums them; many ranges also balance the load.
        const chunk = opts.chunkPaths ?? 512;
        const res = await pool.run(spec, {
          ranges: Math.ceil(m.nPaths / chunk),
          align: chunk,
          onProgress: progress,
        });
        // A strategy's report reads configuration its `init` records (e.g. a vol-target overlay's
        // leg names): initialize this thread's strategy objects on one path (microseconds).
        const { metrics: _unused, ...prime } = config;
        runEngine({ ...prime, nPaths: 1, firstPath: 0, ledgerPaths: [], keepValuePaths: [] });
        markets.push(
          marketResult(
            built,
            m,
            runs,
            res.runs.map((r) => ({ ...r, metrics: r.metrics ?? {} })),
          ),
        );
      } else {
        // A strategy's report reads configuration its `init` records (e.g. a vol-target overlay's
        // leg names): initialize this thread's strategy objects on one path (microseconds).
        const { metrics: _unused, ...prime } = config;
        runEngine({ ...prime, nPaths: 1, firstPath: 0, ledgerPaths: [], keepValuePaths: [] });
        markets.push(
          marketResult(built, m, runs, outcomesOf(runEngine({ ...config, onProgress: progress }))),
        );
      }
      before += marketWork(built, m);
    }
    return scenarioResult(built, markets);
  } finally {
    await pool?.close();
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
  const loaded = loadScenario(file);
  const scenario = withOverrides(loaded.scenario, { paths: opts.paths, seed: opts.seed });
  try {
    return await runScenarioThreaded(buildScenario(scenario, loaded.dir), loaded.dir, opts);
  } catch (e) {
    throw locateInFile(e, file);
  }
}
