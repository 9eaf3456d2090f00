/**
 * Builds the path generators of the named market regimes (src/market/regimes.ts holds their
 * parameters per asset class): regime switching, scheduled-jump scenarios, historical replays and
 * block bootstraps of the shipped history.
 */
import { fileURLToPath } from 'node:url';
import { TRADING_DAYS_PER_YEAR } from '../core/time.ts';
import type { AssetClass, AssetSpec } from '../market/asset.ts';
import { loadPriceHistory } from '../market/history-csv.ts';
import type { PriceHistory } from '../market/price-history.ts';
import type { RateModel } from '../market/rate.ts';
import { assetCorrelation, type PresetModel, regimeModel } from '../market/regimes.ts';
import { StationaryBootstrap } from './bootstrap.ts';
import { type RegimeSpec, RegimeSwitchingGenerator } from './regime-switching.ts';
import { HistoricalReplay } from './replay.ts';
import { ScheduledJumpGenerator } from './scheduled-jumps.ts';
import type { PathGenerator } from './types.ts';

/** Options of a preset factory. */
export interface RegimePresetOptions {
  /** History for the `hist-*` presets; default data/eustockmarkets.csv (read for each generator). */
  readonly history?: PriceHistory;
  /** Asset name → history column overrides for the `hist-*` presets. */
  readonly columns?: Readonly<Record<string, string>>;
}

/** Builds a PathGenerator for a book's assets. */
export type PathGeneratorFactory = (
  assets: readonly AssetSpec[],
  rate: RateModel,
  opts?: RegimePresetOptions,
) => PathGenerator;

/**
 * data/eustockmarkets.csv, read afresh for each generator (~20 ms): no module-level cache, so no
 * run can see arrays another run holds. Callers that build many generators pass `history` once.
 */
function shippedHistory(): PriceHistory {
  return loadPriceHistory(fileURLToPath(new URL('../../data/eustockmarkets.csv', import.meta.url)));
}

function perAsset(assets: readonly AssetSpec[], f: (c: AssetClass) => number): number[] {
  return assets.map((a) => f(a.assetClass));
}

function build(
  model: PresetModel,
  assets: readonly AssetSpec[],
  rate: RateModel,
  opts?: RegimePresetOptions,
): PathGenerator {
  switch (model.kind) {
    case 'regime-switching': {
      const regimes: RegimeSpec[] = model.regimes.map((r) => ({
        name: r.name,
        drift: perAsset(assets, (c) => r.dynamics[c].drift),
        vol: perAsset(assets, (c) => r.dynamics[c].vol),
        correlation: assetCorrelation(assets, r.correlation),
        jumpIntensity: r.jumpIntensity,
        jumpMean: perAsset(assets, (c) => r.dynamics[c].jumpMean ?? 0),
        jumpStd: perAsset(assets, (c) => r.dynamics[c].jumpStd ?? 0),
      }));
      return new RegimeSwitchingGenerator({
        assets,
        rate,
        regimes,
        transition: { kind: 'generator', matrix: model.generator },
        initialRegime: model.initialRegime,
      });
    }
    case 'scheduled-jumps':
      return new ScheduledJumpGenerator({
        assets,
        rate,
        drift: perAsset(assets, (c) => model.dynamics[c].drift),
        vol: perAsset(assets, (c) => model.dynamics[c].vol),
        meanReversion: perAsset(assets, (c) => model.dynamics[c].meanReversion ?? 0),
        correlation: assetCorrelation(assets, model.correlation),
        shocks: model.shocks.map((s) => ({
          time: s.day / TRADING_DAYS_PER_YEAR,
          gap: perAsset(assets, (c) => s.gap[c]),
          volMultiplier: perAsset(assets, (c) => s.volMultiplier[c]),
          volHalfLife: s.halfLifeDays / TRADING_DAYS_PER_YEAR,
        })),
        phases: model.phases.map((p) => {
          const years = (p.endDay - p.startDay) / TRADING_DAYS_PER_YEAR;
          return {
            start: p.startDay / TRADING_DAYS_PER_YEAR,
            end: p.endDay / TRADING_DAYS_PER_YEAR,
            logDrift: perAsset(assets, (c) => p.logMove[c] / years),
          };
        }),
      });
    case 'replay':
      return new HistoricalReplay(opts?.history ?? shippedHistory(), {
        from: model.from,
        to: model.to,
        assets,
        rate,
        columns: opts?.columns,
      });
    case 'bootstrap':
      return new StationaryBootstrap(opts?.history ?? shippedHistory(), {
        meanBlockLength: model.meanBlockLength,
        from: model.from,
        to: model.to,
        assets,
        rate,
        columns: opts?.columns,
      });
  }
}

/**
 * The factory of the preset `name`: `(assets, rate, opts?) => PathGenerator`, parameters chosen per
 * asset class. Historical presets read `opts.history` (default data/eustockmarkets.csv).
 *
 * @throws DomainError for an unknown name, listing the valid ones:
 *   `regime ("boom") must be one of: calm-bull, bear-grind, …`. The factory throws DomainError on an
 *   invalid asset list (as the generators do).
 * @example
 * const gen = regimePreset('crash')([{ name: 'SPX', assetClass: 'equity', spot: 100 }], constantRate(0.02));
 * // a ScheduledJumpGenerator: S(t₂₁)/S(t₂₀) ≈ 0.80 on a daily grid
 * References: docs/regimes.md; Hamilton (1989); Politis & Romano (1994).
 */
export function regimePreset(name: string): PathGeneratorFactory {
  const model = regimeModel(name);
  return (assets, rate, opts) => build(model, assets, rate, opts);
}
