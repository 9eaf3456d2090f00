/**
 * Correlated multi-asset geometric Brownian motion, simulated exactly on any grid.
 */
import { choleskyCorrelation, identityCorrelation } from '../core/cholesky.ts';
import { requireFinite, requireNonNegative } from '../core/errors.ts';
import { expFast } from '../core/fast-exp.ts';
import { PATH_BLOCK, type Rng } from '../core/rng.ts';
import { type AssetSpec, validateAssets } from '../market/asset.ts';
import { constantRate, type RateModel } from '../market/rate.ts';
import { createGbmWasm, type GbmWasm } from '../wasm/gbm-kernel.ts';
import { wasmKernelsEnabled } from '../wasm/runtime.ts';
import { perAssetVector } from './params.ts';
import { allocState, type InitOptions, type MarketState, type PathGenerator } from './types.ts';

/** Parameters of {@link GbmGenerator}. Defaults: identity correlation, rate 0, risk-neutral drift. */
export interface GbmParams {
  readonly assets: readonly AssetSpec[];
  /** σₐ per asset, annualized decimal, ≥ 0. Shape: [nAssets]. */
  readonly vols: readonly number[];
  /** Correlation of the Brownian motions. Shape: [nAssets][nAssets]. Default identity. */
  readonly correlation?: readonly (readonly number[])[];
  /** Risk-free short rate; default constantRate(0). */
  readonly rate?: RateModel;
  /**
   * Real-world price drifts μₐ (annualized decimal, E[dS/S] = μₐ dt). Omit for the pricing measure,
   * where μₐ = r(t) − carryₐ. Shape: [nAssets].
   */
  readonly drifts?: readonly number[];
}

/**
 * Correlated GBM: dSₐ/Sₐ = μₐ dt + σₐ dWₐ, d⟨Wₐ, W_b⟩ = C_ab dt, with μₐ = r(t) − qₐ under the pricing
 * measure or the given real-world drift. Exact log-Euler step over [t, t + Δ):
 * ln Sₐ(t+Δ) = ln Sₐ(t) + (μₐ − σₐ²/2)Δ + σₐ√Δ·Σ_b L_ab ε_b, C = L·Lᵀ, ε iid N(0, 1)
 * (exact for piecewise-constant r on the grid). Random draws per step and block: nAssets·nPaths
 * normals, asset-major.
 *
 * @example
 * const g = new GbmGenerator({ assets: [{ name: 'A', assetClass: 'equity', spot: 100 }], vols: [0.2], rate: constantRate(0.03) });
 * // E[S(1)] = 100·e^0.03 ≈ 103.05 over many paths
 * @throws DomainError (constructor) on invalid assets, vols (`vols[1] (-0.2) must be >= 0`), drifts or
 *   correlation (see choleskyCorrelation).
 * References: P. Glasserman, Monte Carlo Methods in Financial Engineering (2003), §3.2.3.
 */
export class GbmGenerator implements PathGenerator {
  readonly assets: readonly AssetSpec[];
  readonly rate: RateModel;
  private readonly nA: number;
  private readonly sigma: Float64Array;
  private readonly carry: Float64Array;
  private readonly mu: Float64Array | undefined;
  /** Lower Cholesky factor, row-major [nA·nA]. */
  private readonly chol: Float64Array;
  private epsAll = new Float64Array(0);
  /** View of epsAll sized for the last block size seen; re-made only when that size changes. */
  private eps = new Float64Array(0);
  /** The WebAssembly kernel holding the state of the current simulation (null: JavaScript). */
  private wasm: GbmWasm | null = null;
  /** Scratch: the JavaScript step's coefficients (see `coefficients`). Shape: [nA + nA²]. */
  private readonly coef: Float64Array;

  constructor(params: GbmParams) {
    this.assets = params.assets;
    this.carry = validateAssets(params.assets);
    const nA = params.assets.length;
    this.nA = nA;
    this.sigma = perAssetVector('vols', params.vols, nA, requireNonNegative);
    if (params.drifts) this.mu = perAssetVector('drifts', params.drifts, nA, requireFinite);
    this.chol = choleskyCorrelation(params.correlation ?? identityCorrelation(nA), nA);
    this.rate = params.rate ?? constantRate(0);
    this.coef = new Float64Array(nA + nA * nA);
  }

