/**
 * The live monitor's state updates: collects a step's orders, fills and alerts, builds the full
 * state (book lines, attribution, …) only when someone reads it, and delivers updates to listeners
 * after the ledger commit — one per step (several steps can complete on one event, e.g. a held
 * print confirmed), in order, then one for what came after the last step (fills, actions).
 */
import type { FloorState, RiskReport } from './analytics.ts';
import type { Alert, LiveState } from './live-state.ts';
import type { Fill, Order } from './orders.ts';

export type Listener = (state: LiveState) => void;

/** A step's measures (the Greeks and ladder are kept from the last step that computed them). */
export interface StepMeasures {
  readonly floor: FloorState;
  readonly loss: number | undefined;
  readonly risk: RiskReport | undefined;
}

/** What the publisher reads from the monitor when it builds a state. */
export interface StateSource {
  /** The step's part of the state (stepState in live-state.ts) for these measures. */
  stepPart(m: StepMeasures): Partial<LiveState>;
  /** Sequence number, feed time and level now. */
  head(): Pick<LiveState, 'seq' | 'ts' | 'level'>;
}

export class StatePublisher {
  private readonly listeners = new Set<Listener>();
  private last: LiveState;
  private update: { orders: Order[]; fills: Fill[]; alerts: Alert[] } = { orders: [], fills: [], alerts: [] };
  private queued: LiveState[] = [];
  private dirty = false;
  private stale = false;
  private measures: StepMeasures | undefined;

  constructor(
    initial: LiveState,
    private readonly src: StateSource,
  ) {
    this.last = initial;
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  order(o: Order): void {
    this.update.orders.push(o);
  }

  fills(f: readonly Fill[]): void {
    this.update.fills.push(...f);
  }

  alert(a: Alert): void {
    this.update.alerts.push(a);
  }

  /** A step was taken (not published while `silent`, e.g. replaying the ledger). */
  step(m: StepMeasures, silent: boolean): void {
    this.dirty = true;
    this.measures = { ...m, risk: m.risk ?? this.measures?.risk };
    this.stale = true;
    if (this.listeners.size > 0 && !silent) {
      const update = this.take();
      this.queued.push({ ...this.current(), ...update });
    }
  }

  /** After the commit: the queued step updates, then the rest if anything changed. */
  flush(): void {
    const queued = this.queued;
    this.queued = [];
    for (const st of queued) {
      this.last = st;
      for (const l of this.listeners) l(st);
    }
    if (this.dirty || this.update.orders.length + this.update.fills.length + this.update.alerts.length > 0)
      this.publish(false);
  }

  /** Publishes what is pending now (nothing reaches listeners while `silent`). */
  publish(silent: boolean): void {
    const update = this.take();
    if (silent) return;
    if (this.listeners.size === 0) {
      this.last = { ...this.last, ...update };
      return;
    }
    this.last = { ...this.current(), ...update };
    for (const l of this.listeners) l(this.last);
  }

  /** Forgets what is pending (after a restart's replay, which published nothing). */
  discard(): void {
    this.take();
  }

  /** The state now (built if a step happened since it was last built). */
  current(): LiveState {
    if (this.stale && this.measures) {
      this.stale = false;
      this.last = { ...this.last, ...this.src.stepPart(this.measures) };
    }
    return { ...this.last, ...this.src.head() };
  }

  private take(): { orders: Order[]; fills: Fill[]; alerts: Alert[] } {
    const u = this.update;
    this.update = { orders: [], fills: [], alerts: [] };
    this.dirty = false;
    return u;
  }
}
