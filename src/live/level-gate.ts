/**
 * The escalation level applied to a strategy's targets, between `decide` and execution — a filter
 * around the same strategy object back-tests run, not a second implementation of it. Policies per
 * level come from the protocol (src/live/escalation/admissible.ts `levelPolicy`).
 *
 * - `trade: false` (HALTED): every target is dropped; the book holds what it holds.
 * - `cashLock` (PROTECT): the floor-protecting allocation — every asset targeted to 0 units now
 *   (forced, whatever the rebalancing band); option and forward lines stay as held (long puts keep
 *   protecting), their targets pass only under the DE-RISK rule below.
 * - `riskReducingOnly` (DE-RISK): the strategy's proposed trades are taken one at a time, lines in
 *   the order the strategy touched them, then assets; each is admitted only when the protocol's
 *   rule (`isRiskReducing`: shocked loss, net delta toward zero without crossing, gross exposure,
 *   measured on the whole book, src/live/analytics.ts `riskMeasures`) says it reduces the book's
 *   risk given the trades admitted before it. A refused target falls back to the current holding.
 *
 * Works on path 0 (the live monitor's one path).
 * References: issue 9 §3 (level actions); Black & Perold (1992) (cash-lock).
 */
import type { MarketView } from '../market/market-view.ts';
import type { Book, BookView } from '../portfolio/book.ts';
import type { TargetSink } from '../portfolio/target-sink.ts';
import type { Strategy } from '../strategies/types.ts';
import { riskBook, riskMeasures } from './analytics.ts';
import { isRiskReducing } from './escalation/admissible.ts';
import type { LevelPolicy } from './escalation/types.ts';

/** True when the policy lets every target through. */
export function isOpen(p: LevelPolicy): boolean {
  return p.trade && !p.riskReducingOnly && !p.cashLock;
}

/** The protocol's shock: relative spot move and vol points. */
export interface GateShock {
  readonly spot: number;
  readonly volPoints: number;
}

/**
 * Applies `policy` to the targets a strategy just set (in place).
 * @returns the number of targets refused
 */
export function gateTargets(
  policy: LevelPolicy,
  bookView: BookView,
  view: MarketView,
  sink: TargetSink,
  shock: GateShock,
): number {
  if (isOpen(policy)) return 0;
  const book = bookView as Book;
  const nA = book.assets.length;
  let refused = 0;
  if (!policy.trade) {
    for (const h of sink.hasUnits) refused += h[0];
    for (let i = 0; i < sink.touchedCount; i++) refused += sink.hasQty[sink.touched[i]][0];
    for (const h of sink.hasUnits) h.fill(0);
    for (let i = 0; i < sink.touchedCount; i++) sink.hasQty[sink.touched[i]].fill(0);
    sink.force.fill(0);
    return refused;
  }
  if (policy.cashLock) {
    for (let a = 0; a < nA; a++) sink.units(a).fill(0);
    sink.force.fill(1);
  }
  if (!policy.riskReducingOnly) return refused;
  const units = book.assets.map((_, a) => book.units[a][0]);
  const qty = new Map<number, number>();
  let before = riskMeasures(riskBook(book, view, units, qty), shock);
  const admit = (): boolean => {
    const after = riskMeasures(riskBook(book, view, units, qty), shock);
    if (!isRiskReducing(before, after).admitted) return false;
    before = after;
    return true;
  };
  for (let i = 0; i < sink.touchedCount; i++) {
    const s = sink.touched[i];
    const line = book.slots[s];
    if (!line.active || !sink.hasQty[s][0]) continue;
    const cur = line.qty[0];
    const want = sink.lineTargets[s][0];
    if (want === cur || Number.isNaN(want)) continue;
    qty.set(line.id, want);
    if (!admit()) {
      qty.set(line.id, cur);
      sink.lineTargets[s][0] = cur;
      refused++;
    }
  }
  for (let a = 0; a < nA; a++) {
    if (!sink.hasUnits[a][0]) continue;
    const cur = units[a];
    const want = sink.unitTargets[a][0];
    if (want === cur || Number.isNaN(want)) continue;
    units[a] = want;
    if (!admit()) {
      units[a] = cur;
      sink.unitTargets[a][0] = cur;
      refused++;
    }
  }
  return refused;
}

/**
 * The strategy with the policy applied after every `decide`; `policy` is read at each step.
 * Every other member (name, kind, rebalancing, diagnostics, report) is the inner strategy's.
 */
export function gatedStrategy(inner: Strategy, policy: () => LevelPolicy, shock: GateShock): Strategy {
  const gated = Object.create(inner) as Strategy;
  Object.defineProperty(gated, 'decide', {
    value: (ctx: Parameters<Strategy['decide']>[0], book: BookView, state: unknown, sink: TargetSink) => {
      inner.decide(ctx, book, state, sink);
      gateTargets(policy(), book, ctx, sink, shock);
    },
  });
  Object.defineProperty(gated, 'init', { value: inner.init.bind(inner) });
  return gated;
}
