/**
 * One step of the back-test loop, for any market source: the engine drives it from a Monte-Carlo
 * generator or a historical replay, a live monitor one price update at a time with nPaths = 1 —
 * the same books, strategies, execution and metrics, no second implementation.
 *
 * Per observation, for every strategy run (the benchmark first, so paired metrics see its current
 * value): vol input update → accrue cash and carry over the step → settle and mark the position
 * lines → strategy.decide (with the run's quote service) → rebalancing mask → execute with costs →
 * metrics → kept value paths. A run whose values no one reads between its first and last step
 * marks without them until the last one (`valuesRead`).
 *
 * The stepper keeps no floor (metrics own it) and no horizon (the source says when it ends). Its
 * whole state — books, strategy states, vol inputs, ledgers, metrics — snapshots to plain data and
 * restores bit-identically (`snapshot` / `restore`); together with the source's own snapshot a run
 * stopped at step k continues exactly as if never stopped.
 */
import { DomainError, ValidationError } from '../core/errors.ts';
import { clonePlain } from '../core/plain-state.ts';
import type { AssetSpec } from '../market/asset.ts';
import type { MarketEvent } from '../market/events.ts';
import type { MutableMarketView } from '../market/market-view.ts';
import { type PricingVol, type PricingVolSpec, pricingVol } from '../market/pricing-vol.ts';
import type { RunMetrics } from '../metrics/types.ts';
import { Book, type Financing } from '../portfolio/book.ts';
import {
  ALL_GREEKS,
  FIRST_ORDER,
  type GreekMask,
  PRICE_DELTA,
  unionMask,
} from '../portfolio/contract-pricer.ts';
import type { CostModel } from '../portfolio/costs.ts';
import { executeTargets } from '../portfolio/execute.ts';
import { Ledger, type TradeRecord } from '../portfolio/ledger.ts';
import type { PlanObserver } from '../portfolio/plan-observer.ts';
import { BookQuotes } from '../portfolio/quote-service.ts';
import { combinePolicies, type RebalanceSpec, rebalanceMask } from '../portfolio/rebalance.ts';
import type { StepContext } from '../portfolio/step-context.ts';
import { TargetSink } from '../portfolio/target-sink.ts';
import type { Strategy } from '../strategies/types.ts';
import { RunAttributionTracker } from './attribution-tracker.ts';
import type { Observation } from './market-source.ts';

/** One strategy with its execution settings. */
export interface StrategyRun {
  readonly strategy: Strategy;
  readonly costs: CostModel;
  /**
   * The run's own rebalancing policy (a scenario entry's `rebalance`): its fields win over the
   * strategy's own policy, which wins over `defaultRebalance` (`combinePolicies`).
   */
  readonly rebalance: RebalanceSpec;
  /** The scenario-wide default policy (fields neither the entry nor the strategy set). */
  readonly defaultRebalance?: RebalanceSpec;
  /** The pricing vol: the vol the book marks and quotes options with. */
  readonly vols: PricingVolSpec;
  /** Financing convention of the book's cash (default 'financed'). */
  readonly financing?: Financing;
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
  /** Nominal steps per year of the source. */
  readonly stepsPerYear: number;
  readonly borrowSpread?: number;
  /**
   * Greeks every book's marks compute beyond price and Δ, on top of what its strategy declares it
   * reads (Strategy.greeks); all of them under P&L attribution.
   */
  readonly markGreeks?: GreekMask;
  /** P&L attribution per run ('book') or per run and position line ('lines'); off by default. */
  readonly attribution?: 'book' | 'lines';
  readonly ledgerPaths?: readonly number[];
  /** Metrics per run (undefined = none). */
  readonly metrics?: readonly (RunMetrics | undefined)[];
  /** Per run: local path → array receiving the value at each step (kept value paths). */
  readonly keep?: readonly (readonly (readonly [number, Float64Array])[])[];
  /** A plan observer for one run's strategy (the live book's; `StepContext.plans`); none by default. */
  readonly plans?: { readonly run: number; readonly observer: PlanObserver };
  /**
   * One of the market's spot arrays (`BookOptions.market`): the engine passes its source's, so the
   * books' executor arenas (and the previous spots) share the GBM kernel's memory and its kernels
   * read the spots in place. Only where the books do not outlive the source's simulation.
   */
  readonly market?: Float64Array;
}

