import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadPriceHistory } from '../../market/history-csv.ts';
import type { FeedEvent } from './event.ts';
import { type Feed, VirtualClock } from './feed.ts';
import { startFeedServer } from './feed-server.ts';
import { jsonlFeed, jsonlFileFeed } from './jsonl-feed.ts';
import { dateToMs, replayEvents, replayFeed } from './replay-feed.ts';
import { wsFeed } from './ws-feed.ts';

const SP500 = 'data/sp500.csv';
const win = { file: SP500, instruments: { SPX: 'close' }, from: '2008-09-02', to: '2008-09-30' };

async function collect(feed: Feed): Promise<FeedEvent[]> {
  const out: FeedEvent[] = [];
  for await (const e of feed) out.push(e);
  return out;
}

describe('history replay feed', () => {
  it('emits one EWMA vol and one bar per row with the CSV closes, sequence 1, 2, 3, …', () => {
    const ev = replayEvents(win);
    const h = loadPriceHistory(SP500, { columns: ['close'] });
    const rows = h.dates.filter((d) => d >= win.from && d <= win.to);
    expect(ev.length).toBe(2 * rows.length);
    expect(ev.map((e) => e.seq)).toEqual(ev.map((_, i) => i + 1));
    const bars = ev.filter((e) => e.kind === 'bar');
    expect(bars[0]).toEqual({
      kind: 'bar',
      seq: 2,
      ts: dateToMs('2008-09-02'),
      instrument: 'SPX',
      close: 1277.579956,
    });
    expect(bars.map((b) => (b.kind === 'bar' ? b.close : 0))).toEqual(
      rows.map((d) => h.prices[0][h.dates.indexOf(d)]),
    );
    const vols = ev.filter((e) => e.kind === 'vol');
    expect(vols.every((v) => v.kind === 'vol' && v.vol > 0 && v.measure === 'ewma')).toBe(true);
  });

  it('paces by timestamps on a virtual clock: ×N compresses the calendar by N, max does not wait', async () => {
    const clock = new VirtualClock(1_000_000);
    const events = await collect(replayFeed({ ...win, speed: 86_400, clock }));
    const span = events[events.length - 1].ts - events[0].ts;
    expect(clock.now() - 1_000_000).toBe(span / 86_400);
    const fast = new VirtualClock(0);
    await collect(replayFeed({ ...win, speed: 'max', clock: fast }));
    expect(fast.now()).toBe(0);
  });
});

describe('JSON Lines feed', () => {
  it('reads a stream, skips blank lines, and names the line of a bad event', async () => {
    const text =
      '{"kind":"heartbeat","seq":1,"ts":0}\n\n{"kind":"trade","seq":2,"ts":1,"instrument":"X","price":5}\n';
    const ok = await collect(jsonlFeed(Readable.from([text]), 'stdin'));
    expect(ok.map((e) => e.kind)).toEqual(['heartbeat', 'trade']);
    const bad = `${text}{"kind":"trade","seq":3,"ts":2,"instrument":"X"}\n`;
    await expect(collect(jsonlFeed(Readable.from([bad]), 'stdin'))).rejects.toThrow(/stdin:4: price/);
  });

  it('reads a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hk-jsonl-'));
    const f = join(dir, 'feed.jsonl');
    writeFileSync(f, '{"kind":"bar","seq":1,"ts":0,"instrument":"A","close":10}\n');
    expect((await collect(jsonlFileFeed(f)))[0]).toMatchObject({ instrument: 'A', close: 10 });
  });
});

describe('loopback WebSocket feed', () => {
  it('serves a CSV replay that a WebSocket client receives event for event', async () => {
    const server = await startFeedServer({ ...win, port: 0 });
    try {
      expect(server.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
      const got = await collect(wsFeed(server.url));
      expect(got).toEqual(replayEvents(win));
      expect(server.events).toBe(got.length);
    } finally {
      await server.close();
    }
  });

  it('fails with the URL when nothing listens', async () => {
    await expect(collect(wsFeed('ws://127.0.0.1:1'))).rejects.toThrow(
      /ws:\/\/127\.0\.0\.1:1: WebSocket error/,
    );
  });
});
