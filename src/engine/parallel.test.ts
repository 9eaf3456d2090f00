import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GbmScenarioArgs } from '../../test/support/parallel-fixture.ts';
import { PATH_BLOCK } from '../core/rng.ts';
import { tradeListHash } from '../portfolio/ledger.ts';
import {
  EnginePool,
  type EngineSpec,
  type MergedEngineResult,
  mergeRangeResults,
  runEngineParallel,
  runEngineSpec,
  splitRanges,
} from './parallel.ts';

/** The builders' module, imported by URL in every worker thread. */
const module = new URL('../../test/support/parallel-fixture.ts', import.meta.url).href;
const spec = (
  nPaths: number,
  extra: Partial<GbmScenarioArgs> = {},
  firstPath = 0,
): EngineSpec<GbmScenarioArgs> => ({
  module,
  builder: 'gbmScenario',
  nPaths,
  firstPath,
  args: {
    seed: 20261125,
    nSteps: 26,
    ledgerPaths: [firstPath + 3, firstPath + 300, firstPath + 999],
    keepValuePaths: [firstPath, firstPath + 511, firstPath + 512, firstPath + 998],
    metrics: 'toy',
    ...extra,
  },
});

/** Byte-level equality: bit-identical doubles, including NaN payloads and signed zeros. */
function sameBits(a: Float64Array, b: Float64Array): boolean {
  return (
    a.length === b.length &&
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
      Buffer.from(b.buffer, b.byteOffset, b.byteLength),
    )
  );
}

function expectIdentical(par: MergedEngineResult, ref: MergedEngineResult): void {
  expect(par.nPaths).toBe(ref.nPaths);
  expect(par.firstPath).toBe(ref.firstPath);
  expect(par.runs.length).toBe(ref.runs.length);
  for (let r = 0; r < ref.runs.length; r++) {
    const a = par.runs[r];
    const b = ref.runs[r];
    expect(a.name).toBe(b.name);
    for (const k of ['terminal', 'fees', 'premiums', 'turnover', 'trades'] as const) {
      expect(sameBits(a[k], b[k]), `${b.name}.${k}`).toBe(true);
    }
    expect(a.ledger.length).toBeGreaterThan(0);
    expect(a.ledger).toEqual(b.ledger);
    expect(tradeListHash(a.ledger)).toBe(tradeListHash(b.ledger));
    expect([...a.values.keys()]).toEqual([...b.values.keys()]);
    for (const [g, v] of b.values)
      expect(sameBits(a.values.get(g)!, v), `${b.name} value path ${g}`).toBe(true);
    expect(Object.keys(a.metrics ?? {})).toEqual(Object.keys(b.metrics ?? {}));
    for (const [k, v] of Object.entries(b.metrics ?? {}))
      expect(sameBits(a.metrics![k], v), `${b.name} metric ${k}`).toBe(true);
  }
}

describe('splitRanges', () => {
  it('covers the paths with contiguous ranges cut at multiples of PATH_BLOCK, as equal as blocks allow', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: 1, max: 40 }),
        (b0, n, k) => {
          const first = b0 * PATH_BLOCK;
          const rs = splitRanges(first, n, k);
          const blocks = Math.ceil(n / PATH_BLOCK);
          expect(rs.length).toBe(Math.min(k, blocks));
          let at = first;
          for (const r of rs) {
            expect(r.firstPath).toBe(at);
            expect(r.firstPath % PATH_BLOCK).toBe(0);
            expect(r.nPaths).toBeGreaterThan(0);
            at += r.nPaths;
          }
          expect(at).toBe(first + n);
          const sizes = rs.map((r) => Math.ceil(r.nPaths / PATH_BLOCK));
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        },
      ),
      { seed: 20261125, numRuns: 300 },
    );
  });

  it('rejects a non-integer range count', () => {
    expect(() => splitRanges(0, 100, 0)).toThrow(/ranges \(0\) must be an integer >= 1/);
  });
});

