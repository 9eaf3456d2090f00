/**
 * The run store's SQLite schema. One file; `PRAGMA application_id` marks it as hedgekit's and
 * `PRAGMA user_version` holds the schema version, checked on every open: a newer version is
 * refused (never read or written by an older hedgekit), an older one is migrated in a transaction.
 *
 * Tables: `runs` (one row per run: scenario text and hash, version, code hash, seed, times, the
 * scenario result as compressed JSON), `metrics` (every metric per market × strategy, one row
 * each, the name interned in `metric_names`: queryable, what `runs diff` compares), `series` (kept value paths and report detail as
 * compact Float32/Float64 BLOBs) and `trades` (kept ledgers, one row per trade).
 */

/**
 * The schema version this hedgekit writes and reads (`PRAGMA user_version`). 2 added the sweeps
 * (schema-migrations.ts); a version-1 store is migrated when opened.
 */
export const STORE_SCHEMA_VERSION = 2;

/** `PRAGMA application_id` of a hedgekit run store: 'HDGK' as a 32-bit big-endian integer. */
export const STORE_APPLICATION_ID = 0x4844474b;

/** DDL of schema version 1 (run in one transaction on a new file). */
export const SCHEMA_V1 = `
CREATE TABLE runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  scenario_file TEXT,
  scenario_text TEXT NOT NULL,
  scenario_hash TEXT NOT NULL,
  version TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  seed INTEGER NOT NULL,
  options TEXT NOT NULL,
  started_at TEXT NOT NULL,
  ended_at TEXT NOT NULL,
  result BLOB NOT NULL
);
CREATE TABLE metric_names (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);
CREATE TABLE metrics (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  market INTEGER NOT NULL,
  strategy INTEGER NOT NULL,
  metric INTEGER NOT NULL REFERENCES metric_names(id),
  value REAL,
  PRIMARY KEY (run_id, market, strategy, metric)
) WITHOUT ROWID;
CREATE TABLE series (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  market INTEGER NOT NULL,
  strategy INTEGER NOT NULL,
  name TEXT NOT NULL,
  dtype TEXT NOT NULL CHECK (dtype IN ('f32', 'f64')),
  data BLOB NOT NULL,
  PRIMARY KEY (run_id, market, strategy, name)
) WITHOUT ROWID;
CREATE TABLE trades (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  market INTEGER NOT NULL,
  strategy INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  path INTEGER NOT NULL,
  step INTEGER NOT NULL,
  t REAL NOT NULL,
  kind TEXT NOT NULL,
  instrument TEXT NOT NULL,
  qty REAL NOT NULL,
  price REAL NOT NULL,
  cost REAL NOT NULL,
  PRIMARY KEY (run_id, market, strategy, seq)
) WITHOUT ROWID;
`;
