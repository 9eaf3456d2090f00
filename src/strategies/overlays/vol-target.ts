/**
 * Volatility targeting as an overlay: wraps any strategy and scales the risky units it targets —
 * the whole sleeve by one weight, or each asset ("leg") by its own — so that the scaled exposure
 * runs at a target volatility. The cash stays the residual (the book finances the difference).
 *
 *   σ̂ₜ = forecast from returns up to observation t − lag + 1     (lag ≥ 1: no look-ahead)
 *   w̃ₜ = σ* / σ̂ₜ   (scaleBy 'vol')   or   (σ* / σ̂ₜ)²   (scaleBy 'variance')
 *   wₜ = clamp(w̃ₜ, minWeight, maxWeight)      if |wₜ − wₜ₋₁| > band, else wₜ₋₁
 *   unit target of asset a = wₜ(leg of a) · (the inner strategy's unit target of a)
 *
 * A forecast that is zero or not finite (a flat or missing series) never makes an infinite weight:
 * the path keeps wₜ₋₁ and the overlay counts a typed warning (`vol-target-zero-vol`,
 * `vol-target-missing-vol`). The forecasts (vol-forecast.ts) are the volatility module's EWMA and
 * GARCH steps, a realized-window ring buffer, or a per-path EWMA covariance of the sleeve's assets
 * giving σ̂² = hᵀΣ̂h at the sleeve's current composition h. In 'sleeve' mode the ewma / garch /
 * realized forecasts see the sleeve's return at its fixed weights c, Σₐ cₐ·rₐ (so its variance is
 * cᵀΣc, the covariance estimator's at h = c).
 * Before any data the forecast is `initialVol` (default: the target, so w₀ = 1).
 *
 * The inner strategy keeps its opinions in unscaled units: where it targets asset a the overlay
 * records that target and scales it; where it has no opinion the overlay re-targets the last
 * recorded units at the new weight only on paths whose weight moved (a band therefore cuts trades).
 * An inner strategy that derives unit targets from the units it holds (option-roll's pro-rata sale
 * when cash is short) sees the scaled holdings.
 *
 * Reports (`report`): mean realized vol of the scaled legs against their targets, the weight's mean
 * and dispersion, the warnings, the sleeve exposure on each path's worst day (the step with the
 * lowest portfolio return), and the weight / forecast / realized-vol paths of the run's first path.
 * `report: false` skips that bookkeeping (empty diagnostics and report; trading unchanged bit for bit).
 *
 * References: A. Moreira & T. Muir, "Volatility-managed portfolios", J. Finance 72 (2017);
 * C. Harvey, E. Hoyle, R. Korgaonkar, S. Rattray, M. Sargaison & O. Van Hemert, "The impact of
 * volatility targeting", J. Portfolio Management 45 (2018); J.P. Morgan/Reuters, RiskMetrics —
 * Technical Document (1996).
 */
import { DomainError } from '../../core/errors.ts';
import { checkWeights } from '../../core/weights.ts';
import type { BookView } from '../../portfolio/book.ts';
import type { StepContext } from '../../portfolio/step-context.ts';
import type { TargetSink } from '../../portfolio/target-sink.ts';
import type { Strategy, StrategyDiagnostics, StrategyReport } from '../types.ts';
import {
  halfLifeLambda,
  initVolForecast,
  stepCovariance,
  stepLegForecast,
  type VolEstimatorSpec,
  type VolForecastState,
} from './vol-forecast.ts';
import { volTargetReport } from './vol-target-report.ts';
import { stepSleeve3Wasm } from './vol-target-wasm.ts';

/** Parameters of {@link volTarget} (programmatic face; scenario files use vol-target-schema.ts). */
export interface VolTargetParams {
  /** Target volatility σ*, annualized decimal (> 0), for the sleeve or every leg without its own. */
  readonly target: number;
  readonly estimator: VolEstimatorSpec;
  /** One weight for the sleeve, or one per asset. */
  readonly per: 'sleeve' | 'leg';
  /** Sleeve composition c (sum 1): the scaled assets (cₐ > 0) and the sleeve return's weights. Shape: [nAssets]. */
  readonly weights: Float64Array;
  /** Per-leg targets σ*ₐ ('leg' only; NaN = asset not targeted). Shape: [nAssets]. */
  readonly legTargets?: Float64Array;
  /** Observations between the last return the forecast uses and the decision, integer ≥ 1. */
  readonly lag: number;
  readonly scaleBy: 'vol' | 'variance';
  readonly maxWeight: number;
  readonly minWeight: number;
  /** Rebalancing band on the weight (absolute), ≥ 0. */
  readonly band: number;
  /** Forecast before any data, annualized (default: each leg's target). */
  readonly initialVol?: number;
  /**
   * Keep the report's bookkeeping (default true): realized-vol and weight sums, warning counts,
   * worst-day record, first-path series. With false `diagnostics` returns empty totals and series
   * and `report` an empty report; weights, forecasts and targets are unchanged bit for bit, and the
   * fused 3-asset sleeve step skips the bookkeeping (≈ 5 ns per path-step less).
   */
  readonly report?: boolean;
}

/**
 * The overlay's per-chunk state (plain data). Shape: per leg l — weight[l], retSq[l],
 * retMissing[l]: [nPaths]; lagged[l]: [lag × nPaths]; per asset a — base[a]: [nPaths]; series[·][l]:
 * [capacity] (the chunk's path 0; capacity from the source's end, 0 for an open-ended feed).
 */
