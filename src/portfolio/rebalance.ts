/**
 * Rebalancing policies shared by every strategy: when do unit targets turn into trades?
 *
 * - `calendar`: only on rebalancing days — every step ('daily' on a daily grid), 'weekly',
 *   'monthly', 'quarterly' (by the grid's nominal steps per year) or every k steps. Step 0 always.
 * - `band`: only when some asset's exposure is off target by more than `band` × portfolio value
 *   (a tolerance band on weights).
 * - `deltaBand`: only when some asset's units are off target by more than `deltaBand` × the option
 *   notional hedged on that asset (Σ|qty| of its option slots; the target units if none) — the
 *   classic "rehedge when delta has moved by more than x per option".
 * Conditions combine with AND; a strategy's `force` flag overrides them (e.g. a CPPI floor breach).
 *
 * References: Leland (1985) on rebalancing frequency; Whalley & Wilmott (1997) on hedging bands.
 */
import { DomainError } from '../core/errors.ts';
import type { MarketView } from '../market/market-view.ts';
import type { BookView } from './book.ts';
import type { Targets } from './targets.ts';

export type CalendarFrequency = 'daily' | 'weekly' | 'monthly' | 'quarterly' | number;

export interface RebalanceSpec {
  readonly calendar?: CalendarFrequency;
  readonly band?: number;
  readonly deltaBand?: number;
}

const PER_YEAR = { daily: 252, weekly: 52, monthly: 12, quarterly: 4 } as const;

/** Steps between rebalancing days for a calendar frequency on a grid with `stepsPerYear` steps. */
export function calendarInterval(freq: CalendarFrequency, stepsPerYear: number): number {
  if (typeof freq === 'number') {
    if (!(Number.isInteger(freq) && freq >= 1))
      throw new DomainError('calendar', freq, 'must be an integer >= 1 (steps)');
    return freq;
  }
  const perYear = PER_YEAR[freq];
  return Math.max(1, Math.round(stepsPerYear / perYear));
}

/**
 * Writes mask[p] = 1 where path p may trade its unit targets at this step.
 * Shape: mask [nPaths].
 */
export function rebalanceMask(
  spec: RebalanceSpec,
  view: MarketView,
  book: BookView,
  targets: Targets,
  mask: Uint8Array,
): void {
  const n = book.nPaths;
  const day =
    view.step === 0 ||
    spec.calendar === undefined ||
    view.step % calendarInterval(spec.calendar, view.stepsPerYear) === 0;
  if (!day) {
    mask.set(targets.force);
    return;
  }
  if (spec.band === undefined && spec.deltaBand === undefined) {
    mask.fill(1);
    return;
  }
  mask.fill(view.step === 0 ? 1 : 0);
  if (view.step === 0) return;
  for (let a = 0; a < book.units.length; a++) {
    const target = targets.units[a]!;
    const units = book.units[a]!;
    const S = view.spot[a]!;
    if (spec.band !== undefined) {
      const band = spec.band;
      for (let p = 0; p < n; p++) {
        const x = target[p]!;
        if (!Number.isNaN(x) && Math.abs(x - units[p]!) * S[p]! > band * Math.abs(book.value[p]!))
          mask[p] = 1;
      }
    }
    if (spec.deltaBand !== undefined) {
      const band = spec.deltaBand;
      for (let p = 0; p < n; p++) {
        const x = target[p]!;
        if (Number.isNaN(x)) continue;
        let notional = 0;
        for (const slot of book.options) if (slot.asset === a) notional += Math.abs(slot.qty[p]!);
        const ref = notional > 0 ? notional : Math.abs(x);
        if (Math.abs(x - units[p]!) > band * ref) mask[p] = 1;
      }
    }
  }
  for (let p = 0; p < n; p++) if (targets.force[p]) mask[p] = 1;
}
