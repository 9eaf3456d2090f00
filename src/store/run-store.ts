/**
 * The run store: every `hedgekit run` saved in one SQLite file (better-sqlite3), one transaction
 * per run, so a run interrupted half-way (a crash, Ctrl-C, a full disk) leaves no half-written run
 * visible: SQLite's journal rolls the open transaction back on the next open.
 *
 * Opening checks that the file is a hedgekit store (`PRAGMA application_id`) of a schema this
 * hedgekit knows (`PRAGMA user_version`): a file of another program, a corrupt file or a newer
 * schema raises a {@link StoreError} naming the file and the reason, and the file is left as it
 * was. Later SQLite errors that mean corruption are mapped to the same error.
 *
 * Why SQLite and not DuckDB: the store's work is small transactional writes (one run ≈ 6,500 metric
 * rows and a few hundred kB of BLOBs) and point reads; SQLite does both in milliseconds with
 * crash-safe transactions in one file. Measurements: docs/run-store.md.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import type { TradeRecord } from '../portfolio/ledger.ts';
import type { ScenarioResult } from '../scenario/run.ts';
import { finiteReplacer, finiteReviver } from './json-numbers.ts';
import { metricRows } from './metric-rows.ts';
import { codeHash, hedgekitVersion, scenarioHash } from './provenance.ts';
import { SCHEMA_V1, STORE_APPLICATION_ID, STORE_SCHEMA_VERSION } from './schema.ts';
import { migrate } from './schema-migrations.ts';
import { StoreError } from './store-error.ts';

/** A numeric series kept with a run (value paths: Float64; report detail: Float32). */
export interface SeriesEntry {
  readonly market: number;
  /** Strategy index within the market, or −1 for series of the market itself. */
  readonly strategy: number;
  readonly name: string;
  readonly data: Float32Array | Float64Array;
}

/** What `save` writes. */
export interface NewRun {
  readonly scenarioFile?: string | undefined;
  readonly scenarioText: string;
  /** The options the run was made with (paths, seed overrides, attribution). */
  readonly options: Readonly<Record<string, unknown>>;
  readonly startedAt: Date;
  readonly endedAt: Date;
  readonly result: ScenarioResult;
  readonly series?: readonly SeriesEntry[];
  /** Defaults: this hedgekit's version and code hash. */
  readonly version?: string;
  readonly codeHash?: string;
}

/** What a stored record is: a scenario run or a parameter sweep (they share the ids). */
export type StoredKind = 'run' | 'sweep';

/** One line of `hedgekit runs`. */
export interface RunSummary {
  readonly id: number;
  readonly kind: StoredKind;
  readonly name: string;
  readonly scenarioFile: string | null;
  readonly scenarioHash: string;
  readonly version: string;
  readonly codeHash: string;
  readonly seed: number;
  readonly startedAt: string;
  readonly endedAt: string;
}

/** A stored run, read back whole. */
export interface StoredRun extends RunSummary {
  readonly scenarioText: string;
  readonly options: Readonly<Record<string, unknown>>;
  /** The scenario result with its value paths and ledgers restored. */
  readonly result: ScenarioResult;
  /** Series by `market/strategy/name`. */
  readonly series: ReadonlyMap<string, Float32Array | Float64Array>;
}

/** `market/strategy/name`: the key of a series in {@link StoredRun.series}. */
export function seriesKey(market: number, strategy: number, name: string): string {
  return `${market}/${strategy}/${name}`;
}

/** A prepared statement, as far as the sweep records use one (better-sqlite3's `Statement`). */
export interface StoreStatement {
  run(...params: unknown[]): { lastInsertRowid: number | bigint; changes: number };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

/**
 * The database, as far as the sweep records use it (better-sqlite3's `Database`, structurally: the
 * shipped declarations name no better-sqlite3 type, whose @types are a development dependency).
 */
export interface StoreDb {
  prepare(sql: string): StoreStatement;
  transaction<T>(f: () => T): () => T;
}

/** Test hook: called inside the save transaction after the run row, before the rest. */
export interface SaveHooks {
  afterRunRow?(id: number): void;
}

// JSON cannot hold NaN or ±Infinity: they travel as {"$f": "NaN"} and come back as numbers.
const replacer = finiteReplacer;
const reviver = finiteReviver;

const CORRUPT = new Set([
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT_VTAB',
  'SQLITE_CORRUPT_SEQUENCE',
]);

/**
 * One run store file. Synchronous (better-sqlite3): every method is a plain call; `close()` when done.
 * @example const s = RunStore.open('.hedgekit/runs.sqlite'); s.list().length; s.close();
 */
export class RunStore {
  readonly file: string;
  private readonly db: Database.Database;

