import type { BatchOutcome } from '#adapters/local/log-consumer.ts';
import type { LogRecord } from '#adapters/local/segment-read.ts';
import type { RejectReasonCode } from '#core/contract/envelope.ts';
import { type BatchDeps, processKinesisBatch } from '#core/validator/process-batch.ts';
import { toStreamedRecord } from '#core/validator/streamed-record.ts';

export interface ValidatorCounts {
  readonly validated: number;
  readonly rejected: number;
  readonly rejectedByReason: Readonly<Partial<Record<RejectReasonCode, number>>>;
  readonly sinkFailures: number;
}

/**
 * The validator as the local stream consumer runs it: the same `processKinesisBatch` the
 * Lambda runs, over log records instead of Kinesis records. A record reported in
 * `batchItemFailures` makes the consumer redeliver from it (Lambda's ReportBatchItemFailures
 * semantics: resume at the lowest failed sequence number).
 */
export class ValidatorConsumer {
  private validated = 0;
  private rejected = 0;
  private sinkFailures = 0;
  private readonly byReason: Partial<Record<RejectReasonCode, number>> = {};

  constructor(
    private readonly deps: BatchDeps,
    private readonly onErrors?: (errors: readonly unknown[]) => void,
  ) {}

  /** The batch handler for a {@link LogConsumer}. */
  readonly handle = async (records: readonly LogRecord[]): Promise<BatchOutcome | undefined> => {
    const streamed = records.map((r) =>
      toStreamedRecord(String(r.position), r.data, new Date(r.arrivedAt).toISOString()),
    );
    const result = await processKinesisBatch(streamed, this.deps);
    this.validated += result.counts.validated;
    this.sinkFailures += result.counts.sinkFailures;
    for (const [code, n] of Object.entries(result.counts.rejected) as [RejectReasonCode, number][]) {
      this.rejected += n;
      this.byReason[code] = (this.byReason[code] ?? 0) + n;
    }
    if (result.errors.length > 0) this.onErrors?.(result.errors.map((e) => e.error));
    const first = result.batchItemFailures[0];
    if (first === undefined) return undefined;
    const index = streamed.findIndex((r) => r.sequenceNumber === first.itemIdentifier);
    return { retryFrom: Math.max(0, index) };
  };

  /** Lines stored since start (a replay after a crash counts again). */
  get counts(): ValidatorCounts {
    return {
      validated: this.validated,
      rejected: this.rejected,
      rejectedByReason: { ...this.byReason },
      sinkFailures: this.sinkFailures,
    };
  }
}
