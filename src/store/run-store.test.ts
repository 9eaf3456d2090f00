/**
 * The run store: a saved run reads back exactly (NaN included, value paths and ledgers restored);
 * a save interrupted half-way (an exception, or the process killed inside the transaction) leaves
 * no run visible; a corrupt file, another program's SQLite file or a newer schema is refused with a
 * clear StoreError and left byte for byte as it was.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenarioFile, type ScenarioResult } from '../scenario/run.ts';
import { diffRuns } from './run-diff.ts';
import { RunStore, seriesKey } from './run-store.ts';
import { STORE_SCHEMA_VERSION } from './schema.ts';
import { StoreError } from './store-error.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SMALL = join(root, 'test/fixtures/report/small.yaml');

let dir: string;
let result: ScenarioResult;
let other: ScenarioResult;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hedgekit-store-'));
  result = runScenarioFile(SMALL);
  other = runScenarioFile(SMALL, { seed: 8 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function newRun(r: ScenarioResult, text = readFileSync(SMALL, 'utf8')) {
  return {
    scenarioFile: SMALL,
    scenarioText: text,
    options: { paths: null },
    startedAt: new Date('2026-01-01T00:00:00Z'),
    endedAt: new Date('2026-01-01T00:00:02Z'),
    result: r,
  };
}

describe('RunStore', () => {
  it('reads a saved run back exactly: every metric (NaN too), value paths, ledgers, series', () => {
    const file = join(dir, 'roundtrip.sqlite');
    const store = RunStore.open(file);
    const series = Float32Array.of(1.5, 2.5, Number.NaN);
    const id = store.save({
      ...newRun(result),
      series: [{ market: 0, strategy: 1, name: 'fan', data: series }],
    });
    store.close();
    const again = RunStore.open(file);
    const run = again.get(id);
    expect(run.result).toEqual(
      JSON.parse(JSON.stringify(result, (_k, v) => (v === undefined ? undefined : v))) && result,
    );
    expect(run.result.markets[1].strategies[0].valuePath).toEqual(result.markets[1].strategies[0].valuePath);
    expect(run.result.markets[0].strategies[1].ledger.length).toBeGreaterThan(0);
    expect(run.result.markets[0].strategies[1].ledger).toEqual(result.markets[0].strategies[1].ledger);
    expect([...(run.series.get(seriesKey(0, 1, 'fan')) ?? [])]).toEqual([1.5, 2.5, Number.NaN]);
    expect(run.seed).toBe(7);
    expect(run.scenarioText).toBe(readFileSync(SMALL, 'utf8'));
    expect(run.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(run.codeHash).toMatch(/^[0-9a-f]{16}$/);
    // Every metric row equals the result's number (NULL ↔ NaN).
    const rows = again.metrics(id).get('0/2');
    expect(rows?.get('key.probEndBelowFloor')).toBe(result.markets[0].strategies[2].key.probEndBelowFloor);
    expect(rows?.get('summary.terminalValue.percentiles.p20')).toBe(
      result.markets[0].strategies[2].summary.terminalValue.percentiles.p20,
    );
    const nanRow = [...(again.metrics(id).get('1/0') ?? new Map()).entries()].find(([, v]) =>
      Number.isNaN(v),
    );
    expect(nanRow).toBeDefined(); // a one-path replay has undefined statistics (std): kept as NaN
    again.close();
  });

  it('lists, finds the latest and removes runs', () => {
    const store = RunStore.open(join(dir, 'list.sqlite'));
    const a = store.save(newRun(result));
    const b = store.save(newRun(other));
    expect(store.list().map((r) => [r.id, r.seed])).toEqual([
      [a, 7],
      [b, 8],
    ]);
    expect(store.latest()).toBe(b);
    expect(store.remove(a)).toBe(true);
    expect(store.remove(a)).toBe(false);
    expect(store.list().map((r) => r.id)).toEqual([b]);
    expect(() => store.get(a)).toThrow(/run 1: not found/);
    store.close();
  });

  it('diffs two runs metric by metric and says what changed', () => {
    const store = RunStore.open(join(dir, 'diff.sqlite'));
    const a = store.save(newRun(result));
    const a2 = store.save(newRun(result));
    const b = store.save(newRun(other));
    const c = store.save(newRun(result, `${readFileSync(SMALL, 'utf8')}# edited\n`));
    const same = diffRuns(store, a, a2);
    expect(same.changes).toEqual([]);
    expect(same.compared).toBeGreaterThan(100);
    expect([same.scenarioChanged, same.seedChanged, same.codeChanged]).toEqual([false, false, false]);
    const d = diffRuns(store, a, b);
    expect(d.seedChanged).toBe(true);
    expect(d.scenarioChanged).toBe(false);
    const row = d.changes.find(
      (x) => x.market === 'gbm' && x.strategy === 'cppi m=4' && x.metric === 'key.terminalP20',
    );
    const sa = result.markets[0].strategies[2].key.terminalP20;
    const sb = other.markets[0].strategies[2].key.terminalP20;
    expect(row).toEqual({
      market: 'gbm',
      strategy: 'cppi m=4',
      metric: 'key.terminalP20',
      a: sa,
      b: sb,
      delta: sb - sa,
    });
    expect(diffRuns(store, a, c).scenarioChanged).toBe(true);
    store.close();
  });

  it('leaves no half-written run when the save fails inside its transaction', () => {
    const store = RunStore.open(join(dir, 'abort.sqlite'));
    expect(() =>
      store.save(newRun(result), {
        afterRunRow: () => {
          throw new Error('disk full (simulated)');
        },
      }),
    ).toThrow(/disk full/);
    expect(store.list()).toEqual([]);
    const id = store.save(newRun(result));
    expect(store.get(id).result.markets.length).toBe(2);
    store.close();
  });

  it('leaves no half-written run when the process is killed inside the transaction', async () => {
    const file = join(dir, 'killed.sqlite');
    RunStore.open(file).close();
    // A child opens the store, starts a save and, inside the transaction, says so and waits to be killed.
    const script = `
      import { RunStore } from ${JSON.stringify(join(root, 'src/store/run-store.ts'))};
      import { runScenarioFile } from ${JSON.stringify(join(root, 'src/scenario/run.ts'))};
      const r = runScenarioFile(${JSON.stringify(SMALL)}, { paths: 256 });
      const s = RunStore.open(${JSON.stringify(file)});
      s.save({ scenarioText: 'x', options: {}, startedAt: new Date(), endedAt: new Date(), result: r }, {
        afterRunRow() { process.stdout.write('inside\\n'); const t = Date.now(); while (Date.now() - t < 60000) {} },
      });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('inside')) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`child exited before the transaction: ${err}`)));
    });
    await new Promise((r) => child.on('close', r));
    const store = RunStore.open(file);
    expect(store.list()).toEqual([]);
    const id = store.save(newRun(result));
    expect(id).toBeGreaterThan(0);
    store.close();
  });

  it('refuses a file that is not a database, and leaves it untouched', () => {
    const file = join(dir, 'garbage.sqlite');
    const bytes = Buffer.from(
      'this is not an SQLite file, just some text that someone saved here\n'.repeat(200),
    );
    writeFileSync(file, bytes);
    expect(() => RunStore.open(file)).toThrow(StoreError);
    expect(() => RunStore.open(file)).toThrow(/garbage\.sqlite: not a hedgekit run store, or corrupt/);
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it("refuses another program's SQLite file", () => {
    const file = join(dir, 'foreign.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    db.close();
    const before = readFileSync(file);
    expect(() => RunStore.open(file)).toThrow(
      /not a hedgekit run store \(an SQLite file of another program\)/,
    );
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a store written by a newer hedgekit, without touching it', () => {
    const file = join(dir, 'newer.sqlite');
    const s = RunStore.open(file);
    s.save(newRun(result));
    s.close();
    const db = new Database(file);
    db.pragma(`user_version = ${STORE_SCHEMA_VERSION + 1}`);
    db.close();
    const before = readFileSync(file);
    let err: unknown;
    try {
      RunStore.open(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('store-version');
    expect((err as Error).message).toMatch(
      new RegExp(
        `written by a newer hedgekit \\(store schema ${STORE_SCHEMA_VERSION + 1}; this hedgekit reads up to ${STORE_SCHEMA_VERSION}\\)`,
      ),
    );
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('reports a store whose pages were damaged as a StoreError, never a crash', () => {
    const file = join(dir, 'damaged.sqlite');
    const s = RunStore.open(file);
    const id = s.save(newRun(result));
    s.close();
    const bytes = readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    // Keep the header page (the schema), overwrite every page after it.
    bytes.fill(0xa5, pageSize);
    writeFileSync(file, bytes);
    let err: unknown;
    try {
      const store = RunStore.open(file);
      try {
        store.list();
        store.get(id);
      } finally {
        store.close();
      }
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StoreError);
    expect((err as Error).message).toMatch(/damaged\.sqlite: /);
  });
});
