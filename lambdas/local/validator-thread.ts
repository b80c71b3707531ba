import { Worker } from 'node:worker_threads';
import type { SegmentLog } from '#adapters/local/segment-log.ts';
import type { RejectReasonCode } from '#core/contract/envelope.ts';
import { ValidatorThreadError } from './errors.ts';
import type { ValidatorCounts } from './validator-consumer.ts';
import type {
  FromValidatorThread,
  ToValidatorThread,
  ValidatorThreadConfig,
  ValidatorThreadStats,
} from './validator-thread-protocol.ts';

export interface ValidatorThreadOptions {
  /** The stream log this (main) thread writes; the validator thread follows it. */
  readonly log: SegmentLog;
  readonly checkpointFile: string;
  readonly bucketDir: string;
  readonly schemasDir: string;
  readonly bufferBytes: number;
  readonly bufferIntervalMs: number;
  /** A bucket file is durable (wake the loader). */
  readonly onFile: () => void;
  /**
   * Where the log must keep its records from, whatever the validator consumed (the collector's counts
   * are recounted from the log past the position they reach). @default the validator's checkpoint only
   */
  readonly keepFrom?: () => number;
  readonly onProblem: (message: string) => void;
  /** First wait before restarting a thread that died; doubles up to 30 s. @default 1000 */
  readonly restartDelayMs?: number;
  /** The thread's TypeScript entry (tests wrap the real one to make it fail). @default validator-worker.ts */
  readonly workerEntry?: URL;
}

interface Request {
  readonly message: ToValidatorThread & { readonly id: number };
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

const MAX_RESTART_DELAY_MS = 30_000;
const DEFAULT_ENTRY = new URL('./validator-worker.ts', import.meta.url);
const NO_COUNTS: ValidatorCounts = { validated: 0, rejected: 0, rejectedByReason: {}, sinkFailures: 0 };

/**
 * The local validator stage, run in its own worker thread (`validator-worker.ts`) so that
 * validating never competes with the collector for the main thread's event loop. This side
 * tells the thread how far the log is durable, deletes the segments it has consumed, wakes the
 * loader on every delivered file and keeps its latest stats. A thread that dies is restarted
 * from its checkpoint, as a crashed process would be: records it had not committed are
 * validated again, and the warehouse's dedup absorbs the repeats.
 */
export class ValidatorThread {
  private worker: Worker | null = null;
  private ready = false;
  private stopping = false;
  private latest: ValidatorThreadStats;
  /** Counts of threads that have ended, so totals survive a restart. */
  private previous: ValidatorCounts = NO_COUNTS;
  private readonly requests = new Map<number, Request>();
  private nextId = 1;
  private readonly firstRestartDelayMs: number;
  private restartDelayMs: number;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly feedStop = new AbortController();

  private constructor(private readonly options: ValidatorThreadOptions) {
    this.firstRestartDelayMs = options.restartDelayMs ?? 1000;
    this.restartDelayMs = this.firstRestartDelayMs;
    this.latest = {
      counts: NO_COUNTS,
      position: 0,
      committedPosition: 0,
      lastError: null,
      linesBuffered: 0,
    };
  }

  /** Starts the thread; resolves once it validates, rejects with what it met if it cannot start. */
  static async start(options: ValidatorThreadOptions): Promise<ValidatorThread> {
    const thread = new ValidatorThread(options);
    try {
      await thread.spawn();
    } catch (error) {
      thread.stopping = true;
      await thread.worker?.terminate();
      throw error;
    }
    void thread.feed();
    return thread;
  }

  /** Totals since this stack started (a restarted thread's replays count again), and where it is. */
  get stats(): ValidatorThreadStats {
    const now = this.latest.counts;
    const byReason: Partial<Record<RejectReasonCode, number>> = { ...this.previous.rejectedByReason };
    for (const [code, n] of Object.entries(now.rejectedByReason) as [RejectReasonCode, number][]) {
      byReason[code] = (byReason[code] ?? 0) + n;
    }
    return {
      ...this.latest,
      counts: {
        validated: this.previous.validated + now.validated,
        rejected: this.previous.rejected + now.rejected,
        rejectedByReason: byReason,
        sinkFailures: this.previous.sinkFailures + now.sinkFailures,
      },
    };
  }

  /** Resolves once every record durable when called is validated, in the bucket folder and committed. */
  drain(): Promise<void> {
    return this.request('drain');
  }

