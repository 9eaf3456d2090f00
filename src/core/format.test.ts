import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentLabel, percentValue } from './format.ts';

describe('percentLabel', () => {
  it('prints the shortest rounded percent, with or without a space', () => {
    expect(percentLabel(0.8)).toBe('80%');
    expect(percentLabel(0.925)).toBe('92.5%');
    expect(percentLabel(0.9125)).toBe('91.3%');
    expect(percentLabel(0.9125, { decimals: 2 })).toBe('91.25%');
    expect(percentLabel(0.6, { space: true })).toBe('60 %');
    expect(percentLabel(0.555, { decimals: 0 })).toBe('56%');
  });

  it('is the labels’ former formulas, bit for bit (1 and 0 decimals; 2 decimals up to 4-decimal inputs)', () => {
    fc.assert(
      fc.property(fc.double({ min: -10, max: 10, noNaN: true }), (x) => {
        expect(percentLabel(x)).toBe(`${Math.round(x * 1000) / 10}%`); // cppi percentLabel, scenario pct
        expect(percentLabel(x, { decimals: 0 })).toBe(`${Math.round(x * 100)}%`); // constant-mix name
      }),
      { seed: 1 },
    );
    for (let i = 0; i <= 20_000; i++) {
      const x = i / 10_000;
      // option-roll pct: equal for strikes given to 4 decimals (they differ only at half-cent ties)
      expect(percentLabel(x, { decimals: 2 })).toBe(`${Number((x * 100).toFixed(2))}%`);
    }
  });
});

describe('percentValue', () => {
  it('prints fixed decimals and n/a for undefined values', () => {
    expect(percentValue(0.0123)).toBe('1.23 %');
    expect(percentValue(0.2, 6)).toBe('20.000000 %');
    expect(percentValue(Number.NaN)).toBe('n/a');
    expect(percentValue(Number.POSITIVE_INFINITY)).toBe('n/a');
  });
});
