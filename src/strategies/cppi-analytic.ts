/**
 * Closed forms for CPPI on one lognormal sleeve: the terminal-value moments under geometric Brownian
 * motion (Bertrand & Prigent 2005), their exact counterparts for rebalancing on a grid, and the gap
 * (floor-breach) probability under compound-Poisson jumps (Cont & Tankov 2009). They are the
 * references the Monte-Carlo engine is verified against (test/cppi-*.test.ts) and give reports a
 * quick analytic check. Assumptions common to all: no cap on the exposure (maxExposure = ∞,
 * borrowing at r), no costs, floor Fₜ = F₀·e^{rt} with a constant rate r.
 *
 * Derivation (continuous rebalancing). With exposure m·Cₜ in the sleeve S (dS/S = μdt + σdW) and
 * the rest at r, dV = m·C·dS/S + (V − m·C)·r·dt and dF = r·F·dt, so the cushion C = V − F solves
 * dC/C = (r + m(μ − r))dt + mσ dW:
 *
 *   C_T = C₀·exp[(r + m(μ − r) − m²σ²/2)T + mσW_T] = α_T·S_T^m,
 *   α_T = (C₀/S₀^m)·exp[(r − m(r − σ²/2) − m²σ²/2)T]      (Bertrand & Prigent 2005, eq. (5)),
 *   V_T = F_T + C_T,  E[V_T] = F_T + C₀·e^{(r + m(μ−r))T},
 *   Var[V_T] = C₀²·e^{2(r + m(μ−r))T}·(e^{m²σ²T} − 1).
 *
 * Rebalancing every Δ = T/n instead: C_{k+1} = C_k·(m·R_k + (1 − m)·e^{rΔ}), R_k = S_{k+1}/S_k iid
 * lognormal, so E[C_T] = C₀·a₁ⁿ and E[C_T²] = C₀²·a₂ⁿ with
 *   a₁ = m·e^{μΔ} + (1 − m)·e^{rΔ},
 *   a₂ = m²·e^{(2μ + σ²)Δ} + 2m(1 − m)·e^{(μ + r)Δ} + (1 − m)²·e^{2rΔ},
 * exact as long as no step has R_k ≤ (m − 1)e^{rΔ}/m (a gap; probability ~1e−30 for daily steps
 * with σ ≤ 0.3, m ≤ 5).
 *
 * Gap risk (Cont & Tankov 2009, Prop. 1): with rebalancing at every jump time, the cushion is lost
 * exactly when a jump of relative size ΔS/S < −1/m occurs; for compound-Poisson jumps of intensity λ
 * and lognormal size ln J ~ N(μ_J, δ²): P(gap in [0, T]) = 1 − exp(−λT·Φ((ln(1 − 1/m) − μ_J)/δ)).
 *
 * References: P. Bertrand & J.-L. Prigent, "Portfolio insurance strategies: OBPI versus CPPI",
 * Finance 26(1) (2005) 5–32; R. Cont & P. Tankov, "Constant proportion portfolio insurance in the
 * presence of jumps in asset prices", Mathematical Finance 19(3) (2009) 379–401.
 */
import { DomainError, requireFinite, requireNonNegative, requirePositive } from '../core/errors.ts';
import { normCdf } from '../core/normal.ts';

/** Inputs of the CPPI closed forms. All rates and vols annualized decimals, times in years. */
export interface CppiGbmInputs {
  /** Initial value V₀, currency > 0. */
  readonly v0: number;
  /** Floor at inception as a fraction of V₀, in [0, 1). */
  readonly floor: number;
  /** Multiplier m ≥ 0. */
  readonly multiplier: number;
  /** Real-world drift μ of the sleeve (E[dS/S] = μdt). */
  readonly mu: number;
  /** Volatility σ ≥ 0 of the sleeve. */
  readonly sigma: number;
  /** Constant short rate r (the floor accrues at r). */
  readonly rate: number;
  /** Horizon T > 0. */
  readonly horizon: number;
}

/** Mean and standard deviation of the terminal value V_T, and the terminal floor F_T (currency). */
export interface TerminalMoments {
  readonly mean: number;
  readonly std: number;
  readonly floorT: number;
}

