/**
 * The back-test engine: one loop for Monte-Carlo and history (a historical replay is the same
 * engine on one path). Time is the outer loop; inside a step every strategy run sees all paths of
 * the chunk at once:
 *
 *   market step (PathGenerator) → vol inputs update → per run: accrue cash and carry → settle and
 *   mark options/forwards → strategy.decide → rebalancing mask → execute with costs → metrics.
 *
 * All runs share the same market paths (paired comparison: the benchmark and every strategy see
 * identical prices). Paths are processed in chunks of `chunkPaths` (a multiple of PATH_BLOCK), each
 * with the random streams of its blocks, so results are bit-identical however the paths are split
 * across chunks or worker threads. Memory is O(chunk × (assets + option slots)) per run.
 *
 * References: Glasserman (2003) ch. 3 (streamed simulation); Lean's algorithm loop (targets →
 * execution → statistics); pfhedge (strategies over tensors of paths).
 */
import { DomainError } from '../core/errors.ts';
import { PATH_BLOCK } from '../core/rng.ts';
import type { MarketEvent } from '../market/events.ts';
import type { RunMetrics } from '../metrics/types.ts';
import type { PathGenerator, TimeGrid } from '../paths/types.ts';
import type { GreekMask } from '../portfolio/contract-pricer.ts';
import type { TradeRecord } from '../portfolio/ledger.ts';
import type { StrategyDiagnostics } from '../strategies/types.ts';
import { AttributionTotals, type RunAttribution } from './attribution-tracker.ts';
import { mergeDiagnostics } from './diagnostics.ts';
import { emptyObservation, GridSource, type MarketSource } from './market-source.ts';
import { EngineStepper, type StrategyRun } from './stepper.ts';

export { mergeDiagnostics } from './diagnostics.ts';
export type { StrategyRun } from './stepper.ts';

export interface EngineConfig {
  readonly generator: PathGenerator;
  readonly grid: TimeGrid;
  readonly nPaths: number;
  readonly seed: number | bigint;
  /** Portfolio value at inception, currency (e.g. 100). */
  readonly initialValue: number;
  readonly runs: readonly StrategyRun[];
  /** Index of the benchmark run for paired metrics (default 0). */
  readonly benchmark?: number;
  /** Nominal steps per year of the grid (252 daily). */
  readonly stepsPerYear: number;
  /** Extra annual rate on negative cash. */
  readonly borrowSpread?: number;
  /** Paths per chunk, a multiple of PATH_BLOCK (default 8192). */
  readonly chunkPaths?: number;
  /** Global index of the first path (a multiple of PATH_BLOCK; worker threads use it). */
  readonly firstPath?: number;
  /** Global path indices whose full trade ledgers are kept. */
  readonly ledgerPaths?: readonly number[];
  /** Global path indices whose value paths (per run, every step) are kept. */
  readonly keepValuePaths?: readonly number[];
  /** Calendar dates of the grid points (historical sources), length nSteps + 1. */
  readonly dates?: readonly string[];
  /** Creates the metrics of run r (sized for all nPaths of this engine call; `withFloor`). */
  readonly metrics?: (run: number) => RunMetrics;
  /** Greeks the books' marks compute beyond price and Δ on top of what each strategy declares (Strategy.greeks). */
  readonly markGreeks?: GreekMask;
  /** P&L attribution per run ('book') or per run and position line ('lines'); off by default. */
  readonly attribution?: 'book' | 'lines';
  /** Progress callback after each chunk. */
  readonly onProgress?: (pathsDone: number, total: number) => void;
  /** Scheduled events shown to strategies in `MarketView.events` (the generator applies them). */
  readonly events?: readonly MarketEvent[];
}

