/**
 * JSON Lines as a feed: one event object per line (blank lines skipped), from a file or a stream
 * such as stdin. Each line is validated; a bad line stops the feed with `name:line: field: rule`.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { type FeedEvent, parseFeedLine } from './event.ts';
import type { Feed } from './feed.ts';

/**
 * A feed over the lines of a readable stream.
 * @param name for messages (`stdin`, a file name)
 * @throws ValidationError `name:line: …` from the iteration for an invalid line
 */
export function jsonlFeed(input: NodeJS.ReadableStream, name: string): Feed {
  let closed = false;
  const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  return {
    name,
    close() {
      closed = true;
      rl.close();
    },
    async *[Symbol.asyncIterator](): AsyncIterator<FeedEvent> {
      let line = 0;
      for await (const text of rl) {
        line++;
        if (closed) return;
        if (text.trim() === '') continue;
        yield parseFeedLine(text, `${name}:${line}`);
      }
    },
  };
}

/** A JSON Lines file as a feed. */
export function jsonlFileFeed(file: string): Feed {
  return jsonlFeed(createReadStream(file, { encoding: 'utf8' }), file);
}
