/**
 * What a strategy asks for at one step — targets, not orders (Lean's PortfolioTarget): the
 * executor turns them into trades with costs. Every array is reset to NaN (= "no target, leave
 * as is") before each `decide`, so a strategy writes only what it wants changed.
 *
 * Options: to open or roll a contract on path p, set `optionStrike[s][p]` (absolute strike),
 * `optionExpiry[s][p]` (absolute expiry time, years) and `optionQty[s][p]`; the current contract in
 * that slot is closed first. Setting only `optionQty` resizes the current contract.
 * Forwards: `forwardQty` with `forwardExpiry` closes the current forward at its mark and enters a new
 * one at the fair forward price.
 *
 * Shape: units[a], optionQty[s], optionStrike[s], optionExpiry[s], optionBarrier[s], forwardQty[f],
 * forwardExpiry[f]: Float64Array[nPaths]; force: Uint8Array[nPaths].
 */
import type { BookView } from './book.ts';

export class Targets {
  readonly nPaths: number;
  readonly units: Float64Array[];
  readonly optionQty: Float64Array[] = [];
  readonly optionStrike: Float64Array[] = [];
  readonly optionExpiry: Float64Array[] = [];
  readonly optionBarrier: Float64Array[] = [];
  readonly forwardQty: Float64Array[] = [];
  readonly forwardExpiry: Float64Array[] = [];
  /** 1 = trade this path's unit targets now, whatever the rebalancing policy says. */
  readonly force: Uint8Array;

  constructor(nPaths: number, nAssets: number) {
    this.nPaths = nPaths;
    this.units = Array.from({ length: nAssets }, () => new Float64Array(nPaths));
    this.force = new Uint8Array(nPaths);
  }

  /** Grows the option/forward arrays to match the slots the strategy declared in the book. */
  matchSlots(book: BookView): void {
    const f = () => new Float64Array(this.nPaths);
    while (this.optionQty.length < book.options.length) {
      this.optionQty.push(f());
      this.optionStrike.push(f());
      this.optionExpiry.push(f());
      this.optionBarrier.push(f());
    }
    while (this.forwardQty.length < book.forwards.length) {
      this.forwardQty.push(f());
      this.forwardExpiry.push(f());
    }
  }

  /** Clears every target to NaN and `force` to 0. */
  reset(): void {
    for (const a of this.units) a.fill(Number.NaN);
    for (const a of this.optionQty) a.fill(Number.NaN);
    for (const a of this.optionStrike) a.fill(Number.NaN);
    for (const a of this.optionExpiry) a.fill(Number.NaN);
    for (const a of this.optionBarrier) a.fill(Number.NaN);
    for (const a of this.forwardQty) a.fill(Number.NaN);
    for (const a of this.forwardExpiry) a.fill(Number.NaN);
    this.force.fill(0);
  }
}
