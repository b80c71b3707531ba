import { QUALITY_METRICS_NAMESPACE } from '#core/quality/metric-names.ts';

/**
 * The collector's `AcceptedEvents` metric: events the stream acknowledged, per source, validator event
 * name and minute of receipt. The collector writes it (`metered-event-stream.ts`, EMF), the quality job
 * reads it back (`cloudwatch-accepted-counts.ts`) as the left side of the reconciliation.
 */
export const ACCEPTED_EVENTS_METRIC = {
  namespace: QUALITY_METRICS_NAMESPACE,
  /** Value of the `service` dimension Powertools adds. */
  service: 'collector',
  name: 'AcceptedEvents',
  sourceDimension: 'SourceId',
  eventNameDimension: 'EventName',
} as const;

/** The dimension every Powertools metric carries, set to the service name. */
export const SERVICE_DIMENSION = 'service';

/** Dimension value of the event name `''` (the validator assigns none): CloudWatch refuses empty values. */
export const NO_EVENT_NAME = '(none)';

/** Dimension value of a name longer than CloudWatch takes once encoded; it cannot be read back. */
export const NAME_TOO_LONG = '(too long)';

/** CloudWatch's longest dimension value. */
export const MAX_DIMENSION_VALUE_LENGTH = 1024;

const PLAIN = /^[A-Za-z0-9_.-]+$/;
const PLAIN_BYTE = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-')
  PLAIN_BYTE[c.charCodeAt(0)] = 1;

/**
 * A source id or event name as a CloudWatch dimension value, which must be 1 to 1024 printable ASCII
 * characters: letters, digits, `_`, `.` and `-` as they are (so `feature_used` reads as itself), every
 * other UTF-8 byte as `%XX`. Reversible by {@link fromDimensionValue}, except {@link NAME_TOO_LONG}. The
 * two reserved values contain `(`, which a name never keeps.
 */
export const toDimensionValue = (text: string): string => {
  if (text === '') return NO_EVENT_NAME;
  if (PLAIN.test(text)) return text.length <= MAX_DIMENSION_VALUE_LENGTH ? text : NAME_TOO_LONG;
  let encoded = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    encoded += PLAIN_BYTE[byte]
      ? String.fromCharCode(byte)
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    if (encoded.length > MAX_DIMENSION_VALUE_LENGTH) return NAME_TOO_LONG;
  }
  return encoded;
};

/** The source id or event name a dimension value stands for ({@link NAME_TOO_LONG} stays as it is). */
export const fromDimensionValue = (value: string): string => {
  if (value === NO_EVENT_NAME) return '';
  if (value === NAME_TOO_LONG || !value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value; // not written by toDimensionValue: kept as it is
  }
};
