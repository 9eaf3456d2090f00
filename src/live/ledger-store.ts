/**
 * The live monitor's ledger: an event-sourced, crash-safe SQLite database (better-sqlite3; WAL
 * journal with synchronous=FULL, so a committed transaction survives a crash or power loss).
 *
 * - `events`: append-only (triggers refuse UPDATE and DELETE). Every row has a unique id derived
 *   from what it records (`m:<seq>` for a market event, the order id, `f:<order id>` for a fill,
 *   a hash for a transition or manual action), written with INSERT OR IGNORE: writing the same fact
 *   twice — a replay after a restart, a resent request — leaves one row.
 * - `snapshots`: the engine state (stepper, source, feed health, escalation, monitor counters) as a
 *   V8-serialized blob, with the rowid of the last event it includes. Restart = last snapshot +
 *   replay of the market events and manual actions after that rowid.
 * - `meta`: the run's name and config fingerprint (a restart with another config is refused).
 *
 * References: SQLite, "Write-Ahead Logging" and "PRAGMA synchronous" (https://sqlite.org/wal.html,
 * https://sqlite.org/pragma.html#pragma_synchronous); M. Fowler, "Event Sourcing" (2005).
 */
import { deserialize, serialize } from 'node:v8';
import Database from 'better-sqlite3';
import { ValidationError } from '../core/errors.ts';

export type LedgerEventType = 'market' | 'order' | 'fill' | 'settlement' | 'transition' | 'manual' | 'health';

/** One ledger row. `seq`: the feed sequence number it belongs to; `ts`: feed time, ms. */
export interface LedgerEvent {
  readonly id: string;
  readonly type: LedgerEventType;
  readonly seq: number;
  readonly ts: number;
  readonly payload: unknown;
}

/** A row as read back, with its position in the ledger. */
export interface StoredEvent extends LedgerEvent {
  readonly rowid: number;
}

export interface StoredSnapshot {
  readonly rowid: number;
  readonly step: number;
  readonly data: unknown;
}

export class LedgerStore {
  readonly file: string;
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly insertSnap: Database.Statement;
  private readonly maxRowid: Database.Statement;

