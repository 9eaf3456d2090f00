/**
 * The least-cost hedge of a book (`hedgekit hedge`): builds the problem (book-hedge-problem.ts),
 * solves it on one kept HiGHS model, optionally traces the cost-vs-residual frontier on the same
 * model, and returns a plain report — numbers only, no typed arrays, never NaN or ±Infinity (an
 * open band edge or a missing lot size is `null`).
 *
 *   minimise Σ_i c_i·|x_i|  subject to  lo_b ≤ e_b + Σ_i g_bi·x_i ≤ hi_b,  |x_i| ≤ maxQty_i,  x_i ∈ L_i·ℤ;
 *   when no plan meets every band: minimise Σ_b w_b·violation_b + Σ_i c_i·|x_i| (status best-effort).
 *
 * References: see src/hedging/hedge-model.ts and hedge-frontier.ts.
 */
import { hedgeFrontierOf } from '../hedging/hedge-frontier.ts';
import { createHedgeModel } from '../hedging/hedge-model.ts';
import type { BindingConstraint, HedgePlan } from '../hedging/hedge-types.ts';
import { type Book, type BookGreeks, bookGreeks } from './book-greeks.ts';
import {
  type BookHedgeProblem,
  type BookHedgeSpec,
  bookHedgeProblem,
  type HedgeGreek,
  type HedgeInstrumentInfo,
} from './book-hedge-problem.ts';

/** One risk bucket before and after the trades (units in `unit`). */
export interface HedgeBucketRow {
  readonly name: string;
  readonly asset: string;
  readonly greek: HedgeGreek;
  readonly expiryBucket: string | null;
  readonly unit: string;
  /** Band edges; null = open on that side (bucket not targeted). */
  readonly lo: number | null;
  readonly hi: number | null;
  /** Penalty per unit of violation, currency (0 when the bucket has no band). */
  readonly weight: number;
  readonly before: number;
  readonly after: number;
  /** after − clamp(after, lo, hi): 0 inside the band. */
  readonly residual: number;
}

/** One trade of the plan (instruments traded in a non-zero quantity). */
export interface HedgeTradeRow extends HedgeInstrumentInfo {
  /** Units of underlying, + buy, − sell. */
  readonly quantity: number;
  /** quantity / lotSize, null without a lot size. */
  readonly lots: number | null;
  /** quantity / multiplier. */
  readonly contracts: number;
  /** Cost per unit traded (½·spread + fees), currency. */
  readonly unitCost: number;
  /** unitCost·|quantity|, currency. */
  readonly cost: number;
}

/** A constraint active in the plan. */
export interface HedgeBindingRow {
  readonly kind: BindingConstraint['kind'];
  /** Bucket name or instrument id. */
  readonly name: string;
  readonly limit: number;
}

/** One point of the cost-vs-residual frontier. */
export interface HedgeFrontierRow {
  /** Cost budget, currency. */
  readonly budget: number;
  readonly cost: number;
  /** Σ_b w_b·|residual_b|, currency. */
  readonly residualNorm: number;
  readonly status: HedgePlan['status'];
}

/** The plan of {@link solveBookHedge}. */
export interface BookHedgePlan {
  /** `optimal`: every band met at least cost; `best-effort`: min Σ w·violation + cost. */
  readonly status: HedgePlan['status'];
  /** HiGHS model status of the solve (`optimal`, `infeasible` …). */
  readonly solverStatus: string;
  /** Trading cost, currency. */
  readonly cost: number;
  /** Σ_b w_b·|residual_b|, currency (0 when optimal). */
  readonly residualNorm: number;
  /** Number of hedge instruments offered to the solver. */
  readonly instrumentCount: number;
  readonly buckets: readonly HedgeBucketRow[];
  readonly trades: readonly HedgeTradeRow[];
  readonly binding: readonly HedgeBindingRow[];
  /** n points in increasing budget (the last is the plan), when asked. */
  readonly frontier?: readonly HedgeFrontierRow[];
}

/** Options of {@link solveBookHedge}. */
export interface BookHedgeOptions {
  /** Number of frontier points, integer ≥ 1; omitted = no frontier. */
  readonly frontier?: number | undefined;
  /** Vega bucket edges, years (default those of `bookGreeks`). */
  readonly vegaEdges?: readonly number[] | undefined;
}

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

/** A plan of the kept model as report rows. */
function planRows(p: BookHedgeProblem, plan: HedgePlan, unitCost: Float64Array) {
  const buckets: HedgeBucketRow[] = p.buckets.map((b, i) => {
    const rb = p.problem.buckets[i];
    return {
      ...b,
      lo: finiteOrNull(rb.lo),
      hi: finiteOrNull(rb.hi),
      weight: rb.weight,
      before: p.problem.exposure[i],
      after: plan.post[i],
      residual: plan.residual[i],
    };
  });
  const trades: HedgeTradeRow[] = [];
  p.instruments.forEach((inst, i) => {
    const q = plan.quantity[i];
    if (q === 0) return;
    trades.push({
      ...inst,
      quantity: q,
      lots: Number.isFinite(plan.lots[i]) ? plan.lots[i] : null,
      contracts: q / inst.multiplier,
      unitCost: unitCost[i],
      cost: unitCost[i] * Math.abs(q),
    });
  });
  const binding: HedgeBindingRow[] = plan.binding.map((c) =>
    'name' in c
      ? { kind: c.kind, name: c.name, limit: c.limit }
      : { kind: c.kind, name: c.id, limit: c.limit },
  );
  return { buckets, trades, binding };
}

/**
 * Solves the least-cost hedge of a book (and, when asked, n frontier points on the same model).
 * Never throws for bands that cannot be met: the plan is then `best-effort` with its residuals.
 * @throws PositionError for an unpriceable book position; HedgekitError naming an unpriceable hedge
 *   option; DomainError for n not a positive integer
 * @example (await solveBookHedge(book, spec)).status // returns 'optimal' when every band can be met
 */
export async function solveBookHedge(
  book: Book,
  spec: BookHedgeSpec,
  opts: BookHedgeOptions = {},
): Promise<BookHedgePlan> {
  const greeks: BookGreeks = bookGreeks(book, opts.vegaEdges ? { vegaEdges: opts.vegaEdges } : {});
  const p = bookHedgeProblem(book, greeks, spec);
  const model = await createHedgeModel(p.problem);
  try {
    const plan = model.solve();
    const rows = planRows(p, plan, model.unitCost);
    const frontier =
      opts.frontier === undefined
        ? undefined
        : hedgeFrontierOf(model, opts.frontier).map((f) => ({
            budget: f.budget,
            cost: f.cost,
            residualNorm: f.residualNorm,
            status: f.plan.status,
          }));
    return {
      status: plan.status,
      solverStatus: plan.solverStatus,
      cost: plan.cost,
      residualNorm: plan.residualNorm,
      instrumentCount: p.instruments.length,
      ...rows,
      ...(frontier ? { frontier } : {}),
    };
  } finally {
    model.dispose();
  }
}
