/**
 * A validated scenario → what the engine needs: the assets, one path generator, grid and path count
 * per market, the strategy runs (strategy, costs, rebalancing, pricing vol) and the floor.
 *
 * Grids: Monte-Carlo markets use a uniform grid of round(horizon·stepsPerYear) steps; a historical
 * replay (a `history` market without `bootstrap`, or a `hist-*` replay preset) uses its window's own
 * daily grid and runs ONE path (every path of a replay is the same); a bootstrap market uses daily
 * steps of its history (one source row per step) over the horizon.
 */

import { scenarioEvents } from '../config/events-schema.ts';
import type { MarketConfig, Scenario } from '../config/scenario.ts';
import { marketLabel, scenarioContext, strategyLabel } from '../config/scenario.ts';
import { resolveIn } from '../config/scenario-load.ts';
import { windowOutsideData } from '../core/calendar-date.ts';
import { DomainError, ValidationError } from '../core/errors.ts';
import { TIME_EPS, TRADING_DAYS_PER_YEAR } from '../core/time.ts';
import type { StrategyRun } from '../engine/engine.ts';
import type { AssetSpec } from '../market/asset.ts';
import type { EventSpec } from '../market/events.ts';
import { loadPriceHistory } from '../market/history-csv.ts';
import type { PricingVolSpec } from '../market/pricing-vol.ts';
import { constantRate, type RateModel } from '../market/rate.ts';
import type { FloorSpec } from '../metrics/types.ts';
import { StationaryBootstrap } from '../paths/bootstrap.ts';
import { EventJumpGenerator } from '../paths/event-jumps.ts';
import { GbmGenerator } from '../paths/gbm.ts';
import { HestonGenerator } from '../paths/heston.ts';
import { MertonGenerator } from '../paths/merton.ts';
import { regimePreset } from '../paths/presets.ts';
import { RegimeSwitchingGenerator } from '../paths/regime-switching.ts';
import { HistoricalReplay } from '../paths/replay.ts';
import { type PathGenerator, type TimeGrid, uniformGrid } from '../paths/types.ts';
import { type CostModel, costModel } from '../portfolio/costs.ts';
import type { RebalanceSpec } from '../portfolio/rebalance.ts';
import { buildStrategy } from './strategies.ts';

/** One market of the scenario, ready for the engine. */
export interface BuiltMarket {
  /** Label in reports (column group). */
  readonly label: string;
  readonly kind: MarketConfig['kind'];
  /** Preset name for `regime` markets. */
  readonly preset: string | undefined;
  readonly generator: PathGenerator;
  readonly grid: TimeGrid;
  readonly nPaths: number;
  /** Nominal steps per year of the grid. */
  readonly stepsPerYear: number;
  /** True for a deterministic replay of real history (one path; value paths are reported). */
  readonly replay: boolean;
  /** Calendar dates of the grid points (replays). Shape: [nSteps + 1]. */
  readonly dates: readonly string[] | undefined;
  /** History column per asset (null = flat) for history-driven markets, for the report. */
  readonly columns: readonly (string | null)[] | undefined;
}

/** Everything `runScenario` needs, built from a scenario. */
export interface BuiltScenario {
  readonly scenario: Scenario;
  readonly assets: readonly AssetSpec[];
  /** Portfolio weights. Shape: [nAssets]. */
  readonly weights: Float64Array;
  readonly floor: FloorSpec;
  readonly costs: CostModel;
  readonly rebalance: RebalanceSpec;
  readonly vols: PricingVolSpec;
  readonly markets: readonly BuiltMarket[];
  /** Strategy display names, in scenario order. */
  readonly strategyNames: readonly string[];
  /** Index of the benchmark strategy. */
  readonly benchmark: number;
  /**
   * Scheduled events (times in years), sorted as written; empty without an `events` block. The
   * Monte-Carlo markets' generators apply them (EventJumpGenerator); replays show them only.
   */
  readonly events: readonly EventSpec[];
  /** Fresh strategy runs (strategies keep no state between engine calls, but each market gets its own). */
  /**
   * Fresh strategy runs; `horizon` (years) replaces the scenario's as the strategies' default tenor
   * (a replay whose protection horizon follows its window, see {@link protectionHorizon}).
   */
  makeRuns(horizon?: number): StrategyRun[];
}