export interface VolTargetOverlayState {
  readonly forecast: VolForecastState;
  readonly lagged: Float64Array[];
  readonly weight: Float64Array[];
  /** The inner strategy's last unit target per asset (unscaled). */
  readonly base: Float64Array[];
  readonly legReturn: Float64Array;
  readonly prevValue: Float64Array;
  /** Σ (w·r)²/Δt over the steps seen, per leg and path (zero-mean realized variance × steps). */
  readonly retSq: Float64Array[];
  /** Steps whose return was missing, per leg and path. */
  readonly retMissing: Float64Array[];
  /** Steps observed (every path). */
  retSteps: number;
  readonly worstReturn: Float64Array;
  readonly worstExposure: Float64Array;
  readonly weightSum: Float64Array;
  readonly weightSq: Float64Array;
  weightN: number;
  heldZero: number;
  heldMissing: number;
  readonly series: { weight: Float64Array[]; forecast: Float64Array[]; scaled: Float64Array[] };
  seriesLength: number;
}

/** State of a strategy wrapped by {@link volTarget}. */
export interface VolTargetState<S> {
  readonly inner: S;
  readonly overlay: VolTargetOverlayState;
}

/** Validated layout: legs, their assets and targets. */
interface Layout {
  /** Leg of each asset, −1 = not scaled. Shape: [nAssets]. */
  readonly legOf: Int32Array;
  /** Asset of each leg ('leg' mode). */
  readonly legAsset: Int32Array;
  readonly legTarget: Float64Array;
  /** Sleeve assets (cₐ > 0) for the sleeve return and covariance. */
  readonly sleeveAssets: Int32Array;
}

function layout(p: VolTargetParams): Layout {
  const nA = p.weights.length;
  const legOf = new Int32Array(nA).fill(-1);
  const sleeveAssets = Int32Array.from([...p.weights.keys()].filter((a) => p.weights[a] > 0));
  if (p.per === 'sleeve') {
    for (const a of sleeveAssets) legOf[a] = 0;
    return { legOf, legAsset: Int32Array.of(-1), legTarget: Float64Array.of(p.target), sleeveAssets };
  }
  const assets = p.legTargets
    ? [...p.legTargets.keys()].filter((a) => Number.isFinite(p.legTargets![a]))
    : [...sleeveAssets];
  assets.forEach((a, l) => {
    legOf[a] = l;
  });
  return {
    legOf,
    legAsset: Int32Array.from(assets),
    legTarget: Float64Array.from(assets, (a) => p.legTargets?.[a] ?? p.target),
    sleeveAssets,
  };
}

function checkParams(p: VolTargetParams): void {
  checkWeights(p.weights);
  const pos = (name: string, x: number) => {
    if (!(Number.isFinite(x) && x > 0)) throw new DomainError(name, x, 'must be > 0');
  };
  pos('target', p.target);
  if (!(Number.isInteger(p.lag) && p.lag >= 1))
    throw new DomainError('lag', p.lag, 'must be an integer >= 1');
  if (!(p.minWeight >= 0)) throw new DomainError('minWeight', p.minWeight, 'must be >= 0');
  if (!(p.maxWeight >= p.minWeight && p.maxWeight < Number.POSITIVE_INFINITY))
    throw new DomainError('maxWeight', p.maxWeight, `must be finite and >= minWeight (${p.minWeight})`);
  if (!(Number.isFinite(p.band) && p.band >= 0)) throw new DomainError('band', p.band, 'must be >= 0');
  if (p.initialVol !== undefined) pos('initialVol', p.initialVol);
  const e = p.estimator;
  if (e.kind === 'ewma' || e.kind === 'covariance') pos('estimator.halfLife', e.halfLife);
  if (e.kind === 'realized' && !(Number.isInteger(e.window) && e.window >= 2))
    throw new DomainError('estimator.window', e.window, 'must be an integer >= 2');
  if (e.kind === 'garch') {
    pos('estimator.omega', e.omega);
    if (!(e.alpha >= 0 && e.beta >= 0 && e.alpha + e.beta < 1))
      throw new DomainError('estimator.alpha + beta', e.alpha + e.beta, 'must be in [0, 1) with both >= 0');
  }
  if (e.kind === 'covariance' && p.per !== 'sleeve')
    throw new DomainError('per', p.per, "must be 'sleeve' for the covariance estimator");
  if (p.legTargets && p.per !== 'leg') throw new DomainError('targets', 'given', "need per: 'leg'");
  if (p.legTargets) for (const x of p.legTargets) if (!Number.isNaN(x)) pos('targets', x);
}

/**
 * Wraps `inner` in a volatility-targeting overlay (formulas in the file header).
 * @throws DomainError naming the parameter, e.g. `lag (0) must be an integer >= 1`
 * @example
 * // A 10 %-vol buy-and-hold of one 20 %-vol asset: the weight settles near 0.5.
 * volTarget(buyAndHold({ weights: Float64Array.of(1) }), { target: 0.1, per: 'sleeve',
 *   estimator: { kind: 'ewma', halfLife: 20 }, weights: Float64Array.of(1), lag: 1,
 *   scaleBy: 'vol', maxWeight: 1, minWeight: 0, band: 0 });
 * References: Moreira & Muir (2017); Harvey et al. (2018); RiskMetrics (1996).
 */
