/**
 * CPPI — constant proportion portfolio insurance (Black & Jones 1987; Perold & Sharpe 1988): keep a
 * multiple of the cushion above a floor in the risky sleeve, the rest in cash.
 *
 *   Fₜ = floor·V₀·e^{∫₀ᵗ r(s) ds}  (e^{…} only when `floorAccrues`, the default)
 *   Cₜ = max(Vₜ − Fₜ, 0)            the cushion
 *   Eₜ = min(m·Cₜ, maxExposure·Vₜ)  the exposure, split over the sleeve at its weights
 *
 * When the cushion is exhausted (Vₜ ≤ Fₜ) the strategy forces a move to cash whatever the
 * rebalancing policy says (`targets.force`). `tolerance` is the strategy's rebalancing band: trade
 * only when some asset's exposure is off target by more than `tolerance` × Vₜ.
 *
 * The same kernel drives TIPP (tipp.ts), whose floor ratchets up with the peak value.
 * See docs/strategies/cppi.md for the closed form under GBM and the gap risk under jumps.
 *
 * References: F. Black & R. Jones, "Simplifying portfolio insurance", J. Portfolio Management 14
 * (1987); A. Perold & W. Sharpe, "Dynamic strategies for asset allocation", FAJ 44 (1988);
 * P. Bertrand & J.-L. Prigent, "Portfolio insurance strategies: OBPI versus CPPI", Finance 26 (2005);
 * R. Cont & P. Tankov, "Constant proportion portfolio insurance in the presence of jumps in asset
 * prices", Mathematical Finance 19 (2009).
 */

import { z } from 'zod';
import { DomainError } from '../core/errors.ts';
import { percentLabel } from '../core/format.ts';
import { positive } from '../core/schema.ts';
import { advanceRateIntegral, type RateIntegral, startRateIntegral } from '../core/time.ts';
import { checkWeights } from '../core/weights.ts';
import type { BookView } from '../portfolio/book.ts';
import { PRICE_DELTA } from '../portfolio/contract-pricer.ts';
import type { StepContext } from '../portfolio/step-context.ts';
import type { TargetSink } from '../portfolio/target-sink.ts';
import {
  type CommonEntry,
  defineStrategy,
  entryWeights,
  type IssueSink,
  type ScenarioContext,
} from './definition.ts';
import { checkReserve, checkReserveName, entryReserve, reserveField } from './reserve.ts';
import { type Sleeve, type Strategy, targetSleeve } from './types.ts';

/** Defaults of the optional CPPI / TIPP parameters (the scenario schema points here). */
export const CPPI_DEFAULTS = {
  /** No leverage: the sleeve never exceeds the portfolio value. */
  maxExposure: 1,
  /** The floor grows at the short rate (a zero-coupon floor). */
  floorAccrues: true,
} as const;

/** Parameters of {@link cppi}. */
export interface CppiParams extends Sleeve {
  /** Floor at inception as a fraction of the initial value V₀, in [0, 1] (e.g. 0.8). */
  readonly floor: number;
  /** Multiplier m ≥ 0 (dimensionless; e.g. 4: a 25 % one-step fall uses up the cushion). */
  readonly multiplier: number;
  /** Cap on the exposure as a fraction of the current value, > 0 (default 1; > 1 borrows; Infinity = no cap). */
  readonly maxExposure?: number;
  /** Whether the floor accrues at the short rate (default true). */
  readonly floorAccrues?: boolean;
  /** Rebalancing band as a fraction of the current value, ≥ 0 (default none: the run's policy applies). */
  readonly tolerance?: number;
  readonly name?: string;
}

/**
 * Per-path state of CPPI / TIPP (allocated once in `init`).
 * Shape: floor, exposure, peak: [nPaths] (peak is empty for plain CPPI).
 */
export interface CppiState {
  /** Current floor Fₜ, currency. */
  readonly floor: Float64Array;
  /** Target exposure Eₜ of the last decision, currency. */
  readonly exposure: Float64Array;
  /** Running peak value max_{s≤t} V_s (TIPP only), currency. */
  readonly peak: Float64Array;
  /** ∫₀ᵗ r(s) ds so far and the rate of the coming step (left-point rule, as the book's cash). */
  rate: RateIntegral;
}

/** Validated parameters of the cushion kernel shared by CPPI and TIPP. */
export interface CushionSpec {
  readonly weights: Float64Array;
  /** Reserve asset index (the non-exposure value goes there), or undefined for cash. */
  readonly reserve: number | undefined;
  readonly floor: number;
  readonly multiplier: number;
  readonly maxExposure: number;
  readonly floorAccrues: boolean;
  /** Ratchet fraction in [0, 1] (TIPP), or undefined for plain CPPI. */
  readonly ratchet: number | undefined;
}

/**
 * Checks and completes CPPI parameters (shared with TIPP).
 * @throws DomainError naming the parameter, e.g. `multiplier (-1) must be >= 0`
 */
