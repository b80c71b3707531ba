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
