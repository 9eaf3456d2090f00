/**
 * Small unconstrained minimizers for low-dimensional likelihoods (a handful of parameters):
 * Nelder–Mead for a robust start, BFGS with an Armijo backtracking line search, and a dense
 * Gaussian-elimination solve for Newton polishing. Dense n×n matrices are row-major Float64Arrays.
 */

/** Objective f(x) to minimize. Returning NaN or ±Infinity marks x as infeasible. */
export type Objective = (x: Float64Array) => number;

/** Objective that also writes its gradient into `g` and returns f(x). */
export type ObjectiveWithGradient = (x: Float64Array, g: Float64Array) => number;

/** Result of a minimization: the best point, its value, and how the search ended. */
export interface MinimizeResult {
  readonly x: Float64Array;
  readonly f: number;
  readonly evaluations: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * Nelder–Mead simplex minimization (standard coefficients: reflection 1, expansion 2,
 * contraction 0.5, shrink 0.5). Stops when the simplex's value spread is below
 * `fTol·(|f_best| + fTol)` or after `maxEvals` evaluations.
 *
 * Shape: `x0` length d; initial simplex x0 and x0 + step·e_i.
 *
 * @example
 * nelderMead((x) => (x[0] - 1) ** 2 + (x[1] + 2) ** 2, Float64Array.of(0, 0)).x; // ≈ [1, -2]
 * References: Nelder & Mead, Computer Journal 7 (1965) 308–313; Lagarias et al., SIAM J. Optim. 9 (1998) 112–147.
 */
export function nelderMead(
  f: Objective,
  x0: Float64Array,
  opts: { step?: number; maxEvals?: number; fTol?: number } = {},
): MinimizeResult {
  const d = x0.length;
  const step = opts.step ?? 0.1;
  const maxEvals = opts.maxEvals ?? 200 * d;
  const fTol = opts.fTol ?? 1e-10;
  const pts: Float64Array[] = [];
  const vals = new Float64Array(d + 1);
  let evals = 0;
  const ev = (x: Float64Array): number => {
    evals++;
    const v = f(x);
    return Number.isNaN(v) ? Number.POSITIVE_INFINITY : v;
  };
  for (let i = 0; i <= d; i++) {
    const p = Float64Array.from(x0);
    if (i > 0) p[i - 1] += step;
    pts.push(p);
    vals[i] = ev(p);
  }
  const order = Array.from({ length: d + 1 }, (_, i) => i);
  const centroid = new Float64Array(d);
  const xr = new Float64Array(d);
  const xe = new Float64Array(d);
  const xc = new Float64Array(d);
  let iterations = 0;
  let converged = false;
  while (evals < maxEvals) {
    iterations++;
    order.sort((a, b) => vals[a] - vals[b]);
    const best = order[0];
    const worst = order[d];
    const second = order[d - 1];
    if (Math.abs(vals[worst] - vals[best]) <= fTol * (Math.abs(vals[best]) + fTol)) {
      converged = true;
      break;
    }
    centroid.fill(0);
    for (let k = 0; k < d; k++) {
      const p = pts[order[k]];
      for (let j = 0; j < d; j++) centroid[j] += p[j] / d;
    }
    const pw = pts[worst];
    for (let j = 0; j < d; j++) xr[j] = centroid[j] + (centroid[j] - pw[j]);
    const fr = ev(xr);
    if (fr < vals[best]) {
      for (let j = 0; j < d; j++) xe[j] = centroid[j] + 2 * (centroid[j] - pw[j]);
      const fe = ev(xe);
      if (fe < fr) {
        pw.set(xe);
        vals[worst] = fe;
      } else {
        pw.set(xr);
        vals[worst] = fr;
      }
      continue;
    }
    if (fr < vals[second]) {
      pw.set(xr);
      vals[worst] = fr;
      continue;
    }
    const outside = fr < vals[worst];
    const base = outside ? xr : pw;
    for (let j = 0; j < d; j++) xc[j] = centroid[j] + 0.5 * (base[j] - centroid[j]);
    const fc = ev(xc);
    if (fc < (outside ? fr : vals[worst])) {
      pw.set(xc);
      vals[worst] = fc;
      continue;
    }
    const pb = pts[best];
    for (let k = 1; k <= d; k++) {
      const p = pts[order[k]];
      for (let j = 0; j < d; j++) p[j] = pb[j] + 0.5 * (p[j] - pb[j]);
      vals[order[k]] = ev(p);
    }
  }
  let bi = 0;
  for (let i = 1; i <= d; i++) if (vals[i] < vals[bi]) bi = i;
  return { x: Float64Array.from(pts[bi]), f: vals[bi], evaluations: evals, iterations, converged };
}

/**
 * BFGS quasi-Newton minimization with an Armijo backtracking line search and the inverse-Hessian
 * update H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ (skipped when yᵀs ≤ 0). Stops when the gradient's
 * max-norm is ≤ `gTol`, when a step changes neither x nor f, or after `maxIter` iterations.
 *
 * Shape: `x0` length d; the inverse Hessian is a d×d row-major Float64Array.
 *
 * @example
 * bfgs((x, g) => { g[0] = 2 * (x[0] - 3); return (x[0] - 3) ** 2; }, Float64Array.of(0)).x; // ≈ [3]
 * References: Nocedal & Wright, Numerical Optimization, 2nd ed. (2006), Alg. 6.1 and §3.1.
 */
export function bfgs(
  fg: ObjectiveWithGradient,
  x0: Float64Array,
  opts: { maxIter?: number; gTol?: number; maxStep?: number } = {},
): MinimizeResult {
  const d = x0.length;
  const maxIter = opts.maxIter ?? 200;
  const gTol = opts.gTol ?? 1e-9;
  const maxStep = opts.maxStep ?? 1;
  const x = Float64Array.from(x0);
  const g = new Float64Array(d);
  const xn = new Float64Array(d);
  const gn = new Float64Array(d);
  const p = new Float64Array(d);
  const s = new Float64Array(d);
  const y = new Float64Array(d);
  const hy = new Float64Array(d);
  const H = new Float64Array(d * d);
  for (let i = 0; i < d; i++) H[i * d + i] = 1;
  let f = fg(x, g);
  let evals = 1;
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIter; iterations++) {
    if (maxAbs(g) <= gTol) {
      converged = true;
      break;
    }
    let slope = 0;
    for (let i = 0; i < d; i++) {
      let v = 0;
      for (let j = 0; j < d; j++) v -= H[i * d + j] * g[j];
      p[i] = v;
      slope += v * g[i];
    }
    if (!(slope < 0)) {
      // Not a descent direction: restart from steepest descent.
      H.fill(0);
      for (let i = 0; i < d; i++) {
        H[i * d + i] = 1;
        p[i] = -g[i];
      }
      slope = -dot(g, g);
    }
    const pn = maxAbs(p);
    let t = pn > maxStep ? maxStep / pn : 1;
    let fn = Number.NaN;
    let accepted = false;
    for (let k = 0; k < 60; k++) {
      for (let i = 0; i < d; i++) xn[i] = x[i] + t * p[i];
      fn = fg(xn, gn);
      evals++;
      if (Number.isFinite(fn) && fn <= f + 1e-4 * t * slope) {
        accepted = true;
        break;
      }
      t *= 0.5;
    }
    if (!accepted) {
      converged = maxAbs(g) <= Math.sqrt(gTol);
      break;
    }
    for (let i = 0; i < d; i++) {
      s[i] = xn[i] - x[i];
      y[i] = gn[i] - g[i];
    }
    const sameX = maxAbs(s) === 0;
    const df = f - fn;
    x.set(xn);
    g.set(gn);
    f = fn;
    if (sameX || (df <= 1e-15 * Math.abs(f) && maxAbs(g) <= Math.sqrt(gTol))) {
      converged = true;
      iterations++;
      break;
    }
    const ys = dot(y, s);
    if (ys > 1e-300) {
      const rho = 1 / ys;
      for (let i = 0; i < d; i++) {
        let v = 0;
        for (let j = 0; j < d; j++) v += H[i * d + j] * y[j];
        hy[i] = v;
      }
      const yhy = dot(y, hy);
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) {
          H[i * d + j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
        }
      }
    }
  }
  return { x, f, evaluations: evals, iterations, converged };
}

