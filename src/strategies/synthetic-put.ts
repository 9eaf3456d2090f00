/**
 * OBPI by synthetic put (Leland & Rubinstein 1976): hold the sleeve plus a protective put on it,
 * with the put replicated dynamically by the sleeve and cash from its Black-Scholes-Merton delta —
 * no option is ever bought.
 *
 * The sleeve is one index Iₜ: its value per unit when rebalanced to its weights at every grid step,
 * I₀ = 1, Iₜ = Iₜ₋₁·Σₐ wₐ·Sₐ(t)/Sₐ(t₋₁). At inception N index units and a strike K are chosen so that
 *
 *   V₀ = N·(I₀ + P(I₀, K, T))   (all of V₀ buys index + put)
 *   N·K = floor·V₀              (the guaranteed value at the tenor; ×e^{rT} with `floorAccrues`)
 *
 * (one equation in K, g(K) = floor·(1 + P(1, K, T)) − K = 0, solved by Brent; g is decreasing with a
 * single root when floor < e^{rT}). Index + put = call + K·e^{−rτ} (put–call parity), so the
 * replicating portfolio holds
 *
 *   Eₜ = N·Iₜ·e^{−qτ}·Φ(d1),  d1 = [ln(Iₜ/K) + (r − q + σ²/2)τ]/(σ√τ),  τ = T − t,
 *
 * in the sleeve at its weights and the rest in cash; q = Σₐ wₐ·carryₐ is the sleeve's carry yield
 * (paid into cash by the book). At the first grid time t ≥ T the position goes to its payoff
 * (all sleeve if Iₜ ≥ K, else all cash) and is then held without further trades. Under GBM with the
 * right σ the terminal value tends to N·max(I_T, K) as the rebalancing interval shrinks, with a
 * replication error of RMS O(√Δt) (Boyle & Emanuel 1980; Bertsimas, Kogan & Lo 2000).
 *
 * References: H. Leland & M. Rubinstein, "The evolution of portfolio insurance" (1976; in
 * Portfolio Insurance: A Guide to Dynamic Hedging, Luskin ed., Wiley 1988); M. Rubinstein &
 * H. Leland, "Replicating options with positions in stock and cash", FAJ 37 (1981);
 * P. Bertrand & J.-L. Prigent, "Portfolio insurance strategies: OBPI versus CPPI", Finance 26 (2005).
 */

import { z } from 'zod';
import { DomainError } from '../core/errors.ts';
import { percentLabel } from '../core/format.ts';
import { normCdfFast } from '../core/normal-fast.ts';
import { positive } from '../core/schema.ts';
import { EXPIRY_EPS } from '../core/time.ts';
import { checkWeights } from '../core/weights.ts';
import type { BookView } from '../portfolio/book.ts';
import type { StepContext } from '../portfolio/step-context.ts';
import type { TargetSink } from '../portfolio/target-sink.ts';
import { bsmPrice } from '../pricing/black-scholes.ts';
import { brent } from '../pricing/option-pricer.ts';
import { defineStrategy, entryWeights } from './definition.ts';
import { checkReserve, checkReserveName, entryReserve, reserveField } from './reserve.ts';
import { type Sleeve, type Strategy, targetSleeve } from './types.ts';

/** Default volatility of the sleeve index used for the delta, annualized decimal. */
export const SYNTHETIC_PUT_DEFAULT_VOL = 0.2;

/** Parameters of {@link syntheticPut}. */
export interface SyntheticPutParams extends Sleeve {
  /** Guaranteed value at the tenor as a fraction of V₀ (N·K = floor·V₀), > 0 and < e^{rT}. */
  readonly floor: number;
  /** Life of the replicated put, years, > 0 (default: the market source's end). */
  readonly tenor?: number;
  /** Volatility of the sleeve index for the delta, annualized decimal, > 0 (default 0.2). */
  readonly vol?: number;
  /**
   * Guarantee floor·V₀·e^{rT} instead of floor·V₀ (a floor accruing at the inception rate, to
   * compare with a CPPI whose floor accrues); then floor must be < 1. Default false.
   */
  readonly floorAccrues?: boolean;
  readonly name?: string;
}

/**
 * Per-path state (allocated once in `init`). Shape: index, exposure, scratch, prevSpot[a]: [nPaths].
 */
export interface SyntheticPutState {
  /** Sleeve index Iₜ (1 at inception). */
  readonly index: Float64Array;
  /** Target exposure of the last decision, currency. */
  readonly exposure: Float64Array;
  readonly scratch: Float64Array;
  /** Spots at the previous decision, per asset. */
  readonly prevSpot: Float64Array[];
  /** Index units N (currency per index point) and strike K (index points) fixed at inception. */
  readonly notional: number;
  readonly strike: number;
  /** Absolute expiry time, years. */
  readonly expiry: number;
  /** Sleeve carry yield q = Σ wₐ·carryₐ. */
  readonly carry: number;
  /** True once the expiry step has traded to the payoff. */
  expired: boolean;
}

