import { describe, expect, it } from 'vitest';
import type { MarketView } from '../market/market-view.ts';
import { pricingVol } from '../market/pricing-vol.ts';
import { constantRate } from '../market/rate.ts';
import { GbmGenerator } from '../paths/gbm.ts';
import { simulate, uniformGrid } from '../paths/types.ts';
import { barrierPrice } from '../pricing/barrier.ts';
import { BGK_BETA, Book } from './book.ts';

const S0 = 100;
const K = 100;
const H = 85;
const sigma = 0.25;
const r = 0.03;
const T = 0.5;
const nSteps = 126; // daily monitoring

function viewAt0(): MarketView {
  return {
    nPaths: 1,
    assets: [{ name: 'EQ', assetClass: 'equity', spot: S0 }],
    step: 0,
    t: 0,
    dt: 0,
    dtNext: T / nSteps, // daily monitoring: the source's coming step
    final: false,
    end: T,
    stepsPerYear: 252,
    rate: r,
    spot: [Float64Array.of(S0)],
    vol: [Float64Array.of(sigma)],
    logReturn: [new Float64Array(1)],
    date: undefined,
  };
}

/** A down-and-out put line K = 100, H = 85, priced at the view. */
function barrierLine(view: MarketView) {
  const book = new Book(1, view.assets, 100);
  const terms = {
    kind: 'option',
    asset: 0,
    type: 'put',
    style: 'european',
    barrier: { type: 'down-out', rebate: 0 },
  } as const;
  const line = book.line(book.openLine(terms, view, K, T, H))!;
  line.qty[0] = 1;
  book.price(line, view, pricingVol({ kind: 'constant', vol: sigma }));
  return line;
}

describe('book: discretely monitored barriers', () => {
  it('prices with the BGK-shifted barrier H·e^{−βσ√Δt} (down barriers move away from spot)', () => {
    const slot = barrierLine(viewAt0());
    const shifted = H * Math.exp(-BGK_BETA * sigma * Math.sqrt(T / nSteps));
    const p = {
      type: 'put' as const,
      barrierType: 'down-out' as const,
      spot: S0,
      strike: K,
      rebate: 0,
      expiry: T,
      rate: r,
      dividend: 0,
      vol: sigma,
    };
    expect(slot.greeks.price[0]).toBe(barrierPrice({ ...p, barrier: shifted }));
  });

  it('uses the source’s actual step on an irregular grid, not horizon / steps', () => {
    const weekly = { ...viewAt0(), dtNext: 1 / 52 };
    const line = barrierLine(weekly);
    const shifted = H * Math.exp(-BGK_BETA * sigma * Math.sqrt(1 / 52));
    expect(line.greeks.price[0]).toBe(
      barrierPrice({
        type: 'put',
        barrierType: 'down-out',
        spot: S0,
        strike: K,
        rebate: 0,
        expiry: T,
        rate: r,
        dividend: 0,
        vol: sigma,
        barrier: shifted,
      }),
    );
    expect(line.greeks.price[0]).toBeGreaterThan(barrierLine(viewAt0()).greeks.price[0]);
  });

  it('matches a Monte-Carlo down-and-out put monitored daily within 3 standard errors; the continuous price does not', () => {
    const gen = new GbmGenerator({
      assets: [{ name: 'EQ', assetClass: 'equity', spot: S0 }],
      vols: [sigma],
      rate: constantRate(r),
    });
    const n = 65_536;
    const alive = new Uint8Array(n).fill(1);
    let sum = 0;
    let sum2 = 0;
    simulate(gen, uniformGrid(T, nSteps), n, 20261125, (i, _t, state) => {
      const S = state.spot[0];
      for (let p = 0; p < n; p++) if (S[p] <= H) alive[p] = 0;
      if (i === nSteps) {
        for (let p = 0; p < n; p++) {
          const x = alive[p] ? Math.max(K - S[p], 0) * Math.exp(-r * T) : 0;
          sum += x;
          sum2 += x * x;
        }
      }
    });
    const mean = sum / n;
    const se = Math.sqrt((sum2 / n - mean * mean) / (n - 1));
    const slot = barrierLine(viewAt0());
    const continuous = barrierPrice({
      type: 'put',
      barrierType: 'down-out',
      spot: S0,
      strike: K,
      barrier: H,
      rebate: 0,
      expiry: T,
      rate: r,
      dividend: 0,
      vol: sigma,
    });
    expect(Math.abs(slot.greeks.price[0] - mean)).toBeLessThan(3 * se);
    expect(Math.abs(continuous - mean)).toBeGreaterThan(3 * se);
  });
});
