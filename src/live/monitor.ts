/**
 * The live monitor: a feed drives the SAME engine stepper back-tests use (src/engine/stepper.ts),
 * one observation at a time, around a durable ledger.
 *
 * Per feed event (one SQLite transaction): feed health → ledger row → accepted events into the
 * LiveSource; per observation it completes: escalation update with the market's inputs (move in
 * EWMA sigmas, drop against the previous close, implied vs realised vol, feed health, order rate)
 * → `EngineStepper.step` (the traded strategy's targets pass the level gate) → the traded run's
 * trades become orders with deterministic ids (settlements are recorded, not ordered) → floor,
 * cushion and shocked loss → escalation update with the book's inputs → transitions recorded →
 * a state update for listeners. Every `snapshotEvery` steps the whole engine state is snapshotted
 * in the same transaction. After the commit the orders go to the execution adapter (write-ahead:
 * an order is in the ledger before any broker sees it) and due fills are polled and recorded.
 *
 * Restart (`LiveMonitor.open` on an existing ledger): last snapshot → replay of the market events
 * and manual actions recorded after it (the rows they produce are already there: INSERT OR IGNORE
 * keeps one) → reconciliation with the adapter (orders it never saw are sent again under the same
 * id; fills it made while the monitor was down are recorded) → the feed resumes after the last
 * sequence number processed.
 *
 * Everything is deterministic given the feed: times are feed times, never the machine's clock
 * (except staleness, which is about the machine's clock by nature).
 */

import { createHash } from 'node:crypto';
import { ACT365F_DAYS } from '../core/calendar-date.ts';
import { DomainError } from '../core/errors.ts';
import { emptyObservation, type Observation } from '../engine/market-source.ts';
import { EngineStepper, type StrategyRun } from '../engine/stepper.ts';
import { FIRST_ORDER } from '../portfolio/contract-pricer.ts';
import type { TradeRecord } from '../portfolio/ledger.ts';
import { type FloorState, floorState, riskBook, riskReport, shockedLoss } from './analytics.ts';
import { shockedLossOverCushion } from './escalation/measure.ts';
import type { EscalationInputs, Level, ManualAction, Transition } from './escalation/types.ts';
import type { FeedEvent } from './feed/event.ts';
import { FeedHealth, type HealthProblem } from './feed/health.ts';
import { gatedStrategy } from './level-gate.ts';
import { LiveSource } from './live-source.ts';
import { emptyLiveState, type LiveState, stepState } from './live-state.ts';
import { type MarketDriverState, MarketDrivers } from './market-drivers.ts';
import type { MonitorOptions } from './monitor-options.ts';
import { OrderRouter } from './order-router.ts';
import { type Order, orderFromTrade } from './orders.ts';
import { type HedgePlanState, PlanRecorder, recordPlans } from './plan-recorder.ts';
import { type Listener, StatePublisher } from './state-publisher.ts';

export type { MonitorOptions, RiskOptions } from './monitor-options.ts';

interface Counters {
  lastSeq: number;
  marketCount: number;
  manualCount: number;
  stepsSinceSnapshot: number;
  problems: number;
  orderTimes: number[];
  lastTs: number;
  ended: boolean;
}

interface MonitorSnapshot {
  counters: Counters;
  drivers: MarketDriverState;
  stepper: ReturnType<EngineStepper['snapshot']>;
  source: unknown;
  health: unknown;
  escalation: unknown;
  values: number[][] | undefined;
  trades: TradeRecord[][] | undefined;
  /** The last hedge plan (absent in snapshots written before it existed). */
  plan?: HedgePlanState | undefined;
}

function hash(...parts: (string | number)[]): string {
  return createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 32);
}

export type { Listener } from './state-publisher.ts';