/**
 * Strike K (index points, I₀ = 1) and notional N of the OBPI at inception:
 * floor·(1 + P(1, K, T, r, q, σ)) = K, N = floor·V₀/K.
 *
 * @param floor - guaranteed fraction of V₀ at T, 0 < floor < e^{rT}.
 * @param tenor - T, years > 0. @param rate - r, annual decimal. @param carry - q, annual decimal.
 * @param vol - σ > 0, annual decimal. @param initialValue - V₀, currency > 0.
 * @throws DomainError naming the parameter when no solution exists.
 * @example
 * obpiStrike(0.9, 1, 0.03, 0, 0.2, 100); // returns { strike: 0.9343827614…, notional: 96.3202701… }
 * References: Bertrand & Prigent (2005), §2.1.
 */
export function obpiStrike(
  floor: number,
  tenor: number,
  rate: number,
  carry: number,
  vol: number,
  initialValue: number,
): { strike: number; notional: number } {
  if (!(tenor > 0 && Number.isFinite(tenor))) throw new DomainError('tenor', tenor, 'must be > 0');
  if (!(vol > 0 && Number.isFinite(vol))) throw new DomainError('vol', vol, 'must be > 0');
  if (!Number.isFinite(rate)) throw new DomainError('rate', rate, 'must be a finite number');
  if (!Number.isFinite(carry)) throw new DomainError('carry', carry, 'must be a finite number');
  const maxFloor = Math.exp(rate * tenor);
  if (!(floor > 0 && floor < maxFloor))
    throw new DomainError('floor', floor, `must be in (0, e^{rT} = ${maxFloor}) to be replicable`);
  const g = (K: number) => floor * (1 + bsmPrice('put', 1, K, tenor, rate, carry, vol)) - K;
  const lo = floor;
  const glo = g(lo);
  if (glo <= 0) return { strike: lo, notional: (floor * initialValue) / lo };
  let hi = 2 * floor;
  let ghi = g(hi);
  for (let k = 0; ghi > 0 && k < 200; k++) {
    hi *= 2;
    ghi = g(hi);
  }
  const K = brent(g, lo, hi, glo, ghi, 1e-14 * hi);
  return { strike: K, notional: (floor * initialValue) / K };
}

/**
 * OBPI by synthetic put on a risky sleeve: exposure Eₜ = N·Iₜ·e^{−qτ}Φ(d1) (BSM call delta on the
 * sleeve index), the rest in cash; N, K fixed at inception by V₀ = N(1 + P(1, K, T)), N·K = floor·V₀.
 *
 * @param params.weights - sleeve weights over all assets (sum 1). Shape: [nAssets].
 * @param params.floor - guaranteed value at the tenor as a fraction of V₀ (> 0; < e^{rT}, checked at init).
 * @param params.tenor - years (default: the market source's end).
 * @param params.vol - σ of the sleeve index for the delta, annualized (default 0.2).
 * @param params.floorAccrues - guarantee floor·V₀·e^{rT} (r = the rate at inception) instead of floor·V₀ (default false).
 * @throws DomainError naming the invalid parameter (at construction; floor vs e^{rT} at init).
 * @example
 * // 1 asset, V₀ = 100, floor 90 %, T = 1, r = 3 %, σ = 20 %: K ≈ 0.93438, N ≈ 96.320,
 * // E₀ = N·Φ(d1) ≈ 96.320·0.72219 ≈ 69.56 in the asset, ≈ 30.44 in cash.
 * syntheticPut({ weights: Float64Array.of(1), floor: 0.9, tenor: 1, vol: 0.2 });
 * References: Leland & Rubinstein (1976); Rubinstein & Leland (1981); Bertrand & Prigent (2005).
 */
