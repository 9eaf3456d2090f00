import { describe, expect, it } from 'vitest';
import { handHistory, runHand } from '../../test/strategy-harness.ts';
import { EngineStepper } from '../engine/stepper.ts';
import { costModel } from '../portfolio/costs.ts';
import { bsmPrice } from '../pricing/black-scholes.ts';
import { rollInterval } from './option-roll.ts';
import { protectivePut } from './protective-put.ts';

/** 64 daily rows (63 steps = a quarter of a 252-day year): a steady rise or fall with wiggles. */
function path(drift: number): number[] {
  return Array.from({ length: 64 }, (_, i) => 100 * Math.exp(drift * i + 0.01 * Math.sin(1.7 * i)));
}

describe('roll schedules', () => {
  it('maps names to years and rejects bad numbers', () => {
    expect(rollInterval('monthly')).toBe(1 / 12);
    expect(rollInterval('quarterly')).toBe(0.25);
    expect(rollInterval(0.5)).toBe(0.5);
    expect(rollInterval('none')).toBe(Number.POSITIVE_INFINITY);
    expect(rollInterval(undefined)).toBe(Number.POSITIVE_INFINITY);
    expect(() => rollInterval(-1)).toThrow(/roll \(-1\) must be > 0/);
  });
});

describe('rolling protective put', () => {
  const monthly = (tenor: number) =>
    protectivePut({ weights: Float64Array.of(1), strike: 0.95, tenor, roll: 'monthly' });

  it('rolls on schedule (steps 21 and 42 of a daily quarter, never at the horizon)', () => {
    const run = runHand(handHistory(path(0.002)), monthly(1 / 12), { rate: 0.03 }).runs[0];
    const optionSteps = run.ledger.filter((t) => t.kind === 'option').map((t) => t.step);
    expect(optionSteps).toEqual([0, 21, 42]);
  });

  it('closes the live put at its mark, then opens the new one, on each roll date', () => {
    const run = runHand(handHistory(path(0.002)), monthly(0.25), { rate: 0.03 }).runs[0];
    const opts = run.ledger.filter((t) => t.kind === 'option');
    expect(opts.map((t) => t.step)).toEqual([0, 21, 21, 42, 42]);
    for (const s of [21, 42]) {
      const [close, open] = opts.filter((t) => t.step === s);
      const before = opts.filter((t) => t.step < s);
      const held = before.reduce((q, t) => q + t.qty, 0);
      expect(close!.qty).toBeCloseTo(-held, 12);
      expect(open!.qty).toBeGreaterThan(0);
      expect(open!.price).toBeGreaterThan(0);
    }
  });

  it('sells sleeve units to pay the premium when cash is short (expired put worthless)', () => {
    const prices = path(0.002);
    const run = runHand(handHistory(prices), monthly(1 / 12), { rate: 0, rebalance: { calendar: 5 } })
      .runs[0];
    const at = (s: number, kind: string) => run.ledger.filter((t) => t.step === s && t.kind === kind);
    const u0 = at(0, 'asset')[0].qty;
    const open = at(21, 'option')[0];
    const sale = at(21, 'asset')[0];
    // forced through the calendar policy (21 is not a multiple of 5); cash 0 after the roll:
    // λ·u0·(S + P) = u0·S  ⇒  units after = u0·S/(S + P)
    const S = prices[21];
    const lambda = S / (S + open.price);
    expect(sale.qty).toBeCloseTo(u0 * (lambda - 1), 10);
    expect(open.qty).toBeCloseTo(u0 * lambda, 10);
    expect(run.values.get(0)![21]).toBeCloseTo(u0 * S, 10);
  });

  it('pays the premium from cash when the expired put paid off, keeping the units', () => {
    const prices = path(-0.004);
    const run = runHand(handHistory(prices), monthly(1 / 12), { rate: 0 }).runs[0];
    const at = (s: number, kind: string) => run.ledger.filter((t) => t.step === s && t.kind === kind);
    const u0 = at(0, 'asset')[0].qty;
    expect(at(21, 'asset')).toEqual([]);
    expect(at(21, 'option')[0].qty).toBeCloseTo(u0, 12);
    // the put struck at 95 paid 95 − S₂₁ per unit, more than the new premium
    expect(95 - prices[21]).toBeGreaterThan(at(21, 'option')[0].price);
  });
});

describe('sizing with the run vol input (the quote service)', () => {
  it('finances the premium exactly at the vol the book prices with', () => {
    const assets = [{ name: 'A', assetClass: 'equity' as const, spot: 100 }];
    const stepper = new EngineStepper({
      assets,
      nPaths: 1,
      firstPath: 0,
      initialValue: 100,
      runs: [
        {
          strategy: protectivePut({ weights: Float64Array.of(1), strike: 0.95, tenor: 1 }),
          costs: costModel(),
          rebalance: {},
          vols: { kind: 'constant', vol: 0.25 },
        },
      ],
      benchmark: 0,
      stepsPerYear: 2,
    });
    stepper.step({
      i: 0,
      t: 0,
      date: undefined,
      spot: [Float64Array.of(100)],
      vol: [Float64Array.of(0)], // a model vol of 0 would misprice: the run's 25 % must be used
      logReturn: [Float64Array.of(0)],
      rateOverStep: 0.03,
      rateNext: 0.03,
      dtNext: 0.5,
      final: false,
      end: 1,
    });
    const book = stepper.books[0];
    const P = bsmPrice('put', 100, 95, 1, 0.03, 0, 0.25);
    expect(book.units[0][0]).toBeCloseTo(100 / (100 + P), 12);
    expect(book.lines[0].qty[0]).toBeCloseTo(100 / (100 + P), 12);
    expect(book.cash[0]).toBeCloseTo(0, 12);
  });
});
