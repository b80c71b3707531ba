import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../lib/config.ts';
import { TallyConfigError } from '../../lib/errors.ts';

const from =
  (context: Record<string, unknown>) =>
  (key: string): unknown =>
    context[key];

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
  });

  it('derives per-stage names from the stage', () => {
    const config = loadConfig(from({ 'tally:stage': 'prod' }));

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

  it('refuses a Snowflake identifier that would need quoting', () => {
    const load = () => loadConfig(from({ 'tally:snowflakeDatabase': 'tally; drop database x' }));

    expect(load).toThrow(/tally:snowflakeDatabase/);
  });
});
