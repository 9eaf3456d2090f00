import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXP_INV_L, EXP_L1, EXP_L2 } from './exp-table.ts';
import { expFast } from './fast-exp.ts';

const fixture = JSON.parse(
  readFileSync(new URL('../../test/fixtures/mpmath/exp.json', import.meta.url), 'utf8'),
) as {
  cases: [number, number][];
};

/** Distance in units in the last place between two positive doubles. */
function ulps(a: number, b: number): number {
  if (a === b) return 0;
  const buf = new DataView(new ArrayBuffer(16));
  buf.setFloat64(0, a);
  buf.setFloat64(8, b);
  return Number(buf.getBigInt64(0) - buf.getBigInt64(8));
}

describe('expFast', () => {
  it('is within 1 ulp of the correctly rounded exp (mpmath, 7,000 points over [−745, 709.78])', () => {
    const bad: string[] = [];
    let worst = 0;
    for (const [x, want] of fixture.cases) {
      const d = Math.abs(ulps(expFast(x), want));
      worst = Math.max(worst, d);
      if (d > 1) bad.push(`x=${x}: got ${expFast(x)} want ${want} (${d} ulp)`);
    }
    expect(bad).toEqual([]);
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('uses the generated reduction constants', () => {
    const src = readFileSync(new URL('./fast-exp.ts', import.meta.url), 'utf8');
    for (const c of [EXP_INV_L, EXP_L1, EXP_L2]) expect(src).toContain(String(c));
  });

  it('handles the IEEE edges like Math.exp', () => {
    expect(expFast(0)).toBe(1);
    expect(expFast(Number.NaN)).toBeNaN();
    expect(expFast(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(expFast(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(expFast(710)).toBe(Number.POSITIVE_INFINITY);
    expect(expFast(-746)).toBe(0);
    expect(expFast(-1e-300)).toBe(1);
  });

  it('agrees with Math.exp to 1 ulp and is monotone on random pairs', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -700, max: 700, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (x, h) => {
          const close = Math.abs(ulps(expFast(x), Math.exp(x))) <= 1;
          const y = x + h;
          return close && expFast(y) >= expFast(x);
        },
      ),
      { seed: 20261125, numRuns: 20000 },
    );
  });
});
