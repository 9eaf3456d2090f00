/**
 * The cost-vs-residual frontier of a hedge problem by the ε-constraint method: for n cost budgets
 * B_0 < … < B_{n−1} evenly spaced from the cost the size limits force (`forcedCost`, usually 0) to
 * the least-cost plan's cost C*, solve
 *   minimise Σ_b w_b·violation_b  subject to  Σ_i c_i·|x_i| ≤ B_k  (and the size limits, lots),
 * so each point is the smallest weighted residual money can buy at that budget. The last point is the
 * least-cost plan itself (residual 0 when the bands can be met). Along the frontier the residual is
 * non-increasing and convex in the budget for continuous quantities (parametric LP); with lots it is
 * a non-increasing step function.
 *
 * References: V. Chankong & Y. Y. Haimes, Multiobjective Decision Making (1983), §4.3 (ε-constraint);
 * R. J. Vanderbei, Linear Programming (5th ed.), ch. 7 (parametric programming).
 */
import { DomainError } from '../core/errors.ts';
import { createHedgeModel, type HedgeModel, type HedgeModelOptions } from './hedge-model.ts';
import type { FrontierPoint, HedgeProblem } from './hedge-types.ts';

/**
 * n points of the cost-vs-residual frontier on a kept model (the model's exposures and bands as set).
 * Points come in increasing budget; the last one is `model.solve()`.
 * @param n number of points, integer ≥ 1
 * @throws DomainError when n is not a positive integer
 * @example
 *   // delta 500, band [−100, 100], weight 1, the asset at 0.01 per unit: least cost 4
 *   hedgeFrontierOf(model, 5).map((p) => [p.cost, p.residualNorm])
 *   // returns [[0, 400], [1, 300], [2, 200], [3, 100], [4, 0]]
 * References: Chankong & Haimes (1983) §4.3.
 */
export function hedgeFrontierOf(model: HedgeModel, n: number): FrontierPoint[] {
  if (!(Number.isInteger(n) && n >= 1)) throw new DomainError('n', n, 'must be an integer >= 1');
  const best = model.solve();
  const lo = model.forcedCost();
  const hi = Math.max(lo, best.cost);
  const points: FrontierPoint[] = [];
  for (let k = 0; k < n - 1; k++) {
    const budget = lo + ((hi - lo) * k) / (n - 1);
    const plan = model.solveWithBudget(budget);
    points.push({ budget, cost: plan.cost, residualNorm: plan.residualNorm, plan });
  }
  points.push({ budget: hi, cost: best.cost, residualNorm: best.residualNorm, plan: best });
  return points;
}

/**
 * One-shot frontier: builds the model, computes n points (`hedgeFrontierOf`), disposes.
 * @throws DomainError naming the first invalid field of the problem, or n
 * @example (await hedgeFrontier(problem, 5)).length // returns 5
 */
export async function hedgeFrontier(
  problem: HedgeProblem,
  n: number,
  options: HedgeModelOptions = {},
): Promise<FrontierPoint[]> {
  if (!(Number.isInteger(n) && n >= 1)) throw new DomainError('n', n, 'must be an integer >= 1');
  const m = await createHedgeModel(problem, options);
  try {
    return hedgeFrontierOf(m, n);
  } finally {
    m.dispose();
  }
}
