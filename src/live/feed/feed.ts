/**
 * One async-iterator interface for every feed, and the clocks that pace replays.
 *
 * A `Feed` is an `AsyncIterable<FeedEvent>` with a name (for messages) and `close()`. Replays are
 * paced by a `Clock`: the system clock for demos, a `VirtualClock` for tests and full-speed runs,
 * which jumps to the time asked for instead of waiting — so a replay "at real time" under a virtual
 * clock is deterministic and instantaneous.
 */
import type { FeedEvent } from './event.ts';

/** A source of normalised market events. */
export interface Feed extends AsyncIterable<FeedEvent> {
  /** Human-readable name, e.g. `replay data/sp500.csv` or `ws://127.0.0.1:9000`. */
  readonly name: string;
  /** Stops the feed; a pending iteration ends. Idempotent. */
  close(): void;
}

/** Time source for pacing: ms since the epoch. */
export interface Clock {
  now(): number;
  /** Resolves when `now() >= ms` (immediately when already past). */
  sleepUntil(ms: number): Promise<void>;
}

/** The machine's clock (`Date.now`, timers). */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleepUntil: (ms) =>
    new Promise((resolve) => {
      const wait = ms - Date.now();
      if (wait <= 0) resolve();
      else setTimeout(resolve, wait);
    }),
};

/**
 * A clock that only moves when asked: `sleepUntil(ms)` sets the time to `ms` at once.
 * @example const c = new VirtualClock(0); await c.sleepUntil(5000); c.now() // returns 5000
 */
export class VirtualClock implements Clock {
  private t: number;
  constructor(start = 0) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  sleepUntil(ms: number): Promise<void> {
    if (ms > this.t) this.t = ms;
    return Promise.resolve();
  }
  /** Moves the clock forward by `ms`. */
  advance(ms: number): void {
    this.t += ms;
  }
}

/** Replay speed: 1 = real time, N = N times faster, 'max' = as fast as possible (no waiting). */
export type ReplaySpeed = number | 'max';

/**
 * Paces events by their timestamps: the event at `ts` is released at wall time
 * start + (ts − ts₀)/speed (no wait at 'max').
 */
export class Pacer {
  private t0 = Number.NaN;
  private w0 = 0;
  constructor(
    private readonly speed: ReplaySpeed,
    private readonly clock: Clock,
  ) {}
  async wait(ts: number): Promise<void> {
    if (this.speed === 'max') return;
    if (Number.isNaN(this.t0)) {
      this.t0 = ts;
      this.w0 = this.clock.now();
      return;
    }
    await this.clock.sleepUntil(this.w0 + (ts - this.t0) / this.speed);
  }
}

/** An in-memory feed over a list of events (tests, benchmarks). */
export function arrayFeed(events: readonly FeedEvent[], name = 'array'): Feed {
  let closed = false;
  return {
    name,
    close() {
      closed = true;
    },
    async *[Symbol.asyncIterator]() {
      for (const e of events) {
        if (closed) return;
        yield e;
      }
    },
  };
}
