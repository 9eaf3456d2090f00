/**
 * GARCH(1,1) with a constant mean and normal innovations, fitted by maximum likelihood with the
 * conventions of R's fGarch (`garchFit(~garch(1,1), include.mean = TRUE, cond.dist = "norm")`):
 *
 *   y_t = μ + z_t,  z_t = √h_t · ε_t,  ε_t ~ N(0, 1)
 *   h_t = ω + α z_{t−1}² + β h_{t−1},  t ≥ 2
 *   h_1 = ω + (α + β) · (1/n) Σ_{t=1}^{n} z_t²      (fGarch init.rec = "mci")
 *   ln L = −½ Σ_{t=1}^{n} [ ln 2π + ln h_t + z_t² / h_t ]   (all n observations, llh.start = 1)
 *
 * Constraints: ω > 0, α ≥ 0, β ≥ 0, α + β < 1 (enforced through a smooth reparametrization).
 * Forecasts: h_{n+1} = ω + α z_n² + β h_n, then h_{n+k} = ω + (α + β) h_{n+k−1}.
 *
 * {@link garchVarianceStep} is the one implementation of the filter step h ← ω + α z² + β h in
 * hedgekit: the simulation and the forecasts here and the GARCH pricing vol
 * (market/pricing-vol.ts) step it. The likelihood kernel is the exception by design: it carries the
 * analytic derivatives ∂h/∂(μ, ω, α, β) through the same recursion, shares z² between h and ∂h/∂α
 * (so it rounds α·(z²), not (α·z)·z), and is what the fGarch-matched fit and
 * {@link garchConditionalVariance} are defined by.
 */

import { DomainError } from '../core/errors.ts';
import { TRADING_DAYS_PER_YEAR } from '../core/time.ts';
import { bfgs, nelderMead, solveLinear } from './optimizer.ts';
import { requireFiniteSeries } from './returns.ts';

/** GARCH(1,1) parameters in the units of the return series (per period). */
export interface GarchParams {
  /** Constant mean μ of the returns, per period. */
  readonly mu: number;
  /** Variance intercept ω > 0, per period². */
  readonly omega: number;
  /** ARCH coefficient α ≥ 0 (weight of the last squared residual). */
  readonly alpha: number;
  /** GARCH coefficient β ≥ 0 (weight of the last variance); α + β < 1. */
  readonly beta: number;
}

/** A fitted GARCH(1,1): parameters, likelihood, the state needed to forecast, and diagnostics. */
export interface GarchFit {
  readonly params: GarchParams;
  /** Maximized log-likelihood ln L on the original data (fGarch reports −ln L as `fit@fit$llh`). */
  readonly logLikelihood: number;
  /** Number of returns used. */
  readonly nObs: number;
  /** α + β. */
  readonly persistence: number;
  /** ω / (1 − α − β), per period². */
  readonly unconditionalVariance: number;
  /** h_n, the conditional variance of the last observation. */
  readonly lastVariance: number;
  /** z_n = y_n − μ, the last residual. */
  readonly lastResidual: number;
  /** h_{n+1} = ω + α z_n² + β h_n, the one-step-ahead variance. */
  readonly nextVariance: number;
  /** True when the final gradient of the scaled mean log-likelihood is below 1e-6 (max-norm). */
  readonly converged: boolean;
  /** Max-norm of the gradient of (ln L)/n w.r.t. (μ, ω, α, β) on sd-scaled data at the optimum. */
  readonly gradientNorm: number;
  /** True when μ ended on fGarch's bound ±10|ȳ| (`meanBounds: 'fgarch'`); the gradient in μ is then not 0. */
  readonly muAtBound: boolean;
  /** Objective evaluations used by all optimizer stages. */
  readonly evaluations: number;
  /** Conditional variances h_1..h_n. Shape: length nObs. */
  readonly conditionalVariance: Float64Array;
}

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * One GARCH(1,1) filter step on every path, in place, with variances expressed per `dt`:
 * h_p ← (ω + α·z_p² + β·h_p·dt) / dt, i.e. the per-period recursion h ← ω + α z² + β h applied to
 * the per-period variance h·dt and returned per dt.
 *
 * With dt = 1 the variances are per period (h·1 and x/1 are exact, so this is bit for bit the
 * textbook recursion); with dt the step length in years, `variance` is annualized and ω, α, β are
 * the per-step parameters (as fitted on returns of that frequency).
 *
 * Shape: `variance` [nPaths] (updated in place), `residual` [nPaths] (at least as long); no
 * allocation, never throws (NaN propagates).
 *
 * @param variance h_{t−1} per path on entry, h_t on exit (per period if dt = 1, else per year).
 * @param residual z_{t−1} = r − μ per path, the last return's residual (the log return itself for
 *   a zero-mean filter), dimensionless per period.
 * @param omega ω > 0, per period² (not validated here).
 * @param alpha α ≥ 0, the weight of the last squared residual.
 * @param beta β ≥ 0, the weight of the last variance.
 * @param dt the unit of `variance`: 1 for per period, the step length in years for annualized.
 * @example
 * const h = Float64Array.of(1e-4);
 * garchVarianceStep(h, Float64Array.of(0.01), 1e-6, 0.1, 0.8, 1);
 * // h[0] = 1e-6 + 0.1·1e-4 + 0.8·1e-4 = 9.1e-5
 * References: T. Bollerslev, "Generalized autoregressive conditional heteroskedasticity",
 *   Journal of Econometrics 31 (1986) 307–327.
 */