function check(x: CppiGbmInputs): void {
  requirePositive('v0', x.v0);
  if (!(Number.isFinite(x.floor) && x.floor >= 0 && x.floor < 1))
    throw new DomainError('floor', x.floor, 'must be in [0, 1)');
  requireNonNegative('multiplier', x.multiplier);
  requireFinite('mu', x.mu);
  requireNonNegative('sigma', x.sigma);
  requireFinite('rate', x.rate);
  requirePositive('horizon', x.horizon);
}

/**
 * Terminal-value moments of continuously rebalanced CPPI under GBM (Bertrand & Prigent 2005):
 * E[V_T] = F_T + C₀e^{(r+m(μ−r))T}, Std[V_T] = C₀e^{(r+m(μ−r))T}·√(e^{m²σ²T} − 1), F_T = floor·V₀·e^{rT}.
 *
 * @throws DomainError naming the invalid input.
 * @example
 * cppiGbmMoments({ v0: 100, floor: 0.8, multiplier: 4, mu: 0.07, sigma: 0.15, rate: 0.02, horizon: 1 });
 * // returns { mean: ≈106.5376, std: ≈16.4053, floorT: ≈81.6161 }
 * References: Bertrand & Prigent (2005), §2.2.
 */
export function cppiGbmMoments(x: CppiGbmInputs): TerminalMoments {
  check(x);
  const { v0, floor, multiplier: m, mu, sigma, rate: r, horizon: T } = x;
  const c0 = (1 - floor) * v0;
  const floorT = floor * v0 * Math.exp(r * T);
  const ec = c0 * Math.exp((r + m * (mu - r)) * T);
  return { mean: floorT + ec, std: ec * Math.sqrt(Math.expm1(m * m * sigma * sigma * T)), floorT };
}

/**
 * Exact terminal-value moments of CPPI rebalanced every Δ = T/steps under GBM (no gap, no cap):
 * E[C_T] = C₀a₁ⁿ, E[C_T²] = C₀²a₂ⁿ (a₁, a₂ in the file header).
 *
 * @param steps - number of equal rebalancing intervals n ≥ 1.
 * @throws DomainError naming the invalid input.
 * @example
 * cppiDiscreteMoments({ v0: 100, floor: 0.8, multiplier: 4, mu: 0.07, sigma: 0.15, rate: 0.02, horizon: 1 }, 252);
 * // returns { mean: ≈106.5362, std: ≈16.3862, floorT: ≈81.6161 }
 * References: Bertrand & Prigent (2005); Cont & Tankov (2009), §2 (discrete rebalancing).
 */
export function cppiDiscreteMoments(x: CppiGbmInputs, steps: number): TerminalMoments {
  check(x);
  if (!(Number.isSafeInteger(steps) && steps >= 1))
    throw new DomainError('steps', steps, 'must be an integer >= 1');
  const { v0, floor, multiplier: m, mu, sigma, rate: r, horizon: T } = x;
  const d = T / steps;
  const c0 = (1 - floor) * v0;
  const floorT = floor * v0 * Math.exp(r * T);
  const g = Math.exp(r * d);
  const a1 = m * Math.exp(mu * d) + (1 - m) * g;
  const a2 =
    m * m * Math.exp((2 * mu + sigma * sigma) * d) +
    2 * m * (1 - m) * Math.exp((mu + r) * d) +
    (1 - m) * (1 - m) * g * g;
  const ec = c0 * a1 ** steps;
  const ec2 = c0 * c0 * a2 ** steps;
  return { mean: floorT + ec, std: Math.sqrt(Math.max(ec2 - ec * ec, 0)), floorT };
}

/** Compound-Poisson jumps with lognormal sizes: intensity λ per year, ln J ~ N(mean, std²). */
export interface LognormalJumps {
  readonly intensity: number;
  readonly mean: number;
  readonly std: number;
}

/**
 * Cont–Tankov gap probability: P(some jump with ΔS/S < −1/m in [0, T]) = 1 − exp(−λT·P(J < 1 − 1/m)),
 * the probability that CPPI rebalanced at every jump time ends below its floor. 0 for m ≤ 1.
 *
 * @param multiplier - m ≥ 0. @param horizon - T, years > 0.
 * @throws DomainError naming the invalid input.
 * @example
 * cppiGapProbability(5, { intensity: 2, mean: -0.15, std: 0.1 }, 1); // returns ≈0.37156
 * References: Cont & Tankov (2009), Prop. 1.
 */
