/**
 * Sweeps in the run store: a saved sweep reads back equal to the sweep's JSON (every metric of
 * every point × market × strategy in its table, NaN kept); a save failing half-way leaves nothing;
 * `runs rm` removes every row; two sweeps diff point by point, a run and a sweep are refused; and
 * a store written by the hedgekit before sweeps (schema 1, test/fixtures/store/runs-v1.sqlite)
 * opens, migrates to the current schema and keeps its runs.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SWEEP, writeSweep } from '../../test/support/sweep-fixture.ts';
import type { SweepResult } from '../sweep/merge.ts';
import { planInitialValues, recordSweep } from '../sweep/record-sweep.ts';
import { runSweep } from '../sweep/run-sweep.ts';
import { loadSweep, type SweepPlan } from '../sweep/sweep-file.ts';
import { metricRows } from './metric-rows.ts';
import { RunStore } from './run-store.ts';
import { STORE_SCHEMA_VERSION } from './schema.ts';
import { StoreError } from './store-error.ts';
import { diffStored, diffSweeps } from './sweep-diff.ts';
import { getSweep, type NewSweep, saveSweep, sweepMetrics } from './sweep-store.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const V1 = join(root, 'test/fixtures/store/runs-v1.sqlite');

let dir: string;
let plan: SweepPlan;
let result: SweepResult;
let reseeded: { plan: SweepPlan; result: SweepResult };
const t0 = new Date('2026-12-03T10:00:00Z');
const t1 = new Date('2026-12-03T10:00:05Z');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hedgekit-sweep-store-'));
  const a = writeSweep();
  plan = loadSweep(a.file);
  result = (await runSweep(plan, { cacheDir: a.cache, threads: 1 })).result;
  const b = writeSweep(`${SWEEP}seed: 9\n`);
  const p2 = loadSweep(b.file);
  reseeded = { plan: p2, result: (await runSweep(p2, { cacheDir: b.cache, threads: 1 })).result };
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function newSweep(r: SweepResult = result, p: SweepPlan = plan): NewSweep {
  return {
    sweepFile: p.file,
    sweepText: readFileSync(p.file, 'utf8'),
    scenarioFile: p.baseFile,
    scenarioText: readFileSync(p.baseFile, 'utf8'),
    seed: p.points[0].scenario.seed,
    initialValues: planInitialValues(p),
    mode: 'local',
    options: { threads: 1 },
    startedAt: t0,
    endedAt: t1,
    result: r,
  };
}

/** Rows in every sweep table (what a failed save or a removal must leave empty). */
function sweepRowCounts(file: string): number[] {
  const db = new Database(file, { readonly: true });
  try {
    return ['sweeps', 'sweep_points', 'sweep_rows', 'sweep_metrics', 'runs'].map(
      (t) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n,
    );
  } finally {
    db.close();
  }
}