export function garchVarianceStep(
  variance: Float64Array,
  residual: Float64Array,
  omega: number,
  alpha: number,
  beta: number,
  dt: number,
): void {
  const n = variance.length;
  for (let p = 0; p < n; p++) {
    const z = residual[p];
    const perPeriod = variance[p] * dt;
    variance[p] = (omega + alpha * z * z + beta * perPeriod) / dt;
  }
}

/**
 * Log-likelihood and, when `grad` is given, its gradient w.r.t. (μ, ω, α, β), with the fGarch
 * "mci" start h_1 = ω + (α+β)·mean(z²). Never throws: returns NaN when a variance is not > 0.
 * Writes h_t into `hOut` when given.
 */
function llhKernel(
  y: Float64Array,
  mu: number,
  omega: number,
  alpha: number,
  beta: number,
  grad: Float64Array | null,
  hOut: Float64Array | null,
): number {
  const n = y.length;
  let sz = 0;
  let szz = 0;
  for (let i = 0; i < n; i++) {
    const z = y[i] - mu;
    sz += z;
    szz += z * z;
  }
  const v0 = szz / n;
  const pers = alpha + beta;
  let h = omega + pers * v0;
  // Derivatives of h_t w.r.t. μ, ω, α, β.
  let dMu = pers * ((-2 * sz) / n);
  let dOm = 1;
  let dAl = v0;
  let dBe = v0;
  let ll = 0;
  let g0 = 0;
  let g1 = 0;
  let g2 = 0;
  let g3 = 0;
  let zPrev = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0) {
      const z2 = zPrev * zPrev;
      dMu = -2 * alpha * zPrev + beta * dMu;
      dOm = 1 + beta * dOm;
      dAl = z2 + beta * dAl;
      dBe = h + beta * dBe;
      h = omega + alpha * z2 + beta * h;
    }
    if (!(h > 0)) return Number.NaN;
    if (hOut !== null) hOut[i] = h;
    const z = y[i] - mu;
    const zh = (z * z) / h;
    ll -= 0.5 * (LOG_2PI + Math.log(h) + zh);
    if (grad !== null) {
      const c = (0.5 * (zh - 1)) / h;
      g0 += c * dMu + z / h;
      g1 += c * dOm;
      g2 += c * dAl;
      g3 += c * dBe;
    }
    zPrev = z;
  }
  if (grad !== null) {
    grad[0] = g0;
    grad[1] = g1;
    grad[2] = g2;
    grad[3] = g3;
  }
  return ll;
}

function checkParams(p: GarchParams): void {
  if (!Number.isFinite(p.mu)) throw new DomainError('mu', p.mu, 'must be a finite number');
  if (!(Number.isFinite(p.omega) && p.omega > 0)) throw new DomainError('omega', p.omega, 'must be > 0');
  if (!(Number.isFinite(p.alpha) && p.alpha >= 0)) throw new DomainError('alpha', p.alpha, 'must be >= 0');
  if (!(Number.isFinite(p.beta) && p.beta >= 0)) throw new DomainError('beta', p.beta, 'must be >= 0');
}

