/**
 * P&L attribution: per-path Greek explain of a position's value change (docs/attribution.md).
 */
export {
  ATTRIBUTION_COMPONENTS,
  type AttributionComponent,
  type AttributionFlows,
  type AttributionGreeks,
  type AttributionMove,
  type AttributionSnapshot,
  type AttributionSummary,
  type ComponentStats,
  PnlAttribution,
  type PnlAttributionOptions,
} from './pnl-attribution.ts';
