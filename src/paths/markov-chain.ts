/**
 * Finite-state Markov chain algebra for regime models: validation of generators and stochastic
 * matrices, P(dt) = exp(Q·dt), the generator of a per-step matrix (matrix logarithm) and the
 * stationary distribution. Matrices are k×k, given by rows (or row-major Float64Array internally).
 *
 * References: J. R. Norris, Markov Chains (1997), §1–3; C. Moler, C. Van Loan, SIAM Review 45(1)
 * (2003); R. B. Israel, J. S. Rosenthal, J. Z. Wei, Math. Finance 11(2) (2001).
 */
import { DomainError, requireFinite, requireNonNegative, requirePositive } from '../core/errors.ts';

/** A square matrix given by rows. */
export type Matrix = readonly (readonly number[])[];

/** Row-sum tolerance of transition matrices and probability vectors (absolute; scaled by the largest entry for generators). */
export const ROW_TOL = 1e-9;

function checkSquare(m: Matrix, k: number, param: string): void {
  if (m.length !== k) throw new DomainError(`${param}.length`, m.length, `must be ${k} (one row per regime)`);
  for (let i = 0; i < k; i++) {
    if (m[i].length !== k) throw new DomainError(`${param}[${i}].length`, m[i].length, `must be ${k}`);
    for (let j = 0; j < k; j++) requireFinite(`${param}[${i}][${j}]`, m[i][j]);
  }
}

/**
 * Checks a per-year generator matrix Q: square k×k, Q[i][j] ≥ 0 off the diagonal, rows summing to 0
 * (within 1e-9 × the row's largest entry).
 *
 * Shape: q [k][k].
 * @throws DomainError naming the entry, e.g. `transition.matrix[0][1] (-0.5) must be >= 0 (a rate)`,
 *   `transition.matrix[1] (row sum 0.2) must sum to 0`.
 * @example
 * validateGenerator([[-1, 1], [2, -2]], 2); // returns undefined (valid)
 * References: Norris, Markov Chains (1997), §2.1.
 */
export function validateGenerator(q: Matrix, k: number, param = 'transition.matrix'): void {
  checkSquare(q, k, param);
  for (let i = 0; i < k; i++) {
    let sum = 0;
    let scale = 0;
    for (let j = 0; j < k; j++) {
      if (i !== j && q[i][j] < 0)
        throw new DomainError(`${param}[${i}][${j}]`, q[i][j], 'must be >= 0 (a rate)');
      sum += q[i][j];
      scale = Math.max(scale, Math.abs(q[i][j]));
    }
    if (Math.abs(sum) > ROW_TOL * Math.max(1, scale)) {
      throw new DomainError(`${param}[${i}]`, `row sum ${sum}`, 'must sum to 0 (a generator row)');
    }
  }
}

/**
 * Checks a stochastic matrix P: square k×k, entries in [0, 1], rows summing to 1 within 1e-9.
 *
 * Shape: p [k][k].
 * @throws DomainError naming the entry, e.g. `transition.matrix[1] (row sum 0.9) must sum to 1`.
 * @example
 * validateStochastic([[0.9, 0.1], [0.2, 0.8]], 2); // returns undefined (valid)
 * References: Norris, Markov Chains (1997), §1.1.
 */
export function validateStochastic(p: Matrix, k: number, param = 'transition.matrix'): void {
  checkSquare(p, k, param);
  for (let i = 0; i < k; i++) {
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const v = p[i][j];
      if (!(v >= 0 && v <= 1))
        throw new DomainError(`${param}[${i}][${j}]`, v, 'must be a probability in [0, 1]');
      sum += v;
    }
    if (Math.abs(sum - 1) > ROW_TOL)
      throw new DomainError(`${param}[${i}]`, `row sum ${sum}`, 'must sum to 1');
  }
}

/** a·b for k×k row-major matrices, into out (which must not alias a or b). */
function matMul(a: Float64Array, b: Float64Array, out: Float64Array, k: number): void {
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let l = 0; l < k; l++) s += a[i * k + l] * b[l * k + j];
      out[i * k + j] = s;
    }
  }
}

function infNorm(a: Float64Array, k: number): number {
  let m = 0;
  for (let i = 0; i < k; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += Math.abs(a[i * k + j]);
    m = Math.max(m, s);
  }
  return m;
}

