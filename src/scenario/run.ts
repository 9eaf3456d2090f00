/**
 * Runs a built scenario: every market × every strategy on the engine (all strategies of a market
 * share the same paths), then summarizes each run's per-path metrics across paths. Historical
 * replays also return each strategy's value path with its dates; chosen paths keep their ledgers.
 *
 * Deterministic: the same scenario and seed give identical results (the engine's block-streamed
 * random numbers make the output independent of chunking).
 */
import { readFileSync } from 'node:fs';
import type { Scenario } from '../config/scenario.ts';
import { loadScenario } from '../config/scenario-load.ts';
import { parseYamlSource } from '../config/yaml-source.ts';
import { ValidationError } from '../core/errors.ts';
import type { RunAttribution } from '../engine/attribution-tracker.ts';
import { type EngineConfig, type EngineResult, runEngine, type StrategyRun } from '../engine/engine.ts';
import { CsvValidationError } from '../market/history-csv.ts';
import { withFloor } from '../metrics/floor.ts';
import { PathMetrics, type PathResults } from '../metrics/path-metrics.ts';
import { type MetricsSummary, summarize } from '../metrics/summary.ts';
import type { RunMetrics } from '../metrics/types.ts';
import { FIRST_ORDER } from '../portfolio/contract-pricer.ts';
import { type TradeRecord, tradeListHash } from '../portfolio/ledger.ts';
import type { StrategyDiagnostics, StrategyReport } from '../strategies/types.ts';
import { checkRunBudget } from './budget.ts';
import { type BuiltMarket, type BuiltScenario, buildScenario, protectionHorizon } from './build.ts';
import type { RunCollector } from './run-collector.ts';

/** The comparison table's metrics for one strategy in one market (fractions, currency as noted). */
export interface KeyMetrics {
  /** Mean across paths of the annualized return (V_T/V₀)^{1/T} − 1. */
  readonly annualizedReturn: number;
  /** Mean across paths of the annualized volatility of step returns. */
  readonly volatility: number;
  /** Mean across paths of the maximum drawdown (fraction of the peak). */
  readonly maxDrawdown: number;
  /** P(V_T < F_T). */
  readonly probEndBelowFloor: number;
  /** P(V_t < F_t for some t). */
  readonly probTouchFloor: number;
  /** 20th percentile of V_T, currency. */
  readonly terminalP20: number;
  /** CVaR 95 % of the horizon return (positive = loss). */
  readonly cvar95: number;
  /** Mean transaction costs + net option premiums paid, as a fraction of V₀. */
  readonly costOfProtection: number;
  /** E[R^B − R | R^B > 0]: horizon return given up when the benchmark rose. */
  readonly upsideGivenUp: number;
  /** Mean annualized return in excess of the benchmark. */
  readonly excessReturn: number;
}

export interface StrategyResult {
  readonly name: string;
  readonly kind: string;
  readonly key: KeyMetrics;
  /** Every cross-path metric (src/metrics/summary.ts). */
  readonly summary: MetricsSummary;
  /** Value at every grid point of path 0 (historical replays only). Shape: [nSteps + 1]. */
  readonly valuePath: number[] | undefined;
  /** Trades of the scenario's `ledgerPaths`, in (path, step) order. */
  readonly ledger: readonly TradeRecord[];
  /** SHA-256 of `ledger` (tradeListHash), for golden tests. */
  readonly tradeListHash: string;
  /** P&L attribution over the horizon (present value), when the scenario or `--attribution` asks. */
  readonly attribution?: RunAttribution;
  /** The strategy's own report (e.g. a vol-target overlay's weights and typed warnings), when it has one. */
  readonly report?: StrategyReport;
}

