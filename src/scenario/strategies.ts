/**
 * Scenario strategy entries → Strategy objects: one factory per `kind` (src/strategies/<kind>.ts),
 * with the scenario-level defaults filled in (sleeve weights = the portfolio's, floor = the
 * scenario's floor, option tenor = the horizon). Parameters left out of the file stay undefined, so
 * the strategy's own default applies (docs/strategies/<kind>.md).
 */
import type { Scenario, StrategyConfig } from '../config/scenario.ts';
import { strategyLabel } from '../config/scenario.ts';
import { barrierPut } from '../strategies/barrier-put.ts';
import { buyAndHold } from '../strategies/buy-and-hold.ts';
import { collar } from '../strategies/collar.ts';
import { constantMix } from '../strategies/constant-mix.ts';
import { cppi } from '../strategies/cppi.ts';
import { deltaHedge } from '../strategies/delta-hedge.ts';
import { protectivePut } from '../strategies/protective-put.ts';
import { putSpread } from '../strategies/put-spread.ts';
import { syntheticPut } from '../strategies/synthetic-put.ts';
import { tipp } from '../strategies/tipp.ts';
import type { Strategy } from '../strategies/types.ts';

/** Drops undefined fields, so a factory's `params.x ?? default` sees "absent". */
function defined<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

/**
 * Builds the strategy of one scenario entry.
 * Shape: `weights` [nAssets], the portfolio weights unless the entry overrides them.
 * @throws DomainError from the factory for parameters the schema cannot check (e.g. a floor above e^{rT})
 * @example buildStrategy(scenario, { kind: 'cppi', multiplier: 4 }, w).name // 'cppi m=4'
 */
export function buildStrategy(
  scenario: Scenario,
  st: StrategyConfig,
  portfolioWeights: Float64Array,
): Strategy {
  const weights = 'weights' in st && st.weights ? Float64Array.from(st.weights) : portfolioWeights;
  const name = strategyLabel(st);
  const tenor = 'tenor' in st ? (st.tenor ?? scenario.horizon) : scenario.horizon;
  switch (st.kind) {
    case 'buy-and-hold':
      return buyAndHold(defined({ weights, name, riskyFraction: st.riskyFraction }));
    case 'constant-mix':
      return constantMix(defined({ weights, name, riskyFraction: st.riskyFraction }));
    case 'protective-put':
      return protectivePut(
        defined({ weights, name, strike: st.strike, tenor, roll: st.roll, hedgeRatio: st.hedgeRatio }),
      );
    case 'put-spread':
      return putSpread(
        defined({
          weights,
          name,
          longStrike: st.longStrike,
          shortStrike: st.shortStrike,
          tenor,
          roll: st.roll,
        }),
      );
    case 'collar':
      return collar(
        defined({ weights, name, putStrike: st.putStrike, callStrike: st.callStrike, tenor, roll: st.roll }),
      );
    case 'barrier-put':
      return barrierPut(
        defined({
          weights,
          name,
          strike: st.strike,
          barrier: st.barrier,
          barrierType: st.barrierType,
          rebate: st.rebate,
          tenor,
          roll: st.roll,
        }),
      );
    case 'cppi':
    case 'tipp': {
      const base = {
        weights,
        name,
        floor: st.floor ?? scenario.floor.level,
        multiplier: st.multiplier,
        maxExposure: st.maxExposure,
        floorAccrues: st.floorAccrues ?? scenario.floor.accrues,
        tolerance: st.tolerance,
      };
      return st.kind === 'cppi' ? cppi(defined(base)) : tipp(defined({ ...base, ratchet: st.ratchet }));
    }
    case 'synthetic-put':
      return syntheticPut(
        defined({
          weights,
          name,
          floor: st.floor ?? scenario.floor.level,
          floorAccrues: st.floorAccrues ?? scenario.floor.accrues,
          tenor,
          vol: st.vol,
        }),
      );
    case 'delta-hedge': {
      const asset = scenario.portfolio.assets.findIndex((a) => a.name === st.asset);
      // The scenario gives the strike as a fraction of spot, like every other strategy; the factory wants currency.
      const strike = st.strike * scenario.portfolio.assets[asset]!.spot;
      return deltaHedge(defined({ name, asset, type: st.type, strike, tenor, quantity: st.quantity }));
    }
  }
}
