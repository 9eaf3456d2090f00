import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalisedBlack, normalisedVega, otmBlack, otmBlackComplement } from './normalised-black.ts';

const fixture = JSON.parse(
  readFileSync(
    new URL('../../test/fixtures/mpmath/implied-vol-normalised-black.json', import.meta.url),
    'utf8',
  ),
) as { tolerance: { eps: number }; cases: { x: number; s: number; b: number; region: string }[] };

describe('normalised Black function b(x, s) against mpmath (50 digits)', () => {
  it('is accurate to 8ε·(1 + h²) relative in all four regions (a few ulp; h² from a = 1 + hY)', () => {
    const worst: Record<string, number> = {};
    for (const c of fixture.cases) {
      const got = otmBlack(c.x, c.s);
      const rel = Math.abs(got - c.b) / c.b;
      worst[c.region] = Math.max(worst[c.region] ?? 0, rel);
      const h = c.x / c.s;
      expect(rel, JSON.stringify(c)).toBeLessThanOrEqual(8 * fixture.tolerance.eps * (1 + h * h));
    }
    expect(Object.keys(worst).sort()).toEqual(['A', 'B', 'C', 'D']);
  });
});

describe('normalised Black identities', () => {
  it('put-call symmetry and parity: b(x,s,−1) = b(−x,s,+1), b(x,s,+1) − b(x,s,−1) = e^{x/2} − e^{−x/2}', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -5, max: 5, noNaN: true }),
        fc.double({ min: 1e-3, max: 10, noNaN: true }),
        (x, s) => {
          const call = normalisedBlack(x, s, 1);
          const put = normalisedBlack(x, s, -1);
          const parity = Math.exp(x / 2) - Math.exp(-x / 2);
          const scale = Math.max(Math.exp(x / 2), Math.exp(-x / 2));
          return put === normalisedBlack(-x, s, 1) && Math.abs(call - put - parity) <= 8e-16 * scale;
        },
      ),
      { seed: 20261125, numRuns: 1000 },
    );
  });

  it('the complement e^{x/2} − b equals the direct difference where no cancellation occurs', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -3, max: 0, noNaN: true }),
        fc.double({ min: 0.05, max: 3, noNaN: true }),
        (x, s) => {
          const direct = Math.exp(x / 2) - otmBlack(x, s);
          return Math.abs(otmBlackComplement(x, s) - direct) <= 4e-16;
        },
      ),
      { seed: 20261125, numRuns: 500 },
    );
  });

  it('vega is the s-derivative of b (central differences)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -2, max: 0, noNaN: true }),
        fc.double({ min: 0.1, max: 3, noNaN: true }),
        (x, s) => {
          const h = 1e-5 * s;
          const fd = (otmBlack(x, s + h) - otmBlack(x, s - h)) / (2 * h);
          return Math.abs(fd - normalisedVega(x, s)) <= 1e-8;
        },
      ),
      { seed: 20261125, numRuns: 300 },
    );
  });

  it('has the documented limits: 0 at s = 0, e^{x/2} at s = ∞, NaN for NaN', () => {
    expect(otmBlack(-0.5, 0)).toBe(0);
    expect(otmBlack(-0.5, Number.POSITIVE_INFINITY)).toBe(Math.exp(-0.25));
    expect(otmBlack(Number.NaN, 0.2)).toBeNaN();
    expect(normalisedBlack(0.3, 0, 1)).toBe(2 * Math.sinh(0.15));
  });
});
