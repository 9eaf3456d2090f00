import { describe, expect, it } from 'vitest';
import { choleskyCorrelation } from '../core/cholesky.ts';
import { DomainError } from '../core/errors.ts';
import { regimePreset } from '../paths/presets.ts';
import type { HistoricalReplay } from '../paths/replay.ts';
import type { ScheduledJumpGenerator } from '../paths/scheduled-jumps.ts';
import { type PathGenerator, simulate, simulatePaths, uniformGrid } from '../paths/types.ts';
import type { AssetSpec } from './asset.ts';
import type { PriceHistory } from './price-history.ts';
import { constantRate } from './rate.ts';
import { assetCorrelation, CLASS_ORDER, listRegimes } from './regimes.ts';

const NAMES = [
  'calm-bull',
  'bear-grind',
  'crash',
  'v-rebound',
  'whipsaw',
  'vol-spike',
  'stagflation',
  'hist-1997-asian-crisis',
  'hist-1998-august',
  'hist-full',
  'hist-bootstrap',
];

const book: AssetSpec[] = [
  { name: 'STOXX', assetClass: 'equity', spot: 100 },
  { name: 'SPX', assetClass: 'equity', spot: 4000 },
  { name: 'BUND', assetClass: 'bond', spot: 130 },
  { name: 'GOLD', assetClass: 'commodity', spot: 1800 },
  { name: 'EURUSD', assetClass: 'fx', spot: 1.1, carry: 0.01 },
];
const rate = constantRate(0.02);
const daily = (days: number) => uniformGrid(days / 252, days);

function meanSe(x: ArrayLike<number>) {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < x.length; i++) {
    s += x[i];
    s2 += x[i] * x[i];
  }
  const mean = s / x.length;
  const variance = s2 / x.length - mean * mean;
  return { mean, se: Math.sqrt(variance / x.length), variance };
}

/** ln(S(t_i)/S₀) of asset a on every path. */
function logLevel(
  gen: PathGenerator,
  days: number,
  i: number,
  a: number,
  nPaths: number,
  seed: number,
): Float64Array {
  const spot = simulatePaths(gen, daily(days), nPaths, seed)[a];
  const s0 = gen.assets[a].spot;
  return Float64Array.from(spot.subarray(i * nPaths, (i + 1) * nPaths), (s) => Math.log(s / s0));
}

describe('preset registry', () => {
  it('lists every preset with a one-line description and its model', () => {
    const list = listRegimes();
    expect(list.map((r) => r.name)).toEqual(NAMES);
    for (const r of list) {
      expect(r.description.length).toBeGreaterThan(20);
      expect(r.description).not.toMatch(/\n/);
      expect(r.parameters.kind).toBe(r.model);
    }
    expect(list.find((r) => r.name === 'crash')!.model).toBe('scheduled-jumps');
    expect(list.find((r) => r.name === 'stagflation')!.model).toBe('regime-switching');
    expect(list.find((r) => r.name === 'hist-full')!.model).toBe('replay');
    expect(list.find((r) => r.name === 'hist-bootstrap')!.model).toBe('bootstrap');
  });

  it('an unknown name is a DomainError listing the valid names', () => {
    const f = () => regimePreset('boom');
    expect(f).toThrow(DomainError);
    expect(f).toThrow(`regime ("boom") must be one of: ${NAMES.join(', ')}`);
  });

  it('every class-level correlation is positive semi-definite, so any book composition is valid', () => {
    for (const r of listRegimes()) {
      const p = r.parameters;
      const ks =
        p.kind === 'regime-switching'
          ? p.regimes.map((g) => g.correlation)
          : p.kind === 'scheduled-jumps'
            ? [p.correlation]
            : [];
      for (const k of ks) {
        // the limit of many assets per class: within-class correlations on the diagonal
        expect(() =>
          choleskyCorrelation(
            k.map((row, i) => row.map((v, j) => (i === j ? 1 : v))),
            4,
          ),
        ).not.toThrow();
        const factor = k.map((row) => [...row]);
        // C = B·K·Bᵀ + diag(1 − K_cc) is PSD iff K is (given 0 ≤ K_cc ≤ 1); check K itself with a tiny ridge
        for (let i = 0; i < 4; i++) factor[i][i] += 1e-9;
        const scale = factor.map((row, i) => row.map((v, j) => v / Math.sqrt(factor[i][i] * factor[j][j])));
        expect(() => choleskyCorrelation(scale, 4)).not.toThrow();
      }
    }
    const big: AssetSpec[] = CLASS_ORDER.flatMap((c) =>
      [0, 1, 2].map((i) => ({ name: `${c}${i}`, assetClass: c, spot: 1 })),
    );
    for (const name of NAMES.slice(0, 7)) expect(() => regimePreset(name)(big, rate)).not.toThrow();
    const calm = listRegimes()[0].parameters;
    if (calm.kind !== 'regime-switching') throw new Error('calm-bull is a regime-switching preset');
    const k = calm.regimes[0].correlation;
    const c = assetCorrelation(book, k);
    expect([c[0][0], c[0][1], c[0][2], c[2][3], c[3][4]]).toEqual([1, k[0][0], k[0][1], k[1][2], k[2][3]]);
  });

  it('every preset drives a multi-asset book of equities, bond, commodity and fx with finite positive prices', () => {
    for (const name of NAMES) {
      const gen = regimePreset(name)(book, rate);
      expect(gen.assets).toBe(book);
      expect(gen.rate).toBe(rate);
      let ok = true;
      simulate(gen, daily(126), 300, 1, (_i, _t, s) => {
        for (let a = 0; a < book.length; a++) {
          for (let p = 0; p < 300; p++) {
            if (!(s.spot[a][p] > 0 && Number.isFinite(s.spot[a][p]) && Number.isFinite(s.vol[a][p])))
              ok = false;
          }
        }
      });
      expect(ok, name).toBe(true);
    }
  });
});

