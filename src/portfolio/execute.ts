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
import type { ExecArena } from '../wasm/exec-kernel.ts';
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
    } else book.ensurePrice(line); // it trades at its mark: priced even if the mark skipped it
    if (line.closing) closing = true;
    tradeLine(book, line, targets.lineTargets[s], targets.hasQty[s], mask, costs, view, ledger);
  }
  if (closing) book.releaseEmpty(true);

  // 2. Assets. Unless a path of this chunk is logged, three assets per pass over the paths (each path's cash, fees,
  // value, turnover and trade count read and written once per pass, not once per asset); the
  // per-path arithmetic and its order are those of the per-asset loop, so the bits are the same.
  const nA = book.units.length;
  if (ledger === undefined || !ledger.recordsAny) {
    const ex = book.exec;
    for (let a = 0; a < nA; a += 3) {
      if (ex !== undefined && tradeAssetsWasm(ex, book, view, targets, mask, costs, a)) continue;
      tradeAssets3(book, view, targets, mask, costs, a);
    }
    return;
  }
  const rec = ledger.recording;
  // With a trade log: asset by asset, so that the records come in asset order. The book's arrays
  // live in locals: with the ledger call in the loop body V8 would otherwise reload every field and
  // its length on every path.
  const cash = book.cash;
  const fees = book.fees;
  const value = book.value;
  const turnover = book.turnover;
  const trades = book.trades;
  for (let a = 0; a < nA; a++) {
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
      if (rec[p] !== 0) ledger.record(p, view.step, view.t, 'asset', book.assets[a].name, du, s, cost);
    }
  }
}

/**
 * The group of assets a … a+2 (those that exist) through the WebAssembly kernel, in place in the
 * book's executor memory (src/wasm/exec-kernel.ts): the same per-path arithmetic in the same order as
 * `tradeAssets3`, so the same bits. Targets kept elsewhere (an overlay's memory) are copied in. False,
 * nothing done, when the mask or a book array is not in that memory: the JavaScript pass runs instead.
 */
function tradeAssetsWasm(
  ex: ExecArena,
  book: Book,
  view: MarketView,
  targets: TargetSink,
  mask: Uint8Array,
  costs: CostModel,
  a: number,
): boolean {
  if (!ex.begin(mask, book, !book.valueStale)) return false;
  const k = Math.min(3, book.units.length - a);
  for (let j = 0; j < k; j++) {
    const rate = costs.bps[book.assets[a + j].assetClass] * 1e-4;
    const ok = ex.asset(
      j,
      targets.hasUnits[a + j],
      targets.unitTargets[a + j],
      book.units[a + j],
      view.spot[a + j],
      rate,
    );
    if (!ok) return false;
  }
  ex.run(k);
  return true;
}

/**
 * Asset trades of assets a, a+1, a+2 (those that exist; the others read an all-zero has-mask), in
 * one pass over the paths: for each path, asset a's trade, then a+1's, then a+2's — the order of
 * the per-asset loop, hence the same IEEE results.
 */
function tradeAssets3(
  book: Book,
  view: MarketView,
  targets: TargetSink,
  mask: Uint8Array,
  costs: CostModel,
  a: number,
): void {
  const n = book.nPaths;
  const nA = book.units.length;
  const b = a + 1 < nA ? a + 1 : a;
  const c = a + 2 < nA ? a + 2 : a;
  const t0 = targets.unitTargets[a];
  const t1 = targets.unitTargets[b];
  const t2 = targets.unitTargets[c];
  const h0 = targets.hasUnits[a];
  const h1 = b === a ? targets.none : targets.hasUnits[b];
  const h2 = c === a ? targets.none : targets.hasUnits[c];
  const u0 = book.units[a];
  const u1 = book.units[b];
  const u2 = book.units[c];
  const s0 = view.spot[a];
  const s1 = view.spot[b];
  const s2 = view.spot[c];
  const r0 = costs.bps[book.assets[a].assetClass] * 1e-4;
  const r1 = costs.bps[book.assets[b].assetClass] * 1e-4;
  const r2 = costs.bps[book.assets[c].assetClass] * 1e-4;
  const cash = book.cash;
  const fees = book.fees;
  const value = book.value;
  const turnover = book.turnover;
  const trades = book.trades;
  for (let p = 0; p < n; p++) {
    if (mask[p] === 0) continue;
    let cs = cash[p];
    let fe = fees[p];
    let va = value[p];
    let to = turnover[p];
    let tr = trades[p];
    let traded = false;
    if (h0[p] !== 0) {
      const x = t0[p];
      const du = x - u0[p];
      if (du !== 0 && !Number.isNaN(du)) {
        const s = s0[p];
        const notional = Math.abs(du) * s;
        const cost = notional * r0;
        cs -= du * s + cost;
        fe += cost;
        va -= cost;
        to += notional;
        tr += 1;
        u0[p] = x;
        traded = true;
      }
    }
    if (h1[p] !== 0) {
      const x = t1[p];
      const du = x - u1[p];
      if (du !== 0 && !Number.isNaN(du)) {
        const s = s1[p];
        const notional = Math.abs(du) * s;
        const cost = notional * r1;
        cs -= du * s + cost;
        fe += cost;
        va -= cost;
        to += notional;
        tr += 1;
        u1[p] = x;
        traded = true;
      }
    }
    if (h2[p] !== 0) {
      const x = t2[p];
      const du = x - u2[p];
      if (du !== 0 && !Number.isNaN(du)) {
        const s = s2[p];
        const notional = Math.abs(du) * s;
        const cost = notional * r2;
        cs -= du * s + cost;
        fe += cost;
        va -= cost;
        to += notional;
        tr += 1;
        u2[p] = x;
        traded = true;
      }
    }
    if (traded) {
      cash[p] = cs;
      fees[p] = fe;
      value[p] = va;
      turnover[p] = to;
      trades[p] = tr;
    }
  }
}
