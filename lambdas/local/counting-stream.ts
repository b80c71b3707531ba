import type { EventStream, PutRecordsResult, StreamRecord } from '#core/collector/ports.ts';
import { AcceptedTally } from '#core/quality/accepted-tally.ts';
import type { AcceptedEvents } from '#core/quality/warehouse-accepted-counts.ts';

/** Where accepted counts go (`WarehouseAcceptedCounts`, i.e. ops.collector_counts, in local mode). */
export interface AcceptedCountsSink {
  add(accepted: readonly AcceptedEvents[]): Promise<void>;
}

export interface CountingStreamOptions {
  /** How often acknowledged records are counted and the counts written. @default 1000 */
  readonly flushIntervalMs?: number;
  /** Told when counts could not be written (they are kept and written with the next flush). */
  readonly onError?: (error: unknown) => void;
}

interface Acknowledged {
  readonly records: readonly StreamRecord[];
  readonly failed: readonly number[];
}

/**
 * The durable stream as the local collector sees it, counting what the stream acknowledged with the
 * {@link AcceptedTally} the AWS collector uses too: events per (source, event name the validator will
 * assign, minute of receipt), the left side of the quality reconciliation (AcceptedCounts), copies of one
 * event from one source received in the same millisecond once (within a flush). Counting stays off the
 * request path: `putRecords` only keeps a reference to the acknowledged records; counting and writing
 * happen on a timer, in `flush()`, and on stop. Counts not yet written when the process is killed are
 * lost (at most one interval of them); their events still land, so the reconciliation shows them as a
 * negative gap.
 */
export class CountingStream implements EventStream {
  readonly #inner: EventStream;
  readonly #sink: AcceptedCountsSink;
  readonly #intervalMs: number;
  readonly #onError: (error: unknown) => void;
  readonly #tally = new AcceptedTally();
  #acknowledged: Acknowledged[] = [];
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(inner: EventStream, sink: AcceptedCountsSink, options: CountingStreamOptions = {}) {
    this.#inner = inner;
    this.#sink = sink;
    this.#intervalMs = options.flushIntervalMs ?? 1000;
    this.#onError = options.onError ?? (() => undefined);
  }

  async putRecords(records: readonly StreamRecord[]): Promise<PutRecordsResult> {
    const result = await this.#inner.putRecords(records);
    if (result.failed.length < records.length) this.#acknowledged.push({ records, failed: result.failed });
    return result;
  }

  /** Starts the periodic flush. */
  start(): void {
    this.#timer ??= setInterval(() => void this.flush(), this.#intervalMs);
  }

  /** Counts every record acknowledged so far and writes the counts; flushes run one after another. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(() => this.#flushOnce());
    return this.#flushing;
  }

  /** Stops the timer and writes what is left. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }

  async #flushOnce(): Promise<void> {
    const batches = this.#acknowledged;
    this.#acknowledged = [];
    for (const { records, failed } of batches) this.#tally.countAcknowledged(records, failed);
    const counts = this.#tally.take();
    if (counts.length === 0) return;
    try {
      await this.#sink.add(counts);
    } catch (error) {
      this.#tally.putBack(counts);
      this.#onError(error);
    }
  }
}