export class LiveMonitor {
  readonly opts: MonitorOptions;
  readonly stepper: EngineStepper;
  readonly source: LiveSource;
  readonly health: FeedHealth;
  private readonly drivers: MarketDrivers;
  private readonly obs: Observation = emptyObservation();
  private readonly runs: StrategyRun[];
  private c: Counters;
  private resumeAfter = -1;
  private catchingUp = false;
  private replaying = false;
  private readonly router: OrderRouter;
  private readonly pub: StatePublisher;
  /** The traded strategy's last plan. */
  private readonly plans = new PlanRecorder();
  /** Value path per run (keepHistory). */
  values: number[][] | undefined;
  /** Trade list per run (keepHistory). */
  trades: TradeRecord[][] | undefined;

  private constructor(opts: MonitorOptions) {
    this.opts = opts;
    const b = opts.built;
    const s = b.scenario;
    const esc = opts.escalation;
    // Protection follows a replayed window as in a back-test (`replayHorizon: window`): the
    // strategies' default tenor is the window's ACT/365F length, computed as the source computes time.
    const ts = opts.plannedTs;
    const window =
      ts && ts.length > 1 && s.replayHorizon === 'window'
        ? (ts[ts.length - 1] - ts[0]) / 86_400_000 / ACT365F_DAYS
        : s.horizon;
    // The traded strategy: its plans recorded around the level gate (plan-recorder.ts).
    this.runs = b.makeRuns(window === s.horizon ? undefined : window).map((run, r) =>
      r === opts.trade
        ? {
            ...run,
            strategy: recordPlans(
              run.strategy,
              this.plans,
              esc ? (inner) => gatedStrategy(inner, () => esc.policy(), opts.risk.shock) : undefined,
            ),
          }
        : run,
    );
    this.stepper = new EngineStepper({
      assets: b.assets,
      nPaths: 1,
      firstPath: 0,
      initialValue: s.portfolio.initialValue,
      runs: this.runs,
      benchmark: b.benchmark,
      stepsPerYear: opts.stepsPerYear,
      borrowSpread: s.borrowSpread,
      ...(opts.attribution ? { attribution: 'book' as const } : {}),
      // The monitor shows every line's Γ and ν (the hedge plan, the Greeks it reports): mark them
      // with the line, not again on demand.
      markGreeks: FIRST_ORDER,
      ledgerPaths: [0],
      plans: { run: opts.trade, observer: this.plans },
    });
    this.source = new LiveSource({
      assets: b.assets,
      instruments: opts.instruments,
      stepsPerYear: opts.stepsPerYear,
      rate: s.rate,
      plannedSteps: opts.plannedSteps,
      plannedTs: opts.plannedTs,
      mode: opts.mode ?? 'bar',
      events: b.events.length > 0 ? b.events : undefined,
    });
    this.health = new FeedHealth(opts.health);
    this.router = new OrderRouter(opts.adapter, opts.ledger);
    this.drivers = new MarketDrivers(opts.risk.lambda);
    this.c = {
      lastSeq: -1,
      marketCount: 0,
      manualCount: 0,
      stepsSinceSnapshot: 0,
      problems: 0,
      orderTimes: [],
      lastTs: Number.NaN,
      ended: false,
    };
    if (opts.keepHistory) {
      this.values = this.runs.map(() => []);
      this.trades = this.runs.map(() => []);
    }
    this.pub = new StatePublisher(emptyLiveState(opts.run, this.level), {
      stepPart: (m) => {
        const st = this.stepper;
        return {
          ...stepState(st.books[opts.trade], st.view, st.attribution?.[opts.trade], m),
          plan: this.plans.last,
        };
      },
      head: () => ({ seq: this.c.lastSeq, ts: this.source.lastTs, level: this.level }),
    });
  }

  /**
   * A monitor on `opts.ledger`: fresh, or restored from its last snapshot, replayed and reconciled.
   */
  static async open(opts: MonitorOptions): Promise<LiveMonitor> {
    const m = new LiveMonitor(opts);
    await m.recover();
    return m;
  }