export interface MarketResult {
  readonly label: string;
  readonly kind: BuiltMarket['kind'];
  readonly preset: string | undefined;
  readonly paths: number;
  readonly steps: number;
  /** Horizon of this market's grid, years (a replay's window may differ from the scenario's). */
  readonly horizon: number;
  readonly replay: boolean;
  /**
   * Years the strategies' protection runs (their default tenor): the scenario horizon, or a replay's
   * window length under `replayHorizon: window` — stated so that no gap in protection is silent.
   */
  readonly protectionHorizon: number;
  /** Grid dates (replays). Shape: [steps + 1]. */
  readonly dates: readonly string[] | undefined;
  /** History column per asset (null = flat), for history-driven markets. */
  readonly columns: readonly (string | null)[] | undefined;
  /** The floor at the end of this market's horizon, F_T = level·V₀ (·e^{rT} when it accrues), currency. */
  readonly floorAtEnd: number;
  readonly strategies: readonly StrategyResult[];
}

export interface ScenarioResult {
  readonly name: string;
  readonly description: string | undefined;
  readonly seed: number;
  readonly initialValue: number;
  readonly floor: { readonly level: number; readonly accrues: boolean };
  readonly benchmark: string;
  readonly assets: readonly { name: string; class: string; weight: number }[];
  readonly markets: readonly MarketResult[];
}

export interface RunOptions {
  /** Called after each chunk of paths with the work done so far (path-steps × strategies) and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Paths per engine chunk (multiple of 256; default 512: small enough for a smooth progress bar). */
  readonly chunkPaths?: number;
  /** Overrides the scenario's `attribution`. */
  readonly attribution?: 'off' | 'book' | 'lines' | undefined;
  /** Observes every market's runs (the HTML report's detail); results are unchanged by it. In-thread only. */
  readonly collect?: RunCollector | undefined;
}

/** The scenario with CLI overrides: `paths` replaces every market's Monte-Carlo path count. */
export function withOverrides(
  s: Scenario,
  o: { paths?: number | undefined; seed?: number | undefined },
): Scenario {
  return {
    ...s,
    ...(o.paths !== undefined
      ? { paths: o.paths, markets: s.markets.map((m) => ({ ...m, paths: undefined })) }
      : {}),
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
  };
}

/** The comparison table's metrics of a summary (V₀ the initial value, currency). */
export function keyMetrics(s: MetricsSummary, v0: number): KeyMetrics {
  return {
    annualizedReturn: s.metrics.annualizedReturn.mean,
    volatility: s.metrics.annualizedVolatility.mean,
    maxDrawdown: s.metrics.maxDrawdown.mean,
    probEndBelowFloor: s.floor.probEndBelow,
    probTouchFloor: s.floor.probTouched,
    terminalP20: s.terminalValue.percentiles.p20 ?? Number.NaN,
    cvar95: s.tail.cvar95 ?? Number.NaN,
    costOfProtection: s.costOfProtection.total / v0,
    upsideGivenUp: s.costOfProtection.returnGivenUpInRisingMarkets,
    excessReturn: s.metrics.excessReturn.mean,
  };
}

/** One run's per-path outcome, as the single-thread engine or a merged parallel run returns it. */
export interface MarketRunOutcome {
  readonly name: string;
  readonly kind: string;
  /** PathMetrics results (per-path arrays, global path order). */
  readonly metrics: Record<string, Float64Array>;
  readonly values: ReadonlyMap<number, Float64Array>;
  readonly ledger: readonly TradeRecord[];
  readonly attribution?: RunAttribution | undefined;
  readonly diagnostics?: StrategyDiagnostics | undefined;
}

/**
 * The engine configuration of one market of a built scenario over the global paths
 * [range.firstPath, range.firstPath + range.nPaths) (default: all of the market's paths) — the one
 * definition shared by {@link runScenario}, the worker threads of `hedgekit run` and sweep shards.
 * Returns the config and the strategy runs it holds (their `report` turns diagnostics into reports).
 */
