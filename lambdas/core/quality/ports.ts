/** Ports the quality checks drive, besides the Warehouse port. */
import type { MetricDatum } from './check.ts';

/** Events the collector accepted (acknowledged with 200) in one (source, event name, minute of received_at). */
export interface AcceptedCount {
  readonly sourceId: string;
  /** The event name the validator assigns (the collector uses the same derivation); '' when unparseable. */
  readonly eventName: string;
  /** Start of the minute of `received_at` (UTC). */
  readonly minute: Date;
  readonly accepted: number;
}

/**
 * The collector's own count of what it accepted: the left side of the reconciliation. Locally a
 * table the local stack fills (`ops.collector_counts`); on AWS the collector's `AcceptedEvents`
 * metric, read back from CloudWatch.
 */
export interface AcceptedCounts {
  /** Accepted events with `received_at` in [from, to) (both minute boundaries), per (source, event name, minute). */
  between(from: Date, to: Date): Promise<AcceptedCount[]>;
}

/** Where check metrics go: CloudWatch EMF on stdout on AWS; nowhere (or a log) locally. */
export interface QualityMetricsPublisher {
  publish(datapoints: readonly MetricDatum[]): void;
}
