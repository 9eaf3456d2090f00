/**
 * Feed events → engine observations: the live monitor's `MarketSource` (nPaths = 1). The engine
 * stepper back-tests use consumes it unchanged; nothing about strategies is re-implemented here.
 *
 * Steps. In 'bar' mode one observation is committed per timestamp once every mapped instrument has
 * a bar at it (a bar at a later timestamp commits an incomplete set first, carrying the missing
 * prices forward); in 'tick' mode every accepted price event (quote mid, trade, bar close) commits
 * one observation with the latest price of every instrument. `vol` events set the instrument's vol
 * (shown to the pricing vol as `MarketView.vol`) for the next observation.
 *
 * Prices and time are built exactly as a back-test's historical replay builds them (src/paths/
 * replay.ts, src/paths/types.ts `uniformGrid`), so a replayed history file gives bit-identical
 * observations: Sₐ = P when the asset's spot equals the first price P₀, else spotₐ·P/P₀; log return
 * ln(Sᵢ/Sᵢ₋₁). Time is ACT/365F from the observations' timestamps, as a replay's from its dates
 * (dayCount 'act365f', the default): tᵢ = (days since the first observation)/365, the days taken
 * as (tsᵢ − ts₀)/86,400,000 (exact for daily bars stamped at midnight UTC, fractional for ticks);
 * with the planned timestamps of a replayed window, `dtNext` looks at the next one and `end` is the
 * last. With dayCount 'rows' (the old row clock) a planned session of n steps has tᵢ = (H·i)/n with
 * H = n/stepsPerYear (the grid's formula), `end` = tₙ, and without a plan tᵢ = i/stepsPerYear and
 * `end` = ∞. `final` comes at step n either way.
 * An asset mapped to no instrument stays flat at its spot (log return 0, vol 0), as in a replay.
 *
 * References: hedgekit src/engine/market-source.ts (the contract); RiskMetrics (1996) §5.2.
 */
import { ACT365F_DAYS } from '../core/calendar-date.ts';
import { DomainError } from '../core/errors.ts';
import type { MarketSource, Observation } from '../engine/market-source.ts';
import type { AssetSpec } from '../market/asset.ts';
import { eventSuffixes, firstUpcoming, type MarketEvent, sortEvents } from '../market/events.ts';
import { eventPrice, type FeedEvent } from './feed/event.ts';

export type StepMode = 'bar' | 'tick';

export interface LiveSourceOptions {
  readonly assets: readonly AssetSpec[];
  /** Instrument per asset (null = flat). Shape: [nAssets]. */
  readonly instruments: readonly (string | null)[];
  readonly stepsPerYear: number;
  /** Short rate, continuously compounded (constant over the session). */
  readonly rate: number;
  /** Planned number of steps after inception (a replay's window), for t, `end` and `final`. */
  readonly plannedSteps?: number | undefined;
  readonly mode?: StepMode;
  /** How time advances: 'act365f' (default, from timestamps) or 'rows' (i/stepsPerYear). */
  readonly dayCount?: 'act365f' | 'rows' | undefined;
  /** Timestamps (ms) of the planned observations, inception first (a replayed window). */
  readonly plannedTs?: readonly number[] | undefined;
  /** Scheduled events (times in years), shown to strategies as in back-tests. */
  readonly events?: readonly MarketEvent[] | undefined;
}

interface Ready {
  ts: number;
  raw: number[];
  vol: number[];
}

interface LiveSourceSnapshot {
  lastTs: number;
  firstTs: number;
  i: number;
  p0: number[];
  raw: number[];
  vol: number[];
  prevScaled: number[];
  pendingTs: number;
  pending: [string, number][];
  ready: Ready[];
}

const MS_PER_DAY = 86_400_000;

/** The UTC day (ms / 86,400,000, floored) of the last date formatted, and its date. */
let lastDay = Number.NaN;
let lastDate = '';

/** ISO date (UTC) of a timestamp in ms (a tick feed asks for the same day many times: kept). */
export function isoDate(ts: number): string {
  const day = Math.floor(ts / MS_PER_DAY);
  if (day !== lastDay) {
    lastDate = new Date(ts).toISOString().slice(0, 10);
    lastDay = day;
  }
  return lastDate;
}

