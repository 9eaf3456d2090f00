/**
 * Scripted stress scenarios: correlated log-normal diffusion plus deterministic events on a
 * calendar — gaps on a scheduled day, volatility spikes that decay back, phases of extra drift —
 * with optional mean reversion of each path around the scripted scenario path.
 */
import { choleskyCorrelation, identityCorrelation } from '../core/cholesky.ts';
import { DomainError, requireFinite, requireNonNegative, requirePositive } from '../core/errors.ts';
import { expFast } from '../core/fast-exp.ts';
import type { Rng } from '../core/rng.ts';
import { TIME_EPS, TRADING_DAYS_PER_YEAR } from '../core/time.ts';
import { type AssetSpec, validateAssets } from '../market/asset.ts';
import { constantRate, type RateModel } from '../market/rate.ts';
import { allocState, type MarketState, type PathGenerator } from './types.ts';

/** A deterministic event at `time`. Shape of per-asset arrays: [nAssets]. */
export interface ScheduledShock {
  /** When it happens, years from the start, > 0: it hits the step (t, t+dt] with t < time ≤ t + dt. */
  readonly time: number;
  /** Simple return of the gap per asset, > −1 (−0.2 = a 20 % fall); default 0. */
  readonly gap?: readonly number[];
  /** Volatility multiplier M ≥ 0 per asset right after the event; default 1 (no spike). */
  readonly volMultiplier?: readonly number[];
  /** Half-life of the spike's excess M − 1, years, > 0; default 21/252 (one trading month). */
  readonly volHalfLife?: number;
}

/** Extra log-drift g per asset (per year) on [start, end) years; e.g. g = ln(0.75)/0.06 ≈ −4.8 falls 25 % in 15 days. */
export interface DriftPhase {
  readonly start: number;
  readonly end: number;
  readonly logDrift: readonly number[];
}

/** Parameters of {@link ScheduledJumpGenerator}. Shape of per-asset arrays: [nAssets]. */
export interface ScheduledJumpParams {
  readonly assets: readonly AssetSpec[];
  /** Risk-free short rate, default 0. */
  readonly rate?: RateModel;
  /** Base volatility σ per asset, annualized decimal, ≥ 0. */
  readonly vol: readonly number[];
  /** Real-world price drift μ per asset, annualized; default r(t) − carry (pricing measure). */
  readonly drift?: readonly number[];
  /** Correlation of the shocks [nAssets][nAssets]; default identity. */
  readonly correlation?: readonly (readonly number[])[];
  /** Mean-reversion speed κ per asset, per year, ≥ 0 (0 = none, the default). */
  readonly meanReversion?: readonly number[];
  readonly shocks?: readonly ScheduledShock[];
  readonly phases?: readonly DriftPhase[];
}

/**
 * Scripted scenario model. ln Sₐ = Aₐ(t) + yₐ(t): the scenario path A (the same for every path) and
 * a noise y (per path):
 *
 *   dAₐ = (μₐ − σₐ(t)²/2 + gₐ(t)) dt + Σ_events ln(1 + gapₐ)·δ(t − τ),
 *   dyₐ = −κₐ yₐ dt + σₐ(t) dWₐ,  σₐ(t) = σₐ·(1 + Σ_{τ ≤ t} (Mₐ − 1)·2^{−(t − τ)/h}),
 *
 * with g the phase drifts. Each step is exact for coefficients frozen at the start of the step:
 * y' = y·e^{−κΔ} + σₐ(t)·√((1 − e^{−2κΔ})/(2κ))·(L·ε)ₐ (√Δ when κ = 0). With κ = 0 and no events this
 * is the GBM of gbm.ts; E[S(t)] = S₀·e^{μt}·Π(1 + gap) then. With κ > 0 each path reverts to the
 * scenario path (E[ln S(t)] = A(t)), which makes sideways, whipsawing markets.
 *
 * Random draws per step and block: nAssets·nPaths normals, asset-major. State adds `deviation`
 * (y, one Float64Array per asset).
 *
 * @example
 * const g = new ScheduledJumpGenerator({ assets: [{ name: 'EQ', assetClass: 'equity', spot: 100 }], vol: [0.15],
 *   drift: [0.05], shocks: [{ time: 21 / 252, gap: [-0.2], volMultiplier: [3] }] });
 * // on a daily grid, S(t₂₁)/S(t₂₀) ≈ 0.8 on every path (± 1 % noise); vol jumps to 45 % then halves monthly
 * @throws DomainError (constructor) naming the entry, e.g. `shocks[0].gap[0] (-1.2) must be > -1`.
 * References: Glasserman (2003), §3.2–3.3 (exact GBM and Ornstein–Uhlenbeck steps); Basel Committee,
 * "Principles for sound stress testing practices and supervision" (2009) — scripted scenarios.
 */