  /**
   * A monitor on an EMPTY ledger, built synchronously (benchmarks, in-process tools).
   * @throws DomainError when the ledger already holds events (use `open`, which restarts from them)
   */
  static openFresh(opts: MonitorOptions): LiveMonitor {
    if (opts.ledger.lastRowid() !== 0)
      throw new DomainError(
        'ledger',
        opts.ledger.file,
        'must be empty (use LiveMonitor.open to restart from it)',
      );
    return new LiveMonitor(opts);
  }

  /** The level now (NORMAL without a protocol). */
  get level(): Level {
    return this.opts.escalation?.level ?? 'NORMAL';
  }

  /** Feed sequence number of the last event processed. */
  get lastSeq(): number {
    return this.c.lastSeq;
  }

  /** True once the end of the feed was processed. */
  get ended(): boolean {
    return this.c.ended;
  }

  /** The latest published state. */
  state(): LiveState {
    return this.pub.current();
  }

  /** Subscribes to state updates; returns the unsubscribe function. */
  subscribe(l: Listener): () => void {
    return this.pub.subscribe(l);
  }

  /** Processes one feed event (module header); resolves once its orders are sent and fills polled. */
  async process(e: FeedEvent): Promise<void> {
    if (this.c.ended) return;
    if (this.catchingUp) {
      if (e.seq <= this.resumeAfter) return; // processed before the restart
      this.catchingUp = false;
    }
    const receivedAt = this.opts.clock.now();
    this.opts.ledger.transaction(() => this.handleMarket({ event: e, receivedAt }));
    await this.afterCommit(e.ts);
  }

  /**
   * Processes several feed events in ONE ledger transaction (group commit: one fsync for all), then
   * sends their orders and records due fills — synchronously, so the adapter must answer at once
   * (the paper broker does). What a full-speed replay uses; a crash loses at most the uncommitted
   * group, which the feed replays after the restart (no order was sent for it).
   * @throws DomainError when the adapter answers with a promise
   */
  processBatchSync(events: readonly FeedEvent[]): void {
    if (this.c.ended || events.length === 0) return;
    const receivedAt = this.opts.clock.now();
    let lastTs = Number.NaN;
    this.opts.ledger.transaction(() => {
      for (const e of events) {
        if (this.catchingUp) {
          if (e.seq <= this.resumeAfter) continue;
          this.catchingUp = false;
        }
        this.handleMarket({ event: e, receivedAt });
        lastTs = e.ts;
      }
    });
    if (!Number.isNaN(lastTs)) this.afterCommitSync(lastTs);
  }

  /** The end of the feed: held prints released, an incomplete bar committed, every fill collected. */
  async finish(): Promise<void> {
    if (!this.c.ended) this.opts.ledger.transaction(() => this.handleMarket({ end: true }));
    await this.afterCommit(Number.POSITIVE_INFINITY);
  }

  /** Checks staleness on the clock; a stale feed is logged and fed to the protocol. */
  checkStale(): void {
    const now = this.opts.clock.now();
    const p = this.health.checkStale(now);
    if (!p) return;
    this.opts.ledger.transaction(() => {
      this.opts.ledger.append({
        id: hash(this.opts.run, 'stale', now),
        type: 'health',
        seq: this.c.lastSeq,
        ts: now,
        payload: p,
      });
      this.applyStale(now);
    });
    this.pub.alert({ kind: 'health', problem: p });
    this.pub.publish(false);
  }

  /** A stale feed, to the protocol (also when a recorded one is replayed after a restart). */
  private applyStale(now: number): void {
    this.escalate(
      { timeMs: Number.isNaN(this.c.lastTs) ? 0 : this.c.lastTs, feedStale: true, feedProblems: 1 },
      `stale:${now}`,
    );
  }

  /**
   * An operator's action, recorded and applied to the protocol.
   * @returns the transitions it caused
   */
  manual(action: ManualAction): Transition[] {
    const esc = this.opts.escalation;
    let out: Transition[] = [];
    this.opts.ledger.transaction(() => {
      out = this.applyManual(action);
    });
    if (esc) this.pub.publish(this.replaying);
    return out;
  }

