import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { EventStream, PutRecordsResult, StreamRecord } from '#core/collector/ports.ts';
import { AcceptedTally } from '#core/quality/accepted-tally.ts';
import { ACCEPTED_EVENTS_METRIC, toDimensionValue } from './accepted-events-metric.ts';

interface Acknowledged {
  readonly records: readonly StreamRecord[];
  readonly failed: readonly number[];
}

/** The Powertools instance the collector's `AcceptedEvents` documents go through (namespace Tally, service collector). */
export const acceptedEventsMetrics = (): Metrics =>
  new Metrics({ namespace: ACCEPTED_EVENTS_METRIC.namespace, serviceName: ACCEPTED_EVENTS_METRIC.service });

/**
 * The collector's stream, metered: what the inner stream acknowledged is published as the CloudWatch
 * metric `AcceptedEvents` (Count) {service, SourceId, EventName}, the left side of the quality
 * reconciliation on AWS. `putRecords` only keeps a reference to the acknowledged records; `publish()`
 * (once per invocation, after the handler and on its errors: `publishAcceptedEvents`) counts them with
 * the shared {@link AcceptedTally} (the validator's event names, copies within the invocation once) and
 * writes one EMF document per (source, event name, minute), stamped with the minute of receipt so
 * CloudWatch files the count under the minute the reconciliation compares. No AWS call: CloudWatch Logs
 * extracts the metric. Records the stream refused are not counted; the collector retries them, and
 * counts them once acknowledged.
 */
export class MeteredEventStream implements EventStream {
  readonly #inner: EventStream;
  readonly #metrics: Metrics;
  readonly #tally: AcceptedTally;
  #acknowledged: Acknowledged[] = [];

  constructor(inner: EventStream, metrics: Metrics = acceptedEventsMetrics(), tally = new AcceptedTally()) {
    this.#inner = inner;
    this.#metrics = metrics;
    this.#tally = tally;
  }

  async putRecords(records: readonly StreamRecord[]): Promise<PutRecordsResult> {
    const result = await this.#inner.putRecords(records);
    if (result.failed.length < records.length) this.#acknowledged.push({ records, failed: result.failed });
    return result;
  }

  /** Counts what was acknowledged since the last call and writes the counts as EMF on stdout. */
  publish(): void {
    const batches = this.#acknowledged;
    this.#acknowledged = [];
    for (const { records, failed } of batches) this.#tally.countAcknowledged(records, failed);
    for (const counted of this.#tally.take()) {
      this.#metrics.setTimestamp(counted.receivedAt);
      this.#metrics.addDimensions({
        [ACCEPTED_EVENTS_METRIC.sourceDimension]: toDimensionValue(counted.sourceId),
        [ACCEPTED_EVENTS_METRIC.eventNameDimension]: toDimensionValue(counted.eventName),
      });
      this.#metrics.addMetric(ACCEPTED_EVENTS_METRIC.name, MetricUnit.Count, counted.count);
      this.#metrics.publishStoredMetrics();
    }
  }
}
