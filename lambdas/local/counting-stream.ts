import type { AppendResult } from '#adapters/local/segment-log.ts';
import type { ReadLimits, RecordsRead } from '#adapters/local/segment-read.ts';
import type { EventStream, PutRecordsResult, StreamRecord } from '#core/collector/ports.ts';
import { AcceptedTally } from '#core/quality/accepted-tally.ts';
import type { AcceptedEvents } from '#core/quality/warehouse-accepted-counts.ts';
import { WarehouseUnavailableError } from '#core/warehouse/errors.ts';
import type { CollectorCountsStore, CountBatch } from './collector-counts-store.ts';
import { isDiskFull } from './disk-full.ts';

/** The durable stream as the counter sees it: appends that say where they end (`DurableLogStream`). */
export interface PositionedStream {
  append(records: readonly StreamRecord[]): Promise<AppendResult>;
}

/** The log the stream appends to, read again at start to recount what was never written (`SegmentLog`). */
export interface RecountableLog {
  readonly startPosition: number;
  readonly durableEnd: number;
  read(from: number, limits: ReadLimits): Promise<RecordsRead>;
}

export interface CountingStreamOptions {
  /** How often acknowledged records are counted and the counts written. @default 1000 */
  readonly flushIntervalMs?: number;
  /** Told when counts could not be written (they are kept and written with a later flush). */
  readonly onError?: (error: unknown) => void;
  /** Told about counts the warehouse refused as values and that were dropped so the others could be written. */
  readonly onDropped?: (count: AcceptedEvents, error: unknown) => void;
  /** Told when records were deleted from the log before their counts were written (they cannot be recounted). */
  readonly onUncountable?: (from: number, to: number) => void;
}

interface Acknowledged {
  readonly records: readonly StreamRecord[];
  readonly end: number;
}

const RECOUNT_LIMITS: ReadLimits = { maxRecords: 10_000, maxBytes: 16 * 1024 * 1024 };
/** Records recounted per queued batch (about one flush at the reference peak). */
const RECOUNT_BATCH_RECORDS = 20_000;

/** A failure that is the warehouse's state, not the counts' values: keep everything and try again later. */
const isOutage = (error: unknown): boolean => error instanceof WarehouseUnavailableError || isDiskFull(error);

const keyOf = (c: AcceptedEvents): string =>
  JSON.stringify([c.sourceId, c.eventName, c.receivedAt.getTime()]);

/**
 * The durable stream as the local collector sees it, counting what the stream acknowledged with the
 * {@link AcceptedTally} the AWS collector uses too: events per (source, event name the validator will
 * assign, minute of receipt), the left side of the quality reconciliation (AcceptedCounts), copies of one
 * event from one source received in the same millisecond once (within a flush). Counting stays off the
 * request path: `putRecords` only keeps a reference to the acknowledged records; counting and writing
 * happen on a timer, in `flush()`, and on stop.
 *
 * The counts are re-derivable: each write records, in the same transaction, the stream position its
 * records reach, and `recount()` (at start) counts the log's records past that position again. So counts
 * the process never wrote (killed, or stopped while the warehouse was down) are not lost; the stack keeps
 * those log segments until they are counted (`countedThrough`). Counts not written stay queued, by
 * position, until the warehouse takes them; a write that failed is never added twice. When the warehouse
 * refuses the values themselves (not an outage), each count is tried alone and those it refuses are
 * dropped and reported, so one bad value never holds back the other counts, then or later.
 */
export class CountingStream implements EventStream {
  readonly #inner: PositionedStream;
  readonly #store: CollectorCountsStore;
  readonly #intervalMs: number;
  readonly #options: CountingStreamOptions;
  readonly #tally = new AcceptedTally();
  #acknowledged: Acknowledged[] = [];
  /** Counted, not written yet, oldest first. */
  #pending: CountBatch[] = [];
  /** Position up to which every acknowledged record is written (or queued in #pending). */
  #through = 0;
  #written = 0;
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(inner: PositionedStream, store: CollectorCountsStore, options: CountingStreamOptions = {}) {
    this.#inner = inner;
    this.#store = store;
    this.#intervalMs = options.flushIntervalMs ?? 1000;
    this.#options = options;
  }

