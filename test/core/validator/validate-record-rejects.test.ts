import {
  LOADER_REJECT_REASONS,
  type LoaderRejectReasonCode,
  REJECT_REASONS,
  type RejectedLine,
  type RejectReasonCode,
} from '#core/contract/envelope.ts';
import { type ValidatorDeps, validateRecord } from '#core/validator/validate-record.ts';
import { RECEIVED_AT, recordOf, repoSchemas } from '../contract/support/events.ts';

let deps: ValidatorDeps;
beforeAll(async () => {
  deps = { ...(await repoSchemas()), build: 'test-build', maxEventBytes: 2048 };
});

const ARRIVED_AT = '2026-03-02T09:00:01.000Z';

const rejected = (record: string): RejectedLine => {
  const outcome = validateRecord(record, ARRIVED_AT, deps);
  if (outcome.ok) throw new Error('expected the record to be rejected');
  const line = JSON.parse(outcome.line) as RejectedLine;
  expect(line.reason).toEqual(outcome.reason);
  return line;
};

const feature = { event: 'feature_used', user_id: 'u1', workspace_id: 'ws_1', feature_id: 'editor' };

type ValidatorReason = Exclude<RejectReasonCode, LoaderRejectReasonCode>;
const VALIDATOR_REASONS = REJECT_REASONS.filter(
  (code): code is ValidatorReason => !(LOADER_REJECT_REASONS as readonly string[]).includes(code),
);

/** One record per reason code the validator gives: adding a reason without a case here fails the suite. */
const RECORDS: Record<ValidatorReason, () => string> = {
  MALFORMED_RECORD: () => JSON.stringify(feature),
  MALFORMED_JSON: () => recordOf('{"event":"feature_used",', 'native'),
  NOT_AN_OBJECT: () => recordOf('[{"event":"feature_used"}]', 'native'),
  EVENT_TOO_LARGE: () => recordOf({ ...feature, properties: { note: 'x'.repeat(3000) } }, 'native'),
  NESTING_TOO_DEEP: () =>
    recordOf(`{"event":"x","user_id":"u1","properties":${'{"a":'.repeat(40)}1${'}'.repeat(40)}}`, 'native'),
  MISSING_KEY: () => recordOf({ event: 'feature_used', workspace_id: 'ws_1' }, 'native'),
  INVALID_TIMESTAMP: () => recordOf({ ...feature, occurred_at: '2026-02-30T10:00:00Z' }, 'native'),
  UNKNOWN_SCHEMA: () => recordOf({ ...feature, event: 'checkout_started' }, 'native'),
  UNKNOWN_SCHEMA_VERSION: () => recordOf({ ...feature, schema_version: '1-0-7' }, 'native'),
  SCHEMA_VIOLATION: () => recordOf({ ...feature, workspace_id: undefined }, 'native'),
  INVALID_UNICODE: () => recordOf({ ...feature, user_id: 'u1\ud800' }, 'native'),
  NUMBER_OUT_OF_RANGE: () =>
    recordOf(JSON.stringify(feature).replace('}', ',"occurred_at":1e400}'), 'native'),
};

describe('every reject reason', () => {
  it.each(VALIDATOR_REASONS.map((code) => [code]))('%s is reachable', (code) => {
    expect(rejected(RECORDS[code]()).reason.code).toBe(code);
  });
});

describe('the rejected line', () => {
  it('keeps the whole record for replay, and what is known of the event', () => {
    const record = recordOf({ ...feature, event_id: 'evt_1', schema_version: '1-0-7' }, 'native');
    expect(rejected(record)).toEqual({
      reason: {
        code: 'UNKNOWN_SCHEMA_VERSION',
        message: 'no schema feature_used 1-0-7; known versions: 1-0-0, 1-0-1',
        path: '/schema_version',
      },
      source_id: 'src_web_app',
      received_at: RECEIVED_AT,
      request_id: 'req_0001',
      intake: 'native',
      event_name: 'feature_used',
      event_id: 'evt_1',
      workspace_id: 'ws_1',
      user_id: 'u1',
      raw_record: record,
      lineage: { validator_build: 'test-build', dedup_algo: 'v1', schema_version: null },
    });
  });

  it('records which schema version refused the event', () => {
    expect(rejected(RECORDS.SCHEMA_VIOLATION()).lineage.schema_version).toBe('1-0-1');
  });

  it('uses the stream arrival time when the record has no meta', () => {
    expect(rejected(RECORDS.MALFORMED_RECORD())).toMatchObject({
      received_at: ARRIVED_AT,
      source_id: null,
      intake: null,
      raw_record: JSON.stringify(feature),
    });
  });

  it('is deterministic', () => {
    const record = RECORDS.MALFORMED_JSON();
    expect(validateRecord(record, ARRIVED_AT, deps).line).toBe(validateRecord(record, ARRIVED_AT, deps).line);
  });
});