export class LiveSource implements MarketSource {
  readonly assets: readonly AssetSpec[];
  readonly nPaths = 1;
  readonly stepsPerYear: number;
  /** Timestamp (ms) of the last observation handed out. */
  lastTs = Number.NaN;
  /** Timestamp (ms) of the inception observation (ACT/365F time origin). */
  private firstTs = Number.NaN;
  private readonly opts: LiveSourceOptions;
  private readonly byInstrument = new Map<string, number[]>();
  private readonly mapped: number;
  private i = -1;
  private p0: number[];
  private raw: number[];
  private vol: number[];
  private prevScaled: number[];
  private pendingTs = Number.NaN;
  private pending = new Map<string, number>();
  private ready: Ready[] = [];
  private readonly spot: Float64Array[];
  private readonly logReturn: Float64Array[];
  private readonly volOut: Float64Array[];
  private readonly events: readonly MarketEvent[] | undefined;
  private readonly upcoming: readonly (readonly MarketEvent[])[] | undefined;

  /** @throws DomainError for a bad instrument list, steps per year or planned steps */
  constructor(opts: LiveSourceOptions) {
    const nA = opts.assets.length;
    if (opts.instruments.length !== nA)
      throw new DomainError(
        'instruments.length',
        opts.instruments.length,
        `must equal the asset count (${nA})`,
      );
    if (!(opts.stepsPerYear > 0)) throw new DomainError('stepsPerYear', opts.stepsPerYear, 'must be > 0');
    if (
      opts.plannedSteps !== undefined &&
      !(Number.isSafeInteger(opts.plannedSteps) && opts.plannedSteps >= 1)
    )
      throw new DomainError('plannedSteps', opts.plannedSteps, 'must be an integer >= 1');
    this.opts = opts;
    this.assets = opts.assets;
    this.stepsPerYear = opts.stepsPerYear;
    opts.instruments.forEach((name, a) => {
      if (name === null) return;
      const list = this.byInstrument.get(name) ?? [];
      list.push(a);
      this.byInstrument.set(name, list);
    });
    this.mapped = this.byInstrument.size;
    this.p0 = new Array(nA).fill(Number.NaN);
    this.raw = new Array(nA).fill(Number.NaN);
    this.vol = new Array(nA).fill(0);
    this.prevScaled = new Array(nA).fill(Number.NaN);
    this.spot = opts.assets.map(() => new Float64Array(1));
    this.logReturn = opts.assets.map(() => new Float64Array(1));
    this.volOut = opts.assets.map(() => new Float64Array(1));
    if (opts.events && opts.events.length > 0) {
      this.events = sortEvents(opts.events);
      this.upcoming = eventSuffixes(this.events);
    }
  }

  /** The instruments the source listens to. */
  get instruments(): string[] {
    return [...this.byInstrument.keys()];
  }

  /** Steps handed out so far minus one (−1 before inception). */
  get step(): number {
    return this.i;
  }

  /** Takes one accepted feed event; returns true when an observation became ready. */
  push(e: FeedEvent): boolean {
    if (e.kind === 'heartbeat') return false;
    const assets = this.byInstrument.get(e.instrument);
    if (!assets) return false;
    if (e.kind === 'vol') {
      for (const a of assets) this.vol[a] = e.vol;
      return false;
    }
    const price = eventPrice(e) as number;
    if (this.opts.mode === 'tick') {
      for (const a of assets) this.raw[a] = price;
      if (this.raw.every((p, a) => !Number.isNaN(p) || this.opts.instruments[a] === null)) {
        this.enqueue(e.ts);
        return true;
      }
      return false;
    }
    if (e.kind !== 'bar') return false; // trades and quotes do not close a bar
    let committed = false;
    if (!Number.isNaN(this.pendingTs) && e.ts > this.pendingTs) committed = this.commitPending();
    this.pendingTs = e.ts;
    this.pending.set(e.instrument, price);
    if (this.pending.size === this.mapped) committed = this.commitPending() || committed;
    return committed;
  }

  /** Commits an incomplete bar set (end of the feed); true when an observation became ready. */
  flush(): boolean {
    return this.commitPending();
  }

  private commitPending(): boolean {
    if (this.pending.size === 0) return false;
    for (const [name, price] of this.pending)
      for (const a of this.byInstrument.get(name) ?? []) this.raw[a] = price;
    const ts = this.pendingTs;
    this.pending.clear();
    this.pendingTs = Number.NaN;
    if (this.raw.some((p, a) => Number.isNaN(p) && this.opts.instruments[a] !== null)) return false;
    this.enqueue(ts);
    return true;
  }

  private enqueue(ts: number): void {
    this.ready.push({ ts, raw: [...this.raw], vol: [...this.vol] });
  }