/**
 * Conditional variances h_1..h_n of a GARCH(1,1) at given parameters (fGarch "mci" start).
 *
 * Shape: `returns` length n ≥ 1 (per-period returns); result length n (per period²).
 *
 * @param returns per-period returns y_t.
 * @param params μ, ω > 0, α ≥ 0, β ≥ 0 (stationarity is not required here).
 * @throws DomainError on a non-finite return or a parameter outside its domain.
 * @example
 * garchConditionalVariance(Float64Array.of(0.01, -0.02), { mu: 0, omega: 1e-6, alpha: 0.1, beta: 0.8 });
 * // [1e-6 + 0.9·2.5e-4 = 2.26e-4, 1e-6 + 0.1·1e-4 + 0.8·2.26e-4 = 1.918e-4]
 * References: Bollerslev, J. Econometrics 31 (1986) 307–327; Wuertz et al., fGarch (CRAN), garchllh.
 */
export function garchConditionalVariance(returns: Float64Array, params: GarchParams): Float64Array {
  requireFiniteSeries('returns', returns, 1);
  checkParams(params);
  const h = new Float64Array(returns.length);
  llhKernel(returns, params.mu, params.omega, params.alpha, params.beta, null, h);
  return h;
}

/**
 * Gaussian GARCH(1,1) log-likelihood ln L = −½ Σ [ln 2π + ln h_t + (y_t − μ)²/h_t] with the fGarch
 * "mci" start (see the module comment). Equals −`fit@fit$llh` of fGarch at the same parameters.
 *
 * Shape: `returns` length n ≥ 1.
 *
 * @param returns per-period returns y_t.
 * @param params μ, ω > 0, α ≥ 0, β ≥ 0.
 * @throws DomainError on a non-finite return or a parameter outside its domain.
 * @example
 * garchLogLikelihood(daxLogReturns, { mu: 6.5350614e-4, omega: 4.7543276e-6, alpha: 0.068416874, beta: 0.88761078 });
 * // 5966.2144988 (fGarch 4022.89 reports llh = -5966.2144988)
 * References: Bollerslev (1986); Wuertz et al., fGarch (CRAN), src/llhGarch.f.
 */
export function garchLogLikelihood(returns: Float64Array, params: GarchParams): number {
  requireFiniteSeries('returns', returns, 1);
  checkParams(params);
  return llhKernel(returns, params.mu, params.omega, params.alpha, params.beta, null, null);
}

/**
 * Gradient of {@link garchLogLikelihood} w.r.t. (μ, ω, α, β), computed analytically by differentiating
 * the variance recursion (including the data-dependent "mci" start).
 *
 * Shape: `returns` length n ≥ 1; result length 4, ordered μ, ω, α, β.
 *
 * @throws DomainError as {@link garchLogLikelihood}.
 * @example
 * garchLogLikelihoodGradient(daxLogReturns, fittedParams); // ≈ [0, 0, 0, 0] at the optimum
 * References: Fiorentini, Calzolari & Panattoni, J. Applied Econometrics 11 (1996) 399–417.
 */
export function garchLogLikelihoodGradient(returns: Float64Array, params: GarchParams): Float64Array {
  requireFiniteSeries('returns', returns, 1);
  checkParams(params);
  const g = new Float64Array(4);
  llhKernel(returns, params.mu, params.omega, params.alpha, params.beta, g, null);
  return g;
}

/** Options of {@link fitGarch}. */
export interface GarchFitOptions {
  /** Starting point (default fGarch's: μ = mean, ω = 0.1·var, α = 0.1, β = 0.8). */
  readonly start?: GarchParams;
  /**
   * `'fgarch'` (default) keeps μ within fGarch's box [−10|ȳ|, 10|ȳ|] (ȳ the sample mean), as
   * `garchFit` does, so results match R even when that bound binds; `'none'` leaves μ free
   * (the unconstrained maximum-likelihood estimate).
   */
  readonly meanBounds?: 'fgarch' | 'none';
}

