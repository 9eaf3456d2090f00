/**
 * Checking a hedge problem and turning each instrument's quotes into one cost per unit traded:
 *   cost_i = half-spread_i + fee_i + feePerContract_i / multiplier_i,
 *   half-spread = ½·spread (price quote) or ½·points·0.01·vega (vol quote, vega per 1.00 vol).
 *
 * References: J. C. Hull, Options, Futures and Other Derivatives (10th ed.), ch. 19–20.
 */
import { DomainError } from '../core/errors.ts';
import type { HedgeInstrument, HedgeProblem, SpreadQuote } from './hedge-types.ts';

function nonNegative(param: string, v: number): void {
  if (!(Number.isFinite(v) && v >= 0)) throw new DomainError(param, v, 'must be >= 0');
}

/**
 * Half of the bid/ask spread, currency per unit.
 * @throws DomainError for a negative or non-finite spread, points or vega
 * @example halfSpreadCost({ kind: 'vol', points: 0.5, vega: 20 }) // returns 0.05
 */
export function halfSpreadCost(q: SpreadQuote | undefined, param = 'spread'): number {
  if (q === undefined) return 0;
  if (q.kind === 'price') {
    nonNegative(`${param}.spread`, q.spread);
    return 0.5 * q.spread;
  }
  nonNegative(`${param}.points`, q.points);
  nonNegative(`${param}.vega`, Math.abs(q.vega));
  return 0.5 * q.points * 0.01 * Math.abs(q.vega);
}

/**
 * Cost per unit traded: half-spread + fee per unit + fee per contract / multiplier, currency.
 * @param param name used in error messages, e.g. `instruments[2]`
 * @throws DomainError naming the first invalid field
 * @example instrumentUnitCost({ id: 'put', exposure: [], spread: { kind: 'price', spread: 0.1 },
 *   feePerContract: 0.65, multiplier: 100 }) // returns 0.0565
 */
export function instrumentUnitCost(inst: HedgeInstrument, param = 'instrument'): number {
  const m = inst.multiplier ?? 1;
  if (!(Number.isFinite(m) && m > 0)) throw new DomainError(`${param}.multiplier`, m, 'must be > 0');
  const fee = inst.fee ?? 0;
  nonNegative(`${param}.fee`, fee);
  const perContract = inst.feePerContract ?? 0;
  nonNegative(`${param}.feePerContract`, perContract);
  return halfSpreadCost(inst.spread, `${param}.spread`) + fee + perContract / m;
}

/**
 * Checks dimensions and values of a hedge problem (bands, weights, exposures, size limits, lots).
 * @throws DomainError naming the first invalid field, e.g. `buckets[1].hi (-1) must be >= lo (0)`
 * @example validateHedgeProblem({ buckets: [], instruments: [], exposure: [] }) // returns undefined
 */
export function validateHedgeProblem(problem: HedgeProblem): void {
  const nb = problem.buckets.length;
  if (problem.exposure.length !== nb)
    throw new DomainError('exposure.length', problem.exposure.length, `must equal buckets.length (${nb})`);
  problem.buckets.forEach((b, i) => {
    const p = `buckets[${i}]`;
    if (Number.isNaN(b.lo) || b.lo === Number.POSITIVE_INFINITY)
      throw new DomainError(`${p}.lo`, b.lo, 'must be a number < +Infinity');
    if (!(b.hi >= b.lo)) throw new DomainError(`${p}.hi`, b.hi, `must be >= lo (${b.lo})`);
    nonNegative(`${p}.weight`, b.weight);
    const e = problem.exposure[i];
    if (!Number.isFinite(e)) throw new DomainError(`exposure[${i}]`, e, 'must be a finite number');
  });
  problem.instruments.forEach((inst, i) => {
    const p = `instruments[${i}]`;
    if (inst.exposure.length !== nb)
      throw new DomainError(
        `${p}.exposure.length`,
        inst.exposure.length,
        `must equal buckets.length (${nb})`,
      );
    for (let b = 0; b < nb; b++) {
      const g = inst.exposure[b];
      if (!Number.isFinite(g)) throw new DomainError(`${p}.exposure[${b}]`, g, 'must be a finite number');
    }
    instrumentUnitCost(inst, p);
    const lo = inst.minQty ?? Number.NEGATIVE_INFINITY;
    const hi = inst.maxQty ?? Number.POSITIVE_INFINITY;
    if (Number.isNaN(lo) || lo === Number.POSITIVE_INFINITY)
      throw new DomainError(`${p}.minQty`, lo, 'must be a number < +Infinity');
    if (!(hi >= lo)) throw new DomainError(`${p}.maxQty`, hi, `must be >= minQty (${lo})`);
    if (inst.lotSize !== undefined && !(Number.isFinite(inst.lotSize) && inst.lotSize > 0))
      throw new DomainError(`${p}.lotSize`, inst.lotSize, 'must be > 0');
  });
}
