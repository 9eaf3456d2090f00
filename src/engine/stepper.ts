/**
 * One step of the back-test loop, for any market source: the engine drives it from a path
 * generator (Monte-Carlo or a historical replay), a live monitor will drive it one price update at
 * a time with nPaths = 1 — the same books, strategies, execution and metrics, no second
 * implementation.
 *
 * Per step, for every strategy run (the benchmark first, so paired metrics see its current value):
 * vol input update → accrue cash and carry over the step → settle and mark options / forwards →
 * strategy.decide → rebalancing mask → execute with costs → metrics → kept value paths.
 */
import type { AssetSpec } from '../market/asset.ts';
import type { MutableMarketView } from '../market/market-view.ts';
import { type VolInput, volInput } from '../market/vol-input.ts';
import type { FloorSpec, PathMetricsAccumulator } from '../metrics/types.ts';
import { Book } from '../portfolio/book.ts';
import type { CostModel } from '../portfolio/costs.ts';
import { executeTargets } from '../portfolio/execute.ts';
import { Ledger } from '../portfolio/ledger.ts';
import { type RebalanceSpec, rebalanceMask } from '../portfolio/rebalance.ts';
import { Targets } from '../portfolio/targets.ts';
import type { Strategy } from '../strategies/types.ts';

/** One strategy with its execution settings. */
export interface StrategyRun {
  readonly strategy: Strategy;
  readonly costs: CostModel;
  /** Run-level rebalancing policy; the strategy's own `rebalance` takes precedence. */
  readonly rebalance: RebalanceSpec;
  /** The vol the book prices options with. */
  readonly vols: import('../market/vol-input.ts').VolInputSpec;
}

export interface StepperConfig {
  readonly assets: readonly AssetSpec[];
  /** Paths handled by this stepper (1 for a live book). */
  readonly nPaths: number;
  /** Global index of local path 0 (ledgers record global indices). */
  readonly firstPath: number;
  readonly initialValue: number;
  readonly runs: readonly StrategyRun[];
  /** Index of the benchmark run. */
  readonly benchmark: number;
  readonly floor: FloorSpec;
  readonly stepsPerYear: number;
  /** Planned number of steps and horizon (years), as strategies see them in the view. */
  readonly nSteps: number;
  readonly horizon: number;
  readonly borrowSpread?: number;
  readonly ledgerPaths?: readonly number[];
  /** Metrics accumulator per run (undefined = none). */
  readonly metrics?: readonly (PathMetricsAccumulator | undefined)[];
  /** Per run: local path → array receiving the value at each step (kept value paths). */
  readonly keep?: readonly (readonly (readonly [number, Float64Array])[])[];
}

/** The prices of one observation: per asset, arrays of length nPaths. */
export interface MarketObservation {
  readonly spot: Float64Array[];
  readonly vol: Float64Array[];
  readonly logReturn: Float64Array[];
}

export class EngineStepper {
  readonly view: MutableMarketView;
  readonly books: Book[];
  readonly ledgers: Ledger[];
  private readonly cfg: StepperConfig;
  private readonly targets: Targets[];
  private readonly masks: Uint8Array[];
  private readonly vols: VolInput[];
  private readonly states: unknown[];
  private readonly prevSpot: Float64Array[];
  private readonly floor: Float64Array;
  private readonly order: number[];
  private intRate = 0;
  private last = -1;

  constructor(cfg: StepperConfig) {
    this.cfg = cfg;
    const n = cfg.nPaths;
    const nA = cfg.assets.length;
    this.view = {
      nPaths: n,
      assets: cfg.assets,
      step: 0,
      nSteps: cfg.nSteps,
      t: 0,
      dt: 0,
      horizon: cfg.horizon,
      stepsPerYear: cfg.stepsPerYear,
      rate: 0,
      spot: [],
      vol: [],
      logReturn: [],
      date: undefined,
    };
    this.books = cfg.runs.map(
      () => new Book(n, cfg.assets, cfg.initialValue, { borrowSpread: cfg.borrowSpread ?? 0 }),
    );
    this.targets = cfg.runs.map(() => new Targets(n, nA));
    this.masks = cfg.runs.map(() => new Uint8Array(n));
    this.ledgers = cfg.runs.map(() => new Ledger(n, cfg.firstPath, cfg.ledgerPaths ?? []));
    this.vols = cfg.runs.map((run) => volInput(run.vols));
    for (const v of this.vols) v.reset(n, nA);
    this.states = new Array(cfg.runs.length);
    this.prevSpot = Array.from({ length: nA }, () => new Float64Array(n));
    this.floor = new Float64Array(n);
    this.order = [cfg.benchmark, ...cfg.runs.map((_, r) => r).filter((r) => r !== cfg.benchmark)];
  }

  /**
   * Processes observation `i` at time t (years since inception; i = 0 is inception).
   * @param rateOverStep the short rate that held over the step just ended (ignored at i = 0)
   * @param rateNext the short rate for the coming step
   */
  step(
    i: number,
    t: number,
    market: MarketObservation,
    rateOverStep: number,
    rateNext: number,
    date?: string,
  ): void {
    const view = this.view;
    const cfg = this.cfg;
    const tPrev = i === 0 ? t : view.t;
    view.step = i;
    view.dt = t - tPrev;
    view.t = t;
    view.spot = market.spot;
    view.vol = market.vol;
    view.logReturn = market.logReturn;
    view.date = date;
    view.rate = rateNext;
    // ∫₀^{tᵢ} r ds accumulated step by step (left-point rule), O(1) per step.
    if (i > 0) this.intRate += rateOverStep * (t - tPrev);
    this.floor.fill(cfg.floor.level * cfg.initialValue * (cfg.floor.accrues ? Math.exp(this.intRate) : 1));
    const benchValue = this.books[cfg.benchmark]!.value;
    for (const r of this.order) {
      const run = cfg.runs[r]!;
      const book = this.books[r]!;
      const vin = this.vols[r]!;
      vin.update(view);
      if (i === 0) {
        this.states[r] = run.strategy.init(view, book, vin);
        this.targets[r]!.matchSlots(book);
      } else {
        book.accrue(view.dt, rateOverStep, this.prevSpot);
        book.mark(view, vin, this.ledgers[r]);
      }
      const tg = this.targets[r]!;
      tg.reset();
      run.strategy.decide(view, book, this.states[r], tg);
      rebalanceMask(run.strategy.rebalance ?? run.rebalance, view, book, tg, this.masks[r]!);
      executeTargets(book, view, vin, tg, this.masks[r]!, run.costs, this.ledgers[r]);
      const m = cfg.metrics?.[r];
      if (m) {
        if (i === 0) m.begin(view, book, this.floor);
        else m.observe(view, book, this.floor, benchValue);
      }
      const kept = cfg.keep?.[r];
      if (kept) for (const [p, arr] of kept) arr[i] = book.value[p]!;
    }
    for (let a = 0; a < this.prevSpot.length; a++) this.prevSpot[a]!.set(market.spot[a]!);
    this.last = i;
  }

  /** Index of the last processed observation (−1 before the first). */
  get lastStep(): number {
    return this.last;
  }
}
