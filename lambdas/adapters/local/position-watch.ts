/**
 * A log position that only moves forward, with waiters: a stream consumer parks on it until
 * new records are durable instead of polling the disk. Shared by the log's writer
 * ({@link SegmentLog}) and by a reader following the log from another thread.
 */
export class PositionWatch {
  private value: number;
  private closed = false;
  private readonly waiters = new Set<() => void>();

  constructor(initial: number) {
    this.value = initial;
  }

  get position(): number {
    return this.value;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Moves the position forward (never back) and wakes the waiters it passes. */
  advance(to: number): void {
    if (to <= this.value) return;
    this.value = to;
    this.wake();
  }

  /** Wakes every waiter for good. */
  close(): void {
    this.closed = true;
    this.wake();
  }

  /**
   * Resolves when the position moves past `position`, the watch closes, or `signal` aborts
   * (immediately when it already is past).
   */
  waitPast(position: number, signal?: AbortSignal): Promise<void> {
    if (this.value > position || this.closed || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        if (this.value <= position && !this.closed && !signal?.aborted) return;
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.add(done);
      signal?.addEventListener('abort', done);
    });
  }

  private wake(): void {
    for (const wake of [...this.waiters]) wake();
  }
}
