/**
 * Multi-asset Heston stochastic volatility, Andersen's (2008) quadratic-exponential (QE) scheme.
 */
import { choleskyCorrelation, identityCorrelation } from '../core/cholesky.ts';
import { DomainError, requireFinite, requireNonNegative, requirePositive } from '../core/errors.ts';
import { expFast } from '../core/fast-exp.ts';
import type { Rng } from '../core/rng.ts';
import { type AssetSpec, validateAssets } from '../market/asset.ts';
import { constantRate, type RateModel } from '../market/rate.ts';
import { perAssetVector } from './params.ts';
import { allocState, type MarketState, type PathGenerator } from './types.ts';

/** Heston parameters of one asset (annualized). */
export interface HestonAssetParams {
  /** Initial variance V(0) (vol², e.g. 0.04 for 20 %), ≥ 0. */
  readonly v0: number;
  /** Mean-reversion speed κ per year, > 0. */
  readonly kappa: number;
  /** Long-run variance θ, > 0. */
  readonly theta: number;
  /** Volatility of variance ξ (QuantLib's σ), > 0. */
  readonly xi: number;
  /** Spot–variance correlation ρ ∈ [−1, 1]. */
  readonly rho: number;
}

/** Parameters of {@link HestonGenerator}. */
export interface HestonParams {
  readonly assets: readonly AssetSpec[];
  /** Shape: [nAssets]. */
  readonly heston: readonly HestonAssetParams[];
  /**
   * Correlation across assets of the spot shocks orthogonal to each asset's own variance shock
   * (Z in the QE log-spot update). Variance shocks are independent across assets, so the
   * instantaneous correlation of dWₐ and dW_b is √((1−ρₐ²)(1−ρ_b²))·C_ab. Default identity.
   * Shape: [nAssets][nAssets].
   */
  readonly correlation?: readonly (readonly number[])[];
  /** Default constantRate(0). */
  readonly rate?: RateModel;
  /** Real-world price drifts μₐ replacing r(t) − carryₐ. Shape: [nAssets]. */
  readonly drifts?: readonly number[];
  /**
   * Andersen's martingale correction of the log-spot drift (§4.3.3), making E[S(t+Δ) | S(t), V(t)] =
   * S(t)·e^{μΔ} exactly for every step size; default true. Where it is undefined (A ≥ 1/(2a) or A ≥ β,
   * possible only for ρ > 0 and large steps) the uncorrected drift is used for that path and step.
   */
  readonly martingaleCorrection?: boolean;
}

/** Andersen's switching threshold ψ_c between the quadratic and the exponential branch. */
export const PSI_C = 1.5;

/**
 * Heston (1993) per asset under the pricing measure (μₐ = r(t) − qₐ) or a given real-world drift:
 * dS/S = μ dt + √V dW_S, dV = κ(θ − V) dt + ξ√V dW_V, d⟨W_S, W_V⟩ = ρ dt.
 *
 * QE step (Andersen 2008, γ₁ = γ₂ = ½, ψ_c = 1.5): with E = e^{−κΔ},
 * m = θ + (V − θ)E, s² = Vξ²E(1−E)/κ + θξ²(1−E)²/(2κ), ψ = s²/m²;
 * ψ ≤ ψ_c: b² = 2/ψ − 1 + √(2/ψ)√(2/ψ − 1), a = m/(1 + b²), V' = a(b + Z_V)²;
 * ψ > ψ_c: p = (ψ−1)/(ψ+1), β = (1−p)/m, V' = 0 if U ≤ p else ln((1−p)/(1−U))/β;
 * ln S' = ln S + μΔ + K₀ + K₁V + K₂V' + √(K₃V + K₄V')·Z, K₀ = −ρκθΔ/ξ, K₁ = ½Δ(κρ/ξ − ½) − ρ/ξ,
 * K₂ = ½Δ(κρ/ξ − ½) + ρ/ξ, K₃ = K₄ = ½Δ(1 − ρ²); K₀ replaced by the martingale-corrected K₀* by default.
 * Draws per step and block: nAssets·nPaths normals Z (then correlated across assets), as many normals
 * Z_V and as many uniforms U, in that order.
 *
 * State: `variance[a]` = V, `vol[a]` = √V.
 * @throws DomainError (constructor) naming the bad parameter, e.g. `heston[0].kappa (0) must be > 0`.
 * @example
 * new HestonGenerator({ assets: [{ name: 'A', assetClass: 'equity', spot: 100 }],
 *   heston: [{ v0: 0.04, kappa: 1.5, theta: 0.04, xi: 0.5, rho: -0.7 }], rate: constantRate(0.03) });
 * // 1-year ATM call by Monte-Carlo ≈ 8.80 (QuantLib AnalyticHestonEngine 8.8027)
 * References: L. Andersen, "Simple and efficient simulation of the Heston stochastic volatility model",
 * J. Comput. Finance 11(3) (2008) 1–42; S. L. Heston, Rev. Financ. Stud. 6 (1993) 327–343.
 */
export class HestonGenerator implements PathGenerator {
  readonly assets: readonly AssetSpec[];
  readonly rate: RateModel;
  private readonly nA: number;
  private readonly v0: Float64Array;
  private readonly kappa: Float64Array;
  private readonly theta: Float64Array;
  private readonly xi: Float64Array;
  private readonly rho: Float64Array;
  private readonly carry: Float64Array;
  private readonly mu: Float64Array | undefined;
  private readonly chol: Float64Array;
  private readonly correct: boolean;
  private zAll = new Float64Array(0);
  private zvAll = new Float64Array(0);
  private uAll = new Float64Array(0);
  private z = new Float64Array(0);
  private zv = new Float64Array(0);
  private u = new Float64Array(0);