export function cppiGapProbability(multiplier: number, jumps: LognormalJumps, horizon: number): number {
  requireNonNegative('multiplier', multiplier);
  checkJumps(jumps);
  requirePositive('horizon', horizon);
  if (multiplier <= 1) return 0;
  const pJump = lognormalBelow(Math.log(1 - 1 / multiplier), jumps.mean, jumps.std);
  return -Math.expm1(-jumps.intensity * horizon * pJump);
}

/**
 * Exact gap probability of CPPI (no cap) rebalanced every Δ = T/steps on a Merton jump-diffusion
 * simulated exactly on that grid: a step gaps when its gross return R ≤ (m − 1)e^{rΔ}/m; given k jumps
 * in the step ln R ~ N(c + k·μ_J, σ²Δ + k·δ²), c = (μ − λκ − σ²/2)Δ, κ = e^{μ_J + δ²/2} − 1, so
 *   p = Σ_k e^{−λΔ}(λΔ)^k/k!·Φ((ln θ − c − kμ_J)/√(σ²Δ + kδ²)),  P(gap by T) = 1 − (1 − p)ⁿ.
 * Tends to {@link cppiGapProbability} as Δ → 0.
 *
 * @param diffusion.mu - the sleeve's expected price return μ (jumps included; r − q under the pricing measure).
 * @param diffusion.sigma - diffusive σ ≥ 0. @param rate - r of the cash account and floor.
 * @throws DomainError naming the invalid input.
 * @example
 * cppiDiscreteGapProbability(5, { intensity: 2, mean: -0.15, std: 0.1 }, { mu: 0.02, sigma: 0.2 }, 0.02, 1, 252);
 * // returns ≈0.37145
 * References: Cont & Tankov (2009), §3; Merton (1976).
 */
export function cppiDiscreteGapProbability(
  multiplier: number,
  jumps: LognormalJumps,
  diffusion: { readonly mu: number; readonly sigma: number },
  rate: number,
  horizon: number,
  steps: number,
): number {
  requireNonNegative('multiplier', multiplier);
  checkJumps(jumps);
  requireFinite('diffusion.mu', diffusion.mu);
  requireNonNegative('diffusion.sigma', diffusion.sigma);
  requireFinite('rate', rate);
  requirePositive('horizon', horizon);
  if (!(Number.isSafeInteger(steps) && steps >= 1))
    throw new DomainError('steps', steps, 'must be an integer >= 1');
  if (multiplier <= 1) return 0;
  const d = horizon / steps;
  const { intensity: lam, mean: mj, std: sj } = jumps;
  const kappa = Math.expm1(mj + 0.5 * sj * sj);
  const c = (diffusion.mu - lam * kappa - 0.5 * diffusion.sigma ** 2) * d;
  const lnTheta = Math.log(1 - 1 / multiplier) + rate * d;
  const v0 = diffusion.sigma ** 2 * d;
  const ld = lam * d;
  let pk = Math.exp(-ld);
  let p = 0;
  let cum = 0;
  for (let k = 0; k < 200 && cum < 1 - 1e-17; k++) {
    if (k > 0) pk *= ld / k;
    cum += pk;
    const s2 = v0 + k * sj * sj;
    const z = lnTheta - c - k * mj;
    p += pk * (s2 > 0 ? normCdf(z / Math.sqrt(s2)) : z >= 0 ? 1 : 0);
  }
  return -Math.expm1(steps * Math.log1p(-p));
}

function checkJumps(j: LognormalJumps): void {
  requireNonNegative('jumps.intensity', j.intensity);
  requireFinite('jumps.mean', j.mean);
  requireNonNegative('jumps.std', j.std);
}

/** P(ln J < x) for ln J ~ N(mean, std²) (a point mass at `mean` when std = 0). */
function lognormalBelow(x: number, mean: number, std: number): number {
  if (std === 0) return mean < x ? 1 : 0;
  return normCdf((x - mean) / std);
}
