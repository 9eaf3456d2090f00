/**
 * Vocabulary of the least-cost hedge solver: risk buckets with bands, hedge instruments with
 * per-unit exposures and costs, and the plan the solver returns.
 *
 * A bucket is one risk number the caller tracks — delta of an asset, gamma of an asset, vega of an
 * asset in an expiry bucket … — with a band [lo, hi] the post-hedge exposure must end in:
 *   lo_b ≤ e_b + Σ_i g_bi·x_i ≤ hi_b,
 * e_b the book's current exposure, g_bi instrument i's exposure per unit, x_i the units traded.
 * The solver sees only these numbers; naming and units are the caller's (keep book and instrument
 * exposures in the same units, e.g. vega per 1.00 vol).
 *
 * References: J. C. Hull, Options, Futures and Other Derivatives (10th ed.), ch. 19.
 */

/** One risk bucket: its band and the weight of a band violation (best-effort plans). */
export interface RiskBucket {
  /** Display name, e.g. `SPX delta`, `SPX vega 0.25y`. */
  readonly name: string;
  /** Lower edge of the band, the bucket's units; may be −Infinity. */
  readonly lo: number;
  /** Upper edge of the band, ≥ lo; may be +Infinity. lo = hi asks for exact neutrality at lo. */
  readonly hi: number;
  /**
   * Penalty per unit of band violation, currency per bucket unit, ≥ 0. Used only when the bands
   * cannot all be met: the solver then minimises Σ_b weight_b·violation_b + trading cost, so a weight
   * below an instrument's cost per unit of this risk leaves the violation in place.
   */
  readonly weight: number;
}

/**
 * The bid/ask half-spread an instrument pays per unit traded:
 * - `{ kind: 'price', spread }`: the full quoted spread ask − bid, currency per unit; cost ½·spread;
 * - `{ kind: 'vol', points, vega }`: the spread in implied-vol points (1 point = 0.01 vol) and the
 *   instrument's vega per 1.00 vol; cost ½·points·0.01·vega.
 */
export type SpreadQuote =
  | { readonly kind: 'price'; readonly spread: number }
  | { readonly kind: 'vol'; readonly points: number; readonly vega: number };

/** A hedge instrument: per-unit exposures, costs and size limits. */
export interface HedgeInstrument {
  /** Display id, e.g. `SPX put K=95 T=0.25` (see instruments/terms.ts `contractId`). */
  readonly id: string;
  /** Exposure per unit in every bucket, length = number of buckets. */
  readonly exposure: ArrayLike<number>;
  /** Bid/ask spread (half of it is paid per unit); omitted = 0. */
  readonly spread?: SpreadQuote;
  /** Fee per unit traded, currency, ≥ 0; omitted = 0. */
  readonly fee?: number;
  /** Fee per contract, currency, ≥ 0; charged per unit as feePerContract / multiplier. */
  readonly feePerContract?: number;
  /** Units per contract (e.g. 100 for a listed equity option), > 0; omitted = 1. */
  readonly multiplier?: number;
  /** Smallest quantity traded, units (negative = a sell of at most |minQty|); omitted = −Infinity. */
  readonly minQty?: number;
  /** Largest quantity traded, units, ≥ minQty; omitted = +Infinity. */
  readonly maxQty?: number;
  /** Units per lot: the traded quantity is an integer number of lots (a MIP); omitted = continuous. */
  readonly lotSize?: number;
}

/** A least-cost hedge problem. */
export interface HedgeProblem {
  readonly buckets: readonly RiskBucket[];
  readonly instruments: readonly HedgeInstrument[];
  /** The book's current exposure per bucket, length = number of buckets. */
  readonly exposure: ArrayLike<number>;
}

/** A constraint active in a plan: a band at its edge or a size limit reached. */
export type BindingConstraint =
  | {
      readonly kind: 'band-lower' | 'band-upper';
      readonly bucket: number;
      readonly name: string;
      /** The band edge, bucket units. */
      readonly limit: number;
    }
  | {
      readonly kind: 'size-min' | 'size-max';
      readonly instrument: number;
      readonly id: string;
      /** The size limit, units. */
      readonly limit: number;
    };

/** The solver's answer. Never thrown away: best-effort plans carry their residuals. */
export interface HedgePlan {
  /** 'optimal': every band met at least cost; 'best-effort': min Σ w·violation + cost. */
  readonly status: 'optimal' | 'best-effort';
  /** Units traded per instrument (+ buy, − sell). Shape: [nInstruments]. */
  readonly quantity: Float64Array;
  /** Lots traded per instrument (quantity / lotSize), NaN where no lot size. Shape: [nInstruments]. */
  readonly lots: Float64Array;
  /** Trading cost Σ_i cost_i·|x_i|, currency (half-spreads + fees). */
  readonly cost: number;
  /** Post-hedge exposure e + G·x per bucket. Shape: [nBuckets]. */
  readonly post: Float64Array;
  /**
   * Signed band violation per bucket: post − clamp(post, lo, hi) (0 inside the band, negative below
   * lo, positive above hi). Shape: [nBuckets].
   */
  readonly residual: Float64Array;
  /** Σ_b weight_b·|residual_b|, the weighted L1 norm the best-effort objective minimises, currency. */
  readonly residualNorm: number;
  /** Bands at their edge and size limits hit. */
  readonly binding: readonly BindingConstraint[];
  /** HiGHS model status name of the solve that produced the plan, e.g. `optimal`, `infeasible`. */
  readonly solverStatus: string;
}

/** One point of the cost-vs-residual frontier. */
export interface FrontierPoint {
  /** The cost budget the point was solved with, currency. */
  readonly budget: number;
  /** Trading cost of the plan, currency (≤ budget). */
  readonly cost: number;
  /** Weighted residual Σ w_b·|residual_b| of the plan, currency. */
  readonly residualNorm: number;
  readonly plan: HedgePlan;
}
