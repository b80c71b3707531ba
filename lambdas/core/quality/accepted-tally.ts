import type { StreamRecord } from '#core/collector/ports.ts';
import { eventNameOf } from '#core/contract/assigned-event-name.ts';
import { decodeCollectedRecord } from '#core/contract/collected-record.ts';
import type { CollectMeta } from '#core/contract/envelope.ts';
import { MAX_EVENT_BYTES } from '#core/contract/limits.ts';
import type { AcceptedEvents } from './warehouse-accepted-counts.ts';

const MINUTE_MS = 60_000;

/** Records counted with one (source, receipt time): one request's, nearly always. */
interface Receipt {
  readonly requestId: string;
  /** The records counted, while they all come from one request. */
  readonly records: string[];
  /** Event texts counted, once a second request shares the receipt time (rare). */
  events: Set<string> | null;
}

const eventTextOf = (record: string): string => record.slice(record.indexOf('\n') + 1);

export interface AcceptedTallyOptions {
  /** The validator's event size limit, which decides whether an event gets a name. @default MAX_EVENT_BYTES */
  readonly maxEventBytes?: number;
}

/**
 * Counts collected records the stream acknowledged as the reconciliation counts their lines in raw:
 * per (source, event name the validator will assign, minute of `received_at`), with copies of one event
 * (the same text) from one source received in the same millisecond counted once, since raw cannot tell
 * them from a replay's lines. Copies are remembered until {@link take}: a copy counted after it counts
 * again. Records without the collector's meta line (and its receipt time) are not the collector's and
 * are not counted. Both collectors' counters use it: the local stack's `CountingStream` (written to
 * `ops.collector_counts`) and the AWS collector's `MeteredEventStream` (the `AcceptedEvents` metric).
 *
 * Cost per record: one UTF-8 decode, one hash of the record text, and `eventNameOf` (a `JSON.parse` of
 * the event); the meta line is parsed once per run of records sharing it (once per request).
 */
export class AcceptedTally {
  readonly #maxEventBytes: number;
  #records = new Set<string>();
  #receipts = new Map<string, Receipt>();
  /** Counted since the last take, by `source \0 name \0 minute`. */
  #counts = new Map<string, AcceptedEvents>();
  /** Records of one request share their meta line: it is parsed once. */
  #lastMetaText = '';
  #lastMeta: { readonly meta: CollectMeta; readonly minute: number } | null = null;

  constructor(options: AcceptedTallyOptions = {}) {
    this.#maxEventBytes = options.maxEventBytes ?? MAX_EVENT_BYTES;
  }

  /** Counts the records of one put that the stream acknowledged: all but the `failed` indexes. */
  countAcknowledged(records: readonly StreamRecord[], failed: readonly number[]): void {
    const refused = failed.length === 0 ? null : new Set(failed);
    records.forEach((record, index) => {
      if (refused === null || !refused.has(index)) this.count(record.data);
    });
  }

  /** Counts one acknowledged record, given as the bytes put on the stream. */
  count(data: Uint8Array): void {
    const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
    // whole records hash cheaply (a sliced string would be copied first): copies within one request
    if (this.#records.has(text)) return;
    this.#records.add(text);
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
    if (this.#isCopyFromAnotherRequest(meta, text, eventText)) return;
    this.#add(meta.source_id, eventNameOf(meta, eventText, this.#maxEventBytes), minute, 1);
  }

  /**
   * The counts since the last take, one entry per (source, event name, minute; `receivedAt` is the
   * minute's start), and forgets the copies seen.
   */
  take(): AcceptedEvents[] {
    const counts = [...this.#counts.values()];
    this.#counts = new Map();
    this.#records = new Set();
    this.#receipts = new Map();
    return counts;
  }

  /**
   * Adds counts taken but not written (their sink failed) back, summed with what is counted since, so the
   * next take writes them; the copies seen are not restored (they were counted).
   */
  putBack(counts: readonly AcceptedEvents[]): void {
    for (const c of counts) this.#add(c.sourceId, c.eventName, c.receivedAt.getTime(), c.count);
  }

  #add(sourceId: string, eventName: string, minuteMs: number, count: number): void {
    const key = `${sourceId}\u0000${eventName}\u0000${minuteMs}`;
    const previous = this.#counts.get(key);
    this.#counts.set(key, {
      sourceId,
      eventName,
      receivedAt: previous?.receivedAt ?? new Date(minuteMs),
      count: (previous?.count ?? 0) + count,
    });
  }

  /** Copies across requests received in the same millisecond: event texts are compared from then on. */
  #isCopyFromAnotherRequest(meta: CollectMeta, text: string, eventText: string): boolean {
    const key = `${meta.source_id}\u0000${meta.received_at}`;
    let receipt = this.#receipts.get(key);
    if (receipt === undefined) {
      receipt = { requestId: meta.request_id, records: [], events: null };
      this.#receipts.set(key, receipt);
    }
    if (receipt.events === null && meta.request_id !== receipt.requestId) {
      receipt.events = new Set(receipt.records.map(eventTextOf));
    }
    if (receipt.events === null) {
      receipt.records.push(text);
      return false;
    }
    if (receipt.events.has(eventText)) return true;
    receipt.events.add(eventText);
    return false;
  }
}