export function cushionSpec(params: CppiParams, ratchet?: number): CushionSpec {
  checkWeights(params.weights);
  const { floor, multiplier } = params;
  if (!(Number.isFinite(floor) && floor >= 0 && floor <= 1))
    throw new DomainError('floor', floor, 'must be in [0, 1]');
  if (!(Number.isFinite(multiplier) && multiplier >= 0))
    throw new DomainError('multiplier', multiplier, 'must be >= 0');
  const maxExposure = params.maxExposure ?? CPPI_DEFAULTS.maxExposure;
  if (!(maxExposure > 0))
    throw new DomainError('maxExposure', maxExposure, 'must be > 0 (Infinity for no cap)');
  const tol = params.tolerance;
  if (tol !== undefined && !(Number.isFinite(tol) && tol >= 0))
    throw new DomainError('tolerance', tol, 'must be >= 0');
  if (ratchet !== undefined && !(Number.isFinite(ratchet) && ratchet >= 0 && ratchet <= 1))
    throw new DomainError('ratchet', ratchet, 'must be in [0, 1]');
  const reserve = checkReserve(params);
  return {
    weights: params.weights,
    reserve,
    floor,
    multiplier,
    maxExposure,
    floorAccrues: params.floorAccrues ?? CPPI_DEFAULTS.floorAccrues,
    ratchet,
  };
}

/**
 * The exposure Eₜ = min(m·cushion, cap·Vₜ) (0 and forced where the cushion is gone) and the unit
 * targets (wₐ·Eₜ)/Sₐ of a 3-asset sleeve without reserve, in one pass per path: the operations of
 * the exposure loop and `targetSleeve`, in the same order, so the same bits. With one floor for every
 * path (`f`: CPPI, not TIPP) and the sink's arrays in the book's WebAssembly arena, the pass runs
 * there (`ExecArena.cushion3`, the same bits two paths at a time).
 */
function exposure3(
  view: StepContext,
  V: Float64Array,
  F: Float64Array,
  f: number | undefined,
  E: Float64Array,
  force: Uint8Array,
  weights: Float64Array,
  m: number,
  cap: number,
  targets: TargetSink,
): void {
  const n = view.nPaths;
  const u0 = targets.units(0);
  const u1 = targets.units(1);
  const u2 = targets.units(2);
  if (f !== undefined && targets.exec?.cushion3(V, view.spot, u0, u1, u2, E, force, f, m, cap, weights))
    return;
  const w0 = weights[0];
  const w1 = weights[1];
  const w2 = weights[2];
  const S0 = view.spot[0];
  const S1 = view.spot[1];
  const S2 = view.spot[2];
  for (let p = 0; p < n; p++) {
    const v = V[p];
    const c = v - F[p];
    let e = 0;
    if (c > 0) e = Math.min(m * c, cap * v);
    else force[p] = 1; // cushion exhausted (or NaN): all to cash now
    E[p] = e;
    u0[p] = (w0 * e) / S0[p];
    u1[p] = (w1 * e) / S1[p];
    u2[p] = (w2 * e) / S2[p];
  }
}

/**
 * Builds the CPPI / TIPP strategy from a validated spec (TIPP when `spec.ratchet` is set).
 * Per step and path (no allocation):
 * - CPPI: Fₜ = floor·V₀·e^{∫r};
 * - TIPP: Fₜ = max(Fₜ₋₁·e^{r·Δt}, ratchet·Mₜ), Mₜ = max_{s≤t} V_s, F₀ = max(floor, ratchet)·V₀;
 * then Eₜ = min(m·max(Vₜ − Fₜ, 0), maxExposure·Vₜ), force = 1 where Vₜ ≤ Fₜ.
 */
export function cushionStrategy(
  spec: CushionSpec,
  kind: 'cppi' | 'tipp',
  name: string,
  tolerance: number | undefined,
): Strategy<CppiState> {
  const { weights, floor, multiplier: m, maxExposure: cap, floorAccrues, ratchet } = spec;
  const sleeve: Sleeve = { weights, reserve: spec.reserve };
  return {
    name,
    kind,
    greeks: PRICE_DELTA, // holds no lines
    holdsOptions: false,
    ...(tolerance !== undefined ? { rebalance: { band: tolerance } } : {}),
    init(view: StepContext, _book: BookView): CppiState {
      const n = view.nPaths;
      return {
        floor: new Float64Array(n),
        exposure: new Float64Array(n),
        peak: new Float64Array(ratchet === undefined ? 0 : n),
        rate: startRateIntegral(view.rate),
      };
    },
    decide(view: StepContext, book: BookView, st: CppiState, targets: TargetSink) {
      const n = view.nPaths;
      const first = view.step === 0;
      let stepGrowth = 1;
      if (first) st.rate = startRateIntegral(view.rate);
      else if (floorAccrues) stepGrowth = Math.exp(advanceRateIntegral(st.rate, view.dt, view.rate));
      else st.rate.prevRate = view.rate;
      const V = book.value;
      const F = st.floor;
      const E = st.exposure;
      const force = targets.force;
      let f: number | undefined;
      if (ratchet === undefined) {
        f = floor * book.initialValue * (floorAccrues ? Math.exp(st.rate.value) : 1);
        F.fill(f);
      } else {
        const M = st.peak;
        const F0 = Math.max(floor, ratchet) * book.initialValue;
        for (let p = 0; p < n; p++) {
          const v = V[p];
          if (first) {
            M[p] = v;
            F[p] = F0;
            continue;
          }
          if (v > M[p]) M[p] = v;
          F[p] = Math.max(F[p] * stepGrowth, ratchet * M[p]);
        }
      }
      if (weights.length === 3 && spec.reserve === undefined) {
        exposure3(view, V, F, f, E, force, weights, m, cap, targets);
        return;
      }
      for (let p = 0; p < n; p++) {
        const v = V[p];
        const c = v - F[p];
        if (c > 0) {
          E[p] = Math.min(m * c, cap * v);
        } else {
          // Cushion exhausted: all to cash now, whatever the band or calendar says. (NaN values
          // fail `c > 0` too; the NaN stays in the book's value.)
          E[p] = 0;
          force[p] = 1;
        }
      }
      targetSleeve(view, sleeve, E, targets, V);
    },
  };
}

