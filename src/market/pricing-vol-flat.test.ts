/**
 * `PricingVol.flat`: without a smile, `fill` gives every strike and expiry the same vol (what lets
 * the one-path vanilla batch fill once per asset and copy); with one, it says so (fast-check, seeded).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testView } from '../../test/support/market-view.ts';
import type { MarketView } from './market-view.ts';
import { type PricingVolSpec, pricingVol } from './pricing-vol.ts';

const smile = { skew: -0.5, curvature: 1, termSlope: 0.01 };
const specs: PricingVolSpec[] = [
  { kind: 'constant', vol: [0.2, 0.3] },
  { kind: 'model' },
  { kind: 'ewma', lambda: 0.94, initial: [0.2, 0.25] },
  { kind: 'garch', omega: 1e-6, alpha: 0.08, beta: 0.9, initial: 0.2 },
];

function view(n: number, r: readonly number[]): MarketView {
  const assets = [
    { name: 'A', assetClass: 'equity' as const, spot: 100 },
    { name: 'B', assetClass: 'equity' as const, spot: 50 },
  ];
  return testView(assets, [100, 50], {
    nPaths: n,
    vol: [new Float64Array(n).fill(0.21), new Float64Array(n).fill(0.33)],
    logReturn: r.map((x) => new Float64Array(n).fill(x)),
  });
}

describe('PricingVol.flat', () => {
  it.each(specs.map((s) => [s.kind, s] as const))(
    '%s: flat without a smile, not flat with one',
    (_, spec) => {
      expect(pricingVol(spec).flat).toBe(true);
      expect(pricingVol({ ...spec, smile }).flat).toBe(false);
    },
  );

  it.each(specs.map((s) => [s.kind, s] as const))(
    '%s without a smile: fill ignores strike and time to expiry',
    (_, spec) => {
      fc.assert(
        fc.property(
          fc.array(fc.double({ min: -0.1, max: 0.1, noNaN: true }), { minLength: 2, maxLength: 2 }),
          fc.double({ min: 1, max: 500, noNaN: true }),
          fc.double({ min: 1e-6, max: 5, noNaN: true }),
          fc.integer({ min: 0, max: 1 }),
          (r, K, tau, a) => {
            const pv = pricingVol(spec);
            pv.reset(1, 2);
            const v = view(1, r);
            pv.update(v);
            const x = new Float64Array(1);
            const y = new Float64Array(1);
            pv.fill(v, a, Float64Array.of(K), Float64Array.of(tau), x);
            pv.fill(v, a, Float64Array.of(100), Float64Array.of(1), y);
            expect(Object.is(x[0], y[0])).toBe(true);
          },
        ),
        { seed: 20261203, numRuns: 100 },
      );
    },
  );
});