  /** Time of step i, years (the back-test grid's formula with a plan). */
  private timeAt(i: number): number {
    const n = this.opts.plannedSteps;
    if (n === undefined) return i / this.stepsPerYear;
    return ((n / this.stepsPerYear) * i) / n;
  }

  /** ACT/365F year fraction of a timestamp since the inception observation. */
  private yearsSince(ts: number): number {
    return (ts - this.firstTs) / MS_PER_DAY / ACT365F_DAYS;
  }

  next(out: Observation): boolean {
    const r = this.ready.shift();
    if (!r) return false;
    const i = ++this.i;
    const assets = this.assets;
    for (let a = 0; a < assets.length; a++) {
      let s: number;
      if (this.opts.instruments[a] === null) s = assets[a].spot;
      else {
        if (Number.isNaN(this.p0[a])) this.p0[a] = r.raw[a];
        const spot = assets[a].spot;
        s = spot === this.p0[a] ? r.raw[a] : spot * (r.raw[a] / this.p0[a]);
      }
      this.spot[a][0] = s;
      this.logReturn[a][0] = i === 0 || s === this.prevScaled[a] ? 0 : Math.log(s / this.prevScaled[a]);
      this.volOut[a][0] = this.opts.instruments[a] === null ? 0 : r.vol[a];
      this.prevScaled[a] = s;
    }
    const n = this.opts.plannedSteps;
    const act = this.opts.dayCount !== 'rows';
    if (i === 0) this.firstTs = r.ts;
    const t = act ? this.yearsSince(r.ts) : this.timeAt(i);
    out.i = i;
    out.t = t;
    out.date = isoDate(r.ts);
    out.spot = this.spot;
    out.logReturn = this.logReturn;
    out.vol = this.volOut;
    out.rateOverStep = this.opts.rate;
    out.rateNext = this.opts.rate;
    const planned = this.opts.plannedTs;
    if (act) {
      const last = planned ? planned.length - 1 : -1;
      out.dtNext =
        planned && i < last
          ? this.yearsSince(planned[i + 1]) - t
          : i > 0
            ? t - this.yearsSince(this.lastTs)
            : 1 / this.stepsPerYear;
      out.final = n !== undefined && i === n;
      out.end = planned ? this.yearsSince(planned[last]) : Number.POSITIVE_INFINITY;
    } else if (n === undefined) {
      out.dtNext = 1 / this.stepsPerYear;
      out.final = false;
      out.end = Number.POSITIVE_INFINITY;
    } else {
      out.dtNext = i < n ? this.timeAt(i + 1) - t : t - this.timeAt(i - 1);
      out.final = i === n;
      out.end = this.timeAt(n);
    }
    if (this.upcoming && this.events) out.events = this.upcoming[firstUpcoming(this.events, t)];
    this.lastTs = r.ts;
    return true;
  }

  /**
   * Points `out`'s spot, vol and log-return arrays at the last observation's values (after a
   * restore, when no observation has been handed out yet in this process).
   */
  current(out: Observation): void {
    for (let a = 0; a < this.assets.length; a++) {
      this.spot[a][0] = Number.isNaN(this.prevScaled[a]) ? this.assets[a].spot : this.prevScaled[a];
      if (this.opts.instruments[a] !== null) this.volOut[a][0] = this.vol[a];
    }
    out.spot = this.spot;
    out.vol = this.volOut;
    out.logReturn = this.logReturn;
  }

  snapshot(): LiveSourceSnapshot {
    return {
      lastTs: this.lastTs,
      firstTs: this.firstTs,
      i: this.i,
      p0: [...this.p0],
      raw: [...this.raw],
      vol: [...this.vol],
      prevScaled: [...this.prevScaled],
      pendingTs: this.pendingTs,
      pending: [...this.pending.entries()],
      ready: this.ready.map((r) => ({ ts: r.ts, raw: [...r.raw], vol: [...r.vol] })),
    };
  }

  restore(snapshot: unknown): void {
    const s = snapshot as LiveSourceSnapshot;
    this.lastTs = s.lastTs;
    this.firstTs = s.firstTs;
    this.i = s.i;
    this.p0 = [...s.p0];
    this.raw = [...s.raw];
    this.vol = [...s.vol];
    this.prevScaled = [...s.prevScaled];
    this.pendingTs = s.pendingTs;
    this.pending = new Map(s.pending);
    this.ready = s.ready.map((r) => ({ ts: r.ts, raw: [...r.raw], vol: [...r.vol] }));
  }
}
