/**
 * hedgekit's programmatic facade: everything the CLI, the server and the web front end use.
 * Library users import from here (`import { bsmGreeks, priceOption } from 'hedgekit'`).
 * src/cli imports nothing else from src (checked by src/cli/layering.test.ts).
 *
 * Sections: option pricing (single options, flags and files); volatility from price files;
 * back-tests (scenarios, engine, strategies, metrics, reports); scenario files; option rows as text.
 */

import { parseOrThrow } from './config/issues.ts';
import { type FileRecord, readOptionFile, rowError } from './config/option-file.ts';
import { streamOptionFile } from './config/option-file-stream.ts';
import { type IvRow, IvRowSchema, type PriceRow, PriceRowSchema } from './config/option-row.ts';
import { loadPriceHistory } from './market/history-csv.ts';
import { requireFiniteFields } from './pricing/finite-result.ts';
import { impliedVolOf, type OptionSpec, type OptionValuation, priceOption } from './pricing/option-pricer.ts';
import { estimateVolatility, type VolatilityEstimate, type VolatilityModel } from './volatility/estimate.ts';

// Option pricing: errors, normal distribution, pricers and implied vol, one option from a record or a file.
export { type IvRow, IvRowSchema, type PriceRow, PriceRowSchema } from './config/option-row.ts';
export { DomainError, HedgekitError, ValidationError } from './core/errors.ts';
export { erf, erfc, normCdf, normInv, normPdf } from './core/normal.ts';
export { americanGreeks, americanPrice } from './pricing/american.ts';
export { barrierGreeks, barrierPrice, barrierPriceBatch } from './pricing/barrier.ts';
export { type BatchGreek, type BlackBatchArrays, blackBatchArrays } from './pricing/black-batch-arrays.ts';
export { black76Greeks, black76Price, blackBatch, bsmGreeks, bsmPrice } from './pricing/black-scholes.ts';
export { digitalGreeks, digitalPrice } from './pricing/digital.ts';
export { ImpliedVolError, impliedVolBatch, impliedVolBlack76, impliedVolBsm } from './pricing/implied-vol.ts';
export { impliedVolOf, type OptionSpec, type OptionValuation, priceOption } from './pricing/option-pricer.ts';
export type { Greeks, OptionType } from './pricing/types.ts';
export { toBrokerUnits } from './pricing/units.ts';

/** A validated row (CLI flags or one file row) → the pricer's OptionSpec. */
export function specFromRow(row: PriceRow | IvRow): OptionSpec {
  return {
    type: row.type,
    style: row.style,
    model: row.model,
    underlying: (row.model === 'bsm' ? row.spot : row.forward)!,
    strike: row.strike,
    expiry: row.expiry,
    rate: row.rate,
    dividend: row.dividend,
    ...(row.barrier !== undefined && row.barrier_type !== undefined
      ? { barrier: { level: row.barrier, type: row.barrier_type, rebate: row.rebate } }
      : {}),
  };
}

/** Validates one option given as a plain object (e.g. parsed CLI flags) and prices it. */
export function priceFromRecord(record: unknown, where = '', rename?: (p: string) => string) {
  const row = parseOrThrow(PriceRowSchema, record, where, rename);
  return { row, valuation: requireFiniteFields(priceOption(specFromRow(row), row.vol)) };
}

/** Validates one implied-vol problem given as a plain object and solves it. */
export function impliedVolFromRecord(record: unknown, where = '', rename?: (p: string) => string) {
  const row = parseOrThrow(IvRowSchema, record, where, rename);
  return { row, vol: requireFiniteFields({ vol: impliedVolOf(specFromRow(row), row.price) }).vol };
}

/** Result of one file row: the values, or the error that stopped that row (the others go on). */
export type RowResult<T> =
  | { readonly row: number; readonly where: string; readonly ok: true; readonly value: T }
  | {
      readonly row: number;
      readonly where: string;
      readonly ok: false;
      readonly error: { code: string; message: string };
    };

const PRICE_COLUMNS = new Set(Object.keys(PriceRowSchema.shape));
const IV_COLUMNS = new Set(Object.keys(IvRowSchema.shape));

function runFile<T>(
  path: string,
  columns: ReadonlySet<string>,
  f: (rec: unknown, where: string) => T,
): RowResult<T>[] {
  return readOptionFile(path, columns).map((r) => rowResult(r, f));
}

