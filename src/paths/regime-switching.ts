/**
 * Markov regime-switching jump-diffusion: a hidden continuous-time Markov chain selects, per path,
 * the drifts, volatilities, correlation and jump intensity of a multi-asset log-normal model.
 *
 * Conventions:
 * - Regime path per path: `state.regime[p]` holds the regime that governed the LAST step (t−dt, t]
 *   (or, at t₀, the initial regime; −1 when the initial regime is random and not drawn yet).
 * - Each step first moves the chain, s_{t+dt} ~ P(dt)[s_t, ·], then draws the returns of (t, t+dt]
 *   under the new regime (Hamilton 1989's timing: the regime of a period drives that period's return).
 * - Transition input is either a per-year generator Q (rows sum to 0, off-diagonals ≥ 0), giving
 *   P(dt) = exp(Q·dt) for any dt, or a per-step probability matrix P₀ for steps of length `stepDt`,
 *   used as is when dt = stepDt and otherwise through its generator Q = log(P₀)/stepDt.
 *
 * References: J. D. Hamilton, "A New Approach to the Economic Analysis of Nonstationary Time Series
 * and the Business Cycle", Econometrica 57(2) (1989) 357–384; J. R. Norris, Markov Chains (1997),
 * §2.10 (generators, P(t) = e^{tQ}); R. B. Israel, J. S. Rosenthal, J. Z. Wei, "Finding generators for
 * Markov chains via empirical transition matrices", Math. Finance 11(2) (2001) 245–265.
 */
import { choleskyCorrelation, identityCorrelation } from '../core/cholesky.ts';
import { DomainError, requireFinite, requireNonNegative, requirePositive } from '../core/errors.ts';
import { expFast } from '../core/fast-exp.ts';
import type { Rng } from '../core/rng.ts';
import { type AssetSpec, validateAssets } from '../market/asset.ts';
import { constantRate, type RateModel } from '../market/rate.ts';
import {
  expmInto,
  generatorFromStep,
  type Matrix,
  normaliseRows,
  ROW_TOL,
  stationaryDistribution,
  validateGenerator,
  validateStochastic,
} from './markov-chain.ts';
import { allocState, type MarketState, type PathGenerator } from './types.ts';

export type { Matrix } from './markov-chain.ts';
export {
  generatorFromStep,
  stationaryDistribution,
  transitionMatrix,
  validateGenerator,
  validateStochastic,
} from './markov-chain.ts';

/** One regime: its name and per-asset dynamics. Shape of every per-asset array: [nAssets]. */
export interface RegimeSpec {
  /** Unique name, e.g. `calm`, `turbulent`, `crisis` (`stationary` is reserved). */
  readonly name: string;
  /**
   * Expected price return μ per asset, annualized decimal, jumps included:
   * E[S(t+dt)/S(t) | regime] = e^{μ·dt}.
   */
  readonly drift: readonly number[];
  /** Diffusive volatility σ per asset, annualized decimal, ≥ 0. */
  readonly vol: readonly number[];
  /** Correlation of the diffusive shocks, [nAssets][nAssets]; default identity. */
  readonly correlation?: Matrix;
  /** Intensity λ of market-wide jump events, per year, ≥ 0 (default 0). A jump hits every asset at once. */
  readonly jumpIntensity?: number;
  /** Mean m of the log jump size per asset (e.g. −0.05 ≈ a 5 % drop), default 0. */
  readonly jumpMean?: readonly number[];
  /** Standard deviation s of the log jump size per asset, ≥ 0, default 0. */
  readonly jumpStd?: readonly number[];
}

/**
 * How regimes move. `generator`: Q in 1/years (Q[i][j] ≥ 0 for i ≠ j, rows sum to 0); the expected
 * stay in regime i is −1/Q[i][i] years. `per-step`: P₀[i][j] = probability of moving from i to j over
 * one step of `stepDt` years (rows sum to 1).
 */
export type TransitionSpec =
  | { readonly kind: 'generator'; readonly matrix: Matrix }
  | { readonly kind: 'per-step'; readonly matrix: Matrix; readonly stepDt: number };

/**
 * Initial regime: an index, a regime name, `'stationary'` (drawn from the stationary distribution
 * π, πQ = 0) or a probability vector [nRegimes]. Random choices are drawn in the first step.
 */
export type InitialRegime = number | string | readonly number[];