describe('sweeps in the run store', () => {
  it('reads a saved sweep back equal to its JSON, every metric of every row in the table', () => {
    const file = join(dir, 'roundtrip.sqlite');
    const store = RunStore.open(file);
    const id = recordSweep(store, {
      plan,
      result,
      mode: 'local',
      options: { threads: 1 },
      startedAt: t0,
      endedAt: t1,
    });
    store.close();
    const again = RunStore.open(file);
    const s = getSweep(again, id);
    expect(JSON.stringify(s.result)).toBe(JSON.stringify(result));
    expect(s.result).toEqual(result);
    expect(s.kind).toBe('sweep');
    expect(s.name).toBe('small');
    expect(s.sweepText).toBe(readFileSync(plan.file, 'utf8'));
    expect(s.scenarioText).toBe(readFileSync(plan.baseFile, 'utf8'));
    expect(s.scenarioFile).toBe(plan.baseFile);
    expect(s.seed).toBe(20261203);
    expect(s.initialValues).toEqual([100, 100, 100, 100]);
    expect([s.startedAt, s.endedAt]).toEqual([t0.toISOString(), t1.toISOString()]);
    expect(s.version).toMatch(/^\d+\.\d+\.\d+/);
    // The metrics table holds every metric of every row, equal to the JSON's (NULL ↔ NaN).
    const table = sweepMetrics(again, id);
    expect(table.size).toBe(result.rows.length);
    expect(result.rows.length).toBe(16);
    let compared = 0;
    result.rows.forEach((row, i) => {
      const want = metricRows(row);
      const got = table.get(i);
      expect([...(got?.keys() ?? [])].sort()).toEqual([...want.keys()].sort());
      for (const [k, v] of want) {
        expect(Object.is(got?.get(k), v), `row ${i} ${k}: ${got?.get(k)} vs ${v}`).toBe(true);
        compared++;
      }
    });
    expect(compared).toBeGreaterThan(16 * 40);
    // The frontier marks, one row each.
    const db = new Database(file, { readonly: true });
    const marks = db.prepare('SELECT frontier FROM sweep_rows WHERE run_id = ? ORDER BY row').all(id) as {
      frontier: number;
    }[];
    db.close();
    expect(marks.map((m) => m.frontier === 1)).toEqual(result.rows.map((r) => r.frontier));
    expect(again.list().map((r) => [r.id, r.kind, r.name])).toEqual([[id, 'sweep', 'small']]);
    again.close();
  });

  it('leaves no half-written sweep when the save fails inside its transaction', () => {
    const file = join(dir, 'abort.sqlite');
    const store = RunStore.open(file);
    expect(() =>
      saveSweep(store, newSweep(), {
        afterRunRow: () => {
          throw new Error('disk full (simulated)');
        },
      }),
    ).toThrow(/disk full/);
    // A failure half-way through the rows: the fourth row breaks a NOT NULL constraint.
    const broken = {
      ...result,
      rows: result.rows.map((r, i) => (i === 3 ? { ...r, kind: null as unknown as string } : r)),
    };
    expect(() => saveSweep(store, newSweep(broken))).toThrow(StoreError);
    expect(store.list()).toEqual([]);
    store.close();
    expect(sweepRowCounts(file)).toEqual([0, 0, 0, 0, 0]);
    const s = RunStore.open(file);
    const id = saveSweep(s, newSweep());
    expect(getSweep(s, id).result.rows.length).toBe(16);
    s.close();
  });

  it('removes a sweep with every row of it; keeps runs and sweeps apart', () => {
    const file = join(dir, 'rm.sqlite');
    const store = RunStore.open(file);
    const id = saveSweep(store, newSweep());
    expect(sweepRowCounts(file)).toEqual([1, 4, 16, expect.any(Number), 1]);
    expect(() => store.get(id)).toThrow(/run 1 is a sweep, not a scenario run/);
    expect(store.kindOf(id)).toBe('sweep');
    expect(store.remove(id)).toBe(true);
    expect(store.kindOf(id)).toBeUndefined();
    store.close();
    expect(sweepRowCounts(file)).toEqual([0, 0, 0, 0, 0]);
  });

  it('diffs two sweeps point by point and refuses a run against a sweep', () => {
    const file = join(dir, 'diff.sqlite');
    const store = RunStore.open(file);
    const a = saveSweep(store, newSweep());
    const a2 = saveSweep(store, newSweep());
    const b = saveSweep(store, newSweep(reseeded.result, reseeded.plan));
    const same = diffSweeps(store, a, a2);
    expect(same.changes).toEqual([]);
    expect(same.rows).toBe(16);
    expect(same.compared).toBeGreaterThan(16 * 40);
    expect([same.sweepChanged, same.scenarioChanged, same.seedChanged, same.codeChanged]).toEqual([
      false,
      false,
      false,
      false,
    ]);
    const d = diffSweeps(store, a, b);
    expect([d.sweepChanged, d.scenarioChanged, d.seedChanged]).toEqual([true, false, true]);
    expect(d.rows).toBe(16);
    expect(d.onlyInA).toEqual([]);
    // A changed metric carries both values from the two sweeps' JSON.
    const ra = result.rows.find((r) => r.market === 'crash' && r.strategy === 'cppi' && r.point === 1);
    const rb = reseeded.result.rows.find(
      (r) => r.market === 'crash' && r.strategy === 'cppi' && r.point === 1,
    );
    const c = d.changes.find(
      (x) =>
        x.market === 'crash' &&
        x.strategy === 'cppi' &&
        x.metric === 'key.terminalP20' &&
        x.point === 'floor.level=0.9, strategies[cppi].multiplier=2',
    );
    expect(ra?.values).toEqual({ 'strategies[cppi].multiplier': 2, 'floor.level': 0.9 });
    expect(c).toEqual({
      point: 'floor.level=0.9, strategies[cppi].multiplier=2',
      market: 'crash',
      strategy: 'cppi',
      metric: 'key.terminalP20',
      a: ra?.key.terminalP20,
      b: rb?.key.terminalP20,
      delta: (rb?.key.terminalP20 ?? 0) - (ra?.key.terminalP20 ?? 0),
    });
    expect(diffStored(store, a, b).kind).toBe('sweep');
    store.close();
    // A scenario run in the same store (copied from the schema-1 fixture) against a sweep.
    const mixed = join(dir, 'mixed.sqlite');
    copyFileSync(V1, mixed);
    const m = RunStore.open(mixed);
    const sw = saveSweep(m, newSweep());
    expect(sw).toBe(3);
    expect(diffStored(m, 1, 2).kind).toBe('run');
    expect(() => diffStored(m, 1, sw)).toThrow(
      /run 1 is a scenario run and run 3 is a sweep: runs diff compares two scenario runs or two sweeps/,
    );
    expect(() => diffStored(m, 1, 9)).toThrow(/run 9: not found/);
    m.close();
  });

  it('migrates a store of schema 1 (written before sweeps): every run kept, readable and listed', () => {
    const file = join(dir, 'v1.sqlite');
    copyFileSync(V1, file);
    const before = new Database(file, { readonly: true });
    expect(before.pragma('user_version', { simple: true })).toBe(1);
    const oldRuns = before.prepare('SELECT id, seed, scenario_hash, result FROM runs ORDER BY id').all();
    const oldMetrics = before
      .prepare('SELECT run_id, market, strategy, metric, value FROM metrics ORDER BY 1, 2, 3, 4')
      .all();
    const oldTrades = (before.prepare('SELECT count(*) AS n FROM trades').get() as { n: number }).n;
    before.close();
    expect(oldRuns.length).toBe(2);

    const store = RunStore.open(file);
    expect(store.list().map((r) => [r.id, r.kind, r.name, r.seed])).toEqual([
      [1, 'run', 'report-small', 7],
      [2, 'run', 'report-small', 8],
    ]);
    for (const id of [1, 2]) {
      const run = store.get(id);
      // Every metric row of the table equals the stored result's number.
      const rows = store.metrics(id);
      run.result.markets.forEach((m, mi) => {
        m.strategies.forEach((s, si) => {
          const want = metricRows(s);
          const got = rows.get(`${mi}/${si}`);
          expect(got?.size).toBe(want.size);
          for (const [k, v] of want) expect(Object.is(got?.get(k), v), `${id} ${mi}/${si} ${k}`).toBe(true);
        });
      });
      expect(run.result.markets[0].strategies[1].ledger.length).toBeGreaterThan(0);
    }
    expect(diffStored(store, 1, 2).kind).toBe('run');
    // A sweep goes into the migrated store next to the old runs.
    const id = saveSweep(store, newSweep());
    expect(id).toBe(3);
    store.close();

    const after = new Database(file, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(STORE_SCHEMA_VERSION);
    expect(STORE_SCHEMA_VERSION).toBe(2);
    // The old rows, byte for byte.
    expect(
      after.prepare('SELECT id, seed, scenario_hash, result FROM runs WHERE id <= 2 ORDER BY id').all(),
    ).toEqual(oldRuns);
    expect(
      after.prepare('SELECT run_id, market, strategy, metric, value FROM metrics ORDER BY 1, 2, 3, 4').all(),
    ).toEqual(oldMetrics);
    expect((after.prepare('SELECT count(*) AS n FROM trades').get() as { n: number }).n).toBe(oldTrades);
    after.close();
    // Opening it again migrates nothing more.
    const s2 = RunStore.open(file);
    expect(s2.list().map((r) => r.kind)).toEqual(['run', 'run', 'sweep']);
    s2.close();
  });

  it('gives a fresh store and a migrated one the same tables', () => {
    const fresh = join(dir, 'fresh.sqlite');
    RunStore.open(fresh).close();
    const migrated = join(dir, 'migrated.sqlite');
    copyFileSync(V1, migrated);
    RunStore.open(migrated).close();
    const schema = (f: string) => {
      const db = new Database(f, { readonly: true });
      const rows = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
      db.close();
      return rows;
    };
    expect(schema(migrated)).toEqual(schema(fresh));
  });

  it('refuses to read a scenario run as a sweep', () => {
    const file = join(dir, 'kind.sqlite');
    copyFileSync(V1, file);
    const store = RunStore.open(file);
    expect(() => getSweep(store, 1)).toThrow(/run 1 is a scenario run, not a sweep/);
    expect(() => getSweep(store, 7)).toThrow(/run 7: not found/);
    store.close();
  });
});