/** One file record → its result (the record's own error, the function's value or its error). */
function rowResult<T>(r: FileRecord, f: (rec: unknown, where: string) => T): RowResult<T> {
  if (r.error) return { row: r.row, where: r.where, ok: false, error: r.error };
  try {
    return { row: r.row, where: r.where, ok: true, value: f(r.record, r.where) };
  } catch (e) {
    const err = rowError(e);
    const message = err.message.startsWith(r.where) ? err.message : `${r.where}: ${err.message}`;
    return { row: r.row, where: r.where, ok: false, error: { code: err.code, message } };
  }
}

/**
 * Prices every row of an option file (CSV or JSON Lines; columns as in `PriceRowSchema`), in order.
 * @throws ValidationError for file-level problems (unreadable, unknown column)
 */
export function priceFile(path: string): RowResult<OptionValuation>[] {
  return runFile(path, PRICE_COLUMNS, (rec, where) => priceFromRecord(rec, where).valuation);
}

/** Solves the implied vol of every row of an option file (`price` column instead of `vol`). */
export function impliedVolFile(path: string): RowResult<number>[] {
  return runFile(path, IV_COLUMNS, (rec, where) => impliedVolFromRecord(rec, where).vol);
}

// Volatility of a price history file.

/**
 * Loads one price CSV (only the requested column is validated) and estimates / forecasts its
 * volatility. Errors name `file:line` (CSV problems) or the unknown column and the available ones.
 */
export function estimateVolatilityFromFile(opts: {
  file: string;
  column: string;
  model: VolatilityModel;
  horizon?: number | undefined;
  lambda?: number | undefined;
  window?: number | undefined;
  periodsPerYear?: number | undefined;
  from?: string | undefined;
  to?: string | undefined;
}): VolatilityEstimate {
  const history = loadPriceHistory(opts.file, {
    columns: [opts.column],
    ...(opts.from ? { from: opts.from } : {}),
    ...(opts.to ? { to: opts.to } : {}),
  });
  return estimateVolatility({
    history,
    column: opts.column,
    model: opts.model,
    ...(opts.horizon !== undefined ? { horizon: opts.horizon } : {}),
    ...(opts.lambda !== undefined ? { lambda: opts.lambda } : {}),
    ...(opts.window !== undefined ? { window: opts.window } : {}),
    ...(opts.periodsPerYear !== undefined ? { periodsPerYear: opts.periodsPerYear } : {}),
  });
}