/**
 * Solves A x = b for a small dense d×d system by Gaussian elimination with partial pivoting.
 * Returns undefined when A is numerically singular. A and b are not modified.
 *
 * Shape: `a` d×d row-major, `b` length d.
 *
 * @example
 * solveLinear(Float64Array.of(2, 0, 0, 4), Float64Array.of(2, 8)); // Float64Array [1, 2]
 * References: Golub & Van Loan, Matrix Computations, 4th ed. (2013), Alg. 3.4.1.
 */
export function solveLinear(a: Float64Array, b: Float64Array): Float64Array | undefined {
  const d = b.length;
  const m = Float64Array.from(a);
  const x = Float64Array.from(b);
  let scale = 0;
  for (let i = 0; i < d * d; i++) scale = Math.max(scale, Math.abs(m[i]));
  for (let c = 0; c < d; c++) {
    let piv = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(m[r * d + c]) > Math.abs(m[piv * d + c])) piv = r;
    if (!(Math.abs(m[piv * d + c]) > 1e-14 * scale)) return undefined;
    if (piv !== c) {
      for (let j = 0; j < d; j++) {
        const tmp = m[c * d + j];
        m[c * d + j] = m[piv * d + j];
        m[piv * d + j] = tmp;
      }
      const tb = x[c];
      x[c] = x[piv];
      x[piv] = tb;
    }
    for (let r = c + 1; r < d; r++) {
      const factor = m[r * d + c] / m[c * d + c];
      if (factor === 0) continue;
      for (let j = c; j < d; j++) m[r * d + j] -= factor * m[c * d + j];
      x[r] -= factor * x[c];
    }
  }
  for (let r = d - 1; r >= 0; r--) {
    let v = x[r];
    for (let j = r + 1; j < d; j++) v -= m[r * d + j] * x[j];
    x[r] = v / m[r * d + r];
  }
  return x;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}
