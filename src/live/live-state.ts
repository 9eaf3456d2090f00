/**
 * The state the live monitor publishes after every step (the API streams it; `hedgekit live`
 * prints a line of it): book, Greeks, ladder, floor distance, escalation level, alerts, orders,
 * fills and the P&L attribution since the open.
 */

import { ATTRIBUTION_COMPONENTS } from '../attribution/pnl-attribution.ts';
import type { RunAttributionTracker } from '../engine/attribution-tracker.ts';
import type { MarketView } from '../market/market-view.ts';
import type { Book } from '../portfolio/book.ts';
import type { FloorState, RiskReport } from './analytics.ts';
import type { Level, Transition } from './escalation/types.ts';
import type { HealthProblem } from './feed/health.ts';
import type { Fill, Order } from './orders.ts';
import type { HedgePlanState } from './plan-recorder.ts';

export interface BookState {
  readonly value: number;
  readonly cash: number;
  /** Units held per asset. */
  readonly units: Readonly<Record<string, number>>;
  readonly lines: readonly { readonly contract: string; readonly qty: number; readonly mark: number }[];
  /** Cumulative costs, currency. */
  readonly fees: number;
}

/** An alert: a feed-health finding or an escalation transition. */
export type Alert =
  | { readonly kind: 'health'; readonly problem: HealthProblem }
  | { readonly kind: 'transition'; readonly transition: Transition };

export interface LiveState {
  readonly run: string;
  /** Feed sequence number of the last event processed. */
  readonly seq: number;
  /** Engine step (0 = inception; −1 before the first observation). */
  readonly step: number;
  readonly date: string | undefined;
  /** Feed time of the step, ms. */
  readonly ts: number;
  readonly level: Level;
  /** Spot per asset. */
  readonly spot: Readonly<Record<string, number>>;
  readonly book: BookState | undefined;
  readonly floor: FloorState | undefined;
  /** Loss under the protocol's shock, currency. */
  readonly shockedLoss: number | undefined;
  readonly risk: RiskReport | undefined;
  /** P&L attribution since the open, currency, by component (when tracked). */
  readonly attribution: Readonly<Record<string, number>> | undefined;
  /**
   * The traded strategy's last plan: its hedge solve (Greek-targeting strategies) or its last
   * rebalance, with what became of it (src/live/plan-recorder.ts); undefined before the first.
   */
  readonly plan: HedgePlanState | undefined;
  /** Orders, fills and alerts of this update. */
  readonly orders: readonly Order[];
  readonly fills: readonly Fill[];
  readonly alerts: readonly Alert[];
}

/** The state before the first observation. */
export function emptyLiveState(run: string, level: Level): LiveState {
  return {
    run,
    seq: -1,
    step: -1,
    date: undefined,
    ts: 0,
    level,
    spot: {},
    book: undefined,
    floor: undefined,
    shockedLoss: undefined,
    risk: undefined,
    attribution: undefined,
    plan: undefined,
    orders: [],
    fills: [],
    alerts: [],
  };
}

/** The step's part of the state: the book (path 0), spots, the measures and the attribution so far. */
export function stepState(
  book: Book,
  view: MarketView,
  attribution: RunAttributionTracker | undefined,
  m: { floor: FloorState; loss: number | undefined; risk: RiskReport | undefined },
): Pick<LiveState, 'step' | 'date' | 'spot' | 'book' | 'floor' | 'shockedLoss' | 'risk' | 'attribution'> {
  const assets = book.assets;
  return {
    step: view.step,
    date: view.date,
    spot: Object.fromEntries(assets.map((a, i) => [a.name, view.spot[i][0]])),
    book: {
      value: book.value[0],
      cash: book.cash[0],
      units: Object.fromEntries(assets.map((a, i) => [a.name, book.units[i][0]])),
      lines: book.lines
        .filter((l) => l.qty[0] !== 0)
        .map((l) => ({ contract: l.contractId(0), qty: l.qty[0], mark: l.greeks.price[0] })),
      fees: book.fees[0],
    },
    floor: m.floor,
    shockedLoss: m.loss,
    risk: m.risk,
    attribution: attribution
      ? Object.fromEntries(ATTRIBUTION_COMPONENTS.map((c) => [c, attribution.book.get(c)[0]]))
      : undefined,
  };
}
