/**
 * The paper broker: an execution adapter that fills every order at the quote it was decided on,
 * with the cost model's charges — assets and forwards pay |qty|·price·bps of their class (the
 * same rule as src/portfolio/execute.ts), options the spread and fees the order carries (priced by
 * the engine's cost model through the option's vega) — after a configurable latency on the
 * caller's clock (feed time in replays, so fills are deterministic). Each order id is executed once:
 * a resend is acknowledged as a duplicate.
 *
 * With a `store` path its orders and fills live in their own SQLite file (WAL, synchronous=FULL):
 * it plays an external venue that survives the monitor's crash, which restart reconciliation asks.
 */
import Database from 'better-sqlite3';
import type { CostModel } from '../portfolio/costs.ts';
import type { ExecutionAdapter, Fill, Order, OrderStatus } from './orders.ts';

export interface PaperBrokerOptions {
  readonly costs: CostModel;
  /** Delay between an order and its fill, ms of the caller's clock (default 0). */
  readonly latencyMs?: number;
  /** SQLite file for the broker's own state (default: in memory only). */
  readonly store?: string | undefined;
}

/** The fill the paper broker gives an order (module header for the cost rule). */
export function paperFill(order: Order, costs: CostModel, latencyMs: number): Fill {
  const cost =
    order.kind === 'option'
      ? order.cost
      : Math.abs(order.qty) * order.price * (costs.bps[order.assetClass] * 1e-4);
  return {
    id: `f:${order.id}`,
    orderId: order.id,
    ts: order.ts + latencyMs,
    instrument: order.instrument,
    qty: order.qty,
    price: order.price,
    cost,
  };
}

export class PaperBroker implements ExecutionAdapter {
  readonly name = 'paper';
  private readonly db: Database.Database;
  private readonly costs: CostModel;
  private readonly latency: number;
  private readonly stmts: {
    insertOrder: Database.Statement;
    insertFill: Database.Statement;
    due: Database.Statement;
    deliver: Database.Statement;
    orderById: Database.Statement;
    fillByOrder: Database.Statement;
    positions: Database.Statement;
    firstDue: Database.Statement;
  };
  /**
   * The earliest time an undelivered fill falls due (∞: none): `poll` before it has nothing to
   * return and asks SQLite nothing (a full-speed replay polls after every tick).
   */
  private nextDue = Number.POSITIVE_INFINITY;

  constructor(opts: PaperBrokerOptions) {
    this.costs = opts.costs;
    this.latency = opts.latencyMs ?? 0;
    this.db = new Database(opts.store ?? ':memory:');
    if (opts.store) {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
    }
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS orders (id TEXT PRIMARY KEY, payload TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS fills (id TEXT PRIMARY KEY, order_id TEXT NOT NULL UNIQUE, ts INTEGER NOT NULL,
        instrument TEXT NOT NULL, qty REAL NOT NULL, price REAL NOT NULL, cost REAL NOT NULL,
        delivered INTEGER NOT NULL DEFAULT 0);
      CREATE INDEX IF NOT EXISTS fills_due ON fills (ts) WHERE delivered = 0;
    `);
    this.stmts = {
      insertOrder: this.db.prepare('INSERT OR IGNORE INTO orders (id, payload) VALUES (?, ?)'),
      insertFill: this.db.prepare(
        'INSERT OR IGNORE INTO fills (id, order_id, ts, instrument, qty, price, cost) VALUES (@id, @orderId, @ts, @instrument, @qty, @price, @cost)',
      ),
      due: this.db.prepare(
        'SELECT id, order_id AS orderId, ts, instrument, qty, price, cost FROM fills WHERE delivered = 0 AND ts <= ? ORDER BY rowid',
      ),
      deliver: this.db.prepare('UPDATE fills SET delivered = 1 WHERE id = ?'),
      orderById: this.db.prepare('SELECT 1 FROM orders WHERE id = ?'),
      fillByOrder: this.db.prepare('SELECT ts FROM fills WHERE order_id = ?'),
      positions: this.db.prepare('SELECT instrument, SUM(qty) AS qty FROM fills GROUP BY instrument'),
      firstDue: this.db.prepare('SELECT MIN(ts) AS ts FROM fills WHERE delivered = 0'),
    };
    this.refreshNextDue();
  }

  submit(order: Order, _nowMs: number): { orderId: string; duplicate: boolean } {
    const fill = paperFill(order, this.costs, this.latency);
    const duplicate = this.db.transaction(() => {
      const r = this.stmts.insertOrder.run(order.id, JSON.stringify(order));
      if (r.changes === 0) return true;
      this.stmts.insertFill.run(fill);
      if (fill.ts < this.nextDue) this.nextDue = fill.ts;
      return false;
    })();
    return { orderId: order.id, duplicate };
  }

  poll(nowMs: number): Fill[] {
    if (!(nowMs >= this.nextDue)) return [];
    return this.stmts.due.all(nowMs) as Fill[];
  }

  delivered(fillIds: readonly string[]): void {
    this.db.transaction(() => {
      for (const id of fillIds) this.stmts.deliver.run(id);
    })();
    this.refreshNextDue();
  }

  private refreshNextDue(): void {
    const r = this.stmts.firstDue.get() as { ts: number | null };
    this.nextDue = r.ts ?? Number.POSITIVE_INFINITY;
  }

  status(orderId: string): OrderStatus {
    if (!this.stmts.orderById.get(orderId)) return 'unknown';
    return this.stmts.fillByOrder.get(orderId) ? 'filled' : 'open';
  }

  positions(): Map<string, number> {
    const rows = this.stmts.positions.all() as { instrument: string; qty: number }[];
    return new Map(rows.map((r) => [r.instrument, r.qty]));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