/** Parameters of {@link RegimeSwitchingGenerator}. */
export interface RegimeSwitchingParams {
  readonly assets: readonly AssetSpec[];
  /** Risk-free short rate (for the engine's cash account; the drifts are real-world). Default 0. */
  readonly rate?: RateModel;
  readonly regimes: readonly RegimeSpec[];
  readonly transition: TransitionSpec;
  /** Default 0 (the first regime). */
  readonly initialRegime?: InitialRegime;
}

/** Largest Poisson count drawn per step (the tail beyond it has probability < 1e-40 for λ·dt ≤ 1). */
const MAX_JUMPS = 64;

/**
 * Multi-asset regime-switching jump-diffusion, vectorised over paths. In regime k, for asset a:
 *
 *   d ln Sₐ = (μₖₐ − σₖₐ²/2 − λₖ κₖₐ) dt + σₖₐ dWₐ + d(Σ_{n ≤ Nₖ(t)} Yₙₐ),
 *   d⟨Wₐ, W_b⟩ = Cₖ[a][b] dt,  Nₖ Poisson(λₖ),  Yₐ ~ N(mₖₐ, sₖₐ²),  κₖₐ = e^{mₖₐ + sₖₐ²/2} − 1,
 *
 * with the regime s(t) a Markov chain with generator Q. Within a step the regime is held at its value
 * at the end of the step (exact for the per-step chain; for the continuous chain it ignores switches
 * inside the step, an O(dt) error in the mixing of regimes). Per step the returns are sampled exactly:
 * Gaussian part N((μ − σ²/2 − λκ)dt, σ²dt) with correlation Cₖ, jump count Poisson(λₖdt) by inversion,
 * jump sum N·m + √N·s·ε.
 *
 * Random draws per step and block, in this order: nPaths uniforms (chain), plus nPaths uniforms
 * (jump counts) if any regime has jumps; nAssets·nPaths normals (diffusion, asset-major); then,
 * path by path, nAssets normals for each path that jumps (jumps are rare, so the jump sizes cost
 * almost nothing).
 *
 * State: spot, logReturn, vol (σ of the regime in force), regime (Int32Array).
 *
 * @example
 * const g = new RegimeSwitchingGenerator({
 *   assets: [{ name: 'EQ', assetClass: 'equity', spot: 100 }],
 *   regimes: [{ name: 'calm', drift: [0.08], vol: [0.12] }, { name: 'crisis', drift: [-0.3], vol: [0.45] }],
 *   transition: { kind: 'generator', matrix: [[-0.5, 0.5], [4, -4]] },
 *   initialRegime: 'stationary',
 * });
 * // stationary share of `calm`: 4 / 4.5 ≈ 0.889
 * @throws DomainError (constructor) naming the entry: `regimes[1].vol[0] (-0.1) must be >= 0`,
 *   `transition.matrix[0] (row sum 0.98) must sum to 1`, `initialRegime ("boom") must be ...`, etc.
 * References: Hamilton (1989); R. C. Merton, "Option pricing when underlying stock returns are
 * discontinuous", J. Financial Economics 3 (1976) 125–144; Glasserman (2003), §3.5.
 */
export class RegimeSwitchingGenerator implements PathGenerator {
  readonly assets: readonly AssetSpec[];
  readonly rate: RateModel;
  /** Regime names, index = regime id in `state.regime`. */
  readonly regimeNames: readonly string[];
  /** Per-year generator of the chain (given, or converted from the per-step matrix). */
  readonly generator: readonly (readonly number[])[] | undefined;
  private readonly nA: number;
  private readonly k: number;
  private readonly mu: Float64Array; // [k·nA]
  private readonly sigma: Float64Array; // [k·nA]
  private readonly chol: Float64Array; // [k·nA·nA]
  private readonly lambda: Float64Array; // [k]
  private readonly jm: Float64Array; // [k·nA]
  private readonly js: Float64Array; // [k·nA]
  private readonly kappa: Float64Array; // [k·nA]
  private readonly hasJumps: boolean;
  /** Per-step matrix and its step length, when given that way. */
  private readonly stepP: Float64Array | undefined;
  private readonly stepDt: number;
  private readonly qFlat: Float64Array | undefined;
  /** Initial distribution (length k) if random; undefined when the initial regime is fixed. */
  private readonly init0: Float64Array | undefined;
  private readonly initIndex: number;
  // per-dt caches, recomputed only when dt changes (no allocation)
  private cachedDt = Number.NaN;
  private readonly cum: Float64Array; // [k·k] cumulative rows of P(dt)
  private readonly cumInit: Float64Array; // [k] cumulative π₀·P(dt)
  private readonly c0: Float64Array; // [k·nA] (μ − σ²/2 − λκ)·dt
  private readonly cs: Float64Array; // [k·nA] σ·√dt
  private readonly expNegLamDt: Float64Array; // [k]
  private readonly lamDt: Float64Array; // [k]
  private readonly work: Float64Array[];
  // scratch sized in init
  private uAll = new Float64Array(0);
  private zAll = new Float64Array(0);
  private u = new Float64Array(0);
  private z = new Float64Array(0);
  private nJumps = new Int32Array(0);
  private zj = new Float64Array(0);
  private readonly jz: Float64Array;