export interface RunResult {
  readonly name: string;
  readonly kind: string;
  /** Per path (index − firstPath): terminal value, cumulative costs, net premiums, turnover, trades. */
  readonly terminal: Float64Array;
  readonly fees: Float64Array;
  readonly premiums: Float64Array;
  readonly turnover: Float64Array;
  readonly trades: Float64Array;
  readonly ledger: TradeRecord[];
  /** Value paths (nSteps + 1 points) of the requested global paths. */
  readonly values: Map<number, Float64Array>;
  readonly metrics: RunMetrics | undefined;
  /** P&L attribution summed over the horizon (when configured). */
  readonly attribution?: RunAttribution;
  /** The strategy's diagnostics (Strategy.diagnostics): totals summed over chunks, series of the first path. */
  diagnostics?: StrategyDiagnostics;
}

export interface EngineResult {
  readonly runs: RunResult[];
  readonly nPaths: number;
  readonly firstPath: number;
  readonly times: Float64Array;
  readonly dates: readonly string[] | undefined;
}

function validate(cfg: EngineConfig): { chunk: number; firstPath: number; bench: number } {
  if (!(Number.isSafeInteger(cfg.nPaths) && cfg.nPaths >= 1))
    throw new DomainError('nPaths', cfg.nPaths, 'must be an integer >= 1');
  const chunk = cfg.chunkPaths ?? 8192;
  if (!(Number.isSafeInteger(chunk) && chunk >= PATH_BLOCK && chunk % PATH_BLOCK === 0))
    throw new DomainError('chunkPaths', chunk, `must be a positive multiple of ${PATH_BLOCK}`);
  const firstPath = cfg.firstPath ?? 0;
  if (!(Number.isSafeInteger(firstPath) && firstPath >= 0 && firstPath % PATH_BLOCK === 0))
    throw new DomainError('firstPath', firstPath, `must be a non-negative multiple of ${PATH_BLOCK}`);
  if (cfg.runs.length === 0) throw new DomainError('runs', 0, 'must contain at least one strategy');
  const bench = cfg.benchmark ?? 0;
  if (!(Number.isInteger(bench) && bench >= 0 && bench < cfg.runs.length))
    throw new DomainError('benchmark', bench, `must be a run index in [0, ${cfg.runs.length})`);
  if (cfg.dates && cfg.dates.length !== cfg.grid.nSteps + 1)
    throw new DomainError('dates.length', cfg.dates.length, `must equal nSteps + 1 (${cfg.grid.nSteps + 1})`);
  return { chunk, firstPath, bench };
}

/**
 * Whether any run's strategy may hold options (`Strategy.holdsOptions`, default true): then the market
 * source carries ln S, which the option marks read instead of a logarithm per option and path.
 */
export function mayHoldOptions(
  runs: readonly { readonly strategy: { readonly holdsOptions?: boolean } }[],
): boolean {
  return runs.some((run) => run.strategy.holdsOptions !== false);
}

/**
 * Feeds every observation of `source` to `stepper` (until the source is exhausted or `until`
 * observations have been processed); returns the number processed.
 * @param obs a reusable observation (no allocation per step)
 */
export function drive(
  stepper: EngineStepper,
  source: MarketSource,
  obs = emptyObservation(),
  until = Number.POSITIVE_INFINITY,
): number {
  let k = 0;
  while (k < until && source.next(obs)) {
    stepper.step(obs);
    k++;
  }
  return k;
}

/**
 * Runs every strategy over the same simulated (or replayed) paths.
 * @throws DomainError for an invalid configuration (never from inside the step loop)
 */