// Internal parametrization on sd-scaled data: θ = (μ, ln ω, logit(α+β), logit(α/(α+β))).
function fromTheta(t: Float64Array, out: Float64Array): void {
  const p = 1 / (1 + Math.exp(-t[2]));
  const q = 1 / (1 + Math.exp(-t[3]));
  out[0] = t[0];
  out[1] = Math.exp(t[1]);
  out[2] = p * q;
  out[3] = p * (1 - q);
}

/**
 * Fits a GARCH(1,1) with constant mean and normal innovations by maximum likelihood, replicating
 * fGarch's likelihood. The data are divided by their sample standard deviation s (as fGarch does);
 * the fit runs on θ = (μ, ln ω, logit(α+β), logit(α/(α+β))) — which keeps ω > 0, α, β ≥ 0 and
 * α + β < 1 — with Nelder–Mead, then BFGS on the analytic gradient, then Newton steps in
 * (μ, ω, α, β) with a Hessian from central differences of the analytic gradient. Results are
 * mapped back: μ·s, ω·s².
 *
 * Shape: `returns` length n ≥ 10; `conditionalVariance` length n.
 *
 * @param returns per-period returns (e.g. daily log returns), not all equal.
 * @param opts optional start point.
 * @throws DomainError when n < 10, a return is not finite or the returns have zero variance.
 * @example
 * const fit = fitGarch(daxLogReturns); // EuStockMarkets DAX, 1,859 returns
 * // fit.params ≈ { mu: 6.53506e-4, omega: 4.75433e-6, alpha: 0.0684169, beta: 0.887611 }, fit.logLikelihood ≈ 5966.2145
 * References: Bollerslev (1986); Wuertz, Chalabi & Luksan, "Parameter estimation of ARMA models with
 *   GARCH/APARCH errors: an R and SPlus software implementation" (fGarch, 2006).
 */