  async putRecords(records: readonly StreamRecord[]): Promise<PutRecordsResult> {
    const result = await this.#inner.append(records);
    if (records.length > 0) this.#acknowledged.push({ records, end: result.end });
    return { failed: [] };
  }

  /**
   * Counts again the log's records past the position the written counts reach (all of them were
   * acknowledged: the log holds nothing else), queued for the next flush. Call once at start, before the
   * collector accepts anything. A store that never recorded a position starts counting at the log's end
   * (and records it).
   */
  async recount(log: RecountableLog): Promise<void> {
    const recorded = await this.#store.countedThrough();
    const end = log.durableEnd;
    if (recorded === null) {
      // first start (or a warehouse from before positions were kept): counting starts here, recorded now
      await this.#store.write([{ counts: [], through: end }]);
      this.#through = end;
      this.#written = end;
      return;
    }
    this.#written = recorded;
    let from = recorded;
    if (from < log.startPosition) {
      this.#options.onUncountable?.(from, log.startPosition);
      from = log.startPosition;
    }
    // queued in batches, each cut where a request's records end: the tally remembers every record of a
    // batch (identical ones count once), which must not grow with the length of an outage
    let counted = 0;
    let lastMeta: Buffer | null = null;
    while (from < end) {
      const { records, next } = await log.read(from, RECOUNT_LIMITS);
      for (const record of records) {
        const meta = record.data.subarray(0, Math.max(0, record.data.indexOf(10)));
        if (counted >= RECOUNT_BATCH_RECORDS && lastMeta !== null && !meta.equals(lastMeta)) {
          this.#pending.push({ counts: this.#tally.take(), through: record.position });
          counted = 0;
        }
        this.#tally.count(record.data);
        counted += 1;
        lastMeta = meta;
      }
      if (next === from) break;
      from = next;
    }
    this.#through = Math.max(recorded, end);
    if (this.#through > recorded) this.#pending.push({ counts: this.#tally.take(), through: this.#through });
  }

  /** Stream position up to which counts are written: the log must keep every record past it. */
  get countedThrough(): number {
    return this.#written;
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

  /** Stops the timer and writes what is left (what cannot be written is recounted at the next start). */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }

  async #flushOnce(): Promise<void> {
    const acknowledged = this.#acknowledged;
    this.#acknowledged = [];
    if (acknowledged.length > 0) {
      for (const { records, end } of acknowledged) {
        this.#tally.countAcknowledged(records, []);
        this.#through = Math.max(this.#through, end);
      }
      this.#pending.push({ counts: this.#tally.take(), through: this.#through });
    }
    if (this.#pending.length === 0) return;
    try {
      await this.#write();
    } catch (error) {
      if (isOutage(error) || !(await this.#dropRefusedCounts())) {
        this.#options.onError?.(error);
        return;
      }
      try {
        await this.#write();
      } catch (again) {
        this.#options.onError?.(again);
      }
    }
  }

  async #write(): Promise<void> {
    const batches = this.#pending;
    await this.#store.write(batches);
    this.#pending = this.#pending.slice(batches.length);
    this.#written = Math.max(this.#written, ...batches.map((b) => b.through));
  }

  /**
   * Tries each queued count alone (rolled back) and drops those the warehouse refuses; false when it
   * refuses none, or the warehouse is down (then the failure was not the values', and everything stays).
   */
  async #dropRefusedCounts(): Promise<boolean> {
    const sums = new Map<string, AcceptedEvents>();
    for (const c of this.#pending.flatMap((b) => b.counts)) {
      const previous = sums.get(keyOf(c));
      sums.set(keyOf(c), { ...c, count: (previous?.count ?? 0) + c.count });
    }
    const refused = new Set<string>();
    for (const [key, count] of sums) {
      try {
        await this.#store.probe(count);
      } catch (error) {
        if (isOutage(error)) return false;
        refused.add(key);
        this.#options.onDropped?.(count, error);
      }
    }
    if (refused.size === 0) return false;
    this.#pending = this.#pending.map((b) => ({
      through: b.through,
      counts: b.counts.filter((c) => !refused.has(keyOf(c))),
    }));
    return true;
  }
}
