import { ERASURE_ENV, parseErasureConfig } from '#core/erasure/config.ts';
import { ErasureConfigError, ErasureRequestError } from '#core/erasure/errors.ts';
import { resolveErasureSettings } from '#core/erasure/settings.ts';
import { idHash, parseSubjectIds } from '#core/erasure/subject.ts';

describe('parseErasureConfig', () => {
  it('reads the bucket and defaults to a versioned bucket and the erasure-staging/ prefix', () => {
    expect(parseErasureConfig({ [ERASURE_ENV.bucket]: 'tally-prod-raw' })).toEqual({
      bucket: 'tally-prod-raw',
      bucketVersioned: true,
      stagingPrefix: 'erasure-staging/',
      objectQueueUrl: undefined,
      settings: {},
    });
  });

  it('reads the optional settings', () => {
    expect(
      parseErasureConfig({
        [ERASURE_ENV.bucket]: 'b',
        [ERASURE_ENV.bucketVersioned]: 'false',
        [ERASURE_ENV.stagingPrefix]: 'tmp/erasure/',
        [ERASURE_ENV.overdueDays]: '20',
        [ERASURE_ENV.objectQueueUrl]:
          'https://sqs.eu-west-1.amazonaws.com/123456789012/tally-prod-erasure-objects.fifo',
      }),
    ).toEqual({
      bucket: 'b',
      bucketVersioned: false,
      stagingPrefix: 'tmp/erasure/',
      objectQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/tally-prod-erasure-objects.fifo',
      settings: { overdueDays: 20 },
    });
  });

  it('reports every problem in one error', () => {
    const attempt = () =>
      parseErasureConfig({
        [ERASURE_ENV.bucketVersioned]: 'yes',
        [ERASURE_ENV.stagingPrefix]: 'events/staging/',
        [ERASURE_ENV.overdueDays]: '31',
        [ERASURE_ENV.objectQueueUrl]: 'https://sqs.eu-west-1.amazonaws.com/123456789012/standard',
      });

    expect(attempt).toThrow(ErasureConfigError);
    expect(attempt).toThrow(
      'invalid erasure configuration: TALLY_ERASURE_BUCKET is required (the raw bucket name); ' +
        'TALLY_ERASURE_BUCKET_VERSIONED must be true or false, got "yes"; ' +
        'TALLY_ERASURE_STAGING_PREFIX must end with / and lie outside events/ and rejected/, got "events/staging/"; ' +
        'TALLY_ERASURE_OVERDUE_DAYS must be a whole number of days below 30, got "31"; ' +
        'TALLY_ERASURE_OBJECT_QUEUE_URL must be the https URL of a FIFO queue, got "https://sqs.eu-west-1.amazonaws.com/123456789012/standard"',
    );
  });
});

describe('resolveErasureSettings', () => {
  it('defaults to due in 30 days and overdue after 15 (a week before the day-22 completion limit)', () => {
    expect(resolveErasureSettings()).toMatchObject({ dueDays: 30, overdueDays: 15 });
  });

  it('refuses an overdue age that is not before the due date, with every problem', () => {
    expect(() => resolveErasureSettings({ overdueDays: 30, recentDays: 0 })).toThrow(
      'invalid erasure configuration: recentDays must be a positive integer, got 0; overdueDays (30) must be less than dueDays (30)',
    );
  });
});

describe('parseSubjectIds', () => {
  it('accepts a user id with an optional workspace', () => {
    expect(parseSubjectIds('usr_0001_0003', undefined)).toEqual({
      userId: 'usr_0001_0003',
      workspaceId: null,
    });
    expect(parseSubjectIds('u', 'ws_0001')).toEqual({ userId: 'u', workspaceId: 'ws_0001' });
  });

  it('names every problem without echoing the ids (messages reach logs)', () => {
    const attempt = () => parseSubjectIds(' secret-id ', '');

    expect(attempt).toThrow(ErasureRequestError);
    expect(attempt).toThrow(
      'invalid erasure request: user id has leading or trailing spaces; workspace id must be a non-empty string',
    );
    expect(attempt).not.toThrow('secret-id');
  });
});

describe('idHash', () => {
  it('is the SHA-1 hex of the UTF-8 id', () => {
    expect(idHash('u-1')).toBe('8ccfeb78be5e5b937e1768c8392f4dfb39140021');
  });
});
