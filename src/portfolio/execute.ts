/**
 * The executor: turns a strategy's targets into trades on the book, with transaction costs.
 * Hot loop over paths; never throws (invalid numbers propagate as NaN).
 *
 * Order within a step: position lines in the order the strategy touched them (a roll closes the
 * old line and opens the new one from the same cash), then assets. Every target trades only where
 * the rebalancing mask allows (rebalance.ts) — option and forward trades like any other.
 *
 * Every trade happens at the current mark, so it changes the book's value by its cost only: `value`
 * is updated incrementally here (the next `mark` recomputes it from scratch). A line opened this
 * step is marked first (the same kernel as the quote the strategy saw).
 *
 * Costs: assets and forwards pay `bps` of notional; options and digitals pay half the bid/ask spread
 * on each trade (as a fraction of the mark, or a vol spread priced through vega) plus a fee per
 * contract.
 */
import type { MarketView } from '../market/market-view.ts';
import type { PricingVol } from '../market/pricing-vol.ts';
import type { Book } from './book.ts';
import type { CostModel } from './costs.ts';
import type { Ledger } from './ledger.ts';
import type { PositionLine } from './position-line.ts';
import type { TargetSink } from './target-sink.ts';

/**
 * Cost of trading dq units of an option line on path p: half spread + fees. The vol spread is priced
 * through ν (read only when that spread is not 0: the caller made sure ν is computed then).
 */
export function optionCost(line: PositionLine, p: number, dq: number, costs: CostModel): number {
  const adq = Math.abs(dq);
  const volSpread = costs.optionSpreadVol === 0 ? 0 : 0.5 * costs.optionSpreadVol * line.greeks.vega[p];
  return (
    adq * (0.5 * costs.optionSpreadFraction * line.greeks.price[p] + volSpread) +
    (adq / costs.contractMultiplier) * costs.optionFeePerContract
  );
}

/** Trades line quantities towards `want` where `has` and the mask allow. */
function tradeLine(
  book: Book,
  line: PositionLine,
  want: Float64Array,
  has: Uint8Array,
  mask: Uint8Array,
  costs: CostModel,
  view: MarketView,
  ledger: Ledger | undefined,
): void {
  const n = book.nPaths;
  const isForward = line.terms.kind === 'forward' || line.terms.kind === 'future';
  const asset = book.assets[line.terms.asset];
  const bps = costs.bps[asset.assetClass] * 1e-4;
  const S = view.spot[line.terms.asset];
  const qty = line.qty;
  const mark = line.greeks.price;
  const cash = book.cash;
  if (!isForward && costs.optionSpreadVol !== 0) book.ensureFirstOrder(line); // ν for the vol spread
  const rec = ledger?.recording;
  for (let p = 0; p < n; p++) {
    if (has[p] === 0 || mask[p] === 0) continue;
    const dq = want[p] - qty[p];
    if (dq === 0 || Number.isNaN(dq)) continue;
    const price = mark[p];
    const cost = isForward ? Math.abs(dq) * S[p] * bps : optionCost(line, p, dq, costs);
    cash[p] -= dq * price + cost;
    book.fees[p] += cost;
    book.value[p] -= cost; // traded at the mark: the value changes by the cost only
    if (!isForward) book.premiums[p] += dq * price;
    book.trades[p] += 1;
    qty[p] += dq;
    // Forwards are recorded at their delivery price (their mark is ~0 when entered at the fair price).
    if (rec !== undefined && rec[p] !== 0)
      ledger!.record(
        p,
        view.step,
        view.t,
        isForward ? 'forward' : 'option',
        line.contractId(p),
        dq,
        isForward ? line.strike[p] : price,
        cost,
      );
  }
}

/**
 * Executes `targets` on `book` at the current marks where `mask[p] = 1` (the rebalancing policy's
 * decision, `force` included).
 */
export function executeTargets(
  book: Book,
  view: MarketView,
  vols: PricingVol,
  targets: TargetSink,
  mask: Uint8Array,
  costs: CostModel,
  ledger?: Ledger,
): void {
  const n = book.nPaths;
  book.lastSpot = view.spot;

  // 1. Position lines, in the order the strategy touched them.
  let closing = false;
  for (let i = 0; i < targets.touchedCount; i++) {
    const s = targets.touched[i];
    const line = book.slots[s];
    if (!line.active) continue;
    if (line.fresh) {
      book.price(line, view, vols); // marks of the new contracts
      line.fresh = false;
    }
    if (line.closing) closing = true;
    tradeLine(book, line, targets.lineTargets[s], targets.hasQty[s], mask, costs, view, ledger);
  }
  if (closing) book.releaseEmpty(true);

  // 2. Assets. The book's arrays live in locals: with the ledger call in the loop body V8 would
  // otherwise reload every field and its length on every path.
  const cash = book.cash;
  const fees = book.fees;
  const value = book.value;
  const turnover = book.turnover;
  const trades = book.trades;
  const rec = ledger?.recording;
  for (let a = 0; a < book.units.length; a++) {
    const target = targets.unitTargets[a];
    const has = targets.hasUnits[a];
    const units = book.units[a];
    const S = view.spot[a];
    const rate = costs.bps[book.assets[a].assetClass] * 1e-4;
    for (let p = 0; p < n; p++) {
      if (has[p] === 0 || mask[p] === 0) continue;
      const x = target[p];
      const du = x - units[p];
      if (du === 0 || Number.isNaN(du)) continue;
      const s = S[p];
      const notional = Math.abs(du) * s;
      const cost = notional * rate;
      cash[p] -= du * s + cost;
      fees[p] += cost;
      value[p] -= cost;
      turnover[p] += notional;
      trades[p] += 1;
      units[p] = x;
      if (rec !== undefined && rec[p] !== 0)
        ledger!.record(p, view.step, view.t, 'asset', book.assets[a].name, du, s, cost);
    }
  }
}