export class ScheduledJumpGenerator implements PathGenerator {
  readonly assets: readonly AssetSpec[];
  readonly rate: RateModel;
  private readonly nA: number;
  private readonly sigma: Float64Array;
  private readonly mu: Float64Array | undefined;
  private readonly carry: Float64Array;
  private readonly kappa: Float64Array;
  private readonly chol: Float64Array;
  private readonly shockTime: Float64Array;
  private readonly shockLogGap: Float64Array; // [nShocks·nA]
  private readonly shockExcess: Float64Array; // [nShocks·nA], M − 1
  private readonly shockHalfLife: Float64Array;
  private readonly phaseStart: Float64Array;
  private readonly phaseEnd: Float64Array;
  private readonly phaseDrift: Float64Array; // [nPhases·nA]
  private readonly sigT: Float64Array; // σₐ(t) of the current step
  private readonly aInc: Float64Array; // scenario-path increment of the current step
  private epsAll = new Float64Array(0);
  private eps = new Float64Array(0);

  constructor(params: ScheduledJumpParams) {
    this.assets = params.assets;
    this.carry = validateAssets(params.assets);
    this.rate = params.rate ?? constantRate(0);
    const nA = params.assets.length;
    this.nA = nA;
    const vec = (v: readonly number[], param: string, nonNeg: boolean): Float64Array => {
      if (v.length !== nA)
        throw new DomainError(`${param}.length`, v.length, `must be ${nA} (one per asset)`);
      const out = new Float64Array(nA);
      for (let a = 0; a < nA; a++) {
        if (nonNeg) requireNonNegative(`${param}[${a}]`, v[a]);
        else requireFinite(`${param}[${a}]`, v[a]);
        out[a] = v[a];
      }
      return out;
    };
    if (!params.vol) throw new DomainError('vol', params.vol, 'is required');
    this.sigma = vec(params.vol, 'vol', true);
    this.mu = params.drift ? vec(params.drift, 'drift', false) : undefined;
    this.kappa = params.meanReversion
      ? vec(params.meanReversion, 'meanReversion', true)
      : new Float64Array(nA);
    this.chol = choleskyCorrelation(params.correlation ?? identityCorrelation(nA), nA);
    const shocks = params.shocks ?? [];
    const ns = shocks.length;
    this.shockTime = new Float64Array(ns);
    this.shockLogGap = new Float64Array(ns * nA);
    this.shockExcess = new Float64Array(ns * nA);
    this.shockHalfLife = new Float64Array(ns);
    for (let s = 0; s < ns; s++) {
      const sh = shocks[s];
      const where = `shocks[${s}]`;
      requirePositive(`${where}.time`, sh.time);
      this.shockTime[s] = sh.time;
      if (sh.gap) {
        const g = vec(sh.gap, `${where}.gap`, false);
        for (let a = 0; a < nA; a++) {
          if (!(g[a] > -1)) throw new DomainError(`${where}.gap[${a}]`, g[a], 'must be > -1');
          this.shockLogGap[s * nA + a] = Math.log1p(g[a]);
        }
      }
      if (sh.volMultiplier) {
        const m = vec(sh.volMultiplier, `${where}.volMultiplier`, true);
        for (let a = 0; a < nA; a++) this.shockExcess[s * nA + a] = m[a] - 1;
      }
      const h = sh.volHalfLife ?? 21 / TRADING_DAYS_PER_YEAR;
      requirePositive(`${where}.volHalfLife`, h);
      this.shockHalfLife[s] = h;
    }
    const phases = params.phases ?? [];
    const np = phases.length;
    this.phaseStart = new Float64Array(np);
    this.phaseEnd = new Float64Array(np);
    this.phaseDrift = new Float64Array(np * nA);
    for (let i = 0; i < np; i++) {
      const ph = phases[i];
      const where = `phases[${i}]`;
      requireNonNegative(`${where}.start`, ph.start);
      requireFinite(`${where}.end`, ph.end);
      if (!(ph.end > ph.start))
        throw new DomainError(`${where}.end`, ph.end, `must be > start (${ph.start})`);
      this.phaseStart[i] = ph.start;
      this.phaseEnd[i] = ph.end;
      this.phaseDrift.set(vec(ph.logDrift, `${where}.logDrift`, false), i * nA);
    }
    this.sigT = new Float64Array(nA);
    this.aInc = new Float64Array(nA);
  }

