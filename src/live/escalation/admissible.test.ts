import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRiskReducing, levelPolicy } from './admissible.ts';

/**
 * A one-asset book: `units` of the asset at spot S plus `puts` European puts (delta per put
 * `putDelta`, value change under the shock `putGain` per put). Shocked loss = −(change under a
 * −10 % spot shock), clipped at 0; gross = |net delta|·S for one asset.
 */
function measures(units: number, puts: number, S = 100, putDelta = -0.4, putGain = 6) {
  const delta = (units + puts * putDelta) * S;
  const shockPnl = -0.1 * S * units + puts * putGain;
  return { shockedLoss: Math.max(0, -shockPnl), delta, gross: Math.abs(delta) };
}

describe('the DE-RISK rule', () => {
  it('admits buying puts on a long book', () => {
    const r = isRiskReducing(measures(100, 0), measures(100, 50));
    expect(r.admitted).toBe(true);
    expect(r.reason).toMatch(/shocked loss/);
  });

  it('refuses a sell that flips a long book short, though |delta| and the shocked loss fall', () => {
    const r = isRiskReducing(measures(100, 0), measures(-50, 0));
    expect(r).toEqual({ admitted: false, reason: 'delta changes sign (10000 → -5000)' });
  });

  it('admits a sell toward flat and refuses a buy that adds risk', () => {
    expect(isRiskReducing(measures(100, 0), measures(40, 0)).admitted).toBe(true);
    expect(isRiskReducing(measures(100, 0), measures(140, 0))).toMatchObject({
      admitted: false,
      reason: expect.stringMatching(/shocked loss rises/),
    });
  });

  it('refuses a trade that reduces nothing, and one that raises gross exposure', () => {
    expect(isRiskReducing(measures(100, 0), measures(100, 0)).reason).toBe('reduces no risk measure');
    expect(
      isRiskReducing({ shockedLoss: 10, delta: 100, gross: 100 }, { shockedLoss: 9, delta: 100, gross: 140 }),
    ).toMatchObject({ admitted: false, reason: expect.stringMatching(/gross exposure rises/) });
  });

  it('names a bad measure', () => {
    expect(() =>
      isRiskReducing({ shockedLoss: Number.NaN, delta: 0, gross: 0 }, { shockedLoss: 0, delta: 0, gross: 0 }),
    ).toThrow(/before\.shockedLoss \(NaN\) must be a finite number/);
    expect(() =>
      isRiskReducing({ shockedLoss: 0, delta: 0, gross: 0 }, { shockedLoss: 0, delta: 0, gross: -1 }),
    ).toThrow(/after\.gross \(-1\) must be >= 0/);
  });

  it('property: an admitted trade never raises a measure nor flips delta; a scaled-down book is admitted', () => {
    const m = fc.record({
      shockedLoss: fc.double({ min: 0, max: 1e6, noNaN: true }),
      delta: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      gross: fc.double({ min: 0, max: 1e6, noNaN: true }),
    });
    fc.assert(
      fc.property(m, m, (a, b) => {
        const r = isRiskReducing(a, b, 0);
        if (r.admitted) {
          expect(b.shockedLoss).toBeLessThanOrEqual(a.shockedLoss);
          expect(Math.abs(b.delta)).toBeLessThanOrEqual(Math.abs(a.delta));
          expect(b.gross).toBeLessThanOrEqual(a.gross);
          expect(a.delta * b.delta).toBeGreaterThanOrEqual(0);
        }
      }),
      { seed: 20261203, numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e4, noNaN: true }),
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        (u, k) => {
          expect(isRiskReducing(measures(u, 0), measures(u * k, 0)).admitted).toBe(true);
        },
      ),
      { seed: 20261203, numRuns: 200 },
    );
  });
});

describe('level policy', () => {
  it('trades freely below DE-RISK, risk-reducing only from DE-RISK, cash-locks at PROTECT, nothing when HALTED', () => {
    expect(levelPolicy('NORMAL')).toEqual({ trade: true, riskReducingOnly: false, cashLock: false });
    expect(levelPolicy('WATCH')).toEqual({ trade: true, riskReducingOnly: false, cashLock: false });
    expect(levelPolicy('DE-RISK')).toEqual({ trade: true, riskReducingOnly: true, cashLock: false });
    expect(levelPolicy('PROTECT')).toEqual({ trade: true, riskReducingOnly: true, cashLock: true });
    expect(levelPolicy('HALTED').trade).toBe(false);
    expect(() => levelPolicy('PANIC' as never)).toThrow(/level \("PANIC"\) must be/);
  });
});