/** The state of a stepper as plain data (`EngineStepper.snapshot`). */
export interface StepperSnapshot {
  readonly view: {
    step: number;
    t: number;
    dt: number;
    dtNext: number;
    final: boolean;
    end: number;
    rate: number;
    date: string | undefined;
  };
  readonly last: number;
  readonly prevSpot: Float64Array[];
  readonly books: unknown[];
  readonly states: unknown[];
  readonly vols: unknown[];
  readonly ledgers: TradeRecord[][];
  readonly metrics: unknown[];
  /** P&L attribution trackers (when configured). */
  readonly attribution: unknown[] | undefined;
}

export class EngineStepper {
  readonly view: MutableMarketView;
  readonly books: Book[];
  readonly ledgers: Ledger[];
  private readonly cfg: StepperConfig;
  private readonly sinks: TargetSink[];
  private readonly masks: Uint8Array[];
  private readonly vols: PricingVol[];
  private readonly contexts: RunContext[];
  private readonly policies: RebalanceSpec[];
  /**
   * Per run: whether a step's values are read (then every mark computes them; else only the last
   * step's does — lazy values, see `valuesRead`).
   */
  private readonly values: boolean[];
  private states: unknown[];
  /** Spots of the previous observation (the assets with a carry only: the others are never read). */
  private readonly prevSpot: Float64Array[];
  /** Per asset: whether it has a carry (q ≠ 0), i.e. whether its previous spots are read. */
  private readonly carries: boolean[];
  private readonly order: number[];
  private last = -1;
  /** Per-run P&L attribution trackers (when configured). */
  readonly attribution: RunAttributionTracker[] | undefined;

  constructor(cfg: StepperConfig) {
    this.cfg = cfg;
    const n = cfg.nPaths;
    const nA = cfg.assets.length;
    this.view = {
      nPaths: n,
      assets: cfg.assets,
      step: 0,
      t: 0,
      dt: 0,
      dtNext: 0,
      final: false,
      end: Number.POSITIVE_INFINITY,
      stepsPerYear: cfg.stepsPerYear,
      rate: 0,
      spot: [],
      vol: [],
      logReturn: [],
      logSpot: undefined,
      date: undefined,
    };
    this.books = cfg.runs.map(
      (run) =>
        new Book(n, cfg.assets, cfg.initialValue, {
          borrowSpread: cfg.borrowSpread ?? 0,
          financing: run.financing ?? 'financed',
          markGreeks: cfg.attribution
            ? ALL_GREEKS
            : unionMask(run.strategy.greeks ?? FIRST_ORDER, cfg.markGreeks ?? PRICE_DELTA),
          ...(cfg.market ? { market: cfg.market } : {}),
        }),
    );
    this.sinks = this.books.map((b) => new TargetSink(b));
    this.attribution = cfg.attribution
      ? this.books.map((b) => new RunAttributionTracker(b, cfg.attribution === 'lines'))
      : undefined;
    this.masks = this.books.map((b) => b.exec?.u8() ?? new Uint8Array(n));
    this.ledgers = cfg.runs.map(() => new Ledger(n, cfg.firstPath, cfg.ledgerPaths ?? []));
    this.vols = cfg.runs.map((run) => pricingVol(run.vols));
    for (const v of this.vols) v.reset(n, nA);
    // The context is the view plus the run's quotes: an object of its own with the view's fields,
    // copied in every step (a prototype-linked context reads the view's fields through a prototype
    // that changes every step, which makes V8 discard the strategies' optimized code each step).
    this.contexts = cfg.runs.map(
      (_, r) => new RunContext(this.view, new BookQuotes(this.books[r].pricer, this.vols[r], this.view)),
    );
    if (cfg.plans) this.contexts[cfg.plans.run].plans = cfg.plans.observer;
    this.policies = cfg.runs.map((run) =>
      combinePolicies(run.rebalance, run.strategy.rebalance, run.defaultRebalance),
    );
    this.values = cfg.runs.map((_, r) => valuesRead(cfg, r, this.policies[r]));
    this.states = new Array(cfg.runs.length);
    // In the first book's arena (room is kept for them): its accrual reads them in place.
    const ex = this.books[0]?.exec;
    this.prevSpot = Array.from({ length: nA }, () => ex?.f64() ?? new Float64Array(n));
    this.carries = cfg.assets.map((a) => (a.carry ?? 0) !== 0);
    this.order = [cfg.benchmark, ...cfg.runs.map((_, r) => r).filter((r) => r !== cfg.benchmark)];
  }