  private applyManual(action: ManualAction): Transition[] {
    const esc = this.opts.escalation;
    const n = this.c.manualCount;
    const ts = Number.isNaN(this.c.lastTs) ? 0 : this.c.lastTs;
    // The protocol first: an action it refuses (override out of HALTED, re-arm when not halted)
    // throws before anything is written or counted.
    const transitions = esc ? esc.manual(action, ts) : [];
    const id = hash(this.opts.run, 'manual', this.c.marketCount, n);
    this.opts.ledger.append({ id, type: 'manual', seq: this.c.lastSeq, ts, payload: action });
    this.c.manualCount++;
    this.recordTransitions(transitions, `manual:${n}`);
    return transitions;
  }

  // --- the event path -----------------------------------------------------------------------

  private handleMarket(rec: { event?: FeedEvent; receivedAt?: number; end?: boolean }): void {
    const n = this.c.marketCount++;
    const ledger = this.opts.ledger;
    if (rec.end) {
      ledger.append({
        id: `m:${n}`,
        type: 'market',
        seq: this.c.lastSeq,
        ts: this.c.lastTs || 0,
        payload: { end: true },
      });
      const v = this.health.flush();
      this.noteProblems(v.problems);
      for (const a of v.accepted) if (this.source.push(a)) this.runSteps(a.seq);
      if (this.source.flush()) this.runSteps(this.c.lastSeq);
      this.c.ended = true;
      if (!this.replaying) this.writeSnapshot();
      return;
    }
    const e = rec.event as FeedEvent;
    const v = this.health.check(e, rec.receivedAt as number);
    ledger.append({
      id: `m:${n}`,
      type: 'market',
      seq: e.seq,
      ts: e.ts,
      payload: { event: e, receivedAt: rec.receivedAt, problems: v.problems },
    });
    this.noteProblems(v.problems);
    if (e.seq > this.c.lastSeq) this.c.lastSeq = e.seq;
    this.c.lastTs = Number.isNaN(this.c.lastTs) ? e.ts : Math.max(this.c.lastTs, e.ts);
    for (const a of v.accepted) {
      if (a.kind === 'vol' && a.measure === 'implied') this.drivers.state.impliedSeen = true;
      if (this.source.push(a)) this.runSteps(e.seq);
    }
    // Not while replaying: a snapshot covers every row up to the ledger's end, and during a replay
    // the state is behind that end (recover() writes one once the replay has caught up).
    if (this.c.stepsSinceSnapshot >= this.opts.snapshotEvery && !this.replaying) this.writeSnapshot();
  }

  private noteProblems(problems: readonly HealthProblem[]): void {
    // a confirmed suspect was a real move, not a feed problem
    for (const p of problems) if (p.kind !== 'suspect-confirmed') this.c.problems++;
    for (const p of problems) this.pub.alert({ kind: 'health', problem: p });
  }

  private runSteps(seq: number): void {
    const obs = this.obs;
    while (this.source.next(obs)) {
      this.preStep(obs);
      this.stepper.step(obs);
      this.postStep(obs, seq);
      this.c.stepsSinceSnapshot++;
    }
  }

  /** Market inputs of the protocol, before the engine decides. */
  private preStep(obs: Observation): void {
    const a = this.opts.risk.index;
    const c = this.c;
    const m = this.drivers.observe(obs.spot[a][0], obs.vol[a][0], obs.date);
    const ts = this.source.lastTs;
    // The orders of the last minute, kept in place (the filter's result, without a new array per step).
    const recent = c.orderTimes;
    let kept = 0;
    for (let k = 0; k < recent.length; k++) if (recent[k] > ts - 60_000) recent[kept++] = recent[k];
    if (kept !== recent.length) recent.length = kept;
    this.escalate(
      {
        timeMs: ts,
        ...m,
        feedProblems: c.problems,
        feedStale: false,
        ordersPerMinute: recent.length,
      },
      `pre:${obs.i}`,
    );
    c.problems = 0;
  }

