/**
 * Orders and fills of the live monitor, their deterministic ids, and the execution-adapter
 * interface a broker implements (the paper broker in paper-broker.ts is one; a real broker would
 * be another).
 *
 * Order ids are idempotency keys: SHA-256 of (run, feed sequence number of the event that
 * completed the step, position line, intent), so the same decision re-derived after a restart has
 * the same id, and sending it again is a no-op at the adapter and in the ledger.
 */
import { createHash } from 'node:crypto';
import type { AssetClass, AssetSpec } from '../market/asset.ts';
import type { TradeRecord } from '../portfolio/ledger.ts';
import type { Level } from './escalation/types.ts';

/** One order, decided by the engine at one step. */
export interface Order {
  readonly id: string;
  /** The live run it belongs to (the config's name). */
  readonly run: string;
  /** Feed sequence number of the event that completed the step. */
  readonly seq: number;
  readonly step: number;
  /** Feed time of the decision, ms since the epoch. */
  readonly ts: number;
  readonly kind: 'asset' | 'option' | 'forward';
  /** Contract id (the asset name for assets), e.g. `SPX put K=95 T=0.25`. */
  readonly instrument: string;
  readonly assetClass: AssetClass;
  /** Signed quantity in units of underlying (+ buy). */
  readonly qty: number;
  readonly side: 'buy' | 'sell';
  /** The quote the decision used: asset spot, option mid, forward delivery price. */
  readonly price: number;
  /** Transaction cost the cost model charges for it, currency. */
  readonly cost: number;
  /** Escalation level at which the order was decided. */
  readonly level: Level;
}

/** A fill reported by the execution adapter. */
export interface Fill {
  readonly id: string;
  readonly orderId: string;
  /** Fill time on the adapter's clock (feed time for the paper broker), ms. */
  readonly ts: number;
  readonly instrument: string;
  readonly qty: number;
  readonly price: number;
  readonly cost: number;
}

export type OrderStatus = 'unknown' | 'open' | 'filled';

/** A value now, or later (a network broker answers asynchronously; the paper broker at once). */
export type MaybePromise<T> = T | Promise<T>;

/**
 * What a broker connection offers the live monitor. Every method may answer synchronously (the
 * paper broker does, which lets a full-speed replay run without a turn of the event loop per
 * order) or with a promise (a network broker).
 */
export interface ExecutionAdapter {
  readonly name: string;
  /** Sends an order; a known id is acknowledged as a duplicate and not executed again. */
  submit(order: Order, nowMs: number): MaybePromise<{ orderId: string; duplicate: boolean }>;
  /** Fills due by `nowMs` that were not yet confirmed delivered. */
  poll(nowMs: number): MaybePromise<Fill[]>;
  /** The monitor has durably recorded these fills. */
  delivered(fillIds: readonly string[]): MaybePromise<void>;
  /** What the adapter knows about an order (reconciliation after a restart). */
  status(orderId: string): MaybePromise<OrderStatus>;
  /** Net filled quantity per instrument. */
  positions(): MaybePromise<Map<string, number>>;
  close(): void;
}

/**
 * The order id: hex SHA-256 of `run|seq|line|intent`, first 32 hex digits.
 * @example orderId('live', 12, 'SPX', 'asset:buy:0') // 32 hex digits, the same on every call
 */
export function orderId(run: string, seq: number, line: string, intent: string): string {
  return createHash('sha256').update(`${run}|${seq}|${line}|${intent}`).digest('hex').slice(0, 32);
}

/**
 * The order for one trade of the traded book (not a settlement), decided at step `i` on the event
 * with sequence number `seq`; `k` is the trade's index within the step (two trades of one contract
 * in a step — a roll — get distinct ids).
 */
export function orderFromTrade(
  rec: TradeRecord & { kind: Order['kind'] },
  ctx: {
    run: string;
    seq: number;
    i: number;
    k: number;
    ts: number;
    level: Level;
    assets: readonly AssetSpec[];
  },
): Order {
  const side = rec.qty > 0 ? 'buy' : 'sell';
  // an asset by its name; a line by its contract id, which starts with the underlying's name
  const asset =
    ctx.assets.find((x) => x.name === rec.instrument) ??
    ctx.assets.find((x) => rec.instrument.startsWith(`${x.name} `));
  return {
    id: orderId(ctx.run, ctx.seq, rec.instrument, `${rec.kind}:${side}:${ctx.i}:${ctx.k}`),
    run: ctx.run,
    seq: ctx.seq,
    step: rec.step,
    ts: ctx.ts,
    kind: rec.kind,
    instrument: rec.instrument,
    assetClass: asset?.assetClass ?? 'equity',
    qty: rec.qty,
    side,
    price: rec.price,
    cost: rec.cost,
    level: ctx.level,
  };
}