// P&L attribution.
export * from './attribution/index.ts';
// Option rows given as text (CSV cells, CLI flag values): coercion before the row schemas.
export { coerceTextRecord } from './config/option-row.ts';
// Back-tests: scenario files, the engine, strategies and metrics.
export { loadScenario, parseScenario } from './config/scenario-load.ts';
// Scenario files: the starter template `hedgekit init` writes and the JSON Schema editors use.
export { SCENARIO_SCHEMA_PATH, scenarioTemplate } from './config/scenario-template.ts';
// Display formatting: percent labels (names, prose) and fixed-decimal percent values (tables).
export { type PercentLabelOptions, percentLabel, percentValue } from './core/format.ts';
export { blockRng, createRng, PATH_BLOCK, type Rng } from './core/rng.ts';
export { drive, type EngineConfig, runEngine, type StrategyRun } from './engine/engine.ts';
export { emptyObservation, GridSource, type MarketSource, type Observation } from './engine/market-source.ts';
export { EngineStepper, type StepperConfig, type StepperSnapshot } from './engine/stepper.ts';
// Instruments as plain data, and the engine's option-book types.
export * from './instruments/index.ts';
export type { AssetClass, AssetSpec } from './market/asset.ts';
export { loadPriceHistory, parsePriceHistory } from './market/history-csv.ts';
export type { PriceHistory } from './market/price-history.ts';
export { type PricingVol, type PricingVolSpec, pricingVol, type SmileSpec } from './market/pricing-vol.ts';
export { constantRate, type RateModel } from './market/rate.ts';
export { listRegimes } from './market/regimes.ts';
/** @deprecated names of {@link PricingVolSpec} and {@link pricingVol}. */
export { type VolInputSpec, volInput } from './market/vol-input.ts';
export { withFloor } from './metrics/floor.ts';
export { PathMetrics } from './metrics/path-metrics.ts';
export { summarize } from './metrics/summary.ts';
export { StationaryBootstrap, stationaryBootstrap } from './paths/bootstrap.ts';
export { GbmGenerator, type GbmParams } from './paths/gbm.ts';
export { HestonGenerator } from './paths/heston.ts';
export { MertonGenerator } from './paths/merton.ts';
export { regimePreset } from './paths/presets.ts';
export { RegimeSwitchingGenerator, regimeSwitching } from './paths/regime-switching.ts';
export { HistoricalReplay, historicalReplay } from './paths/replay.ts';
export {
  type InitOptions,
  type MarketState,
  type PathGenerator,
  simulate,
  simulatePaths,
  type TimeGrid,
  timeGrid,
  uniformGrid,
} from './paths/types.ts';
export type { BookView, Financing } from './portfolio/book.ts';
export {
  ALL_GREEKS,
  FIRST_ORDER,
  type GreekMask,
  type GreeksBlock,
  greeksBlock,
} from './portfolio/contract-pricer.ts';
export { costModel } from './portfolio/costs.ts';
export { tradeListHash } from './portfolio/ledger.ts';
export type { LineId, PositionLineView } from './portfolio/position-line.ts';
export type { QuoteService } from './portfolio/quote-service.ts';
export { combinePolicies, type RebalanceSpec } from './portfolio/rebalance.ts';
export type { StepContext } from './portfolio/step-context.ts';
export type { TargetSink } from './portfolio/target-sink.ts';
export { comparisonReport } from './report/comparison-table.ts';
export { buildScenario } from './scenario/build.ts';
export { runScenario, runScenarioFile } from './scenario/run.ts';
export { barrierPut } from './strategies/barrier-put.ts';
export { buyAndHold } from './strategies/buy-and-hold.ts';
// The strategy registry: definitions, the catalog `hedgekit strategies` prints.
export { describeStrategies, type ParameterInfo, type StrategyInfo } from './strategies/catalog.ts';
export { collar } from './strategies/collar.ts';
export { constantMix } from './strategies/constant-mix.ts';
export { cppi } from './strategies/cppi.ts';
export {
  type AnyStrategyDefinition,
  defineStrategy,
  type ScenarioContext,
  type StrategyDefinition,
} from './strategies/definition.ts';
export { deltaHedge } from './strategies/delta-hedge.ts';
export { gammaScalp, straddleLegs, strangleLegs } from './strategies/gamma-scalp.ts';
export { applyOverlays, type OverlayConfig, OverlaySchema } from './strategies/overlays/overlay.ts';
export type { VolEstimatorSpec } from './strategies/overlays/vol-forecast.ts';
export { type VolTargetParams, type VolTargetState, volTarget } from './strategies/overlays/vol-target.ts';
export { protectivePut } from './strategies/protective-put.ts';
export { putSpread } from './strategies/put-spread.ts';
export { STRATEGY_KINDS, STRATEGY_REGISTRY, strategyDefinition } from './strategies/registry.ts';
export { syntheticPut } from './strategies/synthetic-put.ts';
export { tipp } from './strategies/tipp.ts';
export type {
  Strategy,
  StrategyDiagnostics,
  StrategyReport,
  StrategyWarning,
} from './strategies/types.ts';
export { ewmaCorrelation, rollingCorrelation } from './volatility/correlation.ts';
export { estimateVolatility, type VolatilityEstimate } from './volatility/estimate.ts';
export { ewmaVarianceSeries, ewmaVarianceStep } from './volatility/ewma.ts';
export { fitGarch, garchForecastVariance, garchVarianceStep } from './volatility/garch.ts';

// ---------------------------------------------------------------------------------------------
// Book risk (`hedgekit greeks`): net Greeks per asset and a full-repricing scenario ladder.
import { type LoadedBook, loadBookFile } from './config/book-file.ts';
import { HedgekitError as RiskError } from './core/errors.ts';
import { type BookGreeks, bookGreeks } from './risk/book-greeks.ts';
import { type Ladder, scenarioLadder } from './risk/scenario-ladder.ts';

