import { CollectorConfigError } from './errors.ts';

/**
 * Request limits. A batch is limited by bytes, as Segment's HTTP API limits it (500 KB per batch
 * request, 32 KB per event), not by a count of events: SDKs flush by count (`flushAt`) and by
 * bytes, and neither Segment's nor RudderStack's SDK retries a 413, so a count limit below their
 * `flushAt` would drop whole batches.
 */
export interface CollectorLimits {
  /** Largest request body in bytes, checked on the body as sent and again while inflating gzip. */
  readonly maxBodyBytes: number;
  /** Largest single event, measured on its JSON.stringify form in UTF-8 bytes (per-event reject, not 413). */
  readonly maxEventBytes: number;
  /**
   * Most events in one request (413 above): a ceiling for degenerate bodies (`[1,1,1,...]`), which
   * would otherwise turn one small request into hundreds of thousands of records and rejections.
   * The default is above what a body of valid events can hold (see {@link MIN_VALID_EVENT_BYTES}).
   */
  readonly maxBatchEvents: number;
  /** Deepest JSON nesting of one event; a batch wrapper (`{"batch":[...]}`) adds 2 on top. */
  readonly maxNestingDepth: number;
}

export interface WriteKeyCacheSettings {
  /** How long a key lookup (found, unknown or revoked) is trusted; bounds how long a revoked key keeps working. */
  readonly ttlMs: number;
  /** Most cached digests per container (unknown keys are cached too, so floods of random keys stay bounded). */
  readonly maxEntries: number;
}

export interface RateLimitSettings {
  /** Sustained events per second per source, per container (token refill rate). */
  readonly eventsPerSecond: number;
  /**
   * Bucket size per source: the largest burst. A request of more events than this still passes
   * when the bucket is full (it overdraws it; see SourceRateLimiter), so no request is refused forever.
   */
  readonly burstEvents: number;
}

export interface StreamRetrySettings {
  /** Total PutRecords attempts for the events of one request (first try included). */
  readonly maxAttempts: number;
  /** Backoff before retry n is a random delay in [0, min(maxDelayMs, baseDelayMs * 2^(n-1))] (full jitter). */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Stop retrying when the next wait would take the request past this many ms since its first attempt. */
  readonly maxTotalMs: number;
  /** Retry-After (seconds) sent with 503 answers. */
  readonly retryAfterSeconds: number;
  /** Records per PutRecords call (Kinesis: 500). */
  readonly maxRecordsPerPut: number;
  /** Bytes (data + partition key) per PutRecords call (Kinesis: 5 MiB). */
  readonly maxBytesPerPut: number;
}

export interface CorsSettings {
  /** `'*'` or the exact origins (`https://app.example.com`) allowed to call the collector from a browser. */
  readonly allowedOrigins: '*' | readonly string[];
  /** How long browsers may cache a preflight answer. */
  readonly maxAgeSeconds: number;
}

/** Everything that tunes the collector core and its HTTP edge; no infrastructure names. */
export interface CollectorSettings {
  readonly limits: CollectorLimits;
  readonly writeKeyCache: WriteKeyCacheSettings;
  readonly rateLimit: RateLimitSettings;
  readonly streamRetry: StreamRetrySettings;
  readonly cors: CorsSettings;
  /** Path prefix in front of the routes (an API Gateway stage or custom-domain mapping), e.g. `/collect`. */
  readonly basePath: string;
}

/**
 * Bytes the smallest event that passes the collector's checks takes in a batch:
 * `{"event":"a","user_id":1}` and its comma. A body of `maxBodyBytes` holds at most
 * `maxBodyBytes / 26` valid events (20,164 in 512 KiB), so a `maxBatchEvents` at or above that
 * never refuses a batch of valid events.
 */
export const MIN_VALID_EVENT_BYTES = 26;

/**
 * Largest request body a setting may allow: API Gateway hands a gzip (or other binary) body to
 * Lambda base64-encoded, 4/3 of its size, and a synchronous Lambda invocation takes at most 6 MB
 * (6,291,456 bytes) of event, headers included.
 */
export const MAX_BODY_BYTES_LIMIT = 4 * 1024 * 1024;

/** Revocation must take effect within a minute: the cache TTL plus the SSM adapter's snapshot age stay under it. */
export const MAX_WRITE_KEY_CACHE_TTL_MS = 50_000;