  private postStep(obs: Observation, seq: number): void {
    const r = this.opts.trade;
    const st = this.stepper;
    const book = st.books[r];
    const ts = this.source.lastTs;
    const level = this.level;
    const recs = st.ledgers[r].records;
    const ledger = this.opts.ledger;
    this.plans.settle(book, st.view, {
      strategy: this.runs[r].strategy.name,
      level,
      ts,
      costs: this.runs[r].costs,
    });
    for (let k = 0; k < recs.length; k++) {
      const rec = recs[k];
      if (rec.kind === 'settle') {
        ledger.append({
          id: hash(this.opts.run, 'settle', seq, rec.instrument, k),
          type: 'settlement',
          seq,
          ts,
          payload: { step: rec.step, instrument: rec.instrument, qty: rec.qty, price: rec.price },
        });
        continue;
      }
      const order = orderFromTrade(rec as TradeRecord & { kind: Order['kind'] }, {
        run: this.opts.run,
        seq,
        i: obs.i,
        k,
        ts,
        level,
        assets: book.assets,
      });
      ledger.append({ id: order.id, type: 'order', seq, ts, payload: order });
      this.c.orderTimes.push(ts);
      if (!this.replaying) this.router.queue(order);
      this.pub.order(order);
    }
    if (this.trades && this.values) {
      for (let x = 0; x < this.runs.length; x++) {
        this.trades[x].push(...st.ledgers[x].records);
        this.values[x].push(st.books[x].value[0]);
      }
    }
    for (const l of st.ledgers) l.records.length = 0;
    const { floor, loss, risk } = this.measure(obs.i % this.opts.risk.every === 0);
    this.escalate(
      {
        timeMs: ts,
        cushionUnits: floor.cushionUnits,
        ...(loss !== undefined
          ? { shockedLossOverCushion: shockedLossOverCushion(-loss, floor.distance) }
          : {}),
      },
      `post:${obs.i}`,
    );
    this.pub.step({ floor, loss, risk }, this.replaying);
  }

  /** Floor, and when `full` the shocked loss, Greeks and ladder, of the traded book now. */
  private measure(full: boolean): { floor: FloorState; loss: number | undefined; risk: LiveState['risk'] } {
    const st = this.stepper;
    const book = st.books[this.opts.trade];
    const s = this.opts.built.scenario;
    const floor = floorState(
      book.value[0],
      st.view.t,
      s.floor,
      s.portfolio.initialValue,
      s.rate,
      this.opts.risk.multiplier,
    );
    let loss: number | undefined;
    let risk: LiveState['risk'];
    if (!full) return { floor, loss, risk };
    try {
      const rb = riskBook(book, st.view);
      loss = shockedLoss(rb, this.opts.risk.shock);
      risk = riskReport(rb, this.opts.risk.ladder);
    } catch {
      loss = undefined; // an unpriceable line (e.g. at expiry): the driver keeps its last level
    }
    return { floor, loss, risk };
  }

  private escalate(inputs: EscalationInputs, tag: string): void {
    const esc = this.opts.escalation;
    if (!esc) return;
    this.recordTransitions(esc.update(inputs), `${this.c.marketCount}:${tag}`);
  }

  private recordTransitions(ts: readonly Transition[], tag: string): void {
    ts.forEach((t, k) => {
      this.opts.ledger.append({
        id: hash(this.opts.run, 'transition', tag, k),
        type: 'transition',
        seq: this.c.lastSeq,
        ts: t.timeMs,
        payload: t,
      });
      this.pub.alert({ kind: 'transition', transition: t });
    });
  }

  // --- after the commit: broker ---------------------------------------------------------------

  private async afterCommit(nowTs: number): Promise<void> {
    this.pub.fills(await this.router.flush(nowTs));
    this.pub.flush();
  }

  /** afterCommit for an adapter that answers synchronously (the paper broker). */
  private afterCommitSync(nowTs: number): void {
    this.pub.fills(this.router.flushSync(nowTs));
    this.pub.flush();
  }

