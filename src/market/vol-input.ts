/**
 * The volatility the engine prices options with — an explicit input the user chooses, separate
 * from the volatility that drives the paths:
 *
 * - `constant`: σ per asset (one number for all, or one per asset).
 * - `model`: the path model's instantaneous vol (Heston √v, regime vol, GBM σ).
 * - `ewma`: a RiskMetrics EWMA of each path's own log returns, σ²ᵢ = λσ²ᵢ₋₁ + (1−λ)r²ᵢ/dt,
 *   started at `initial` (no look-ahead: the estimate at step i uses returns up to i).
 * - `garch`: a GARCH(1,1) filter with given per-period parameters, σ²ᵢ = ω + α r²ᵢ + β σ²ᵢ₋₁,
 *   annualized with the step length.
 * - any of the above with a `smile`: σ(K, τ) = σ_base·(1 + skew·ln(K/S) + curvature·ln(K/S)²)
 *   + termSlope·(τ − 1), floored at `minVol` — a simple sticky-moneyness smile.
 *
 * Shape: `fill` writes out[p] for all paths p of the view.
 * References: J.P. Morgan/Reuters, RiskMetrics Technical Document (1996); Bollerslev (1986);
 * Gatheral, The Volatility Surface (2006), ch. 3 (parametric smiles).
 */
import { DomainError } from '../core/errors.ts';
import type { MarketView } from './market-view.ts';

export interface SmileSpec {
  /** Relative change of vol per unit of ln(K/S) (negative for an equity skew). */
  readonly skew: number;
  /** Relative change of vol per unit of ln(K/S)². */
  readonly curvature: number;
  /** Absolute change of vol per year of time to expiry beyond one year. */
  readonly termSlope: number;
  /** Lower bound of the smile (default 0.01). */
  readonly minVol?: number;
}

/**
 * The smile's vol at strike K and time to expiry τ, for a base (at-the-money) vol σ_b and spot S:
 * σ(K, τ) = max(σ_b·(1 + skew·k + curvature·k²) + termSlope·(τ − 1), minVol), k = ln(K/S).
 * Units: vols annualized decimals; K, S currency; τ years.
 * @example smileVol(0.2, { skew: -0.5, curvature: 0, termSlope: 0 }, 90, 100, 1) // returns ~0.210536
 */
export function smileVol(base: number, smile: SmileSpec, strike: number, spot: number, tau: number): number {
  const k = Math.log(strike / spot);
  const v = base * (1 + smile.skew * k + smile.curvature * k * k) + smile.termSlope * (tau - 1);
  return Math.max(v, smile.minVol ?? DEFAULT_MIN_VOL);
}

/** Default lower bound of a smile (`SmileSpec.minVol`). */
export const DEFAULT_MIN_VOL = 0.01;

export type VolInputSpec =
  | { readonly kind: 'constant'; readonly vol: number | readonly number[]; readonly smile?: SmileSpec }
  | { readonly kind: 'model'; readonly smile?: SmileSpec }
  | {
      readonly kind: 'ewma';
      readonly lambda: number;
      readonly initial: number | readonly number[];
      readonly smile?: SmileSpec;
    }
  | {
      readonly kind: 'garch';
      /** Per-period (per step) GARCH parameters, as fitted on returns of the same frequency. */
      readonly omega: number;
      readonly alpha: number;
      readonly beta: number;
      /** Initial annualized vol per asset. */
      readonly initial: number | readonly number[];
      readonly smile?: SmileSpec;
    };

/** A stateful vol input for one run: `reset` per chunk of paths, `update` once per step, then `fill`. */
export interface VolInput {
  reset(nPaths: number, nAssets: number): void;
  /** Advances online estimators with the step's returns (call once per step, after the market moved). */
  update(view: MarketView): void;
  /**
   * Writes the pricing vol of an option on asset `a` for every path.
   * @param strike per-path strikes (absolute) — used by the smile
   * @param tau per-path times to expiry, years
   */
  fill(view: MarketView, a: number, strike: Float64Array, tau: Float64Array, out: Float64Array): void;
}

