import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { erfc, gaussExp, normCdf, normCdfWithGauss, normInv, normPdf } from './normal.ts';
import { normCdfFast, normCdfFromGauss } from './normal-fast.ts';
import { MILLS_T_MAX } from './normal-fast-table.ts';

interface Fixture<C> {
  readonly source: string;
  readonly tolerance: Record<string, number | string>;
  readonly cases: readonly C[];
}
const load = <C>(name: string): Fixture<C> =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/mpmath/${name}`, import.meta.url), 'utf8'));

const CDF = load<{ x: number; cdf: number; pdf: number }>('normal-cdf.json');
const ERFC = load<{ x: number; erfc: number }>('normal-cdf-erfc.json');
const INV = load<{ p: number; x: number }>('normal-cdf-inverse.json');

const SEED = 20261125;
const MIN_NORMAL = 2.2250738585072014e-308;

/** |got − ref| ≤ rel·|ref|, plus one subnormal unit where ref is subnormal (or flushes to 0). */
function within(got: number, ref: number, rel: number): boolean {
  const tol = rel * Math.abs(ref) + (Math.abs(ref) < MIN_NORMAL ? Number.MIN_VALUE : 0);
  return Math.abs(got - ref) <= tol;
}

/** Runs `fn` on every case and returns the failures, each with all its inputs. */
function failures<C>(cases: readonly C[], check: (c: C) => string | undefined): string[] {
  const out: string[] = [];
  for (const c of cases) {
    const msg = check(c);
    if (msg !== undefined) out.push(`${JSON.stringify(c)}: ${msg}`);
  }
  return out;
}

const CDF_FUNCTIONS: readonly (readonly [string, (x: number) => number])[] = [
  ['normCdf', normCdf],
  ['normCdfWithGauss', (x) => normCdfWithGauss(x, gaussExp(x))],
  ['normCdfFromGauss', (x) => normCdfFromGauss(x, gaussExp(x))],
  ['normCdfFast', normCdfFast],
];

describe('normal distribution vs mpmath (50 digits)', () => {
  const rel = CDF.tolerance.cdfRelative as number;
  it('uses the documented tolerance of 2e-15 relative', () => {
    expect(rel).toBe(2e-15);
    expect(CDF.cases.length).toBeGreaterThan(4000);
  });

  for (const [name, fn] of CDF_FUNCTIONS) {
    it(`${name} matches Φ(x) to 2e-15 relative on [−38.5, 9] (one subnormal unit below 2.2e-308)`, () => {
      const bad = failures(CDF.cases, (c) => {
        const got = fn(c.x);
        return within(got, c.cdf, rel) ? undefined : `${name} = ${got}, rel err ${Math.abs(got / c.cdf - 1)}`;
      });
      expect(bad).toEqual([]);
    });
  }

  // For x > 0, Φ(x) ∈ (½, 1] where doubles are 1.11e-16 apart: 1.3e-16 admits one unit in the last
  // place against the correctly rounded reference, not two (the exact error is ≤ 1.5e-16).
  it('normCdfFromGauss is within one ulp (1.3e-16 absolute) of Φ(x) for x > 0', () => {
    const bad = failures(
      CDF.cases.filter((c) => c.x > 0),
      (c) => {
        const got = normCdfFromGauss(c.x, gaussExp(c.x));
        return Math.abs(got - c.cdf) <= 1.3e-16 ? undefined : `got ${got}, abs err ${Math.abs(got - c.cdf)}`;
      },
    );
    expect(bad).toEqual([]);
  });

  it('normPdf matches φ(x) to 2e-15 relative', () => {
    const bad = failures(CDF.cases, (c) => {
      const got = normPdf(c.x);
      return within(got, c.pdf, CDF.tolerance.pdfRelative as number) ? undefined : `normPdf = ${got}`;
    });
    expect(bad).toEqual([]);
  });

  it('erfc matches mpmath to 2e-15 relative on [−6, 27]', () => {
    const bad = failures(ERFC.cases, (c) => {
      const got = erfc(c.x);
      return within(got, c.erfc, ERFC.tolerance.erfcRelative as number) ? undefined : `erfc = ${got}`;
    });
    expect(bad).toEqual([]);
  });

  it('normInv (AS 241) matches Φ⁻¹(p) to 1e-14 relative for p in [1e-300, 1 − 2⁻⁵³]', () => {
    expect(INV.tolerance.relative).toBe(1e-14);
    const bad = failures(INV.cases, (c) => {
      const got = normInv(c.p);
      return within(got, c.x, 1e-14) ? undefined : `normInv = ${got}, rel err ${Math.abs(got / c.x - 1)}`;
    });
    expect(bad).toEqual([]);
  });
});

describe('normCdfFromGauss special values', () => {
  it('gives ½ at ±0, 0 and 1 at ∓∞ (g = 0), NaN for NaN', () => {
    expect(normCdfFromGauss(0, 1)).toBe(0.5);
    expect(normCdfFromGauss(-0, 1)).toBe(0.5);
    expect(normCdfFromGauss(Number.NEGATIVE_INFINITY, 0)).toBe(0);
    expect(normCdfFromGauss(Number.POSITIVE_INFINITY, 0)).toBe(1);
    expect(normCdfFromGauss(Number.NaN, Number.NaN)).toBeNaN();
    expect(normCdfFromGauss(Number.NaN, 1)).toBeNaN();
    expect(normCdfFast(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(normCdfFast(Number.POSITIVE_INFINITY)).toBe(1);
    expect(normCdfFast(Number.NaN)).toBeNaN();
  });

  it('is exactly 0 and 1 beyond the table (|x| > 38.625, where exp(−x²/2) underflows)', () => {
    for (const x of [MILLS_T_MAX, 38.7, 40, 1e10, 1e300]) {
      expect(normCdfFast(-x)).toBe(0);
      expect(normCdfFast(x)).toBe(1);
      expect(normCdfFromGauss(-x, 0)).toBe(0);
      expect(normCdfFromGauss(x, 0)).toBe(1);
    }
    // gaussExp itself is 0 up to |x| ≈ 1.3e154 (beyond, its x² overflows and it returns NaN).
    expect(normCdfFromGauss(-1e10, gaussExp(1e10))).toBe(0);
  });

  it('agrees with the documented examples', () => {
    expect(normCdfFromGauss(-2, Math.exp(-2))).toBe(0.02275013194817921);
    expect(normCdfFast(-10)).toBe(7.619853024160527e-24);
  });
});

describe('normal CDF properties (fast-check)', () => {
  const xs = fc.double({ min: -40, max: 10, noNaN: true });

  it('Φ is monotone non-decreasing (normCdf and normCdfFast)', () => {
    fc.assert(
      fc.property(xs, xs, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        return normCdf(lo) <= normCdf(hi) && normCdfFast(lo) <= normCdfFast(hi);
      }),
      { seed: SEED, numRuns: 20_000 },
    );
  });

  it('normCdfFast is monotone even between adjacent doubles, across every table bucket edge', () => {
    const f = new Float64Array(1);
    const bits = new BigInt64Array(f.buffer);
    const nextUp = (x: number): number => {
      f[0] = x;
      bits[0] += x >= 0 ? 1n : -1n;
      return f[0];
    };
    const bad: string[] = [];
    for (let k = 1; k < 16 * 38; k++) {
      for (const edge of [-k / 16, k / 16]) {
        if (edge > 9) continue;
        let x = edge - 64 * Number.EPSILON * Math.abs(edge);
        for (let j = 0; j < 128; j++, x = nextUp(x)) {
          if (normCdfFast(nextUp(x)) < normCdfFast(x)) bad.push(`x = ${x}`);
        }
      }
    }
    fc.assert(
      fc.property(
        fc.double({ min: -38, max: 9, noNaN: true }),
        (x) => normCdfFast(nextUp(x)) >= normCdfFast(x),
      ),
      { seed: SEED, numRuns: 20_000 },
    );
    expect(bad).toEqual([]);
  });

  it('Φ(x) + Φ(−x) = 1 within 1e-16 absolute', () => {
    // (max − 1) is exact for max in [½, 1], so the sum below is the true deviation (up to 1e-32).
    const dev = (a: number, b: number) => Math.abs(Math.max(a, b) - 1 + Math.min(a, b));
    fc.assert(
      fc.property(xs, (x) => {
        const g = gaussExp(x);
        return (
          dev(normCdf(x), normCdf(-x)) <= 1e-16 &&
          dev(normCdfFast(x), normCdfFast(-x)) <= 1e-16 &&
          dev(normCdfFromGauss(x, g), normCdfFromGauss(-x, g)) <= 1e-16
        );
      }),
      { seed: SEED, numRuns: 20_000 },
    );
  });

  it('normInv(normCdf(x)) = x within 1e-13 relative for x in [−37, −0.01]', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 37, noNaN: true }), (t) => {
        const exact = Math.abs(normInv(normCdf(-t)) + t) <= 1e-13 * t;
        const fast = Math.abs(normInv(normCdfFast(-t)) + t) <= 1e-13 * t;
        return exact && fast;
      }),
      { seed: SEED, numRuns: 10_000 },
    );
  });

  it('normInv(normCdf(x)) = x on [−37, 8] up to the rounding of p itself: 1e-13·|x| + 2⁻⁵³/φ(x)', () => {
    // For x > 0, p = Φ(x) is a double near 1 with spacing 2⁻⁵³, so x is known only to ±2⁻⁵⁴/φ(x)
    // (4% at x = 8): no inverse can do better than that conditioning term.
    fc.assert(
      fc.property(fc.double({ min: -37, max: 8, noNaN: true }), (x) => {
        const tol = 1e-13 * Math.abs(x) + 2 ** -53 / normPdf(x);
        return Math.abs(normInv(normCdf(x)) - x) <= tol && Math.abs(normInv(normCdfFast(x)) - x) <= tol;
      }),
      { seed: SEED, numRuns: 10_000 },
    );
  });
});
