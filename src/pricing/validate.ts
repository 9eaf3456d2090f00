/**
 * Precondition checks shared by the scalar pricing APIs (batch kernels never throw): each failure
 * is a DomainError naming the parameter, its value and the rule, e.g. `vol (-0.2) must be >= 0`.
 */
import { DomainError } from '../core/errors.ts';

/** 'call' or 'put', else DomainError. */
export function requireOptionType(type: unknown): void {
  if (type !== 'call' && type !== 'put') throw new DomainError('type', type, "must be 'call' or 'put'");
}

export interface MarketInputs {
  readonly spot: number;
  readonly strike: number;
  readonly expiry: number;
  readonly rate: number;
  readonly dividend: number;
  readonly vol: number;
}

/**
 * Checks spot > 0 (named `spotName`, e.g. 'forward'), strike > 0, expiry > 0 (or >= 0 when
 * `allowZeroExpiry`), finite rate and dividend, vol >= 0 — in that order.
 */
export function requireMarketInputs(m: MarketInputs, spotName = 'spot', allowZeroExpiry = false): void {
  if (!(Number.isFinite(m.spot) && m.spot > 0)) throw new DomainError(spotName, m.spot, 'must be > 0');
  if (!(Number.isFinite(m.strike) && m.strike > 0)) throw new DomainError('strike', m.strike, 'must be > 0');
  if (!(Number.isFinite(m.expiry) && (allowZeroExpiry ? m.expiry >= 0 : m.expiry > 0)))
    throw new DomainError(
      'expiry',
      m.expiry,
      allowZeroExpiry ? 'must be >= 0 (years)' : 'must be > 0 (years)',
    );
  if (!Number.isFinite(m.rate)) throw new DomainError('rate', m.rate, 'must be a finite number');
  if (!Number.isFinite(m.dividend)) throw new DomainError('dividend', m.dividend, 'must be a finite number');
  if (!(Number.isFinite(m.vol) && m.vol >= 0)) throw new DomainError('vol', m.vol, 'must be >= 0');
}
