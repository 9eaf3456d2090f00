/**
 * The monitor with the escalation protocol: the 2008 replay escalates on the index drops, every
 * order records the level it was decided at, trades at DE-RISK and above only reduce risk, a halt
 * stops trading until re-armed, and the published state carries the book's analytics.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLiveConfig } from './config.ts';
import type { Transition } from './escalation/types.ts';
import { VirtualClock } from './feed/feed.ts';
import { replayEvents } from './feed/replay-feed.ts';
import type { LiveState } from './live-state.ts';
import type { Order } from './orders.ts';
import { openLive } from './run-live.ts';

const cwd = process.cwd();
function config(extra = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'hk-monitor-'));
  const file = join(dir, 'live.yaml');
  writeFileSync(
    file,
    `name: monitor-test
scenario: ${join(cwd, 'src/live/fixtures/scenario-2008.yaml')}
trade: cppi m=4
feed: { kind: replay, file: ${join(cwd, 'data/sp500.csv')}, columns: { SPX: close }, from: 2008-09-02, to: 2008-10-31 }
store: ${join(dir, 'ledger.sqlite')}
escalation: { dwellHours: 48 }
${extra}`,
  );
  return file;
}

describe('live monitor with the escalation protocol', () => {
  it('escalates through the 2008 crash and lets only risk-reducing orders through at DE-RISK and above', async () => {
    const states: LiveState[] = [];
    const s = await openLive(loadLiveConfig(config()), {
      clock: new VirtualClock(0),
      onState: (x) => states.push(x),
    });
    try {
      await s.run();
      const transitions = s.ledger.events({ types: ['transition'] }).map((e) => e.payload as Transition);
      expect(transitions.length).toBeGreaterThan(0);
      // 2008-09-29: the S&P 500 fell 8.8 % on the day (beyond the 7 % Level-1 breaker): DE-RISK at least
      const sep29 = Date.parse('2008-09-29T00:00:00Z');
      const t29 = transitions.find((t) => t.timeMs === sep29);
      expect(t29?.inputs.indexDrop).toBeGreaterThan(0.07);
      expect(['DE-RISK', 'PROTECT', 'HALTED']).toContain(t29?.to);
      const orders = s.ledger.events({ types: ['order'] }).map((e) => e.payload as Order);
      expect(orders.every((o) => typeof o.level === 'string')).toBe(true);
      const guarded = orders.filter((o) => o.level === 'DE-RISK' || o.level === 'PROTECT');
      expect(guarded.length).toBeGreaterThan(0);
      expect(guarded.every((o) => o.side === 'sell')).toBe(true); // a long-only CPPI book: only sells reduce risk
      expect(orders.filter((o) => o.level === 'HALTED')).toEqual([]);
      const last = states[states.length - 1];
      expect(last.book?.value).toBeGreaterThan(0);
      expect(last.floor?.floor).toBe(80);
      expect(last.floor?.cushionUnits).toBeCloseTo(4 * last.floor!.cushion, 12);
      expect(last.risk?.perAsset[0].asset).toBe('SPX');
      expect(last.risk?.ladder?.pnl.length).toBe(8);
      expect(Object.keys(last.attribution ?? {})).toContain('delta');
      expect(states.some((x) => x.alerts.some((a) => a.kind === 'transition'))).toBe(true);
    } finally {
      s.close();
    }
  });

  it('stops trading on a manual halt until the operator re-arms', async () => {
    const s = await openLive(loadLiveConfig(config()), { clock: new VirtualClock(0) });
    try {
      const events = replayEvents({
        file: join(cwd, 'data/sp500.csv'),
        instruments: { SPX: 'close' },
        from: '2008-09-02',
        to: '2008-10-31',
      });
      for (const e of events.slice(0, 10)) await s.monitor.process(e);
      const t = s.monitor.manual({ kind: 'halt', actor: 'ops' });
      expect(t.map((x) => x.to)).toEqual(['HALTED']);
      const before = s.ledger.counts().order ?? 0;
      for (const e of events.slice(10, 20)) await s.monitor.process(e);
      expect(s.ledger.counts().order ?? 0).toBe(before);
      expect(s.monitor.level).toBe('HALTED');
      s.monitor.manual({ kind: 'rearm', actor: 'ops' });
      expect(s.monitor.level).not.toBe('HALTED');
      for (const e of events.slice(20)) await s.monitor.process(e);
      expect(s.ledger.counts().order ?? 0).toBeGreaterThan(before);
      expect(s.ledger.counts().manual).toBe(2);
    } finally {
      s.close();
    }
  });

  it('logs a stale feed on the clock, feeds it to the protocol, and replays it after a restart', async () => {
    const file = config();
    const clock = new VirtualClock(1_000_000);
    const events = replayEvents({
      file: join(cwd, 'data/sp500.csv'),
      instruments: { SPX: 'close' },
      from: '2008-09-02',
      to: '2008-10-31',
    });
    const s = await openLive(loadLiveConfig(file), { clock });
    for (const e of events.slice(0, 8)) await s.monitor.process(e);
    clock.advance(29_000);
    s.monitor.checkStale();
    expect(s.ledger.counts().health).toBeUndefined();
    clock.advance(1_000); // 30 s without an event: the configured limit
    s.monitor.checkStale();
    s.monitor.checkStale(); // reported once per silence
    expect(s.ledger.counts().health).toBe(1);
    expect(s.monitor.level).toBe('DE-RISK'); // feedHealth.stale
    const level = s.monitor.level;
    const transitions = s.ledger.counts().transition;
    s.close();
    const again = await openLive(loadLiveConfig(file), { clock });
    try {
      expect(again.monitor.level).toBe(level);
      expect(again.ledger.counts().transition).toBe(transitions);
    } finally {
      again.close();
    }
  });
});
