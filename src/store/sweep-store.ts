/**
 * Sweeps in the run store (schema 2, schema-migrations.ts): `hedgekit sweep` saves its merged
 * result — the sweep file's text and hash, the base scenario's text and hash, version, code hash,
 * seed, start and end, every metric of every parameter point × market × strategy and the frontier
 * marks — in ONE transaction, so an interrupted or failed save leaves no half-written sweep. A
 * sweep shares the runs' ids (`hedgekit runs` lists both, with their kind).
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { SweepResult } from '../sweep/merge.ts';
import { finiteReplacer, finiteReviver } from './json-numbers.ts';
import { metricRows } from './metric-rows.ts';
import { codeHash, hedgekitVersion, scenarioHash } from './provenance.ts';
import {
  type Row,
  type RunStore,
  type RunSummary,
  type SaveHooks,
  SUMMARY_COLUMNS,
  toSummary,
} from './run-store.ts';
import { StoreError } from './store-error.ts';

/** Where the shards of a sweep were computed. */
export type SweepMode = 'local' | 'queue';

/** What {@link saveSweep} writes. */
export interface NewSweep {
  /** The sweep file (absolute path). */
  readonly sweepFile?: string | undefined;
  readonly sweepText: string;
  /** The base scenario file and its text. */
  readonly scenarioFile?: string | undefined;
  readonly scenarioText: string;
  /** The seed of the points' scenarios (the base's, or the sweep file's `seed`). */
  readonly seed: number;
  /** V₀ of each parameter point (by point index): the report's 20th-percentile loss needs it. */
  readonly initialValues: readonly number[];
  readonly mode: SweepMode;
  /** The options it was run with (threads, queue). */
  readonly options: Readonly<Record<string, unknown>>;
  readonly startedAt: Date;
  readonly endedAt: Date;
  readonly result: SweepResult;
  /** Defaults: this hedgekit's version and code hash. */
  readonly version?: string;
  readonly codeHash?: string;
}

/** A stored sweep, read back whole. */
export interface StoredSweep extends RunSummary {
  readonly sweepFile: string | null;
  readonly sweepText: string;
  /** SHA-256 (hex) of the sweep file's text. */
  readonly sweepHash: string;
  readonly scenarioText: string;
  readonly initialValues: readonly number[];
  readonly mode: SweepMode;
  readonly options: Readonly<Record<string, unknown>>;
  /** The merged sweep result, as `hedgekit sweep --json` printed it. */
  readonly result: SweepResult;
}

/**
 * Saves a finished sweep in one transaction and returns its id (shared with runs).
 * @throws StoreError when the store cannot be written (nothing of the sweep is then visible)
 * @example saveSweep(store, { sweepText, scenarioText, seed: 7, initialValues: [100], mode: 'local', options: {}, startedAt, endedAt, result }) // 3
 */