export const DEFAULT_COLLECTOR_SETTINGS: CollectorSettings = {
  limits: { maxBodyBytes: 512 * 1024, maxEventBytes: 32 * 1024, maxBatchEvents: 25_000, maxNestingDepth: 32 },
  writeKeyCache: { ttlMs: 30_000, maxEntries: 10_000 },
  rateLimit: { eventsPerSecond: 5_000, burstEvents: 20_000 },
  streamRetry: {
    maxAttempts: 4,
    baseDelayMs: 50,
    maxDelayMs: 1_000,
    maxTotalMs: 3_000,
    retryAfterSeconds: 2,
    maxRecordsPerPut: 500,
    maxBytesPerPut: 5 * 1024 * 1024,
  },
  cors: { allowedOrigins: '*', maxAgeSeconds: 600 },
  basePath: '',
};

/** Partial settings, one level deep: what tests and the local runner override. */
export type CollectorSettingsOverrides = {
  readonly [K in keyof CollectorSettings]?: CollectorSettings[K] extends string
    ? CollectorSettings[K]
    : Partial<CollectorSettings[K]>;
};

/** Merges overrides into the defaults and validates the result; throws one CollectorConfigError listing every problem. */
export const resolveCollectorSettings = (overrides: CollectorSettingsOverrides = {}): CollectorSettings => {
  const settings: CollectorSettings = {
    limits: { ...DEFAULT_COLLECTOR_SETTINGS.limits, ...overrides.limits },
    writeKeyCache: { ...DEFAULT_COLLECTOR_SETTINGS.writeKeyCache, ...overrides.writeKeyCache },
    rateLimit: { ...DEFAULT_COLLECTOR_SETTINGS.rateLimit, ...overrides.rateLimit },
    streamRetry: { ...DEFAULT_COLLECTOR_SETTINGS.streamRetry, ...overrides.streamRetry },
    cors: { ...DEFAULT_COLLECTOR_SETTINGS.cors, ...overrides.cors },
    basePath: overrides.basePath ?? DEFAULT_COLLECTOR_SETTINGS.basePath,
  };
  const problems = settingsProblems(settings);
  if (problems.length > 0) throw new CollectorConfigError(problems);
  return settings;
};

/** Every cross-field and range problem of a settings object (empty when valid). */
export const settingsProblems = (s: CollectorSettings): string[] => {
  const problems: string[] = [];
  const range = (name: string, value: number, min: number, max: number): void => {
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer in [${min}, ${max}], got ${value}`);
    }
  };
  const { limits, writeKeyCache, rateLimit, streamRetry, cors } = s;
  range('limits.maxBodyBytes', limits.maxBodyBytes, 1024, MAX_BODY_BYTES_LIMIT);
  range('limits.maxEventBytes', limits.maxEventBytes, 256, Math.min(limits.maxBodyBytes, 900 * 1024));
  range('limits.maxBatchEvents', limits.maxBatchEvents, 1, 200_000);
  range('limits.maxNestingDepth', limits.maxNestingDepth, 2, 256);
  range('writeKeyCache.ttlMs', writeKeyCache.ttlMs, 0, MAX_WRITE_KEY_CACHE_TTL_MS);
  range('writeKeyCache.maxEntries', writeKeyCache.maxEntries, 1, 1_000_000);
  range('rateLimit.eventsPerSecond', rateLimit.eventsPerSecond, 1, 10_000_000);
  range('rateLimit.burstEvents', rateLimit.burstEvents, 1, 100_000_000);
  range('streamRetry.maxAttempts', streamRetry.maxAttempts, 1, 20);
  range('streamRetry.baseDelayMs', streamRetry.baseDelayMs, 1, 60_000);
  range('streamRetry.maxDelayMs', streamRetry.maxDelayMs, streamRetry.baseDelayMs, 60_000);
  range('streamRetry.maxTotalMs', streamRetry.maxTotalMs, 0, 300_000);
  range('streamRetry.retryAfterSeconds', streamRetry.retryAfterSeconds, 1, 3_600);
  range('streamRetry.maxRecordsPerPut', streamRetry.maxRecordsPerPut, 1, 500);
  range('streamRetry.maxBytesPerPut', streamRetry.maxBytesPerPut, 1024 * 1024, 5 * 1024 * 1024);
  range('cors.maxAgeSeconds', cors.maxAgeSeconds, 0, 86_400);
  if (cors.allowedOrigins !== '*') {
    if (cors.allowedOrigins.length === 0)
      problems.push('cors.allowedOrigins must be "*" or at least one origin');
    for (const origin of cors.allowedOrigins) {
      if (!isOrigin(origin)) problems.push(`cors.allowedOrigins: ${JSON.stringify(origin)} is not an origin`);
    }
  }
  if (s.basePath !== '' && !/^(\/[A-Za-z0-9._~-]+)+$/.test(s.basePath)) {
    problems.push(
      `basePath must be empty or like "/prefix" (no trailing slash), got ${JSON.stringify(s.basePath)}`,
    );
  }
  return problems;
};

/** scheme://host[:port], exactly what a browser sends in the Origin header. */
const isOrigin = (value: string): boolean => {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
};
