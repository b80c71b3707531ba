/**
 * Custom metrics the alarms watch that AWS does not publish itself. The handlers that emit them
 * (Embedded Metric Format) must use these names; they are defined here until those handlers land.
 */
export const OPS_NAMESPACE = 'Tally';

export const OPS_METRICS = {
  /** Erasure requests past their due date (received + 30 days) and not complete in every store. */
  erasureOverdueRequests: 'ErasureOverdueRequests',
} as const;