describe('specific reasons', () => {
  it('points SCHEMA_VIOLATION at the failing value with the Ajv keyword', () => {
    expect(rejected(RECORDS.SCHEMA_VIOLATION()).reason).toEqual({
      code: 'SCHEMA_VIOLATION',
      message: '/workspace_id is missing (null); the schema requires string',
      path: '/workspace_id',
      keyword: 'type',
    });
  });

  it('points SCHEMA_VIOLATION into properties', () => {
    const record = recordOf({ ...feature, properties: { duration_ms: -5 } }, 'native');
    expect(rejected(record).reason).toMatchObject({ path: '/properties/duration_ms', keyword: 'minimum' });
  });

  it('rejects a Segment identify without traits: the schema requires them and nothing stands in for them', () => {
    for (const traits of [undefined, null]) {
      const record = recordOf({ type: 'identify', userId: 'u1', traits }, 'segment');
      expect(rejected(record).reason).toMatchObject({
        code: 'SCHEMA_VIOLATION',
        path: '/traits',
        keyword: 'required',
      });
    }
  });

  it('accepts events without the properties or traits their schema leaves optional', () => {
    expect(validateRecord(recordOf(feature, 'native'), ARRIVED_AT, deps).ok).toBe(true);
    const page = recordOf({ type: 'page', userId: 'u1' }, 'segment');
    expect(validateRecord(page, ARRIVED_AT, deps).ok).toBe(true);
  });

  it('keeps unknown properties: only the described ones are checked', () => {
    const record = recordOf({ ...feature, properties: { brand_new_field: { any: ['thing'] } } }, 'native');
    expect(validateRecord(record, ARRIVED_AT, deps).ok).toBe(true);
  });

  it('rejects a required property of session_started as SCHEMA_VIOLATION at its pointer', () => {
    const record = recordOf(
      { event: 'session_started', user_id: 'u1', properties: { entry: 'resume' } },
      'native',
    );
    expect(rejected(record).reason).toMatchObject({ path: '/properties/session_id', keyword: 'required' });
  });

  it('says how large an oversized event is', () => {
    expect(rejected(RECORDS.EVENT_TOO_LARGE()).reason.message).toMatch(
      /^the event is \d+ bytes; the limit is 2048$/,
    );
  });

  it('counts the size in UTF-8 bytes, not characters', () => {
    const record = recordOf({ ...feature, properties: { note: '€'.repeat(700) } }, 'native');
    expect(rejected(record).reason.code).toBe('EVENT_TOO_LARGE');
  });

  it('rejects deep nesting without crashing, however deep', () => {
    const deep = `{"event":"x","user_id":"u1","properties":${'['.repeat(15_000)}${']'.repeat(15_000)}}`;
    const outcome = validateRecord(recordOf(deep, 'native'), ARRIVED_AT, { ...deps, maxEventBytes: 65_536 });
    expect(outcome).toMatchObject({ ok: false, reason: { code: 'NESTING_TOO_DEEP' } });
  });

  it('keeps the identity of an event missing its user, for the rejected table', () => {
    expect(rejected(RECORDS.MISSING_KEY())).toMatchObject({
      reason: { code: 'MISSING_KEY', path: '/user_id' },
      event_name: 'feature_used',
      workspace_id: 'ws_1',
    });
  });

  it('answers INVALID_TIMESTAMP for a non-existent date, with the path', () => {
    expect(rejected(RECORDS.INVALID_TIMESTAMP()).reason).toMatchObject({ path: '/occurred_at' });
  });

  it('agrees with the verdict the collector already gave the client (precheck)', () => {
    const record = recordOf({ ...feature }, 'native', { precheck: 'MISSING_KEY' });
    expect(rejected(record).reason).toEqual({
      code: 'MISSING_KEY',
      message: 'rejected by the collector at intake (MISSING_KEY)',
    });
  });

  it('refuses a meta line with an unknown intake as MALFORMED_RECORD', () => {
    const record = `${JSON.stringify({ v: 1, source_id: 's', received_at: RECEIVED_AT, request_id: 'r', intake: 'csv' })}\n{}`;
    expect(rejected(record).reason.code).toBe('MALFORMED_RECORD');
  });
});
