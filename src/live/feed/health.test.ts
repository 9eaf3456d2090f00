import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FeedEvent } from './event.ts';
import { FeedHealth } from './health.ts';

const bar = (seq: number, close: number, ts = seq * 1000, instrument = 'X'): FeedEvent => ({
  kind: 'bar',
  seq,
  ts,
  instrument,
  close,
});

function run(h: FeedHealth, events: FeedEvent[]) {
  const accepted: FeedEvent[] = [];
  const problems: string[] = [];
  for (const e of events) {
    const v = h.check(e, e.ts);
    accepted.push(...v.accepted);
    problems.push(...v.problems.map((p) => p.kind));
  }
  return { accepted, problems };
}

describe('feed health', () => {
  it('drops duplicates and out-of-order events, keeps a gap with its missing count', () => {
    const h = new FeedHealth({ staleMs: 10_000, suspectSigmas: 0, lambda: 0.94, warmup: 5 });
    const r = run(h, [bar(1, 100), bar(2, 101), bar(2, 101), bar(5, 102), bar(4, 99)]);
    expect(r.accepted.map((e) => e.seq)).toEqual([1, 2, 5]);
    expect(r.problems).toEqual(['duplicate', 'gap', 'out-of-order']);
    const gap = new FeedHealth().check(bar(9, 100), 0);
    expect(gap.problems).toEqual([]);
  });

  it('drops a price whose time is before the instrument last', () => {
    const h = new FeedHealth({ staleMs: 10_000, suspectSigmas: 0, lambda: 0.94, warmup: 5 });
    const r = run(h, [bar(1, 100, 5000), bar(2, 101, 4000)]);
    expect(r.accepted.map((e) => e.seq)).toEqual([1]);
    expect(r.problems).toEqual(['out-of-order']);
  });

  it('reports staleness once per silence, on the clock given', () => {
    const h = new FeedHealth({ staleMs: 10_000, suspectSigmas: 0, lambda: 0.94, warmup: 5 });
    expect(h.checkStale(50_000)).toBeUndefined(); // nothing seen yet
    h.check({ kind: 'heartbeat', seq: 1, ts: 0 }, 1000);
    expect(h.checkStale(10_999)).toBeUndefined();
    expect(h.checkStale(11_000)?.kind).toBe('stale');
    expect(h.checkStale(12_000)).toBeUndefined();
    expect(h.isStale(12_000)).toBe(true);
    h.check({ kind: 'heartbeat', seq: 2, ts: 0 }, 12_500);
    expect(h.isStale(12_600)).toBe(false);
    expect(h.checkStale(30_000)?.kind).toBe('stale');
  });

  // A calm series alternating ±0.5 % (σ ≈ 0.5 %), then a 10 % print.
  const calm = (n: number) => Array.from({ length: n }, (_, i) => bar(i + 1, i % 2 === 0 ? 100 : 100.5));

  it('holds a print beyond k sigmas and releases it when the next print confirms the move', () => {
    const h = new FeedHealth({ staleMs: 10_000, suspectSigmas: 5, lambda: 0.94, warmup: 10 });
    const pre = run(h, calm(21));
    expect(pre.problems).toEqual([]);
    const held = h.check(bar(22, 90), 22_000);
    expect(held.accepted).toEqual([]);
    expect(held.problems[0].kind).toBe('suspect');
    expect(held.problems[0].value).toBeGreaterThan(5);
    expect(h.holding('X')).toBe(true);
    const next = h.check(bar(23, 89.5), 23_000);
    expect(next.problems.map((p) => p.kind)).toEqual(['suspect-confirmed']);
    expect(next.accepted.map((e) => e.seq)).toEqual([22, 23]);
  });

  it('rejects a bad print when the next one is back near the last price, keeping a bar at the last price', () => {
    const h = new FeedHealth({ staleMs: 10_000, suspectSigmas: 5, lambda: 0.94, warmup: 10 });
    run(h, calm(21));
    h.check(bar(22, 130), 22_000);
    const next = h.check(bar(23, 100.2), 23_000);
    expect(next.problems.map((p) => p.kind)).toEqual(['suspect-rejected']);
    expect(next.accepted).toEqual([bar(22, 100), bar(23, 100.2)]);
  });

  it('releases a held print at the end of the feed', () => {
    const h = new FeedHealth({ staleMs: 10_000, suspectSigmas: 5, lambda: 0.94, warmup: 10 });
    run(h, calm(21));
    h.check(bar(22, 70), 22_000);
    const f = h.flush();
    expect(f.accepted.map((e) => e.seq)).toEqual([22]);
    expect(h.holding('X')).toBe(false);
  });

  it('passes a clean, consecutive feed through unchanged (suspect check off)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 60 }),
        (px) => {
          const h = new FeedHealth({ staleMs: 1e9, suspectSigmas: 0, lambda: 0.94, warmup: 0 });
          const events = px.map((p, i) => bar(i + 1, p));
          const r = run(h, events);
          expect(r.accepted).toEqual(events);
          expect(r.problems).toEqual([]);
        },
      ),
      { seed: 20261203, numRuns: 100 },
    );
  });

  it('restores a snapshot and continues identically', () => {
    const events = [...calm(25), bar(26, 80), bar(27, 80.2), bar(27, 80.2), bar(30, 81)];
    const a = new FeedHealth({ staleMs: 10_000, suspectSigmas: 5, lambda: 0.94, warmup: 10 });
    const full = run(a, events);
    const b = new FeedHealth({ staleMs: 10_000, suspectSigmas: 5, lambda: 0.94, warmup: 10 });
    const head = run(b, events.slice(0, 26));
    const c = new FeedHealth({ staleMs: 10_000, suspectSigmas: 5, lambda: 0.94, warmup: 10 });
    c.restore(structuredClone(b.snapshot()));
    const tail = run(c, events.slice(26));
    expect([...head.accepted, ...tail.accepted]).toEqual(full.accepted);
    expect([...head.problems, ...tail.problems]).toEqual(full.problems);
  });
});