export function volTarget<S>(inner: Strategy<S>, params: VolTargetParams): Strategy<VolTargetState<S>> {
  checkParams(params);
  const { legOf, legAsset, legTarget, sleeveAssets } = layout(params);
  const nLegs = legTarget.length;
  const est = params.estimator;
  const { lag, band, minWeight: lo, maxWeight: hi } = params;
  const byVariance = params.scaleBy === 'variance';
  const c = params.weights;
  const k = sleeveAssets.length;
  // Covariance scratch (configuration, not state): references to this step's sleeve arrays and
  // one path's composition — assigned per step, never allocated.
  const retRefs: Float64Array[] = new Array(k);
  const spotRefs: Float64Array[] = new Array(k);
  const baseRefs: Float64Array[] = new Array(k);
  const h = new Float64Array(k);
  // Set by `init` (configuration of the run, not state): leg names and annualization for reports.
  // The common case — one sleeve weight over 3 assets, an EWMA / GARCH / covariance forecast — runs
  // as one fused pass per path (fusedSleeve3, bit-identical to the general passes below).
  const fused = params.per === 'sleeve' && k === 3 && est.kind !== 'realized';
  const keepReport = params.report !== false;
  const fusedStep = keepReport ? fusedSleeve3 : fusedSleeve3Lean;
  const fusedCfg: FusedConfig = {
    kind: est.kind === 'covariance' ? 0 : est.kind === 'ewma' ? 1 : 2,
    lambda: est.kind === 'covariance' || est.kind === 'ewma' ? halfLifeLambda(est.halfLife) : 0,
    omega: est.kind === 'garch' ? est.omega : 0,
    alpha: est.kind === 'garch' ? est.alpha : 0,
    beta: est.kind === 'garch' ? est.beta : 0,
    assets: sleeveAssets,
    c0: k === 3 ? c[sleeveAssets[0]] : 0,
    c1: k === 3 ? c[sleeveAssets[1]] : 0,
    c2: k === 3 ? c[sleeveAssets[2]] : 0,
    lag,
    band,
    lo,
    hi,
    byVariance,
    target: legTarget[0],
  };
  let assetNames: readonly string[] = [];
  let stepsPerYear = 252;
  const legName = (l: number) =>
    legAsset[l] < 0 ? 'sleeve' : (assetNames[legAsset[l]] ?? `asset ${legAsset[l]}`);

  return {
    name: inner.name,
    kind: inner.kind,
    ...(inner.rebalance ? { rebalance: inner.rebalance } : {}),
    ...(inner.greeks ? { greeks: inner.greeks } : {}),
    ...(inner.holdsOptions !== undefined ? { holdsOptions: inner.holdsOptions } : {}),
    init(ctx: StepContext, book: BookView): VolTargetState<S> {
      const n = ctx.nPaths;
      assetNames = ctx.assets.map((a) => a.name);
      stepsPerYear = ctx.stepsPerYear;
      const prior = Float64Array.from(legTarget, (t) => (params.initialVol ?? t) ** 2);
      const forecast = initVolForecast(est, prior, n, k);
      forecast.cov.fill(prior[0]); // Σ₀ = σ₀²·11ᵀ: hᵀΣ₀h = σ₀² for any h
      const legs = (len: number, fill = 0) =>
        Array.from({ length: nLegs }, () => new Float64Array(len).fill(fill));
      const cap = Number.isFinite(ctx.end) ? Math.ceil((ctx.end - ctx.t) * ctx.stepsPerYear * 1.1) + 8 : 0;
      const w0 = Float64Array.from(legTarget, (t, l) => {
        const x = byVariance ? (t * t) / prior[l] : t / Math.sqrt(prior[l]);
        return Math.min(hi, Math.max(lo, x));
      });
      const st: VolTargetOverlayState = {
        forecast,
        lagged: Array.from({ length: nLegs }, (_, l) =>
          new Float64Array(lag > 1 ? lag * n : 0).fill(prior[l]),
        ),
        weight: Array.from({ length: nLegs }, (_, l) => new Float64Array(n).fill(w0[l])),
        base: ctx.assets.map(() => new Float64Array(n)),
        legReturn: new Float64Array(n),
        prevValue: Float64Array.from(book.value),
        retSq: legs(n),
        retMissing: legs(n),
        retSteps: 0,
        worstReturn: new Float64Array(n).fill(Number.POSITIVE_INFINITY),
        worstExposure: new Float64Array(n).fill(Number.NaN),
        weightSum: new Float64Array(nLegs),
        weightSq: new Float64Array(nLegs),
        weightN: 0,
        heldZero: 0,
        heldMissing: 0,
        series: {
          weight: legs(cap, Number.NaN),
          forecast: legs(cap, Number.NaN),
          scaled: legs(cap, Number.NaN),
        },
        seriesLength: 0,
      };
      return { inner: inner.init(ctx, book), overlay: st };
    },

    decide(ctx: StepContext, book: BookView, state: VolTargetState<S>, targets: TargetSink): void {
      inner.decide(ctx, book, state.inner, targets);
      const o = state.overlay;
      if (fused) {
        if (!keepReport && stepSleeve3Wasm(fusedCfg, ctx, book, o, targets)) return;
        fusedStep(fusedCfg, ctx, book, o, targets);
        return;
      }
      const n = ctx.nPaths;
      const i = ctx.step;
      const V = book.value;
      if (i > 0) {
        observeWorstDay(ctx, book, o, n);
        for (let l = 0; l < nLegs; l++) {
          const r = legReturns(ctx, o, l, n);
          const missing = observeLeg(ctx, o, l, r, n);
          if (est.kind !== 'covariance') stepLegForecast(est, o.forecast, l, r, ctx.dt, missing > 0);
        }
        if (est.kind === 'covariance') covarianceForecast(ctx, o, n);
      }
      // Weights from the lagged forecasts; paths whose weight moved are re-targeted.
      const slot = (i + 1) % lag;
      for (let l = 0; l < nLegs; l++) {
        const w = o.weight[l];
        const lagged = o.lagged[l];
        const v = o.forecast.variance[l];
        // Ring of the last `lag` forecasts: write this step's at i mod lag, read the one made at
        // i − lag + 1 (slot (i + 1) mod lag). With lag 1 that is this step's forecast: no ring.
        const wr = (i % lag) * n;
        const rd = slot * n;
        const ring = lag > 1;
        const tgt = legTarget[l];
        const tgt2 = tgt * tgt;
        let sum = 0;
        let sq = 0;
        let zero = 0;
        let missing = 0;
        for (let p = 0; p < n; p++) {
          if (ring && i > 0) lagged[wr + p] = v[p];
          const f = ring ? lagged[rd + p] : v[p];
          let wp = w[p];
          if (f > 0 && f < Number.POSITIVE_INFINITY) {
            let x = byVariance ? tgt2 / f : tgt / Math.sqrt(f);
            x = Math.min(hi, Math.max(lo, x));
            const d = x - wp;
            if (d > band || d < -band || i === 0) wp = x;
            w[p] = wp;
          } else if (f === 0) zero++;
          else missing++;
          sum += wp;
          sq += wp * wp;
        }
        if (i > 0) {
          o.heldZero += zero;
          o.heldMissing += missing;
        }
        if (i > 0) {
          o.weightSum[l] += sum;
          o.weightSq[l] += sq;
        }
        if (i < o.series.weight[l].length) {
          o.series.weight[l][i] = w[0];
          o.series.forecast[l][i] = Math.sqrt(lag > 1 ? lagged[slot * n] : v[0]);
        }
      }
      if (i > 0) o.weightN += n;
      o.seriesLength = i + 1;
      // Record the inner's unit opinions and write the scaled targets.
      for (let a = 0; a < legOf.length; a++) {
        const l = legOf[a];
        if (l < 0) continue;
        scaleTargets(o.weight[l], o.base[a], targets.unitTargets[a], targets.hasUnits[a], book.units[a], n);
      }
      if (i === 0) o.prevValue.set(V);
    },

    diagnostics(state: VolTargetState<S>): StrategyDiagnostics {
      if (!keepReport) return { totals: {}, series: {} };
      const o = state.overlay;
      const n = o.prevValue.length;
      const totals: Record<string, number> = {
        paths: n,
        heldZeroVol: o.heldZero,
        heldMissingVol: o.heldMissing,
        weightN: o.weightN,
      };
      let ex = 0;
      let exN = 0;
      let wr = 0;
      for (let p = 0; p < n; p++) {
        if (!Number.isFinite(o.worstExposure[p])) continue;
        ex += o.worstExposure[p];
        wr += o.worstReturn[p];
        exN++;
      }
      Object.assign(totals, { worstDayExposure: ex, worstDayReturn: wr, worstDayN: exN });
      const series: Record<string, Float64Array> = {};
      for (let l = 0; l < nLegs; l++) {
        let rv = 0;
        let rvN = 0;
        for (let p = 0; p < n; p++) {
          const m = o.retSteps - o.retMissing[l][p];
          if (m < 1) continue;
          rv += Math.sqrt(o.retSq[l][p] / m);
          rvN++;
        }
        totals[`realizedVol.sum.${l}`] = rv;
        totals[`realizedVol.n.${l}`] = rvN;
        totals[`weight.sum.${l}`] = o.weightSum[l];
        totals[`weight.sumSq.${l}`] = o.weightSq[l];
        const len = Math.min(o.seriesLength, o.series.weight[l].length);
        series[`weight.${l}`] = o.series.weight[l].subarray(0, len);
        series[`forecastVol.${l}`] = o.series.forecast[l].subarray(0, len);
        series[`scaledReturn.${l}`] = o.series.scaled[l].subarray(0, len);
      }
      return { totals, series };
    },

    report(d: StrategyDiagnostics): StrategyReport {
      if (!keepReport) return { warnings: [], details: {} };
      return volTargetReport(d, { nLegs, legTarget, legName, minWeight: lo, maxWeight: hi, stepsPerYear });
    },
  };

  // Per-step pieces of `decide`, closures over the validated layout (no allocation inside).

  /**
   * Accumulates the scaled leg return w·r/√Δt (the realized vol against the target); returns the
   * number of paths whose return is missing.
   */
  function observeLeg(
    ctx: StepContext,
    o: VolTargetOverlayState,
    l: number,
    r: Float64Array,
    n: number,
  ): number {
    const scale = 1 / Math.sqrt(ctx.dt);
    const w = o.weight[l];
    const q = o.retSq[l];
    let missing = 0;
    for (let p = 0; p < n; p++) {
      const x = w[p] * r[p] * scale;
      // `x − x === 0` is the finiteness test (Number.isFinite costs about 2× in this loop).
      if (x - x === 0) q[p] += x * x;
      else if (!(r[p] - r[p] === 0)) {
        // A missing return: this path's forecast is held (vol-forecast.ts) — a typed warning.
        o.retMissing[l][p]++;
        missing++;
      }
    }
    o.heldMissing += missing;
    if (ctx.step < o.series.scaled[l].length) o.series.scaled[l][ctx.step] = w[0] * r[0];
    if (l === 0) o.retSteps++;
    return missing;
  }

  /** The step with the lowest portfolio return so far, and the sleeve exposure held over it. */
  function observeWorstDay(ctx: StepContext, book: BookView, o: VolTargetOverlayState, n: number): void {
    const V = book.value;
    const prev = o.prevValue;
    const worst = o.worstReturn;
    for (let p = 0; p < n; p++) {
      const ret = V[p] / prev[p] - 1;
      prev[p] = V[p];
      if (!(ret < worst[p])) continue;
      // Exposure as a fraction of the value at the step's start (prices S·e^{−r}); rare after a few steps.
      let e = 0;
      for (let a = 0; a < book.units.length; a++)
        e += (book.units[a][p] * ctx.spot[a][p]) / Math.exp(ctx.logReturn[a][p]);
      worst[p] = ret;
      o.worstExposure[p] = e / (V[p] / (1 + ret));
    }
  }

  /** Leg l's log return per path: the leg asset's, or the sleeve's Σₐ cₐ·rₐ. */
  function legReturns(ctx: StepContext, o: VolTargetOverlayState, l: number, n: number): Float64Array {
    if (legAsset[l] >= 0) return ctx.logReturn[legAsset[l]];
    const r = o.legReturn;
    for (let j = 0; j < k; j++) {
      const a = sleeveAssets[j];
      const ca = c[a];
      const ra = ctx.logReturn[a];
      if (j === 0) for (let p = 0; p < n; p++) r[p] = ca * ra[p];
      else for (let p = 0; p < n; p++) r[p] += ca * ra[p];
    }
    return r;
  }

  /** Covariance estimator: Σ per path, then σ̂² = hᵀΣh at the composition h of the inner's units. */
  function covarianceForecast(ctx: StepContext, o: VolTargetOverlayState, n: number): void {
    for (let j = 0; j < k; j++) {
      retRefs[j] = ctx.logReturn[sleeveAssets[j]];
      spotRefs[j] = ctx.spot[sleeveAssets[j]];
      baseRefs[j] = o.base[sleeveAssets[j]];
    }
    const lambda = halfLifeLambda(est.kind === 'covariance' ? est.halfLife : 1);
    stepCovariance(o.forecast, k, retRefs, lambda, ctx.dt);
    const cov = o.forecast.cov;
    const K = (k * (k + 1)) / 2;
    const v = o.forecast.variance[0];
    for (let p = 0; p < n; p++) {
      let tot = 0;
      for (let j = 0; j < k; j++) {
        const x = baseRefs[j][p] * spotRefs[j][p];
        h[j] = x;
        tot += x;
      }
      // Where the inner holds no sleeve the fixed weights c stand in; otherwise σ̂² = hᵀΣh / (Σh)²,
      // the normalisation applied once, to the quadratic form.
      if (tot === 0) for (let j = 0; j < k; j++) h[j] = c[sleeveAssets[j]];
      let s = 0;
      let q = p * K;
      for (let i = 0; i < k; i++) {
        const hi = h[i];
        s += hi * hi * cov[q++];
        for (let j = i + 1; j < k; j++) s += 2 * hi * h[j] * cov[q++];
      }
      v[p] = tot !== 0 ? s / (tot * tot) : s;
    }
  }
}

