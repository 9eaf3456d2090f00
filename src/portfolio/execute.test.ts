import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testView } from '../../test/support/market-view.ts';
import type { AssetClass } from '../market/asset.ts';
import { pricingVol } from '../market/pricing-vol.ts';
import { Book } from './book.ts';
import { costModel } from './costs.ts';
import { executeTargets } from './execute.ts';
import { Ledger } from './ledger.ts';
import { TargetSink } from './target-sink.ts';

const CLASSES: AssetClass[] = ['equity', 'bond', 'commodity'];
const vols = pricingVol({ kind: 'constant', vol: 0.2 });

/**
 * The book's per-path arrays after a few steps of random asset targets: without a trade log, with
 * one that keeps no path of this chunk (both: the fused passes), or with one keeping paths 1 and 3
 * (the asset-by-asset loop, so that records come in asset order).
 */
function run(
  nA: number,
  nPaths: number,
  seed: number,
  log: 'none' | 'empty' | 'some',
): Record<string, number[]> {
  const assets = Array.from({ length: nA }, (_, a) => ({
    name: `A${a}`,
    assetClass: CLASSES[a % 3],
    spot: 50 + a,
  }));
  const book = new Book(nPaths, assets, 1000);
  const sink = new TargetSink(book);
  const costs = costModel({ bps: { equity: 5, bond: 2, commodity: 10 } });
  const ledger = log === 'none' ? undefined : new Ledger(nPaths, 0, log === 'some' ? [1, 3] : [nPaths + 5]);
  const rng = fc.sample(fc.double({ min: -2, max: 2, noNaN: true }), {
    seed,
    numRuns: 4 * nA * nPaths * 3 + 10,
  });
  let k = 0;
  for (let step = 0; step < 3; step++) {
    const spot = assets.map((x) =>
      Float64Array.from({ length: nPaths }, () => x.spot * (1 + 0.1 * rng[k++])),
    );
    const view = testView(assets, [], {
      nPaths,
      step,
      t: step / 252,
      dt: 1 / 252,
      dtNext: 1 / 252,
      stepsPerYear: 252,
      spot,
    });
    sink.reset(view);
    for (let a = 0; a < nA; a++) {
      const u = sink.units(a);
      for (let p = 0; p < nPaths; p++) {
        const r = rng[k++];
        // some paths untouched, some targets equal to the holding, one NaN target
        if (r > 1.5) sink.hasUnits[a][p] = 0;
        u[p] = r < -1.7 ? book.units[a][p] : r > 1.9 ? Number.NaN : 10 * r;
      }
    }
    const mask = Uint8Array.from({ length: nPaths }, () => (rng[k++] > -1.6 ? 1 : 0));
    executeTargets(book, view, vols, sink, mask, costs, ledger);
  }
  const out: Record<string, number[]> = {};
  for (const key of ['cash', 'fees', 'value', 'turnover', 'trades'] as const)
    out[key] = Array.from(book[key]);
  for (let a = 0; a < nA; a++) out[`units${a}`] = Array.from(book.units[a]);
  return out;
}

describe('executeTargets: the fused three-asset passes', () => {
  it('give the same bits as the asset-by-asset loop (the one a trade log of the chunk uses), for 1 to 7 assets', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer(),
        (nA, nPaths, seed) => {
          const fused = run(nA, nPaths, seed, 'none');
          const logged = run(nA, nPaths, seed, 'some');
          expect(fused).toEqual(logged);
          expect(run(nA, nPaths, seed, 'empty')).toEqual(logged);
          // something traded, something was left alone
          expect(fused.trades.some((t) => t > 0)).toBe(true);
        },
      ),
      { numRuns: 60, seed: 20261203 },
    );
  });
});
