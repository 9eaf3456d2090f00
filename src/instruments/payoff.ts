/**
 * Pure payoff functions at expiry, per unit of underlying. No state: barrier monitoring (whether
 * the barrier was touched) is the caller's, passed in as `touched`.
 *
 * - vanilla: max(ω(S − K), 0), ω = +1 call / −1 put;
 * - knock-out: the vanilla if never touched (a touched knock-out paid its rebate at the hit and is
 *   gone: 0 here); knock-in: the vanilla if touched, else the rebate;
 * - cash-or-nothing digital: cash·1{ω(S − K) > 0}; asset-or-nothing: S·1{ω(S − K) > 0};
 * - forward / future: S − K.
 *
 * References: Hull, Options, Futures and Other Derivatives (10th ed.) ch. 5, 11, 26;
 * Reiner & Rubinstein, "Breaking down the barriers", Risk 4(8) 1991 (rebate conventions).
 */
import type { InstrumentTerms } from './terms.ts';
import { isKnockIn } from './terms.ts';

/**
 * Payoff at expiry per unit of underlying.
 * @param strike strike or delivery price, currency
 * @param spot underlying price at expiry, currency
 * @param touched whether the barrier was touched during the contract's life (barrier options)
 * @example payoff({ kind: 'option', asset: 0, type: 'put', style: 'european' }, 100, 90, false) // returns 10
 * @example payoff({ kind: 'forward', asset: 0 }, 100, 90, false) // returns -10
 */
export function payoff(terms: InstrumentTerms, strike: number, spot: number, touched: boolean): number {
  switch (terms.kind) {
    case 'asset':
      return spot;
    case 'forward':
    case 'future':
      return spot - strike;
    case 'digital': {
      const w = terms.type === 'call' ? 1 : -1;
      if (!(w * (spot - strike) > 0)) return 0;
      return terms.payoff === 'cash' ? (terms.cash ?? 1) : spot;
    }
    case 'option': {
      const w = terms.type === 'call' ? 1 : -1;
      const intrinsic = Math.max(w * (spot - strike), 0);
      const b = terms.barrier;
      if (!b) return intrinsic;
      if (isKnockIn(b)) return touched ? intrinsic : b.rebate;
      return touched ? 0 : intrinsic;
    }
  }
}

/**
 * Whether a spot touches a barrier level: S ≤ H for down barriers, S ≥ H for up barriers.
 * @example touches('down-out', 79, 80) // returns true
 */
export function touches(
  type: 'down-in' | 'down-out' | 'up-in' | 'up-out',
  spot: number,
  level: number,
): boolean {
  return type === 'down-in' || type === 'down-out' ? spot <= level : spot >= level;
}