export function fitGarch(returns: Float64Array, opts: GarchFitOptions = {}): GarchFit {
  requireFiniteSeries('returns', returns, 10);
  const n = returns.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += returns[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (returns[i] - mean) * (returns[i] - mean);
  const sd = Math.sqrt(ss / (n - 1));
  // A constant series has sd = 0 up to rounding of the mean.
  if (!(sd > 1e-13 * Math.abs(mean))) {
    throw new DomainError('returns', 'constant series', 'must have a positive sample variance');
  }
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = returns[i] / sd;

  const start = opts.start;
  if (start !== undefined) {
    checkParams(start);
    if (!(start.alpha + start.beta < 1 && start.alpha > 0 && start.beta > 0)) {
      throw new DomainError(
        'start',
        `alpha=${start.alpha}, beta=${start.beta}`,
        'must satisfy alpha, beta > 0, alpha + beta < 1',
      );
    }
  }
  const a0 = start?.alpha ?? 0.1;
  const b0 = start?.beta ?? 0.8;
  const theta0 = Float64Array.of(
    start === undefined ? mean / sd : start.mu / sd,
    Math.log(start === undefined ? ((ss / (n - 1)) * (1 - a0 - b0)) / (sd * sd) : start.omega / (sd * sd)),
    Math.log((a0 + b0) / (1 - a0 - b0)),
    Math.log(a0 / b0),
  );

  let fit = optimizeScaled(x, theta0, Number.NaN);
  let muAtBound = false;
  if ((opts.meanBounds ?? 'fgarch') === 'fgarch') {
    // fGarch's box for μ on the scaled data: [−10|x̄|, 10|x̄|]. If the free optimum lies outside,
    // the constrained optimum has μ on the bound: refit ω, α, β with μ fixed there.
    const hi = 10 * Math.abs(mean / sd);
    const m = fit.phi[0];
    if (m > hi || m < -hi) {
      const fixed = m > hi ? hi : -hi;
      const t = toTheta(fit.phi);
      t[0] = fixed;
      const constrained = optimizeScaled(x, t, fixed);
      constrained.evaluations += fit.evaluations;
      fit = constrained;
      muAtBound = true;
    }
  }
  const best = fit.phi;
  const evaluations = fit.evaluations;
  const g = new Float64Array(4);
  llhKernel(x, best[0], best[1], best[2], best[3], g, null);
  let gradientNorm = 0;
  for (let j = muAtBound ? 1 : 0; j < 4; j++) gradientNorm = Math.max(gradientNorm, Math.abs(g[j]) / n);

  const params: GarchParams = {
    mu: best[0] * sd,
    omega: best[1] * sd * sd,
    alpha: best[2],
    beta: best[3],
  };
  const h = new Float64Array(n);
  const logLikelihood = llhKernel(returns, params.mu, params.omega, params.alpha, params.beta, null, h);
  const lastVariance = h[n - 1];
  const lastResidual = returns[n - 1] - params.mu;
  const persistence = params.alpha + params.beta;
  return {
    params,
    logLikelihood,
    nObs: n,
    persistence,
    unconditionalVariance: params.omega / (1 - persistence),
    lastVariance,
    lastResidual,
    nextVariance: params.omega + params.alpha * lastResidual * lastResidual + params.beta * lastVariance,
    converged: gradientNorm < 1e-6,
    gradientNorm,
    muAtBound,
    evaluations,
    conditionalVariance: h,
  };
}

function toTheta(phi: Float64Array): Float64Array {
  const p = phi[2] + phi[3];
  return Float64Array.of(phi[0], Math.log(phi[1]), Math.log(p / (1 - p)), Math.log(phi[2] / phi[3]));
}

/**
 * Maximizes ln L on scaled data `x` from θ0: Nelder–Mead, then BFGS (analytic gradient through the
 * transform), then Newton polish. With a finite `muFixed`, μ is held at that value and only
 * (ω, α, β) are optimized. Returns φ = (μ, ω, α, β).
 */
function optimizeScaled(
  x: Float64Array,
  theta0: Float64Array,
  muFixed: number,
): { phi: Float64Array; evaluations: number } {
  const n = x.length;
  const free = Number.isNaN(muFixed) ? 0 : 1;
  const d = 4 - free;
  const theta = Float64Array.from(theta0);
  if (free === 1) theta[0] = muFixed;
  const phi = new Float64Array(4);
  const gPhi = new Float64Array(4);
  const gFull = new Float64Array(4);
  let evaluations = 0;
  const load = (t: Float64Array): void => {
    for (let j = 0; j < d; j++) theta[j + free] = t[j];
    fromTheta(theta, phi);
  };
  // Objective: −ln L / n on scaled data, over the free entries of θ.
  const f = (t: Float64Array): number => {
    evaluations++;
    load(t);
    const ll = llhKernel(x, phi[0], phi[1], phi[2], phi[3], null, null);
    return Number.isFinite(ll) ? -ll / n : Number.POSITIVE_INFINITY;
  };
  const fg = (t: Float64Array, g: Float64Array): number => {
    evaluations++;
    load(t);
    const ll = llhKernel(x, phi[0], phi[1], phi[2], phi[3], gPhi, null);
    if (!Number.isFinite(ll)) {
      g.fill(0);
      return Number.POSITIVE_INFINITY;
    }
    const p = phi[2] + phi[3];
    const q = phi[2] / p;
    const dp = p * (1 - p);
    const dq = q * (1 - q);
    gFull[0] = -gPhi[0] / n;
    gFull[1] = (-gPhi[1] * phi[1]) / n;
    gFull[2] = (-(gPhi[2] * q + gPhi[3] * (1 - q)) * dp) / n;
    gFull[3] = (-(gPhi[2] - gPhi[3]) * p * dq) / n;
    for (let j = 0; j < d; j++) g[j] = gFull[j + free];
    return -ll / n;
  };
  const start = theta0.slice(free);
  const nm = nelderMead(f, start, { step: 0.3, maxEvals: 400, fTol: 1e-9 });
  const qn = bfgs(fg, nm.x, { maxIter: 300, gTol: 1e-11, maxStep: 2 });
  load(qn.x);
  const best = Float64Array.from(phi);
  evaluations += newtonPolish(x, best, free).evaluations;
  return { phi: best, evaluations };
}

/**
 * Newton iterations on −ln L/n in (μ, ω, α, β) from a BFGS point, Hessian by central differences of
 * the analytic gradient. A step is kept only if it stays feasible and does not lower ln L, so a
 * boundary optimum is left to BFGS. Updates `phi` in place.
 */
function newtonPolish(x: Float64Array, phi: Float64Array, first: number): { evaluations: number } {
  const d = 4 - first;
  const g = new Float64Array(4);
  const gp = new Float64Array(4);
  const gm = new Float64Array(4);
  const hess = new Float64Array(d * d);
  const rhs = new Float64Array(d);
  const trial = new Float64Array(4);
  const gt = new Float64Array(4);
  let evaluations = 0;
  let ll = llhKernel(x, phi[0], phi[1], phi[2], phi[3], g, null);
  evaluations++;
  for (let iter = 0; iter < 6; iter++) {
    for (let j = 0; j < d; j++) {
      const jj = j + first;
      const step = 1e-5 * Math.max(Math.abs(phi[jj]), 1e-2);
      trial.set(phi);
      trial[jj] += step;
      const okP = llhKernel(x, trial[0], trial[1], trial[2], trial[3], gp, null);
      trial[jj] = phi[jj] - step;
      const okM = llhKernel(x, trial[0], trial[1], trial[2], trial[3], gm, null);
      evaluations += 2;
      if (!(Number.isFinite(okP) && Number.isFinite(okM))) return { evaluations };
      for (let i = 0; i < d; i++) hess[i * d + j] = -(gp[i + first] - gm[i + first]) / (2 * step);
    }
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < i; j++) {
        const avg = 0.5 * (hess[i * d + j] + hess[j * d + i]);
        hess[i * d + j] = avg;
        hess[j * d + i] = avg;
      }
      rhs[i] = g[i + first];
    }
    // Minimizing −ln L: H_min Δ = −∇(−ln L) = ∇ ln L.
    const delta = solveLinear(hess, rhs);
    if (delta === undefined) return { evaluations };
    let rel = 0;
    trial.set(phi);
    for (let j = 0; j < d; j++) {
      const jj = j + first;
      trial[jj] = phi[jj] + delta[j];
      rel = Math.max(rel, Math.abs(delta[j]) / Math.max(Math.abs(phi[jj]), 1e-2));
    }
    if (!(trial[1] > 0 && trial[2] >= 0 && trial[3] >= 0 && trial[2] + trial[3] < 1)) return { evaluations };
    const llt = llhKernel(x, trial[0], trial[1], trial[2], trial[3], gt, null);
    evaluations++;
    if (!(llt >= ll - 1e-12 * Math.abs(ll))) return { evaluations };
    phi.set(trial);
    g.set(gt);
    ll = llt;
    if (rel < 1e-13) break;
  }
  return { evaluations };
}