describe('runEngineParallel', () => {
  let reference: MergedEngineResult;
  let pool: EnginePool;
  beforeAll(async () => {
    reference = await runEngineSpec(spec(1000));
    pool = new EnginePool(2);
  });
  afterAll(async () => {
    await pool.close();
  });

  it('4 ranges over 2 workers are bit-identical to one thread (buy-and-hold and constant-mix on GBM)', async () => {
    const progress: number[] = [];
    const par = await runEngineParallel(spec(1000), {
      workers: 2,
      ranges: 4,
      onProgress: (d) => progress.push(d),
    });
    expectIdentical(par, reference);
    // 4 ranges of 256 / 256 / 256 / 232 paths, one engine chunk each.
    expect(progress.length).toBe(4);
    expect(progress.at(-1)).toBe(1000);
    // The comparison has teeth: constant-mix paid costs, buy-and-hold did not.
    expect(reference.runs[1].fees.every((f) => f > 0)).toBe(true);
    expect(reference.runs[0].trades.every((t) => t === 2)).toBe(true);
  });

  it("merges PathMetrics' per-path results bit-identically (NaN where undefined included)", async () => {
    const ref = await runEngineSpec(spec(700, { metrics: 'path' }));
    const par = await pool.run(spec(700, { metrics: 'path' }), { ranges: 3 });
    expectIdentical(par, ref);
    expect(Object.keys(ref.runs[1].metrics!)).toContain('maxDrawdown');
  });

  it('a blocking runSync on a reused pool gives the same bits as the async run', async () => {
    const sync = pool.runSync(spec(1000), { ranges: 3 });
    expectIdentical(sync, reference);
    const again = await pool.run(spec(1000), { ranges: 1 });
    expectIdentical(again, reference);
  });

  it('accounts every answered job: its worker, the worker-local job order and (Linux) thread CPU time', async () => {
    pool.jobStats(true);
    const res = pool.runSync(spec(1000), { ranges: 4 });
    expectIdentical(res, reference);
    const stats = pool.jobStats();
    expect(stats.length).toBe(4);
    expect(pool.jobStats(true).length).toBe(4); // read, then cleared
    expect(pool.jobStats()).toEqual([]);
    for (const w of [0, 1]) {
      const mine = stats.filter((s) => s.worker === w).map((s) => s.jobIndex);
      // a worker's jobs are numbered in the order it answered them
      expect(mine).toEqual([...mine].sort((a, b) => a - b));
      expect(new Set(mine).size).toBe(mine.length);
    }
    for (const s of stats) {
      expect(s.buildMs).toBeGreaterThanOrEqual(0);
      expect(s.runMs).toBeGreaterThan(0);
      if (process.platform === 'linux') {
        // schedstat may advance by scheduler ticks (4 ms here): a tiny job can read 0
        expect(s.cpuMs).toBeGreaterThanOrEqual(0);
        expect(s.waitMs).toBeGreaterThanOrEqual(0);
      } else expect(s.cpuMs).toBeUndefined();
    }
  });

  it('mergeRangeResults joins runOne jobs of consecutive ranges into the single-thread result', async () => {
    const ranges = splitRanges(0, 1000, 3);
    const parts = await Promise.all(ranges.map((r) => pool.runOne({ ...spec(1000), ...r })));
    expectIdentical(mergeRangeResults(1000, 0, ranges, parts), reference);
    expect(() => mergeRangeResults(1000, 0, ranges, parts.slice(1))).toThrow(
      /results \(2\) must hold one result per range \(3\)/,
    );
  });

  it('honours a global firstPath: ranges of paths [512, 1512) reproduce that slice of a larger run', async () => {
    const whole = await runEngineSpec(spec(1536, { ledgerPaths: [600], keepValuePaths: [] }));
    const part = await pool.run(spec(1000, { ledgerPaths: [600], keepValuePaths: [] }, 512), { ranges: 2 });
    expect(part.firstPath).toBe(512);
    for (let r = 0; r < 2; r++) {
      expect(sameBits(part.runs[r].terminal, whole.runs[r].terminal.subarray(512, 1512))).toBe(true);
      expect(part.runs[r].ledger).toEqual(whole.runs[r].ledger);
    }
  });

  it("rejects with the builder's DomainError and keeps the pool usable", async () => {
    await expect(pool.run(spec(600, { fail: true }))).rejects.toMatchObject({
      name: 'DomainError',
      code: 'domain',
      message: 'fail (true) was requested by the test',
    });
    expect(() => pool.runSync(spec(600, { fail: true }))).toThrow(/fail \(true\) was requested by the test/);
    const ok = await pool.run(spec(1000), { ranges: 2 });
    expectIdentical(ok, reference);
  });

  it('reports a missing builder and invalid options before starting work', async () => {
    await expect(pool.run({ ...spec(300), builder: 'nope' })).rejects.toThrow(
      /builder \("nope"\) must be a function exported by/,
    );
    await expect(runEngineParallel(spec(300), { workers: 0 })).rejects.toThrow(
      /workers \(0\) must be an integer >= 1/,
    );
    await expect(runEngineParallel({ ...spec(300), nPaths: 0 })).rejects.toThrow(
      /nPaths \(0\) must be an integer >= 1/,
    );
    await expect(runEngineParallel(spec(300, {}, 100))).rejects.toThrow(
      /firstPath \(100\) must be a non-negative multiple of 256/,
    );
  });
});