/**
 * e^{A} for a k×k row-major matrix by scaling and squaring with a Taylor series: A is scaled by 2⁻ˢ
 * so that ‖A/2ˢ‖∞ ≤ 1/4, terms are added until they no longer change the sum (≤ 40), then squared s
 * times. Allocation-free: writes into `out`; s1, s2, s3 are k·k scratch buffers (none may alias).
 *
 * Shape: a, out, s1, s2, s3 [k·k].
 * @example
 * expmInto(Float64Array.of(0), 1, out, s1, s2, s3); // out[0] === 1
 * References: Moler & Van Loan (2003), methods 2–3.
 */
export function expmInto(
  a: Float64Array,
  k: number,
  out: Float64Array,
  s1: Float64Array,
  s2: Float64Array,
  s3: Float64Array,
) {
  const norm = infNorm(a, k);
  const s = norm > 0.25 ? Math.ceil(Math.log2(norm / 0.25)) : 0;
  const scale = 2 ** -s;
  // s1 = term, out = sum
  for (let i = 0; i < k * k; i++) {
    s1[i] = 0;
    out[i] = 0;
  }
  for (let i = 0; i < k; i++) {
    s1[i * k + i] = 1;
    out[i * k + i] = 1;
  }
  for (let i = 0; i < k * k; i++) s3[i] = a[i] * scale;
  for (let n = 1; n <= 40; n++) {
    matMul(s1, s3, s2, k);
    let changed = false;
    for (let i = 0; i < k * k; i++) {
      s1[i] = s2[i] / n;
      const before = out[i];
      out[i] += s1[i];
      if (out[i] !== before) changed = true;
    }
    if (!changed) break;
  }
  for (let r = 0; r < s; r++) {
    matMul(out, out, s2, k);
    out.set(s2);
  }
}

/**
 * Transition probabilities over dt years from a per-year generator: P(dt) = exp(Q·dt) (scaling and
 * squaring, Taylor), with round-off negatives set to 0 and rows renormalised to sum 1.
 *
 * Shape: q [k][k]; returns [k][k].
 * @param q - generator, 1/years (validated as {@link validateGenerator}).
 * @param dt - horizon in years, ≥ 0.
 * @throws DomainError on an invalid generator or dt.
 * @example
 * transitionMatrix([[-1, 1], [2, -2]], 0.5)[0][1]; // returns (1/3)(1 − e^{−1.5}) ≈ 0.258956
 * References: C. Moler, C. Van Loan, "Nineteen dubious ways to compute the exponential of a matrix,
 * twenty-five years later", SIAM Review 45(1) (2003); Norris (1997), §2.10.
 */
export function transitionMatrix(q: Matrix, dt: number): number[][] {
  const k = q.length;
  validateGenerator(q, k, 'q');
  requireNonNegative('dt', dt);
  const a = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) a[i * k + j] = q[i][j] * dt;
  const out = new Float64Array(k * k);
  expmInto(a, k, out, new Float64Array(k * k), new Float64Array(k * k), new Float64Array(k * k));
  normaliseRows(out, k);
  const res: number[][] = [];
  for (let i = 0; i < k; i++) res.push(Array.from(out.subarray(i * k, (i + 1) * k)));
  return res;
}

/**
 * Sets negative entries (round-off) of a k×k row-major stochastic matrix to 0 and rescales each row
 * to sum 1, in place.
 *
 * Shape: p [k·k].
 * @example
 * normaliseRows(Float64Array.of(1.0000000001, -1e-12, 0.5, 0.5), 2); // p → [1, 0, 0.5, 0.5]
 * References: Norris (1997), §1.1.
 */
export function normaliseRows(p: Float64Array, k: number): void {
  for (let i = 0; i < k; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) {
      if (p[i * k + j] < 0) p[i * k + j] = 0;
      s += p[i * k + j];
    }
    for (let j = 0; j < k; j++) p[i * k + j] /= s;
  }
}

/**
 * The per-year generator of a per-step transition matrix: Q = log(P₀)/stepDt, by the series
 * log(I + A) = Σₙ (−1)ⁿ⁺¹ Aⁿ/n, A = P₀ − I, which converges when every diagonal entry exceeds 1/2
 * (then ‖A‖∞ < 1). Negative off-diagonal entries of the logarithm (P₀ not exactly embeddable) are
 * set to 0 and the diagonal re-balanced (Israel, Rosenthal & Wei 2001, "diagonal adjustment").
 *
 * Shape: p [k][k]; returns [k][k].
 * @param p - per-step transition probabilities (validated as {@link validateStochastic}).
 * @param stepDt - step length of P₀ in years, > 0.
 * @throws DomainError on an invalid matrix, a non-positive stepDt, or a diagonal entry ≤ 1/2
 *   (`p[0][0] (0.4) must be > 0.5 to convert a per-step matrix to a generator`).
 * @example
 * generatorFromStep([[0.99, 0.01], [0.02, 0.98]], 1 / 252)[0][1]; // returns ≈ 2.5586 per year
 * References: Israel, Rosenthal & Wei (2001), §2–3; N. J. Higham, Functions of Matrices (2008), §11.
 */
