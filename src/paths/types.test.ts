import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.ts';
import { PATH_BLOCK } from '../core/rng.ts';
import { GbmGenerator } from './gbm.ts';
import { allocState, simulate, simulatePaths, sliceState, timeGrid, uniformGrid } from './types.ts';

const asset = { name: 'A', assetClass: 'equity' as const, spot: 100 };

describe('time grids', () => {
  it('uniformGrid spaces nSteps + 1 points from 0 to the horizon', () => {
    const g = uniformGrid(1, 4);
    expect(Array.from(g.times)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(g.nSteps).toBe(4);
  });

  it('rejects a bad horizon or step count', () => {
    expect(() => uniformGrid(0, 4)).toThrow('horizon (0) must be > 0');
    expect(() => uniformGrid(1, 2.5)).toThrow('nSteps (2.5) must be an integer >= 1');
  });

  it('timeGrid keeps explicit times and names a non-increasing entry', () => {
    expect(timeGrid([0, 0.5, 2]).nSteps).toBe(2);
    expect(() => timeGrid([0, 0.2, 0.1])).toThrow('times[2] (0.1) must be > times[1] (0.2)');
    expect(() => timeGrid([0])).toThrow(DomainError);
  });
});

describe('sliceState', () => {
  it('returns views that share memory, including extra per-path fields', () => {
    const s = Object.assign(allocState([asset], 8, [0.2], { regime: true }), {
      cursor: new Int32Array(8),
      label: 'x',
    });
    const v = sliceState(s, 4, 8);
    expect(v.nPaths).toBe(4);
    v.spot[0][0] = 42;
    v.regime![1] = 3;
    v.cursor[3] = 9;
    expect(s.spot[0][4]).toBe(42);
    expect(s.regime![5]).toBe(3);
    expect(s.cursor[7]).toBe(9);
    expect(v.label).toBe('x');
    expect(() => sliceState(s, 4, 9)).toThrow(DomainError);
  });
});

describe('simulate', () => {
  const gen = () =>
    new GbmGenerator({
      assets: [asset, { ...asset, name: 'B' }],
      vols: [0.2, 0.3],
      correlation: [
        [1, 0.5],
        [0.5, 1],
      ],
    });
  const grid = uniformGrid(1, 12);

  it('calls onStep at t0 and after every step with the requested number of paths', () => {
    const seen: [number, number, number][] = [];
    simulate(gen(), grid, 300, 1, (i, t, s) => seen.push([i, t, s.nPaths]));
    expect(seen.length).toBe(13);
    expect(seen[0]).toEqual([0, 0, 300]);
    expect(seen[12]).toEqual([12, 1, 300]);
  });

  it('gives path p the same trajectory for any nPaths (the last block is padded)', () => {
    const a = simulatePaths(gen(), grid, 1000, 77);
    const b = simulatePaths(gen(), grid, 1024, 77);
    for (let i = 0; i <= 12; i++) {
      for (let p = 0; p < 1000; p++) expect(a[1][i * 1000 + p]).toBe(b[1][i * 1024 + p]);
    }
  });

  it('rejects a firstPath that is not a multiple of PATH_BLOCK', () => {
    expect(() => simulate(gen(), grid, 10, 1, () => {}, { firstPath: 100 })).toThrow(
      `firstPath (100) must be a non-negative multiple of ${PATH_BLOCK}`,
    );
    expect(() => simulate(gen(), grid, 0, 1, () => {})).toThrow('nPaths (0) must be an integer >= 1');
  });

  it('keeps paths step-major in simulatePaths', () => {
    const out = simulatePaths(gen(), uniformGrid(1, 4), 2, 1);
    expect(out.length).toBe(2);
    expect(out[0].length).toBe(10);
    expect(out[0][0]).toBe(100);
    expect(() => simulatePaths(gen(), uniformGrid(1, 4), 2, 1, { field: 'variance' })).toThrow(DomainError);
  });
});
