/**
 * isoDate (kept per UTC day) equals the UTC date of every timestamp, in any order of calls.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoDate } from './live-source.ts';

describe('isoDate', () => {
  it('is the UTC date of each timestamp whatever the order of calls (day boundaries, negative times)', () => {
    const day = 86_400_000;
    const ts = fc.oneof(
      fc.integer({ min: -1e13, max: 1e13 }),
      // around midnights: the last and first milliseconds of a day
      fc
        .integer({ min: -20_000, max: 120_000 })
        .chain((d) => fc.constantFrom(d * day - 1, d * day, d * day + 1)),
    );
    fc.assert(
      fc.property(fc.array(ts, { minLength: 1, maxLength: 30 }), (xs) => {
        for (const t of xs) expect(isoDate(t)).toBe(new Date(t).toISOString().slice(0, 10));
      }),
      { seed: 20261203, numRuns: 300 },
    );
  });
});