/** Configuration of {@link fusedSleeve3} (one sleeve weight over 3 assets). */
export interface FusedConfig {
  /** 0 covariance, 1 EWMA, 2 GARCH. */
  readonly kind: 0 | 1 | 2;
  readonly lambda: number;
  readonly omega: number;
  readonly alpha: number;
  readonly beta: number;
  /** The 3 sleeve assets (ascending) and their weights c. */
  readonly assets: Int32Array;
  readonly c0: number;
  readonly c1: number;
  readonly c2: number;
  readonly lag: number;
  readonly band: number;
  readonly lo: number;
  readonly hi: number;
  readonly byVariance: boolean;
  readonly target: number;
}

/**
 * The overlay's step for one sleeve weight over 3 assets, in one pass per path: worst-day record,
 * sleeve return and its realized-vol sum, the forecast (covariance σ̂² = hᵀΣh, EWMA or GARCH), the
 * lagged weight and the scaled unit targets. Every value is computed with the same operations in the
 * same order as the general passes of `decide` (observeWorstDay, legReturns, observeLeg,
 * stepCovariance / stepLegForecast, covarianceForecast, the weight and target loops), so the results
 * are bit-identical; only the pass structure differs. No allocation, no calls but Math.exp on the
 * rare worst-day branch.
 */