  /**
   * Volatility σₐ(t) of asset `a` at time t (years): base vol times 1 + the decayed excess of every
   * shock at or before t.
   *
   * @example
   * crashGen.volAt(0, 21 / 252); // returns 0.45 for σ = 0.15, M = 3 at τ = 21/252
   * References: see the class.
   */
  volAt(a: number, t: number): number {
    let m = 1;
    const nA = this.nA;
    for (let s = 0; s < this.shockTime.length; s++) {
      const tau = this.shockTime[s];
      if (tau <= t + TIME_EPS)
        m += this.shockExcess[s * nA + a] * 2 ** (-Math.max(0, t - tau) / this.shockHalfLife[s]);
    }
    return this.sigma[a] * Math.max(0, m);
  }

  init(nPaths: number): MarketState {
    const vols = new Float64Array(this.nA);
    for (let a = 0; a < this.nA; a++) vols[a] = this.volAt(a, 0);
    const state = allocState(this.assets, nPaths, vols);
    const deviation: Float64Array[] = [];
    for (let a = 0; a < this.nA; a++) deviation.push(new Float64Array(nPaths));
    Object.assign(state, { deviation });
    this.epsAll = new Float64Array(this.nA * nPaths);
    this.eps = this.epsAll;
    return state;
  }

  step(t: number, dt: number, state: MarketState, rng: Rng): void {
    const n = state.nPaths;
    const nA = this.nA;
    if (this.eps.length !== nA * n) this.eps = this.epsAll.subarray(0, nA * n);
    const eps = this.eps;
    rng.fillNormal(eps);
    const r = this.rate.rate(t);
    const te = t + dt;
    for (let a = 0; a < nA; a++) {
      const sig = this.volAt(a, t);
      this.sigT[a] = sig;
      const mu = this.mu ? this.mu[a] : r - this.carry[a];
      let inc = (mu - 0.5 * sig * sig) * dt;
      for (let i = 0; i < this.phaseStart.length; i++) {
        const overlap = Math.min(te, this.phaseEnd[i]) - Math.max(t, this.phaseStart[i]);
        if (overlap > 0) inc += this.phaseDrift[i * nA + a] * overlap;
      }
      for (let s = 0; s < this.shockTime.length; s++) {
        const tau = this.shockTime[s];
        if (t + TIME_EPS < tau && tau <= te + TIME_EPS) inc += this.shockLogGap[s * nA + a];
      }
      this.aInc[a] = inc;
    }
    const dev = (state as MarketState & { deviation: Float64Array[] }).deviation;
    const L = this.chol;
    for (let a = 0; a < nA; a++) {
      const k = this.kappa[a];
      const decay = expFast(-k * dt);
      const sd = k > 0 ? Math.sqrt(-Math.expm1(-2 * k * dt) / (2 * k)) : Math.sqrt(dt);
      const cs = this.sigT[a] * sd;
      const inc = this.aInc[a];
      const y = dev[a];
      const lr = state.logReturn[a];
      const spot = state.spot[a];
      const vol = state.vol[a];
      const sig = this.sigT[a];
      const lrow = a * nA;
      for (let p = 0; p < n; p++) {
        let w = 0;
        for (let b = 0; b <= a; b++) w += L[lrow + b] * eps[b * n + p];
        const y0 = y[p];
        const y1 = y0 * decay + cs * w;
        y[p] = y1;
        const x = inc + y1 - y0;
        lr[p] = x;
        spot[p] *= expFast(x);
        vol[p] = sig;
      }
    }
  }
}

/**
 * Creates a {@link ScheduledJumpGenerator}.
 *
 * @example
 * scheduledJumps({ assets, vol: [0.15], shocks: [{ time: 0.1, gap: [-0.2] }] });
 * @throws DomainError as the constructor.
 * References: Glasserman (2003), §3.2–3.3.
 */
export function scheduledJumps(params: ScheduledJumpParams): ScheduledJumpGenerator {
  return new ScheduledJumpGenerator(params);
}
