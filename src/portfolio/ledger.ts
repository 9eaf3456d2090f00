/**
 * Trade records. Full per-trade ledgers are kept for a few chosen paths (the others only feed the
 * book's aggregate accounting: fees, premiums, turnover, trade counts), so memory stays
 * O(paths × assets). `hash` gives a stable fingerprint of a trade list for golden tests
 * (Lean's OrderListHash idea).
 */
import { createHash } from 'node:crypto';

export interface TradeRecord {
  /** Global path index. */
  readonly path: number;
  readonly step: number;
  readonly t: number;
  readonly kind: 'asset' | 'option' | 'forward' | 'settle';
  /** Asset name, or the option slot label. */
  readonly instrument: string;
  /** Signed quantity traded (units of underlying). */
  readonly qty: number;
  /** Execution price per unit (mid; costs are separate). */
  readonly price: number;
  /** Transaction cost paid, currency. */
  readonly cost: number;
}

export class Ledger {
  /** recording[p] = 1 for local paths whose trades are kept. */
  readonly recording: Uint8Array;
  /** Whether any local path is recorded (`recording` has a 1). */
  readonly recordsAny: boolean;
  readonly records: TradeRecord[] = [];
  private readonly firstPath: number;

  /**
   * @param nPaths local paths of the chunk
   * @param firstPath global index of local path 0
   * @param keep global path indices to record (e.g. [0, 1, 2])
   */
  constructor(nPaths: number, firstPath: number, keep: readonly number[]) {
    this.recording = new Uint8Array(nPaths);
    this.firstPath = firstPath;
    for (const g of keep) {
      const p = g - firstPath;
      if (p >= 0 && p < nPaths) this.recording[p] = 1;
    }
    this.recordsAny = this.recording.includes(1);
  }

  record(
    p: number,
    step: number,
    t: number,
    kind: TradeRecord['kind'],
    instrument: string,
    qty: number,
    price: number,
    cost: number,
  ): void {
    this.records.push({ path: this.firstPath + p, step, t, kind, instrument, qty, price, cost });
  }
}

/** SHA-256 of the trade list (rounded to 1e-9 so the hash is stable across platforms). */
export function tradeListHash(records: readonly TradeRecord[]): string {
  const h = createHash('sha256');
  for (const r of records) {
    h.update(
      `${r.path}|${r.step}|${r.kind}|${r.instrument}|${r.qty.toFixed(9)}|${r.price.toFixed(9)}|${r.cost.toFixed(9)}\n`,
    );
  }
  return h.digest('hex');
}
