/**
 * `hedgekit feed FILE`: a simulated market for demos and tests. Serves a history CSV (replayed as
 * in replay-feed.ts) or a JSON Lines file over a WebSocket bound to the loopback interface; every
 * client gets the whole stream from the start, paced at the chosen speed, then a normal close.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type FeedEvent, formatFeedEvent, parseFeedLine } from './event.ts';
import { type Clock, Pacer, type ReplaySpeed, systemClock } from './feed.ts';
import { type ReplayFeedOptions, replayEvents } from './replay-feed.ts';

export interface FeedServerOptions extends Omit<ReplayFeedOptions, 'speed' | 'clock'> {
  /** Port (0 = any free port). */
  readonly port?: number;
  /** Interface (default 127.0.0.1). */
  readonly host?: string;
  readonly speed?: ReplaySpeed;
  readonly clock?: Clock;
  /** Called when a client has received the whole stream (or left). */
  readonly onClientDone?: () => void;
}

export interface FeedServer {
  /** `ws://host:port`. */
  readonly url: string;
  /** Number of events each client receives. */
  readonly events: number;
  close(): Promise<void>;
}

/** The events of a file: `.jsonl` / `.ndjson` lines (validated), anything else a history CSV. */
export function fileEvents(opts: ReplayFeedOptions): FeedEvent[] {
  if (/\.(jsonl|ndjson)$/i.test(opts.file)) {
    return readFileSync(opts.file, 'utf8')
      .split('\n')
      .map((line, i) => [line, i + 1] as const)
      .filter(([line]) => line.trim() !== '')
      .map(([line, n]) => parseFeedLine(line, `${opts.file}:${n}`));
  }
  return replayEvents(opts);
}

/**
 * Starts the server.
 * @throws CsvValidationError / ValidationError for a bad file (before listening)
 */
export async function startFeedServer(opts: FeedServerOptions): Promise<FeedServer> {
  const events = fileEvents(opts);
  const { WebSocketServer } = await import('ws'); // loaded when a server starts, not with the library
  const wss = new WebSocketServer({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0 });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', () => resolve());
    wss.once('error', reject);
  });
  wss.on('connection', async (ws) => {
    const pacer = new Pacer(opts.speed ?? 'max', opts.clock ?? systemClock);
    for (const e of events) {
      await pacer.wait(e.ts);
      if (ws.readyState !== ws.OPEN) break;
      ws.send(formatFeedEvent(e));
    }
    if (ws.readyState === ws.OPEN) ws.close(1000, 'end of feed');
    opts.onClientDone?.();
  });
  const addr = wss.address() as AddressInfo;
  return {
    url: `ws://${addr.address}:${addr.port}`,
    events: events.length,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}