/**
 * CPPI on a risky sleeve: exposure Eₜ = min(m·max(Vₜ − Fₜ, 0), maxExposure·Vₜ), Fₜ = floor·V₀·e^{∫r}.
 *
 * @param params.weights - sleeve weights over all assets (sum 1). Shape: [nAssets].
 * @param params.floor - fraction of V₀ in [0, 1].
 * @param params.multiplier - m ≥ 0.
 * @param params.maxExposure - cap as a fraction of Vₜ, > 0 (default 1, no leverage; Infinity: none).
 * @param params.floorAccrues - floor grows at the short rate (default true).
 * @param params.tolerance - rebalancing band, fraction of Vₜ (default: none, the run's policy applies).
 * @throws DomainError naming the invalid parameter, e.g. `floor (1.2) must be in [0, 1]`.
 * @example
 * // One asset 100 → 110, V₀ = 100, floor 80 %, m = 3, rate 0: E₀ = 3·20 = 60;
 * // at t₁ V = 0.6·110 + 40 = 106, F = 80, E₁ = 78.
 * cppi({ weights: Float64Array.of(1), floor: 0.8, multiplier: 3 });
 * References: Black & Jones (1987); Perold & Sharpe (1988); Bertrand & Prigent (2005).
 */
export function cppi(params: CppiParams): Strategy<CppiState> {
  const spec = cushionSpec(params);
  const name = params.name ?? `cppi m=${spec.multiplier} f=${percentLabel(spec.floor)}`;
  return cushionStrategy(spec, 'cppi', name, params.tolerance);
}

/** The CPPI / TIPP parameter fields shared by both registry entries. */
export const cushionShape = {
  floor: positive()
    .lte(1, { error: 'must be <= 1' })
    .optional()
    .describe('Floor, fraction of V0; default the scenario floor.level.'),
  multiplier: positive().describe('Exposure multiplier m: E = m·(V − F).'),
  maxExposure: z
    .union([positive(), z.literal('none')], { error: 'must be a number > 0 or "none" (no cap)' })
    .default(CPPI_DEFAULTS.maxExposure)
    .transform((x) => (x === 'none' ? Number.POSITIVE_INFINITY : x))
    .describe('Cap on the exposure as a multiple of V (> 1 borrows); "none" = no cap.'),
  floorAccrues: z.boolean().optional().describe('Whether the floor grows at r; default floor.accrues.'),
  tolerance: positive()
    .optional()
    .describe('Rebalancing band: trade only when off target by more than tolerance × V.'),
  reserve: reserveField(),
};

/** A CPPI / TIPP floor left to the scenario's must still be a fraction of V0. */
export function checkCushionFloor(
  p: { floor?: number | undefined; reserve?: string | undefined },
  ctx: ScenarioContext,
  issue: IssueSink,
): void {
  checkReserveName(p, ctx, issue);
  if (p.floor === undefined && ctx.floor.level > 1)
    issue(
      ['floor'],
      `must be <= 1: the default, the scenario's floor.level, is ${ctx.floor.level}`,
      undefined,
    );
}

/** CPPI / TIPP parameters of a validated scenario entry, the scenario's floor filling the defaults. */
export function cushionParams(
  p: z.output<z.ZodObject<typeof cushionShape>> & CommonEntry,
  ctx: ScenarioContext,
  name: string,
): CppiParams {
  return {
    weights: entryWeights(p, ctx),
    name,
    floor: p.floor ?? ctx.floor.level,
    multiplier: p.multiplier,
    maxExposure: p.maxExposure,
    floorAccrues: p.floorAccrues ?? ctx.floor.accrues,
    ...(p.tolerance !== undefined ? { tolerance: p.tolerance } : {}),
    reserve: entryReserve(p.reserve, ctx),
  };
}

/** The registry entry of CPPI. */
export const cppiDefinition = defineStrategy({
  kind: 'cppi',
  summary: 'Constant proportion portfolio insurance: exposure m × cushion above a floor.',
  sleeve: true,
  shape: cushionShape,
  label: (p) => `cppi m=${p.multiplier}`,
  check: checkCushionFloor,
  create: (p, ctx, name) => cppi(cushionParams(p, ctx, name)),
});
