import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bsmGreeks, bsmPrice } from '../../pricing/black-scholes.ts';
import { cushionUnits, MoveTracker, moveInSigmas, shockedLossOverCushion, shockedPnl } from './measure.ts';

describe('driver measurements', () => {
  it('cushion in units of 1/m: one unit is a cushion that a 1/m drop of the whole book uses up', () => {
    expect(cushionUnits(100, 90, 4)).toBeCloseTo(0.4, 15);
    expect(cushionUnits(100, 75, 4)).toBe(1);
    expect(cushionUnits(80, 90, 4)).toBeCloseTo(-0.5, 15);
    expect(cushionUnits(0, 90, 4)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('shocked P&L is exact for units and signs the loss for a long book', () => {
    expect(shockedPnl(2, 0, 0, 50, -0.1, 0.1)).toBeCloseTo(-10, 12);
    expect(shockedPnl(-2, 0, 0, 50, -0.1, 0.1)).toBeCloseTo(10, 12);
    expect(shockedLossOverCushion(-10, 20)).toBe(0.5);
    expect(shockedLossOverCushion(5, 20)).toBe(0);
    expect(shockedLossOverCushion(-1, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(shockedLossOverCushion(0, -3)).toBe(0);
  });

  it('the delta-gamma-vega expansion of a put tracks full revaluation to third order in the shock', () => {
    // put K = 100, T = 0.5, r = 2 %, σ = 20 %: ν per 1.00 of vol
    const price = (S: number) => bsmPrice('put', S, 100, 0.5, 0.02, 0, 0.2);
    const g = bsmGreeks('put', 100, 100, 0.5, 0.02, 0, 0.2);
    fc.assert(
      fc.property(fc.double({ min: -0.1, max: 0.1, noNaN: true }), (s) => {
        const exact = price(100 * (1 + s)) - price(100);
        const approx = shockedPnl(g.delta, g.gamma, 0, 100, s, 0);
        // the error of a second-order Taylor step is bounded by |speed|·|dS|³/6; the put's speed is
        // below 0.002 per unit³ here, so 0.002·(100 s)³/6
        expect(Math.abs(exact - approx)).toBeLessThanOrEqual((0.002 * Math.abs(100 * s) ** 3) / 6 + 1e-12);
      }),
      { seed: 20261203, numRuns: 200 },
    );
  });

  it('EWMA move tracker: a 9 % fall against a 20 % vol seed, then the RiskMetrics variance update', () => {
    const m = new MoveTracker(0.94, 0.2);
    const r = Math.log(0.91);
    const out = m.observe(r, 1 / 252);
    expect(out.indexDrop).toBeCloseTo(0.09, 12);
    expect(out.moveSigmas).toBeCloseTo(Math.abs(r) / (0.2 / Math.sqrt(252)), 12);
    expect(m.variance).toBeCloseTo(0.94 * 0.04 + 0.06 * r * r * 252, 12);
    expect(moveInSigmas(-0.02, 0.04, 1 / 252)).toBeCloseTo(0.02 / (0.2 / Math.sqrt(252)), 12);
    expect(() => new MoveTracker(1, 0.2)).toThrow(/lambda \(1\) must be in \(0, 1\)/);
    expect(() => m.observe(0, 0)).toThrow(/dt \(0\) must be > 0/);
  });
});
