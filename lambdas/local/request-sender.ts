import { retry } from '#core/retry/retry.ts';
import { sleep } from '#core/retry/sleep.ts';
import type { DemoRequest } from '#demo/demo-request.ts';

export interface RequestSenderOptions {
  /** Collector base URL. */
  readonly url: string;
  /** Requests in flight at once. @default 16 */
  readonly concurrency?: number;
  /** Send each request no earlier than its planned time (live traffic) instead of at once (backfill). */
  readonly realtime?: boolean;
  /** Aborting stops sending; requests not yet acknowledged stay unacknowledged. */
  readonly signal?: AbortSignal;
  /** First retry delay after a 5xx, 429 or network failure; doubles up to 5 s. @default 200 */
  readonly retryDelayMs?: number;
  /** Told about answers the workload did not expect (a bug somewhere, or a misconfigured stack). */
  readonly onUnexpected?: (request: DemoRequest, status: number, body: string) => void;
  readonly onAcknowledged?: (request: DemoRequest) => void;
}

export interface SenderStats {
  readonly requests: number;
  /** Events in requests the collector answered 200 (each request counted once, retries of it not again). */
  readonly acknowledgedEvents: number;
  readonly refusedRequests: number;
  /** Attempts repeated after a 5xx, 429 or network failure (an SDK's retry loop). */
  readonly retries: number;
  readonly unexpected: number;
  /** Realtime mode: requests sent more than a second after their planned time, and the worst delay. */
  readonly sentLate: number;
  readonly maxLateMs: number;
}

/** Stats before the first request. */
export const NO_SENDER_STATS: SenderStats = {
  requests: 0,
  acknowledgedEvents: 0,
  refusedRequests: 0,
  retries: 0,
  unexpected: 0,
  sentLate: 0,
  maxLateMs: 0,
};

/**
 * Sends workload requests over HTTP the way SDKs do: a bounded number in flight, and every
 * request retried with exponential backoff after a 5xx, a 429 or a network failure until the
 * collector answers, so nothing the collector did not acknowledge is given up (a request is
 * re-rendered, with a fresh send time, on every attempt).
 */
export class RequestSender {
  private stats_: { -readonly [K in keyof SenderStats]: SenderStats[K] } = { ...NO_SENDER_STATS };

  constructor(private readonly options: RequestSenderOptions) {}

  get stats(): SenderStats {
    return { ...this.stats_ };
  }

  /** Sends every request; resolves when all are answered (or the signal aborted). */
  async sendAll(requests: Iterable<DemoRequest>): Promise<void> {
    const iterator = requests[Symbol.iterator]();
    const { signal } = this.options;
    const worker = async (): Promise<void> => {
      while (!signal?.aborted) {
        const next = iterator.next();
        if (next.done) return;
        await this.sendOne(next.value);
      }
    };
    await Promise.all(Array.from({ length: this.options.concurrency ?? 16 }, worker));
  }

  private async sendOne(request: DemoRequest): Promise<void> {
    const { signal } = this.options;
    if (this.options.realtime) {
      await sleep(request.sendAt - Date.now(), signal);
      const late = Date.now() - request.sendAt;
      if (late > 1000) this.stats_.sentLate += 1;
      this.stats_.maxLateMs = Math.max(this.stats_.maxLateMs, late);
    }
    if (signal?.aborted) return;
    const { status, text } = await retry(() => this.attempt(request), {
      // as SDKs retry: without end, each wait between half and all of a ceiling that doubles up to 5 s
      policy: {
        maxAttempts: Infinity,
        baseDelayMs: this.options.retryDelayMs ?? 200,
        maxDelayMs: 5_000,
        jitter: 'equal',
      },
      retryWhen: ({ status }) => isRetryableStatus(status),
      onRetry: () => {
        this.stats_.retries += 1;
      },
      ...(signal === undefined ? {} : { signal }),
    });
    // aborted while the collector had not answered: the request stays unacknowledged
    if (isRetryableStatus(status)) return;
    this.stats_.requests += 1;
    if (status === 200) {
      this.stats_.acknowledgedEvents += request.eventCount;
      this.options.onAcknowledged?.(request);
    } else {
      this.stats_.refusedRequests += 1;
    }
    if (status !== request.expectStatus) {
      this.stats_.unexpected += 1;
      this.options.onUnexpected?.(request, status, text);
    }
  }

  /** One send of the request, rendered now; status 0 when no answer came. */
  private async attempt(request: DemoRequest): Promise<{ status: number; text: string }> {
    const { signal } = this.options;
    const { headers, body } = request.render(Date.now());
    try {
      const response = await fetch(`${this.options.url}${request.path}`, {
        method: request.method,
        headers,
        body,
        signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(30_000)]) : AbortSignal.timeout(30_000),
      });
      return { status: response.status, text: await response.text() };
    } catch {
      return { status: 0, text: '' };
    }
  }
}

/** A network failure, a 429 or a 5xx: the collector did not take the request, and may later. */
const isRetryableStatus = (status: number): boolean => status === 0 || status === 429 || status >= 500;