function fusedSleeve3(
  cfg: FusedConfig,
  ctx: StepContext,
  book: BookView,
  o: VolTargetOverlayState,
  targets: TargetSink,
): void {
  const n = ctx.nPaths;
  const i = ctx.step;
  const dt = ctx.dt;
  const { kind, lambda, omega, alpha, beta, lag, band, lo, hi, byVariance, c0, c1, c2 } = cfg;
  const tgt = cfg.target;
  const tgt2 = tgt * tgt;
  const a0 = cfg.assets[0];
  const a1 = cfg.assets[1];
  const a2 = cfg.assets[2];
  const V = book.value;
  const prevV = o.prevValue;
  const worst = o.worstReturn;
  const worstEx = o.worstExposure;
  const units = book.units;
  const nA = units.length;
  const spotAll = ctx.spot;
  const lrAll = ctx.logReturn;
  const r0a = lrAll[a0];
  const r1a = lrAll[a1];
  const r2a = lrAll[a2];
  const s0a = spotAll[a0];
  const s1a = spotAll[a1];
  const s2a = spotAll[a2];
  const b0a = o.base[a0];
  const b1a = o.base[a1];
  const b2a = o.base[a2];
  const out0 = targets.unitTargets[a0];
  const out1 = targets.unitTargets[a1];
  const out2 = targets.unitTargets[a2];
  const has0 = targets.hasUnits[a0];
  const has1 = targets.hasUnits[a1];
  const has2 = targets.hasUnits[a2];
  const held0 = units[a0];
  const held1 = units[a1];
  const held2 = units[a2];
  const w = o.weight[0];
  const v = o.forecast.variance[0];
  const q = o.retSq[0];
  const miss = o.retMissing[0];
  const cov = o.forecast.cov;
  // Covariance pairs in pairIndex order, path-major: (0,0) (0,1) (0,2) (1,1) (1,2) (2,2); empty unless covariance.
  const lagged = o.lagged[0];
  const ring = lag > 1;
  const wr = (i % lag) * n;
  const slot = (i + 1) % lag;
  const rd = slot * n;
  const obs = i > 0;
  // Per-step constants exactly as the general passes compute them.
  const scale = 1 / Math.sqrt(dt);
  const cw = (1 - lambda) / dt; // stepCovariance's w
  const ew = 1 - lambda; // ewmaVarianceStep's w
  const w0Before = w[0];
  let missingR = 0;
  let sum = 0;
  let sq = 0;
  let zero = 0;
  let missingF = 0;
  // Three loops, not one: a single loop over all ≈ 30 arrays ran at 52 ns per path, these three at
  // 26 ns (V8 reloads each typed array's data pointer and length at every access and spills in a
  // loop that size). Every value is read once into a local; a store is skipped only where the
  // general passes would store the value already there.
  if (obs)
    for (let p = 0; p < n; p++) {
      // observeWorstDay, in a loop of its own (its rare Math.exp call makes V8 spill the loop's values).
      const Vp = V[p];
      const ret = Vp / prevV[p] - 1;
      prevV[p] = Vp;
      if (ret < worst[p]) {
        let e = 0;
        for (let a = 0; a < nA; a++) e += (units[a][p] * spotAll[a][p]) / Math.exp(lrAll[a][p]);
        worst[p] = ret;
        worstEx[p] = e / (Vp / (1 + ret));
      }
    }
  if (obs)
    for (let p = 0; p < n; p++) {
      const wOld = w[p];
      let f = 0;
      {
        // legReturns + observeLeg (the realized-vol sum), then the forecast
        const x0 = r0a[p];
        const x1 = r1a[p];
        const x2 = r2a[p];
        let r = c0 * x0;
        r += c1 * x1;
        r += c2 * x2;
        const xs = wOld * r * scale;
        const rFinite = r - r === 0;
        if (xs - xs === 0) q[p] += xs * xs;
        else if (!rFinite) {
          miss[p]++;
          missingR++;
        }
        // The forecast.
        if (kind === 0) {
          // stepCovariance: an update that is not finite keeps the entry.
          const b = 6 * p; // path p's six covariance pairs
          let e00 = cov[b];
          let y = lambda * e00 + cw * x0 * x0;
          if (y - y === 0) cov[b] = e00 = y;
          let e01 = cov[b + 1];
          y = lambda * e01 + cw * x0 * x1;
          if (y - y === 0) cov[b + 1] = e01 = y;
          let e02 = cov[b + 2];
          y = lambda * e02 + cw * x0 * x2;
          if (y - y === 0) cov[b + 2] = e02 = y;
          let e11 = cov[b + 3];
          y = lambda * e11 + cw * x1 * x1;
          if (y - y === 0) cov[b + 3] = e11 = y;
          let e12 = cov[b + 4];
          y = lambda * e12 + cw * x1 * x2;
          if (y - y === 0) cov[b + 4] = e12 = y;
          let e22 = cov[b + 5];
          y = lambda * e22 + cw * x2 * x2;
          if (y - y === 0) cov[b + 5] = e22 = y;
          // covarianceForecast: h = the inner's last units at today's prices; σ̂² = hᵀΣh / (Σh)²
          // (the normalisation applied once, to the quadratic form).
          let h0 = b0a[p] * s0a[p];
          let h1 = b1a[p] * s1a[p];
          let h2 = b2a[p] * s2a[p];
          let tot = 0;
          tot += h0;
          tot += h1;
          tot += h2;
          if (tot === 0) {
            h0 = c0;
            h1 = c1;
            h2 = c2;
          }
          let sv = 0;
          sv += h0 * h0 * e00;
          sv += 2 * h0 * h1 * e01;
          sv += 2 * h0 * h2 * e02;
          sv += h1 * h1 * e11;
          sv += 2 * h1 * h2 * e12;
          sv += h2 * h2 * e22;
          if (tot !== 0) sv /= tot * tot;
          v[p] = f = sv;
        } else {
          f = v[p];
          if (rFinite) {
            if (kind === 1) f = lambda * f + (ew * r * r) / dt;
            else f = (omega + alpha * r * r + beta * (f * dt)) / dt;
            v[p] = f;
          }
        }
        if (ring) lagged[wr + p] = f;
      }
    }
  for (let p = 0; p < n; p++) {
    // The weight from the lagged forecast.
    const wOld = w[p];
    const f = ring ? lagged[rd + p] : v[p];
    let wp = wOld;
    if (f > 0 && f < Number.POSITIVE_INFINITY) {
      let x = byVariance ? tgt2 / f : tgt / Math.sqrt(f);
      x = Math.min(hi, Math.max(lo, x));
      const d = x - wp;
      if (d > band || d < -band || i === 0) {
        wp = x;
        w[p] = wp;
      }
    } else if (f === 0) zero++;
    else missingF++;
    sum += wp;
    sq += wp * wp;
    // The scaled unit targets (the inner's opinions recorded unscaled in base).
    const g0 = has0[p];
    let u0: number;
    if (g0) b0a[p] = u0 = out0[p];
    else u0 = b0a[p];
    const y0 = wp * u0;
    if (g0) out0[p] = y0;
    else if (y0 !== held0[p]) {
      out0[p] = y0;
      has0[p] = 1;
    }
    const g1 = has1[p];
    let u1: number;
    if (g1) b1a[p] = u1 = out1[p];
    else u1 = b1a[p];
    const y1 = wp * u1;
    if (g1) out1[p] = y1;
    else if (y1 !== held1[p]) {
      out1[p] = y1;
      has1[p] = 1;
    }
    const g2 = has2[p];
    let u2: number;
    if (g2) b2a[p] = u2 = out2[p];
    else u2 = b2a[p];
    const y2 = wp * u2;
    if (g2) out2[p] = y2;
    else if (y2 !== held2[p]) {
      out2[p] = y2;
      has2[p] = 1;
    }
  }
  if (obs) {
    o.heldMissing += missingR;
    if (i < o.series.scaled[0].length) {
      // observeLeg's w[0]·r[0], with path 0's sleeve return summed as legReturns does.
      let r = c0 * r0a[0];
      r += c1 * r1a[0];
      r += c2 * r2a[0];
      o.series.scaled[0][i] = w0Before * r;
    }
    o.retSteps++;
    o.heldZero += zero;
    o.heldMissing += missingF;
    o.weightSum[0] += sum;
    o.weightSq[0] += sq;
    o.weightN += n;
  }
  if (i < o.series.weight[0].length) {
    o.series.weight[0][i] = w[0];
    o.series.forecast[0][i] = Math.sqrt(ring ? lagged[slot * n] : v[0]);
  }
  o.seriesLength = i + 1;
  if (i === 0) prevV.set(V);
}

