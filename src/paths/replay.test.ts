import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.ts';
import type { AssetSpec } from '../market/asset.ts';
import { loadPriceHistory } from '../market/history-csv.ts';
import { ewmaVarianceSeries } from '../volatility/ewma.ts';
import { HistoricalReplay, historyWindow, mapAssetsToColumns } from './replay.ts';
import { simulate, simulatePaths, uniformGrid } from './types.ts';

const eu = loadPriceHistory(fileURLToPath(new URL('../../data/eustockmarkets.csv', import.meta.url)));
const asset = (name: string, assetClass: AssetSpec['assetClass'], spot = 100): AssetSpec => ({
  name,
  assetClass,
  spot,
});

describe('historical replay', () => {
  it('reproduces every source price exactly, row by row, with the dates', () => {
    const rp = new HistoricalReplay(eu);
    expect(rp.nSteps).toBe(1859);
    expect(rp.dates).toEqual(eu.dates);
    const spot = simulatePaths(rp, rp.grid(), 1, 0);
    let mismatches = 0;
    for (let j = 0; j < 4; j++) {
      for (let i = 0; i <= rp.nSteps; i++) if (spot[j][i] !== eu.prices[j][i]) mismatches++;
    }
    expect(mismatches).toBe(0);
    expect(spot[0][1859]).toBe(5473.72);
  });

  it('log returns are ln(P_i/P_{i−1}) of the source', () => {
    const rp = new HistoricalReplay(eu, { from: '1997-10-01', to: '1997-11-28' });
    const lr = simulatePaths(rp, rp.grid(), 1, 0, { field: 'logReturn' });
    const first = eu.dates.indexOf('1997-10-01');
    expect(lr[2][0]).toBe(0);
    for (let i = 1; i <= rp.nSteps; i++) {
      expect(lr[2][i]).toBe(Math.log(eu.prices[2][first + i] / eu.prices[2][first + i - 1]));
    }
  });

  it('cuts the date window [from, to] inclusively and exposes its dates', () => {
    const rp = new HistoricalReplay(eu, { from: '1998-07-01', to: '1998-08-14' });
    expect(rp.dates[0]).toBe('1998-07-01');
    expect(rp.dates[rp.dates.length - 1]).toBe('1998-08-14');
    expect(rp.nSteps).toBe(rp.dates.length - 1);
    expect(historyWindow(eu, '1998-07-01', '1998-08-14')).toEqual({
      first: eu.dates.indexOf('1998-07-01'),
      last: 1859,
    });
    // a window boundary on a date missing from the data snaps inwards
    expect(historyWindow(eu, '1991-07-06', '1991-07-13')).toEqual({ first: 5, last: 9 });
    expect(rp.dateAt(0)).toBe('1998-07-01');
    expect(rp.dateAt(3 / 252)).toBe(rp.dates[3]);
    expect(rp.dateAt(99)).toBe('1998-08-14');
  });

  it('state.vol is the causal RiskMetrics EWMA vol (λ = 0.94), as volatility/ewma.ts computes it', () => {
    const rp = new HistoricalReplay(eu);
    const vol = simulatePaths(rp, rp.grid(), 1, 0, { field: 'vol' })[1];
    const p = eu.prices[1];
    const r = new Float64Array(p.length);
    for (let i = 1; i < p.length; i++) r[i] = Math.log(p[i] / p[i - 1]);
    let seed = 0;
    for (let i = 1; i <= 20; i++) seed += r[i] ** 2;
    // r[0] is a placeholder: ewmaVarianceSeries starts its recursion at index 1
    const s = ewmaVarianceSeries(r, 0.94, seed / 20);
    let worst = 0;
    for (let i = 0; i < p.length; i++) worst = Math.max(worst, Math.abs(vol[i] / Math.sqrt(252 * s[i]) - 1));
    expect(worst).toBeLessThan(1e-13);
  });

  it('rescales to each asset spot, and keeps raw prices when the spot equals the first price', () => {
    const rp = new HistoricalReplay(eu, {
      from: '1997-07-01',
      to: '1997-12-31',
      assets: [
        asset('DAX', 'equity', 100),
        asset('X', 'equity', eu.prices[1][eu.dates.indexOf('1997-07-01')]),
      ],
    });
    const spot = simulatePaths(rp, rp.grid(), 1, 0);
    const f = eu.dates.indexOf('1997-07-01');
    for (let i = 0; i <= rp.nSteps; i++) {
      expect(spot[0][i]).toBeCloseTo((100 * eu.prices[0][f + i]) / eu.prices[0][f], 11);
      expect(spot[1][i]).toBe(eu.prices[1][f + i]);
    }
  });

  it('a coarser grid samples every k-th row, and past the window prices hold', () => {
    const rp = new HistoricalReplay(eu, { from: '1998-07-01' });
    const weekly = rp.grid(5);
    expect(weekly.nSteps).toBe(6);
    const spot = simulatePaths(rp, weekly, 1, 0)[0];
    const f = eu.dates.indexOf('1998-07-01');
    for (let i = 0; i <= 6; i++) expect(spot[i]).toBe(eu.prices[0][f + 5 * i]);
    const long = simulatePaths(rp, uniformGrid(60 / 252, 60), 1, 0, { field: 'logReturn' })[0];
    expect(long[59]).toBe(0);
    expect(long[60]).toBe(0);
  });

  it('copies the one history to every path when nPaths > 1, without drawing random numbers', () => {
    const rp = new HistoricalReplay(eu, { from: '1998-08-01' });
    let ok = true;
    simulate(rp, rp.grid(), 300, 1, (i, _t, s) => {
      for (let p = 0; p < 300; p++)
        if (s.spot[3][p] !== eu.prices[3][eu.dates.indexOf('1998-08-03') + i]) ok = false;
    });
    expect(ok).toBe(true);
  });
});

