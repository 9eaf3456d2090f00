import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LedgerStore } from './ledger-store.ts';

const file = () => join(mkdtempSync(join(tmpdir(), 'hk-ledger-')), 'ledger.sqlite');

describe('ledger store', () => {
  it('runs in WAL mode with synchronous=FULL', () => {
    const f = file();
    const l = new LedgerStore(f, 'run', 'fp');
    l.close();
    const db = new Database(f);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    const l2 = new LedgerStore(f, 'run', 'fp');
    // synchronous is per connection: the store sets it on every open (FULL = 2)
    expect((l2 as unknown as { db: Database.Database }).db.pragma('synchronous', { simple: true })).toBe(2);
    l2.close();
  });

  it('writes each event id once and refuses updates and deletes', () => {
    const f = file();
    const l = new LedgerStore(f, 'run', 'fp');
    expect(l.append({ id: 'm:0', type: 'market', seq: 1, ts: 5, payload: { a: 1 } })).toBe(true);
    expect(l.append({ id: 'm:0', type: 'market', seq: 1, ts: 5, payload: { a: 2 } })).toBe(false);
    expect(l.events()).toEqual([{ rowid: 1, id: 'm:0', type: 'market', seq: 1, ts: 5, payload: { a: 1 } }]);
    l.close();
    const db = new Database(f);
    expect(() => db.prepare("UPDATE events SET seq = 9 WHERE id = 'm:0'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM events').run()).toThrow(/append-only/);
    db.close();
  });

  it('keeps a transaction all or nothing', () => {
    const l = new LedgerStore(':memory:', 'run', 'fp');
    expect(() =>
      l.transaction(() => {
        l.append({ id: 'o:1', type: 'order', seq: 1, ts: 0, payload: {} });
        throw new Error('crash');
      }),
    ).toThrow('crash');
    expect(l.events()).toEqual([]);
    l.close();
  });

  it('stores snapshots with NaN and typed arrays and finds open orders', () => {
    const l = new LedgerStore(':memory:', 'run', 'fp');
    l.append({ id: 'a', type: 'order', seq: 1, ts: 0, payload: { q: 1 } });
    l.append({ id: 'b', type: 'order', seq: 2, ts: 0, payload: { q: 2 } });
    l.append({ id: 'f:a', type: 'fill', seq: 1, ts: 0, payload: {} });
    l.snapshot(4, { x: Float64Array.of(1, Number.NaN), y: Number.POSITIVE_INFINITY });
    const s = l.lastSnapshot();
    expect(s?.rowid).toBe(3);
    expect(s?.data).toEqual({ x: Float64Array.of(1, Number.NaN), y: Number.POSITIVE_INFINITY });
    expect(l.openOrders().map((o) => o.id)).toEqual(['b']);
    expect(l.counts()).toEqual({ order: 2, fill: 1 });
    l.close();
  });

  it('refuses a ledger made by another run or configuration', () => {
    const f = file();
    new LedgerStore(f, 'run', 'fp').close();
    expect(() => new LedgerStore(f, 'run', 'other')).toThrow(
      /ledger belongs to run "run" with another configuration/,
    );
  });
});
