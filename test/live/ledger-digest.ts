/**
 * What must be identical between an uninterrupted live run and one killed and restarted: every
 * ledger row (by id: type, sequence, time, payload — the machine's receive time left out), the
 * final engine state (stepper and escalation snapshots, monitor counters) and the paper broker's
 * positions and fills.
 */
import { deserialize } from 'node:v8';
import Database from 'better-sqlite3';

export interface LedgerDigest {
  readonly rows: Record<string, [string, number, number, unknown][]>;
  /** Order and transition ids in ledger order (each written once, so the order is the decision order). */
  readonly decisions: string[];
  readonly final: unknown;
  readonly broker: { positions: [string, number][]; fills: unknown[] };
}

function stripReceived(type: string, payload: unknown): unknown {
  if (type !== 'market' || payload === null || typeof payload !== 'object') return payload;
  const { receivedAt: _r, ...rest } = payload as Record<string, unknown>;
  return rest;
}

export function ledgerDigest(store: string, brokerStore = `${store}.broker`): LedgerDigest {
  const db = new Database(store, { readonly: true });
  const events = db.prepare('SELECT id, type, seq, ts, payload FROM events ORDER BY rowid').all() as {
    id: string;
    type: string;
    seq: number;
    ts: number;
    payload: string;
  }[];
  const snap = db.prepare('SELECT data FROM snapshots ORDER BY rowid DESC LIMIT 1').get() as
    | { data: Buffer }
    | undefined;
  db.close();
  const rows: LedgerDigest['rows'] = {};
  for (const e of events)
    (rows[e.type] ??= []).push([e.id, e.seq, e.ts, stripReceived(e.type, JSON.parse(e.payload))]);
  for (const list of Object.values(rows)) list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const decisions = events.filter((e) => e.type === 'order' || e.type === 'transition').map((e) => e.id);
  const data = snap ? (deserialize(snap.data) as Record<string, unknown>) : undefined;
  const final = data && {
    counters: data.counters,
    stepper: data.stepper,
    escalation: data.escalation,
    source: data.source,
  };
  const bdb = new Database(brokerStore, { readonly: true });
  const positions = bdb
    .prepare('SELECT instrument, SUM(qty) AS q FROM fills GROUP BY instrument ORDER BY instrument')
    .all() as {
    instrument: string;
    q: number;
  }[];
  const fills = bdb
    .prepare('SELECT id, order_id, ts, instrument, qty, price, cost FROM fills ORDER BY id')
    .all();
  bdb.close();
  return { rows, decisions, final, broker: { positions: positions.map((p) => [p.instrument, p.q]), fills } };
}