  /** Processes one observation (obs.i = 0 is inception). */
  step(obs: Observation): void {
    const view = this.view;
    const cfg = this.cfg;
    const i = obs.i;
    const t = obs.t;
    const tPrev = i === 0 ? t : view.t;
    view.step = i;
    view.dt = t - tPrev;
    view.t = t;
    view.dtNext = obs.dtNext;
    view.final = obs.final;
    view.end = obs.end;
    view.spot = obs.spot;
    view.vol = obs.vol;
    view.logReturn = obs.logReturn;
    view.logSpot = obs.logSpot;
    view.date = obs.date;
    view.rate = obs.rateNext;
    if (obs.events !== undefined || view.events !== undefined) view.events = obs.events;
    const benchValue = this.books[cfg.benchmark].value;
    for (const r of this.order) {
      const run = cfg.runs[r];
      const book = this.books[r];
      const vin = this.vols[r];
      const ctx = this.contexts[r];
      const sink = this.sinks[r];
      ctx.sync(view);
      vin.update(view);
      if (i === 0) {
        this.states[r] = initStrategy(run.strategy, r, ctx, book);
      } else if (this.attribution) {
        const tr = this.attribution[r];
        tr.beforeInterest(book);
        book.accrue(view.dt, obs.rateOverStep);
        tr.afterInterest(book);
        book.accrueCarry(view.dt, this.prevSpot);
        tr.afterCarry(book);
        book.mark(view, vin, this.ledgers[r]);
      } else {
        const values = this.values[r] || obs.final;
        book.accrueAndMark(view.dt, obs.rateOverStep, this.prevSpot, view, vin, this.ledgers[r], values);
      }
      sink.reset(view);
      run.strategy.decide(ctx, book, this.states[r], sink);
      rebalanceMask(this.policies[r], view, book, sink, this.masks[r]);
      executeTargets(book, view, vin, sink, this.masks[r], run.costs, this.ledgers[r]);
      if (this.attribution) {
        if (i === 0) this.attribution[r].open(view, book, true);
        else this.attribution[r].close(view, book, view.dt, obs.rateOverStep);
      }
      const m = cfg.metrics?.[r];
      if (m) {
        if (i === 0) m.begin(view, book);
        else m.observe(view, book, benchValue);
      }
      const kept = cfg.keep?.[r];
      if (kept) for (const [p, arr] of kept) arr[i] = book.value[p];
    }
    // Only the carry reads them (accrueCarry, accrueMark3): the assets without one keep no copy.
    for (let a = 0; a < this.prevSpot.length; a++) if (this.carries[a]) this.prevSpot[a].set(obs.spot[a]);
    this.last = i;
  }

  /** Strategy state of run r (what `decide` sees), for diagnostics at the end of a chunk. */
  stateOf(r: number): unknown {
    return this.states[r];
  }

  /** Index of the last processed observation (−1 before the first). */
  get lastStep(): number {
    return this.last;
  }

  /** The stepper's whole state as plain, structured-cloneable data. */
  snapshot(): StepperSnapshot {
    const v = this.view;
    return {
      view: {
        step: v.step,
        t: v.t,
        dt: v.dt,
        dtNext: v.dtNext,
        final: v.final,
        end: v.end,
        rate: v.rate,
        date: v.date,
      },
      last: this.last,
      prevSpot: this.prevSpot.map((a) => a.slice()),
      books: this.books.map((b) => b.snapshot()),
      states: this.states.map((s) => clonePlain(s)),
      vols: this.vols.map((x) => x.snapshot()),
      ledgers: this.ledgers.map((l) => l.records.map((rec) => ({ ...rec }))),
      metrics: (this.cfg.metrics ?? []).map((m) => m?.snapshot?.()),
      attribution: this.attribution?.map((t) => t.snapshot()),
    };
  }