/**
 * {@link fusedSleeve3} without the report bookkeeping (`report: false`): no worst-day record, no
 * realized-vol sum, no weight sums, warning counts or first-path series. Weights, forecasts and
 * targets are computed with exactly the operations of fusedSleeve3 (bit-identical state and
 * targets); the loops are separate copies, not a branch per element.
 * Exported for the WebAssembly kernel's bit-identity test (src/strategies/overlays/vol-target-wasm.test.ts).
 */
export function fusedSleeve3Lean(
  cfg: FusedConfig,
  ctx: StepContext,
  book: BookView,
  o: VolTargetOverlayState,
  targets: TargetSink,
): void {
  const n = ctx.nPaths;
  const i = ctx.step;
  const dt = ctx.dt;
  const { kind, lambda, omega, alpha, beta, lag, band, lo, hi, byVariance, c0, c1, c2 } = cfg;
  const tgt = cfg.target;
  const tgt2 = tgt * tgt;
  const a0 = cfg.assets[0];
  const a1 = cfg.assets[1];
  const a2 = cfg.assets[2];
  const units = book.units;
  const lrAll = ctx.logReturn;
  const spotAll = ctx.spot;
  const r0a = lrAll[a0];
  const r1a = lrAll[a1];
  const r2a = lrAll[a2];
  const s0a = spotAll[a0];
  const s1a = spotAll[a1];
  const s2a = spotAll[a2];
  const b0a = o.base[a0];
  const b1a = o.base[a1];
  const b2a = o.base[a2];
  const out0 = targets.unitTargets[a0];
  const out1 = targets.unitTargets[a1];
  const out2 = targets.unitTargets[a2];
  const has0 = targets.hasUnits[a0];
  const has1 = targets.hasUnits[a1];
  const has2 = targets.hasUnits[a2];
  const held0 = units[a0];
  const held1 = units[a1];
  const held2 = units[a2];
  const w = o.weight[0];
  const v = o.forecast.variance[0];
  const cov = o.forecast.cov;
  const lagged = o.lagged[0];
  const ring = lag > 1;
  const wr = (i % lag) * n;
  const rd = ((i + 1) % lag) * n;
  const cw = (1 - lambda) / dt;
  const ew = 1 - lambda;
  if (i > 0 && kind === 0)
    for (let p = 0; p < n; p++) {
      // stepCovariance: an update that is not finite keeps the entry. The six updates are
      // finite exactly when their sum is (one well-predicted branch for the common case).
      const x0 = r0a[p];
      const x1 = r1a[p];
      const x2 = r2a[p];
      const b = 6 * p; // path p's six covariance pairs
      let e00 = cov[b];
      let e01 = cov[b + 1];
      let e02 = cov[b + 2];
      let e11 = cov[b + 3];
      let e12 = cov[b + 4];
      let e22 = cov[b + 5];
      const y00 = lambda * e00 + cw * x0 * x0;
      const y01 = lambda * e01 + cw * x0 * x1;
      const y02 = lambda * e02 + cw * x0 * x2;
      const y11 = lambda * e11 + cw * x1 * x1;
      const y12 = lambda * e12 + cw * x1 * x2;
      const y22 = lambda * e22 + cw * x2 * x2;
      const ys = y00 + y01 + y02 + y11 + y12 + y22;
      if (ys - ys === 0) {
        cov[b] = e00 = y00;
        cov[b + 1] = e01 = y01;
        cov[b + 2] = e02 = y02;
        cov[b + 3] = e11 = y11;
        cov[b + 4] = e12 = y12;
        cov[b + 5] = e22 = y22;
      } else {
        if (y00 - y00 === 0) cov[b] = e00 = y00;
        if (y01 - y01 === 0) cov[b + 1] = e01 = y01;
        if (y02 - y02 === 0) cov[b + 2] = e02 = y02;
        if (y11 - y11 === 0) cov[b + 3] = e11 = y11;
        if (y12 - y12 === 0) cov[b + 4] = e12 = y12;
        if (y22 - y22 === 0) cov[b + 5] = e22 = y22;
      }
      // covarianceForecast: h = the inner's last units at today's prices; σ̂² = hᵀΣh / (Σh)²
      // (the normalisation applied once, to the quadratic form).
      let h0 = b0a[p] * s0a[p];
      let h1 = b1a[p] * s1a[p];
      let h2 = b2a[p] * s2a[p];
      let tot = 0;
      tot += h0;
      tot += h1;
      tot += h2;
      if (tot === 0) {
        h0 = c0;
        h1 = c1;
        h2 = c2;
      }
      let sv = 0;
      sv += h0 * h0 * e00;
      sv += 2 * h0 * h1 * e01;
      sv += 2 * h0 * h2 * e02;
      sv += h1 * h1 * e11;
      sv += 2 * h1 * h2 * e12;
      sv += h2 * h2 * e22;
      if (tot !== 0) sv /= tot * tot;
      v[p] = sv;
      if (ring) lagged[wr + p] = sv;
    }
  else if (i > 0)
    for (let p = 0; p < n; p++) {
      // legReturns, then the EWMA or GARCH step on a finite return.
      let r = c0 * r0a[p];
      r += c1 * r1a[p];
      r += c2 * r2a[p];
      let f = v[p];
      if (r - r === 0) {
        if (kind === 1) f = lambda * f + (ew * r * r) / dt;
        else f = (omega + alpha * r * r + beta * (f * dt)) / dt;
        v[p] = f;
      }
      if (ring) lagged[wr + p] = f;
    }
  // The weights from the lagged forecasts (a pass of its own: in the covariance pass it cost as much).
  const pre = !byVariance && i > 0;
  for (let p = 0; p < n; p++) {
    const f = ring ? lagged[rd + p] : v[p];
    w[p] = nextWeight(f, w[p], pre, byVariance, tgt, tgt2, band, lo, hi, i === 0);
  }
  // The scaled unit targets (the inner's opinions recorded unscaled in base), an asset at a time.
  scaleTargets(w, b0a, out0, has0, held0, n);
  scaleTargets(w, b1a, out1, has1, held1, n);
  scaleTargets(w, b2a, out2, has2, held2, n);
}

