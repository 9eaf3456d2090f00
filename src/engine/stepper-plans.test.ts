/**
 * The plan observer (src/portfolio/plan-observer.ts): the engine puts it in the context of the one
 * run configured (the live book) and nowhere else — a back-test (`runEngine`) passes none — and
 * observing changes nothing: a delta-gamma and a delta-hedged option book trade bit for bit the same
 * with and without an observer, while the observer receives one solve per step and asset.
 */
import { describe, expect, it } from 'vitest';
import { loadPriceHistory } from '../market/history-csv.ts';
import { constantRate } from '../market/rate.ts';
import { HistoricalReplay } from '../paths/replay.ts';
import { costModel } from '../portfolio/costs.ts';
import { tradeListHash } from '../portfolio/ledger.ts';
import type { HedgeSolveReport, PlanObserver } from '../portfolio/plan-observer.ts';
import { bookDeltaHedge } from '../strategies/book-delta-hedge.ts';
import { buyAndHold } from '../strategies/buy-and-hold.ts';
import { greekHedge } from '../strategies/greek-hedge.ts';
import type { Strategy } from '../strategies/types.ts';
import { runEngine, type StrategyRun } from './engine.ts';
import { EngineStepper } from './stepper.ts';

const history = loadPriceHistory(new URL('../../data/eustockmarkets.csv', import.meta.url).pathname, {
  columns: ['DAX'],
  from: '1998-01-02',
  to: '1998-08-14',
});
const legs = [
  { asset: 0, type: 'put' as const, strike: 0.95, expiry: 0.5, quantity: -10 },
  { asset: 0, type: 'call' as const, strike: 1.05, expiry: 0.5, quantity: -10 },
];

/** A strategy that notes the context's observer at every step. */
function probe(seen: unknown[]): Strategy<Float64Array> {
  const inner = buyAndHold({ weights: Float64Array.of(1) });
  return {
    name: 'probe',
    kind: 'probe',
    init: (ctx, book) => inner.init(ctx, book),
    decide(ctx, book, st, sink) {
      seen.push(ctx.plans);
      inner.decide(ctx, book, st, sink);
    },
  };
}

function runs(seen: unknown[]): StrategyRun[] {
  const common = {
    costs: costModel({ bps: { equity: 5 }, optionSpreadFraction: 0.02 }),
    rebalance: {},
    vols: { kind: 'ewma' as const, lambda: 0.94, initial: 0.2 },
  };
  return [
    { strategy: probe(seen), ...common },
    {
      strategy: greekHedge({
        legs,
        neutralize: 'delta-gamma',
        instruments: [{ type: 'call', strike: 1, tenor: 0.25 }],
        roll: 1 / 12,
      }),
      ...common,
    },
    { strategy: bookDeltaHedge({ legs }), ...common },
  ];
}

function replay(plans?: { run: number; observer: PlanObserver }, seen: unknown[] = []): EngineStepper {
  const gen = new HistoricalReplay(history, { dayCount: 'rows', rate: constantRate(0.03) });
  const t = gen.grid().times;
  const n = t.length - 1;
  const st = new EngineStepper({
    assets: gen.assets,
    nPaths: 1,
    firstPath: 0,
    initialValue: 1000,
    runs: runs(seen),
    benchmark: 0,
    stepsPerYear: 252,
    ledgerPaths: [0],
    ...(plans ? { plans } : {}),
  });
  const prices = history.prices[0];
  for (let i = 0; i <= n; i++) {
    st.step({
      i,
      t: t[i],
      date: gen.dates[i],
      spot: [Float64Array.of(prices[i])],
      vol: [Float64Array.of(0.2)],
      logReturn: [Float64Array.of(i === 0 ? 0 : Math.log(prices[i] / prices[i - 1]))],
      rateOverStep: 0.03,
      rateNext: 0.03,
      dtNext: i < n ? t[i + 1] - t[i] : t[i] - t[i - 1],
      final: i === n,
      end: t[n],
    });
  }
  return st;
}

describe('the plan observer', () => {
  it('is passed to the configured run only, and to none in a back-test', () => {
    const seenLive: unknown[] = [];
    const observer: PlanObserver = { solved: () => undefined };
    replay({ run: 0, observer }, seenLive);
    expect(seenLive.length).toBeGreaterThan(100);
    expect(seenLive.every((x) => x === observer)).toBe(true);
    const seenOther: unknown[] = [];
    replay({ run: 1, observer }, seenOther);
    expect(seenOther.every((x) => x === undefined)).toBe(true);

    const seenBacktest: unknown[] = [];
    const gen = new HistoricalReplay(history, { dayCount: 'rows', rate: constantRate(0.03) });
    runEngine({
      generator: gen,
      grid: gen.grid(),
      nPaths: 1,
      seed: 1,
      initialValue: 1000,
      runs: runs(seenBacktest),
      stepsPerYear: 252,
      dates: gen.dates,
    });
    expect(seenBacktest.length).toBeGreaterThan(100);
    expect(seenBacktest.every((x) => x === undefined)).toBe(true);
  });

  it.each([1, 2])('changes nothing the strategy of run %i trades, and receives its solves', (run) => {
    const reports: HedgeSolveReport[] = [];
    const observed = replay({
      run,
      observer: {
        solved: (r) => reports.push({ ...r, solves: [...r.solves], instruments: [...r.instruments] }),
      },
    });
    const plain = replay();
    expect(observed.books[run].value[0]).toBe(plain.books[run].value[0]);
    expect(tradeListHash(observed.ledgers[run].records)).toBe(tradeListHash(plain.ledgers[run].records));
    expect(observed.ledgers[run].records.length).toBeGreaterThan(50);
    // one solve per step while the book lives (it expires at 0.5 years, before the history ends)
    expect(reports.length).toBeGreaterThan(100);
    expect(reports.every((r) => r.asset === 0)).toBe(true);
    if (run === 1) {
      expect(reports.every((r) => r.method === 'square' && r.solves.join() === 'delta,gamma')).toBe(true);
      expect(reports.every((r) => r.instruments.length === 2 && r.instruments[1] === -1)).toBe(true);
    } else {
      expect(reports.every((r) => r.method === 'delta' && r.instruments.join() === '-1')).toBe(true);
    }
  });
});