  /** Restores a snapshot taken from a stepper built with the same configuration. */
  restore(s: StepperSnapshot): void {
    Object.assign(this.view, s.view);
    this.last = s.last;
    s.prevSpot.forEach((a, i) => {
      this.prevSpot[i].set(a);
    });
    s.books.forEach((b, r) => {
      this.books[r].restore(b);
    });
    this.states = s.states.map((x) => clonePlain(x));
    s.vols.forEach((x, r) => {
      this.vols[r].restore(x);
    });
    s.ledgers.forEach((recs, r) => {
      const l = this.ledgers[r];
      l.records.length = 0;
      l.records.push(...recs.map((rec) => ({ ...rec })));
    });
    s.attribution?.forEach((x, r) => {
      this.attribution?.[r]?.restore(x, this.books[r]);
    });
    s.metrics.forEach((x, r) => {
      if (x !== undefined) this.cfg.metrics?.[r]?.restore?.(x);
    });
  }
}

/**
 * Whether run r's book values (and its lines' prices) are read at every step: by its strategy (unless
 * it declares `readsValue: false`), its metrics or any run's (which compare with the benchmark's), its
 * kept value paths, P&L attribution, a plan observer, or a rebalancing band (in units of value).
 * When none reads them, only the run's last step computes them (its terminal values): the other
 * marks skip them (lazy values, Book.mark) and every result keeps its bits.
 */
function valuesRead(cfg: StepperConfig, r: number, policy: RebalanceSpec): boolean {
  const anyMetrics = cfg.metrics?.some((m) => m !== undefined) ?? false;
  return (
    cfg.runs[r].strategy.readsValue !== false ||
    cfg.metrics?.[r] !== undefined ||
    (anyMetrics && r === cfg.benchmark) ||
    (cfg.keep?.[r]?.length ?? 0) > 0 ||
    cfg.attribution !== undefined ||
    cfg.plans?.run === r ||
    policy.band !== undefined
  );
}

/**
 * A run's step context: the view's fields plus the run's quotes. A class, so that every context has
 * one stable hidden class (V8 map) whatever the run: strategies' optimized code then keeps its
 * map checks (a context built by object spread or linked to the view by prototype made V8 discard
 * and rebuild the strategies' code at every step — a deopt loop that cost up to a third of a run).
 */
class RunContext implements StepContext {
  readonly nPaths: number;
  readonly assets: readonly AssetSpec[];
  readonly stepsPerYear: number;
  step = 0;
  t = 0;
  dt = 0;
  dtNext = 0;
  final = false;
  end = Number.POSITIVE_INFINITY;
  rate = 0;
  spot: Float64Array[] = [];
  vol: Float64Array[] = [];
  logReturn: Float64Array[] = [];
  logSpot: Float64Array[] | undefined = undefined;
  date: string | undefined = undefined;
  events: readonly MarketEvent[] | undefined = undefined;
  readonly quotes: BookQuotes;
  /** Always present (undefined unless a plan observer was configured): one hidden class. */
  plans: PlanObserver | undefined = undefined;

  constructor(view: MutableMarketView, quotes: BookQuotes) {
    this.nPaths = view.nPaths;
    this.assets = view.assets;
    this.stepsPerYear = view.stepsPerYear;
    this.quotes = quotes;
  }

  /** Copies the view's fields (a dozen stores per run and step). */
  sync(v: MutableMarketView): void {
    this.step = v.step;
    this.t = v.t;
    this.dt = v.dt;
    this.dtNext = v.dtNext;
    this.final = v.final;
    this.end = v.end;
    this.rate = v.rate;
    this.spot = v.spot;
    this.vol = v.vol;
    this.logReturn = v.logReturn;
    this.logSpot = v.logSpot;
    this.date = v.date;
    this.events = v.events;
  }
}

/**
 * A strategy's `init`, its domain errors (e.g. a synthetic put's floor above what cash reaches at
 * the market's own rate) naming the strategy: `strategies[2] (synthetic-put): floor (…) must be …`.
 */
function initStrategy<S>(strategy: Strategy<S>, index: number, ctx: StepContext, book: Book): S {
  try {
    return strategy.init(ctx, book);
  } catch (e) {
    if (e instanceof DomainError)
      throw new ValidationError(`strategies[${index}] (${strategy.name})`, e.message, 'strategy-init');
    throw e;
  }
}
