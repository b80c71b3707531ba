import { Backoff } from '#core/retry/retry.ts';
import { sleep } from '#core/retry/sleep.ts';
import type { CheckpointFile } from './checkpoint-file.ts';
import type { LogRecord, ReadLimits, RecordsRead } from './segment-read.ts';

/**
 * The log as a consumer reads it: the writer's own {@link SegmentLog}, or a
 * {@link SegmentLogReader} following it from another thread.
 */
export interface ReadableLog {
  /** Position of the oldest record still on disk. */
  readonly startPosition: number;
  /** Position just past the last durable record. */
  readonly durableEnd: number;
  readonly isClosed: boolean;
  read(from: number, limits: ReadLimits): Promise<RecordsRead>;
  waitForData(position: number, signal?: AbortSignal): Promise<void>;
  /** Gives up the segments that end at or before `position` (already consumed). */
  deleteBefore(position: number): Promise<number>;
}

/** What a batch handler reports: nothing when every record is done, or where to resume. */
export interface BatchOutcome {
  /** Index of the first record that must be delivered again (and every record after it). */
  readonly retryFrom?: number;
}

export type BatchHandler = (records: readonly LogRecord[]) => Promise<BatchOutcome | undefined>;

export interface LogConsumerOptions {
  readonly log: ReadableLog;
  readonly checkpoint: CheckpointFile;
  readonly handler: BatchHandler;
  /**
   * Runs before every checkpoint write and must make everything the handler produced so far
   * durable (flush the sinks). The checkpoint only moves past records whose output is on
   * disk, so a crash replays records at worst and never skips one.
   */
  readonly beforeCommit?: () => Promise<void>;
  /** Most records per handler call. @default 500 */
  readonly batchSize?: number;
  /** Most bytes read per handler call (a larger single record still goes alone). @default 4 MiB */
  readonly maxBatchBytes?: number;
  /** How often the checkpoint is committed while records flow. @default 1000 */
  readonly commitIntervalMs?: number;
  /** First retry delay after a failed batch; doubles up to `maxRetryDelayMs`. @default 100 */
  readonly retryDelayMs?: number;
  /** @default 5000 */
  readonly maxRetryDelayMs?: number;
  /** Remove segment files once the checkpoint is past them. @default true */
  readonly deleteConsumed?: boolean;
  /** Told about every failed batch or commit; the consumer keeps retrying. */
  readonly onError?: (error: unknown) => void;
}

export interface ConsumerStats {
  /** Records handed to the handler that it reported done (replays after a retry count again). */
  readonly processed: number;
  readonly failedAttempts: number;
  readonly position: number;
  readonly committedPosition: number;
  /** Bytes of durable log not yet processed. */
  readonly lagBytes: number;
  /** Why the latest attempt failed; null once a batch went through again. */
  readonly lastError: string | null;
}

/**
 * Reads a segment log in order from a persisted checkpoint and hands batches to a handler,
 * the way a Lambda event source mapping drives a Kinesis consumer: a failed batch (or the
 * failed tail of one) is retried with backoff and never skipped, so order is kept and
 * nothing is lost; the checkpoint advances only after the handler succeeded and
 * `beforeCommit` made its output durable.
 */
export class LogConsumer {
  private position = 0;
  private committed = 0;
  private processed = 0;
  private failedAttempts = 0;
  private lastError: string | null = null;
  private lastCommitAt = 0;
  private readonly stopController = new AbortController();
  private loop: Promise<void> | null = null;
  /** The commit in progress, if any: commits run one at a time, each after the one before it. */
  private committing: Promise<void> = Promise.resolve();
  private readonly options: Required<Omit<LogConsumerOptions, 'beforeCommit' | 'onError'>> &
    Pick<LogConsumerOptions, 'beforeCommit' | 'onError'>;

  constructor(options: LogConsumerOptions) {
    this.options = {
      batchSize: 500,
      maxBatchBytes: 4 * 1024 * 1024,
      commitIntervalMs: 1000,
      retryDelayMs: 100,
      maxRetryDelayMs: 5000,
      deleteConsumed: true,
      ...options,
    };
  }

