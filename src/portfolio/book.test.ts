import { describe, expect, it } from 'vitest';
import type { MarketView } from '../market/market-view.ts';
import { constantRate } from '../market/rate.ts';
import { volInput } from '../market/vol-input.ts';
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
    nSteps,
    t: 0,
    dt: 0,
    horizon: T,
    stepsPerYear: 252,
    rate: r,
    spot: [Float64Array.of(S0)],
    vol: [Float64Array.of(sigma)],
    logReturn: [new Float64Array(1)],
    date: undefined,
  };
}

describe('book: discretely monitored barriers', () => {
  it('prices with the BGK-shifted barrier H·e^{−βσ√Δt} (down barriers move away from spot)', () => {
    const book = new Book(1, viewAt0().assets, 100);
    const s = book.addOptionSlot({ asset: 0, type: 'put', barrier: { type: 'down-out', rebate: 0 } });
    const slot = book.options[s]!;
    slot.strike[0] = K;
    slot.expiry[0] = T;
    slot.barrier[0] = H;
    slot.qty[0] = 1;
    book.quoteOption(slot, viewAt0(), volInput({ kind: 'constant', vol: sigma }));
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
    expect(slot.mark[0]).toBe(barrierPrice({ ...p, barrier: shifted }));
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
      const S = state.spot[0]!;
      for (let p = 0; p < n; p++) if (S[p]! <= H) alive[p] = 0;
      if (i === nSteps) {
        for (let p = 0; p < n; p++) {
          const x = alive[p] ? Math.max(K - S[p]!, 0) * Math.exp(-r * T) : 0;
          sum += x;
          sum2 += x * x;
        }
      }
    });
    const mean = sum / n;
    const se = Math.sqrt((sum2 / n - mean * mean) / (n - 1));
    const book = new Book(1, viewAt0().assets, 100);
    const slot =
      book.options[book.addOptionSlot({ asset: 0, type: 'put', barrier: { type: 'down-out', rebate: 0 } })]!;
    slot.strike[0] = K;
    slot.expiry[0] = T;
    slot.barrier[0] = H;
    slot.qty[0] = 1;
    book.quoteOption(slot, viewAt0(), volInput({ kind: 'constant', vol: sigma }));
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
    expect(Math.abs(slot.mark[0]! - mean)).toBeLessThan(3 * se);
    expect(Math.abs(continuous - mean)).toBeGreaterThan(3 * se);
  });
});
