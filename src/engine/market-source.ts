/**
 * Market sources: what feeds observations to the engine's step loop. A Monte-Carlo generator, a
 * historical replay and (later) a live feed are all a `MarketSource`; the loop neither knows nor
 * cares which, and needs no planned horizon: it runs until the source has no more observations.
 *
 * An `Observation` is filled in place (no allocation per step): per-asset spot, the log return of
 * the step just ended and the model's instantaneous vol (0 where the source has none), each a
 * Float64Array[nPaths]; the short rate that held over the step just ended and the one for the
 * coming step; the length of the coming step when the source knows it (a grid), which discrete
 * barrier monitoring uses; and whether this is the last observation the source will give.
 *
 * `snapshot()` / `restore()` capture the source's position (generator state, random-stream words)
 * as plain data, so an engine stopped at step k and restored continues bit-identically.
 *
 * References: Glasserman, Monte Carlo Methods in Financial Engineering (2003) ch. 3 (streamed
 * simulation); QuantConnect Lean's data feeds (one algorithm, many sources).
 */
import { DomainError } from '../core/errors.ts';
import { blockRng, PATH_BLOCK, type Rng } from '../core/rng.ts';
import type { AssetSpec } from '../market/asset.ts';
import { eventSuffixes, firstUpcoming, type MarketEvent, sortEvents } from '../market/events.ts';
import { type MarketState, type PathGenerator, sliceState, type TimeGrid } from '../paths/types.ts';

/** One observation of the market for all paths. Shape: spot[a], logReturn[a], vol[a]: [nPaths]. */
export interface Observation {
  /** Index of the observation, 0 at inception. */
  i: number;
  /** Time since inception, years. */
  t: number;
  /** Calendar date (historical and live sources), else undefined. */
  date: string | undefined;
  spot: Float64Array[];
  logReturn: Float64Array[];
  vol: Float64Array[];
  /** ln S per asset where the source carries it (`MarketState.logSpot`), else undefined. */
  logSpot?: Float64Array[] | undefined;
  /** Short rate that held over the step just ended (ignored at i = 0), continuously compounded. */
  rateOverStep: number;
  /** Short rate for the coming step. */
  rateNext: number;
  /**
   * Length of the coming step, years, where the source knows it (a time grid); otherwise the length
   * of the last step. Discretely monitored barriers are priced with it (Broadie–Glasserman–Kou).
   */
  dtNext: number;
  /** True when the source knows that no observation follows this one. */
  final: boolean;
  /** Time of the last planned observation, years (Infinity when open-ended). */
  end: number;
  /** Scheduled events still ahead (time > t), sorted; undefined when the source knows none. */
  events?: readonly MarketEvent[] | undefined;
}

/** A source of observations: Monte-Carlo paths, a historical replay, a live feed. */
export interface MarketSource {
  readonly assets: readonly AssetSpec[];
  /** Paths per observation (1 for history replays and live feeds). */
  readonly nPaths: number;
  /** Nominal observations per year (252 for daily), for calendar rebalancing and annualization. */
  readonly stepsPerYear: number;
  /** Fills `out` with the next observation; false when the source is exhausted (out untouched). */
  next(out: Observation): boolean;
  /** The source's position as plain, structured-cloneable data. */
  snapshot(): unknown;
  /** Moves the source to a position taken by `snapshot` of a source built the same way. */
  restore(snapshot: unknown): void;
}

/** An empty observation for `nAssets` assets, to be filled by `MarketSource.next`. */
export function emptyObservation(): Observation {
  return {
    i: -1,
    t: 0,
    date: undefined,
    spot: [],
    logReturn: [],
    vol: [],
    logSpot: undefined,
    rateOverStep: 0,
    rateNext: 0,
    dtNext: 0,
    final: false,
    end: Number.POSITIVE_INFINITY,
  };
}

/** Copies every typed array (or array of typed arrays) field of a state object (plain data). */
function copyArrays(state: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(state)) {
    if (ArrayBuffer.isView(v)) out[k] = (v as Float64Array).slice();
    else if (Array.isArray(v) && v.every((x) => ArrayBuffer.isView(x)))
      out[k] = (v as Float64Array[]).map((x) => x.slice());
  }
  return out;
}

/** Writes arrays taken by `copyArrays` back into the same state object's arrays. */
function pasteArrays(state: object, saved: Record<string, unknown>): void {
  const target = state as Record<string, unknown>;
  for (const [k, v] of Object.entries(saved)) {
    const dst = target[k];
    if (ArrayBuffer.isView(dst)) (dst as Float64Array).set(v as Float64Array);
    else if (Array.isArray(dst))
      dst.forEach((d: Float64Array, j) => {
        d.set((v as Float64Array[])[j]);
      });
  }
}

interface GridSourceSnapshot {
  readonly i: number;
  readonly state: Record<string, unknown>;
  readonly rngs: number[][];
}

/**
 * A path generator over a time grid as a market source (Monte-Carlo models and historical replays).
 * Paths [firstPath, firstPath + nPaths) draw from their blocks' random streams (`blockRng`), so the
 * paths are bit-identical however a run is split into chunks, threads or machines.
 */
