import type { DemoRequest } from '#core/demo/demo-request.ts';

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
    let delay = this.options.retryDelayMs ?? 200;
    while (!signal?.aborted) {
      const { headers, body } = request.render(Date.now());
      let status = 0;
      let text = '';
      try {
        const response = await fetch(`${this.options.url}${request.path}`, {
          method: request.method,
          headers,
          body,
          signal: signal
            ? AbortSignal.any([signal, AbortSignal.timeout(30_000)])
            : AbortSignal.timeout(30_000),
        });
        status = response.status;
        text = await response.text();
      } catch {
        status = 0;
      }
      if (status !== 0 && status !== 429 && status < 500) {
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
        return;
      }
      this.stats_.retries += 1;
      await sleep(delay * (0.5 + Math.random() / 2), signal);
      delay = Math.min(delay * 2, 5_000);
    }
  }
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  ms <= 0 || signal?.aborted
    ? Promise.resolve()
    : new Promise((resolve) => {
        const timer = setTimeout(done, ms);
        function done(): void {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        }
        signal?.addEventListener('abort', done);
      });
