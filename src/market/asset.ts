/**
 * Static description of a simulated or traded asset: name, class, spot level and carry.
 */
import { DomainError, requireFinite, requirePositive } from '../core/errors.ts';

/** Broad asset class; informs defaults and reporting only, never the dynamics. */
export type AssetClass = 'equity' | 'bond' | 'commodity' | 'fx';

/**
 * One asset.
 * - `spot`: current level in currency units, > 0.
 * - `carry`: continuous dividend yield (equity), convenience yield net of storage (commodity) or
 *   foreign rate (fx), annualized decimal; default 0. Risk-neutral drift is r − carry.
 */
export interface AssetSpec {
  readonly name: string;
  readonly assetClass: AssetClass;
  readonly spot: number;
  readonly carry?: number;
}

const CLASSES: readonly AssetClass[] = ['equity', 'bond', 'commodity', 'fx'];

/**
 * Checks an asset list and returns the carries as a Float64Array (0 where omitted).
 *
 * Shape: returns [nAssets].
 * @param where - parameter name used in messages, e.g. `assets`.
 * @throws DomainError on an empty list, an empty or duplicate name, an unknown class, a spot that is
 *   not finite and > 0, or a carry that is not finite, e.g. `assets[1].spot (-5) must be > 0`.
 * @example
 * validateAssets([{ name: 'SPX', assetClass: 'equity', spot: 100, carry: 0.02 }]); // returns Float64Array [0.02]
 * References: Hull, Options, Futures and Other Derivatives, ch. 5 (cost of carry).
 */
export function validateAssets(assets: readonly AssetSpec[], where = 'assets'): Float64Array {
  if (assets.length === 0) throw new DomainError(`${where}.length`, 0, 'must be >= 1');
  const carry = new Float64Array(assets.length);
  const seen = new Set<string>();
  for (let i = 0; i < assets.length; i++) {
    const a = assets[i];
    if (!a.name) throw new DomainError(`${where}[${i}].name`, a.name, 'must be a non-empty string');
    if (seen.has(a.name)) throw new DomainError(`${where}[${i}].name`, a.name, 'must be unique');
    seen.add(a.name);
    if (!CLASSES.includes(a.assetClass)) {
      throw new DomainError(
        `${where}[${i}].assetClass`,
        a.assetClass,
        `must be one of ${CLASSES.join(', ')}`,
      );
    }
    requirePositive(`${where}[${i}].spot`, a.spot);
    const q = a.carry ?? 0;
    requireFinite(`${where}[${i}].carry`, q);
    carry[i] = q;
  }
  return carry;
}
