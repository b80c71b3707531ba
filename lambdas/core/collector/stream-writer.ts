import { retry } from '#core/retry/retry.ts';
import { StreamUnavailableError } from './errors.ts';
import type { Clock, EventStream, Sleep, StreamRecord } from './ports.ts';
import type { StreamRetrySettings } from './settings.ts';

export interface StreamWriterDeps {
  readonly stream: EventStream;
  readonly clock: Clock;
  readonly sleep: Sleep;
  /** Uniform in [0, 1); injected so backoff jitter is deterministic in tests. */
  readonly random: () => number;
}

/** How the write went, for logs and metrics. */
export interface StreamWriteReport {
  readonly attempts: number;
  /** Records that had to be sent again after a partial failure, summed over retries. */
  readonly retriedRecords: number;
}

/**
 * Puts every record on the stream or throws StreamUnavailableError (503). A partial failure
 * retries only the records the stream did not take, with full-jitter exponential backoff (the
 * retry module), within `maxAttempts` and the `maxTotalMs` budget. Records are sent in chunks that
 * respect the stream's per-call limits. An adapter reports what retrying can fix as failed indexes
 * and throws for what it cannot (missing stream, access denied), so a throw ends the write at
 * once, with no retry.
 */
export const writeAllRecords = async (
  records: readonly StreamRecord[],
  deps: StreamWriterDeps,
  settings: StreamRetrySettings,
): Promise<StreamWriteReport> => {
  if (records.length === 0) return { attempts: 0, retriedRecords: 0 };
  let pending = records.map((_, i) => i);
  let retriedRecords = 0;
  const last = await retry(
    async ({ attempt }) => {
      const outcome = await putOnce(records, pending, deps.stream, settings);
      if (outcome.threw) {
        throw new StreamUnavailableError(
          outcome.failed.length,
          attempt,
          settings.retryAfterSeconds,
          outcome.error,
        );
      }
      pending = outcome.failed;
      return { attempt, failed: outcome.failed };
    },
    {
      policy: settings,
      isRetryable: () => false,
      retryWhen: ({ failed }) => failed.length > 0,
      onRetry: ({ value }) => {
        retriedRecords += value?.failed.length ?? 0;
      },
      sleep: deps.sleep,
      clock: deps.clock,
      random: deps.random,
    },
  );
  if (last.failed.length > 0) {
    throw new StreamUnavailableError(last.failed.length, last.attempt, settings.retryAfterSeconds);
  }
  return { attempts: last.attempt, retriedRecords };
};

interface PutOutcome {
  /** Indexes into the full record list. */
  readonly failed: number[];
  readonly threw: boolean;
  readonly error?: unknown;
}

const putOnce = async (
  records: readonly StreamRecord[],
  pending: readonly number[],
  stream: EventStream,
  settings: StreamRetrySettings,
): Promise<PutOutcome> => {
  let threw = false;
  let error: unknown;
  const failedPerChunk = await Promise.all(
    chunk(records, pending, settings).map(async (indexes) => {
      try {
        const result = await stream.putRecords(indexes.map((i) => records[i] as StreamRecord));
        // An adapter could report an index twice or out of range; map back defensively.
        const failed = new Set<number>();
        for (const j of result.failed) {
          const original = indexes[j];
          if (original !== undefined) failed.add(original);
        }
        return [...failed];
      } catch (caught) {
        threw = true;
        error = caught;
        return indexes;
      }
    }),
  );
  const failed = failedPerChunk.flat().sort((a, b) => a - b);
  return { failed, threw, error };
};

const chunk = (
  records: readonly StreamRecord[],
  pending: readonly number[],
  settings: StreamRetrySettings,
): number[][] => {
  const chunks: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  for (const index of pending) {
    const record = records[index] as StreamRecord;
    const size = record.data.length + Buffer.byteLength(record.partitionKey, 'utf8');
    if (
      current.length > 0 &&
      (current.length >= settings.maxRecordsPerPut || bytes + size > settings.maxBytesPerPut)
    ) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(index);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
};
