import type { RejectedLine, ValidatedLine } from '#core/contract/envelope.ts';
import { LATEST_TIME_MS } from '#core/contract/limits.ts';
import { type ValidatorDeps, validateRecord } from '#core/validator/validate-record.ts';
import { FAR_FUTURE } from '#core/warehouse/runner.ts';
import { RECEIVED_AT, recordOf, repoSchemas } from '../contract/support/events.ts';

/**
 * The validator writes only values both warehouses store: times in 1583-01-01 to 9999-12-30, well-formed
 * strings, numbers that read as themselves. Anything else is rejected with a specific reason, and
 * the rejected line itself is one the loaders take.
 */

let deps: ValidatorDeps;
beforeAll(async () => {
  deps = { ...(await repoSchemas()), build: 'test-build' };
});

const ARRIVED_AT = '2026-03-02T09:00:01.000Z';
const feature = { event: 'feature_used', user_id: 'u1', workspace_id: 'ws_1', feature_id: 'editor' };
const track = { type: 'track', event: 'Feature Used', userId: 'u1', properties: { feature_id: 'editor' } };

/** `feature` with raw JSON text spliced in before its closing brace (for literals JSON.stringify cannot write). */
const nativeText = (extra: string): string => JSON.stringify(feature).replace(/}$/, `,${extra}}`);

const rejected = (record: string): RejectedLine => {
  const outcome = validateRecord(record, ARRIVED_AT, deps);
  if (outcome.ok) throw new Error(`expected a rejection, got ${outcome.line}`);
  return JSON.parse(outcome.line) as RejectedLine;
};

const accepted = (record: string): ValidatedLine => {
  const outcome = validateRecord(record, ARRIVED_AT, deps);
  if (!outcome.ok) throw new Error(`expected acceptance, got ${outcome.line}`);
  return JSON.parse(outcome.line) as ValidatedLine;
};

/** Every string and key of a parsed line, to check none holds a lone surrogate. */
const stringsOf = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : typeof value === 'object' && value !== null
      ? Object.entries(value).flatMap(([key, item]) => [key, ...stringsOf(item)])
      : [];

/** String#isWellFormed (ES2024; the project's lib is ES2023). */
const wellFormed = (text: string): boolean => (text as unknown as { isWellFormed(): boolean }).isWellFormed();

describe('times outside 1583-01-01 to 9999-12-30', () => {
  it('rejects epoch milliseconds in year 10000 as INVALID_TIMESTAMP naming the field and the range', () => {
    expect(rejected(recordOf({ ...feature, occurred_at: 253402300800000 }, 'native')).reason).toEqual({
      code: 'INVALID_TIMESTAMP',
      message:
        '/occurred_at is outside 1583-01-01 to 9999-12-30 (UTC), the range the warehouse stores: 253402300800000',
      path: '/occurred_at',
    });
  });

  it('rejects a date-time whose offset takes it before year 0', () => {
    const record = recordOf({ ...feature, occurred_at: '0000-01-01T00:00:00+00:01' }, 'native');
    expect(rejected(record).reason).toMatchObject({ code: 'INVALID_TIMESTAMP', path: '/occurred_at' });
  });

  it.each<[string | number, string]>([
    ['1582-12-31T23:59:59.999Z', 'the last millisecond of 1582'],
    ['9999-12-31T00:00:00.000Z', 'the last day of 9999, which the transform takes as "no end"'],
    ['9999-12-31T23:30:00-01:00', 'a 9999 local time that is year 10000 in UTC'],
    [-12212553600001, 'epoch milliseconds just before 1583'],
  ])('rejects %p (%s)', (time, _what) => {
    expect(rejected(recordOf({ ...feature, sent_at: time }, 'native')).reason).toMatchObject({
      code: 'INVALID_TIMESTAMP',
      path: '/sent_at',
    });
  });

  it('accepts the first and the last millisecond of the range', () => {
    const first = accepted(recordOf({ ...feature, occurred_at: '1583-01-01T00:00:00.000Z' }, 'native'));
    const last = accepted(recordOf({ ...feature, occurred_at: 253402214399999 }, 'native'));
    expect([first.event_ts, last.event_ts]).toEqual(['1583-01-01T00:00:00.000Z', '9999-12-30T23:59:59.999Z']);
  });

  it("ends the range before the transform's open end, so every accepted event can reach the fact", () => {
    expect(LATEST_TIME_MS).toBeLessThan(FAR_FUTURE.getTime());
  });

  it('rejects a Segment originalTimestamp outside the range, at its own path', () => {
    const record = recordOf({ ...track, originalTimestamp: '0001-01-01T00:00:00.000Z' }, 'segment');
    expect(rejected(record).reason).toMatchObject({ code: 'INVALID_TIMESTAMP', path: '/originalTimestamp' });
  });

  it('rejects an event whose clock-skew correction lands before 1583, naming event_ts', () => {
    // Both client times are in range, but received - (sent - occurred) is some 8,000 years before receipt.
    const record = recordOf(
      { ...feature, occurred_at: '1583-01-01T00:00:00.000Z', sent_at: '9999-12-30T00:00:00.000Z' },
      'native',
    );
    const line = rejected(record);
    expect(line.reason.code).toBe('INVALID_TIMESTAMP');
    expect(line.reason.message).toMatch(
      /^event_ts = received_at - \(sent_at - occurred_at\) falls outside 1583-01-01 to 9999-12-30/,
    );
    expect(line).toMatchObject({ event_name: 'feature_used', user_id: 'u1', received_at: RECEIVED_AT });
  });

  it('rejects a record whose receipt time is out of range, and stamps the stream arrival time instead', () => {
    const line = rejected(recordOf(feature, 'native', { received_at: '10000-01-01T00:00:00.000Z' }));
    expect(line.reason.code).toBe('MALFORMED_RECORD');
    const late = rejected(recordOf(feature, 'native', { received_at: '1500-01-01T00:00:00.000Z' }));
    expect(late.reason).toMatchObject({ code: 'INVALID_TIMESTAMP' });
    expect(late.reason.message).toMatch(/received_at is outside 1583-01-01 to 9999-12-30/);
    expect(late.received_at).toBe(ARRIVED_AT);
  });
});

