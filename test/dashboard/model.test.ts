/**
 * The dashboard's model (web/dashboard/model.ts): one chart point per engine step whatever the
 * order and repetition of the states (manual actions and reconnections send a step again), rows
 * never duplicated between the ledger read and the stream, and the reconnection backoff.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyHistory,
  applyState,
  backoffDelay,
  emptyModel,
  markConnected,
} from '../../web/dashboard/model.ts';
import type { DashOrder, DashState, Level } from '../../web/dashboard/types.ts';

function state(step: number, value: number, extra: Partial<DashState> = {}): DashState {
  return {
    run: 'r',
    seq: step + 1,
    step,
    date: undefined,
    ts: 86_400_000 * (step + 1),
    level: 'NORMAL',
    spot: { SPX: 100 },
    book: undefined,
    floor: {
      floor: 80,
      value,
      distance: value - 80,
      cushion: (value - 80) / value,
      cushionUnits: (4 * (value - 80)) / value,
      multiplier: 4,
    },
    shockedLoss: 2,
    risk: undefined,
    attribution: undefined,
    plan: undefined,
    orders: [],
    fills: [],
    alerts: [],
    ...extra,
  };
}

const order = (id: string, ts: number, level: Level = 'NORMAL'): DashOrder => ({
  id,
  seq: 1,
  step: 0,
  ts,
  instrument: 'SPX',
  qty: 1,
  side: 'buy',
  price: 100,
  cost: 0.05,
  level,
});

describe('dashboard model', () => {
  it('keeps one point per step: the last state sent for it, in step order', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 30 }), { minLength: 1, maxLength: 80 }), (steps) => {
        const m = emptyModel();
        // a stream only goes forward: a state for an older step than the last point is not drawn
        const sorted = [...steps].sort((a, b) => a - b);
        for (const [k, s] of sorted.entries()) applyState(m, state(s, 90 + k));
        const distinct = [...new Set(sorted)];
        expect(m.series.step).toEqual(distinct);
        // each step's point carries the value of the last state sent for it
        expect(m.series.value).toEqual(distinct.map((s) => 90 + sorted.lastIndexOf(s)));
        expect(m.series.shocked).toEqual(m.series.value.map((v) => v - 2));
        expect(m.series.t).toEqual(distinct.map((s) => s + 1).map((d) => d * 86_400));
      }),
    );
  });

  it('ignores a state older than the last point and states before the first observation', () => {
    const m = emptyModel();
    applyState(m, state(-1, 100, { floor: undefined }));
    applyState(m, state(3, 95));
    applyState(m, state(1, 99));
    expect(m.series.step).toEqual([3]);
    expect(m.state?.step).toBe(1);
    expect(m.messages).toBe(3);
  });

  it('lists an order once whether it came from the ledger, the stream or both', () => {
    const m = emptyModel();
    applyState(m, state(0, 100, { orders: [order('b', 2)] }));
    applyHistory(m, [
      { rowid: 1, id: 'a', type: 'order', seq: 1, ts: 1, payload: order('a', 1) },
      { rowid: 2, id: 'b', type: 'order', seq: 2, ts: 2, payload: order('b', 2) },
    ]);
    applyState(m, state(0, 100, { orders: [order('b', 2)] }));
    expect(m.orders.map((o) => o.id)).toEqual(['a', 'b']);
  });

  it('counts feed-health findings once each and records transitions in the history', () => {
    const m = emptyModel();
    const problem = { kind: 'suspect', seq: 44, ts: 5, instrument: 'SPX', detail: 'held' };
    const t = {
      timeMs: 7,
      from: 'NORMAL' as const,
      to: 'PROTECT' as const,
      driver: 'moveSigmas',
      value: 38,
      reason: 'x',
    };
    applyState(m, state(0, 100, { alerts: [{ kind: 'health', problem }] }));
    applyState(
      m,
      state(0, 100, {
        alerts: [
          { kind: 'health', problem },
          { kind: 'transition', transition: t },
        ],
      }),
    );
    applyHistory(m, [{ rowid: 3, id: 't', type: 'transition', seq: 45, ts: 7, payload: t }]);
    expect(m.health).toEqual({ suspect: 1 });
    expect(m.alerts).toHaveLength(2);
    expect(m.transitions).toEqual([t]);
  });

  it('starts over when the stream belongs to another run', () => {
    const m = emptyModel();
    applyState(m, state(5, 100, { orders: [order('x', 1)] }));
    applyState(m, state(0, 100, { run: 'other' }));
    expect(m.series.step).toEqual([0]);
    expect(m.orders).toEqual([]);
  });

  it('starts the chart over when the first state after a reconnection is an earlier step', () => {
    const m = emptyModel();
    for (const k of [0, 1, 2, 3]) applyState(m, state(k, 100 + k));
    markConnected(m);
    applyState(m, state(3, 103)); // the same session: nothing lost
    expect(m.series.step).toEqual([0, 1, 2, 3]);
    markConnected(m);
    applyState(m, state(1, 99, { orders: [order('z', 1)] })); // a session started over
    expect(m.series.step).toEqual([1]);
    expect(m.series.value).toEqual([99]);
    expect(m.orders.map((o) => o.id)).toEqual(['z']);
  });

  it('backs off exponentially from 250 ms, doubling, capped at 8 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((a) => backoffDelay(a))).toEqual([
      250, 500, 1000, 2000, 4000, 8000, 8000, 8000,
    ]);
    fc.assert(
      fc.property(fc.nat({ max: 60 }), (a) => {
        expect(backoffDelay(a + 1)).toBeGreaterThanOrEqual(backoffDelay(a));
        expect(backoffDelay(a)).toBeLessThanOrEqual(8000);
      }),
    );
  });
});
