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
  /** Optional. Days after receipt when an open request counts as overdue. Default 25. */
  overdueDays: 'TALLY_ERASURE_OVERDUE_DAYS',
} as const;

export interface ErasureConfig {
  readonly bucket: string;
  readonly bucketVersioned: boolean;
  readonly stagingPrefix: string;
  readonly settings: Partial<ErasureSettings>;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and checks the erasure Lambda's environment once; every problem in one ErasureConfigError. */
export const parseErasureConfig = (env: Env): ErasureConfig => {
  const problems: string[] = [];
  const bucket = env[ERASURE_ENV.bucket]?.trim() ?? '';
  if (bucket === '') problems.push(`${ERASURE_ENV.bucket} is required (the raw bucket name)`);
  const versioned = env[ERASURE_ENV.bucketVersioned]?.trim() ?? 'true';
  if (versioned !== 'true' && versioned !== 'false') {
    problems.push(`${ERASURE_ENV.bucketVersioned} must be true or false, got ${JSON.stringify(versioned)}`);
  }
  const stagingPrefix = env[ERASURE_ENV.stagingPrefix]?.trim() || 'erasure-staging/';
  if (
    !stagingPrefix.endsWith('/') ||
    stagingPrefix.startsWith('events/') ||
    stagingPrefix.startsWith('rejected/')
  ) {
    problems.push(
      `${ERASURE_ENV.stagingPrefix} must end with / and lie outside events/ and rejected/, got ${JSON.stringify(stagingPrefix)}`,
    );
  }
  const overdueRaw = env[ERASURE_ENV.overdueDays]?.trim();
  const settings: { overdueDays?: number } = {};
  if (overdueRaw !== undefined && overdueRaw !== '') {
    if (/^[1-9]\d*$/.test(overdueRaw) && Number(overdueRaw) < 30) settings.overdueDays = Number(overdueRaw);
    else
      problems.push(
        `${ERASURE_ENV.overdueDays} must be a whole number of days below 30, got ${JSON.stringify(overdueRaw)}`,
      );
  }
  if (problems.length > 0) throw new ErasureConfigError(problems);
  return { bucket, bucketVersioned: versioned === 'true', stagingPrefix, settings };
};
