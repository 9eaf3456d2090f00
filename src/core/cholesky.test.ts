import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { choleskyCorrelation, identityCorrelation } from './cholesky.ts';
import { DomainError } from './errors.ts';

describe('choleskyCorrelation', () => {
  it('factors a 2×2 correlation as [[1, 0], [ρ, √(1−ρ²)]]', () => {
    expect(
      Array.from(
        choleskyCorrelation(
          [
            [1, 0.6],
            [0.6, 1],
          ],
          2,
        ),
      ),
    ).toEqual([1, 0, 0.6, 0.8]);
  });

  it('reconstructs random positive-definite correlation matrices (L·Lᵀ = C)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 36, maxLength: 36 }),
        (n, w) => {
          // C = D^{-1/2}(WWᵀ + εI)D^{-1/2} is a valid correlation matrix
          const cov: number[][] = [];
          for (let i = 0; i < n; i++) {
            cov.push([]);
            for (let j = 0; j < n; j++) {
              let s = i === j ? 0.05 : 0;
              for (let k = 0; k < n; k++) s += w[i * 6 + k] * w[j * 6 + k];
              cov[i].push(s);
            }
          }
          const c = cov.map((row, i) =>
            row.map((v, j) => (i === j ? 1 : v / Math.sqrt(cov[i][i] * cov[j][j]))),
          );
          const L = choleskyCorrelation(c, n);
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < n; j++) {
              let s = 0;
              for (let k = 0; k < n; k++) s += L[i * n + k] * L[j * n + k];
              expect(Math.abs(s - c[i][j])).toBeLessThan(1e-10);
            }
          }
        },
      ),
      { seed: 20261125, numRuns: 200 },
    );
  });

  it('accepts a singular (ρ = 1) matrix and gives perfectly correlated rows', () => {
    const L = choleskyCorrelation(
      [
        [1, 1, 0],
        [1, 1, 0],
        [0, 0, 1],
      ],
      3,
    );
    expect(Array.from(L)).toEqual([1, 0, 0, 1, 0, 0, 0, 0, 1]);
  });

  it('returns the identity factor for identityCorrelation', () => {
    expect(Array.from(choleskyCorrelation(identityCorrelation(3), 3))).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('names a wrong size', () => {
    expect(() =>
      choleskyCorrelation(
        [
          [1, 0],
          [0, 1],
        ],
        3,
      ),
    ).toThrow('correlation.length (2) must be 3');
    expect(() => choleskyCorrelation([[1, 0], [0]], 2)).toThrow('correlation[1].length (1) must be 2');
  });

  it('names an entry outside [-1, 1] or not finite', () => {
    const c = [
      [1, 0.2, 0.1],
      [0.2, 1, 1.3],
      [0.1, 1.3, 1],
    ];
    expect(() => choleskyCorrelation(c, 3)).toThrow('correlation[1][2] (1.3) must be in [-1, 1]');
    expect(() =>
      choleskyCorrelation(
        [
          [1, Number.NaN],
          [0, 1],
        ],
        2,
      ),
    ).toThrow('correlation[0][1] (NaN) must be in [-1, 1]');
  });

  it('names a diagonal entry that is not 1', () => {
    expect(() =>
      choleskyCorrelation(
        [
          [1, 0],
          [0, 0.9],
        ],
        2,
      ),
    ).toThrow('correlation[1][1] (0.9) must be 1');
  });

  it('names an asymmetric pair', () => {
    const c = [
      [1, 0.5, 0],
      [0.3, 1, 0],
      [0, 0, 1],
    ];
    expect(() => choleskyCorrelation(c, 3)).toThrow(
      'correlation[1][0] (0.3) must equal correlation[0][1] (0.5)',
    );
  });

  it('reports the pivot of a matrix that is not positive semi-definite', () => {
    const c = [
      [1, 0.9, -0.9],
      [0.9, 1, 0.9],
      [-0.9, 0.9, 1],
    ];
    expect(() => choleskyCorrelation(c, 3)).toThrow(/^correlation is not positive semi-definite \(pivot 2/);
    expect(() => choleskyCorrelation(c, 3)).toThrow(DomainError);
    // zero pivot with a non-zero remainder below it
    const d = [
      [1, 1, 0],
      [1, 1, 0.5],
      [0, 0.5, 1],
    ];
    expect(() => choleskyCorrelation(d, 3)).toThrow(/not positive semi-definite \(pivot 1/);
  });

  it('uses the given parameter name in messages', () => {
    expect(() =>
      choleskyCorrelation(
        [
          [1, 2],
          [2, 1],
        ],
        2,
        'spotCorrelation',
      ),
    ).toThrow('spotCorrelation[0][1] (2) must be in [-1, 1]');
  });
});
