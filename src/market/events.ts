/**
 * Scheduled market events (issue 8 §3): dates known in advance — an index rebalance, a central
 * bank meeting, an earnings release — with a jump size distribution and a volatility bump. The
 * scenario lists them; the path models apply them (src/paths/event-jumps.ts) and strategies see the
 * upcoming ones, read-only, in `MarketView.events`.
 *
 * Units: times in years since inception; the jump is a log jump ln(1 + return) ~ N(mean, std²);
 * the vol bump an annualized decimal of extra diffusive vol after the event, decaying with a
 * half-life in years.
 */
import { DomainError, requireFinite, requireNonNegative, requirePositive } from '../core/errors.ts';
import { TIME_EPS } from '../core/time.ts';

/** What a strategy (and the pricer) sees of an upcoming event. */
export interface MarketEvent {
  readonly name: string;
  /** When it happens, years since inception: it hits the step (t, t + dt] with t < time ≤ t + dt. */
  readonly t: number;
  /**
   * Variance of its log jump (jumpStd²), which options expiring after it carry: the pricer prices
   * them at σ_eff² = σ² + Σ variance/τ (src/portfolio/contract-pricer.ts). 0 or absent: none.
   */
  readonly variance?: number;
  /** Indices of the assets it moves (every asset when undefined). */
  readonly assets?: readonly number[] | undefined;
}

/** A scheduled event with its dynamics, for the path models. */
export interface EventSpec extends MarketEvent {
  /** Mean of the log jump ln(1 + return), e.g. −0.05. */
  readonly jumpMean: number;
  /** Standard deviation of the log jump, ≥ 0. */
  readonly jumpStd: number;
  /** Extra diffusive vol right after the event, annualized decimal ≥ 0 (0.1 = 10 vol points). */
  readonly volBump: number;
  /** Half-life of the vol bump, years > 0. */
  readonly volHalfLife: number;
  /** Indices of the assets the event moves (every asset when undefined). */
  readonly assets?: readonly number[] | undefined;
}

/**
 * Validates events and sorts them by time (stable).
 * @throws DomainError naming the entry, e.g. `events[1].t (0) must be > 0`
 * @example sortEvents([{ name: 'b', t: 0.5 }, { name: 'a', t: 0.2 }])[0].name // returns 'a'
 */
export function sortEvents<E extends MarketEvent>(events: readonly E[]): E[] {
  events.forEach((e, i) => {
    requirePositive(`events[${i}].t`, e.t);
    const s = e as Partial<EventSpec>;
    if (s.jumpMean !== undefined) requireFinite(`events[${i}].jumpMean`, s.jumpMean);
    if (s.jumpStd !== undefined) requireNonNegative(`events[${i}].jumpStd`, s.jumpStd);
    if (s.volBump !== undefined) requireNonNegative(`events[${i}].volBump`, s.volBump);
    if (s.volHalfLife !== undefined) requirePositive(`events[${i}].volHalfLife`, s.volHalfLife);
    if (typeof e.name !== 'string' || e.name.length === 0)
      throw new DomainError(`events[${i}].name`, e.name, 'must be a non-empty string');
  });
  return [...events].sort((a, b) => a.t - b.t);
}

/**
 * The upcoming events at every position of a sorted list, built once so a source can hand the view
 * a suffix without allocating per step: `upcoming[k]` = the events after the k-th (k = 0: all).
 * Shape: [events.length + 1].
 */
export function eventSuffixes(sorted: readonly MarketEvent[]): readonly (readonly MarketEvent[])[] {
  const plain = sorted.map((e) => {
    const spec = e as Partial<EventSpec>;
    return Object.freeze({
      name: e.name,
      t: e.t,
      ...(spec.jumpStd ? { variance: spec.jumpStd * spec.jumpStd } : {}),
      ...(spec.assets ? { assets: spec.assets } : {}),
    });
  });
  return Object.freeze(Array.from({ length: plain.length + 1 }, (_, k) => Object.freeze(plain.slice(k))));
}

/**
 * Index of the first event still ahead of time t (events at t or before have passed: their jump is
 * in the observation at t).
 * @example firstUpcoming([{ name: 'x', t: 0.5 }], 0.5) // returns 1
 */
export function firstUpcoming(sorted: readonly MarketEvent[], t: number, from = 0): number {
  let k = from;
  while (k < sorted.length && sorted[k].t <= t + TIME_EPS) k++;
  return k;
}
