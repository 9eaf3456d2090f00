/**
 * Transaction-cost model. Defaults live in the scenario schema (src/config); the values here are
 * what `costModel({})` means: no costs.
 *
 * - Assets: proportional cost in basis points of traded notional, per asset class.
 * - Options: half of a bid/ask spread paid on every trade, either as a fraction of the option's
 *   price (`spreadFraction`, 0.05 = bid/ask 5 % of mid) or in vol points (`spreadVolPoints`, 0.01 =
 *   bid at σ − 0.5 pt, ask at σ + 0.5 pt, priced through vega), plus a fee per contract.
 */
import type { AssetClass } from '../market/asset.ts';

export interface CostModel {
  /** Proportional cost per asset class, basis points of notional (10 bp = 0.001). */
  readonly bps: Readonly<Record<AssetClass, number>>;
  /** Options: full bid/ask spread as a fraction of the mid price. */
  readonly optionSpreadFraction: number;
  /** Options: full bid/ask spread in vol (0.01 = 1 vol point); applied through the option's vega. */
  readonly optionSpreadVol: number;
  /** Fee per option contract. */
  readonly optionFeePerContract: number;
  /** Units of underlying per option contract (for the per-contract fee). */
  readonly contractMultiplier: number;
}

export interface CostInput {
  bps?: Partial<Record<AssetClass, number>>;
  optionSpreadFraction?: number;
  optionSpreadVol?: number;
  optionFeePerContract?: number;
  contractMultiplier?: number;
}

/** Builds a complete cost model; omitted fields cost nothing. */
export function costModel(input: CostInput = {}): CostModel {
  return {
    bps: { equity: 0, bond: 0, commodity: 0, fx: 0, ...input.bps },
    optionSpreadFraction: input.optionSpreadFraction ?? 0,
    optionSpreadVol: input.optionSpreadVol ?? 0,
    optionFeePerContract: input.optionFeePerContract ?? 0,
    contractMultiplier: input.contractMultiplier ?? 1,
  };
}