export function generatorFromStep(p: Matrix, stepDt: number, param = 'p'): number[][] {
  const k = p.length;
  validateStochastic(p, k, param);
  requirePositive('stepDt', stepDt);
  for (let i = 0; i < k; i++) {
    if (!(p[i][i] > 0.5)) {
      throw new DomainError(
        `${param}[${i}][${i}]`,
        p[i][i],
        'must be > 0.5 to convert a per-step matrix to a generator',
      );
    }
  }
  const a = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) a[i * k + j] = p[i][j] - (i === j ? 1 : 0);
  const pow = Float64Array.from(a);
  const tmp = new Float64Array(k * k);
  const log = Float64Array.from(a);
  for (let n = 2; n <= 20000; n++) {
    matMul(pow, a, tmp, k);
    pow.set(tmp);
    const sign = n % 2 === 0 ? -1 : 1;
    let changed = false;
    for (let i = 0; i < k * k; i++) {
      const before = log[i];
      log[i] += (sign * pow[i]) / n;
      if (log[i] !== before) changed = true;
    }
    if (!changed) break;
  }
  const q: number[][] = [];
  for (let i = 0; i < k; i++) {
    const row = new Array<number>(k);
    let off = 0;
    for (let j = 0; j < k; j++) {
      if (i === j) continue;
      row[j] = Math.max(0, log[i * k + j] / stepDt);
      off += row[j];
    }
    row[i] = -off;
    q.push(row);
  }
  return q;
}

/**
 * Stationary distribution π of a chain, πQ = 0 with Σπ = 1 for a generator (or πP = π for a
 * stochastic matrix), by Gaussian elimination with partial pivoting on the transposed system with
 * the last equation replaced by the normalisation.
 *
 * Shape: m [k][k]; returns [k].
 * @param m - generator (kind `generator`) or stochastic matrix (kind `per-step`).
 * @throws DomainError if the matrix is invalid or the chain has no unique stationary distribution
 *   (reducible chain).
 * @example
 * stationaryDistribution([[-1, 1], [2, -2]], 'generator'); // returns [2/3, 1/3]
 * References: Norris, Markov Chains (1997), §3.5.
 */
export function stationaryDistribution(
  m: Matrix,
  kind: 'generator' | 'per-step',
  param = 'transition.matrix',
): number[] {
  const k = m.length;
  if (kind === 'generator') validateGenerator(m, k, param);
  else validateStochastic(m, k, param);
  // rows of A: equation j is Σ_i π_i (M[i][j] − [kind=per-step]·δ_ij) = 0; the last is Σ π = 1
  const a = new Float64Array(k * (k + 1));
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < k; i++) {
      a[j * (k + 1) + i] = j === k - 1 ? 1 : m[i][j] - (kind === 'per-step' && i === j ? 1 : 0);
    }
    a[j * (k + 1) + k] = j === k - 1 ? 1 : 0;
  }
  let scale = 0;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) scale = Math.max(scale, Math.abs(m[i][j]));
  const w = k + 1;
  for (let c = 0; c < k; c++) {
    let piv = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(a[r * w + c]) > Math.abs(a[piv * w + c])) piv = r;
    if (!(Math.abs(a[piv * w + c]) > 1e-12 * Math.max(1, scale))) {
      throw new DomainError(
        param,
        'reducible chain',
        'must have a unique stationary distribution (irreducible chain)',
      );
    }
    if (piv !== c) {
      for (let j = 0; j < w; j++) {
        const t = a[c * w + j];
        a[c * w + j] = a[piv * w + j];
        a[piv * w + j] = t;
      }
    }
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = a[r * w + c] / a[c * w + c];
      if (f === 0) continue;
      for (let j = c; j < w; j++) a[r * w + j] -= f * a[c * w + j];
    }
  }
  const pi: number[] = [];
  for (let i = 0; i < k; i++) pi.push(Math.max(0, a[i * w + k] / a[i * w + i]));
  const s = pi.reduce((x, y) => x + y, 0);
  return pi.map((x) => x / s);
}
