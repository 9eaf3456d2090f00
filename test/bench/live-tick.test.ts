/**
 * The live-tick benchmark stays runnable: its scenario passes the scenario schema (it once tripped the
 * steps-per-year cap and the bench failed at setup), and a full-speed replay of its 10,000 ticks
 * opens the 200-option book, hedges it and ends below HALTED.
 */
import { describe, expect, it } from 'vitest';
import { workloads } from '../../bench/workloads/live-tick.ts';

describe('bench: live-tick', () => {
  it('sets up and replays its ticks: the book opens (≥ 200 orders) and the protocol never halts', async () => {
    const w = workloads.find((x) => x.name === 'live-tick-replay');
    expect(w).toBeDefined();
    await w?.setup?.();
    await w?.run();
    const acc = (await w?.accuracy?.()) ?? {};
    expect(acc.orders).toBeGreaterThanOrEqual(200);
    expect(acc.haltedAtEnd).toBe(0);
  });
});
