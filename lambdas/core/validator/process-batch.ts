import type { RejectReason, RejectReasonCode } from '#core/contract/envelope.ts';
import type { LineSink } from './ports.ts';
import type { StreamedRecord } from './streamed-record.ts';
import { rejectUndecodable, UNDECODABLE_MESSAGE } from './undecodable-record.ts';

/** What validating one record gives: the line for the events sink, or for the rejected sink with why. */
export type RecordValidation =
  | { readonly ok: true; readonly line: string }
  | { readonly ok: false; readonly line: string; readonly reason: RejectReason };

export interface BatchDeps {
  /** Validates one record's text (a collected record); must not throw for bad input. */
  readonly validate: (recordText: string, arrivedAt: string) => RecordValidation;
  readonly events: LineSink;
  readonly rejected: LineSink;
}

/** Lambda's partial batch response item: the record to retry from. */
export interface BatchItemFailure {
  readonly itemIdentifier: string;
}

/** What was stored, for metrics. A record whose line was not stored is counted only as a sink failure. */
export interface BatchCounts {
  readonly validated: number;
  readonly rejected: Readonly<Partial<Record<RejectReasonCode, number>>>;
  /** Lines a sink did not store; their records are in `batchItemFailures`. */
  readonly sinkFailures: number;
  /** Records the validator threw on (a bug, not bad data); their records are in `batchItemFailures`. */
  readonly validatorErrors: number;
}

/** An unexpected error met while processing, kept for the log (the batch itself carries on). */
export type BatchError =
  | { readonly stage: 'validate'; readonly sequenceNumber: string; readonly error: unknown }
  | { readonly stage: 'events' | 'rejected'; readonly lines: number; readonly error: unknown };

export interface BatchResult {
  /** Records to retry, in stream order; empty when everything was stored. */
  readonly batchItemFailures: readonly BatchItemFailure[];
  readonly counts: BatchCounts;
  readonly errors: readonly BatchError[];
}

/**
 * Validates a batch of stream records one by one and stores each record's line in exactly one
 * sink: good events in `events`, rejected ones (with their reason) in `rejected`. A bad record
 * never fails the batch: it becomes a rejected line. A record is reported in
 * `batchItemFailures` only when its line could not be stored (or the validator threw on it),
 * so the stream hands it over again; nothing is dropped silently. (Kinesis resumes from the
 * lowest reported record, so later records may be processed twice; the dedup key absorbs that.)
 * Records whose bytes are not UTF-8 are rejected as MALFORMED_RECORD with their bytes kept in base64.
 */
export const processKinesisBatch = async (
  records: readonly StreamedRecord[],
  deps: BatchDeps,
): Promise<BatchResult> => {
  const good: Pending = { lines: [], owners: [] };
  const bad: Pending & { codes: RejectReasonCode[] } = { lines: [], owners: [], codes: [] };
  const retry = new Set<number>();
  const errors: BatchError[] = [];

  records.forEach((record, index) => {
    let outcome: RecordValidation;
    try {
      outcome = validateOne(record, deps);
    } catch (error) {
      retry.add(index);
      errors.push({ stage: 'validate', sequenceNumber: record.sequenceNumber, error });
      return;
    }
    if (outcome.ok) {
      good.lines.push(outcome.line);
      good.owners.push(index);
    } else {
      bad.lines.push(outcome.line);
      bad.owners.push(index);
      bad.codes.push(outcome.reason.code);
    }
  });

  const [eventsFailed, rejectedFailed] = await Promise.all([
    store(deps.events, good, 'events', errors),
    store(deps.rejected, bad, 'rejected', errors),
  ]);

  for (const line of eventsFailed) retry.add(good.owners[line]!);
  for (const line of rejectedFailed) retry.add(bad.owners[line]!);
  const rejected: Partial<Record<RejectReasonCode, number>> = {};
  bad.codes.forEach((code, line) => {
    if (!rejectedFailed.has(line)) rejected[code] = (rejected[code] ?? 0) + 1;
  });

  return {
    batchItemFailures: [...retry]
      .sort((a, b) => a - b)
      .map((index) => ({ itemIdentifier: records[index]!.sequenceNumber })),
    counts: {
      validated: good.lines.length - eventsFailed.size,
      rejected,
      sinkFailures: eventsFailed.size + rejectedFailed.size,
      validatorErrors: errors.filter((error) => error.stage === 'validate').length,
    },
    errors,
  };
};

interface Pending {
  readonly lines: string[];
  /** Index of the record each line came from. */
  readonly owners: number[];
}

const validateOne = (record: StreamedRecord, deps: BatchDeps): RecordValidation => {
  const outcome = deps.validate(record.data, record.arrivedAt);
  if (record.rawBase64 === undefined) return outcome;
  const line = rejectUndecodable({ ...record, rawBase64: record.rawBase64 }, outcome.line);
  return {
    ok: false,
    line,
    reason: { code: 'MALFORMED_RECORD', message: UNDECODABLE_MESSAGE },
  };
};

/** Writes the lines and resolves with the indexes not stored; a sink that throws stored none, as far as we know. */
const store = async (
  sink: LineSink,
  pending: Pending,
  stage: 'events' | 'rejected',
  errors: BatchError[],
): Promise<ReadonlySet<number>> => {
  if (pending.lines.length === 0) return new Set();
  try {
    return new Set((await sink.write(pending.lines)).failed);
  } catch (error) {
    errors.push({ stage, lines: pending.lines.length, error });
    return new Set(pending.lines.keys());
  }
};
