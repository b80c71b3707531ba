import { COLLECTOR_ENV, parseCollectorConfig } from '#core/collector/config.ts';
import { CollectorConfigError } from '#core/collector/errors.ts';
import { DEFAULT_COLLECTOR_SETTINGS, resolveCollectorSettings } from '#core/collector/settings.ts';

const required = {
  [COLLECTOR_ENV.streamName]: 'tally-raw',
  [COLLECTOR_ENV.writeKeysParameter]: '/tally/write-keys',
};

const problemsOf = (env: Record<string, string>): readonly string[] => {
  try {
    parseCollectorConfig(env);
  } catch (error) {
    if (error instanceof CollectorConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a CollectorConfigError');
};

describe('parseCollectorConfig', () => {
  it('takes the defaults when only the required variables are set', () => {
    expect(parseCollectorConfig(required)).toEqual({
      streamName: 'tally-raw',
      writeKeysParameter: '/tally/write-keys',
      settings: DEFAULT_COLLECTOR_SETTINGS,
    });
  });

  it('reads every optional variable', () => {
    const config = parseCollectorConfig({
      ...required,
      [COLLECTOR_ENV.maxBodyBytes]: '262144',
      [COLLECTOR_ENV.maxEventBytes]: '16384',
      [COLLECTOR_ENV.maxBatchEvents]: '100',
      [COLLECTOR_ENV.maxNestingDepth]: '16',
      [COLLECTOR_ENV.writeKeyCacheTtlSeconds]: '10',
      [COLLECTOR_ENV.rateLimitEventsPerSecond]: '50',
      [COLLECTOR_ENV.rateLimitBurstEvents]: '100',
      [COLLECTOR_ENV.streamMaxAttempts]: '3',
      [COLLECTOR_ENV.streamBaseDelayMs]: '20',
      [COLLECTOR_ENV.streamMaxDelayMs]: '200',
      [COLLECTOR_ENV.streamMaxTotalMs]: '1000',
      [COLLECTOR_ENV.retryAfterSeconds]: '5',
      [COLLECTOR_ENV.corsAllowedOrigins]: 'https://app.example.com, http://localhost:3000',
      [COLLECTOR_ENV.basePath]: '/collect',
    });

    expect(config.settings).toMatchObject({
      limits: { maxBodyBytes: 262144, maxEventBytes: 16384, maxBatchEvents: 100, maxNestingDepth: 16 },
      writeKeyCache: { ttlMs: 10_000 },
      rateLimit: { eventsPerSecond: 50, burstEvents: 100 },
      streamRetry: {
        maxAttempts: 3,
        baseDelayMs: 20,
        maxDelayMs: 200,
        maxTotalMs: 1000,
        retryAfterSeconds: 5,
      },
      cors: { allowedOrigins: ['https://app.example.com', 'http://localhost:3000'] },
      basePath: '/collect',
    });
  });

  it('reports every problem at once, naming the variables', () => {
    const problems = problemsOf({
      [COLLECTOR_ENV.maxBatchEvents]: 'lots',
      [COLLECTOR_ENV.writeKeyCacheTtlSeconds]: '120',
      [COLLECTOR_ENV.corsAllowedOrigins]: 'app.example.com',
    });

    expect(problems).toEqual([
      `${COLLECTOR_ENV.streamName} is required`,
      `${COLLECTOR_ENV.writeKeysParameter} is required`,
      `${COLLECTOR_ENV.maxBatchEvents} must be a non-negative integer, got "lots"`,
      expect.stringMatching(
        new RegExp(`^${COLLECTOR_ENV.writeKeyCacheTtlSeconds}.*\\[0, 50000\\], got 120000`),
      ),
      expect.stringMatching(
        new RegExp(`^${COLLECTOR_ENV.corsAllowedOrigins}.*"app.example.com" is not an origin`),
      ),
    ]);
  });

  it('refuses a request body limit that API Gateway could not hand to Lambda once base64-encoded', () => {
    const problems = problemsOf({ ...required, [COLLECTOR_ENV.maxBodyBytes]: String(5 * 1024 * 1024) });

    expect(problems).toEqual([expect.stringMatching(/^TALLY_COLLECTOR_MAX_BODY_BYTES: .*\[1024, 4194304\]/)]);
  });
});

describe('resolveCollectorSettings', () => {
  it('merges overrides into the defaults', () => {
    const settings = resolveCollectorSettings({ limits: { maxBatchEvents: 100 } });

    expect(settings.limits).toEqual({ ...DEFAULT_COLLECTOR_SETTINGS.limits, maxBatchEvents: 100 });
  });

  it('throws one CollectorConfigError listing each invalid setting', () => {
    expect(() =>
      resolveCollectorSettings({
        limits: { maxEventBytes: 10 },
        streamRetry: { maxAttempts: 0 },
        basePath: 'x/',
      }),
    ).toThrow(/limits.maxEventBytes[\s\S]*streamRetry.maxAttempts[\s\S]*basePath/);
  });
});
