/**
 * A MarketView for tests that need one step's market and not a path source: `nPaths` paths (1 by
 * default), each asset's spot the same on every path, model vols and log returns 0, and the step's
 * clock by default (step 1, t = 0.01, dt = dtNext = 0.01, 100 steps a year, horizon 1, rate 2 %);
 * any field can be given instead.
 *
 * @example
 * testView(assets, [100, 50], { rate: 0.03 }) // one path, spots 100 and 50
 */
import type { AssetSpec } from '../../src/market/asset.ts';
import type { MutableMarketView } from '../../src/market/market-view.ts';

export function testView(
  assets: readonly AssetSpec[],
  spots: readonly number[],
  fields: Partial<Omit<MutableMarketView, 'assets'>> = {},
): MutableMarketView {
  const n = fields.nPaths ?? 1;
  const f = () => new Float64Array(n);
  return {
    nPaths: n,
    assets,
    step: 1,
    t: 0.01,
    dt: 0.01,
    dtNext: 0.01,
    final: false,
    end: 1,
    stepsPerYear: 100,
    rate: 0.02,
    spot: spots.map((s) => f().fill(s)),
    vol: assets.map(f),
    logReturn: assets.map(f),
    date: undefined,
    ...fields,
  };
}
