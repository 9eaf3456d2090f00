/**
 * The vol-target overlay's report (vol-target.ts `report`): per leg the realized vol of the scaled
 * returns against the target, the weight's mean and dispersion and the first path's weight,
 * forecast and rolling realized-vol paths; the exposure on the worst day; the typed warnings.
 */
import { rollingRealizedVolatility } from '../../volatility/realized.ts';
import type { StrategyDiagnostics, StrategyReport, StrategyWarning } from '../types.ts';

/** One leg's line of the report. */
export interface VolTargetLegReport {
  readonly leg: string;
  readonly target: number;
  /** Mean over paths of the realized vol (zero-mean, as the estimators) of the scaled leg returns, annualized. */
  readonly realizedVol: number;
  readonly realizedOverTarget: number;
  /** Mean and standard deviation of the weight over paths and steps ≥ 1. */
  readonly meanWeight: number;
  readonly weightStd: number;
  /** The first path's weight, forecast vol (lagged, as used) and 21-step rolling realized vol. */
  readonly weightPath: number[];
  readonly forecastVolPath: number[];
  readonly realizedVolPath: number[];
}

/** What the report needs of the overlay's layout. */
export interface ReportLayout {
  readonly nLegs: number;
  readonly legTarget: Float64Array;
  readonly legName: (l: number) => string;
  readonly minWeight: number;
  readonly maxWeight: number;
  readonly stepsPerYear: number;
}

/** The report of merged diagnostics (totals summed over chunks; series of the first path). */
export function volTargetReport(d: StrategyDiagnostics, lay: ReportLayout): StrategyReport {
  const { nLegs, legTarget, legName, minWeight, maxWeight, stepsPerYear } = lay;
  const t = d.totals;
  const legs: VolTargetLegReport[] = [];
  for (let l = 0; l < nLegs; l++) {
    const wn = t.weightN;
    const mw = t[`weight.sum.${l}`] / wn;
    const rv = t[`realizedVol.sum.${l}`] / t[`realizedVol.n.${l}`];
    const scaled = d.series[`scaledReturn.${l}`] ?? new Float64Array(0);
    const steps = scaled.slice(1);
    legs.push({
      leg: legName(l),
      target: legTarget[l],
      realizedVol: rv,
      realizedOverTarget: rv / legTarget[l],
      meanWeight: mw,
      weightStd: Math.sqrt(Math.max(0, t[`weight.sumSq.${l}`] / wn - mw * mw)),
      weightPath: [...(d.series[`weight.${l}`] ?? [])],
      forecastVolPath: [...(d.series[`forecastVol.${l}`] ?? [])],
      realizedVolPath:
        steps.length >= 21 && steps.every(Number.isFinite)
          ? [Number.NaN, ...rollingRealizedVolatility(steps, 21, stepsPerYear)]
          : [],
    });
  }
  const warnings: StrategyWarning[] = [];
  if (t.heldZeroVol > 0)
    warnings.push({
      code: 'vol-target-zero-vol',
      message: 'the vol forecast was zero: the previous weight was held',
      count: t.heldZeroVol,
    });
  if (t.heldMissingVol > 0)
    warnings.push({
      code: 'vol-target-missing-vol',
      message: 'a return or the vol forecast was missing (not finite): the forecast and weight were held',
      count: t.heldMissingVol,
    });
  return {
    warnings,
    details: {
      kind: 'vol-target',
      minWeight,
      maxWeight,
      legs,
      worstDayExposure: t.worstDayExposure / t.worstDayN,
      worstDayReturn: t.worstDayReturn / t.worstDayN,
    },
  };
}