  // --- recovery -------------------------------------------------------------------------------

  private async recover(): Promise<void> {
    const ledger = this.opts.ledger;
    const snap = ledger.lastSnapshot();
    let after = 0;
    if (snap) {
      this.restore(snap.data as MonitorSnapshot);
      after = snap.rowid;
    }
    const later = ledger.events({ after, types: ['market', 'manual', 'health'] });
    if (!snap && later.length === 0) return; // a fresh ledger
    this.replaying = true;
    try {
      for (const ev of later) {
        if (ev.type === 'manual') this.applyManual(ev.payload as ManualAction);
        else if (ev.type === 'health') {
          this.health.checkStale(ev.ts); // marks the silence as reported, as it was
          this.applyStale(ev.ts);
        } else {
          const p = ev.payload as { event?: FeedEvent; receivedAt?: number; end?: boolean };
          this.handleMarket(p);
        }
      }
    } finally {
      this.replaying = false;
    }
    if (later.length > 0) ledger.transaction(() => this.writeSnapshot());
    if (this.stepper.lastStep >= 0) {
      // the restored stepper's view has no price arrays until its next step: show it the last ones
      this.source.current(this.obs);
      const v = this.stepper.view;
      v.spot = this.obs.spot;
      v.vol = this.obs.vol;
      v.logReturn = this.obs.logReturn;
      const m = this.measure(true);
      this.pub.step(m, true);
    }
    this.pub.discard();
    await this.reconcile();
    this.resumeAfter = this.c.lastSeq;
    this.catchingUp = true;
  }

  /** Open orders against the adapter: unknown ones are sent again (same id), fills collected. */
  async reconcile(): Promise<{ resent: number; mismatch: boolean }> {
    const resent = await this.router.resendUnknown();
    const c = this.c;
    const fills = await this.router.collect(
      Number.isNaN(c.lastTs) ? 0 : c.ended ? Number.POSITIVE_INFINITY : c.lastTs,
    );
    this.pub.fills(fills);
    const mismatch = await this.positionsMismatch();
    if (mismatch)
      this.opts.ledger.transaction(() =>
        this.escalate({ timeMs: c.lastTs || 0, reconciliationMismatch: true }, `reconcile:${c.marketCount}`),
      );
    return { resent, mismatch };
  }

  /** Units of every asset of the traded book against the adapter's filled positions (no open orders). */
  positionsMismatch(): Promise<boolean> {
    const book = this.stepper.books[this.opts.trade];
    return this.router.mismatch(new Map(book.assets.map((a, i) => [a.name, book.units[i][0]])));
  }

  private writeSnapshot(): void {
    this.c.stepsSinceSnapshot = 0;
    this.opts.ledger.snapshot(this.stepper.lastStep, this.snapshotData());
  }

  private snapshotData(): MonitorSnapshot {
    return {
      counters: { ...this.c, orderTimes: [...this.c.orderTimes] },
      drivers: this.drivers.snapshot(),
      stepper: this.stepper.snapshot(),
      source: this.source.snapshot(),
      health: this.health.snapshot(),
      escalation: this.opts.escalation?.snapshot(),
      values: this.values?.map((v) => [...v]),
      trades: this.trades?.map((t) => t.map((x) => ({ ...x }))),
      plan: this.plans.last,
    };
  }

  private restore(s: MonitorSnapshot): void {
    this.c = { ...s.counters, orderTimes: [...s.counters.orderTimes] };
    this.drivers.restore(s.drivers);
    this.stepper.restore(s.stepper);
    this.source.restore(s.source);
    this.health.restore(s.health);
    if (s.escalation !== undefined) this.opts.escalation?.restore(s.escalation);
    if (this.values && s.values) this.values = s.values.map((v) => [...v]);
    if (this.trades && s.trades) this.trades = s.trades.map((t) => t.map((x) => ({ ...x })));
    this.plans.last = s.plan;
  }
}
