/**
 * The state the live monitor publishes after every step (the API streams it; `hedgekit live`
 * prints a line of it): book, Greeks, ladder, floor distance, escalation level, alerts, orders,
 * fills and the P&L attribution since the open.
 */

import type { FloorState, RiskReport } from './analytics.ts';
import type { Level, Transition } from './escalation/types.ts';
import type { HealthProblem } from './feed/health.ts';
import type { Fill, Order } from './orders.ts';

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
  /** Orders, fills and alerts of this update. */
  readonly orders: readonly Order[];
  readonly fills: readonly Fill[];
  readonly alerts: readonly Alert[];
}
