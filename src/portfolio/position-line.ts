/**
 * A position line: one contract kind (terms shared by all paths) held with per-path quantity,
 * strike, expiry and barrier level — e.g. "the SPX 3-month put bought at this roll", struck at 90 %
 * of each path's spot. Strategies open lines through the TargetSink at any step, as many as they
 * need (strikes × expiries per asset, long and short); a line that holds nothing on any path after
 * settlement, or that its owner closed, frees its place for the next one.
 *
 * A line's id (`LineId`) is unique within a book for the whole run: once the line is freed the id
 * no longer resolves (`BookView.line(id)` returns undefined), so a stale id can never read another
 * contract's data.
 *
 * Shape: every per-path array [nPaths].
 */
import type { DerivativeTerms } from '../instruments/terms.ts';
import { contractId } from '../instruments/terms.ts';
import { type GreeksBlock, greeksBlock } from './contract-pricer.ts';
import type { LineArena } from './line-arena.ts';

/** Identifies a position line within a book (unique for the run). */
export type LineId = number;

/** What strategies see of a line: read-only. */
export interface PositionLineView {
  readonly id: LineId;
  readonly terms: DerivativeTerms;
  /** Units of underlying held; + long, − short. */
  readonly qty: Float64Array;
  /** Strike (options, digitals) or delivery price (forwards), currency. */
  readonly strike: Float64Array;
  /** Absolute expiry time, years since inception. */
  readonly expiry: Float64Array;
  /** Barrier level (barrier options; NaN otherwise), currency. */
  readonly barrier: Float64Array;
  /** 1 once the barrier was touched (knocked in, or out and closed). */
  readonly knocked: Uint8Array;
  /** Per-unit price and Greeks after the last mark (0 where qty = 0). */
  readonly greeks: GreeksBlock;
  /** Pricing vol used by the last mark. */
  readonly vol: Float64Array;
  /** Slot index in the one-path book's `BookView.arena` (−1 when the book has no arena). */
  readonly slot: number;
}

/** The book's mutable line (the executor and the book write it; strategies see the view). */
export class PositionLine implements PositionLineView {
  id: LineId = -1;
  terms: DerivativeTerms = { kind: 'forward', asset: 0 };
  /** Display name of the underlying (for contract ids in ledgers). */
  assetName = '';
  /** Whether the line is in use. */
  active = false;
  /** Opened during the current step (marked by the executor before its first trade). */
  fresh = false;
  /** Its owner asked to close it (freed after execution where every quantity is 0). */
  closing = false;
  /** The book's mark count when Γ and ν were last computed on demand (Book.ensureFirstOrder). */
  ensured = -1;
  /** The book's mark count when its price was last computed (Book.ensurePrice). */
  priced = -1;
  /**
   * The earliest expiry over the line's paths (NaN entries left out), set with `expiry` when the
   * line is opened or restored: while `firstExpiry − t` exceeds the settlement tolerance no position
   * is due, and the mark's settlement only counts the live ones. NaN when unknown (a full scan).
   */
  firstExpiry = Number.NaN;
  /**
   * The strike and the expiry every path of the line holds (`sharedOf` of contract-pricer.ts), set
   * with the arrays when the line is opened or restored; NaN where they differ between paths (or are
   * NaN). A mark of such a line prices one contract on many spots (ContractPricer's Δ-alone route).
   */
  oneStrike = Number.NaN;
  oneExpiry = Number.NaN;
  /**
   * Index of the line's slot in a one-path book's LineArena (its arrays are views of that slot;
   * re-bound when the arena grows), −1 for a line that owns its arrays.
   */
  slot = -1;
  // Mutable for LineArena.bind only; strategies see them read-only (PositionLineView).
  qty: Float64Array;
  strike: Float64Array;
  expiry: Float64Array;
  barrier: Float64Array;
  knocked: Uint8Array;
  greeks: GreeksBlock;
  vol: Float64Array;

  /** A line of `nPaths` paths owning its arrays, or bound to slot `s` of `arena` (one path). */
  constructor(nPaths: number, arena?: LineArena, s?: number) {
    const f = () => new Float64Array(arena ? 0 : nPaths);
    this.qty = f();
    this.strike = f();
    this.expiry = f();
    this.barrier = f();
    this.knocked = new Uint8Array(arena ? 0 : nPaths);
    this.greeks = greeksBlock(arena ? 0 : nPaths);
    this.vol = f();
    if (arena !== undefined) arena.bind(this, s as number);
  }

  /** The id of path p's contract, e.g. `SPX put K=95 T=0.25` (ledgers). */
  contractId(p: number): string {
    const b = this.terms.kind === 'option' && this.terms.barrier ? this.barrier[p] : undefined;
    return contractId(this.terms, this.assetName, this.strike[p], this.expiry[p], b);
  }
}

/** The least non-NaN entry of `a` (+∞ when there is none): a line's `firstExpiry`. */
export function leastOf(a: Float64Array): number {
  let m = Number.POSITIVE_INFINITY;
  for (let p = 0; p < a.length; p++) if (a[p] < m) m = a[p];
  return m;
}
