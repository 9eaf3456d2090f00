/**
 * The batched marks of European vanillas (VanillaBatchPricer, used by books of few paths)
 * equal the line-by-line marks bit for bit: every Greek, with a smile, scheduled-event variance,
 * expired lines and both the JavaScript and WebAssembly kernels (a batch of ≥ 64 options runs the
 * latter), over random books (fast-check, seeded) — through the general side-by-side layout, and on
 * one path also with the lines in a LineArena (read and written by slot; a batch of ≥ 64 laid out
 * straight in the kernel's staging block), as a live book's marks run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testView } from '../../test/support/market-view.ts';
import type { OptionTerms } from '../instruments/terms.ts';
import type { AssetSpec } from '../market/asset.ts';
import type { MarketView } from '../market/market-view.ts';
import { pricingVol } from '../market/pricing-vol.ts';
import {
  ALL_GREEKS,
  ContractPricer,
  FIRST_ORDER,
  type GreekMask,
  greeksBlock,
  PRICE_DELTA,
} from './contract-pricer.ts';
import { LineArena } from './line-arena.ts';
import { PositionLine } from './position-line.ts';
import { VanillaBatchPricer, type VanillaLine } from './vanilla-batch.ts';

const assets: AssetSpec[] = [
  { name: 'EQ', assetClass: 'equity', spot: 100, carry: 0.015 },
  { name: 'CM', assetClass: 'commodity', spot: 50 },
];

function view(
  n: number,
  s0: readonly number[],
  s1: readonly number[],
  t: number,
  withEvent: boolean,
): MarketView {
  return testView(assets, [], {
    nPaths: n,
    step: 3,
    t,
    dt: 1 / 252,
    dtNext: 1 / 252,
    end: 3,
    stepsPerYear: 252,
    rate: 0.025,
    spot: [Float64Array.from(s0), Float64Array.from(s1)],
    ...(withEvent ? { events: [{ name: 'CPI', t: t + 0.1, variance: 0.03 ** 2, assets: [0] }] } : {}),
  });
}

const line = fc.record({
  asset: fc.integer({ min: 0, max: 1 }),
  type: fc.constantFrom<'call' | 'put'>('call', 'put'),
  moneyness: fc.double({ min: 0.6, max: 1.6, noNaN: true }),
  // Some lines have expired (τ ≤ 0: the dummy τ = 1, as in a mark).
  life: fc.double({ min: -0.05, max: 2.5, noNaN: true }),
});

const MASKS: Record<string, GreekMask> = { PRICE_DELTA, FIRST_ORDER, ALL_GREEKS };

describe('VanillaBatchPricer', () => {
  // [paths, min lines, max lines]: one path and 64+ lines is the live book's case (its inputs laid
  // out in the WebAssembly kernel's staging block, odd and even counts).
  it.each([
    [1, 1, 80],
    [3, 1, 80],
    [1, 64, 260],
  ])('equals line-by-line pricing bit for bit (%i paths per line, %i–%i lines)', (n, minLines, maxLines) => {
    fc.assert(
      fc.property(
        fc.array(line, { minLength: minLines, maxLength: maxLines }),
        fc.array(fc.double({ min: 60, max: 160, noNaN: true }), { minLength: n, maxLength: n }),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom(...Object.keys(MASKS)),
        (specs, spots, smile, withEvent, maskName) => {
          const want = MASKS[maskName];
          const t = 0.3;
          const v = view(
            n,
            spots,
            spots.map((x) => x / 2),
            t,
            withEvent,
          );
          const vols = pricingVol(
            smile
              ? {
                  kind: 'constant',
                  vol: [0.22, 0.35],
                  smile: { skew: -0.6, curvature: 1.2, termSlope: 0.01 },
                }
              : { kind: 'constant', vol: [0.22, 0.35] },
          );
          vols.reset(n, assets.length);
          const make = () =>
            specs.map((sp) => ({
              terms: { kind: 'option', asset: sp.asset, type: sp.type, style: 'european' } as OptionTerms,
              strike: Float64Array.from(v.spot[sp.asset], (s) => sp.moneyness * s),
              expiry: new Float64Array(n).fill(t + sp.life),
              greeks: greeksBlock(n),
              vol: new Float64Array(n),
              slot: -1,
            }));
          const single = make();
          const batched = make();
          const pricer = new ContractPricer(n, assets);
          for (const l of single)
            pricer.price(l.terms, v, vols, l.strike, l.expiry, undefined, undefined, want, l.greeks, l.vol);
          new VanillaBatchPricer(n, assets).price(batched, v, vols, want);
          const variants: VanillaLine[][] = [batched];
          if (n === 1) {
            // A one-path book's lines in a LineArena, in slots that are not their batch order (the
            // arena starts small, so it grows while they are bound, as a book's does).
            const arena = new LineArena(2);
            // A permutation of 0 … L−1 (7919 is a prime above any L here).
            const slots = specs.map((_, i) => (i * 7919) % specs.length);
            const bySlot: PositionLine[] = [];
            const inArena = specs.map((sp, i) => {
              while (slots[i] >= arena.capacity) {
                arena.grow();
                bySlot.forEach((l, k) => {
                  arena.bind(l, k);
                });
              }
              const l = new PositionLine(1, arena, slots[i]);
              bySlot[slots[i]] = l;
              l.terms = { kind: 'option', asset: sp.asset, type: sp.type, style: 'european' };
              arena.describe(slots[i], i, l.terms);
              l.strike[0] = sp.moneyness * v.spot[sp.asset][0];
              l.expiry[0] = t + sp.life;
              return l as PositionLine & VanillaLine;
            });
            new VanillaBatchPricer(n, assets).price(inArena, v, vols, want, arena);
            variants.push(inArena);
          }
          for (const variant of variants)
            for (let i = 0; i < specs.length; i++) {
              const a = single[i];
              const b = variant[i];
              expect(Array.from(b.vol)).toEqual(Array.from(a.vol));
              expect(Array.from(b.greeks.price)).toEqual(Array.from(a.greeks.price));
              expect(Array.from(b.greeks.delta)).toEqual(Array.from(a.greeks.delta));
              for (const g of ['gamma', 'vega', 'theta', 'vanna', 'volga'] as const)
                if (want[g]) expect(Array.from(b.greeks[g]), g).toEqual(Array.from(a.greeks[g]));
            }
        },
      ),
      { seed: 20261203, numRuns: 150 },
    );
  });
});