describe('scripted presets', () => {
  it('crash gaps equities ≈ −20 % on trading day 21 (bonds +2 %), then vol is 3× and decays', () => {
    const gen = regimePreset('crash')(book, rate);
    const n = 4096;
    const lr = simulatePaths(gen, daily(63), n, 2, { field: 'logReturn' });
    const day21 = meanSe(lr[0].subarray(21 * n, 22 * n));
    const want = Math.log(0.8) + (0.06 - 0.5 * 0.15 ** 2) / 252;
    expect(Math.abs(day21.mean - want)).toBeLessThan(3 * day21.se);
    const ratios = Array.from(lr[0].subarray(21 * n, 22 * n), Math.expm1).sort((x, y) => x - y);
    expect(ratios[n / 2]).toBeGreaterThan(-0.21);
    expect(ratios[n / 2]).toBeLessThan(-0.19);
    const bond = meanSe(lr[2].subarray(21 * n, 22 * n));
    expect(Math.abs(bond.mean - (Math.log(1.02) + (0.03 - 0.5 * 0.05 ** 2) / 252))).toBeLessThan(3 * bond.se);
    expect(Math.abs(meanSe(lr[0].subarray(20 * n, 21 * n)).mean)).toBeLessThan(0.005);
    const vol = simulatePaths(gen, daily(63), 1, 2, { field: 'vol' })[0];
    expect(vol[20]).toBe(0.15);
    expect(vol[22]).toBeCloseTo(0.45, 12);
    expect(vol[43]).toBeCloseTo(0.3, 12);
  });

  it('v-rebound falls ≈ 28 % by day 25 and is back near the start by day 85', () => {
    const gen = regimePreset('v-rebound')([book[0]], rate) as ScheduledJumpGenerator;
    // E[ln S(t_i)/S₀] = Σ_steps (μ − σ(t)²/2)·dt + the phases' log moves
    const expected = (days: number) => {
      let m = 0;
      for (let i = 0; i < days; i++) m += (0.06 - 0.5 * gen.volAt(0, i / 252) ** 2) / 252;
      return m + (days >= 25 ? Math.log(0.72) : 0) - (days >= 85 ? Math.log(0.72) : 0);
    };
    for (const day of [25, 85]) {
      const x = meanSe(logLevel(gen, 85, day, 0, 8192, 3));
      if (!(Math.abs(x.mean - expected(day)) <= 3 * x.se))
        throw new Error(`day ${day}: ${x.mean} vs ${expected(day)}`);
    }
    expect(expected(25)).toBeLessThan(Math.log(0.74));
    expect(Math.abs(expected(85))).toBeLessThan(0.03);
  });

  it('whipsaw stays sideways (E ln S(T) = 0) with high daily vol but bounded dispersion', () => {
    const gen = regimePreset('whipsaw')([book[0]], rate);
    const n = 8192;
    const x = meanSe(logLevel(gen, 252, 252, 0, n, 4));
    expect(Math.abs(x.mean)).toBeLessThan(3 * x.se);
    const ouVar = (0.3 ** 2 * -Math.expm1(-20)) / 20;
    expect(Math.abs(x.variance - ouVar)).toBeLessThan(3 * ouVar * Math.sqrt(2 / n));
    // one day's move: Var(y₁ − y₀) = Var(y₀)(1 − e^{−κΔ})² + σ²(1 − e^{−2κΔ})/(2κ), Var(y₀) the OU variance at t₁₉
    const lr = simulatePaths(gen, daily(20), n, 4, { field: 'logReturn' })[0];
    const d = meanSe(lr.subarray(20 * n, 21 * n));
    const dt = 1 / 252;
    const v0 = (0.09 * -Math.expm1(-20 * 19 * dt)) / 20;
    const want = v0 * Math.expm1(-10 * dt) ** 2 + (0.09 * -Math.expm1(-20 * dt)) / 20;
    expect(Math.sqrt(want * 252)).toBeGreaterThan(0.29);
    expect(Math.abs(d.variance - want)).toBeLessThan(3 * want * Math.sqrt(2 / n));
  });

  it('vol-spike lifts equity vol to 3.5 × 14 % = 49 % after day 10', () => {
    const vol = simulatePaths(regimePreset('vol-spike')(book, rate), daily(30), 1, 5, { field: 'vol' })[0];
    expect(vol[10]).toBe(0.14);
    expect(vol[11]).toBeCloseTo(0.49, 12);
    expect(vol[26]).toBeCloseTo(0.14 * (1 + 2.5 * 0.5), 12);
  });
});

