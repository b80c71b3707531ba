import { eventNameOf } from '#core/contract/assigned-event-name.ts';
import type { RejectedLine, TrackingPlanMode, ValidatedLine } from '#core/contract/envelope.ts';
import { type ValidatorDeps, validateRecord } from '#core/validator/validate-record.ts';
import { metaFor, recordOf, repoSchemas } from '../contract/support/events.ts';

let deps: ValidatorDeps;
beforeAll(async () => {
  deps = { ...(await repoSchemas()), build: 'test-build' };
});

const ARRIVED_AT = '2026-03-02T09:00:01.000Z';

/** A Segment track call no schema is written for: how a team migrating its tracking code sends. */
const buttonClicked = {
  type: 'track',
  event: 'Button Clicked',
  messageId: 'ajs-next-button-1',
  userId: 'usr_1',
  properties: { button: 'upgrade', position: 3 },
  context: { groupId: 'ws_1', library: { name: 'analytics.js', version: '5.2.1' } },
  timestamp: '2026-03-02T08:59:58.000Z',
};
const feature = { event: 'feature_used', user_id: 'u1', workspace_id: 'ws_1', feature_id: 'editor' };

const segment = (event: unknown, plan?: TrackingPlanMode): string =>
  recordOf(event, 'segment', plan === undefined ? {} : { tracking_plan: plan });
const native = (event: unknown, plan?: TrackingPlanMode): string =>
  recordOf(event, 'native', plan === undefined ? {} : { tracking_plan: plan });

const validated = (record: string): ValidatedLine => {
  const outcome = validateRecord(record, ARRIVED_AT, deps);
  if (!outcome.ok) throw new Error(`expected the record to validate, got ${outcome.reason.message}`);
  return JSON.parse(outcome.line) as ValidatedLine;
};

const rejected = (record: string): RejectedLine => {
  const outcome = validateRecord(record, ARRIVED_AT, deps);
  if (outcome.ok) throw new Error('expected the record to be rejected');
  return JSON.parse(outcome.line) as RejectedLine;
};

describe('the allow tracking plan', () => {
  it('accepts an unplanned Segment track against the permissive schema, flagged planned = false', () => {
    const line = validated(segment(buttonClicked, 'allow'));

    expect(line).toMatchObject({
      event_name: 'button_clicked',
      schema_version: '0-0-0',
      planned: false,
      event_id: 'ajs-next-button-1',
      user_id: 'usr_1',
      workspace_id: 'ws_1',
      platform: 'web',
      call: 'track',
      lineage: { schema_version: '0-0-0' },
      payload: buttonClicked,
    });
  });

  it('writes planned right after schema_version, and true for events with a schema of their own', () => {
    const outcome = validateRecord(native(feature, 'allow'), ARRIVED_AT, deps);
    if (!outcome.ok) throw new Error(outcome.reason.message);
    expect(outcome.line).toContain('"schema_version":"1-0-1","planned":true,"occurred_at"');
    expect(outcome.event.planned).toBe(true);
  });

  it('still rejects a planned event that fails its schema: SCHEMA_VIOLATION', () => {
    const line = rejected(native({ ...feature, workspace_id: undefined }, 'allow'));
    expect(line.reason).toMatchObject({ code: 'SCHEMA_VIOLATION', path: '/workspace_id' });
  });

  it('never guesses a version: an unplanned event naming one is UNKNOWN_SCHEMA_VERSION', () => {
    const line = rejected(segment({ ...buttonClicked, schema_version: '1-0-0' }, 'allow'));
    expect(line.reason).toMatchObject({ code: 'UNKNOWN_SCHEMA_VERSION', path: '/schema_version' });
    expect(line.event_name).toBe('button_clicked');
  });

  it('keeps UNKNOWN_SCHEMA_VERSION for a version of a planned event that does not exist', () => {
    expect(rejected(native({ ...feature, schema_version: '1-0-7' }, 'allow')).reason.code).toBe(
      'UNKNOWN_SCHEMA_VERSION',
    );
  });

  it('rejects an unplanned native name no schema could have (SCHEMA_VIOLATION at /event_name)', () => {
    const line = rejected(native({ event: 'Button Clicked', user_id: 'u1' }, 'allow'));
    expect(line.reason).toMatchObject({ code: 'SCHEMA_VIOLATION', path: '/event_name', keyword: 'pattern' });
    expect(line.lineage.schema_version).toBe('0-0-0');
  });

  it('rejects unplanned properties that are not an object', () => {
    const line = rejected(segment({ ...buttonClicked, properties: 'upgrade' }, 'allow'));
    expect(line.reason).toMatchObject({ code: 'SCHEMA_VIOLATION', path: '/properties', keyword: 'type' });
  });
});

describe('the strict tracking plan', () => {
  it('rejects an unplanned Segment track UNKNOWN_SCHEMA', () => {
    const line = rejected(segment(buttonClicked, 'strict'));
    expect(line.reason).toEqual({
      code: 'UNKNOWN_SCHEMA',
      message: `no schema for event "button_clicked" (the source's tracking plan is strict)`,
    });
    expect(line.event_name).toBe('button_clicked');
  });

  it('validates a record whose meta line names no plan as strict, as every record was before plans', () => {
    const record = segment(buttonClicked);
    expect(rejected(record).reason.code).toBe('UNKNOWN_SCHEMA');
    expect(validateRecord(record, '2030-01-01T00:00:00.000Z', deps).line).toBe(
      validateRecord(record, ARRIVED_AT, deps).line,
    );
  });

  it('accepts planned events as before, planned = true', () => {
    expect(validated(native(feature, 'strict'))).toMatchObject({ event_name: 'feature_used', planned: true });
  });
});

describe('a meta line with a tracking plan that is no mode', () => {
  const record = `${JSON.stringify({ ...metaFor('segment'), tracking_plan: 'permissive' })}\n${JSON.stringify(buttonClicked)}`;

  it('is MALFORMED_RECORD, never a guess at the mode', () => {
    const line = rejected(record);
    expect(line.reason.code).toBe('MALFORMED_RECORD');
    expect(line.reason.message).toContain('tracking_plan "allow" or "strict"');
    expect(line.event_name).toBeNull();
  });

  it('gets no event name from eventNameOf either, as the reconciliation compares them', () => {
    const meta = { ...metaFor('segment'), tracking_plan: 'permissive' as TrackingPlanMode };
    expect(eventNameOf(meta, JSON.stringify(buttonClicked))).toBe('');
    expect(eventNameOf({ ...meta, tracking_plan: 'allow' }, JSON.stringify(buttonClicked))).toBe(
      'button_clicked',
    );
  });
});
