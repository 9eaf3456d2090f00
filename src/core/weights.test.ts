import { describe, expect, it } from 'vitest';
import { checkWeights, INPUT_WEIGHT_SUM_TOL, sumsToOne, WEIGHT_SUM_TOL, weightSum } from './weights.ts';

describe('weights', () => {
  it('accepts non-negative weights summing to 1 within the tolerance', () => {
    expect(() => checkWeights(Float64Array.of(0.6, 0.3, 0.1))).not.toThrow();
    expect(() => checkWeights([1])).not.toThrow();
    expect(() => checkWeights([0.5, 0.5 + 0.5 * WEIGHT_SUM_TOL])).not.toThrow();
  });

  it('names the first bad weight, or the sum', () => {
    expect(() => checkWeights([0.5, -0.1, Number.NaN])).toThrow('weights[1] (-0.1) must be >= 0');
    expect(() => checkWeights([0.5, Number.NaN], 'sleeve')).toThrow(/sleeve\[1\]/);
    expect(() => checkWeights([0.5, 0.25])).toThrow('sum of weights (0.75) must be 1');
  });

  it('sums in index order; typed-input tolerance is looser', () => {
    expect(weightSum([0.1, 0.2, 0.3])).toBe(0.1 + 0.2 + 0.3);
    expect(sumsToOne(1.0000003)).toBe(false);
    expect(sumsToOne(1.0000003, INPUT_WEIGHT_SUM_TOL)).toBe(true);
    expect(sumsToOne(Number.NaN, 1)).toBe(false);
  });
});
