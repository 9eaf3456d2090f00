/**
 * What a strategy asks for at one step — targets, not orders (Lean's PortfolioTarget): the executor
 * turns them into trades with costs, where the rebalancing policy lets them trade.
 *
 * Every target has an explicit has-target mask (no NaN-as-no-target): `units(a)` returns asset a's
 * target array and marks every path as targeted (clear `hasUnits[a][p]` to leave path p alone);
 * `qty(line)` does the same for a position line. `open` opens a new line (per-path strike, absolute
 * expiry, barrier) and returns its id; `close` targets 0 on every path and frees the line once
 * nothing is held. Line targets execute in the order the strategy first touched the lines, then the
 * asset targets — so a roll (close the old line, open the new) pays for both from the same cash.
 * `force[p] = 1` trades path p now whatever the rebalancing policy says.
 *
 * The sink is reset before every `decide`: masks to 0, the touched list emptied. No allocation
 * per step once the book's line count is stable.
 *
 * Shape: units[a], hasUnits[a]: [nPaths]; force: [nPaths].
 */
import type { DerivativeTerms } from '../instruments/terms.ts';
import type { MarketView } from '../market/market-view.ts';
import type { ExecArena } from '../wasm/exec-kernel.ts';
import type { Book } from './book.ts';
import type { LineId, PositionLine } from './position-line.ts';

export class TargetSink {
  readonly nPaths: number;
  /**
   * Target units per asset (read where hasUnits = 1). An overlay may replace an asset's array (and
   * its mask) by one of the same length elsewhere — the WebAssembly vol-target step keeps them in
   * its memory — so fetch them from the sink every step; never keep them across steps.
   */
  readonly unitTargets: Float64Array[];
  readonly hasUnits: Uint8Array[];
  /** 1 = trade this path now, whatever the rebalancing policy says. */
  readonly force: Uint8Array;
  /** All zeros, never written: the has-mask of "no asset" for the executor's fused passes. */
  readonly none: Uint8Array;
  /** Target quantity per book slot, and its mask. */
  readonly lineTargets: Float64Array[] = [];
  readonly hasQty: Uint8Array[] = [];
  /**
   * The book's executor arena, where the unit targets, force and the book's value live (several
   * paths, the kernels on): a strategy's WebAssembly pass may write the targets there in place.
   */
  readonly exec: ExecArena | undefined;
  /** Slots touched this step, in order; `touchedCount` of them are valid. */
  touched = new Int32Array(8);
  touchedCount = 0;
  private readonly book: Book;
  private view: MarketView | undefined;

  constructor(book: Book) {
    this.book = book;
    this.nPaths = book.nPaths;
    // In the book's executor memory when it has one (the WebAssembly asset trades read them there).
    const ex = book.exec;
    this.exec = ex;
    const f = () => (ex ? ex.f64() : new Float64Array(book.nPaths));
    const u = () => (ex ? ex.u8() : new Uint8Array(book.nPaths));
    this.unitTargets = book.assets.map(() => f());
    this.hasUnits = book.assets.map(() => u());
    this.force = u();
    this.none = u();
  }

  /** Clears every mask and the touched list (the engine calls this before `decide`). */
  reset(view: MarketView): void {
    this.view = view;
    for (const h of this.hasUnits) h.fill(0);
    for (let i = 0; i < this.touchedCount; i++) this.hasQty[this.touched[i]].fill(0);
    this.touchedCount = 0;
    this.force.fill(0);
  }

  /** Asset a's unit targets, every path marked as targeted. Shape: [nPaths]. */
  units(a: number): Float64Array {
    this.hasUnits[a].fill(1);
    return this.unitTargets[a];
  }

  /**
   * Asset a's unit targets on every path from a position: ratio·qty·greek where qty ≠ 0 and 0 where
   * nothing is held — e.g. ratio −1 with a line's quantities and Δ: the units that make it delta
   * neutral. In WebAssembly when the three arrays live in the book's executor memory (the same bits).
   */
  hedgeUnits(a: number, qty: Float64Array, greek: Float64Array, ratio: number): void {
    const target = this.units(a);
    if (this.exec?.hedgeUnits(target, qty, greek, ratio)) return;
    for (let p = 0; p < target.length; p++) {
      const q = qty[p];
      target[p] = q === 0 ? 0 : ratio * q * greek[p];
    }
  }

  /** Sets asset a's unit targets on every path from `values`. */
  setUnits(a: number, values: Float64Array): void {
    this.units(a).set(values);
  }

  private slotOf(id: LineId): number {
    const line = this.book.line(id);
    if (!line) return -1;
    // A line keeps its slot while it lives: looked up once, not scanned for at every call.
    const slots = this.book.slots;
    let s = this.slotCache.get(line);
    if (s === undefined || slots[s] !== line) {
      s = slots.indexOf(line);
      this.slotCache.set(line, s);
    }
    while (this.lineTargets.length <= s) {
      this.lineTargets.push(new Float64Array(this.nPaths));
      this.hasQty.push(new Uint8Array(this.nPaths));
    }
    return s;
  }

  private touch(s: number): void {
    for (let i = 0; i < this.touchedCount; i++) if (this.touched[i] === s) return;
    if (this.touchedCount === this.touched.length) {
      const grown = new Int32Array(this.touched.length * 2);
      grown.set(this.touched);
      this.touched = grown;
    }
    this.touched[this.touchedCount++] = s;
  }

  /**
   * A line's quantity targets (units of underlying, + long), every path marked as targeted.
   * A stale id (line already freed) returns a scratch array that nothing reads.
   */
  qty(id: LineId): Float64Array {
    const s = this.slotOf(id);
    if (s < 0) return (this.stale ??= new Float64Array(this.nPaths));
    this.touch(s);
    this.hasQty[s].fill(1);
    return this.lineTargets[s];
  }

  /** The has-target mask of a line's quantities (clear entries to leave paths alone). */
  qtyMask(id: LineId): Uint8Array {
    const s = this.slotOf(id);
    if (s < 0) return (this.staleMask ??= new Uint8Array(this.nPaths));
    this.touch(s);
    return this.hasQty[s];
  }

  /**
   * Opens a new position line holding nothing yet; set its quantities with `qty(id)`.
   * Forwards / futures opened with strike NaN get the fair delivery price.
   * Shape: strike, expiry, barrier: [nPaths] or one number for all paths.
   */
  open(
    terms: DerivativeTerms,
    strike: Float64Array | number,
    expiry: Float64Array | number,
    barrier?: Float64Array | number,
  ): LineId {
    const id = this.book.openLine(terms, this.view!, strike, expiry, barrier);
    this.touch(this.slotOf(id));
    return id;
  }

  /** Targets 0 on every path of a line and frees it once nothing is held. */
  close(id: LineId): void {
    const line = this.book.line(id);
    if (!line) return;
    this.qty(id).fill(0);
    line.closing = true;
  }

  private readonly slotCache = new WeakMap<PositionLine, number>();
  private stale: Float64Array | undefined;
  private staleMask: Uint8Array | undefined;
}
