/**
 * Deprecated names of the pricing vol (src/market/pricing-vol.ts), kept so that existing imports
 * compile: `VolInputSpec` = {@link PricingVolSpec}, `VolInput` = {@link PricingVol},
 * `volInput` = {@link pricingVol}. New code imports pricing-vol.ts.
 *
 * References: docs/glossary.md ("pricing vol", "model vol").
 */
import { type PricingVol, type PricingVolSpec, pricingVol } from './pricing-vol.ts';

export type { PricingVol, PricingVolSpec, SmileSpec } from './pricing-vol.ts';
export { pricingVol } from './pricing-vol.ts';

/**
 * @deprecated Use {@link PricingVolSpec} (same type).
 * @example const s: VolInputSpec = { kind: 'constant', vol: 0.2 }; // a 20 % pricing vol
 */
export type VolInputSpec = PricingVolSpec;

/**
 * @deprecated Use {@link PricingVol} (same type).
 * @example const v: VolInput = pricingVol({ kind: 'constant', vol: 0.2 }); // fills 0.2
 */
export type VolInput = PricingVol;
export { DEFAULT_MIN_VOL, smileVol } from './pricing-vol.ts';

/**
 * @deprecated Use {@link pricingVol} (the same function).
 * @example volInput({ kind: 'constant', vol: 0.2 }) === undefined; // false: a PricingVol filling 0.2
 */
export const volInput: (spec: PricingVolSpec) => PricingVol = pricingVol;
