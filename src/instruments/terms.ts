/**
 * Instruments as plain data: what a contract is, separate from how it is priced (pricing/), how
 * the market moves (paths/) and how much of it a book holds (portfolio/).
 *
 * `*Terms` describe the kind of contract shared by every path of a position line (underlying,
 * call/put, exercise style, barrier kind); the per-contract numbers (strike, expiry, barrier level)
 * are separate, because in a Monte-Carlo book they differ per path (a put struck at 90 % of each
 * path's spot). A `Contract` is one concrete contract: terms plus scalar strike, expiry and barrier,
 * with a stable id such as `SPX put K=95 T=0.25`.
 *
 * Units: strike and barrier level in currency; expiry in years (absolute time on the run's clock
 * for engine lines, time to expiry for a standalone book); rebate in currency per unit.
 * References: QuantLib's Instrument / Payoff / Exercise split (as data, without observers).
 */
import type { BarrierType } from '../pricing/barrier.ts';
import type { DigitalPayoff } from '../pricing/digital.ts';
import type { OptionType } from '../pricing/types.ts';

export type { BarrierType, DigitalPayoff, OptionType };

/** Exercise style of an option. */
export type ExerciseStyle = 'european' | 'american';

/** A single barrier's kind; its level is per contract (see `Contract.barrier`). */
export interface BarrierTerms {
  readonly type: BarrierType;
  /** Paid per unit of underlying: at the hit for knock-outs, at expiry for knock-ins never hit. */
  readonly rebate: number;
}

/** The underlying itself (a share, a bond fund, a commodity). */
export interface AssetTerms {
  readonly kind: 'asset';
  /** Index of the asset in the market's asset list. */
  readonly asset: number;
}

/** A call or put, European or American, optionally with a single barrier (European only). */
export interface OptionTerms {
  readonly kind: 'option';
  readonly asset: number;
  readonly type: OptionType;
  readonly style: ExerciseStyle;
  readonly barrier?: BarrierTerms;
}

/** A cash-or-nothing (pays `cash`) or asset-or-nothing digital, European. */
export interface DigitalTerms {
  readonly kind: 'digital';
  readonly asset: number;
  readonly type: OptionType;
  readonly payoff: DigitalPayoff;
  /** Cash amount of a cash-or-nothing digital (default 1). */
  readonly cash?: number;
}

/**
 * A forward or future on an asset: pays S_T − K at expiry, K the delivery price (the strike field
 * of the contract). A future is marked like a forward (deterministic rates: the two prices agree).
 */
export interface ForwardTerms {
  readonly kind: 'forward' | 'future';
  readonly asset: number;
}

/** Every instrument kind the book can hold. */
export type InstrumentTerms = AssetTerms | OptionTerms | DigitalTerms | ForwardTerms;

/** Instruments whose position lines carry a strike and an expiry (everything but the asset). */
export type DerivativeTerms = OptionTerms | DigitalTerms | ForwardTerms;

/** One concrete contract: terms plus scalar strike / expiry / barrier level, with an id. */
export interface Contract {
  readonly id: string;
  readonly terms: InstrumentTerms;
  /** Strike (options, digitals) or delivery price (forwards), currency; unused for assets. */
  readonly strike: number;
  /** Expiry, years; Infinity for an asset. */
  readonly expiry: number;
  /** Barrier level, currency (barrier options only). */
  readonly barrier?: number;
}

/** Shortest round-trip text of a number for ids: 95 → `95`, 0.25 → `0.25`, 1/3 → `0.333333`. */
function num(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6)));
}

/**
 * The id of a contract from its terms and numbers, e.g. `SPX put K=95 T=0.25`,
 * `SPX down-out put K=100 H=80 T=1`, `WTI forward K=61.2 T=0.5`, `SPX` (the asset).
 * Ledger rows and reports name traded contracts with it.
 * @param assetName the underlying's display name
 * @example contractId({ kind: 'option', asset: 0, type: 'put', style: 'european' }, 'SPX', 95, 0.25)
 *   // returns 'SPX put K=95 T=0.25'
 */
export function contractId(
  terms: InstrumentTerms,
  assetName: string,
  strike: number,
  expiry: number,
  barrier?: number,
): string {
  switch (terms.kind) {
    case 'asset':
      return assetName;
    case 'forward':
    case 'future':
      return `${assetName} ${terms.kind} K=${num(strike)} T=${num(expiry)}`;
    case 'digital':
      return `${assetName} ${terms.payoff}-digital ${terms.type} K=${num(strike)} T=${num(expiry)}`;
    case 'option': {
      const style = terms.style === 'american' ? 'american ' : '';
      const b = terms.barrier;
      const h = b && barrier !== undefined ? ` H=${num(barrier)}` : '';
      return `${assetName} ${style}${b ? `${b.type} ` : ''}${terms.type} K=${num(strike)}${h} T=${num(expiry)}`;
    }
  }
}

/** True for knock-in barriers (the contract is a vanilla once the barrier was touched). */
export function isKnockIn(b: BarrierTerms | undefined): boolean {
  return b !== undefined && (b.type === 'down-in' || b.type === 'up-in');
}

/** True for down barriers (hit from above). */
export function isDownBarrier(b: BarrierTerms): boolean {
  return b.type === 'down-in' || b.type === 'down-out';
}
