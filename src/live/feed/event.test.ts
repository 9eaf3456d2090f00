import { describe, expect, it } from 'vitest';
import { eventPrice, parseFeedEvent, parseFeedLine } from './event.ts';

describe('feed events', () => {
  it('accepts each kind and fills the vol measure default', () => {
    expect(parseFeedLine('{"kind":"bar","seq":1,"ts":0,"instrument":"SPX","close":1200}', 'f:1')).toEqual({
      kind: 'bar',
      seq: 1,
      ts: 0,
      instrument: 'SPX',
      close: 1200,
    });
    const v = parseFeedEvent({ kind: 'vol', seq: 2, ts: 5, instrument: 'SPX', vol: 0.3 }, 'x');
    expect(v).toMatchObject({ measure: 'implied' });
    expect(parseFeedEvent({ kind: 'heartbeat', seq: 3, ts: 9 }, 'x').kind).toBe('heartbeat');
  });

  it('names the line and field of a bad event', () => {
    expect(() =>
      parseFeedLine('{"kind":"bar","seq":1,"ts":0,"instrument":"SPX","close":-5}', 'feed.jsonl:7'),
    ).toThrow('feed.jsonl:7: close: must be > 0 (got -5)');
    expect(() => parseFeedLine('{"kind":"trade"', 'feed.jsonl:2')).toThrow(/feed.jsonl:2: invalid JSON/);
    expect(() => parseFeedLine('{"kind":"tick","seq":1,"ts":0}', 'w')).toThrow(/^w: kind:/);
    expect(() =>
      parseFeedEvent({ kind: 'quote', seq: 1, ts: 0, instrument: 'X', bid: 101, ask: 100 }, 'q'),
    ).toThrow('q: ask (100) must be >= bid (101)');
    expect(() => parseFeedEvent({ kind: 'heartbeat', seq: 1.5, ts: 0 }, 'h')).toThrow(
      /seq: must be an integer/,
    );
  });

  it('takes the mid of a quote, the close of a bar, the price of a trade', () => {
    expect(eventPrice({ kind: 'quote', seq: 1, ts: 0, instrument: 'X', bid: 99, ask: 101 })).toBe(100);
    expect(eventPrice({ kind: 'trade', seq: 1, ts: 0, instrument: 'X', price: 7 })).toBe(7);
    expect(eventPrice({ kind: 'heartbeat', seq: 1, ts: 0 })).toBeUndefined();
  });
});