  private constructor(file: string, db: Database.Database) {
    this.file = file;
    this.db = db;
  }

  /**
   * Opens (creating when missing, with its folder, unless `mustExist`) the store at `file`.
   * @throws StoreError for a file that is not a hedgekit store, is corrupt, or has a newer schema
   */
  static open(file: string, opts: { mustExist?: boolean } = {}): RunStore {
    let size = -1;
    try {
      size = statSync(file).size;
    } catch {
      if (opts.mustExist)
        throw new StoreError(
          file,
          'no run store here yet (hedgekit run <scenario> saves the first run)',
          'store-missing',
        );
      mkdirSync(dirname(file), { recursive: true });
    }
    let db: Database.Database;
    try {
      db = new Database(file);
    } catch (e) {
      throw new StoreError(file, `cannot open the run store (${(e as Error).message})`);
    }
    try {
      const appId = db.pragma('application_id', { simple: true }) as number;
      const version = db.pragma('user_version', { simple: true }) as number;
      const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as {
        n: number;
      };
      if (appId === 0 && version === 0 && tables.n === 0 && size <= 0) {
        db.pragma('journal_mode = WAL');
        db.transaction(() => {
          db.exec(SCHEMA_V1);
          migrate(db, 1, STORE_SCHEMA_VERSION);
          db.pragma(`application_id = ${STORE_APPLICATION_ID}`);
          db.pragma(`user_version = ${STORE_SCHEMA_VERSION}`);
        })();
      } else if (appId !== STORE_APPLICATION_ID) {
        throw new StoreError(
          file,
          'not a hedgekit run store (an SQLite file of another program); pick another file with --store',
        );
      } else if (version > STORE_SCHEMA_VERSION) {
        throw new StoreError(
          file,
          `written by a newer hedgekit (store schema ${version}; this hedgekit reads up to ${STORE_SCHEMA_VERSION}): upgrade hedgekit, or pick another file with --store`,
          'store-version',
        );
      } else if (version < 1) {
        throw new StoreError(file, `unknown store schema ${version}`);
      } else {
        db.pragma('journal_mode = WAL');
        if (version < STORE_SCHEMA_VERSION)
          // An older store: its runs are kept, the new tables added (all or nothing).
          db.transaction(() => {
            migrate(db, version, STORE_SCHEMA_VERSION);
            db.pragma(`user_version = ${STORE_SCHEMA_VERSION}`);
          })();
      }
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
    } catch (e) {
      db.close();
      if (e instanceof StoreError) throw e;
      throw RunStore.mapError(file, e);
    }
    return new RunStore(file, db);
  }

  private static mapError(file: string, e: unknown): Error {
    const code = (e as { code?: string }).code;
    if (code && CORRUPT.has(code))
      return new StoreError(
        file,
        `not a hedgekit run store, or corrupt (${(e as Error).message}); pick another file with --store`,
        'store-corrupt',
      );
    if (code?.startsWith('SQLITE_')) return new StoreError(file, `run store error: ${(e as Error).message}`);
    return e instanceof Error ? e : new Error(String(e));
  }

