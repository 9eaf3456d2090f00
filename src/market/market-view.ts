/**
 * What a strategy sees of the market at one step: a read-only view over all paths at once.
 * The engine owns one MarketView and updates it in place every step (no allocation); Monte-Carlo,
 * historical replay and live monitoring fill the same fields (live with nPaths = 1). There is no
 * planned horizon: `final` says when the source knows that no further step follows.
 *
 * Shape: spot[a], vol[a], logReturn[a] are Float64Array[nPaths] for asset a.
 */
import type { AssetSpec } from './asset.ts';
import type { MarketEvent } from './events.ts';

export interface MarketView {
  readonly nPaths: number;
  readonly assets: readonly AssetSpec[];
  /** Step index i: 0 at inception. */
  readonly step: number;
  /** Time tᵢ in years since inception. */
  readonly t: number;
  /** Length of the step that just ended (0 at step 0), years. */
  readonly dt: number;
  /**
   * Length of the coming step where the source knows it (a grid), else the last step's, years: the
   * monitoring interval of discretely monitored barriers.
   */
  readonly dtNext: number;
  /** True when no further step follows (the end of a grid or of a replayed history). */
  readonly final: boolean;
  /**
   * Time of the last observation the source plans, years (the grid's horizon; Infinity for an
   * open-ended live feed). Strategies may default a tenor to it; the engine itself never needs it.
   */
  readonly end: number;
  /** Nominal steps per year (252 for daily), for calendar rebalancing and annualization. */
  readonly stepsPerYear: number;
  /** Short rate for the coming step, continuously compounded annual decimal. */
  readonly rate: number;
  /** Current price per asset. */
  readonly spot: readonly Float64Array[];
  /** Model instantaneous volatility per asset (annualized); 0 where the source has none. */
  readonly vol: readonly Float64Array[];
  /** Log return of the last step per asset (0 at step 0). */
  readonly logReturn: readonly Float64Array[];
  /**
   * ln S per asset where the source carries it (`MarketState.logSpot`: GBM paths), else undefined:
   * the option marks take ln(S/K) = ln S − ln K from it instead of a logarithm per option.
   */
  readonly logSpot?: readonly Float64Array[] | undefined;
  /** Calendar date (historical and live sources), else undefined. */
  readonly date: string | undefined;
  /**
   * Scheduled events still ahead (time > t), sorted by time, where the source knows any (src/market/
   * events.ts); an event leaves the list at the first observation that includes its jump.
   */
  readonly events?: readonly MarketEvent[] | undefined;
}

/** The engine's mutable implementation of MarketView. */
export interface MutableMarketView extends MarketView {
  step: number;
  t: number;
  dt: number;
  dtNext: number;
  final: boolean;
  end: number;
  rate: number;
  spot: Float64Array[];
  vol: Float64Array[];
  logReturn: Float64Array[];
  logSpot?: Float64Array[] | undefined;
  date: string | undefined;
  events?: readonly MarketEvent[] | undefined;
}
