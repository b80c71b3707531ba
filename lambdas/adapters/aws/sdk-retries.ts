/**
 * Client options for an AWS SDK client whose calls one of our own retry loops repeats
 * (`#core/retry`): Kinesis PutRecords under the collector's stream writer, Firehose PutRecordBatch
 * under the validator's sink. The SDK's default (3 attempts, each with its own backoff) would run
 * inside every attempt of ours: up to three times the calls against a throttled shard, and waits
 * the collector's `maxTotalMs` budget cannot see. With one SDK attempt per attempt of ours, our
 * policy (attempts, full jitter, budget) is the only one; what the SDK would have retried reaches
 * us as a retryable error (`isRetryableAwsError`) and is retried there.
 *
 * Clients that no loop of ours wraps (SSM, S3, CloudWatch, Secrets Manager) keep the SDK's default.
 */
export const UNDER_OUR_RETRIES = { maxAttempts: 1 } as const;
