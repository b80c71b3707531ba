/**
 * Launch capacity derived from the configured peak (`tally:peakEventsPerSecond`, `tally:eventBytes`):
 * the provisioned shard count of the raw stream and the throughput the events Firehose stream must be
 * allowed. docs/DEPLOY.md's before-launch checklist quotes these numbers for the reference scale, and
 * test/infra pins them, so the guide and the stack say the same.
 */

const MIB = 1024 * 1024;

/** What one provisioned Kinesis shard takes in (AWS quota, not adjustable). */
export const KINESIS_SHARD_WRITE = { bytesPerSecond: MIB, recordsPerSecond: 1000 } as const;

/**
 * Bytes a collected record carries beyond the event's own JSON: the collector's meta line (source,
 * receipt time, request id, intake, a Segment batch's context) and the partition key. Measured on
 * the demo's Segment batches at about 250 bytes; rounded up.
 */
export const RECORD_OVERHEAD_BYTES = 300;

/** Bytes a validated line adds to the event: the canonical envelope written before `payload`. */
export const VALIDATED_LINE_OVERHEAD_BYTES = 500;

/**
 * Share of a shard's (or a Firehose quota's) limit the peak may use: partition keys never spread
 * perfectly, and a peak above the forecast must not be throttled at once.
 */
export const TARGET_UTILISATION = 0.8;

export interface PeakLoad {
  /** Events per second at the busiest minute. */
  readonly eventsPerSecond: number;
  /** Average size of one event's JSON, in bytes. */
  readonly eventBytes: number;
}

/**
 * Shards a provisioned raw stream needs for the peak: the collector writes one record per event,
 * so both the bytes and the records per second bind; each is kept at {@link TARGET_UTILISATION}.
 */
export const shardsForPeak = (peak: PeakLoad): number => {
  const bytes =
    (peak.eventsPerSecond * (peak.eventBytes + RECORD_OVERHEAD_BYTES)) / KINESIS_SHARD_WRITE.bytesPerSecond;
  const records = peak.eventsPerSecond / KINESIS_SHARD_WRITE.recordsPerSecond;
  return Math.max(1, Math.ceil(Math.max(bytes, records) / TARGET_UTILISATION));
};

/**
 * MiB per second the events Firehose stream must be allowed at the peak (its Direct PUT quota is 5 MiB/s
 * in us-east-1, us-west-2 and eu-west-1, 1 MiB/s elsewhere, raised on request). The validator packs lines
 * into 1,000 KiB records, so the records-per-second and requests-per-second quotas do not bind.
 */
export const firehoseMiBPerSecondForPeak = (peak: PeakLoad): number =>
  Math.ceil(
    (peak.eventsPerSecond * (peak.eventBytes + VALIDATED_LINE_OVERHEAD_BYTES)) / MIB / TARGET_UTILISATION,
  );