export { BookFileError, loadBookFile, parseBookFile } from './config/book-file.ts';
export {
  type Book,
  type BookAsset,
  type BookGreeks,
  bookGreeks,
  DEFAULT_VEGA_EDGES,
  type Position,
  PositionError,
} from './risk/book-greeks.ts';
export {
  type AssetQuote,
  type ContractGreeks,
  contractGreeks,
  contractValue,
} from './risk/contract-value.ts';
export {
  bookValue,
  DEFAULT_SPOT_SHOCKS,
  DEFAULT_VOL_SHOCKS,
  type Ladder,
  scenarioLadder,
} from './risk/scenario-ladder.ts';

/** Everything `hedgekit greeks` reports for one book file. */
export interface BookRiskReport {
  readonly file: string;
  readonly valuationDate: string | undefined;
  readonly greeks: BookGreeks;
  readonly ladder: Ladder;
}

/** Throws (naming the field) if any number in `x` is NaN or ±Infinity — never reported as a result. */
function requireFiniteTree(x: unknown, path: string): void {
  if (typeof x === 'number') {
    if (!Number.isFinite(x) && !(path.endsWith('.expiry') && x === Number.POSITIVE_INFINITY))
      throw new RiskError('not-finite', `${path} is ${x}: not reported`);
  } else if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) requireFiniteTree(x[i], `${path}[${i}]`);
  } else if (x && typeof x === 'object')
    for (const [k, v] of Object.entries(x)) requireFiniteTree(v, path ? `${path}.${k}` : k);
}

/** Net Greeks and scenario ladder of a loaded book. */
export function bookRisk(lb: LoadedBook): BookRiskReport {
  const greeks = bookGreeks(lb.book, {
    vegaEdges: lb.vegaEdges,
    ...(lb.betaIndex !== undefined ? { betaIndex: lb.betaIndex } : {}),
  });
  const ladder = scenarioLadder(lb.book, lb.ladder);
  const report = { file: lb.file, valuationDate: lb.valuationDate, greeks, ladder };
  requireFiniteTree({ greeks, ladder }, '');
  return report;
}

/**
 * Reads a book file (YAML/JSON) and computes its net Greeks and scenario ladder.
 * @throws BookFileError (`file:line: path: rule`) for an invalid file; PositionError naming an
 *   unpriceable position
 */
export function bookRiskFromFile(file: string): BookRiskReport {
  return bookRisk(loadBookFile(file));
}

// ---------------------------------------------------------------------------------------------
// Least-cost hedge of a book (`hedgekit hedge`): bands per risk bucket, HiGHS LP/MIP, frontier.
import { BookFileError as HedgeFileError } from './config/book-file.ts';
import { type BookHedgePlan, solveBookHedge } from './risk/book-hedge.ts';

export type {
  BookHedgeOptions,
  BookHedgePlan,
  HedgeBindingRow,
  HedgeBucketRow,
  HedgeFrontierRow,
  HedgeTradeRow,
} from './risk/book-hedge.ts';
export { solveBookHedge } from './risk/book-hedge.ts';
export type {
  AssetHedgeSpec,
  BookHedgeSpec,
  HedgeBand,
  HedgeBucketInfo,
  HedgeInstrumentInfo,
} from './risk/book-hedge-problem.ts';
export { bookHedgeProblem, HEDGE_UNITS } from './risk/book-hedge-problem.ts';

/** Everything `hedgekit hedge` reports for one book file (plain data: no NaN, no ±Infinity). */
export interface BookHedgeReport extends BookHedgePlan {
  readonly file: string;
  readonly valuationDate: string | undefined;
}

/**
 * The least-cost hedge of a loaded book into the bands of its `hedge:` section: status (`optimal` or
 * `best-effort`), trades, cost, exposures per bucket before/after with residuals, binding
 * constraints, and n frontier points when `frontier` is given. Bands that cannot be met give a
 * best-effort plan, never an error.
 * @param opts.frontier number of cost-vs-residual frontier points, integer ≥ 1
 * @throws BookFileError when the file has no `hedge:` section; PositionError naming an unpriceable
 *   position; HedgekitError naming an unpriceable hedge option
 * @example (await bookHedge(loadBookFile('examples/book.yaml'))).status // returns 'optimal'
 */