/** Engine cost model of the scenario's costs (vol points → decimal vol). */
export function buildCosts(c: Scenario['costs']): CostModel {
  return costModel({
    bps: c.bps,
    optionSpreadFraction: c.optionSpreadFraction,
    optionSpreadVol: c.optionSpreadVolPoints / 100,
    optionFeePerContract: c.feePerContract,
    contractMultiplier: c.contractMultiplier,
  });
}

function rebalanceSpec(r: Scenario['rebalance']): RebalanceSpec {
  const out: { calendar?: RebalanceSpec['calendar']; band?: number; deltaBand?: number } = {};
  if (r.calendar !== undefined) out.calendar = r.calendar;
  if (r.band !== undefined) out.band = r.band;
  if (r.deltaBand !== undefined) out.deltaBand = r.deltaBand;
  return out;
}

function stepsOver(horizon: number, perYear: number): number {
  return Math.max(1, Math.round(horizon * perYear));
}

function buildMarket(
  s: Scenario,
  m: MarketConfig,
  assets: readonly AssetSpec[],
  rate: RateModel,
  dir: string,
): BuiltMarket {
  const label = marketLabel(m);
  const nPaths = m.paths ?? s.paths;
  const mc = (generator: PathGenerator): BuiltMarket => ({
    label,
    kind: m.kind,
    preset: m.kind === 'regime' ? m.preset : undefined,
    generator,
    grid: uniformGrid(s.horizon, stepsOver(s.horizon, s.stepsPerYear)),
    nPaths,
    stepsPerYear: s.stepsPerYear,
    replay: false,
    dates: undefined,
    columns: undefined,
  });
  const fromReplay = (g: HistoricalReplay): BuiltMarket => ({
    ...mc(g),
    grid: g.grid(),
    nPaths: 1,
    stepsPerYear: g.periodsPerYear,
    replay: true,
    dates: g.dates,
    columns: g.columnNames,
  });
  const fromBootstrap = (g: StationaryBootstrap, ppy: number, names?: readonly string[]): BuiltMarket => ({
    ...mc(g),
    grid: uniformGrid(stepsOver(s.horizon, ppy) / ppy, stepsOver(s.horizon, ppy)),
    stepsPerYear: ppy,
    columns: names && g.mapping.map((j) => (j >= 0 ? (names[j] ?? null) : null)),
  });
  switch (m.kind) {
    case 'regime': {
      const gen = regimePreset(m.preset)(assets, rate, m.columns ? { columns: m.columns } : undefined);
      if (gen instanceof HistoricalReplay) return fromReplay(gen);
      if (gen instanceof StationaryBootstrap) return fromBootstrap(gen, TRADING_DAYS_PER_YEAR);
      return mc(gen);
    }
    case 'gbm':
      return mc(
        new GbmGenerator({ assets, rate, vols: m.vols, correlation: m.correlation, drifts: m.drifts }),
      );
    case 'heston':
      return mc(
        new HestonGenerator({
          assets,
          rate,
          heston: m.heston,
          correlation: m.correlation,
          drifts: m.drifts,
          martingaleCorrection: m.martingaleCorrection,
        }),
      );
    case 'merton':
      return mc(
        new MertonGenerator({
          assets,
          rate,
          vols: m.vols,
          correlation: m.correlation,
          jumps: m.jumps,
          commonJumps: m.commonJumps,
          drifts: m.drifts,
        }),
      );
    case 'regime-switching':
      return mc(
        new RegimeSwitchingGenerator({
          assets,
          rate,
          regimes: m.regimes,
          transition: m.transition,
          initialRegime: m.initialRegime,
        }),
      );
    case 'history': {
      const history = loadPriceHistory(resolveIn(dir, m.file), { dateColumn: m.dateColumn, fill: m.fill });
      const d = history.dates;
      const outside = windowOutsideData(m.from, m.to, d[0], d[d.length - 1]);
      if (outside)
        throw new DomainError(
          outside.param,
          m[outside.param],
          outside.message.replace(/^\w+ \([^)]*\) /, ''),
        );
      const opts = {
        from: m.from,
        to: m.to,
        assets,
        rate,
        columns: m.columns,
        periodsPerYear: m.periodsPerYear,
      };
      if (m.bootstrap)
        return fromBootstrap(
          new StationaryBootstrap(history, { ...opts, meanBlockLength: m.bootstrap.meanBlockLength }),
          m.periodsPerYear,
          history.columns,
        );
      return fromReplay(new HistoricalReplay(history, opts));
    }
  }
}