  /** Loads the checkpoint and starts consuming in the background. */
  async start(): Promise<void> {
    if (this.loop) return;
    const saved = await this.options.checkpoint.read();
    this.position = Math.max(saved?.position ?? 0, this.options.log.startPosition);
    this.committed = this.position;
    this.lastCommitAt = Date.now();
    this.loop = this.run();
  }

  /** Finishes the batch in hand, makes its output durable and commits the checkpoint. */
  async stop(): Promise<void> {
    if (!this.loop) return;
    this.stopController.abort();
    await this.loop;
    this.loop = null;
    await this.commit();
  }

  /** Resolves once every record durable in the log when called has been processed and committed. */
  async drain(): Promise<void> {
    const target = this.options.log.durableEnd;
    while (this.committed < target && !this.stopController.signal.aborted) {
      await sleep(20);
      if (this.position >= target) await this.commit();
    }
  }

  get stats(): ConsumerStats {
    return {
      processed: this.processed,
      failedAttempts: this.failedAttempts,
      position: this.position,
      committedPosition: this.committed,
      lagBytes: this.options.log.durableEnd - this.position,
      lastError: this.lastError,
    };
  }

  private async run(): Promise<void> {
    const { log, handler, batchSize, maxBatchBytes, commitIntervalMs } = this.options;
    const stop = this.stopController.signal;
    // one loop, alone on its log: nothing to spread out, so the waits are the ceilings themselves
    const backoff = new Backoff({
      maxAttempts: Infinity,
      baseDelayMs: this.options.retryDelayMs,
      maxDelayMs: this.options.maxRetryDelayMs,
      jitter: 'none',
    });
    while (!stop.aborted && !log.isClosed) {
      if (this.position >= log.durableEnd) {
        const untilDue = this.lastCommitAt + commitIntervalMs - Date.now();
        if (this.position > this.committed && untilDue <= 0) await this.commit();
        else await this.idle(untilDue > 0 ? untilDue : commitIntervalMs);
        continue;
      }
      try {
        const { records, next } = await log.read(this.position, {
          maxRecords: batchSize,
          maxBytes: maxBatchBytes,
        });
        const retryFrom = (await handler(records))?.retryFrom;
        const done = retryFrom === undefined ? records.length : Math.min(retryFrom, records.length);
        this.processed += done;
        this.position = done === records.length ? next : records[done]!.position;
        if (done < records.length) {
          throw new Error(`${records.length - done} record(s) reported as failed by the handler`);
        }
        backoff.reset();
        this.lastError = null;
      } catch (error) {
        this.failedAttempts += 1;
        this.report(error);
        await sleep(backoff.next(), stop);
      }
      if (Date.now() - this.lastCommitAt >= commitIntervalMs) await this.commit();
    }
  }

  /**
   * Commits the position reached. Commits from the loop, `drain` and `stop` can be asked for at the
   * same time; they run one after another, each taking the position when its turn comes, because
   * two at once could write an older position last and move the checkpoint back.
   */
  private commit(): Promise<void> {
    const next = this.committing.then(() => this.commitNow());
    // a throwing onError must not stop every later commit
    this.committing = next.catch(() => {});
    return next;
  }

  /** Never throws: a failed commit is reported and the next one tries again. */
  private async commitNow(): Promise<void> {
    const position = this.position;
    this.lastCommitAt = Date.now();
    if (position === this.committed) return;
    try {
      await this.options.beforeCommit?.();
      await this.options.checkpoint.write(position);
      this.committed = position;
      if (this.options.deleteConsumed) await this.options.log.deleteBefore(position);
    } catch (error) {
      this.report(error);
    }
  }

  private async idle(ms: number): Promise<void> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), ms);
    await this.options.log.waitForData(
      this.position,
      AbortSignal.any([timeout.signal, this.stopController.signal]),
    );
    clearTimeout(timer);
  }

  private report(error: unknown): void {
    this.lastError = error instanceof Error ? error.message : String(error);
    this.options.onError?.(error);
  }
}