describe('asset → column mapping', () => {
  it('uses names, then explicit overrides, then free columns in file order for equities; others stay flat', () => {
    const assets = [
      asset('E1', 'equity'),
      asset('CAC', 'equity'),
      asset('BUND', 'bond'),
      asset('GOLD', 'commodity'),
      asset('E2', 'equity'),
      asset('E3', 'equity'),
      asset('E4', 'equity'),
      asset('EURUSD', 'fx'),
    ];
    expect(mapAssetsToColumns(assets, eu)).toEqual([0, 2, -1, -1, 1, 3, 0, -1]);
    expect(mapAssetsToColumns(assets, eu, { E1: 'FTSE', GOLD: 'SMI' })).toEqual([3, 2, -1, 1, 0, 0, 1, -1]);
  });

  it('a flat asset keeps its spot, zero return and zero vol', () => {
    const rp = new HistoricalReplay(eu, {
      from: '1998-07-01',
      assets: [asset('EQ', 'equity'), asset('BD', 'bond', 95)],
    });
    expect(rp.columnNames).toEqual(['DAX', null]);
    const spot = simulatePaths(rp, rp.grid(), 1, 0)[1];
    const vol = simulatePaths(rp, rp.grid(), 1, 0, { field: 'vol' })[1];
    expect(new Set(spot)).toEqual(new Set([95]));
    expect(new Set(vol)).toEqual(new Set([0]));
  });
});

describe('validation', () => {
  const bad = (f: () => unknown, message: string) => {
    expect(f).toThrow(DomainError);
    expect(f).toThrow(message);
  };
  it('names every invalid option', () => {
    bad(
      () => new HistoricalReplay(eu, { from: '1997/07/01' }),
      'from ("1997/07/01") must be an ISO date YYYY-MM-DD',
    );
    bad(
      () => new HistoricalReplay(eu, { to: '31.12.1997' }),
      'to ("31.12.1997") must be an ISO date YYYY-MM-DD',
    );
    bad(
      () => new HistoricalReplay(eu, { from: '1999-01-01' }),
      'window ("1999-01-01 to end") must hold at least 2 rows of',
    );
    bad(() => new HistoricalReplay(eu, { from: '1998-08-14' }), 'must hold at least 2 rows');
    bad(() => new HistoricalReplay(eu, { periodsPerYear: 0 }), 'periodsPerYear (0) must be > 0');
    bad(
      () => new HistoricalReplay(eu, { assets: [asset('EQ', 'equity')], columns: { EQ: 'Nikkei' } }),
      'columns.EQ ("Nikkei") must be one of "DAX", "SMI", "CAC", "FTSE"',
    );
    bad(
      () => new HistoricalReplay(eu, { assets: [asset('EQ', 'equity')], columns: { XX: 'DAX' } }),
      'columns.XX ("XX") must name an asset ("EQ")',
    );
    bad(
      () => new HistoricalReplay(eu, { assets: [asset('EQ', 'equity', -1)] }),
      'assets[0].spot (-1) must be > 0',
    );
    const rp = new HistoricalReplay(eu, { from: '1998-08-01' });
    bad(() => rp.grid(0), 'stepRows (0) must be an integer in [1, 9]');
    bad(() => rp.grid(10), 'stepRows (10) must be an integer in [1, 9]');
  });
});
