import { ConfigReader } from '#core/config/config-reader.ts';
import { CollectorConfigError } from './errors.ts';
import { type CollectorSettings, DEFAULT_COLLECTOR_SETTINGS, settingsProblems } from './settings.ts';

/**
 * Environment variables of the collector Lambda, defined once: the CDK construct imports these
 * names to set them, the handler reads them through `parseCollectorConfig`.
 */
export const COLLECTOR_ENV = {
  /** Required. Kinesis stream the events go to. */
  streamName: 'TALLY_COLLECTOR_STREAM_NAME',
  /** Required. SSM parameter holding the write-key document (see docs/COLLECTOR.md). */
  writeKeysParameter: 'TALLY_COLLECTOR_WRITE_KEYS_PARAMETER',
  maxBodyBytes: 'TALLY_COLLECTOR_MAX_BODY_BYTES',
  maxEventBytes: 'TALLY_COLLECTOR_MAX_EVENT_BYTES',
  maxBatchEvents: 'TALLY_COLLECTOR_MAX_BATCH_EVENTS',
  maxNestingDepth: 'TALLY_COLLECTOR_MAX_NESTING_DEPTH',
  writeKeyCacheTtlSeconds: 'TALLY_COLLECTOR_WRITE_KEY_CACHE_TTL_SECONDS',
  rateLimitEventsPerSecond: 'TALLY_COLLECTOR_RATE_LIMIT_EVENTS_PER_SECOND',
  rateLimitBurstEvents: 'TALLY_COLLECTOR_RATE_LIMIT_BURST_EVENTS',
  streamMaxAttempts: 'TALLY_COLLECTOR_STREAM_MAX_ATTEMPTS',
  streamBaseDelayMs: 'TALLY_COLLECTOR_STREAM_BASE_DELAY_MS',
  streamMaxDelayMs: 'TALLY_COLLECTOR_STREAM_MAX_DELAY_MS',
  streamMaxTotalMs: 'TALLY_COLLECTOR_STREAM_MAX_TOTAL_MS',
  retryAfterSeconds: 'TALLY_COLLECTOR_RETRY_AFTER_SECONDS',
  /** `*` or a comma-separated list of origins. */
  corsAllowedOrigins: 'TALLY_COLLECTOR_CORS_ALLOWED_ORIGINS',
  basePath: 'TALLY_COLLECTOR_BASE_PATH',
} as const;

/** What the Lambda needs: where to write, where the keys are, and the settings. */
export interface CollectorConfig {
  readonly streamName: string;
  readonly writeKeysParameter: string;
  readonly settings: CollectorSettings;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads and validates the collector's environment once. Unset optional variables take the
 * defaults of `DEFAULT_COLLECTOR_SETTINGS`; every problem is reported in one CollectorConfigError.
 */
export const parseCollectorConfig = (env: Env): CollectorConfig => {
  const read = ConfigReader.env(env);
  const integer = (name: string, fallback: number, scale = 1): number =>
    read.optional(name, fallback, (raw) =>
      /^\d+$/.test(raw) ? { value: Number(raw) * scale } : { problem: 'must be a non-negative integer' },
    );
  const d = DEFAULT_COLLECTOR_SETTINGS;
  const streamName = read.required(COLLECTOR_ENV.streamName);
  const writeKeysParameter = read.required(COLLECTOR_ENV.writeKeysParameter);
  const settings: CollectorSettings = {
    limits: {
      maxBodyBytes: integer(COLLECTOR_ENV.maxBodyBytes, d.limits.maxBodyBytes),
      maxEventBytes: integer(COLLECTOR_ENV.maxEventBytes, d.limits.maxEventBytes),
      maxBatchEvents: integer(COLLECTOR_ENV.maxBatchEvents, d.limits.maxBatchEvents),
      maxNestingDepth: integer(COLLECTOR_ENV.maxNestingDepth, d.limits.maxNestingDepth),
    },
    writeKeyCache: {
      ...d.writeKeyCache,
      ttlMs: integer(COLLECTOR_ENV.writeKeyCacheTtlSeconds, d.writeKeyCache.ttlMs, 1000),
    },
    rateLimit: {
      eventsPerSecond: integer(COLLECTOR_ENV.rateLimitEventsPerSecond, d.rateLimit.eventsPerSecond),
      burstEvents: integer(COLLECTOR_ENV.rateLimitBurstEvents, d.rateLimit.burstEvents),
    },
    streamRetry: {
      ...d.streamRetry,
      maxAttempts: integer(COLLECTOR_ENV.streamMaxAttempts, d.streamRetry.maxAttempts),
      baseDelayMs: integer(COLLECTOR_ENV.streamBaseDelayMs, d.streamRetry.baseDelayMs),
      maxDelayMs: integer(COLLECTOR_ENV.streamMaxDelayMs, d.streamRetry.maxDelayMs),
      maxTotalMs: integer(COLLECTOR_ENV.streamMaxTotalMs, d.streamRetry.maxTotalMs),
      retryAfterSeconds: integer(COLLECTOR_ENV.retryAfterSeconds, d.streamRetry.retryAfterSeconds),
    },
    cors: {
      ...d.cors,
      allowedOrigins: read.optional(COLLECTOR_ENV.corsAllowedOrigins, d.cors.allowedOrigins, (raw) => ({
        value: origins(raw),
      })),
    },
    basePath: read.optional(COLLECTOR_ENV.basePath, d.basePath, (raw) => ({ value: raw })),
  };
  // Name the environment variable, not the settings path, where one maps to the other.
  const envNames: Record<string, string> = {
    'limits.maxBodyBytes': COLLECTOR_ENV.maxBodyBytes,
    'limits.maxEventBytes': COLLECTOR_ENV.maxEventBytes,
    'limits.maxBatchEvents': COLLECTOR_ENV.maxBatchEvents,
    'limits.maxNestingDepth': COLLECTOR_ENV.maxNestingDepth,
    'writeKeyCache.ttlMs': `${COLLECTOR_ENV.writeKeyCacheTtlSeconds} (x1000 ms)`,
    'rateLimit.eventsPerSecond': COLLECTOR_ENV.rateLimitEventsPerSecond,
    'rateLimit.burstEvents': COLLECTOR_ENV.rateLimitBurstEvents,
    'streamRetry.maxAttempts': COLLECTOR_ENV.streamMaxAttempts,
    'streamRetry.baseDelayMs': COLLECTOR_ENV.streamBaseDelayMs,
    'streamRetry.maxDelayMs': COLLECTOR_ENV.streamMaxDelayMs,
    'streamRetry.maxTotalMs': COLLECTOR_ENV.streamMaxTotalMs,
    'streamRetry.retryAfterSeconds': COLLECTOR_ENV.retryAfterSeconds,
    'cors.allowedOrigins': COLLECTOR_ENV.corsAllowedOrigins,
    basePath: COLLECTOR_ENV.basePath,
  };
  for (const problem of settingsProblems(settings)) {
    const path = problem.split(/[ :]/, 1)[0] ?? '';
    const envName = envNames[path];
    read.note(envName === undefined ? problem : `${envName}: ${problem}`);
  }
  read.throwIfAny((problems) => new CollectorConfigError(problems));
  return { streamName, writeKeysParameter, settings };
};

const origins = (value: string): '*' | readonly string[] => {
  if (value === '*') return '*';
  return value
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
};
