/**
 * Sweep files: points expanded in order, and every bad file refused with `file:line`, the field and
 * the rule — like scenario files.
 */

import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SWEEP, writeSweep } from '../../test/support/sweep-fixture.ts';
import { frontierFlags } from './merge.ts';
import { applyOverride, parseOverridePath } from './override-path.ts';
import { planShards } from './shards.ts';
import { loadSweep } from './sweep-file.ts';

const bad = (sweep: string) => {
  const { file } = writeSweep(sweep);
  try {
    loadSweep(file);
  } catch (e) {
    return { file, message: (e as Error).message, code: (e as { code?: string }).code };
  }
  throw new Error('expected the sweep file to be refused');
};

describe('loadSweep', () => {
  it('loads the shipped example: 45 points over both markets of its base', () => {
    const plan = loadSweep(fileURLToPath(new URL('../../examples/sweep-cppi.yaml', import.meta.url)));
    expect(plan.points.length).toBe(45);
    expect(plan.parameters).toEqual([
      'strategies[cppi].multiplier',
      'floor.level',
      'strategies[cppi].tolerance',
    ]);
    expect(plan.points[44].scenario.floor.level).toBe(0.9);
    expect(plan.points[0].scenario.markets.length).toBe(2);
    expect(planShards(plan).length).toBe(180);
  });

  it('expands the grid (first key slowest) and then the listed points', () => {
    const { file } = writeSweep(
      `${SWEEP}points:\n  - strategies[cppi].multiplier: 8\n    floor.level: 0.7\n`,
    );
    const plan = loadSweep(file);
    expect(plan.points.map((p) => p.values)).toEqual([
      { 'strategies[cppi].multiplier': 2, 'floor.level': 0.75 },
      { 'strategies[cppi].multiplier': 2, 'floor.level': 0.9 },
      { 'strategies[cppi].multiplier': 5, 'floor.level': 0.75 },
      { 'strategies[cppi].multiplier': 5, 'floor.level': 0.9 },
      { 'strategies[cppi].multiplier': 8, 'floor.level': 0.7 },
    ]);
    const last = plan.points[4].scenario;
    expect(last.floor.level).toBe(0.7);
    expect(last.strategies.find((s) => s.name === 'cppi')?.multiplier).toBe(8);
    expect(plan.parameters).toEqual(['strategies[cppi].multiplier', 'floor.level']);
  });

  it('refuses an unknown key with its line and the allowed keys', () => {
    const r = bad(`${SWEEP}shards: 3\n`);
    expect(r.code).toBe('sweep-invalid');
    expect(r.message).toMatch(/sweep\.yaml:8: shards: unknown key \(allowed here: .*shardPaths/);
  });

  it('refuses a value that makes the scenario invalid at the grid key, naming the points and the rule', () => {
    const r = bad(SWEEP.replace('floor.level: [0.75, 0.9]', 'floor.level: [0.75, 1.6]'));
    expect(r.message).toMatch(
      /sweep\.yaml:6: grid\.floor\.level: points 1 \(.*floor\.level=1\.6\), 3 \(2 points\) make the scenario invalid: floor\.level: must be < 1\.5 \(got 1\.6\)/,
    );
  });

  it('refuses a strategy parameter only the strategy checks, at the key that set it', () => {
    const r = bad(SWEEP.replace('multiplier: [2, 5]', 'multiplier: [2, -1]'));
    expect(r.message).toMatch(
      /sweep\.yaml:5: grid\.strategies\[cppi\]\.multiplier: points 2 \(.*\), 3 \(2 points\) make the scenario invalid: strategies\[1\]\.multiplier: must be > 0 \(got -1\)$/,
    );
  });

  it('refuses override paths that do not parse or select nothing', () => {
    expect(bad(SWEEP.replace('floor.level:', 'floor..level:')).message).toMatch(
      /sweep\.yaml:6: .*invalid override path "floor\.\.level": expected a key at character 7/,
    );
    expect(bad(SWEEP.replace('strategies[cppi]', 'strategies[tipp]')).message).toMatch(
      /^\S*sweep\.yaml:5: grid\.strategies\[tipp\]\.multiplier: no entry named "tipp" \(entries: buy-and-hold, cppi\)$/,
    );
  });

  it('refuses a sweep without points, a bad shard size, unknown markets / strategies and a missing base', () => {
    expect(bad('scenario: base.yaml\n').message).toMatch(/sweep\.yaml:1: needs a `grid` or a `points` list/);
    expect(bad(SWEEP.replace('shardPaths: 512', 'shardPaths: 700')).message).toMatch(
      /sweep\.yaml:7: shardPaths: must be a multiple of 512 \(got 700\)/,
    );
    expect(bad(`${SWEEP}markets: [calm, boom]\n`).message).toMatch(
      /sweep\.yaml:8: markets\[1\]: must name a market of base\.yaml \(calm, crash\) \(got "boom"\)/,
    );
    expect(bad(SWEEP.replace('strategies: [cppi]', 'strategies: [cpi]')).message).toMatch(
      /sweep\.yaml:3: strategies\[0\]: must name a strategy of base\.yaml/,
    );
    expect(bad(SWEEP.replace('scenario: base.yaml', 'scenario: nope.yaml')).message).toMatch(
      /nope\.yaml: cannot read scenario file \(ENOENT\)/,
    );
    expect(bad('grid: [1, 2\n').message).toMatch(/sweep\.yaml:\d+: invalid YAML/);
  });
});

describe('override paths', () => {
  it('select list entries by index, name or unique kind and leave the input unchanged', () => {
    const data = {
      strategies: [
        { kind: 'cppi', multiplier: 3 },
        { name: 'b', kind: 'tipp' },
      ],
      floor: { level: 0.8 },
    };
    expect(applyOverride(data, parseOverridePath('strategies[cppi].multiplier'), 5)).toEqual({
      strategies: [
        { kind: 'cppi', multiplier: 5 },
        { name: 'b', kind: 'tipp' },
      ],
      floor: { level: 0.8 },
    });
    expect(applyOverride(data, parseOverridePath('strategies[1].multiplier'), 2)).toMatchObject({
      strategies: [{}, { name: 'b', multiplier: 2 }],
    });
    expect(data.strategies[0].multiplier).toBe(3);
    const twice = { strategies: [{ kind: 'cppi' }, { kind: 'cppi' }] };
    expect(() => applyOverride(twice, parseOverridePath('strategies[cppi].multiplier'), 1)).toThrow(
      /"cppi" matches 2 entries by kind; select one by name or index/,
    );
    expect(() => parseOverridePath('a[1')).toThrow(/missing "]"/);
    expect(() => applyOverride(data, parseOverridePath('strategies[7].x'), 1)).toThrow(
      /index 7 is past the end/,
    );
  });
});

describe('frontierFlags', () => {
  it('marks exactly the rows no other row of the market dominates', () => {
    const row = fc.record({
      market: fc.constantFrom('a', 'b'),
      risk: fc.oneof(
        fc.integer({ min: 0, max: 5 }).map((x) => x / 5),
        fc.constant(Number.NaN),
      ),
      reward: fc.integer({ min: -3, max: 3 }).map((x) => x / 100),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
        const flags = frontierFlags(rows);
        const finite = (r: (typeof rows)[number]) => Number.isFinite(r.risk);
        const dominates = (b: (typeof rows)[number], a: (typeof rows)[number]) =>
          b.market === a.market &&
          finite(b) &&
          b.risk <= a.risk &&
          b.reward >= a.reward &&
          (b.risk < a.risk || b.reward > a.reward);
        rows.forEach((a, i) => {
          const dominated = rows.some((b) => dominates(b, a));
          expect(flags[i]).toBe(finite(a) && !dominated);
          // every dominated finite row is dominated by a frontier row (the frontier is complete)
          if (finite(a) && dominated) expect(rows.some((b, j) => flags[j] && dominates(b, a))).toBe(true);
        });
      }),
      { seed: 20261203, numRuns: 300 },
    );
  });
});