describe('lone UTF-16 surrogates', () => {
  it('rejects one in a value as INVALID_UNICODE at its path, writing the identity well-formed', () => {
    const record = recordOf({ ...feature, user_id: 'u1\ud800' }, 'native');
    const outcome = validateRecord(record, ARRIVED_AT, deps);
    expect(outcome.ok).toBe(false);
    const line = JSON.parse(outcome.line) as RejectedLine;
    expect(stringsOf(line).filter((text) => !wellFormed(text))).toEqual([]);
    expect(line.reason).toMatchObject({ code: 'INVALID_UNICODE', path: '/user_id' });
    expect(line.user_id).toBe('u1\ufffd');
    // The escape is six characters of the record's text: raw_record keeps the original exactly.
    expect(line.raw_record).toBe(record);
    expect(record).toContain('"u1\\ud800"');
  });

  it('rejects one in a key, pointing at the key', () => {
    const record = recordOf({ ...feature, properties: { ok: 1, 'bad\udc00': 2 } }, 'native');
    expect(rejected(record).reason).toMatchObject({ code: 'INVALID_UNICODE', path: '/properties/bad\ufffd' });
  });

  it('rejects one in a Segment event name', () => {
    const record = recordOf({ ...track, event: 'Feature Used\ud83d' }, 'segment');
    expect(rejected(record).reason).toMatchObject({ code: 'INVALID_UNICODE', path: '/event' });
  });

  it('rejects one in a native event name and writes the name with U+FFFD', () => {
    const line = rejected(recordOf({ ...feature, event: 'feature_used\udfff' }, 'native'));
    expect(line.reason.code).toBe('INVALID_UNICODE');
    expect(line.event_name).toBe('feature_used\ufffd');
  });

  it('rejects one in the batch-level Segment context, which every call of the batch reads', () => {
    const record = recordOf(track, 'segment', { context: { app: { version: '1.0\ud800' } } });
    expect(rejected(record).reason).toMatchObject({
      code: 'INVALID_UNICODE',
      path: '/batch/context/app/version',
    });
  });

  it('accepts surrogate pairs written as escapes, and a backslash that only looks like an escape', () => {
    const text = nativeText(String.raw`"properties":{"emoji":"\ud83d\ude00","path":"C:\\ud800"}`);
    const line = accepted(recordOf(text, 'native'));
    expect(line.payload).toMatchObject({ properties: { emoji: '😀', path: 'C:\\ud800' } });
  });
});

describe('numbers beyond the range of a double', () => {
  it('rejects "occurred_at":1e400 as NUMBER_OUT_OF_RANGE instead of dropping the time', () => {
    expect(rejected(recordOf(nativeText('"occurred_at":1e400'), 'native')).reason).toEqual({
      code: 'NUMBER_OUT_OF_RANGE',
      message:
        '/occurred_at is a number beyond the range of a 64-bit float (about 1.8e308): it reads as Infinity',
      path: '/occurred_at',
    });
  });

  it.each([
    ['"user_id":-1E+400', '/user_id', 'a negative one with a capital E, as a user id'],
    ['"sent_at":0.5e309', '/sent_at', 'a fraction with a three-digit exponent, as a send time'],
    [`"event_id":1${'0'.repeat(400)}`, '/event_id', 'an integer of 401 digits, as an event id'],
  ])('rejects %s at %s (%s)', (field, path) => {
    expect(rejected(recordOf(nativeText(field), 'native')).reason).toMatchObject({
      code: 'NUMBER_OUT_OF_RANGE',
      path,
    });
  });

  // The collector rejects a literal beyond a double anywhere in the event (collector-prechecks.test.ts).
  it.each([
    ['1e-400', 'a tiny number, which reads as 0'],
    ['1.7976931348623157e308', 'the largest double'],
    [`${'9'.repeat(200)}e99`, '200 digits and a two-digit exponent'],
  ])('accepts %s (%s), keeping its text in the payload', (literal) => {
    const text = nativeText(`"properties":{"n":${literal}}`);
    const outcome = validateRecord(recordOf(text, 'native'), ARRIVED_AT, deps);
    expect(outcome.ok).toBe(true);
    expect(outcome.line).toContain(`"payload":${text}`);
  });

  it('tells a collector precheck apart: the record shows null where the number was', () => {
    const record = recordOf({ ...feature, occurred_at: null }, 'native', { precheck: 'NUMBER_OUT_OF_RANGE' });
    expect(rejected(record).reason.message).toBe(
      'rejected by the collector at intake (NUMBER_OUT_OF_RANGE): a number in the event is beyond the range of a 64-bit float; the record shows null in its place',
    );
  });
});

describe('records another writer made', () => {
  it.each([['null'], ['"ctx"'], ['[1]']])(
    'reads a Segment call whose meta context is %s as if there were none, instead of throwing',
    (context) => {
      const meta = JSON.stringify({
        v: 1,
        source_id: 's',
        received_at: RECEIVED_AT,
        request_id: 'r',
        intake: 'segment',
      });
      const record = `${meta.replace(/}$/, `,"context":${context}}`)}\n${JSON.stringify({ type: 'page', userId: 'u1' })}`;
      expect(validateRecord(record, ARRIVED_AT, deps)).toMatchObject({
        ok: true,
        event: { event_name: 'page_viewed' },
      });
    },
  );
});
