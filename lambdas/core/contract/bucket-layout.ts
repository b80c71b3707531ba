/**
 * The raw bucket's key layout, defined once for everything that writes or reads it: Firehose (its
 * prefix expressions, lib/), the local Firehose and loader, the erasure and the replay. Keys read
 * `<prefix>dt=YYYY-MM-DD/hr=HH/<stream>-1-YYYY-MM-DD-HH-MM-SS-<id>.json.gz`, partitioned by the UTC time
 * the file's oldest line arrived (Firehose's default timestamp namespace).
 */

/**
 * Top-level prefixes of the raw bucket. Firehose writes under them, Snowpipe's stage and
 * notifications read them, and the storage integration is allowed only them.
 */
export const RAW_PREFIXES = {
  events: 'events/',
  rejected: 'rejected/',
} as const;

/**
 * Where the erasure stages a rewritten raw file before copying it over the original: outside the
 * notified prefixes, so staging notifies no pipe. Objects here live for seconds; a lifecycle rule
 * removes any a crashed run left.
 */
export const ERASURE_STAGING_PREFIX = 'erasure-staging/';

/** Firehose delivery and processing failures, by stream and error type. */
export const ERRORS_PREFIX = 'errors/';

/** Object key prefix Firehose writes a stream's files under: `events/dt=2026-11-23/hr=15/`. */
export const partitionedPrefix = (prefix: string): string =>
  `${prefix}dt=!{timestamp:yyyy-MM-dd}/hr=!{timestamp:HH}/`;

/** Folder of the records Firehose could not deliver for `stream`. */
export const errorRoot = (stream: string): string => `${ERRORS_PREFIX}${stream}/`;

/** Where Firehose puts records it could not deliver for `stream`, by error type and day. */
export const errorPrefix = (stream: string): string =>
  `${errorRoot(stream)}!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/`;

/** Suffix of every delivered object (gzip NDJSON), as the local Firehose names them too. */
export const RAW_FILE_EXTENSION = '.json.gz';

/** The raw prefixes by name, without their slash (`events`, `rejected`). */
export type RawPrefixName = keyof typeof RAW_PREFIXES;

/** One day's partition of a raw prefix: `events/dt=2025-03-04/`. */
export const dayPartition = (prefix: RawPrefixName, day: string): string =>
  `${RAW_PREFIXES[prefix]}dt=${day}/`;

/** The key of a new object of `deliveryStream` whose lines started arriving at `arrivedAt` (as Firehose names it). */
export const objectKey = (
  prefix: RawPrefixName,
  deliveryStream: string,
  arrivedAt: Date,
  id: string,
): string => {
  const iso = arrivedAt.toISOString();
  const day = iso.slice(0, 10);
  const hour = iso.slice(11, 13);
  const stamp = `${day}-${hour}-${iso.slice(14, 16)}-${iso.slice(17, 19)}`;
  return `${dayPartition(prefix, day)}hr=${hour}/${deliveryStream}-1-${stamp}-${id}${RAW_FILE_EXTENSION}`;
};

const PARTITION = /\/dt=(\d{4}-\d{2}-\d{2})\/hr=(\d{2})\//;

/** The start of the hour partition a key lies in (epoch ms), or null for a key outside the layout. */
export const partitionHour = (key: string): number | null => {
  const match = PARTITION.exec(key);
  return match === null ? null : Date.parse(`${match[1]}T${match[2]}:00:00Z`);
};
