import type { EventStream, PutRecordsResult, StreamRecord } from '#core/collector/ports.ts';
import { decodeCollectedRecord } from '#core/contract/collected-record.ts';
import type { CollectMeta } from '#core/contract/envelope.ts';

export interface StoredRecord {
  readonly partitionKey: string;
  readonly text: string;
  readonly meta: CollectMeta;
  readonly event: unknown;
}

/**
 * An EventStream that keeps what it accepted, and can refuse chosen records on chosen calls:
 * `failOnCall(1, [0, 2])` refuses positions 0 and 2 of the first putRecords call;
 * `failAlways()` refuses everything; `throwOnCall(n, error)` makes call n throw.
 */
export class InMemoryEventStream implements EventStream {
  readonly stored: StoredRecord[] = [];
  readonly calls: StreamRecord[][] = [];
  readonly #failures = new Map<number, readonly number[]>();
  readonly #throws = new Map<number, Error>();
  #failAll = false;

  failOnCall(call: number, positions: readonly number[]): this {
    this.#failures.set(call, positions);
    return this;
  }

  failAlways(): this {
    this.#failAll = true;
    return this;
  }

  throwOnCall(call: number, error: Error): this {
    this.#throws.set(call, error);
    return this;
  }

  async putRecords(records: readonly StreamRecord[]): Promise<PutRecordsResult> {
    this.calls.push([...records]);
    const call = this.calls.length;
    const thrown = this.#throws.get(call);
    if (thrown !== undefined) throw thrown;
    const refused = this.#failAll ? records.map((_, i) => i) : [...(this.#failures.get(call) ?? [])];
    records.forEach((record, i) => {
      if (refused.includes(i)) return;
      const text = Buffer.from(record.data).toString('utf8');
      const decoded = decodeCollectedRecord(text);
      if (decoded.meta === null) throw new Error(`record without meta line: ${text.slice(0, 80)}`);
      this.stored.push({
        partitionKey: record.partitionKey,
        text,
        meta: decoded.meta,
        event: JSON.parse(decoded.eventText),
      });
    });
    return { failed: refused };
  }
}
