/**
 * The executor: turns a strategy's targets into trades on the book, with transaction costs.
 * Hot loop over paths; never throws (invalid numbers propagate as NaN).
 *
 * Order within a step: options (rolls, then resizes), forwards, then assets — so a strategy that
 * buys protection and rebalances its sleeve in the same step pays for both out of the same cash.
 * Assets trade only where the rebalancing mask allows (see rebalance.ts).
 *
 * Every trade happens at the current mark, so it changes the book's value by its cost only: `value`
 * is updated incrementally here (the next `mark` recomputes it from scratch).
 *
 * Costs: assets pay `bps` of notional; options pay half the bid/ask spread on each trade (as a
 * fraction of the mark, or a vol spread priced through vega) plus a fee per contract.
 */
import type { MarketView } from '../market/market-view.ts';
import type { VolInput } from '../market/vol-input.ts';
import { type Book, label, type OptionSlot } from './book.ts';
import type { CostModel } from './costs.ts';
import type { Ledger } from './ledger.ts';
import type { Targets } from './targets.ts';

function optionCost(slot: OptionSlot, p: number, dq: number, costs: CostModel): number {
  const adq = Math.abs(dq);
  return (
    adq * (0.5 * costs.optionSpreadFraction * slot.mark[p]! + 0.5 * costs.optionSpreadVol * slot.vega[p]!) +
    (adq / costs.contractMultiplier) * costs.optionFeePerContract
  );
}

/** Trades `dq` units of an option slot on path p at its current mark, paying costs. */
function tradeOption(
  book: Book,
  slot: OptionSlot,
  p: number,
  dq: number,
  costs: CostModel,
  view: MarketView,
  ledger: Ledger | undefined,
): void {
  if (dq === 0 || Number.isNaN(dq)) return;
  const price = slot.mark[p]!;
  const cost = optionCost(slot, p, dq, costs);
  book.cash[p]! -= dq * price + cost;
  book.fees[p]! += cost;
  book.value[p]! -= cost; // traded at the mark: the value changes by the cost only
  book.premiums[p]! += dq * price;
  book.trades[p]! += 1;
  slot.qty[p]! += dq;
  if (ledger?.recording[p]) ledger.record(p, view.step, view.t, 'option', label(slot), dq, price, cost);
}

/**
 * Executes `targets` on `book` at the current marks. `mask[p] = 1` lets path p trade its asset
 * unit targets (the rebalancing policy's decision); option and forward targets always execute.
 */
export function executeTargets(
  book: Book,
  view: MarketView,
  vols: VolInput,
  targets: Targets,
  mask: Uint8Array,
  costs: CostModel,
  ledger?: Ledger,
): void {
  const n = book.nPaths;

  // 1. Options: close and reopen where a new strike is given, then resize.
  for (let s = 0; s < book.options.length; s++) {
    const slot = book.options[s]!;
    const newK = targets.optionStrike[s]!;
    const newT = targets.optionExpiry[s]!;
    const newH = targets.optionBarrier[s]!;
    const wantQ = targets.optionQty[s]!;
    let rolls = 0;
    for (let p = 0; p < n; p++) {
      if (Number.isNaN(newK[p])) continue;
      tradeOption(book, slot, p, -slot.qty[p]!, costs, view, ledger); // close at the current mark
      slot.strike[p] = newK[p]!;
      slot.expiry[p] = newT[p]!;
      slot.barrier[p] = newH[p]!;
      slot.knocked[p] = 0;
      rolls++;
    }
    if (rolls > 0) book.quoteOption(slot, view, vols); // marks of the new contracts
    for (let p = 0; p < n; p++) {
      const q = wantQ[p]!;
      if (Number.isNaN(q)) continue;
      tradeOption(book, slot, p, q - slot.qty[p]!, costs, view, ledger);
    }
  }

  // 2. Forwards: close at the mark, enter the new one at the fair forward price (zero value).
  for (let f = 0; f < book.forwards.length; f++) {
    const fw = book.forwards[f]!;
    const wantQ = targets.forwardQty[f]!;
    const wantT = targets.forwardExpiry[f]!;
    const S = view.spot[fw.asset]!;
    const q = book.assets[fw.asset]!.carry ?? 0;
    const bps = book.assets[fw.asset] ? costs.bps[book.assets[fw.asset]!.assetClass] * 1e-4 : 0;
    for (let p = 0; p < n; p++) {
      const target = wantQ[p]!;
      if (Number.isNaN(target)) continue;
      const old = fw.qty[p]!;
      const expiry = !Number.isNaN(wantT[p]) ? wantT[p]! : fw.expiry[p]!;
      const tau = expiry - view.t;
      if (!(tau > 0)) continue;
      book.cash[p]! += old * fw.mark[p]!;
      const traded = Math.abs(target - old) * S[p]!;
      const cost = traded * bps;
      book.cash[p]! -= cost;
      book.fees[p]! += cost;
      book.value[p]! -= cost;
      book.trades[p]! += 1;
      fw.qty[p] = target;
      fw.expiry[p] = expiry;
      fw.price[p] = S[p]! * Math.exp((view.rate - q) * tau);
      fw.mark[p] = 0;
      if (ledger?.recording[p])
        ledger.record(
          p,
          view.step,
          view.t,
          'forward',
          book.assets[fw.asset]!.name,
          target - old,
          fw.price[p]!,
          cost,
        );
    }
  }

  // 3. Assets, where the rebalancing mask allows. The book's arrays live in locals: with the ledger
  // call in the loop body V8 would otherwise reload every field and its length on every path.
  const cash = book.cash;
  const fees = book.fees;
  const value = book.value;
  const turnover = book.turnover;
  const trades = book.trades;
  const rec = ledger?.recording;
  for (let a = 0; a < book.units.length; a++) {
    const target = targets.units[a]!;
    const units = book.units[a]!;
    const S = view.spot[a]!;
    const rate = costs.bps[book.assets[a]!.assetClass] * 1e-4;
    for (let p = 0; p < n; p++) {
      const x = target[p]!;
      if (Number.isNaN(x) || mask[p] === 0) continue;
      const du = x - units[p]!;
      if (du === 0) continue;
      const s = S[p]!;
      const notional = Math.abs(du) * s;
      const cost = notional * rate;
      cash[p]! -= du * s + cost;
      fees[p]! += cost;
      value[p]! -= cost;
      turnover[p]! += notional;
      trades[p]! += 1;
      units[p] = x;
      if (rec !== undefined && rec[p] !== 0)
        ledger!.record(p, view.step, view.t, 'asset', book.assets[a]!.name, du, s, cost);
    }
  }
}