  private guard<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      throw RunStore.mapError(this.file, e);
    }
  }

  /**
   * Saves a run in one transaction and returns its id: either all of it is visible afterwards or
   * none of it.
   */
  save(run: NewRun, hooks: SaveHooks = {}): number {
    const db = this.db;
    const { result } = run;
    // Value paths and ledgers go to their own tables; the JSON keeps the rest.
    const slim = {
      ...result,
      markets: result.markets.map((m) => ({
        ...m,
        strategies: m.strategies.map((s) => ({ ...s, valuePath: undefined, ledger: [] })),
      })),
    };
    const blob = gzipSync(JSON.stringify(slim, replacer));
    return this.guard(() =>
      db.transaction(() => {
        const info = db
          .prepare(
            `INSERT INTO runs (name, scenario_file, scenario_text, scenario_hash, version, code_hash, seed, options, started_at, ended_at, result)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            result.name,
            run.scenarioFile ?? null,
            run.scenarioText,
            scenarioHash(run.scenarioText),
            run.version ?? hedgekitVersion(),
            run.codeHash ?? codeHash(),
            result.seed,
            JSON.stringify(run.options),
            run.startedAt.toISOString(),
            run.endedAt.toISOString(),
            blob,
          );
        const id = Number(info.lastInsertRowid);
        hooks.afterRunRow?.(id);
        const metric = db.prepare(
          'INSERT INTO metrics (run_id, market, strategy, metric, value) VALUES (?, ?, ?, ?, ?)',
        );
        const names = new Map<string, number>();
        for (const r of db.prepare('SELECT id, name FROM metric_names').all() as {
          id: number;
          name: string;
        }[])
          names.set(r.name, r.id);
        const addName = db.prepare('INSERT INTO metric_names (name) VALUES (?)');
        const nameId = (k: string): number => {
          let n = names.get(k);
          if (n === undefined) names.set(k, (n = Number(addName.run(k).lastInsertRowid)));
          return n;
        };
        const series = db.prepare(
          'INSERT INTO series (run_id, market, strategy, name, dtype, data) VALUES (?, ?, ?, ?, ?, ?)',
        );
        const trade = db.prepare(
          'INSERT INTO trades (run_id, market, strategy, seq, path, step, t, kind, instrument, qty, price, cost) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        );
        const put = (m: number, s: number, name: string, data: Float32Array | Float64Array) =>
          series.run(
            id,
            m,
            s,
            name,
            data instanceof Float32Array ? 'f32' : 'f64',
            Buffer.from(data.buffer, data.byteOffset, data.byteLength),
          );
        result.markets.forEach((m, mi) => {
          m.strategies.forEach((s, si) => {
            for (const [k, v] of metricRows(s)) metric.run(id, mi, si, nameId(k), Number.isNaN(v) ? null : v);
            if (s.valuePath) put(mi, si, 'valuePath', Float64Array.from(s.valuePath));
            s.ledger.forEach((t, q) => {
              trade.run(id, mi, si, q, t.path, t.step, t.t, t.kind, t.instrument, t.qty, t.price, t.cost);
            });
          });
        });
        for (const e of run.series ?? []) put(e.market, e.strategy, e.name, e.data);
        return id;
      })(),
    );
  }

  /** Every stored run, oldest first. */
  list(): RunSummary[] {
    return this.guard(() =>
      (this.db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM runs ORDER BY id`).all() as Row[]).map(toSummary),
    );
  }

  /** The id of the newest run, or undefined for an empty store. */
  latest(): number | undefined {
    return this.guard(
      () =>
        (this.db.prepare('SELECT max(id) AS id FROM runs').get() as { id: number | null }).id ?? undefined,
    );
  }

  /** Whether `id` is a run or a sweep; undefined when there is none. */
  kindOf(id: number): StoredKind | undefined {
    return this.guard(
      () =>
        (this.db.prepare('SELECT kind FROM runs WHERE id = ?').get(id) as { kind: StoredKind } | undefined)
          ?.kind,
    );
  }

  /**
   * Runs `f` on the database with this store's error mapping: for the sweep records
   * (sweep-store.ts), which add tables of their own. Not for other callers.
   * @internal
   */
  useDb<T>(f: (db: StoreDb) => T): T {
    return this.guard(() => f(this.db));
  }

  /**
   * Reads a run back whole.
   * @throws StoreError `run N: not found`; `store-kind` when N is a sweep
   */
  get(id: number): StoredRun {
    return this.guard(() => {
      if (this.kindOf(id) === 'sweep')
        throw new StoreError(
          this.file,
          `run ${id} is a sweep, not a scenario run (hedgekit runs show ${id} prints it)`,
          'store-kind',
        );
      const row = this.db
        .prepare(`SELECT ${SUMMARY_COLUMNS}, scenario_text, options, result FROM runs WHERE id = ?`)
        .get(id) as (Row & { scenario_text: string; options: string; result: Buffer }) | undefined;
      if (!row)
        throw new StoreError(
          this.file,
          `run ${id}: not found (hedgekit runs lists the stored runs)`,
          'store-not-found',
        );
      const result = JSON.parse(gunzipSync(row.result).toString('utf8'), reviver) as ScenarioResult;
      const series = new Map<string, Float32Array | Float64Array>();
      for (const s of this.db
        .prepare('SELECT market, strategy, name, dtype, data FROM series WHERE run_id = ?')
        .all(id) as {
        market: number;
        strategy: number;
        name: string;
        dtype: 'f32' | 'f64';
        data: Buffer;
      }[]) {
        const bytes = new Uint8Array(s.data); // a copy, aligned for the typed array
        series.set(
          seriesKey(s.market, s.strategy, s.name),
          s.dtype === 'f32'
            ? new Float32Array(bytes.buffer, 0, bytes.byteLength / 4)
            : new Float64Array(bytes.buffer, 0, bytes.byteLength / 8),
        );
      }
      const ledgers = new Map<string, TradeRecord[]>();
      for (const t of this.db
        .prepare(
          'SELECT market, strategy, path, step, t, kind, instrument, qty, price, cost FROM trades WHERE run_id = ? ORDER BY market, strategy, seq',
        )
        .all(id) as (TradeRecord & { market: number; strategy: number })[]) {
        const k = `${t.market}/${t.strategy}`;
        let list = ledgers.get(k);
        if (!list) ledgers.set(k, (list = []));
        list.push({
          path: t.path,
          step: t.step,
          t: t.t,
          kind: t.kind,
          instrument: t.instrument,
          qty: t.qty,
          price: t.price,
          cost: t.cost,
        });
      }
      const restored: ScenarioResult = {
        ...result,
        markets: result.markets.map((m, mi) => ({
          ...m,
          strategies: m.strategies.map((s, si) => {
            const vp = series.get(seriesKey(mi, si, 'valuePath'));
            return { ...s, valuePath: vp ? [...vp] : undefined, ledger: ledgers.get(`${mi}/${si}`) ?? [] };
          }),
        })),
      };
      return {
        ...toSummary(row),
        scenarioText: row.scenario_text,
        options: JSON.parse(row.options) as Record<string, unknown>,
        result: restored,
        series,
      };
    });
  }

  /** Every metric row of a run: `market/strategy` → (metric → value; NaN for NULL). */
  metrics(id: number): Map<string, Map<string, number>> {
    return this.guard(() => {
      const out = new Map<string, Map<string, number>>();
      for (const r of this.db
        .prepare(
          'SELECT m.market, m.strategy, n.name AS metric, m.value FROM metrics m JOIN metric_names n ON n.id = m.metric WHERE m.run_id = ? ORDER BY m.market, m.strategy, m.metric',
        )
        .all(id) as {
        market: number;
        strategy: number;
        metric: string;
        value: number | null;
      }[]) {
        const k = `${r.market}/${r.strategy}`;
        let m = out.get(k);
        if (!m) out.set(k, (m = new Map()));
        m.set(r.metric, r.value ?? Number.NaN);
      }
      return out;
    });
  }

  /** Deletes a run (all its rows, in one transaction); false when there was none. */
  remove(id: number): boolean {
    return this.guard(() => this.db.prepare('DELETE FROM runs WHERE id = ?').run(id).changes > 0);
  }

  close(): void {
    this.db.close();
  }
}

/** The columns of a {@link RunSummary} (for the sweep records' queries). */
export const SUMMARY_COLUMNS =
  'id, kind, name, scenario_file, scenario_hash, version, code_hash, seed, started_at, ended_at';

/** A `runs` row as selected with {@link SUMMARY_COLUMNS}. */
export interface Row {
  id: number;
  kind: StoredKind;
  name: string;
  scenario_file: string | null;
  scenario_hash: string;
  version: string;
  code_hash: string;
  seed: number;
  started_at: string;
  ended_at: string;
}

/** A summary from a `runs` row selected with {@link SUMMARY_COLUMNS}. */
export function toSummary(r: Row): RunSummary {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    scenarioFile: r.scenario_file,
    scenarioHash: r.scenario_hash,
    version: r.version,
    codeHash: r.code_hash,
    seed: r.seed,
    startedAt: r.started_at,
    endedAt: r.ended_at,
  };
}