export function saveSweep(store: RunStore, s: NewSweep, hooks: SaveHooks = {}): number {
  const r = s.result;
  if (s.initialValues.length < r.points.length)
    throw new StoreError(store.file, `sweep "${r.name}": initialValues has fewer entries than points`);
  const blob = gzipSync(JSON.stringify(r, finiteReplacer));
  return store.useDb((db) =>
    db.transaction(() => {
      const info = db
        .prepare(
          `INSERT INTO runs (kind, name, scenario_file, scenario_text, scenario_hash, version, code_hash, seed, options, started_at, ended_at, result)
           VALUES ('sweep', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          r.name,
          s.scenarioFile ?? r.scenario,
          s.scenarioText,
          scenarioHash(s.scenarioText),
          s.version ?? hedgekitVersion(),
          s.codeHash ?? codeHash(),
          s.seed,
          JSON.stringify(s.options),
          s.startedAt.toISOString(),
          s.endedAt.toISOString(),
          blob,
        );
      const id = Number(info.lastInsertRowid);
      hooks.afterRunRow?.(id);
      db.prepare(
        `INSERT INTO sweeps (run_id, sweep_file, sweep_text, sweep_text_hash, plan_hash, parameters, risk, reward, shard_paths, mode)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        id,
        s.sweepFile ?? null,
        s.sweepText,
        scenarioHash(s.sweepText),
        r.hash,
        JSON.stringify(r.parameters),
        r.frontier.risk,
        r.frontier.reward,
        r.shardPaths,
        s.mode,
      );
      const point = db.prepare(
        'INSERT INTO sweep_points (run_id, point, point_values, initial_value) VALUES (?, ?, ?, ?)',
      );
      for (const p of r.points) point.run(id, p.index, JSON.stringify(p.values), s.initialValues[p.index]);
      const row = db.prepare(
        'INSERT INTO sweep_rows (run_id, row, point, market, strategy, kind, paths, benchmark, frontier) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      const metric = db.prepare('INSERT INTO sweep_metrics (run_id, row, metric, value) VALUES (?, ?, ?, ?)');
      const names = new Map<string, number>();
      for (const n of db.prepare('SELECT id, name FROM metric_names').all() as { id: number; name: string }[])
        names.set(n.name, n.id);
      const addName = db.prepare('INSERT INTO metric_names (name) VALUES (?)');
      const nameId = (k: string): number => {
        let n = names.get(k);
        if (n === undefined) names.set(k, (n = Number(addName.run(k).lastInsertRowid)));
        return n;
      };
      r.rows.forEach((x, i) => {
        row.run(
          id,
          i,
          x.point,
          x.market,
          x.strategy,
          x.kind,
          x.paths,
          x.benchmark ? 1 : 0,
          x.frontier ? 1 : 0,
        );
        for (const [k, v] of metricRows(x)) metric.run(id, i, nameId(k), Number.isNaN(v) ? null : v);
      });
      return id;
    })(),
  );
}

/**
 * Reads a stored sweep back.
 * @throws StoreError `run N: not found`; `store-kind` when N is a scenario run
 */
export function getSweep(store: RunStore, id: number): StoredSweep {
  return store.useDb((db) => {
    const row = db
      .prepare(`SELECT ${SUMMARY_COLUMNS}, scenario_text, options, result FROM runs WHERE id = ?`)
      .get(id) as (Row & { scenario_text: string; options: string; result: Buffer }) | undefined;
    if (!row)
      throw new StoreError(
        store.file,
        `run ${id}: not found (hedgekit runs lists the stored runs)`,
        'store-not-found',
      );
    if (row.kind !== 'sweep')
      throw new StoreError(
        store.file,
        `run ${id} is a scenario run, not a sweep (hedgekit runs show ${id} prints it)`,
        'store-kind',
      );
    const sw = db
      .prepare('SELECT sweep_file, sweep_text, sweep_text_hash, mode FROM sweeps WHERE run_id = ?')
      .get(id) as
      | { sweep_file: string | null; sweep_text: string; sweep_text_hash: string; mode: SweepMode }
      | undefined;
    // Saved in one transaction with its runs row: a missing sweeps row is a damaged file.
    if (!sw)
      throw new StoreError(
        store.file,
        `run ${id}: the sweep's records are missing (damaged store)`,
        'store-corrupt',
      );
    const initialValues: number[] = [];
    for (const p of db
      .prepare('SELECT point, initial_value FROM sweep_points WHERE run_id = ? ORDER BY point')
      .all(id) as { point: number; initial_value: number }[])
      initialValues[p.point] = p.initial_value;
    return {
      ...toSummary(row),
      sweepFile: sw.sweep_file,
      sweepText: sw.sweep_text,
      sweepHash: sw.sweep_text_hash,
      scenarioText: row.scenario_text,
      initialValues,
      mode: sw.mode,
      options: JSON.parse(row.options) as Record<string, unknown>,
      result: JSON.parse(gunzipSync(row.result).toString('utf8'), finiteReviver) as SweepResult,
    };
  });
}

/**
 * Every metric row of a stored sweep, from its `sweep_metrics` table: row index (the order of
 * {@link SweepResult.rows}) → (metric → value; NaN for NULL).
 */
export function sweepMetrics(store: RunStore, id: number): Map<number, Map<string, number>> {
  return store.useDb((db) => {
    const out = new Map<number, Map<string, number>>();
    for (const r of db
      .prepare(
        'SELECT m.row, n.name AS metric, m.value FROM sweep_metrics m JOIN metric_names n ON n.id = m.metric WHERE m.run_id = ? ORDER BY m.row, m.metric',
      )
      .all(id) as { row: number; metric: string; value: number | null }[]) {
      let m = out.get(r.row);
      if (!m) out.set(r.row, (m = new Map()));
      m.set(r.metric, r.value ?? Number.NaN);
    }
    return out;
  });
}
