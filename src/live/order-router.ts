/**
 * The monitor's side of the execution adapter: orders recorded in the ledger wait here until their
 * transaction has committed (write-ahead: no broker sees an order the ledger could lose), then go
 * out; due fills are recorded in the ledger and only then confirmed delivered to the adapter (a
 * crash in between makes the adapter deliver them again, and INSERT OR IGNORE keeps one row).
 * After a restart, `resendUnknown` sends again, under the same ids, the ledger's open orders the
 * adapter never saw.
 */
import { DomainError } from '../core/errors.ts';
import type { LedgerStore } from './ledger-store.ts';
import type { ExecutionAdapter, Fill, MaybePromise, Order } from './orders.ts';

/** The value of an adapter's answer that must be synchronous. */
function now<T>(x: MaybePromise<T>): T {
  if (x instanceof Promise)
    throw new DomainError('adapter', 'async', 'must answer synchronously for batched processing');
  return x;
}

export class OrderRouter {
  private pending: Order[] = [];
  /** Feed sequence number of each order sent and not yet filled (the fill rows carry it). */
  private readonly seqs = new Map<string, number>();

  constructor(
    private readonly adapter: ExecutionAdapter,
    private readonly ledger: LedgerStore,
  ) {}

  /** An order just recorded (in a transaction not yet committed): sent by the next `flush`. */
  queue(order: Order): void {
    this.pending.push(order);
    this.seqs.set(order.id, order.seq);
  }

  /** After the commit: sends the queued orders, records the fills due by `nowTs`; returns them. */
  async flush(nowTs: number): Promise<Fill[]> {
    const orders = this.pending;
    this.pending = [];
    for (const o of orders) await this.adapter.submit(o, o.ts);
    return this.collect(nowTs);
  }

  /** `flush` for an adapter that answers synchronously (the paper broker). */
  flushSync(nowTs: number): Fill[] {
    const orders = this.pending;
    this.pending = [];
    for (const o of orders) now(this.adapter.submit(o, o.ts));
    const fills = now(this.adapter.poll(nowTs));
    if (fills.length === 0) return fills;
    this.record(fills);
    now(this.adapter.delivered(fills.map((f) => f.id)));
    return fills;
  }

  /** Records the fills due by `nowTs`; returns them. */
  async collect(nowTs: number): Promise<Fill[]> {
    const fills = await this.adapter.poll(nowTs);
    if (fills.length === 0) return fills;
    this.record(fills);
    await this.adapter.delivered(fills.map((f) => f.id));
    return fills;
  }

  /** Sends again the ledger's open orders that the adapter does not know; returns how many. */
  async resendUnknown(): Promise<number> {
    let resent = 0;
    for (const row of this.ledger.openOrders()) {
      const o = row.payload as Order;
      if ((await this.adapter.status(o.id)) === 'unknown') {
        await this.adapter.submit(o, o.ts);
        resent++;
      }
    }
    return resent;
  }

  /**
   * Whether the adapter's filled positions differ from `units` (asset name → units held), checked
   * only when no order is open (relative tolerance 1e-9).
   */
  async mismatch(units: ReadonlyMap<string, number>): Promise<boolean> {
    if (this.ledger.openOrders().length > 0) return false;
    const pos = await this.adapter.positions();
    for (const [name, u] of units)
      if (Math.abs((pos.get(name) ?? 0) - u) > 1e-9 * Math.max(1, Math.abs(u))) return true;
    return false;
  }

  private record(fills: readonly Fill[]): void {
    this.ledger.transaction(() => {
      for (const f of fills) {
        const seq = this.seqs.get(f.orderId) ?? this.ledger.get(f.orderId)?.seq ?? -1;
        this.seqs.delete(f.orderId);
        this.ledger.append({ id: f.id, type: 'fill', seq, ts: f.ts, payload: f });
      }
    });
  }
}
