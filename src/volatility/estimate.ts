/**
 * One entry point for volatility estimation on a loaded price history, returning plain JSON:
 * the current (next-period) volatility, fitted parameters, per-step forecasts and the
 * average-volatility term structure. Backs `hedgekit vol --file … --column … --model …`.
 */

import { HORIZON_PERIODS_BOUND } from '../core/bounds.ts';
import { DomainError, HedgekitError, ValidationError } from '../core/errors.ts';
import { TRADING_DAYS_PER_YEAR } from '../core/time.ts';
import type { PriceHistory } from '../market/price-history.ts';
import { ewmaVarianceSeries, RISKMETRICS_DAILY_LAMBDA } from './ewma.ts';
import { fitGarch, garchForecastVariance, volatilityTermStructure } from './garch.ts';
import { sampleVariance } from './realized.ts';
import { logReturns } from './returns.ts';

/** Volatility model: RiskMetrics EWMA, GARCH(1,1) (fGarch conventions) or close-to-close realized. */
export type VolatilityModel = 'ewma' | 'garch' | 'realized';

/** Forecast horizon (periods) when none is given. */
export const DEFAULT_VOL_HORIZON = 10;
/** Largest GARCH persistence α + β accepted as a fit (above it the long-run variance is meaningless). */
export const GARCH_MAX_PERSISTENCE = 0.9999;
/** Realized-volatility window (returns) when none is given: about one trading month. */
export const DEFAULT_REALIZED_WINDOW = 21;

/** Input of {@link estimateVolatility}. */
export interface EstimateVolatilityInput {
  readonly history: PriceHistory;
  /** Asset column of `history` to use. */
  readonly column: string;
  readonly model: VolatilityModel;
  /** Forecast steps, integer ≥ 1 (default 10). */
  readonly horizon?: number;
  /** EWMA decay λ in (0, 1) (default 0.94); EWMA only. */
  readonly lambda?: number;
  /** Realized-volatility window in returns, integer ≥ 2 (default 21); realized only. */
  readonly window?: number;
  /** Periods per year for annualization (default 252). */
  readonly periodsPerYear?: number;
}

/** One forecast step: variance per period, its annualized vol, and the average vol to this step. */
export interface VolatilityForecastStep {
  readonly step: number;
  readonly variance: number;
  readonly vol: number;
  readonly averageVol: number;
}

/** JSON-serializable result of {@link estimateVolatility}. */
export interface VolatilityEstimate {
  readonly model: VolatilityModel;
  readonly column: string;
  readonly source: string;
  /** Date of the last price used (the estimate is for the period after it). */
  readonly asOf: string;
  readonly firstDate: string;
  readonly nReturns: number;
  readonly periodsPerYear: number;
  readonly horizon: number;
  /** Annualized volatility for the next period, √(periodsPerYear · variance₁). */
  readonly currentVol: number;
  /** Next-period variance of log returns, per period. */
  readonly currentVariance: number;
  /** Model parameters: `lambda` (EWMA), `window` (realized), or μ, ω, α, β and derived (GARCH). */
  readonly params: Readonly<Record<string, number>>;
  /** GARCH log-likelihood; null for the other models. */
  readonly logLikelihood: number | null;
  /** GARCH optimizer convergence; null for the other models. */
  readonly converged: boolean | null;
  /** Per-step forecasts 1..horizon (flat for EWMA and realized: square-root-of-time scaling). */
  readonly forecast: readonly VolatilityForecastStep[];
  /** Average annualized volatility to each horizon (= forecast[k].averageVol). */
  readonly termStructure: readonly number[];
}

/**
 * Estimates and forecasts the volatility of one column of a price history from its daily log
 * returns r_t = ln(P_t/P_{t−1}).
 *
 * - `realized`: sample standard deviation of the last `window` returns; flat forecast.
 * - `ewma`: s_t = λ s_{t−1} + (1 − λ) r_t², s_0 = r_0²; flat forecast.
 * - `garch`: GARCH(1,1) fit (see {@link fitGarch}); h_{n+k} forecasts, average-vol term structure
 *   σ̄(k) = √(periodsPerYear · mean(h_{n+1..n+k})).
 *
 * @param input history, column, model and options (see {@link EstimateVolatilityInput}).
 * @returns a plain object (numbers, strings, arrays) that `JSON.stringify` round-trips.
 * @throws ValidationError `unknown-column` naming the available columns; `insufficient-data` when
 *   the history is too short for the model; DomainError for an option outside its domain.
 * @example
 * estimateVolatility({ history, column: 'DAX', model: 'ewma' }).currentVol; // 0.2471219 (eustockmarkets.csv, as of 1998-08-14)
 * References: Bollerslev (1986); RiskMetrics — Technical Document (1996); Hull (2018) §23.
 */
