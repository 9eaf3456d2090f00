/**
 * Rebalancing policies shared by every strategy: when do unit targets turn into trades?
 *
 * - `calendar`: only on rebalancing days — every step ('daily' on a daily grid), 'weekly',
 *   'monthly', 'quarterly' (by the grid's nominal steps per year) or every k steps. Step 0 always.
 * - `band`: only when some asset's exposure is off target by more than `band` × portfolio value
 *   (a tolerance band on weights).
 * - `deltaBand`: only when some asset's units are off target by more than `deltaBand` × the option
 *   notional hedged on that asset (Σ|qty| of its position lines; the target units if none) — the
 *   classic "rehedge when delta has moved by more than x per option".
 * Conditions combine with AND; a strategy's `force` flag overrides them (e.g. a CPPI floor breach).
 * The mask governs every target, asset units and position lines alike.
 *
 * Policies combine field by field ({@link combinePolicies}): each of `calendar`, `band` and
 * `deltaBand` comes from the scenario entry's own `rebalance` if it sets it, else from the
 * strategy's own parameters (e.g. CPPI's `tolerance` is a band), else from the scenario's default
 * `rebalance`. So `tolerance: 0.05` with `rebalance: {calendar: monthly}` trades at most monthly, and
 * only when off target by more than 5 %.
 *
 * References: Leland (1985) on rebalancing frequency; Whalley & Wilmott (1997) on hedging bands.
 */
import { DomainError } from '../core/errors.ts';
import { TRADING_DAYS_PER_YEAR } from '../core/time.ts';
import type { MarketView } from '../market/market-view.ts';
import type { BookView } from './book.ts';
import type { TargetSink } from './target-sink.ts';

export type CalendarFrequency = 'daily' | 'weekly' | 'monthly' | 'quarterly' | number;

export interface RebalanceSpec {
  readonly calendar?: CalendarFrequency;
  readonly band?: number;
  readonly deltaBand?: number;
}

/**
 * The effective policy of a run: field by field, the entry's own policy, else the strategy's
 * intrinsic one, else the scenario default (file header).
 * @example combinePolicies({ calendar: 'monthly' }, { band: 0.05 }, {}) // { calendar: 'monthly', band: 0.05 }
 */
export function combinePolicies(
  entry: RebalanceSpec | undefined,
  strategy: RebalanceSpec | undefined,
  scenario: RebalanceSpec | undefined,
): RebalanceSpec {
  const out: { calendar?: CalendarFrequency; band?: number; deltaBand?: number } = {};
  for (const key of ['calendar', 'band', 'deltaBand'] as const) {
    const v = entry?.[key] ?? strategy?.[key] ?? scenario?.[key];
    if (v !== undefined) (out as Record<string, unknown>)[key] = v;
  }
  return out;
}

const PER_YEAR = { daily: TRADING_DAYS_PER_YEAR, weekly: 52, monthly: 12, quarterly: 4 } as const;

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
  targets: TargetSink,
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
  const notional = notionalScratch(book.units.length);
  for (let a = 0; a < book.units.length; a++) {
    const target = targets.unitTargets[a];
    const has = targets.hasUnits[a];
    const units = book.units[a];
    const S = view.spot[a];
    if (spec.band !== undefined) {
      const band = spec.band;
      for (let p = 0; p < n; p++) {
        const x = target[p];
        if (has[p] !== 0 && Math.abs(x - units[p]) * S[p] > band * Math.abs(book.value[p])) mask[p] = 1;
      }
    }
    if (spec.deltaBand !== undefined && n === 1) {
      // One path (a live book): the notional of every asset in one pass over the lines, done once.
      if (a === 0) lineNotionals(book, notional);
      if (has[0] !== 0) {
        const x = target[0];
        const ref = notional[a] > 0 ? notional[a] : Math.abs(x);
        if (Math.abs(x - units[0]) > spec.deltaBand * ref) mask[0] = 1;
      }
    } else if (spec.deltaBand !== undefined) {
      const band = spec.deltaBand;
      for (let p = 0; p < n; p++) {
        const x = target[p];
        if (has[p] === 0) continue;
        let notional = 0;
        for (const line of book.lines) if (line.terms.asset === a) notional += Math.abs(line.qty[p]);
        const ref = notional > 0 ? notional : Math.abs(x);
        if (Math.abs(x - units[p]) > band * ref) mask[p] = 1;
      }
    }
  }
  for (let p = 0; p < n; p++) if (targets.force[p]) mask[p] = 1;
}

/** Per-asset scratch of `rebalanceMask` on one path (grown as needed). */
let notionals = new Float64Array(4);

function notionalScratch(nA: number): Float64Array {
  if (notionals.length < nA) notionals = new Float64Array(nA);
  return notionals;
}

/**
 * Σ |qty| over the lines on each asset, path 0, in book order (the sums the delta band compares
 * with, the same additions as a pass per asset). Shape: out [≥ nAssets].
 */
function lineNotionals(book: BookView, out: Float64Array): void {
  out.fill(0);
  const A = book.arena;
  if (A !== undefined) {
    // The same sums from the book's LineArena, by slot in book order.
    const slots = book.lineSlots;
    const { asset, qty } = A;
    for (let k = 0; k < book.lines.length; k++) {
      const s = slots[k];
      out[asset[s]] += Math.abs(qty[s]);
    }
    return;
  }
  for (const line of book.lines) out[line.terms.asset] += Math.abs(line.qty[0]);
}
