import type { EventStream, PutRecordsResult, StreamRecord } from '#core/collector/ports.ts';
import type { AppendResult, SegmentLog } from './segment-log.ts';

/**
 * The local stand-in for a Kinesis Data Stream: `putRecords` resolves only once the records
 * are fsynced in the segment log, so a collector answering 200 after it never loses them.
 * A write failure rejects the whole call (nothing of it is readable), and the collector
 * answers 5xx so the SDK retries.
 */
export class DurableLogStream implements EventStream {
  private accepted = 0;

  constructor(private readonly log: SegmentLog) {}

  async putRecords(records: readonly StreamRecord[]): Promise<PutRecordsResult> {
    await this.append(records);
    return { failed: [] };
  }

  /** `putRecords` saying where in the log the records landed (an empty put lands at the durable end). */
  async append(records: readonly StreamRecord[]): Promise<AppendResult> {
    if (records.length === 0) return { first: this.log.durableEnd, end: this.log.durableEnd };
    const result = await this.log.append(records);
    this.accepted += records.length;
    return result;
  }

  /** Records made durable through this stream since it was created. */
  get recordsAccepted(): number {
    return this.accepted;
  }
}