export async function bookHedge(
  loaded: LoadedBook,
  opts: { frontier?: number } = {},
): Promise<BookHedgeReport> {
  if (loaded.hedge === undefined)
    throw new HedgeFileError(loaded.file, [
      {
        path: ['hedge'],
        message: 'is required by `hedgekit hedge`: bands (targets) and hedge instruments (see docs/hedge.md)',
        line: undefined,
      },
    ]);
  const plan = await solveBookHedge(loaded.book, loaded.hedge, {
    vegaEdges: loaded.vegaEdges,
    ...(opts.frontier !== undefined ? { frontier: opts.frontier } : {}),
  });
  const report: BookHedgeReport = { file: loaded.file, valuationDate: loaded.valuationDate, ...plan };
  requireFiniteTree(plan, '');
  return report;
}

/**
 * Reads a book file and solves its least-cost hedge ({@link bookHedge}).
 * @throws BookFileError (`file:line: path: rule`) for an invalid file or a missing `hedge:` section
 */
export async function bookHedgeFromFile(
  file: string,
  opts: { frontier?: number } = {},
): Promise<BookHedgeReport> {
  return bookHedge(loadBookFile(file), opts);
}

// Hardening: input bounds, strict decimal text, finite-result guard (issue 11).
export * from './core/bounds.ts';
export { parseDecimal } from './core/decimal.ts';
export { joinIssues, printable, quoteInput } from './core/safe-text.ts';
// Live monitoring (issue 9): feeds, the live monitor around the engine stepper, its SQLite ledger.
export {
  type LiveConfig,
  LiveConfigError,
  type LoadedLiveConfig,
  liveApiSettings,
  loadLiveConfig,
} from './live/config.ts';
// --- The escalation protocol (src/live/escalation/, docs/escalation.md) ---
export { type Admission, isRiskReducing, levelPolicy } from './live/escalation/admissible.ts';
export {
  type EscalationConfig,
  type EscalationConfigInput,
  EscalationConfigSchema,
  parseEscalationConfig,
} from './live/escalation/config.ts';
export {
  createEscalation,
  type EscalationProtocol,
  type EscalationSnapshot,
} from './live/escalation/protocol.ts';
export {
  type Actor,
  DRIVERS,
  type Driver,
  type Escalation,
  type EscalationInputs,
  LEVELS,
  type Level,
  type LevelPolicy,
  levelRank,
  type ManualAction,
  type RiskMeasures,
  type Transition,
} from './live/escalation/types.ts';
export type { FeedEvent } from './live/feed/event.ts';
export { type FeedServer, startFeedServer } from './live/feed/feed-server.ts';
export type { LedgerEventType, LedgerStore } from './live/ledger-store.ts';
export type { LiveState } from './live/live-state.ts';
export type { LiveMonitor } from './live/monitor.ts';
export { type LiveSession, type LiveSummary, openLive } from './live/run-live.ts';
export { NonFiniteResultError, requireFiniteFields } from './pricing/finite-result.ts';
// HTML report (src/report/html): ECharts SSR to inline SVG; detail collected while a scenario runs.
export { detailFromSeries, detailToSeries } from './report/detail/detail-series.ts';
export { ReportCollector } from './report/detail/report-collector.ts';
export type { ReportDetail } from './report/detail/report-detail.ts';
export { type WrittenReport, writeHtmlReport } from './report/html/report-file.ts';
export {
  buildHtmlReport,
  type HtmlReport,
  type Provenance,
  type ReportInput,
} from './report/html/report-html.ts';
export {
  type DetailedRun,
  reportInputFromRun,
  reportInputFromStored,
  runWithDetail,
} from './report/html/report-source.ts';
export { type LiveServer, startLiveServer } from './server/live-server.ts';
// Run store (src/store): every `hedgekit run` saved in one SQLite file; list, show, diff, remove.
export { codeHash, hedgekitVersion } from './store/provenance.ts';
export { recordRun } from './store/record-run.ts';
export { diffRuns, type MetricChange, type RunDiff } from './store/run-diff.ts';
export {
  type NewRun,
  RunStore,
  type RunSummary,
  type SeriesEntry,
  type StoredRun,
  seriesKey,
} from './store/run-store.ts';
export { StoreError } from './store/store-error.ts';
export { DEFAULT_STORE_FILE, resolveStorePath } from './store/store-path.ts';

/**
 * Prices every row of an option file as it is read (CSV or JSON Lines, any length; memory does not
 * grow with the rows): yields the rows' results in file order, in batches (one per chunk read).
 * @throws ValidationError for file-level problems (unreadable, unknown column, no data rows)
 */