export function estimateVolatility(input: EstimateVolatilityInput): VolatilityEstimate {
  const { history, column, model } = input;
  const j = history.columns.indexOf(column);
  if (j < 0) {
    throw new ValidationError(
      'column',
      `unknown column "${column}" in ${history.source}; available: ${history.columns.join(', ')}`,
      'unknown-column',
    );
  }
  if (model !== 'ewma' && model !== 'garch' && model !== 'realized') {
    throw new ValidationError(
      'model',
      `must be one of ewma, garch, realized (got "${String(model)}")`,
      'invalid-option',
    );
  }
  const horizon = input.horizon ?? DEFAULT_VOL_HORIZON;
  if (!(Number.isInteger(horizon) && horizon >= 1 && horizon <= HORIZON_PERIODS_BOUND.max))
    throw new DomainError(
      'horizon',
      horizon,
      `must be an integer from 1 to ${HORIZON_PERIODS_BOUND.max} periods`,
    );
  const ppy = input.periodsPerYear ?? TRADING_DAYS_PER_YEAR;
  if (!(Number.isFinite(ppy) && ppy > 0)) throw new DomainError('periodsPerYear', ppy, 'must be > 0');

  const window = input.window ?? DEFAULT_REALIZED_WINDOW;
  if (!(Number.isInteger(window) && window >= 2))
    throw new DomainError('window', window, 'must be an integer >= 2');
  const lambda = input.lambda ?? RISKMETRICS_DAILY_LAMBDA;
  if (!(lambda > 0 && lambda < 1)) throw new DomainError('lambda', lambda, 'must be in (0, 1)');

  const prices = history.prices[j];
  const minReturns = model === 'garch' ? 10 : model === 'realized' ? window : 1;
  if (prices.length - 1 < minReturns) {
    throw new ValidationError(
      history.source,
      `column "${column}" has ${prices.length - 1} returns; model ${model} needs at least ${minReturns}`,
      'insufficient-data',
    );
  }
  const r = logReturns(prices);
  const n = r.length;

  let variances: Float64Array;
  let params: Record<string, number>;
  let logLikelihood: number | null = null;
  let converged: boolean | null = null;
  if (model === 'garch') {
    const fit = fitGarch(r);
    // A fit at the stationarity edge (α + β → 1) has no long-run variance: its "forecast" is an
    // artefact of the optimizer, not an estimate. Refuse it rather than print 4,000 % long-run vols.
    if (!fit.converged || !(fit.persistence < GARCH_MAX_PERSISTENCE))
      throw new HedgekitError(
        'garch-not-converged',
        `GARCH(1,1) fit of column "${column}" (${n} returns) ${fit.converged ? 'reached' : 'did not converge; it stopped at'} persistence α + β = ${Number(fit.persistence.toPrecision(6))}${fit.persistence < GARCH_MAX_PERSISTENCE ? '' : ` (must be < ${GARCH_MAX_PERSISTENCE} for a long-run vol)`}: use --model ewma or a longer window`,
      );
    variances = garchForecastVariance(fit, horizon);
    params = {
      mu: fit.params.mu,
      omega: fit.params.omega,
      alpha: fit.params.alpha,
      beta: fit.params.beta,
      persistence: fit.persistence,
      unconditionalVol: Math.sqrt(ppy * fit.unconditionalVariance),
    };
    logLikelihood = fit.logLikelihood;
    converged = fit.converged;
  } else if (model === 'ewma') {
    const s = ewmaVarianceSeries(r, lambda);
    variances = new Float64Array(horizon).fill(s[n - 1]);
    params = { lambda };
  } else {
    variances = new Float64Array(horizon).fill(sampleVariance(r, n - window, n));
    params = { window };
  }
  const term = volatilityTermStructure(variances, ppy);
  const forecast: VolatilityForecastStep[] = [];
  for (let k = 0; k < horizon; k++) {
    forecast.push({
      step: k + 1,
      variance: variances[k],
      vol: Math.sqrt(ppy * variances[k]),
      averageVol: term[k],
    });
  }
  return {
    model,
    column,
    source: history.source,
    asOf: history.dates[history.dates.length - 1],
    firstDate: history.dates[0],
    nReturns: n,
    periodsPerYear: ppy,
    horizon,
    currentVol: Math.sqrt(ppy * variances[0]),
    currentVariance: variances[0],
    params,
    logLikelihood,
    converged,
    forecast,
    termStructure: Array.from(term),
  };
}
