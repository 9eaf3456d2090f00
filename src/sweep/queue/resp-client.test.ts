/**
 * The RESP2 codec of the queue's Redis client: replies parse whole however the bytes are split
 * across reads (a shard result arrives in many TCP chunks), and commands encode as arrays of bulk
 * strings byte for byte (binary arguments — BullMQ's msgpack — untouched).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeCommand, parseReply, RedisReplyError } from './resp-client.ts';

type R = string | number | null | R[];

/** RESP2 text of a reply (bulk strings for strings). */
function resp(r: R): Buffer {
  if (r === null) return Buffer.from('$-1\r\n');
  if (typeof r === 'number') return Buffer.from(`:${r}\r\n`);
  if (typeof r === 'string') {
    const b = Buffer.from(r);
    return Buffer.concat([Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n')]);
  }
  return Buffer.concat([Buffer.from(`*${r.length}\r\n`), ...r.map(resp)]);
}

const reply: fc.Arbitrary<R> = fc.letrec<{ r: R }>((tie) => ({
  r: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'binary' }),
    fc.integer(),
    fc.constant(null),
    fc.array(tie('r'), { maxLength: 4 }),
  ),
})).r;

describe('RESP2 codec', () => {
  it('parses a stream of replies split at any byte into the same values', () => {
    fc.assert(
      fc.property(
        fc.array(reply, { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (rs, cuts) => {
          const all = Buffer.concat(rs.map(resp));
          const points = [...new Set(cuts.map((c) => c % (all.length + 1)))].sort((a, b) => a - b);
          const got: unknown[] = [];
          let buf = Buffer.alloc(0);
          let prev = 0;
          for (const cut of [...points, all.length]) {
            buf = Buffer.concat([buf, all.subarray(prev, cut)]);
            prev = cut;
            let pos = 0;
            for (let r = parseReply(buf, pos); r; r = parseReply(buf, pos)) {
              got.push(r.value);
              pos = r.next;
            }
            buf = buf.subarray(pos);
          }
          expect(got).toEqual(rs);
          expect(buf.length).toBe(0);
        },
      ),
      { seed: 20261203, numRuns: 300 },
    );
  });

  it('parses simple strings, errors (as values inside arrays) and null arrays', () => {
    const r = parseReply(Buffer.from('*3\r\n+OK\r\n-NOSCRIPT No matching script\r\n*-1\r\n'), 0);
    expect(r?.value).toEqual(['OK', new RedisReplyError('NOSCRIPT No matching script'), null]);
    expect(((r?.value ?? []) as unknown[])[1]).toBeInstanceOf(RedisReplyError);
  });

  it('encodes commands as arrays of bulk strings, binary arguments byte for byte', () => {
    const bin = Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x92]);
    expect(encodeCommand(['SET', 'k', 12, bin])).toEqual(
      Buffer.concat([
        Buffer.from('*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\n12\r\n$5\r\n'),
        bin,
        Buffer.from('\r\n'),
      ]),
    );
  });
});
