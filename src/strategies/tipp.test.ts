import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.ts';
import { runEngine } from '../engine/engine.ts';
import type { PriceHistory } from '../market/price-history.ts';
import { constantRate } from '../market/rate.ts';
import { HistoricalReplay } from '../paths/replay.ts';
import { costModel } from '../portfolio/costs.ts';
import type { CppiState } from './cppi.ts';
import { type TippParams, tipp } from './tipp.ts';
import type { Strategy } from './types.ts';

const series = (px: readonly number[]): PriceHistory => ({
  dates: px.map((_, i) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10)),
  columns: ['A'],
  prices: [Float64Array.from(px)],
  source: 'hand',
});

/** Runs TIPP on one replayed path; returns per step the floor, exposure and value seen by decide. */
function trace(px: readonly number[], params: Omit<TippParams, 'weights'>, rate = 0) {
  const floors: number[] = [];
  const exps: number[] = [];
  const vals: number[] = [];
  const s = tipp({ weights: Float64Array.of(1), ...params });
  const spy: Strategy<CppiState> = {
    ...s,
    decide(view, book, st, targets) {
      s.decide(view, book, st, targets);
      floors.push(st.floor[0]);
      exps.push(st.exposure[0]);
      vals.push(book.value[0]);
    },
  };
  const gen = new HistoricalReplay(series(px), { dayCount: 'rows', rate: constantRate(rate) });
  runEngine({
    generator: gen,
    grid: gen.grid(),
    nPaths: 1,
    seed: 1,
    initialValue: 100,
    runs: [{ strategy: spy, costs: costModel(), rebalance: {}, vols: { kind: 'constant', vol: 0.2 } }],
    stepsPerYear: 252,
  });
  return { floors, exps, vals };
}

describe('tipp ratchet', () => {
  it('a rising path 100 → 120 → 130 → 110 ratchets the floor by hand-checkable amounts', () => {
    const { floors, exps, vals } = trace([100, 120, 130, 110], {
      floor: 0.8,
      multiplier: 3,
      ratchet: 0.9,
      floorAccrues: false,
    });
    // t0: F₀ = max(0.8, 0.9)·100 = 90, C 10, E 30 → 0.3 units, cash 70
    // t1: V 36 + 70 = 106 (new peak), F = max(90, 95.4) = 95.4, E = 3·10.6 = 31.8 → 31.8/120 units, cash 74.2
    // t2: V 31.8·130/120 + 74.2 = 108.65 (new peak), F = 0.9·108.65 = 97.785, E = 3·10.865 = 32.595
    // t3: V 32.595·110/130 + 76.055 = 103.6355… (below the peak): F stays 97.785
    const v3 = 32.595 * (110 / 130) + 76.055;
    const want = {
      vals: [100, 106, 108.65, v3],
      floors: [90, 95.4, 97.785, 97.785],
      exps: [30, 31.8, 32.595, 3 * (v3 - 97.785)],
    };
    for (let i = 0; i < 4; i++) {
      expect(vals[i]).toBeCloseTo(want.vals[i], 11);
      expect(floors[i]).toBeCloseTo(want.floors[i], 11);
      expect(exps[i]).toBeCloseTo(want.exps[i], 11);
    }
  });

  it('starts at floor·V₀ when the floor is above the ratchet, and ratcheting to 0 is plain CPPI', () => {
    expect(
      trace([100, 120], { floor: 0.85, multiplier: 3, ratchet: 0.5, floorAccrues: false }).floors,
    ).toEqual([85, 85]);
    const flat = trace([100, 130, 90], { floor: 0.8, multiplier: 3, ratchet: 0, floorAccrues: false });
    expect(flat.floors).toEqual([80, 80, 80]);
  });

  it('with an accruing floor grows Fₜ₋₁ at the rate between new peaks', () => {
    const { floors } = trace([100, 90, 95], { floor: 0.8, multiplier: 3, ratchet: 0.9 }, 0.05);
    const g = Math.exp(0.05 / 252);
    expect(floors[0]).toBe(90);
    expect(floors[1]).toBeCloseTo(90 * g, 12);
    expect(floors[2]).toBeCloseTo(90 * g * g, 12);
  });

  it('never lowers the floor, which stays at or above ratchet × the running peak (random paths, r ≥ 0)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.3, max: 0.3, noNaN: true }), { minLength: 1, maxLength: 30 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 8, noNaN: true }),
        fc.boolean(),
        fc.double({ min: 0, max: 0.1, noNaN: true }),
        (rets, floor, ratchet, multiplier, floorAccrues, rate) => {
          const px = [100];
          for (const x of rets) px.push(px[px.length - 1] * Math.exp(x));
          const { floors, vals } = trace(px, { floor, multiplier, ratchet, floorAccrues }, rate);
          let peak = Number.NEGATIVE_INFINITY;
          for (let i = 0; i < floors.length; i++) {
            peak = Math.max(peak, vals[i]);
            if (i > 0 && !(floors[i] >= floors[i - 1])) return false;
            if (!(floors[i] >= ratchet * peak * (1 - 1e-15))) return false;
          }
          return true;
        },
      ),
      { seed: 20261125, numRuns: 200 },
    );
  });

  it('names itself and validates the ratchet', () => {
    const w = Float64Array.of(1);
    expect(tipp({ weights: w, floor: 0.8, multiplier: 4, ratchet: 0.9 }).name).toBe('tipp m=4 f=80% r=90%');
    expect(tipp({ weights: w, floor: 0.8, multiplier: 4, ratchet: 0.9 }).kind).toBe('tipp');
    expect(() => tipp({ weights: w, floor: 0.8, multiplier: 4, ratchet: 1.5 })).toThrow(DomainError);
    expect(() => tipp({ weights: w, floor: 0.8, multiplier: 4, ratchet: 1.5 })).toThrow(
      'ratchet (1.5) must be in [0, 1]',
    );
    expect(() => tipp({ weights: w, floor: 0.8, multiplier: 4 } as TippParams)).toThrow(
      'ratchet (undefined) must be in [0, 1]',
    );
  });
});