/**
 * n-step-ahead conditional variance forecasts h_{n+1..n+horizon}:
 * h_{n+1} = ω + α z_n² + β h_n, h_{n+k} = ω + (α + β) h_{n+k−1}
 * (equivalently σ̄² + (α+β)^{k−1}(h_{n+1} − σ̄²) with σ̄² = ω/(1−α−β)). Matches fGarch's
 * `predict(fit, n.ahead)$standardDeviation` = √h.
 *
 * Shape: result length `horizon`, per period².
 *
 * @param fit the parameters plus the last variance h_n and residual z_n (a {@link GarchFit} works).
 * @param horizon number of steps, integer ≥ 1.
 * @throws DomainError when horizon is not a positive integer or the state is invalid.
 * @example
 * garchForecastVariance({ params: { mu: 0, omega: 1e-6, alpha: 0.1, beta: 0.8 }, lastVariance: 1e-4, lastResidual: 0.01 }, 2);
 * // [1e-6 + 1e-5 + 8e-5 = 9.1e-5, 1e-6 + 0.9·9.1e-5 = 8.29e-5]
 * References: Bollerslev (1986); Engle & Bollerslev, Econometric Reviews 5 (1986) 1–50.
 */
export function garchForecastVariance(
  fit: Pick<GarchFit, 'params' | 'lastVariance' | 'lastResidual'>,
  horizon: number,
): Float64Array {
  if (!(Number.isInteger(horizon) && horizon >= 1))
    throw new DomainError('horizon', horizon, 'must be an integer >= 1');
  checkParams(fit.params);
  if (!(Number.isFinite(fit.lastVariance) && fit.lastVariance > 0)) {
    throw new DomainError('lastVariance', fit.lastVariance, 'must be > 0');
  }
  if (!Number.isFinite(fit.lastResidual))
    throw new DomainError('lastResidual', fit.lastResidual, 'must be a finite number');
  const { omega, alpha, beta } = fit.params;
  const out = new Float64Array(horizon);
  const h1 = Float64Array.of(fit.lastVariance);
  garchVarianceStep(h1, Float64Array.of(fit.lastResidual), omega, alpha, beta, 1);
  let h = h1[0];
  out[0] = h;
  for (let k = 1; k < horizon; k++) {
    h = omega + (alpha + beta) * h;
    out[k] = h;
  }
  return out;
}