  constructor(params: HestonParams) {
    this.assets = params.assets;
    this.carry = validateAssets(params.assets);
    const nA = params.assets.length;
    this.nA = nA;
    if (params.heston.length !== nA)
      throw new DomainError('heston.length', params.heston.length, `must be ${nA}`);
    this.v0 = new Float64Array(nA);
    this.kappa = new Float64Array(nA);
    this.theta = new Float64Array(nA);
    this.xi = new Float64Array(nA);
    this.rho = new Float64Array(nA);
    for (let a = 0; a < nA; a++) {
      const h = params.heston[a];
      requireNonNegative(`heston[${a}].v0`, h.v0);
      requirePositive(`heston[${a}].kappa`, h.kappa);
      requirePositive(`heston[${a}].theta`, h.theta);
      requirePositive(`heston[${a}].xi`, h.xi);
      if (!(Number.isFinite(h.rho) && h.rho >= -1 && h.rho <= 1)) {
        throw new DomainError(`heston[${a}].rho`, h.rho, 'must be in [-1, 1]');
      }
      this.v0[a] = h.v0;
      this.kappa[a] = h.kappa;
      this.theta[a] = h.theta;
      this.xi[a] = h.xi;
      this.rho[a] = h.rho;
    }
    if (params.drifts) this.mu = perAssetVector('drifts', params.drifts, nA, requireFinite);
    this.chol = choleskyCorrelation(params.correlation ?? identityCorrelation(nA), nA);
    this.rate = params.rate ?? constantRate(0);
    this.correct = params.martingaleCorrection ?? true;
  }

  init(nPaths: number): MarketState {
    const vols: number[] = [];
    for (let a = 0; a < this.nA; a++) vols.push(Math.sqrt(this.v0[a]));
    const state = allocState(this.assets, nPaths, vols, { variances: this.v0 });
    const len = this.nA * nPaths;
    this.zAll = new Float64Array(len);
    this.zvAll = new Float64Array(len);
    this.uAll = new Float64Array(len);
    this.z = this.zAll;
    this.zv = this.zvAll;
    this.u = this.uAll;
    return state;
  }

  step(t: number, dt: number, state: MarketState, rng: Rng): void {
    const n = state.nPaths;
    const nA = this.nA;
    const len = nA * n;
    if (this.z.length !== len) {
      this.z = this.zAll.subarray(0, len);
      this.zv = this.zvAll.subarray(0, len);
      this.u = this.uAll.subarray(0, len);
    }
    const z = this.z;
    const zv = this.zv;
    const uu = this.u;
    rng.fillNormal(z);
    rng.fillNormal(zv);
    rng.fillUniform(uu);
    const L = this.chol;
    // correlate the orthogonal spot shocks across assets in place, last asset first
    for (let a = nA - 1; a >= 0; a--) {
      const offA = a * n;
      const laa = L[a * nA + a];
      if (laa !== 1) for (let p = 0; p < n; p++) z[offA + p] *= laa;
      for (let b = 0; b < a; b++) {
        const lab = L[a * nA + b];
        if (lab === 0) continue;
        const offB = b * n;
        for (let p = 0; p < n; p++) z[offA + p] += lab * z[offB + p];
      }
    }
    const r = this.rate.rate(t);
    const variance = state.variance as Float64Array[];
    const correct = this.correct;
    for (let a = 0; a < nA; a++) {
      const kappa = this.kappa[a];
      const theta = this.theta[a];
      const xi = this.xi[a];
      const rho = this.rho[a];
      const muDt = (this.mu ? this.mu[a] : r - this.carry[a]) * dt;
      const E = expFast(-kappa * dt);
      const c1 = (xi * xi * E * (1 - E)) / kappa;
      const c2 = (theta * xi * xi * (1 - E) * (1 - E)) / (2 * kappa);
      const k0 = (-rho * kappa * theta * dt) / xi;
      const k1 = 0.5 * dt * ((kappa * rho) / xi - 0.5) - rho / xi;
      const k2 = 0.5 * dt * ((kappa * rho) / xi - 0.5) + rho / xi;
      const k3 = 0.5 * dt * (1 - rho * rho);
      const A = k2 + 0.5 * k3; // K₄ = K₃
      const k13 = k1 + 0.5 * k3;
      const V = variance[a];
      const spot = state.spot[a];
      const lr = state.logReturn[a];
      const vol = state.vol[a];
      const off = a * n;
      for (let p = 0; p < n; p++) {
        const v = V[p];
        const m = theta + (v - theta) * E;
        const s2 = v * c1 + c2;
        const psi = s2 / (m * m);
        let vNext: number;
        let drift = k0;
        if (psi <= PSI_C) {
          const inv = 2 / psi;
          const b2 = inv - 1 + Math.sqrt(inv * (inv - 1));
          const b = Math.sqrt(b2);
          const aa = m / (1 + b2);
          const w = b + zv[off + p];
          vNext = aa * w * w;
          if (correct && A * 2 * aa < 1) {
            drift = (-A * b2 * aa) / (1 - 2 * A * aa) + 0.5 * Math.log(1 - 2 * A * aa) - k13 * v;
          }
        } else {
          const pz = (psi - 1) / (psi + 1);
          const beta = (1 - pz) / m;
          const u = uu[off + p];
          vNext = u <= pz ? 0 : Math.log((1 - pz) / (1 - u)) / beta;
          if (correct && A < beta) drift = -Math.log(pz + (beta * (1 - pz)) / (beta - A)) - k13 * v;
        }
        const x = muDt + drift + k1 * v + k2 * vNext + Math.sqrt(k3 * (v + vNext)) * z[off + p];
        lr[p] = x;
        spot[p] *= expFast(x);
        V[p] = vNext;
        vol[p] = Math.sqrt(vNext);
      }
    }
  }
}