  constructor(params: RegimeSwitchingParams) {
    this.assets = params.assets;
    validateAssets(params.assets);
    this.rate = params.rate ?? constantRate(0);
    const nA = params.assets.length;
    const regimes = params.regimes;
    const k = regimes.length;
    if (k < 1) throw new DomainError('regimes.length', k, 'must be >= 1');
    this.nA = nA;
    this.k = k;
    this.mu = new Float64Array(k * nA);
    this.sigma = new Float64Array(k * nA);
    this.chol = new Float64Array(k * nA * nA);
    this.lambda = new Float64Array(k);
    this.jm = new Float64Array(k * nA);
    this.js = new Float64Array(k * nA);
    this.kappa = new Float64Array(k * nA);
    const names: string[] = [];
    const vec = (
      v: readonly number[] | undefined,
      param: string,
      nonNeg: boolean,
      out: Float64Array,
      off: number,
    ) => {
      if (v === undefined) return;
      if (v.length !== nA)
        throw new DomainError(`${param}.length`, v.length, `must be ${nA} (one per asset)`);
      for (let a = 0; a < nA; a++) {
        if (nonNeg) requireNonNegative(`${param}[${a}]`, v[a]);
        else requireFinite(`${param}[${a}]`, v[a]);
        out[off + a] = v[a];
      }
    };
    for (let r = 0; r < k; r++) {
      const g = regimes[r];
      const where = `regimes[${r}]`;
      if (typeof g.name !== 'string' || g.name === '') {
        throw new DomainError(`${where}.name`, g.name, 'must be a non-empty string');
      }
      if (g.name === 'stationary') throw new DomainError(`${where}.name`, g.name, 'is reserved');
      if (names.includes(g.name)) throw new DomainError(`${where}.name`, g.name, 'must be unique');
      names.push(g.name);
      if (!g.drift) throw new DomainError(`${where}.drift`, g.drift, 'is required');
      if (!g.vol) throw new DomainError(`${where}.vol`, g.vol, 'is required');
      vec(g.drift, `${where}.drift`, false, this.mu, r * nA);
      vec(g.vol, `${where}.vol`, true, this.sigma, r * nA);
      this.chol.set(
        choleskyCorrelation(g.correlation ?? identityCorrelation(nA), nA, `${where}.correlation`),
        r * nA * nA,
      );
      const lam = g.jumpIntensity ?? 0;
      requireNonNegative(`${where}.jumpIntensity`, lam);
      this.lambda[r] = lam;
      vec(g.jumpMean, `${where}.jumpMean`, false, this.jm, r * nA);
      vec(g.jumpStd, `${where}.jumpStd`, true, this.js, r * nA);
      for (let a = 0; a < nA; a++) {
        const i = r * nA + a;
        this.kappa[i] = Math.expm1(this.jm[i] + 0.5 * this.js[i] * this.js[i]);
      }
    }
    this.regimeNames = names;
    this.hasJumps = this.lambda.some((l) => l > 0);

    const tr = params.transition;
    if (!tr || (tr.kind !== 'generator' && tr.kind !== 'per-step')) {
      throw new DomainError(
        'transition.kind',
        (tr as { kind?: unknown } | undefined)?.kind,
        "must be 'generator' or 'per-step'",
      );
    }
    let gen: number[][] | undefined;
    if (tr.kind === 'generator') {
      validateGenerator(tr.matrix, k);
      gen = tr.matrix.map((row) => [...row]);
      this.stepP = undefined;
      this.stepDt = Number.NaN;
    } else {
      validateStochastic(tr.matrix, k);
      requirePositive('transition.stepDt', tr.stepDt);
      this.stepDt = tr.stepDt;
      this.stepP = new Float64Array(k * k);
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) this.stepP[i * k + j] = tr.matrix[i][j];
      let persistent = true;
      for (let i = 0; i < k; i++) if (!(tr.matrix[i][i] > 0.5)) persistent = false;
      gen = persistent ? generatorFromStep(tr.matrix, tr.stepDt, 'transition.matrix') : undefined;
    }
    this.generator = gen;
    if (gen) {
      this.qFlat = new Float64Array(k * k);
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) this.qFlat[i * k + j] = gen[i][j];
    }

    // initial regime
    const ir = params.initialRegime ?? 0;
    this.initIndex = 0;
    if (typeof ir === 'number') {
      if (!(Number.isInteger(ir) && ir >= 0 && ir < k)) {
        throw new DomainError('initialRegime', ir, `must be an integer in [0, ${k - 1}]`);
      }
      this.initIndex = ir;
    } else if (typeof ir === 'string') {
      if (ir === 'stationary') {
        const pi =
          tr.kind === 'generator'
            ? stationaryDistribution(tr.matrix, 'generator')
            : stationaryDistribution(tr.matrix, 'per-step');
        this.init0 = Float64Array.from(pi);
      } else {
        const idx = names.indexOf(ir);
        if (idx < 0) {
          throw new DomainError(
            'initialRegime',
            ir,
            `must be 'stationary' or one of ${names.map((x) => `'${x}'`).join(', ')}`,
          );
        }
        this.initIndex = idx;
      }
    } else {
      if (ir.length !== k) throw new DomainError('initialRegime.length', ir.length, `must be ${k}`);
      let s = 0;
      for (let i = 0; i < k; i++) {
        if (!(ir[i] >= 0 && ir[i] <= 1))
          throw new DomainError(`initialRegime[${i}]`, ir[i], 'must be in [0, 1]');
        s += ir[i];
      }
      if (Math.abs(s - 1) > ROW_TOL) throw new DomainError('initialRegime', `sum ${s}`, 'must sum to 1');
      this.init0 = Float64Array.from(ir);
    }

    this.cum = new Float64Array(k * k);
    this.cumInit = new Float64Array(k);
    this.c0 = new Float64Array(k * nA);
    this.cs = new Float64Array(k * nA);
    this.expNegLamDt = new Float64Array(k);
    this.lamDt = new Float64Array(k);
    this.work = [0, 1, 2, 3, 4].map(() => new Float64Array(k * k));
    this.jz = new Float64Array(nA);
  }

  /** Number of regimes. */
  get nRegimes(): number {
    return this.k;
  }

  init(nPaths: number): MarketState {
    const nA = this.nA;
    const vols = new Float64Array(nA);
    if (this.init0) {
      // before the first draw: the RMS vol under the initial distribution
      for (let a = 0; a < nA; a++) {
        let v = 0;
        for (let r = 0; r < this.k; r++) v += this.init0[r] * this.sigma[r * nA + a] ** 2;
        vols[a] = Math.sqrt(v);
      }
    } else {
      for (let a = 0; a < nA; a++) vols[a] = this.sigma[this.initIndex * nA + a];
    }
    const state = allocState(this.assets, nPaths, vols, { regime: true });
    state.regime!.fill(this.init0 ? -1 : this.initIndex);
    this.uAll = new Float64Array((this.hasJumps ? 2 : 1) * nPaths);
    this.zAll = new Float64Array(nA * nPaths);
    this.u = this.uAll;
    this.z = this.zAll;
    this.nJumps = new Int32Array(nPaths);
    this.zj = new Float64Array(this.hasJumps ? nA * nPaths : 0);
    return state;
  }

  /** Recomputes every dt-dependent table (allocation-free). */
  private prepare(dt: number): void {
    const k = this.k;
    const nA = this.nA;
    const [a, p, s1, s2, s3] = this.work;
    let unsupported = false;
    if (this.stepP && Math.abs(dt - this.stepDt) <= 1e-12 * this.stepDt) {
      p.set(this.stepP);
    } else if (this.qFlat) {
      for (let i = 0; i < k * k; i++) a[i] = this.qFlat[i] * dt;
      expmInto(a, k, p, s1, s2, s3);
      normaliseRows(p, k);
    } else {
      // a per-step matrix without a generator cannot be rescaled to this dt: the step keeps the
      // regimes and returns NaN (kernels never throw), see supportsDt
      p.fill(0);
      for (let i = 0; i < k; i++) p[i * k + i] = 1;
      unsupported = true;
    }
    for (let i = 0; i < k; i++) {
      let c = 0;
      for (let j = 0; j < k; j++) {
        c += p[i * k + j];
        this.cum[i * k + j] = c;
      }
    }
    if (this.init0) {
      let c = 0;
      for (let j = 0; j < k; j++) {
        let v = 0;
        for (let i = 0; i < k; i++) v += this.init0[i] * p[i * k + j];
        c += v;
        this.cumInit[j] = c;
      }
    }
    const sq = Math.sqrt(dt);
    for (let r = 0; r < k; r++) {
      const lam = this.lambda[r];
      this.lamDt[r] = lam * dt;
      this.expNegLamDt[r] = expFast(-lam * dt);
      for (let x = 0; x < nA; x++) {
        const i = r * nA + x;
        const sg = this.sigma[i];
        this.c0[i] = unsupported ? Number.NaN : (this.mu[i] - 0.5 * sg * sg - lam * this.kappa[i]) * dt;
        this.cs[i] = sg * sq;
      }
    }
    this.cachedDt = dt;
  }

  /**
   * Whether steps of `dt` years can be simulated: always for a generator; for a per-step matrix
   * when dt = stepDt or the matrix has a generator (every diagonal entry > 1/2). Unsupported steps
   * return NaN log-returns and keep the regime.
   *
   * @example
   * gen.supportsDt(1 / 252); // returns true
   * References: Israel, Rosenthal & Wei (2001).
   */
  supportsDt(dt: number): boolean {
    return this.qFlat !== undefined || Math.abs(dt - this.stepDt) <= 1e-12 * this.stepDt;
  }

  step(_t: number, dt: number, state: MarketState, rng: Rng): void {
    if (dt !== this.cachedDt) this.prepare(dt);
    const n = state.nPaths;
    const nA = this.nA;
    const k = this.k;
    const nu = (this.hasJumps ? 2 : 1) * n;
    const nz = nA * n;
    if (this.u.length !== nu) this.u = this.uAll.subarray(0, nu);
    if (this.z.length !== nz) this.z = this.zAll.subarray(0, nz);
    const u = this.u;
    const z = this.z;
    rng.fillUniform(u);
    rng.fillNormal(z);
    const regime = state.regime as Int32Array;
    const cum = this.cum;
    const cumInit = this.cumInit;
    const chol = this.chol;
    const c0 = this.c0;
    const cs = this.cs;
    const jumps = this.hasJumps;
    const nj = this.nJumps;
    const jz = this.jz;
    const zjAll = this.zj;
    // pass 1: the chain and the jump counts, per path
    for (let p = 0; p < n; p++) {
      const cur = regime[p];
      const up = u[p];
      let nk = 0;
      if (cur < 0) {
        while (nk < k - 1 && up >= cumInit[nk]) nk++;
      } else {
        const off = cur * k;
        while (nk < k - 1 && up >= cum[off + nk]) nk++;
      }
      regime[p] = nk;
      let c = 0;
      if (jumps && this.lamDt[nk] > 0) {
        const uj = u[n + p];
        const ld = this.lamDt[nk];
        let pk = this.expNegLamDt[nk];
        let f = pk;
        while (uj > f && c < MAX_JUMPS) {
          c++;
          pk *= ld / c;
          f += pk;
        }
      }
      nj[p] = c;
      if (c > 0) {
        // jump sizes only for the (rare) paths that jump: nAssets normals, in path order
        rng.fillNormal(jz);
        for (let a = 0; a < nA; a++) zjAll[a * n + p] = jz[a];
      }
    }
    // pass 2: returns asset by asset (contiguous inner loops, as in gbm.ts)
    const nA2 = nA * nA;
    const sigma = this.sigma;
    const jm = this.jm;
    const js = this.js;
    for (let a = 0; a < nA; a++) {
      const lr = state.logReturn[a];
      const spot = state.spot[a];
      const vol = state.vol[a];
      const zj = a * n;
      for (let p = 0; p < n; p++) {
        const r = regime[p];
        const lrow = r * nA2 + a * nA;
        let w = 0;
        for (let b = 0; b <= a; b++) w += chol[lrow + b] * z[b * n + p];
        const ra = r * nA + a;
        let x = c0[ra] + cs[ra] * w;
        const c = nj[p];
        if (c > 0) x += c * jm[ra] + Math.sqrt(c) * js[ra] * zjAll[zj + p];
        lr[p] = x;
        spot[p] *= expFast(x);
        vol[p] = sigma[ra];
      }
    }
  }
}

/**
 * Creates a {@link RegimeSwitchingGenerator}.
 *
 * @example
 * regimeSwitching({ assets, regimes, transition: { kind: 'per-step', matrix: [[0.99, 0.01], [0.05, 0.95]], stepDt: 1 / 252 } });
 * @throws DomainError as the constructor.
 * References: Hamilton (1989).
 */
export function regimeSwitching(params: RegimeSwitchingParams): RegimeSwitchingGenerator {
  return new RegimeSwitchingGenerator(params);
}
