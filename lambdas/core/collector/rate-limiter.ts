import { RateLimitedError } from './errors.ts';
import type { Clock } from './ports.ts';
import type { RateLimitSettings } from './settings.ts';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * A token bucket per source, counted in events: `burstEvents` tokens, refilled at
 * `eventsPerSecond`. State lives in the container, so on Lambda the limit applies per
 * concurrent container; it stops one runaway client, while API Gateway throttling caps the total.
 *
 * Batches are limited by bytes, not by a count, so a request may carry more events than the
 * bucket holds. Such a request passes once the bucket is full and overdraws it (the debt is
 * repaid by the refill before the next request passes): otherwise it would be refused with 429
 * forever and the SDK would retry it forever.
 */
export class SourceRateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #settings: RateLimitSettings;
  readonly #clock: Clock;

  constructor(settings: RateLimitSettings, clock: Clock) {
    this.#settings = settings;
    this.#clock = clock;
  }

  /**
   * Takes `events` tokens from the source's bucket, or throws RateLimitedError with the wait until
   * enough refill (a full bucket is enough for any request).
   */
  take(sourceId: string, events: number): void {
    const { eventsPerSecond, burstEvents } = this.#settings;
    const now = this.#clock.now();
    const bucket = this.#buckets.get(sourceId) ?? { tokens: burstEvents, updatedAt: now };
    bucket.tokens = Math.min(
      burstEvents,
      bucket.tokens + (Math.max(0, now - bucket.updatedAt) / 1000) * eventsPerSecond,
    );
    bucket.updatedAt = now;
    this.#buckets.set(sourceId, bucket);
    const needed = Math.min(events, burstEvents);
    if (needed > bucket.tokens) {
      throw new RateLimitedError(
        sourceId,
        Math.max(1, Math.ceil((needed - bucket.tokens) / eventsPerSecond)),
      );
    }
    bucket.tokens -= events;
  }
}
