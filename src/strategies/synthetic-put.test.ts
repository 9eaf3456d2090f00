import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.ts';
import { normCdf } from '../core/normal.ts';
import { runEngine } from '../engine/engine.ts';
import type { PriceHistory } from '../market/price-history.ts';
import { constantRate } from '../market/rate.ts';
import { HistoricalReplay } from '../paths/replay.ts';
import { costModel } from '../portfolio/costs.ts';
import { bsmPrice } from '../pricing/black-scholes.ts';
import {
  obpiStrike,
  type SyntheticPutParams,
  type SyntheticPutState,
  syntheticPut,
} from './synthetic-put.ts';
import type { Strategy } from './types.ts';

interface StrikeCase {
  kind: string;
  floor: number;
  tenor: number;
  rate: number;
  carry: number;
  vol: number;
  initialValue: number;
  strike: number;
  notional: number;
}
const fixture = JSON.parse(
  readFileSync(new URL('../../test/fixtures/scipy/cppi-reference.json', import.meta.url), 'utf8'),
) as { source: string; tolerance: { strike: number }; cases: StrikeCase[] };

describe('OBPI strike and notional at inception', () => {
  it(`solve floor·(1 + P(1, K, T)) = K as SciPy brentq on QuantLib prices does (${fixture.source})`, () => {
    const cs = fixture.cases.filter((c) => c.kind === 'obpi-strike');
    expect(cs.length).toBeGreaterThan(0);
    for (const c of cs) {
      const got = obpiStrike(c.floor, c.tenor, c.rate, c.carry, c.vol, c.initialValue);
      const ok =
        Math.abs(got.strike - c.strike) <= fixture.tolerance.strike * c.strike &&
        Math.abs(got.notional - c.notional) <= fixture.tolerance.strike * c.notional;
      if (!ok) throw new Error(`got ${JSON.stringify(got)} for ${JSON.stringify(c)}`);
    }
  });

  it('spend exactly V₀ on index + put and guarantee N·K = floor·V₀', () => {
    const { strike: K, notional: N } = obpiStrike(0.9, 1, 0.03, 0.01, 0.2, 100);
    expect(N * (1 + bsmPrice('put', 1, K, 1, 0.03, 0.01, 0.2))).toBeCloseTo(100, 11);
    expect(N * K).toBeCloseTo(90, 11);
  });

  it('rejects a floor that cash alone cannot reach (floor ≥ e^{rT}) and bad vol / tenor', () => {
    expect(() => obpiStrike(1.05, 1, 0.03, 0, 0.2, 100)).toThrow(DomainError);
    expect(() => obpiStrike(1.05, 1, 0.03, 0, 0.2, 100)).toThrow(/floor \(1.05\) must be in \(0, e\^\{rT\}/);
    expect(() => obpiStrike(0.9, 0, 0.03, 0, 0.2, 100)).toThrow('tenor (0) must be > 0');
    expect(() => syntheticPut({ weights: Float64Array.of(1), floor: 0.9, vol: 0 })).toThrow(
      'vol (0) must be > 0',
    );
    expect(() => syntheticPut({ weights: Float64Array.of(1), floor: 0, vol: 0.2 })).toThrow(
      'floor (0) must be > 0',
    );
    expect(() => syntheticPut({ weights: Float64Array.of(1), floor: 0.9, tenor: -1 })).toThrow(
      'tenor (-1) must be > 0',
    );
  });
});

/** A: 100 → 110 → 99 → 121, B: 50 → 50 → 55 → 44 (daily rows). */
const history: PriceHistory = {
  dates: ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04'],
  columns: ['A', 'B'],
  prices: [Float64Array.of(100, 110, 99, 121), Float64Array.of(50, 50, 55, 44)],
  source: 'hand',
};

function replay(params: SyntheticPutParams, rate = 0.03) {
  const seen: { index: number; exposure: number; tau: number; K: number; N: number }[] = [];
  const s = syntheticPut(params);
  const spy: Strategy<SyntheticPutState> = {
    ...s,
    decide(view, book, st, targets) {
      s.decide(view, book, st, targets);
      seen.push({
        index: st.index[0],
        exposure: st.exposure[0],
        tau: st.expiry - view.t,
        K: st.strike,
        N: st.notional,
      });
    },
  };
  const gen = new HistoricalReplay(history, { dayCount: 'rows', rate: constantRate(rate) });
  const r = runEngine({
    generator: gen,
    grid: gen.grid(),
    nPaths: 1,
    seed: 1,
    initialValue: 100,
    runs: [{ strategy: spy, costs: costModel(), rebalance: {}, vols: { kind: 'constant', vol: 0.2 } }],
    stepsPerYear: 252,
    ledgerPaths: [0],
  });
  return { seen, run: r.runs[0] };
}

describe('synthetic put on a hand-checkable path', () => {
  const w = Float64Array.of(0.5, 0.5);

  it('tracks the sleeve as an index rebalanced to its weights each step', () => {
    const { seen } = replay({ weights: w, floor: 0.9, tenor: 1, vol: 0.2 });
    // I₁ = ½·1.1 + ½·1 = 1.05; I₂ = 1.05·(½·0.9 + ½·1.1) = 1.05; I₃ = 1.05·(½·121/99 + ½·0.8)
    expect(seen.map((x) => x.index)).toEqual([
      1,
      1.05,
      expect.closeTo(1.05, 14),
      expect.closeTo(1.05 * (0.5 * (121 / 99) + 0.4), 14),
    ]);
  });

  it('holds exposure N·Iₜ·Φ(d1) (the BSM call delta on the index) and the rest in cash', () => {
    const { seen, run } = replay({ weights: w, floor: 0.9, tenor: 1, vol: 0.2 });
    const { K, N } = seen[0];
    const expected = obpiStrike(0.9, 1, 0.03, 0, 0.2, 100);
    expect(K).toBe(expected.strike);
    expect(N).toBe(expected.notional);
    for (const x of seen) {
      const d1 = (Math.log(x.index / K) + (0.03 + 0.02) * x.tau) / (0.2 * Math.sqrt(x.tau));
      expect(x.exposure).toBeCloseTo(N * x.index * normCdf(d1), 11);
    }
    // inception trades split E₀ over A and B at the weights
    const E0 = seen[0].exposure;
    expect(run.ledger.slice(0, 2).map((t) => [t.instrument, t.qty])).toEqual([
      ['A', expect.closeTo((0.5 * E0) / 100, 14)],
      ['B', expect.closeTo((0.5 * E0) / 50, 14)],
    ]);
  });

  it('goes to its payoff at the tenor and then stops trading', () => {
    const { seen, run } = replay({ weights: w, floor: 0.9, tenor: 2 / 252, vol: 0.2 });
    // At t₂ = T: I₂ = 1.05 ≥ K ≈ 0.9 → everything in the sleeve: E = N·I₂.
    expect(seen[2].exposure).toBeCloseTo(seen[2].N * 1.05, 12);
    // t₃: nothing is decided any more (state frozen) and nothing trades.
    expect(seen[3].exposure).toBe(seen[2].exposure);
    expect(seen[3].index).toBe(seen[2].index);
    expect(run.ledger.some((t) => t.step === 2)).toBe(true);
    expect(run.ledger.every((t) => t.step <= 2)).toBe(true);
  });

  it('defaults the tenor to the run horizon and the vol to 20 %', () => {
    const { seen } = replay({ weights: w, floor: 0.9 });
    expect(seen[0].tau).toBeCloseTo(3 / 252, 15);
    const ref = obpiStrike(0.9, 3 / 252, 0.03, 0, 0.2, 100);
    expect(seen[0].K).toBe(ref.strike);
  });

  it('with floorAccrues guarantees floor·V₀·e^{rT}: N·K = 90·e^{0.03·T}', () => {
    const { seen } = replay({ weights: w, floor: 0.9, tenor: 1, floorAccrues: true });
    expect(seen[0].N * seen[0].K).toBeCloseTo(90 * Math.exp(0.03), 11);
    expect(() => syntheticPut({ weights: w, floor: 1, floorAccrues: true })).toThrow(
      'floor (1) must be < 1 when the floor accrues',
    );
  });

  it('names itself from the floor', () => {
    expect(syntheticPut({ weights: w, floor: 0.9 }).name).toBe('synthetic put f=90%');
    expect(syntheticPut({ weights: w, floor: 0.9 }).kind).toBe('synthetic-put');
  });
});
