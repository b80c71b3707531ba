import { describe, expect, it } from '@jest/globals';
import { shardsForPeak } from '../../lib/capacity.ts';
import { loadConfig } from '../../lib/config.ts';
import { TallyConfigError } from '../../lib/errors.ts';

const from =
  (context: Record<string, unknown>) =>
  (key: string): unknown =>
    context[key];

const HANDSHAKE = {
  snowflakeIamUserArn: 'arn:aws:iam::999999999999:user/abc1-s-v2st1234',
  snowflakeExternalId: 'tally-qa-5d41402abc4b2a76',
  snowpipeQueueArn: 'arn:aws:sqs:eu-west-1:999999999999:sf-snowpipe-AIDAEXAMPLE',
};

describe('loadConfig', () => {
  it('gives defaults that synthesize without any context', () => {
    const config = loadConfig(from({}));

    expect(config.stage).toBe('dev');
    expect(config.rawRetentionDays).toBe(180);
    expect(config.stream.mode).toBe('on-demand');
    expect(config.schedules).toEqual({
      transform: 'rate(5 minutes)',
      quality: 'rate(15 minutes)',
      qualityIntervalMinutes: 15,
      erasure: 'cron(0 3 * * ? *)',
    });
    expect(config.features).toEqual({ quality: true, erasure: true });
    expect(config.snowflake.secretName).toBe('tally/dev/snowflake');
    expect(config.writeKeysParameter).toBe('/tally/dev/write-keys');
    expect(config.snowflake.pipeQueueArn).toBeUndefined();
    expect(config.stream.retentionHours).toBe(168);
    expect(config.firehose.bufferSeconds).toBe(30);
    expect(config.collector).toMatchObject({ corsAllowedOrigins: '*', reservedConcurrency: undefined });
  });

  it('derives per-stage names from the stage', () => {
    const config = loadConfig(from({ 'tally:stage': 'prod', 'tally:snowflakeHandshake': 'pending' }));

    expect(config.snowflake.secretName).toBe('tally/prod/snowflake');
    expect(config.writeKeysParameter).toBe('/tally/prod/write-keys');
  });

  it('accepts numbers and booleans given as strings with -c key=value', () => {
    const config = loadConfig(
      from({
        'tally:rawRetentionDays': '90',
        'tally:qualityEnabled': 'false',
        'tally:firehoseBufferSeconds': '30',
      }),
    );

    expect(config.rawRetentionDays).toBe(90);
    expect(config.features.quality).toBe(false);
    expect(config.firehose.bufferSeconds).toBe(30);
  });

  it('reports every invalid value in one error naming each key', () => {
    const load = () =>
      loadConfig(
        from({
          'tally:stage': 'Prod!',
          'tally:rawRetentionDays': 0,
          'tally:logRetentionDays': 31,
          'tally:streamMode': 'fast',
          'tally:transformSchedule': 'every 5 minutes',
          'tally:qualityEnabled': 'yes',
          'tally:alarmEmail': 'not-an-email',
          'tally:snowpipeQueueArn': 'arn:aws:sns:eu-west-1:123456789012:topic',
        }),
      );

    expect(load).toThrow(TallyConfigError);
    expect(load).toThrow(/8 problems/);
    for (const key of [
      'tally:stage',
      'tally:rawRetentionDays',
      'tally:logRetentionDays',
      'tally:streamMode',
      'tally:transformSchedule',
      'tally:qualityEnabled',
      'tally:alarmEmail',
      'tally:snowpipeQueueArn',
    ]) {
      expect(load).toThrow(key);
    }
  });

  it('refuses a monthly credit quota that is not a whole number of credits within the cap, in one message', () => {
    const load = () => loadConfig(from({ 'tally:snowflakeMonthlyCreditQuota': '1.5k' }));

    expect(load).toThrow(TallyConfigError);
    expect(load).toThrow(/1 problem/);
    expect(load).toThrow('tally:snowflakeMonthlyCreditQuota: expected an integer from 1 to 5000, got "1.5k"');
  });

  it('reads the monthly credit quota and the jobs warehouse', () => {
    const { snowflake } = loadConfig(
      from({ 'tally:snowflakeMonthlyCreditQuota': '900', 'tally:snowflakeJobsWarehouse': 'TALLY_OPS_WH' }),
    );

    expect(snowflake.monthlyCreditQuota).toBe(900);
    expect(snowflake.jobsWarehouse).toBe('TALLY_OPS_WH');
  });

  it('reads the quality interval from its rate, in minutes', () => {
    expect(
      loadConfig(from({ 'tally:qualitySchedule': 'rate(1 hour)' })).schedules.qualityIntervalMinutes,
    ).toBe(60);
  });

  it.each(['cron(0/15 * * * ? *)', 'rate(2 hours)'])(
    'refuses quality schedule %s: its alarms need a rate of at most an hour',
    (expression) => {
      const load = () => loadConfig(from({ 'tally:qualitySchedule': expression }));

      expect(load).toThrow(/tally:qualitySchedule: must be a rate of 1 to 60 minutes/);
    },
  );

  it('accepts any schedule for a quality job that is off', () => {
    const config = loadConfig(
      from({ 'tally:qualityEnabled': false, 'tally:qualitySchedule': 'cron(0/15 * * * ? *)' }),
    );

    expect(config.schedules.quality).toBe('cron(0/15 * * * ? *)');
  });

  it('refuses half of the storage integration handshake', () => {
    const load = () =>
      loadConfig(from({ 'tally:snowflakeIamUserArn': 'arn:aws:iam::999999999999:user/abc' }));

    expect(load).toThrow(/tally:snowflakeIamUserArn: comes with tally:snowflakeExternalId/);
  });

  it('sizes a provisioned stream for the configured peak: 26 shards for 12,000 events/s of 1.5 KB', () => {
    const config = loadConfig(from({ 'tally:streamMode': 'provisioned' }));

    expect(config.stream).toMatchObject({
      mode: 'provisioned',
      peakEventsPerSecond: 12_000,
      eventBytes: 1500,
      shardCount: 26,
      shardCountFrom: 'peak',
    });
    expect(
      loadConfig(from({ 'tally:peakEventsPerSecond': 3000, 'tally:eventBytes': '600' })).stream.shardCount,
    ).toBe(shardsForPeak({ eventsPerSecond: 3000, eventBytes: 600 }));
  });

  it('takes an explicit shard count over the derived one', () => {
    expect(loadConfig(from({ 'tally:shardCount': '40' })).stream).toMatchObject({
      shardCount: 40,
      shardCountFrom: 'configured',
    });
  });

  it('reads a list of CORS origins, and refuses one that is not an origin', () => {
    expect(
      loadConfig(from({ 'tally:corsAllowedOrigins': 'https://app.example.com,https://admin.example.com' }))
        .collector.corsAllowedOrigins,
    ).toEqual(['https://app.example.com', 'https://admin.example.com']);
    expect(() => loadConfig(from({ 'tally:corsAllowedOrigins': 'app.example.com/*' }))).toThrow(
      /tally:corsAllowedOrigins/,
    );
  });

  it("takes a stage's own block in tally:stages over the flat settings", () => {
    const config = loadConfig(
      from({
        'tally:stage': 'staging',
        'tally:streamMode': 'on-demand',
        'tally:stages': {
          staging: { streamMode: 'provisioned', shardCount: 3, ...HANDSHAKE },
          prod: { shardCount: 99 },
        },
      }),
    );

    expect(config.stream).toMatchObject({ mode: 'provisioned', shardCount: 3 });
    expect(config.snowflake).toMatchObject({
      iamUserArn: HANDSHAKE.snowflakeIamUserArn,
      externalId: HANDSHAKE.snowflakeExternalId,
      pipeQueueArn: HANDSHAKE.snowpipeQueueArn,
    });
  });

  it('reads tally:stages given as JSON with -c', () => {
    const config = loadConfig(
      from({ 'tally:stage': 'qa', 'tally:stages': JSON.stringify({ qa: { ...HANDSHAKE, shardCount: 2 } }) }),
    );

    expect(config.stream.shardCount).toBe(2);
  });

  it("names a stage block's bad value by its place in the block, and refuses settings it does not know", () => {
    const load = () =>
      loadConfig(
        from({
          'tally:stage': 'qa',
          'tally:stages': { qa: { ...HANDSHAKE, shardCount: 0, snowflakeExternalID: 'x', stage: 'qa' } },
        }),
      );

    expect(load).toThrow(/3 problems/);
    expect(load).toThrow('tally:stages.qa.shardCount: expected an integer from 1 to 10000, got 0');
    expect(load).toThrow('tally:stages.qa.snowflakeExternalID: not a Tally setting');
    expect(load).toThrow('tally:stages.qa.stage: not a Tally setting');
  });

  it('refuses to synthesize a stage other than dev without the handshake values, naming each and the fix', () => {
    const load = () =>
      loadConfig(from({ 'tally:stage': 'prod', 'tally:snowflakeExternalId': HANDSHAKE.snowflakeExternalId }));

    expect(load).toThrow(TallyConfigError);
    expect(load).toThrow(
      'tally:stages.prod: the Snowflake handshake values snowflakeIamUserArn, snowpipeQueueArn are missing',
    );
    expect(load).toThrow(/"tally:stages": \{ "prod": \{ \.\.\. \} \}/);
    expect(load).toThrow(/DESC INTEGRATION/);
    expect(load).toThrow(/SHOW PIPES/);
    expect(load).toThrow('-c tally:snowflakeHandshake=pending');
  });

  it('lets dev, and the first deploy of another stage (handshake pending), go without them', () => {
    expect(loadConfig(from({})).snowflake.handshake).toBe('complete');
    expect(
      loadConfig(from({ 'tally:stage': 'prod', 'tally:snowflakeHandshake': 'pending' })).snowflake.handshake,
    ).toBe('pending');
    expect(loadConfig(from({ 'tally:stage': 'prod' }), { requireHandshake: false }).stage).toBe('prod');
  });

  it('refuses an analyst role that is the pipeline role', () => {
    expect(() => loadConfig(from({ 'tally:snowflakeAnalystRole': 'TALLY_PIPELINE' }))).toThrow(
      /tally:snowflakeAnalystRole: must differ/,
    );
  });

  it('refuses a Snowflake identifier that would need quoting', () => {
    const load = () => loadConfig(from({ 'tally:snowflakeDatabase': 'tally; drop database x' }));

    expect(load).toThrow(/tally:snowflakeDatabase/);
  });
});