describe('regime-switching presets', () => {
  it('stagflation: stocks and bonds fall together, commodities rise, stock–bond correlation > 0', () => {
    const gen = regimePreset('stagflation')(book, rate);
    const n = 4096;
    const spot = simulatePaths(gen, daily(252), n, 6);
    const end = (a: number) =>
      meanSe(Array.from(spot[a].subarray(252 * n), (s) => Math.log(s / book[a].spot)));
    const e = end(0);
    const b = end(2);
    const c = end(3);
    expect(e.mean + 3 * e.se).toBeLessThan(0);
    expect(b.mean + 3 * b.se).toBeLessThan(0);
    expect(c.mean - 3 * c.se).toBeGreaterThan(0);
    const lr = simulatePaths(gen, daily(5), n, 7, { field: 'logReturn' });
    const x = lr[0].subarray(5 * n);
    const y = lr[2].subarray(5 * n);
    const mx = meanSe(x);
    const my = meanSe(y);
    let cxy = 0;
    for (let p = 0; p < n; p++) cxy += (x[p] - mx.mean) * (y[p] - my.mean);
    expect(cxy / n / Math.sqrt(mx.variance * my.variance)).toBeGreaterThan(0.4);
  });

  it('calm-bull rises and bear-grind falls on average over a year; calm-bull stays mostly calm', () => {
    const n = 4096;
    const bull = meanSe(logLevel(regimePreset('calm-bull')([book[0]], rate), 252, 252, 0, n, 8));
    const bear = meanSe(logLevel(regimePreset('bear-grind')([book[0]], rate), 252, 252, 0, n, 9));
    expect(bull.mean - 3 * bull.se).toBeGreaterThan(0.03);
    expect(bear.mean + 3 * bear.se).toBeLessThan(-0.05);
    let calm = 0;
    simulate(regimePreset('calm-bull')([book[0]], rate), daily(252), n, 10, (i, _t, s) => {
      if (i === 252) for (let p = 0; p < n; p++) calm += s.regime![p] === 0 ? 1 : 0;
    });
    // from `calm` at t₀: P(calm at 1y) = π + (1 − π)e^{−3.5} with π = 6/7
    const pCalm = 6 / 7 + (1 / 7) * Math.exp(-3.5);
    expect(Math.abs(calm / n - pCalm)).toBeLessThan(3 * Math.sqrt((pCalm * (1 - pCalm)) / n));
  });
});

describe('historical presets', () => {
  it('replay their windows of eustockmarkets.csv: equities map to DAX, SMI, … rescaled to spot; others stay flat', () => {
    const gen = regimePreset('hist-1998-august')(book, rate) as HistoricalReplay;
    expect(gen.dates[0]).toBe('1998-07-01');
    expect(gen.dates[gen.dates.length - 1]).toBe('1998-08-14');
    expect(gen.columnNames).toEqual(['DAX', 'SMI', null, null, null]);
    const spot = simulatePaths(gen, gen.grid(), 1, 0);
    // DAX 1998-07-01 → 1998-08-14 (reconstructed dates): 5,910.51 → 5,473.72
    expect(spot[0][gen.nSteps] / spot[0][0]).toBeCloseTo(gen.priceAt(0, gen.nSteps) / 100, 12);
    expect(spot[2][gen.nSteps]).toBe(130);
    const asia = regimePreset('hist-1997-asian-crisis')(book, rate) as HistoricalReplay;
    expect([asia.dates[0], asia.dates[asia.dates.length - 1]]).toEqual(['1997-07-01', '1997-12-31']);
    const full = regimePreset('hist-full')(book, rate) as HistoricalReplay;
    expect(full.nSteps).toBe(1859);
    expect(full.priceAt(0, full.nSteps)).toBeCloseTo((100 * 5473.72) / 1628.75, 10);
  });

  it('accept another history and column overrides', () => {
    const h: PriceHistory = {
      dates: ['1998-07-01', '1998-07-02', '1998-07-03'],
      columns: ['X'],
      prices: [Float64Array.of(10, 11, 12.1)],
      source: 'inline',
    };
    const gen = regimePreset('hist-1998-august')([{ name: 'EQ', assetClass: 'equity', spot: 10 }], rate, {
      history: h,
      columns: { EQ: 'X' },
    });
    expect(simulatePaths(gen, uniformGrid(2 / 252, 2), 1, 0)[0]).toEqual(Float64Array.of(10, 11, 12.1));
  });

  it('hist-bootstrap resamples 1991–1998 returns for many paths', () => {
    const gen = regimePreset('hist-bootstrap')(book, rate);
    const spot = simulatePaths(gen, daily(252), 512, 11);
    const end = spot[1].subarray(252 * 512);
    expect(new Set(end).size).toBeGreaterThan(500);
    expect(spot[3][252 * 512]).toBe(1800);
  });
});
