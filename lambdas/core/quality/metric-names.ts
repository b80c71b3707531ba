/**
 * Names shared by the quality Lambda (which emits) and the CDK alarms (which watch). Import these
 * rather than retyping strings: an alarm on a misspelt metric never fires.
 */

/** CloudWatch namespace of every quality metric (shared with the other Tally ops metrics; `service` = quality tells them apart). */
export const QUALITY_METRICS_NAMESPACE = 'Tally';

/** Value of the `service` dimension Powertools adds to every metric. */
export const QUALITY_SERVICE = 'quality';

/** Per check and run: number of failing buckets (0 when the check passes). Dimensions: `Check`. Unit Count. */
export const CHECK_FAILURES_METRIC = 'CheckFailures';

/** Per check and run: 1 when the check could not run, else 0. Dimensions: `Check`. Unit Count. */
export const CHECK_ERRORS_METRIC = 'CheckErrors';

/** The dimension naming the check in the two metrics above. */
export const CHECK_DIMENSION = 'Check';