export async function* priceFileRows(path: string): AsyncGenerator<RowResult<OptionValuation>[]> {
  const price = (rec: unknown, where: string) => priceFromRecord(rec, where).valuation;
  for await (const batch of streamOptionFile(path, PRICE_COLUMNS))
    yield batch.map((r) => rowResult(r, price));
}

/** Solves the implied vol of every row of an option file as it is read ({@link priceFileRows}). */
export async function* impliedVolFileRows(path: string): AsyncGenerator<RowResult<number>[]> {
  const solve = (rec: unknown, where: string) => impliedVolFromRecord(rec, where).vol;
  for await (const batch of streamOptionFile(path, IV_COLUMNS)) yield batch.map((r) => rowResult(r, solve));
}
export { type CpuSnapshot, cpuSnapshot, othersBusyCores } from './engine/cpu-load.ts';
export type { JobStats } from './engine/parallel.ts';
// Worker-thread engine runs (bit-identical to one thread), for library users and the compiled package.
export {
  type EngineBuilder,
  EnginePool,
  type EngineSpec,
  type PathRange,
  runEngineParallel,
} from './engine/parallel.ts';
// --- the live book's last hedge plan and Greeks heat map (issue 10 §3) ---
export { type GreeksHeatmap, greeksHeatmap, SPOT_COLUMN } from './live/greeks-heatmap.ts';
export type {
  HedgePlanState,
  PlanAssetGreeks,
  PlanCashGreeks,
  PlanLeg,
  PlanLegStatus,
} from './live/plan-recorder.ts';
export type { HedgeGreek, HedgeSolveReport, PlanObserver } from './portfolio/plan-observer.ts';
export { type HeatmapAxesOptions, heatmapLayout } from './report/html/charts-sweep.ts';
export { writeSweepHtmlReport } from './report/html/report-file.ts';
// ---- threads for stored / reported runs and efficiency accounting (issues 12 and 13, "both cores") ----
export { runWithDetailThreaded } from './report/html/run-detail-threaded.ts';
// ---- sweeps in the run store and the sweep HTML report (issue 12 × issue 10) ----
export {
  buildSweepReport,
  type SweepProvenance,
  type SweepReportInput,
} from './report/html/sweep-report-html.ts';
export { sweepReportInputFromRun, sweepReportInputFromStored } from './report/html/sweep-report-source.ts';
export { sweepReport } from './report/sweep-table.ts';
// ---- scale-out: threads in `run`, parameter sweeps (issue 12) ----
export {
  AUTO_THREADS_MIN_WORK,
  chooseThreads,
  runScenarioFileThreaded,
  runScenarioThreaded,
  type ThreadedRunOptions,
} from './scenario/run-threaded.ts';
export type { StoredKind } from './store/run-store.ts';
export {
  diffStored,
  diffSweeps,
  pointLabel,
  type StoredDiff,
  type SweepDiff,
  type SweepMetricChange,
} from './store/sweep-diff.ts';
export {
  getSweep,
  type NewSweep,
  type StoredSweep,
  type SweepMode,
  saveSweep,
  sweepMetrics,
} from './store/sweep-store.ts';
export type { SweepExecutor } from './sweep/executor.ts';
export { frontierFlags, type SweepResult, type SweepRow, type SweepStats } from './sweep/merge.ts';
export { parseRedisUrl, probeRedis, SWEEP_QUEUE } from './sweep/queue/connection.ts';
export { QueueExecutor, type QueueStats } from './sweep/queue/queue-executor.ts';
export { type SweepWorker, type SweepWorkerOptions, startSweepWorker } from './sweep/queue/queue-worker.ts';
export { planInitialValues, recordSweep } from './sweep/record-sweep.ts';
export { runSweep, runSweepOnQueue, type SweepOptions, type SweepOutcome } from './sweep/run-sweep.ts';
export { planShards, type ShardSpec, sweepHash } from './sweep/shards.ts';
export {
  loadSweep,
  parseSweep,
  SweepFileError,
  SweepFileSchema,
  type SweepPlan,
} from './sweep/sweep-file.ts';
export { isSweepFile } from './sweep/sweep-file-kind.ts';
export { SWEEP_PROTOCOL, sweepVersion } from './sweep/version.ts';
// --- WebAssembly SIMD kernels (src/wasm/, docs/performance.md): on by default, bit-identical to JS ---
export { useWasmKernels, wasmKernelsActive } from './wasm/bs-kernel.ts';
