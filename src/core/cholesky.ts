/**
 * Validation and Cholesky factorisation of correlation matrices, for correlating normal shocks.
 */
import { DomainError } from './errors.ts';

/** Pivots within this of zero count as zero (a singular but valid correlation, e.g. ρ = ±1). */
const PIVOT_TOL = 1e-12;
/** Tolerance on symmetry and on the unit diagonal. */
const ENTRY_TOL = 1e-12;

/**
 * Checks that `corr` is a valid n×n correlation matrix and returns its lower Cholesky factor L
 * (C = L·Lᵀ), row-major. Positive semi-definite matrices are accepted: a zero pivot (within 1e-12)
 * gives a zero column, so perfectly correlated assets (ρ = 1) share one shock.
 *
 * Correlated normals: z = L·ε, zᵢ = Σⱼ≤ᵢ L[i·n + j]·εⱼ for independent standard normals ε.
 *
 * Shape: corr [n][n]; returns Float64Array [n·n], upper triangle zero.
 * @param corr - correlation matrix (rows).
 * @param n - expected size (number of assets).
 * @param param - name used in messages (default `correlation`).
 * @throws DomainError naming the first offending entry: `correlation.length (2) must be 3`,
 *   `correlation[1][2] (1.3) must be in [-1, 1]`, `correlation[1][1] (0.9) must be 1`,
 *   `correlation[2][1] (0.3) must equal correlation[1][2] (0.5)`,
 *   `correlation is not positive semi-definite (pivot 2)`.
 * @example
 * choleskyCorrelation([[1, 0.6], [0.6, 1]], 2); // returns Float64Array [1, 0, 0.6, 0.8]
 * References: G. H. Golub, C. F. Van Loan, Matrix Computations (4th ed., 2013), §4.2; Glasserman
 * (2003), §2.3.3.
 */
export function choleskyCorrelation(
  corr: readonly (readonly number[])[] | readonly ArrayLike<number>[],
  n: number,
  param = 'correlation',
): Float64Array {
  if (corr.length !== n) throw new DomainError(`${param}.length`, corr.length, `must be ${n}`);
  for (let i = 0; i < n; i++) {
    const row = corr[i];
    if (row.length !== n) throw new DomainError(`${param}[${i}].length`, row.length, `must be ${n}`);
    for (let j = 0; j < n; j++) {
      const c = row[j];
      if (!(Number.isFinite(c) && c >= -1 && c <= 1)) {
        throw new DomainError(`${param}[${i}][${j}]`, c, 'must be in [-1, 1]');
      }
    }
  }
  for (let i = 0; i < n; i++) {
    if (Math.abs(corr[i][i] - 1) > ENTRY_TOL)
      throw new DomainError(`${param}[${i}][${i}]`, corr[i][i], 'must be 1');
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (Math.abs(corr[i][j] - corr[j][i]) > ENTRY_TOL) {
        throw new DomainError(
          `${param}[${i}][${j}]`,
          corr[i][j],
          `must equal ${param}[${j}][${i}] (${corr[j][i]})`,
        );
      }
    }
  }
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = 1;
    for (let k = 0; k < j; k++) d -= L[j * n + k] * L[j * n + k];
    if (d < -PIVOT_TOL) throw notPsd(param, j, d);
    const ljj = d > PIVOT_TOL ? Math.sqrt(d) : 0;
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = corr[i][j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (ljj === 0) {
        // a zero pivot needs a zero remainder in its column, else the matrix is indefinite
        if (Math.abs(s) > 1e-9) throw notPsd(param, j, d);
        L[i * n + j] = 0;
      } else {
        L[i * n + j] = s / ljj;
      }
    }
  }
  return L;
}

function notPsd(param: string, pivot: number, d: number): DomainError {
  const e = new DomainError(param, d, 'is not positive semi-definite');
  e.message = `${param} is not positive semi-definite (pivot ${pivot}, remainder ${d})`;
  return e;
}

/**
 * The n×n identity correlation matrix (independent assets).
 *
 * Shape: returns [n][n].
 * @example
 * identityCorrelation(2); // returns [[1, 0], [0, 1]]
 * References: Glasserman (2003), §2.3.3.
 */
export function identityCorrelation(n: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = new Array<number>(n).fill(0);
    row[i] = 1;
    out.push(row);
  }
  return out;
}