export function runEngine(cfg: EngineConfig): EngineResult {
  const { chunk, firstPath, bench } = validate(cfg);
  const gen = cfg.generator;
  const assets = gen.assets;
  const _nA = assets.length;
  const grid = cfg.grid;
  const times = grid.times;
  const N = cfg.nPaths;
  const keep = cfg.keepValuePaths ?? [];

  const results: RunResult[] = cfg.runs.map((run, r) => ({
    name: run.strategy.name,
    kind: run.strategy.kind,
    terminal: new Float64Array(N),
    fees: new Float64Array(N),
    premiums: new Float64Array(N),
    turnover: new Float64Array(N),
    trades: new Float64Array(N),
    ledger: [],
    values: new Map(
      keep
        .filter((g) => g >= firstPath && g < firstPath + N)
        .map((g) => [g, new Float64Array(grid.nSteps + 1)]),
    ),
    metrics: cfg.metrics?.(r),
  }));

  // Attribution totals per run (book, and per line id: the same strategy opens the same lines in every chunk).
  const totals = cfg.runs.map(() => ({
    book: new AttributionTotals(),
    lines: new Map<number, { contract: string; totals: AttributionTotals }>(),
  }));
  const obs = emptyObservation();
  for (let start = 0; start < N; start += chunk) {
    const n = Math.min(chunk, N - start);
    const g0 = firstPath + start;
    const source = new GridSource({
      generator: gen,
      grid,
      nPaths: n,
      seed: cfg.seed,
      stepsPerYear: cfg.stepsPerYear,
      firstPath: g0,
      dates: cfg.dates,
      ...(cfg.events ? { events: cfg.events } : {}),
      logSpot: mayHoldOptions(cfg.runs),
    });
    const stepper = new EngineStepper({
      assets,
      nPaths: n,
      firstPath: g0,
      initialValue: cfg.initialValue,
      runs: cfg.runs,
      benchmark: bench,
      stepsPerYear: cfg.stepsPerYear,
      borrowSpread: cfg.borrowSpread ?? 0,
      ...(cfg.markGreeks ? { markGreeks: cfg.markGreeks } : {}),
      ...(cfg.attribution ? { attribution: cfg.attribution } : {}),
      ledgerPaths: cfg.ledgerPaths ?? [],
      // The books' executor arenas in the market's memory (the chunk's books end with its simulation).
      market: source.state.spot[0],
      metrics: results.map((res) => res.metrics),
      keep: results.map((res) =>
        [...res.values.entries()].map(([g, arr]) => [g - g0, arr] as const).filter(([p]) => p >= 0 && p < n),
      ),
    });
    drive(stepper, source, obs);
    for (let r = 0; r < cfg.runs.length; r++) {
      const book = stepper.books[r];
      const res = results[r];
      res.terminal.set(book.value, start);
      res.fees.set(book.fees, start);
      res.premiums.set(book.premiums, start);
      res.turnover.set(book.turnover, start);
      res.trades.set(book.trades, start);
      res.metrics?.finish(stepper.view, book, start);
      res.ledger.push(...stepper.ledgers[r].records);
      const d = cfg.runs[r].strategy.diagnostics?.(stepper.stateOf(r));
      if (d) res.diagnostics = mergeDiagnostics(res.diagnostics, d, start === 0);
      const tr = stepper.attribution?.[r];
      if (tr) {
        const t = totals[r];
        t.book.add(tr.book);
        for (const [id, line] of tr.lines) {
          let lt = t.lines.get(id);
          if (!lt) t.lines.set(id, (lt = { contract: line.contract, totals: new AttributionTotals() }));
          lt.totals.add(line.att);
        }
      }
    }
    cfg.onProgress?.(start + n, N);
  }
  // Ledgers in (path, step) order whatever the chunking (the sort is stable within a step).
  for (const res of results) res.ledger.sort((a, b) => a.path - b.path || a.step - b.step);
  const runs: RunResult[] = !cfg.attribution
    ? results
    : results.map((res, r) => {
        const t = totals[r];
        const attribution: RunAttribution = {
          book: t.book.summary(),
          lines: [...t.lines.entries()]
            .sort(([a], [b]) => a - b)
            .map(([id, l]) => ({ id, contract: l.contract, components: l.totals.summary() })),
        };
        return { ...res, attribution };
      });
  return { runs, nPaths: N, firstPath, times, dates: cfg.dates };
}
