/**
 * Migrations of the run store's schema, one per version after the first: `MIGRATIONS[v]` takes a
 * store of version v − 1 to version v. A new store runs SCHEMA_V1 and then every migration, so a
 * fresh file and a migrated one have the same tables. Each opening runs the missing ones in one
 * transaction with the `user_version` bump: a migration interrupted half-way leaves the file at its
 * old version, whole.
 *
 * Version 2 (sweeps, `hedgekit sweep`): `runs.kind` ('run' | 'sweep': sweeps share the runs' ids,
 * so `hedgekit runs` lists both and `runs rm` removes either); a sweep's row in `runs` holds the
 * base scenario's text and hash, version, code hash, seed, times and the merged sweep result
 * (gzipped JSON); `sweeps` the sweep file's text and hash, its plan hash, parameters and frontier;
 * `sweep_points` every parameter point's values and V₀; `sweep_rows` one row per point × market ×
 * strategy with its frontier mark; `sweep_metrics` every metric of every row (names interned in
 * `metric_names`, NULL = undefined), what `runs diff` compares.
 */

/** DDL by target version (run in order, inside the opening transaction). */
export const MIGRATIONS: Readonly<Record<number, string>> = {
  2: `
ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'run' CHECK (kind IN ('run', 'sweep'));
CREATE TABLE sweeps (
  run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  sweep_file TEXT,
  sweep_text TEXT NOT NULL,
  sweep_text_hash TEXT NOT NULL,
  plan_hash TEXT NOT NULL,
  parameters TEXT NOT NULL,
  risk TEXT NOT NULL,
  reward TEXT NOT NULL,
  shard_paths INTEGER NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('local', 'queue'))
);
CREATE TABLE sweep_points (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  point INTEGER NOT NULL,
  point_values TEXT NOT NULL,
  initial_value REAL NOT NULL,
  PRIMARY KEY (run_id, point)
) WITHOUT ROWID;
CREATE TABLE sweep_rows (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  row INTEGER NOT NULL,
  point INTEGER NOT NULL,
  market TEXT NOT NULL,
  strategy TEXT NOT NULL,
  kind TEXT NOT NULL,
  paths INTEGER NOT NULL,
  benchmark INTEGER NOT NULL CHECK (benchmark IN (0, 1)),
  frontier INTEGER NOT NULL CHECK (frontier IN (0, 1)),
  PRIMARY KEY (run_id, row)
) WITHOUT ROWID;
CREATE TABLE sweep_metrics (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  row INTEGER NOT NULL,
  metric INTEGER NOT NULL REFERENCES metric_names(id),
  value REAL,
  PRIMARY KEY (run_id, row, metric)
) WITHOUT ROWID;
`,
};

/**
 * Runs the migrations from version `from` (exclusive) up to `to` (inclusive) on an open database,
 * in the caller's transaction.
 * @throws Error when a version in between has no migration (a bug: every bump adds one)
 */
export function migrate(db: { exec(sql: string): unknown }, from: number, to: number): void {
  for (let v = from + 1; v <= to; v++) {
    const ddl = MIGRATIONS[v];
    if (ddl === undefined) throw new Error(`run store schema ${v}: no migration from ${v - 1}`);
    db.exec(ddl);
  }
}