  /** Drains, closes the thread's files and ends it. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.feedStop.abort();
    clearTimeout(this.restartTimer);
    if (this.worker !== null && this.ready) {
      try {
        await this.request('stop');
      } catch (error) {
        this.options.onProblem(`validator thread stop: ${describe(error)}`);
      }
    }
    this.stopping = true;
    for (const request of this.requests.values()) request.reject(new Error('validator thread stopped'));
    this.requests.clear();
    await this.worker?.terminate();
    this.worker = null;
  }

  private request(type: 'drain' | 'stop'): Promise<void> {
    if (this.stopping) return Promise.reject(new Error('validator thread stopped'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const request: Request = { message: { type, id }, resolve, reject };
      this.requests.set(id, request);
      // sent now when the thread is up, else by the restart once it is
      if (this.ready) this.worker?.postMessage(request.message);
    });
  }

  private spawn(): Promise<void> {
    const { log } = this.options;
    const config: ValidatorThreadConfig = {
      streamDir: log.dir,
      checkpointFile: this.options.checkpointFile,
      bucketDir: this.options.bucketDir,
      schemasDir: this.options.schemasDir,
      bufferBytes: this.options.bufferBytes,
      bufferIntervalMs: this.options.bufferIntervalMs,
      durableEnd: log.durableEnd,
      segmentBases: log.segmentBases,
    };
    const worker = new Worker(new URL('./ts-worker.mjs', import.meta.url), {
      workerData: { entry: (this.options.workerEntry ?? DEFAULT_ENTRY).href, config },
    });
    this.worker = worker;
    this.ready = false;
    return new Promise((resolve, reject) => {
      let started = false;
      worker.on('message', (message: FromValidatorThread) => {
        if (message.type === 'ready') {
          started = true;
          this.ready = true;
          this.restartDelayMs = this.firstRestartDelayMs;
          for (const request of this.requests.values()) worker.postMessage(request.message);
          resolve();
        } else if (message.type === 'failed') {
          started = true;
          reject(new ValidatorThreadError(message.name, message.message));
          void worker.terminate();
        } else {
          this.receive(message);
        }
      });
      worker.on('error', (error) => {
        if (!started) reject(new ValidatorThreadError(error.name, error.message));
        else this.options.onProblem(`validator thread: ${describe(error)}`);
      });
      worker.on('exit', (code) => {
        if (!started) reject(new ValidatorThreadError('Error', `exited with code ${code} while starting`));
        if (this.worker === worker) this.ended(code);
      });
    });
  }

  private receive(message: FromValidatorThread): void {
    switch (message.type) {
      case 'file':
        this.options.onFile();
        break;
      case 'consumed':
        this.options.log
          .deleteBefore(Math.min(message.position, this.options.keepFrom?.() ?? message.position))
          .catch((error) => this.options.onProblem(`stream log cleanup: ${describe(error)}`));
        break;
      case 'stats':
        this.latest = message.stats;
        break;
      case 'problem':
        this.options.onProblem(message.message);
        break;
      case 'done': {
        const request = this.requests.get(message.id);
        this.requests.delete(message.id);
        if (message.error === undefined) request?.resolve();
        else request?.reject(new Error(message.error));
        break;
      }
    }
  }

  /** The thread ended on its own: keep its counts and start another from the checkpoint. */
  private ended(code: number): void {
    this.worker = null;
    this.ready = false;
    if (this.stopping || this.feedStop.signal.aborted) {
      // ended while stopping: nothing will answer what it was asked
      for (const request of this.requests.values()) {
        request.reject(new Error(`validator thread ended (exit code ${code}) before answering`));
      }
      this.requests.clear();
      return;
    }
    this.previous = this.stats.counts;
    this.latest = { ...this.latest, counts: NO_COUNTS };
    const delay = this.restartDelayMs;
    this.restartDelayMs = Math.min(delay * 2, MAX_RESTART_DELAY_MS);
    this.options.onProblem(
      `validator thread ended (exit code ${code}); restarting it from its checkpoint in ${delay / 1000} s`,
    );
    // a thread that fails to start exits too, and its exit schedules the next attempt
    this.restartTimer = setTimeout(() => {
      this.spawn().catch((error) => this.options.onProblem(describe(error)));
    }, delay);
  }

  /** Tells the thread every time the log's durable end moves. */
  private async feed(): Promise<void> {
    const { log } = this.options;
    let sent = log.durableEnd;
    for (;;) {
      await log.waitForData(sent, this.feedStop.signal);
      if (this.feedStop.signal.aborted || log.isClosed) return;
      sent = log.durableEnd;
      this.worker?.postMessage({ type: 'follow', end: sent, segmentBases: log.segmentBases });
    }
  }
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