export class GridSource implements MarketSource {
  readonly assets: readonly AssetSpec[];
  readonly nPaths: number;
  readonly stepsPerYear: number;
  private readonly gen: PathGenerator;
  private readonly grid: TimeGrid;
  private readonly dates: readonly string[] | undefined;
  private readonly full: MarketState;
  private readonly view: MarketState;
  private readonly blocks: MarketState[] = [];
  private readonly rngs: Rng[] = [];
  private i = -1;
  private readonly events: readonly MarketEvent[] | undefined;
  private readonly upcoming: readonly (readonly MarketEvent[])[] | undefined;

  /**
   * @param firstPath global index of the first path, a multiple of PATH_BLOCK
   * @param dates calendar dates of the grid points (historical sources). Shape: [nSteps + 1].
   * @throws DomainError for an invalid path count, first path or dates length
   */
  constructor(opts: {
    generator: PathGenerator;
    grid: TimeGrid;
    nPaths: number;
    seed: number | bigint;
    stepsPerYear: number;
    firstPath?: number;
    dates?: readonly string[] | undefined;
    /** Scheduled events shown to strategies as they approach (the generator applies them). */
    events?: readonly MarketEvent[] | undefined;
    /** Ask the generator to carry ln S (`InitOptions.logSpot`), for option marks. Default false. */
    logSpot?: boolean;
  }) {
    const { generator: gen, grid, nPaths } = opts;
    if (!(Number.isSafeInteger(nPaths) && nPaths >= 1))
      throw new DomainError('nPaths', nPaths, 'must be an integer >= 1');
    const firstPath = opts.firstPath ?? 0;
    if (!(Number.isSafeInteger(firstPath) && firstPath >= 0 && firstPath % PATH_BLOCK === 0))
      throw new DomainError('firstPath', firstPath, `must be a non-negative multiple of ${PATH_BLOCK}`);
    if (opts.dates && opts.dates.length !== grid.nSteps + 1)
      throw new DomainError('dates.length', opts.dates.length, `must equal nSteps + 1 (${grid.nSteps + 1})`);
    this.assets = gen.assets;
    this.nPaths = nPaths;
    this.stepsPerYear = opts.stepsPerYear;
    this.gen = gen;
    this.grid = grid;
    this.dates = opts.dates;
    if (opts.events && opts.events.length > 0) {
      this.events = sortEvents(opts.events);
      this.upcoming = eventSuffixes(this.events);
    }
    const nBlocks = Math.ceil(nPaths / PATH_BLOCK);
    const padded = nBlocks * PATH_BLOCK;
    this.full = gen.init(padded, { logSpot: opts.logSpot === true });
    this.view = padded === nPaths ? this.full : sliceState(this.full, 0, nPaths);
    const firstBlock = firstPath / PATH_BLOCK;
    for (let b = 0; b < nBlocks; b++) {
      this.blocks.push(
        nBlocks === 1 ? this.full : sliceState(this.full, b * PATH_BLOCK, (b + 1) * PATH_BLOCK),
      );
      this.rngs.push(blockRng(opts.seed, firstBlock + b));
    }
  }

  /**
   * The market state the observations show (its arrays are the generator's: the GBM kernel's memory
   * when it runs in WebAssembly), for a stepper whose books may share that memory (`StepperConfig.market`).
   */
  get state(): MarketState {
    return this.view;
  }

  next(out: Observation): boolean {
    const { times, nSteps } = this.grid;
    const i = this.i + 1;
    if (i > nSteps) return false;
    if (i > 0) {
      const t0 = times[i - 1];
      const dt = times[i] - t0;
      if (this.gen.stepBlocks) this.gen.stepBlocks(t0, dt, this.blocks, this.rngs);
      else for (let b = 0; b < this.blocks.length; b++) this.gen.step(t0, dt, this.blocks[b], this.rngs[b]);
    }
    this.i = i;
    const rate = this.gen.rate;
    out.i = i;
    out.t = times[i];
    out.date = this.dates?.[i];
    out.spot = this.view.spot;
    out.logReturn = this.view.logReturn;
    out.vol = this.view.vol;
    out.logSpot = this.view.logSpot;
    out.rateOverStep = rate.rate(i === 0 ? times[0] : times[i - 1]);
    out.rateNext = rate.rate(times[i]);
    out.dtNext = i < nSteps ? times[i + 1] - times[i] : times[i] - times[i - 1];
    out.final = i === nSteps;
    out.end = times[nSteps];
    if (this.upcoming && this.events) out.events = this.upcoming[firstUpcoming(this.events, times[i])];
    return true;
  }

  snapshot(): GridSourceSnapshot {
    return { i: this.i, state: copyArrays(this.full), rngs: this.rngs.map((r) => r.getState()) };
  }

  restore(snapshot: unknown): void {
    const s = snapshot as GridSourceSnapshot;
    this.i = s.i;
    pasteArrays(this.full, s.state);
    for (let b = 0; b < s.rngs.length; b++) this.rngs[b].setState(s.rngs[b]);
  }
}
