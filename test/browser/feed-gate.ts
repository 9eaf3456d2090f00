/** The feed of the dashboard's browser tests: JSON Lines the test releases a few at a time. */
import type { FeedEvent } from '../../src/live/feed/event.ts';

/** An async iterable of JSON Lines whose events the test releases a few at a time. */
export class Gate implements AsyncIterable<string> {
  private released = 0;
  private wake: (() => void) | undefined;
  private ended = false;
  constructor(private readonly events: readonly FeedEvent[]) {}
  /** Releases events up to index `end` (exclusive); returns the last released sequence number. */
  releaseTo(end: number): number {
    this.released = Math.max(this.released, Math.min(end, this.events.length));
    this.wake?.();
    return this.events[this.released - 1].seq;
  }
  end(): void {
    this.releaseTo(this.events.length);
    this.ended = true;
    this.wake?.();
  }
  async *[Symbol.asyncIterator](): AsyncGenerator<string> {
    let sent = 0;
    for (;;) {
      while (sent < this.released) yield `${JSON.stringify(this.events[sent++])}\n`;
      if (this.ended) return;
      await new Promise<void>((r) => {
        this.wake = r;
      });
    }
  }
}
