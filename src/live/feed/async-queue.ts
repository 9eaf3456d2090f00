/**
 * A push → pull bridge: producers `push` items (socket messages, stream lines), one consumer
 * iterates them with `for await`; `end()` finishes the iteration, `fail(e)` makes it throw.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | undefined;
  private rejecting: ((e: unknown) => void) | undefined;
  private done = false;
  private error: unknown;

  push(item: T): void {
    if (this.done) return;
    const w = this.waiting;
    if (w) {
      this.waiting = undefined;
      this.rejecting = undefined;
      w({ value: item, done: false });
    } else this.items.push(item);
  }

  end(): void {
    if (this.done) return;
    this.done = true;
    const w = this.waiting;
    this.waiting = undefined;
    this.rejecting = undefined;
    w?.({ value: undefined, done: true });
  }

  fail(e: unknown): void {
    if (this.done) return;
    this.error = e;
    this.done = true;
    const r = this.rejecting;
    this.waiting = undefined;
    this.rejecting = undefined;
    r?.(e);
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.items.length > 0) return Promise.resolve({ value: this.items.shift() as T, done: false });
        if (this.error !== undefined) return Promise.reject(this.error);
        if (this.done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => {
          this.waiting = resolve;
          this.rejecting = reject;
        });
      },
      return: () => {
        this.end();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