/**
 * The weight from the lagged forecast f (annualized variance): w* = σ⁎/σ̂ (or σ⁎²/σ̂² by variance)
 * clamped to [lo, hi], taken when it leaves the band around the current weight wp (or on the first
 * step); a zero or non-finite forecast keeps wp.
 * With `pre` (scaling by vol), most paths stay inside the band: a pre-test on x² = σ⁎²/σ̂² (one
 * division, no square root) settles them. Clamping to [lo, hi] ∋ wp never moves x away from wp, so
 * |x − wp| ≤ band keeps the weight; the pre-test admits only x² inside the band squared with a
 * relative margin of 1e-9 (far above the rounding gap between σ⁎²/σ̂² and (σ⁎/√σ̂²)²), and every other
 * path takes the exact computation: the weights are those of the general pass, bit for bit.
 */
function nextWeight(
  f: number,
  wp: number,
  pre: boolean,
  byVariance: boolean,
  tgt: number,
  tgt2: number,
  band: number,
  lo: number,
  hi: number,
  first: boolean,
): number {
  if (!(f > 0 && f < Number.POSITIVE_INFINITY)) return wp;
  if (pre) {
    const q = tgt2 / f;
    const up = wp + band;
    const dn = wp - band;
    if (q < up * up * (1 - 1e-9) && (dn <= 0 || q > dn * dn * (1 + 1e-9))) return wp;
  }
  let x = byVariance ? tgt2 / f : tgt / Math.sqrt(f);
  x = Math.min(hi, Math.max(lo, x));
  const d = x - wp;
  return d > band || d < -band || first ? x : wp;
}

/** base ← the inner's unit target where it set one; out ← w·base where it differs from the holding. */
function scaleTargets(
  w: Float64Array,
  base: Float64Array,
  out: Float64Array,
  has: Uint8Array,
  held: Float64Array,
  n: number,
): void {
  for (let p = 0; p < n; p++) {
    const g = has[p];
    let u: number;
    if (g) base[p] = u = out[p];
    else u = base[p];
    const y = w[p] * u;
    if (g) out[p] = y;
    else if (y !== held[p]) {
      out[p] = y;
      has[p] = 1;
    }
  }
}