/**
 * Builds the engine inputs of a validated scenario.
 * @param dir directory that relative history paths resolve against (the scenario file's)
 * @throws ValidationError naming the market or strategy (`markets[8]: window (…) must hold …`) for
 *   problems only the models can see; CsvValidationError (file:line) for a bad history CSV
 * @example buildScenario(loadScenario('scenarios/default.yaml').scenario, 'scenarios').markets.length // 9
 */
export function buildScenario(s: Scenario, dir: string): BuiltScenario {
  const assets: AssetSpec[] = s.portfolio.assets.map((a) => ({
    name: a.name,
    assetClass: a.class,
    spot: a.spot,
    carry: a.carry,
  }));
  const ctx = scenarioContext(s);
  const weights = ctx.weights;
  const rate = constantRate(s.rate);
  const events = scenarioEvents(s);
  const markets = s.markets.map((m, i) => {
    try {
      const built = buildMarket(s, m, assets, rate, dir);
      // History is what it was: a replay shows the events to strategies but is not moved by them.
      if (events.length === 0 || built.replay) return built;
      return { ...built, generator: new EventJumpGenerator(built.generator, events) };
    } catch (e) {
      if (e instanceof DomainError)
        throw new ValidationError(`markets[${i}] (${marketLabel(m)})`, e.message, 'scenario-invalid');
      throw e;
    }
  });
  const costs = buildCosts(s.costs);
  const rebalance = rebalanceSpec(s.rebalance);
  const vols = s.pricingVol as PricingVolSpec;
  const strategyNames = s.strategies.map(strategyLabel);
  const benchmark =
    s.benchmark !== undefined
      ? strategyNames.indexOf(s.benchmark)
      : Math.max(
          0,
          s.strategies.findIndex((x) => x.kind === 'buy-and-hold'),
        );
  const makeRuns = (horizon?: number): StrategyRun[] =>
    s.strategies.map((st, i) => {
      try {
        return {
          strategy: buildStrategy(st, horizon === undefined ? ctx : { ...ctx, horizon }),
          costs,
          rebalance: st.rebalance ? rebalanceSpec(st.rebalance) : {},
          defaultRebalance: rebalance,
          vols,
          financing: s.financing,
        };
      } catch (e) {
        if (e instanceof DomainError)
          throw new ValidationError(`strategies[${i}] (${strategyNames[i]})`, e.message, 'scenario-invalid');
        throw e;
      }
    });
  makeRuns(); // fail early on parameters only the factories check
  markets.forEach((m, i) => {
    const h = gridHorizon(m);
    if (m.replay && s.replayHorizon === 'scenario' && h > s.horizon + TIME_EPS)
      throw new ValidationError(
        `markets[${i}] (${m.label})`,
        `the replayed window lasts ${h.toFixed(3)} y (ACT/365F), longer than the horizon (${s.horizon} y): protection would end after ${s.horizon} y and leave ${(h - s.horizon).toFixed(3)} y unprotected; use replayHorizon: window or a shorter window`,
        'scenario-invalid',
      );
  });
  return {
    scenario: s,
    assets,
    weights,
    floor: { level: s.floor.level, accrues: s.floor.accrues },
    costs,
    rebalance,
    vols,
    markets,
    strategyNames,
    benchmark,
    events,
    makeRuns,
  };
}

/** Years from the first to the last point of a market's grid. */
export function gridHorizon(m: BuiltMarket): number {
  return m.grid.times[m.grid.nSteps] - m.grid.times[0];
}

/**
 * The horizon the strategies protect in market `m`: a replay's own window under `replayHorizon:
 * window` (the default), else the scenario's.
 */
export function protectionHorizon(s: Scenario, m: BuiltMarket): number {
  return m.replay && s.replayHorizon === 'window' ? gridHorizon(m) : s.horizon;
}
