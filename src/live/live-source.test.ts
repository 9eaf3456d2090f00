import { describe, expect, it } from 'vitest';
import { emptyObservation } from '../engine/market-source.ts';
import { HistoricalReplay } from '../paths/replay.ts';
import { uniformGrid } from '../paths/types.ts';
import type { FeedEvent } from './feed/event.ts';
import { LiveSource } from './live-source.ts';

const assets = [
  { name: 'A', assetClass: 'equity' as const, spot: 100 },
  { name: 'B', assetClass: 'equity' as const, spot: 50 },
  { name: 'C', assetClass: 'bond' as const, spot: 100 },
];
const bar = (seq: number, ts: number, instrument: string, close: number): FeedEvent => ({
  kind: 'bar',
  seq,
  ts,
  instrument,
  close,
});
const DAY = 86_400_000;

describe('live source', () => {
  it('commits one observation per complete bar set, scaled like a replay, with the grid times of a plan (row clock)', () => {
    const src = new LiveSource({
      assets,
      instruments: ['A', 'B', null],
      stepsPerYear: 252,
      rate: 0.02,
      plannedSteps: 2,
      dayCount: 'rows',
    });
    const obs = emptyObservation();
    expect(src.push({ kind: 'vol', seq: 1, ts: 0, instrument: 'A', vol: 0.3, measure: 'implied' })).toBe(
      false,
    );
    expect(src.push(bar(2, 0, 'A', 100))).toBe(false);
    expect(src.push(bar(3, 0, 'B', 200))).toBe(true);
    expect(src.next(obs)).toBe(true);
    expect([obs.i, obs.spot[0][0], obs.spot[1][0], obs.spot[2][0]]).toEqual([0, 100, 50, 100]);
    expect([obs.vol[0][0], obs.vol[1][0], obs.vol[2][0]]).toEqual([0.3, 0, 0]);
    expect(obs.date).toBe('1970-01-01');
    expect(src.next(obs)).toBe(false);
    src.push(bar(4, DAY, 'A', 110));
    src.push(bar(5, DAY, 'B', 190));
    src.push(bar(6, 2 * DAY, 'A', 99));
    src.push(bar(7, 2 * DAY, 'B', 180));
    const grid = uniformGrid(2 / 252, 2);
    expect(src.next(obs)).toBe(true);
    expect([obs.t, obs.dtNext, obs.final, obs.end]).toEqual([
      grid.times[1],
      grid.times[2] - grid.times[1],
      false,
      grid.times[2],
    ]);
    expect(obs.spot[1][0]).toBe(50 * (190 / 200)); // B's spot 50 ≠ its first price 200: scaled
    expect(obs.logReturn[0][0]).toBe(Math.log(110 / 100));
    expect(src.next(obs)).toBe(true);
    expect([obs.i, obs.final, obs.date]).toEqual([2, true, '1970-01-03']);
    expect(obs.logReturn[2][0]).toBe(0);
  });

  it('commits an incomplete set when a later bar arrives, carrying the missing price forward', () => {
    const src = new LiveSource({
      assets: assets.slice(0, 2),
      instruments: ['A', 'B'],
      stepsPerYear: 252,
      rate: 0,
    });
    const obs = emptyObservation();
    src.push(bar(1, 0, 'A', 100));
    src.push(bar(2, 0, 'B', 50));
    src.push(bar(3, DAY, 'A', 101)); // B's bar for day 1 never comes
    expect(src.next(obs)).toBe(true);
    expect(src.next(obs)).toBe(false);
    expect(src.push(bar(4, 2 * DAY, 'A', 102))).toBe(true);
    expect(src.next(obs)).toBe(true);
    expect([obs.spot[0][0], obs.spot[1][0], obs.t, obs.end]).toEqual([
      101,
      50,
      1 / 365, // ACT/365F: one calendar day after inception
      Number.POSITIVE_INFINITY,
    ]);
  });

  it('takes time from the timestamps, ACT/365F, as a replay takes it from its dates', () => {
    // Fri 2008-10-03, Mon 10-06, Tue 10-07: the weekend is 3 days of time, as in HistoricalReplay.
    const days = ['2008-10-03', '2008-10-06', '2008-10-07'].map((d) => Date.parse(d));
    const src = new LiveSource({
      assets: assets.slice(0, 1),
      instruments: ['A'],
      stepsPerYear: 252,
      rate: 0,
      plannedSteps: 2,
      plannedTs: days,
    });
    const replay = new HistoricalReplay(
      {
        columns: ['A'],
        dates: ['2008-10-03', '2008-10-06', '2008-10-07'],
        prices: [Float64Array.of(100, 95, 97)],
        source: 'test',
      },
      { assets: assets.slice(0, 1) },
    ).grid();
    const obs = emptyObservation();
    const seen: number[][] = [];
    days.forEach((ts, k) => {
      src.push(bar(k + 1, ts, 'A', [100, 95, 97][k]));
    });
    src.flush();
    while (src.next(obs)) seen.push([obs.t, obs.dtNext, obs.end, obs.final ? 1 : 0]);
    expect(seen).toEqual([
      [replay.times[0], replay.times[1] - replay.times[0], replay.times[2], 0],
      [replay.times[1], replay.times[2] - replay.times[1], replay.times[2], 0],
      [replay.times[2], replay.times[2] - replay.times[1], replay.times[2], 1],
    ]);
    expect(replay.times[1]).toBe(3 / 365);
  });

  it('steps on every price in tick mode once every instrument has one', () => {
    const src = new LiveSource({
      assets: assets.slice(0, 2),
      instruments: ['A', 'B'],
      stepsPerYear: 252 * 390,
      rate: 0,
      mode: 'tick',
    });
    const obs = emptyObservation();
    expect(src.push({ kind: 'quote', seq: 1, ts: 0, instrument: 'A', bid: 99, ask: 101 })).toBe(false);
    expect(src.push({ kind: 'trade', seq: 2, ts: 1, instrument: 'B', price: 50 })).toBe(true);
    expect(src.push({ kind: 'trade', seq: 3, ts: 2, instrument: 'B', price: 51 })).toBe(true);
    expect(src.next(obs) && src.next(obs)).toBe(true);
    expect([obs.i, obs.spot[0][0], obs.spot[1][0]]).toEqual([1, 100, 51]);
  });

  it('restores a snapshot and continues identically', () => {
    const make = () =>
      new LiveSource({
        assets: assets.slice(0, 1),
        instruments: ['A'],
        stepsPerYear: 252,
        rate: 0,
        plannedSteps: 3,
      });
    const events = [100, 101, 99, 98].map((p, i) => bar(i + 1, i * DAY, 'A', p));
    const a = make();
    const b = make();
    const oa = emptyObservation();
    const ob = emptyObservation();
    const seen: number[] = [];
    for (const e of events.slice(0, 2)) if (a.push(e)) while (a.next(oa)) seen.push(oa.spot[0][0]);
    b.restore(structuredClone(a.snapshot()));
    const rest: number[][] = [[], []];
    for (const e of events.slice(2)) {
      if (a.push(e)) while (a.next(oa)) rest[0].push(oa.t, oa.spot[0][0], oa.logReturn[0][0]);
      if (b.push(e)) while (b.next(ob)) rest[1].push(ob.t, ob.spot[0][0], ob.logReturn[0][0]);
    }
    expect(rest[1]).toEqual(rest[0]);
    expect(seen).toEqual([100, 101]);
  });
});
