import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.ts';
import { squareHedge, squareHedgeScratch } from './square-solve.ts';

// Hull, Options, Futures and Other Derivatives, ch. 19: a book with delta 0, gamma −5,000 and
// vega −8,000; option 1: Δ 0.6, Γ 0.5, ν 2.0; option 2: Δ 0.5, Γ 0.8, ν 1.2; the underlying: Δ 1.
const BOOK = { delta: 0, gamma: -5000, vega: -8000 };
const OPT1 = { delta: 0.6, gamma: 0.5, vega: 2.0 };
const OPT2 = { delta: 0.5, gamma: 0.8, vega: 1.2 };
const ASSET = { delta: 1, gamma: 0, vega: 0 };
type G = typeof OPT1;

/** Packs the same k×k system on every path (layout of SquareHedgeInput). */
function pack(greekNames: (keyof G)[], instruments: G[], nPaths: number, book: G = BOOK) {
  const k = greekNames.length;
  const exposure = new Float64Array(k * nPaths);
  const greeks = new Float64Array(k * k * nPaths);
  for (let p = 0; p < nPaths; p++) {
    greekNames.forEach((name, g) => {
      exposure[g * nPaths + p] = book[name];
      instruments.forEach((inst, i) => {
        greeks[(g * k + i) * nPaths + p] = inst[name];
      });
    });
  }
  return { k, nPaths, exposure, greeks };
}

function column(out: Float64Array, i: number, nPaths: number): number[] {
  return Array.from(out.subarray(i * nPaths, (i + 1) * nPaths));
}

describe('squareHedge reproduces Hull ch. 19 on every path', () => {
  const nPaths = 5;
  it('delta-gamma neutral with option 1: long 10,000 of option 1, short 6,000 of the asset', () => {
    const input = pack(['delta', 'gamma'], [OPT1, ASSET], nPaths);
    const out = new Float64Array(2 * nPaths);
    squareHedge(input, out);
    for (const x of column(out, 0, nPaths)) expect(Math.abs(x - 10_000)).toBeLessThanOrEqual(1e-9);
    for (const x of column(out, 1, nPaths)) expect(Math.abs(x + 6_000)).toBeLessThanOrEqual(1e-9);
  });

  it('delta-vega neutral with option 1: long 4,000 of option 1, short 2,400 of the asset', () => {
    const input = pack(['delta', 'vega'], [OPT1, ASSET], nPaths);
    const out = new Float64Array(2 * nPaths);
    squareHedge(input, out, squareHedgeScratch(2));
    for (const x of column(out, 0, nPaths)) expect(Math.abs(x - 4_000)).toBeLessThanOrEqual(1e-9);
    for (const x of column(out, 1, nPaths)) expect(Math.abs(x + 2_400)).toBeLessThanOrEqual(1e-9);
  });

  it('delta-gamma-vega neutral with both options: 400 of option 1, 6,000 of option 2, short 3,240 of the asset', () => {
    const input = pack(['delta', 'gamma', 'vega'], [OPT1, OPT2, ASSET], nPaths);
    const out = new Float64Array(3 * nPaths);
    squareHedge(input, out);
    for (const x of column(out, 0, nPaths)) expect(Math.abs(x - 400)).toBeLessThanOrEqual(1e-9);
    for (const x of column(out, 1, nPaths)) expect(Math.abs(x - 6_000)).toBeLessThanOrEqual(1e-9);
    for (const x of column(out, 2, nPaths)) expect(Math.abs(x + 3_240)).toBeLessThanOrEqual(1e-9);
  });
});

/** Cramer's rule for 3×3: an independent reference for the perturbed paths. */
function cramer3(m: number[][], b: number[]): number[] {
  const det = (a: number[][]) =>
    a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) -
    a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) +
    a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
  const d = det(m);
  return [0, 1, 2].map((c) => det(m.map((row, r) => row.map((v, j) => (j === c ? b[r] : v)))) / d);
}

describe('squareHedge on perturbed paths', () => {
  it('solves each path independently: agrees with Cramer and leaves a zero residual (fast-check, seeded)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            bump: fc.array(fc.double({ min: -0.3, max: 0.3, noNaN: true }), { minLength: 9, maxLength: 9 }),
            book: fc.array(fc.double({ min: -1e4, max: 1e4, noNaN: true }), { minLength: 3, maxLength: 3 }),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        (paths) => {
          const nPaths = paths.length;
          const k = 3;
          const base = [OPT1, OPT2, ASSET];
          const names: (keyof G)[] = ['delta', 'gamma', 'vega'];
          const exposure = new Float64Array(k * nPaths);
          const greeks = new Float64Array(k * k * nPaths);
          const mats: number[][][] = [];
          paths.forEach((path, p) => {
            const m = names.map((name, g) => base.map((inst, i) => inst[name] * (1 + path.bump[g * k + i])));
            // Keep the asset's zero gamma and vega: the hedge structure of Hull's example.
            m[1][2] = 0;
            m[2][2] = 0;
            mats.push(m);
            for (let g = 0; g < k; g++) {
              exposure[g * nPaths + p] = path.book[g];
              for (let i = 0; i < k; i++) greeks[(g * k + i) * nPaths + p] = m[g][i];
            }
          });
          const out = new Float64Array(k * nPaths);
          squareHedge({ k, nPaths, exposure, greeks }, out, squareHedgeScratch(k));
          paths.forEach((path, p) => {
            const m = mats[p];
            const want = cramer3(
              m,
              path.book.map((e) => -e),
            );
            const x = [0, 1, 2].map((i) => out[i * nPaths + p]);
            const scale = 1 + Math.max(...want.map(Math.abs));
            for (let i = 0; i < k; i++) expect(Math.abs(x[i] - want[i])).toBeLessThanOrEqual(1e-9 * scale);
            for (let g = 0; g < k; g++) {
              const r = path.book[g] + m[g].reduce((s, v, i) => s + v * x[i], 0);
              expect(Math.abs(r)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(path.book[g])) * scale);
            }
          });
        },
      ),
      { seed: 20261125, numRuns: 200 },
    );
  });

  it('gives NaN on a singular path and the exact hedge on its neighbours (never throws)', () => {
    const nPaths = 3;
    const input = pack(['delta', 'gamma', 'vega'], [OPT1, OPT2, ASSET], nPaths);
    // Path 1: option 2 a multiple of option 1 in gamma and vega → the gamma/vega block is singular.
    const k = 3;
    input.greeks[(1 * k + 1) * nPaths + 1] = 2 * OPT1.gamma;
    input.greeks[(2 * k + 1) * nPaths + 1] = 2 * OPT1.vega;
    // Path 2: a NaN Greek.
    input.greeks[(0 * k + 0) * nPaths + 2] = Number.NaN;
    const out = new Float64Array(k * nPaths);
    expect(() => squareHedge(input, out)).not.toThrow();
    expect([out[0], out[nPaths], out[2 * nPaths]].map((v) => Math.round(v!))).toEqual([400, 6000, -3240]);
    for (let i = 0; i < k; i++) {
      expect(out[i * nPaths + 1]).toBeNaN();
      expect(out[i * nPaths + 2]).toBeNaN();
    }
  });

  it('rejects mismatched array lengths with a DomainError naming the array', () => {
    const input = pack(['delta', 'gamma'], [OPT1, ASSET], 2);
    expect(() => squareHedge(input, new Float64Array(3))).toThrow(DomainError);
    expect(() => squareHedge(input, new Float64Array(3))).toThrow(/out\.length/);
    expect(() => squareHedgeScratch(0)).toThrow(/k \(0\)/);
  });
});