export function syntheticPut(params: SyntheticPutParams): Strategy<SyntheticPutState> {
  checkWeights(params.weights);
  const { floor, tenor } = params;
  if (!(Number.isFinite(floor) && floor > 0)) throw new DomainError('floor', floor, 'must be > 0');
  if (tenor !== undefined && !(Number.isFinite(tenor) && tenor > 0))
    throw new DomainError('tenor', tenor, 'must be > 0');
  if (params.floorAccrues && !(floor < 1))
    throw new DomainError('floor', floor, 'must be < 1 when the floor accrues');
  const vol = params.vol ?? SYNTHETIC_PUT_DEFAULT_VOL;
  if (!(Number.isFinite(vol) && vol > 0)) throw new DomainError('vol', vol, 'must be > 0');
  const weights = params.weights;
  const sleeve: Sleeve = { weights, reserve: checkReserve(params) };
  const active = Int32Array.from([...weights.keys()].filter((a) => weights[a] > 0));
  const halfVar = 0.5 * vol * vol;
  return {
    name: params.name ?? `synthetic put f=${percentLabel(floor)}`,
    kind: 'synthetic-put',
    holdsOptions: false, // replicates the put with the assets
    init(view: StepContext, book: BookView): SyntheticPutState {
      const n = view.nPaths;
      const T = tenor ?? view.end;
      if (!Number.isFinite(T))
        throw new DomainError('tenor', T, 'must be given for an open-ended market source');
      let q = 0;
      for (let a = 0; a < weights.length; a++) q += weights[a] * (view.assets[a].carry ?? 0);
      const guaranteed = params.floorAccrues ? floor * Math.exp(view.rate * T) : floor;
      const { strike, notional } = obpiStrike(guaranteed, T, view.rate, q, vol, book.initialValue);
      return {
        index: new Float64Array(n).fill(1),
        exposure: new Float64Array(n),
        scratch: new Float64Array(n),
        prevSpot: view.spot.map((s) => Float64Array.from(s)),
        notional,
        strike,
        expiry: view.t + T,
        carry: q,
        expired: false,
      };
    },
    decide(view: StepContext, book: BookView, st: SyntheticPutState, targets: TargetSink) {
      if (st.expired) return;
      const n = view.nPaths;
      const I = st.index;
      if (view.step > 0) {
        const acc = st.scratch;
        acc.fill(0);
        for (let j = 0; j < active.length; j++) {
          const a = active[j];
          const w = weights[a];
          const S = view.spot[a];
          const prev = st.prevSpot[a];
          for (let p = 0; p < n; p++) acc[p] += (w * S[p]) / prev[p];
        }
        for (let p = 0; p < n; p++) I[p] *= acc[p];
      }
      for (let j = 0; j < active.length; j++) {
        const a = active[j];
        st.prevSpot[a].set(view.spot[a]);
      }
      const N = st.notional;
      const K = st.strike;
      const E = st.exposure;
      const tau = st.expiry - view.t;
      if (tau <= EXPIRY_EPS) {
        // To the payoff now, whatever the calendar says: the protection ends here.
        for (let p = 0; p < n; p++) {
          E[p] = I[p] >= K ? N * I[p] : 0;
          targets.force[p] = 1;
        }
        st.expired = true;
      } else {
        const sq = vol * Math.sqrt(tau);
        const drift = (view.rate - st.carry + halfVar) * tau;
        const cf = N * Math.exp(-st.carry * tau);
        for (let p = 0; p < n; p++) {
          const x = I[p];
          E[p] = cf * x * normCdfFast((Math.log(x / K) + drift) / sq);
        }
      }
      targetSleeve(view, sleeve, E, targets, book.value);
    },
  };
}

/** The registry entry of the synthetic put (OBPI replicated by trading the sleeve). */
export const syntheticPutDefinition = defineStrategy({
  kind: 'synthetic-put',
  summary: 'Option-based portfolio insurance replicated by trading the sleeve (a synthetic put).',
  sleeve: true,
  shape: {
    floor: positive()
      .optional()
      .describe('Guaranteed value at the tenor, fraction of V0; default floor.level.'),
    floorAccrues: z.boolean().optional().describe('Guarantee floor·V0·e^{rT}; default floor.accrues.'),
    tenor: positive().optional().describe('Life of the replicated put, years; default the horizon.'),
    vol: positive()
      .default(SYNTHETIC_PUT_DEFAULT_VOL)
      .describe('Sleeve vol of the replicating delta, annualized.'),
    reserve: reserveField(),
  },
  label: () => 'synthetic-put',
  check(p, ctx, issue) {
    checkReserveName(p, ctx, issue);
    // Cash alone grows to e^{rT}·V0: a guarantee at or above that cannot be insured.
    const floor = p.floor ?? ctx.floor.level;
    const T = p.tenor ?? ctx.horizon;
    const accrues = p.floorAccrues ?? ctx.floor.accrues;
    const guaranteed = accrues ? floor * Math.exp(ctx.rate * T) : floor;
    const cash = Math.exp(ctx.rate * T);
    if (!(guaranteed < cash))
      issue(
        [p.floor !== undefined ? 'floor' : 'floorAccrues'],
        `the guarantee ${Number(guaranteed.toPrecision(6))}·V0 must be < e^{rT} = ${Number(cash.toPrecision(6))} (what cash alone reaches)`,
        p.floor,
      );
  },
  create: (p, ctx, name) =>
    syntheticPut({
      weights: entryWeights(p, ctx),
      name,
      floor: p.floor ?? ctx.floor.level,
      floorAccrues: p.floorAccrues ?? ctx.floor.accrues,
      tenor: p.tenor ?? ctx.horizon,
      vol: p.vol,
      reserve: entryReserve(p.reserve, ctx),
    }),
});