export function marketEngineConfig(
  built: BuiltScenario,
  m: BuiltMarket,
  opts: Pick<RunOptions, 'chunkPaths' | 'attribution'> & {
    collect?: { collector: RunCollector; market: number };
  } = {},
  range: { firstPath: number; nPaths: number } = { firstPath: 0, nPaths: m.nPaths },
): { config: EngineConfig; runs: StrategyRun[]; metrics: PathMetrics[] } {
  const s = built.scenario;
  const protection = protectionHorizon(s, m);
  const runs = built.makeRuns(protection === s.horizon ? undefined : protection);
  const metrics = PathMetrics.forRuns(runs.length, range.nPaths);
  const attribution = opts.attribution ?? s.attribution;
  const config: EngineConfig = {
    generator: m.generator,
    grid: m.grid,
    nPaths: range.nPaths,
    firstPath: range.firstPath,
    seed: s.seed,
    initialValue: s.portfolio.initialValue,
    runs,
    benchmark: built.benchmark,
    stepsPerYear: m.stepsPerYear,
    borrowSpread: s.borrowSpread,
    chunkPaths: opts.chunkPaths ?? 512,
    ...(attribution !== 'off' ? { attribution } : {}),
    // The report's detail reads every line's Γ and ν (its Greeks over time): marked with the line,
    // which costs the WebAssembly kernel almost nothing, rather than re-priced on demand.
    ...(opts.collect ? { markGreeks: FIRST_ORDER } : {}),
    ledgerPaths: s.ledgerPaths,
    keepValuePaths: m.replay ? [0] : [],
    dates: m.dates,
    ...(built.events && built.events.length > 0 ? { events: built.events } : {}),
    metrics: (r) => {
      const base = withFloor(metrics[r], built.floor, s.portfolio.initialValue);
      const c = opts.collect;
      return c ? c.collector.metrics(c.market, r, base, m) : base;
    },
  };
  return { config, runs, metrics };
}

/** A market's result from its runs' per-path outcomes (summaries, key metrics, reports). */
export function marketResult(
  built: BuiltScenario,
  m: BuiltMarket,
  runs: readonly StrategyRun[],
  outcomes: readonly MarketRunOutcome[],
): MarketResult {
  const s = built.scenario;
  const strategies = outcomes.map((r, i): StrategyResult => {
    const summary = summarize(r.metrics as PathResults);
    const vp = r.values.get(0);
    const report = r.diagnostics && runs[i].strategy.report?.(r.diagnostics);
    return {
      name: r.name,
      kind: r.kind,
      key: keyMetrics(summary, s.portfolio.initialValue),
      summary,
      valuePath: vp ? [...vp] : undefined,
      ledger: r.ledger,
      tradeListHash: tradeListHash(r.ledger),
      ...(r.attribution ? { attribution: r.attribution } : {}),
      ...(report ? { report } : {}),
    };
  });
  const horizon = m.grid.times[m.grid.nSteps] - m.grid.times[0];
  return {
    label: m.label,
    kind: m.kind,
    preset: m.preset,
    paths: m.nPaths,
    steps: m.grid.nSteps,
    horizon,
    replay: m.replay,
    protectionHorizon: protectionHorizon(s, m),
    dates: m.dates,
    columns: m.columns,
    floorAtEnd: s.floor.level * s.portfolio.initialValue * (s.floor.accrues ? Math.exp(s.rate * horizon) : 1),
    strategies,
  };
}

/** The scenario-level fields of a result around its markets. */
export function scenarioResult(built: BuiltScenario, markets: MarketResult[]): ScenarioResult {
  const s = built.scenario;
  return {
    name: s.name,
    description: s.description,
    seed: s.seed,
    initialValue: s.portfolio.initialValue,
    floor: { level: s.floor.level, accrues: s.floor.accrues },
    benchmark: built.strategyNames[built.benchmark],
    assets: s.portfolio.assets.map((a) => ({ name: a.name, class: a.class, weight: a.weight })),
    markets,
  };
}