  /**
   * With the WebAssembly kernels on and nPaths a multiple of PATH_BLOCK, the spot, log-return and
   * log-spot arrays are views on the kernel's memory (reused by every later `init` of at most the
   * same size: one simulation at a time per instance), which `stepBlocks` advances in place. The
   * state has `logSpot` only when `opts.logSpot` asks for it (then every step advances it).
   */
  init(nPaths: number, opts?: InitOptions): MarketState {
    this.epsAll = new Float64Array(this.nA * nPaths);
    this.eps = this.epsAll;
    const old = this.wasm;
    const reuse = old !== null && old.capacity >= nPaths && nPaths % PATH_BLOCK === 0 && wasmKernelsEnabled();
    if (reuse) old.use(nPaths); // new views, the guest arena freed: the previous simulation is over
    this.wasm = reuse ? old : createGbmWasm(this.nA, nPaths);
    const w = this.wasm;
    const carry = opts?.logSpot === true;
    if (w === null) {
      const state = allocState(this.assets, nPaths, this.sigma);
      if (!carry) return state;
      const logSpot = this.assets.map((asset) => new Float64Array(nPaths).fill(Math.log(asset.spot)));
      return { ...state, logSpot };
    }
    w.carryLogSpot = carry;
    const vol: Float64Array[] = [];
    for (let a = 0; a < this.nA; a++) {
      w.spot[a].fill(this.assets[a].spot);
      w.logReturn[a].fill(0);
      if (carry) w.logSpot[a].fill(Math.log(this.assets[a].spot));
      vol.push(new Float64Array(nPaths).fill(this.sigma[a]));
    }
    const state = { nPaths, spot: w.spot.slice(), logReturn: w.logReturn.slice(), vol };
    return carry ? { ...state, logSpot: w.logSpot.slice() } : state;
  }

  /** All blocks in one WebAssembly call (four random streams in the lanes of one vector). */
  stepBlocks(t: number, dt: number, blocks: readonly MarketState[], rngs: readonly Rng[]): void {
    const w = this.wasm;
    const s0 = blocks[0].spot[0];
    if (
      w === null ||
      blocks.length * PATH_BLOCK !== w.nPaths ||
      s0.buffer !== w.spot[0].buffer ||
      s0.byteOffset !== w.spot[0].byteOffset
    ) {
      for (let b = 0; b < blocks.length; b++) this.step(t, dt, blocks[b], rngs[b]);
      return;
    }
    this.coefficients(t, dt, w.coef);
    w.step(rngs);
  }

  /**
   * The step's coefficients into `out`: c0ₐ = (μₐ − σₐ²/2)Δ at a, σₐ√Δ·L_ab at nA + a·nA + b (b ≤ a).
   * Shape: out [nA + nA²].
   */
  private coefficients(t: number, dt: number, out: Float64Array): void {
    const nA = this.nA;
    const r = this.rate.rate(t);
    const sqdt = Math.sqrt(dt);
    const L = this.chol;
    for (let a = 0; a < nA; a++) {
      const sig = this.sigma[a];
      const mu = this.mu ? this.mu[a] : r - this.carry[a];
      out[a] = (mu - 0.5 * sig * sig) * dt;
      const cs = sig * sqdt;
      for (let b = 0; b <= a; b++) out[nA + a * nA + b] = cs * L[a * nA + b];
    }
  }

  step(t: number, dt: number, state: MarketState, rng: Rng): void {
    const n = state.nPaths;
    const nA = this.nA;
    if (this.eps.length !== nA * n) this.eps = this.epsAll.subarray(0, nA * n);
    const eps = this.eps;
    rng.fillNormal(eps);
    const coef = this.coef;
    this.coefficients(t, dt, coef);
    for (let a = 0; a < nA; a++) {
      const c0 = coef[a];
      const row = nA + a * nA;
      const lr = state.logReturn[a];
      const spot = state.spot[a];
      const ls = state.logSpot?.[a];
      const ca = coef[row + a];
      const offA = a * n;
      for (let p = 0; p < n; p++) lr[p] = c0 + ca * eps[offA + p];
      for (let b = 0; b < a; b++) {
        const cb = coef[row + b];
        if (cb === 0) continue;
        const offB = b * n;
        for (let p = 0; p < n; p++) lr[p] += cb * eps[offB + p];
      }
      if (ls === undefined) for (let p = 0; p < n; p++) spot[p] *= expFast(lr[p]);
      else
        for (let p = 0; p < n; p++) {
          const x = lr[p];
          spot[p] *= expFast(x);
          ls[p] += x;
        }
    }
  }
}