function perAsset(v: number | readonly number[], a: number): number {
  return typeof v === 'number' ? v : v[a]!;
}

function checkSpec(spec: VolInputSpec): void {
  const positive = (name: string, v: number | readonly number[]) => {
    const xs = typeof v === 'number' ? [v] : v;
    xs.forEach((x, i) => {
      if (!(Number.isFinite(x) && x >= 0))
        throw new DomainError(typeof v === 'number' ? name : `${name}[${i}]`, x, 'must be >= 0');
    });
  };
  if (spec.kind === 'constant') positive('vol', spec.vol);
  if (spec.kind === 'ewma') {
    if (!(spec.lambda > 0 && spec.lambda < 1))
      throw new DomainError('lambda', spec.lambda, 'must be in (0, 1)');
    positive('initial', spec.initial);
  }
  if (spec.kind === 'garch') {
    if (!(spec.omega > 0)) throw new DomainError('omega', spec.omega, 'must be > 0');
    if (!(spec.alpha >= 0 && spec.beta >= 0 && spec.alpha + spec.beta < 1))
      throw new DomainError('alpha + beta', spec.alpha + spec.beta, 'must be < 1 with alpha, beta >= 0');
    positive('initial', spec.initial);
  }
}

/**
 * Creates the vol input described by `spec`.
 * @throws DomainError for invalid parameters
 * @example volInput({ kind: 'constant', vol: 0.2 }) // prices every option at 20 % vol
 */
export function volInput(spec: VolInputSpec): VolInput {
  checkSpec(spec);
  let variance: Float64Array[] = []; // per asset, annualized, for ewma / garch
  const smile = spec.smile;

  const applySmile = (
    view: MarketView,
    a: number,
    strike: Float64Array,
    tau: Float64Array,
    out: Float64Array,
  ) => {
    if (!smile) return;
    const S = view.spot[a]!;
    for (let p = 0; p < out.length; p++) out[p] = smileVol(out[p]!, smile, strike[p]!, S[p]!, tau[p]!);
  };

  return {
    reset(nPaths, nAssets) {
      if (spec.kind !== 'ewma' && spec.kind !== 'garch') return;
      variance = [];
      for (let a = 0; a < nAssets; a++) {
        const s = perAsset(spec.initial, a);
        variance.push(new Float64Array(nPaths).fill(s * s));
      }
    },
    update(view) {
      if (view.step === 0 || view.dt <= 0) return;
      if (spec.kind === 'ewma') {
        const l = spec.lambda;
        for (let a = 0; a < variance.length; a++) {
          const v = variance[a]!;
          const r = view.logReturn[a]!;
          for (let p = 0; p < v.length; p++) v[p] = l * v[p]! + ((1 - l) * r[p]! * r[p]!) / view.dt;
        }
      } else if (spec.kind === 'garch') {
        const { omega, alpha, beta } = spec;
        for (let a = 0; a < variance.length; a++) {
          const v = variance[a]!;
          const r = view.logReturn[a]!;
          for (let p = 0; p < v.length; p++) {
            const perPeriod = v[p]! * view.dt;
            v[p] = (omega + alpha * r[p]! * r[p]! + beta * perPeriod) / view.dt;
          }
        }
      }
    },
    fill(view, a, strike, tau, out) {
      const n = out.length;
      if (spec.kind === 'constant') out.fill(perAsset(spec.vol, a));
      else if (spec.kind === 'model') out.set(view.vol[a]!.subarray(0, n));
      else {
        const v = variance[a]!;
        for (let p = 0; p < n; p++) out[p] = Math.sqrt(v[p]!);
      }
      applySmile(view, a, strike, tau, out);
    },
  };
}
