import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '#adapters/local/atomic-file.ts';
import type { DemoSource } from '#demo/demo-sources.ts';
import { DemoWorkload } from '#demo/demo-workload.ts';
import { buildDemoWorld, type DemoFeatureInput, type DemoWorld } from '#demo/demo-world.ts';
import { NO_SENDER_STATS, RequestSender, type SenderStats } from './request-sender.ts';

export interface DemoRunnerOptions {
  readonly url: string;
  readonly writeKeys: Readonly<Record<DemoSource, string>>;
  readonly features: readonly DemoFeatureInput[];
  /** @default 42 */
  readonly seed?: number;
  /** Days of history sent at start, as fast as the stack takes them. @default 2 */
  readonly historyDays?: number;
  /** Mean events per second over a week (the daily and weekly curve on top). @default 2 */
  readonly eventsPerSecond?: number;
  /** Remembers how far the demo got, so a restart sends only what is missing. */
  readonly stateFile: string;
  readonly onUnexpected?: (message: string) => void;
}

interface DemoProgress {
  readonly seed: number;
  /** Epoch ms up to which every request was acknowledged. */
  readonly doneUntil: number;
}

const HOUR = 3_600_000;
const LIVE_SLICE_MS = 10_000;

/**
 * Drives `tally dev --demo`: sends the NovaSuite workload to the collector over HTTP, first
 * the missing history (hour slices, at once), then live traffic (10-second slices, at their
 * planned times). A slice's events depend only on the seed and the slice start, and progress
 * is saved after each fully acknowledged slice, so a restarted demo resends the interrupted
 * slice identically (dedup absorbs what was already in) and nothing twice beyond that.
 */
export class DemoRunner {
  private readonly abort = new AbortController();
  private finished: SenderStats = NO_SENDER_STATS;
  private current: RequestSender | null = null;
  private running: Promise<void> | null = null;
  private world: DemoWorld | null = null;
  private doneUntil = 0;

  constructor(private readonly options: DemoRunnerOptions) {}

  start(): void {
    this.running ??= this.run().catch((error: unknown) => {
      this.options.onUnexpected?.(`demo stopped: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  /** Totals over every slice sent since start. */
  get stats(): SenderStats & { readonly caughtUp: boolean } {
    const total = add(this.finished, this.current?.stats);
    return { ...total, caughtUp: this.doneUntil >= Date.now() - 2 * LIVE_SLICE_MS };
  }

  private async run(): Promise<void> {
    const seed = this.options.seed ?? 42;
    const rate = this.options.eventsPerSecond ?? 2;
    const saved = await readProgress(this.options.stateFile);
    const historyStart = Math.floor((Date.now() - (this.options.historyDays ?? 2) * 24 * HOUR) / HOUR) * HOUR;
    let start = saved?.seed === seed ? Math.max(saved.doneUntil, historyStart) : historyStart;
    this.world = buildDemoWorld({ seed, features: this.options.features });
    while (!this.abort.signal.aborted) {
      const now = Date.now();
      const live = start > now - LIVE_SLICE_MS;
      const end = live
        ? start + LIVE_SLICE_MS
        : Math.min(start + HOUR, Math.floor(now / LIVE_SLICE_MS) * LIVE_SLICE_MS);
      const workload = new DemoWorkload({
        seed,
        features: this.options.features,
        writeKeys: this.options.writeKeys,
        start,
        end,
        eventsPerSecond: rate,
        stepMs: live ? LIVE_SLICE_MS : 60_000,
        world: this.world,
      });
      const sender = new RequestSender({
        url: this.options.url,
        realtime: live,
        concurrency: live ? 4 : 16,
        signal: this.abort.signal,
        onUnexpected: (request, status, body) =>
          this.options.onUnexpected?.(
            `demo request ${request.method} ${request.path} got ${status}, expected ${request.expectStatus}: ${body.slice(0, 200)}`,
          ),
      });
      this.current = sender;
      await sender.sendAll(workload.requests());
      this.finished = add(this.finished, sender.stats);
      this.current = null;
      if (this.abort.signal.aborted) return;
      this.doneUntil = end;
      await writeFileAtomic(
        this.options.stateFile,
        `${JSON.stringify({ seed, doneUntil: end } satisfies DemoProgress)}\n`,
      );
      start = end;
    }
  }
}

const add = (a: SenderStats, b: SenderStats | undefined): SenderStats =>
  b === undefined
    ? a
    : {
        requests: a.requests + b.requests,
        acknowledgedEvents: a.acknowledgedEvents + b.acknowledgedEvents,
        refusedRequests: a.refusedRequests + b.refusedRequests,
        retries: a.retries + b.retries,
        unexpected: a.unexpected + b.unexpected,
        sentLate: a.sentLate + b.sentLate,
        maxLateMs: Math.max(a.maxLateMs, b.maxLateMs),
      };

const readProgress = async (file: string): Promise<DemoProgress | null> => {
  try {
    const value: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (typeof value !== 'object' || value === null) return null;
    const { seed, doneUntil } = value as Record<string, unknown>;
    return typeof seed === 'number' && typeof doneUntil === 'number' ? { seed, doneUntil } : null;
  } catch {
    return null;
  }
};