  /**
   * Opens (creating if needed) the ledger at `file` (':memory:' for a throw-away ledger).
   * @param fingerprint the run's config fingerprint; a ledger made by another config is refused
   * @throws ValidationError (code `ledger-mismatch`) when the file belongs to another run or config
   */
  constructor(file: string, run: string, fingerprint: string) {
    this.file = file;
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS events (
        rowid INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        seq INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        payload TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS events_type ON events (type, rowid);
      CREATE TABLE IF NOT EXISTS snapshots (rowid INTEGER PRIMARY KEY, step INTEGER NOT NULL, data BLOB NOT NULL);
      CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
      CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    `);
    const meta = this.db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[];
    const m = new Map(meta.map((r) => [r.key, r.value]));
    if (m.size === 0) {
      const put = this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
      this.db.transaction(() => {
        put.run('run', run);
        put.run('fingerprint', fingerprint);
      })();
    } else if (m.get('run') !== run || m.get('fingerprint') !== fingerprint) {
      this.db.close();
      throw new ValidationError(
        file,
        `ledger belongs to run ${JSON.stringify(m.get('run'))} with another configuration; use a new store path`,
        'ledger-mismatch',
      );
    }
    this.insert = this.db.prepare(
      'INSERT OR IGNORE INTO events (id, type, seq, ts, payload) VALUES (?, ?, ?, ?, ?)',
    );
    this.insertSnap = this.db.prepare(
      'INSERT OR REPLACE INTO snapshots (rowid, step, data) VALUES (?, ?, ?)',
    );
    this.maxRowid = this.db.prepare('SELECT COALESCE(MAX(rowid), 0) AS r FROM events');
  }

  /** Runs `fn` in one transaction (all its writes or none). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** Appends an event unless its id is already there; true when a row was written. */
  append(e: LedgerEvent): boolean {
    // Positional parameters: the same row as named ones, bound without a per-row object lookup.
    return this.insert.run(e.id, e.type, e.seq, e.ts, JSON.stringify(e.payload)).changes > 0;
  }

  /** Rowid of the last event (0 when empty). */
  lastRowid(): number {
    return (this.maxRowid.get() as { r: number }).r;
  }

  /** Stores a snapshot covering every event up to the current last rowid. */
  snapshot(step: number, data: unknown): void {
    this.insertSnap.run(this.lastRowid(), step, serialize(data));
  }

  /** The most recent snapshot, if any. */
  lastSnapshot(): StoredSnapshot | undefined {
    const r = this.db.prepare('SELECT rowid, step, data FROM snapshots ORDER BY rowid DESC LIMIT 1').get() as
      | { rowid: number; step: number; data: Buffer }
      | undefined;
    return r ? { rowid: r.rowid, step: r.step, data: deserialize(r.data) } : undefined;
  }

  /** Events after `rowid`, optionally of some types only, in ledger order. */
  events(opts: { after?: number; types?: readonly LedgerEventType[]; limit?: number } = {}): StoredEvent[] {
    const types = opts.types ?? [];
    const where = types.length > 0 ? `AND type IN (${types.map(() => '?').join(', ')})` : '';
    const limit = opts.limit !== undefined ? `LIMIT ${Math.max(0, Math.floor(opts.limit))}` : '';
    const rows = this.db
      .prepare(
        `SELECT rowid, id, type, seq, ts, payload FROM events WHERE rowid > ? ${where} ORDER BY rowid ${limit}`,
      )
      .all(opts.after ?? 0, ...types) as {
      rowid: number;
      id: string;
      type: LedgerEventType;
      seq: number;
      ts: number;
      payload: string;
    }[];
    return rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as unknown }));
  }

  /** The last `n` events of some types, oldest first. */
  tail(n: number, types: readonly LedgerEventType[] = []): StoredEvent[] {
    const where = types.length > 0 ? `WHERE type IN (${types.map(() => '?').join(', ')})` : '';
    const rows = this.db
      .prepare(`SELECT rowid, id, type, seq, ts, payload FROM events ${where} ORDER BY rowid DESC LIMIT ?`)
      .all(...types, Math.max(0, Math.floor(n))) as {
      rowid: number;
      id: string;
      type: LedgerEventType;
      seq: number;
      ts: number;
      payload: string;
    }[];
    return rows.reverse().map((r) => ({ ...r, payload: JSON.parse(r.payload) as unknown }));
  }

  /** The event with this id, if recorded. */
  get(id: string): StoredEvent | undefined {
    const r = this.db.prepare('SELECT rowid, id, type, seq, ts, payload FROM events WHERE id = ?').get(id) as
      | { rowid: number; id: string; type: LedgerEventType; seq: number; ts: number; payload: string }
      | undefined;
    return r ? { ...r, payload: JSON.parse(r.payload) as unknown } : undefined;
  }

  /** Whether an event id is recorded. */
  has(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM events WHERE id = ?').get(id) !== undefined;
  }

  /** Orders without a recorded fill, in ledger order (their payloads). */
  openOrders(): StoredEvent[] {
    const rows = this.db
      .prepare(
        `SELECT o.rowid, o.id, o.type, o.seq, o.ts, o.payload FROM events o
         WHERE o.type = 'order' AND NOT EXISTS (SELECT 1 FROM events f WHERE f.id = 'f:' || o.id) ORDER BY o.rowid`,
      )
      .all() as {
      rowid: number;
      id: string;
      type: LedgerEventType;
      seq: number;
      ts: number;
      payload: string;
    }[];
    return rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as unknown }));
  }

  /** Rows per type. */
  counts(): Record<string, number> {
    const rows = this.db.prepare('SELECT type, COUNT(*) AS n FROM events GROUP BY type').all() as {
      type: string;
      n: number;
    }[];
    return Object.fromEntries(rows.map((r) => [r.type, r.n]));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