/**
 * Volatility term structure from per-step variance forecasts: the average annualized volatility
 * to each horizon, σ̄(k) = √( periodsPerYear · (1/k) Σ_{j=1}^{k} h_{n+j} ) — the volatility to use
 * in a Black–Scholes price for an option expiring after k periods.
 *
 * Shape: `variances` length K (per period²); result length K (annualized decimals).
 *
 * @param variances per-step variance forecasts h_{n+1..n+K}.
 * @param periodsPerYear periods per year (default 252).
 * @throws DomainError when a variance is negative or not finite, or periodsPerYear ≤ 0.
 * @example
 * volatilityTermStructure(Float64Array.of(1e-4, 3e-4), 252); // [√0.0252 = 0.15875, √0.0504 = 0.22450]
 * References: Hull (2018), §23.4 "Using GARCH(1,1) to forecast future volatility".
 */
export function volatilityTermStructure(
  variances: Float64Array,
  periodsPerYear = TRADING_DAYS_PER_YEAR,
): Float64Array {
  if (!(Number.isFinite(periodsPerYear) && periodsPerYear > 0)) {
    throw new DomainError('periodsPerYear', periodsPerYear, 'must be > 0');
  }
  const out = new Float64Array(variances.length);
  let sum = 0;
  for (let k = 0; k < variances.length; k++) {
    const v = variances[k];
    if (!(Number.isFinite(v) && v >= 0)) throw new DomainError(`variances[${k}]`, v, 'must be >= 0');
    sum += v;
    out[k] = Math.sqrt((periodsPerYear * sum) / (k + 1));
  }
  return out;
}

/**
 * Simulates y_t = μ + √h_t ε_t, h_{t+1} = ω + α (y_t − μ)² + β h_t from given standard normal
 * innovations ε (no RNG inside: the caller draws them), starting at h_1 = ω/(1 − α − β).
 *
 * Shape: `innovations` length n; result length n.
 *
 * @param params μ, ω > 0, α ≥ 0, β ≥ 0 with α + β < 1.
 * @param innovations standard normal draws ε_1..ε_n.
 * @throws DomainError on invalid parameters or α + β ≥ 1.
 * @example
 * simulateGarch({ mu: 0, omega: 1e-6, alpha: 0.1, beta: 0.8 }, Float64Array.of(1, -1)); // [0.003162, -0.003162]
 * References: Bollerslev (1986).
 */
export function simulateGarch(params: GarchParams, innovations: Float64Array): Float64Array {
  checkParams(params);
  if (!(params.alpha + params.beta < 1))
    throw new DomainError('alpha + beta', params.alpha + params.beta, 'must be < 1');
  const n = innovations.length;
  const out = new Float64Array(n);
  const { omega, alpha, beta } = params;
  // One "path": the filter step on length-1 views, per period.
  const h = Float64Array.of(omega / (1 - alpha - beta));
  const z = new Float64Array(1);
  for (let t = 0; t < n; t++) {
    z[0] = Math.sqrt(h[0]) * innovations[t];
    out[t] = params.mu + z[0];
    garchVarianceStep(h, z, omega, alpha, beta, 1);
  }
  return out;
}
