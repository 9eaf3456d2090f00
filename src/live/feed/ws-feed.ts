/**
 * A WebSocket client as a feed (the `ws` library): every text frame holds one event, or several
 * as JSON Lines. The feed ends when the server closes the connection; a connection error or an
 * invalid frame ends it with an error naming the URL and frame number.
 */
import { createRequire } from 'node:module';
import type WebSocket from 'ws';
import { ValidationError } from '../../core/errors.ts';
import { AsyncQueue } from './async-queue.ts';
import { type FeedEvent, parseFeedLine } from './event.ts';
import type { Feed } from './feed.ts';

// `ws` is loaded when a feed connects, not with the library.
const requireCjs = createRequire(import.meta.url);
const wsClient = (): typeof WebSocket => requireCjs('ws') as typeof WebSocket;

/** A feed from `url` (e.g. `ws://127.0.0.1:9000`). */
export function wsFeed(url: string): Feed {
  let socket: WebSocket | undefined;
  let closed = false;
  return {
    name: url,
    close() {
      closed = true;
      socket?.close();
    },
    [Symbol.asyncIterator](): AsyncIterator<FeedEvent> {
      const q = new AsyncQueue<FeedEvent>();
      const ws = new (wsClient())(url);
      socket = ws;
      let frame = 0;
      ws.on('message', (data) => {
        frame++;
        try {
          for (const line of data.toString().split('\n'))
            if (line.trim() !== '') q.push(parseFeedLine(line, `${url} frame ${frame}`));
        } catch (e) {
          q.fail(e);
          ws.close();
        }
      });
      ws.on('error', (e) =>
        q.fail(new ValidationError(url, `WebSocket error (${(e as Error).message})`, 'feed-unreachable')),
      );
      ws.on('close', () => q.end());
      if (closed) ws.close();
      return q[Symbol.asyncIterator]();
    },
  };
}
