/**
 * What the dashboard accumulates from the stream: the latest state, the value / floor / shocked
 * value and cushion series (one point per engine step), the escalation history, orders, fills,
 * alerts and feed-health counts. Plain data and functions (no DOM), unit-tested in
 * test/dashboard/model.test.ts. A state repeated for the same step (a manual action, the state sent
 * again after a reconnect) replaces that step's point instead of adding one.
 */
import type { DashAlert, DashFill, DashOrder, DashState, DashTransition, StoredEvent } from './types.ts';

/** Most rows kept per list (orders, fills, alerts, escalation history). */
export const KEEP = 500;

export interface Series {
  /** Feed time of each step, seconds since the epoch (uPlot's time axis). */
  readonly t: number[];
  readonly step: number[];
  readonly value: number[];
  readonly floor: number[];
  /** Value after the protocol's shock: value − shocked loss (null when not measured that step). */
  readonly shocked: (number | null)[];
  readonly cushionUnits: number[];
}

export interface Model {
  run: string | undefined;
  state: DashState | undefined;
  series: Series;
  /** Escalation transitions, oldest first. */
  transitions: DashTransition[];
  orders: DashOrder[];
  fills: DashFill[];
  /** Alerts, oldest first. */
  alerts: DashAlert[];
  /** Feed-health findings seen, by kind. */
  health: Record<string, number>;
  /** Stream messages received. */
  messages: number;
  /** Keys of the rows already in the lists. */
  seen: Set<string>;
  /** Set on (re)connection: the next state is the server's state now. */
  reconnected: boolean;
}

export function emptySeries(): Series {
  return { t: [], step: [], value: [], floor: [], shocked: [], cushionUnits: [] };
}

export function emptyModel(): Model {
  return {
    run: undefined,
    state: undefined,
    series: emptySeries(),
    transitions: [],
    orders: [],
    fills: [],
    alerts: [],
    health: {},
    messages: 0,
    seen: new Set(),
    reconnected: false,
  };
}

const transitionKey = (t: DashTransition) => `t:${t.timeMs}:${t.from}:${t.to}:${t.driver}:${t.reason}`;
const alertKey = (a: DashAlert) =>
  a.kind === 'transition'
    ? `a:${transitionKey(a.transition)}`
    : `a:h:${a.problem.kind}:${a.problem.seq}:${a.problem.ts}:${a.problem.detail}`;

/** Adds `item` under `key` unless seen; keeps the newest KEEP. */
function add<T>(m: Model, list: T[], key: string, item: T): void {
  if (m.seen.has(key)) return;
  m.seen.add(key);
  list.push(item);
  if (list.length > KEEP) list.splice(0, list.length - KEEP);
}

function addAlert(m: Model, a: DashAlert): void {
  const before = m.alerts.length;
  add(m, m.alerts, alertKey(a), a);
  if (a.kind === 'health' && m.alerts.length !== before)
    m.health[a.problem.kind] = (m.health[a.problem.kind] ?? 0) + 1;
  if (a.kind === 'transition') add(m, m.transitions, transitionKey(a.transition), a.transition);
}

/** Marks a (re)connection: its first state is the server's state now (see `applyState`). */
export function markConnected(m: Model): void {
  m.reconnected = true;
}

/**
 * Folds one streamed state into the model (mutates it). Another run, or — first after a
 * reconnection — a step before the chart's last point (the session was started over with a new
 * ledger), starts the model over.
 */
export function applyState(m: Model, s: DashState): void {
  const last = m.series.step.length > 0 ? m.series.step[m.series.step.length - 1] : -1;
  const rewound = m.reconnected && s.step >= 0 && s.step < last;
  m.reconnected = false;
  if ((m.run !== undefined && m.run !== s.run) || rewound) Object.assign(m, emptyModel());
  m.run = s.run;
  m.state = s;
  m.messages += 1;
  for (const o of s.orders) add(m, m.orders, `o:${o.id}`, o);
  for (const f of s.fills) add(m, m.fills, `f:${f.id}`, f);
  for (const a of s.alerts) addAlert(m, a);
  if (s.step < 0 || !s.floor) return;
  const x = m.series;
  const shocked = s.shockedLoss === undefined ? null : s.floor.value - s.shockedLoss;
  const n = x.step.length;
  if (n > 0 && x.step[n - 1] > s.step) return; // an older state than the chart's last point
  if (n > 0 && x.step[n - 1] === s.step) {
    x.value[n - 1] = s.floor.value;
    x.floor[n - 1] = s.floor.floor;
    x.shocked[n - 1] = shocked;
    x.cushionUnits[n - 1] = s.floor.cushionUnits;
    return;
  }
  x.t.push(s.ts / 1000);
  x.step.push(s.step);
  x.value.push(s.floor.value);
  x.floor.push(s.floor.floor);
  x.shocked.push(shocked);
  x.cushionUnits.push(s.floor.cushionUnits);
}

/** Folds ledger rows (`/api/history`, `/api/audit`) into the lists: what happened before the page opened. */
export function applyHistory(m: Model, events: readonly StoredEvent[]): void {
  for (const e of events) {
    if (e.type === 'order') add(m, m.orders, `o:${e.id}`, e.payload as DashOrder);
    else if (e.type === 'fill') add(m, m.fills, `f:${(e.payload as DashFill).id}`, e.payload as DashFill);
    else if (e.type === 'transition')
      addAlert(m, { kind: 'transition', transition: e.payload as DashTransition });
  }
  const byTs = <T extends { ts: number }>(a: T, b: T) => a.ts - b.ts;
  m.orders.sort(byTs);
  m.fills.sort(byTs);
  m.transitions.sort((a, b) => a.timeMs - b.timeMs);
}

/**
 * Reconnection delay after `attempt` failed or lost connections (0-based): base·2^attempt, capped
 * (exponential backoff; deterministic — one operator's page needs no jitter).
 */
export function backoffDelay(attempt: number, baseMs = 250, capMs = 8000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
}
