/**
 * Whether an error thrown by an AWS SDK call is worth retrying: throttling, service-side faults
 * and network failures are; client faults (missing resource, access denied, bad input) are not.
 */
export const isRetryableAwsError = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const sdk = error as {
    name?: unknown;
    $fault?: unknown;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  if (sdk.$retryable !== undefined) return true;
  if (typeof sdk.name === 'string' && RETRYABLE_NAMES.has(sdk.name)) return true;
  if (sdk.$fault === 'server') return true;
  if (sdk.$fault === 'client') return false;
  // No service response at all: the request never completed (reset, timeout, DNS).
  return sdk.$metadata?.httpStatusCode === undefined;
};

const RETRYABLE_NAMES = new Set([
  'ServiceUnavailableException',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
  'InternalFailure',
  'InternalServerError',
  'KMSThrottlingException',
  'RequestTimeout',
  'TimeoutError',
]);
