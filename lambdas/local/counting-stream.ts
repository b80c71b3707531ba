import type { EventStream, PutRecordsResult, StreamRecord } from '#core/collector/ports.ts';
import { eventNameOf } from '#core/contract/assigned-event-name.ts';
import { decodeCollectedRecord } from '#core/contract/collected-record.ts';
import type { CollectMeta } from '#core/contract/envelope.ts';
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

/** Records counted in one flush with one (source, receipt time): one request's, nearly always. */
interface Receipt {
  readonly requestId: string;
  /** The records counted, while they all come from one request. */
  readonly records: string[];
  /** Event texts counted, once a second request shares the receipt time (rare). */
  events: Set<string> | null;
}

const eventTextOf = (record: string): string => record.slice(record.indexOf('\n') + 1);

const MINUTE_MS = 60_000;

/**
 * The durable stream as the local collector sees it, counting what the stream acknowledged: events per
 * (source, event name the validator will assign, minute of receipt), the left side of the quality
 * reconciliation (AcceptedCounts). Copies of one event (the same text) from one source received in the
 * same millisecond count once, as the reconciliation counts their lines in raw once (it cannot tell them
 * from a replay's). Counting stays off the request path: `putRecords` only keeps a
 * reference to the acknowledged records; decoding, naming and writing happen on a timer, in `flush()`,
 * and on stop. Counts not yet written when the process is killed are lost (at most one interval of
 * them); their events still land, so the reconciliation shows them as a negative gap.
 */
export class CountingStream implements EventStream {
  readonly #inner: EventStream;
  readonly #sink: AcceptedCountsSink;
  readonly #intervalMs: number;
  readonly #onError: (error: unknown) => void;
  #acknowledged: Acknowledged[] = [];
  /** Counted, not yet written, by `source \0 name \0 minute`. */
  #counts = new Map<string, AcceptedEvents>();
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  /** Records of one request share their meta line: it is parsed once. */
  #lastMetaText = '';
  #lastMeta: { readonly meta: CollectMeta; readonly minute: number } | null = null;

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
    // copies of one event received in the same millisecond are one event to the reconciliation
    const seen = { records: new Set<string>(), receipts: new Map<string, Receipt>() };
    for (const { records, failed } of batches) {
      const refused = new Set(failed);
      records.forEach((record, index) => {
        if (!refused.has(index)) this.#count(record, seen);
      });
    }
    if (this.#counts.size === 0) return;
    const counts = this.#counts;
    this.#counts = new Map();
    try {
      await this.#sink.add([...counts.values()]);
    } catch (error) {
      for (const [key, c] of counts) this.#addCount(key, c.sourceId, c.eventName, c.receivedAt, c.count);
      this.#onError(error);
    }
  }

  #count(record: StreamRecord, seen: { records: Set<string>; receipts: Map<string, Receipt> }): void {
    const data = record.data;
    const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
    // whole records hash cheaply (a sliced string would be copied first): copies within one request
    if (seen.records.has(text)) return;
    seen.records.add(text);
    const newline = text.indexOf('\n');
    const metaText = newline < 0 ? text : text.slice(0, newline);
    if (metaText !== this.#lastMetaText) {
      this.#lastMetaText = metaText;
      const { meta } = decodeCollectedRecord(text);
      const received = meta ? Date.parse(meta.received_at) : Number.NaN;
      this.#lastMeta =
        meta && !Number.isNaN(received)
          ? { meta, minute: Math.floor(received / MINUTE_MS) * MINUTE_MS }
          : null;
    }
    // the collector always writes a meta line with its receipt time; anything else is not its record
    if (this.#lastMeta === null) return;
    const { meta, minute } = this.#lastMeta;
    const eventText = text.slice(newline + 1);
    const key = `${meta.source_id}\u0000${meta.received_at}`;
    let receipt = seen.receipts.get(key);
    if (receipt === undefined) {
      receipt = { requestId: meta.request_id, records: [], events: null };
      seen.receipts.set(key, receipt);
    }
    // copies across requests received in the same millisecond: compare event texts from then on
    if (receipt.events === null && meta.request_id !== receipt.requestId) {
      receipt.events = new Set(receipt.records.map(eventTextOf));
    }
    if (receipt.events === null) {
      receipt.records.push(text);
    } else {
      if (receipt.events.has(eventText)) return;
      receipt.events.add(eventText);
    }
    const name = eventNameOf(meta, eventText);
    this.#addCount(
      `${meta.source_id}\u0000${name}\u0000${minute}`,
      meta.source_id,
      name,
      new Date(minute),
      1,
    );
  }

  #addCount(key: string, sourceId: string, eventName: string, receivedAt: Date, count: number): void {
    const previous = this.#counts.get(key);
    this.#counts.set(key, { sourceId, eventName, receivedAt, count: (previous?.count ?? 0) + count });
  }
}