/** Work units of a market (path-steps × strategies), the progress scale of `hedgekit run`. */
export function marketWork(built: BuiltScenario, m: BuiltMarket): number {
  return m.nPaths * m.grid.nSteps * built.strategyNames.length;
}

/** The outcome of an in-thread engine run (metrics accumulators read out). */
export function outcomesOf(res: EngineResult): MarketRunOutcome[] {
  return res.runs.map((r) => ({
    name: r.name,
    kind: r.kind,
    metrics: (r.metrics as RunMetrics & { results(): Record<string, Float64Array> }).results(),
    values: r.values,
    ledger: r.ledger,
    attribution: r.attribution,
    diagnostics: r.diagnostics,
  }));
}

/**
 * Runs every market of a built scenario with every strategy, on the calling thread
 * (`runScenarioThreaded` in run-threaded.ts spreads the same work over worker threads, bit-identically).
 * @throws DomainError only for configurations the build could not check (never from the step loop)
 * @example runScenario(buildScenario(loadScenario('scenarios/default.yaml').scenario, 'scenarios')).markets[0].strategies[0].key.probEndBelowFloor
 */
export function runScenario(built: BuiltScenario, opts: RunOptions = {}): ScenarioResult {
  checkRunBudget(built);
  const total = built.markets.reduce((t, m) => t + marketWork(built, m), 0);
  let before = 0;
  const collector = opts.collect;
  const markets: MarketResult[] = built.markets.map((m, mi) => {
    const { config, runs, metrics } = marketEngineConfig(built, m, {
      ...opts,
      collect: collector ? { collector, market: mi } : undefined,
    });
    const perPath = m.grid.nSteps * built.strategyNames.length;
    const res = runEngine({
      ...config,
      onProgress: (done) => opts.onProgress?.(before + done * perPath, total),
    });
    before += marketWork(built, m);
    collector?.marketDone(
      mi,
      metrics.map((x) => x.results()),
    );
    return marketResult(built, m, runs, outcomesOf(res));
  });
  return scenarioResult(built, markets);
}

/**
 * Loads, validates, builds and runs a scenario file (what `hedgekit run` does).
 * @param opts.paths overrides every market's Monte-Carlo paths; opts.seed the seed
 * @throws ScenarioError (file:line) for an invalid file; ValidationError naming the market or
 *   strategy for problems found while building; CsvValidationError for a bad history CSV
 * @example runScenarioFile('scenarios/default.yaml', { paths: 256 }).markets.length // 9
 */
export function runScenarioFile(
  file: string,
  opts: RunOptions & { paths?: number | undefined; seed?: number | undefined } = {},
): ScenarioResult {
  const loaded = loadScenario(file);
  const scenario = withOverrides(loaded.scenario, { paths: opts.paths, seed: opts.seed });
  try {
    return runScenario(buildScenario(scenario, loaded.dir), opts);
  } catch (e) {
    throw locateInFile(e, file);
  }
}

/**
 * A build or run error that names a scenario entry (`strategies[2] (synthetic-put): …`) gets the
 * file and the entry's line in front: `scenario.yaml:14: strategies[2] (synthetic-put): …`.
 */
export function locateInFile(e: unknown, file: string): unknown {
  if (!(e instanceof ValidationError) || e instanceof CsvValidationError || e.where === '') return e;
  const m = /^(strategies|markets|ledgerPaths)(?:\[(\d+)\])?/.exec(e.where);
  if (m === null) return e;
  let line: number | undefined;
  try {
    const src = parseYamlSource(readFileSync(file, 'utf8'), file, () => new Error());
    line = src.lineOf(m[2] === undefined ? [m[1]] : [m[1], Number(m[2])]);
  } catch {
    line = undefined;
  }
  return new ValidationError(line === undefined ? file : `${file}:${line}`, e.message, e.code);
}
