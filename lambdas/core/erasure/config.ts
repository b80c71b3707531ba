import { ConfigReader } from '#core/config/config-reader.ts';
import { ERASURE_STAGING_PREFIX, RAW_PREFIXES } from '#core/contract/bucket-layout.ts';
import { ErasureConfigError } from './errors.ts';
import type { ErasureSettings } from './settings.ts';

/**
 * Environment variables of the erasure Lambda, defined once: the CDK construct imports these names to set
 * them, the handler reads them through {@link parseErasureConfig}. (Snowflake's come from its adapter.)
 */
export const ERASURE_ENV = {
  /** Required. The raw bucket (Firehose's `events/` and `rejected/` objects). */
  bucket: 'TALLY_ERASURE_BUCKET',
  /** Optional, `true` (default) or `false`: whether the bucket keeps object versions, purged by VersionId. */
  bucketVersioned: 'TALLY_ERASURE_BUCKET_VERSIONED',
  /** Optional. Key prefix for staging rewritten objects, outside the notified prefixes. Default `erasure-staging/`. */
  stagingPrefix: 'TALLY_ERASURE_STAGING_PREFIX',
  /** Optional. Days after receipt when an open request counts as overdue. Default 15. */
  overdueDays: 'TALLY_ERASURE_OVERDUE_DAYS',
  /**
   * Optional. URL of the SQS FIFO queue the objects and verify steps hand each raw object to (its workers
   * erase them, or search them for the verify step); unset, the steps work the objects themselves.
   */
  objectQueueUrl: 'TALLY_ERASURE_OBJECT_QUEUE_URL',
} as const;

export interface ErasureConfig {
  readonly bucket: string;
  readonly bucketVersioned: boolean;
  readonly stagingPrefix: string;
  readonly objectQueueUrl: string | undefined;
  readonly settings: Partial<ErasureSettings>;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and checks the erasure Lambda's environment once; every problem in one ErasureConfigError. */
export const parseErasureConfig = (env: Env): ErasureConfig => {
  const read = ConfigReader.env(env);
  const bucket = read.required(ERASURE_ENV.bucket, { missing: 'is required (the raw bucket name)' });
  const bucketVersioned = read.optional(ERASURE_ENV.bucketVersioned, true, (raw) =>
    raw === 'true' || raw === 'false' ? { value: raw === 'true' } : { problem: 'must be true or false' },
  );
  const raws = Object.values(RAW_PREFIXES);
  const stagingPrefix = read.optional(ERASURE_ENV.stagingPrefix, ERASURE_STAGING_PREFIX, (raw) =>
    raw.endsWith('/') && !raws.some((prefix) => raw.startsWith(prefix))
      ? { value: raw }
      : { problem: `must end with / and lie outside ${raws.join(' and ')}` },
  );
  const overdueDays = read.optional<number | undefined>(ERASURE_ENV.overdueDays, undefined, (raw) =>
    /^[1-9]\d*$/.test(raw) && Number(raw) < 30
      ? { value: Number(raw) }
      : { problem: 'must be a whole number of days below 30' },
  );
  const objectQueueUrl = read.optional<string | undefined>(ERASURE_ENV.objectQueueUrl, undefined, (raw) =>
    /^https:\/\/\S+\.fifo$/.test(raw) ? { value: raw } : { problem: 'must be the https URL of a FIFO queue' },
  );
  read.throwIfAny((problems) => new ErasureConfigError(problems));
  return {
    bucket,
    bucketVersioned,
    stagingPrefix,
    objectQueueUrl,
    settings: overdueDays === undefined ? {} : { overdueDays },
  };
};
