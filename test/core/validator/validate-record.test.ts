import type { CanonicalEvent, ValidatedLine } from '#core/contract/envelope.ts';
import { type RecordOutcome, type ValidatorDeps, validateRecord } from '#core/validator/validate-record.ts';
import { fixture, fixtureText, RECEIVED_AT, recordOf, repoSchemas } from '../contract/support/events.ts';

let deps: ValidatorDeps;
beforeAll(async () => {
  deps = { ...(await repoSchemas()), build: 'test-build' };
});

const ARRIVED_AT = '2026-03-02T09:00:01.000Z';
/** dedup_key of `{ event: 'page_viewed', anonymous_id: 'anon_1', occurred_at: '2026-03-02T08:00:00.000Z' }` from src_web_app under v1. */
const V1_KEY_OF_BARE_PAGE_VIEW = '96ba56dba8a6a3eb81bfafeef0b3a832';

const accepted = (record: string): { event: CanonicalEvent; line: ValidatedLine; text: string } => {
  const outcome: RecordOutcome = validateRecord(record, ARRIVED_AT, deps);
  if (!outcome.ok) throw new Error(`expected the record to validate, got ${JSON.stringify(outcome.reason)}`);
  return { event: outcome.event, line: JSON.parse(outcome.line) as ValidatedLine, text: outcome.line };
};

describe('validating a native event', () => {
  it('emits the canonical envelope with lineage', () => {
    const { event } = accepted(recordOf(fixtureText('native-feature-used'), 'native'));

    expect(event).toEqual({
      dedup_key: expect.stringMatching(/^[0-9a-f]{32}$/),
      event_id: '0f5c2a7e-8d1b-4c3e-9a61-2b7d4e9f1a10',
      event_name: 'feature_used',
      schema_version: '1-0-1',
      occurred_at: '2026-03-02T08:59:50.250Z',
      sent_at: '2026-03-02T08:59:58.000Z',
      received_at: RECEIVED_AT,
      event_ts: '2026-03-02T08:59:52.250Z',
      user_id: 'usr_7f3a91c2',
      anonymous_id: 'anon_3e8d2b10',
      workspace_id: 'ws_acme',
      feature_id: 'editor.comments.mention',
      feature_known: true,
      platform: 'web',
      app_version: '3.14.2',
      locale: 'en-GB',
      source_id: 'src_web_app',
      intake: 'native',
      call: 'event',
      lineage: { validator_build: 'test-build', dedup_algo: 'v1', schema_version: '1-0-1' },
    });
  });

  it('splices the event text in as payload, byte for byte', () => {
    const eventText = JSON.stringify(fixture('native-feature-used'));
    const { text } = accepted(recordOf(eventText, 'native'));
    expect(text.endsWith(`,"payload":${eventText}}`)).toBe(true);
  });

  it('writes a line that is exactly the event plus payload, in envelope order', () => {
    const { event, line } = accepted(recordOf(fixtureText('native-feature-used'), 'native'));
    const { payload, ...fields } = line;
    expect(Object.keys(line)).toEqual([...Object.keys(event), 'payload']);
    expect(fields).toEqual(event);
    expect(payload).toEqual(fixture('native-feature-used'));
  });

  it('keeps a pretty-printed event on one NDJSON line without changing its data', () => {
    const pretty = fixtureText('native-feature-used');
    expect(pretty).toContain('\n');
    const { text, line } = accepted(recordOf(pretty, 'native'));
    expect(text).not.toContain('\n');
    expect(line.payload).toEqual(JSON.parse(pretty));
  });

  it('escapes client identifiers that need it', () => {
    const { line } = accepted(
      recordOf(
        { event: 'page_viewed', user_id: 'quote " back \\ newline \n tab \t', locale: 'x\u0001' },
        'native',
      ),
    );
    expect(line.user_id).toBe('quote " back \\ newline \n tab \t');
    expect(line.locale).toBe('x\u0001');
  });

  it('is deterministic: the same record gives a byte-identical line', () => {
    const record = recordOf(fixtureText('native-epoch-ms'), 'native');
    const first = validateRecord(record, ARRIVED_AT, deps).line;
    expect(validateRecord(record, '2030-01-01T00:00:00.000Z', deps).line).toBe(first);
  });
});

describe('choosing the schema version', () => {
  const event = { event: 'feature_used', user_id: 'u1', workspace_id: 'ws_1', feature_id: 'editor' };

  it('validates against the latest version when the event names none', () => {
    expect(accepted(recordOf(event, 'native')).event.schema_version).toBe('1-0-1');
  });

  it('validates against exactly the version the event names', () => {
    const { event: validated } = accepted(recordOf({ ...event, schema_version: '1-0-0' }, 'native'));
    expect(validated.schema_version).toBe('1-0-0');
    expect(validated.lineage.schema_version).toBe('1-0-0');
  });
});

describe('device clock skew', () => {
  it('derives event_ts on the server clock from the client send and occurred times', () => {
    // The device clock is 1 hour behind: it sent at 08:00:05 (device) what happened at 08:00:00 (device);
    // the server received it at 09:00:00, so the event happened 5 s before receipt.
    const { event } = accepted(
      recordOf(
        {
          event: 'page_viewed',
          user_id: 'u1',
          occurred_at: '2026-03-02T08:00:00.000Z',
          sent_at: '2026-03-02T08:00:05.000Z',
        },
        'native',
      ),
    );
    expect(event).toMatchObject({
      occurred_at: '2026-03-02T08:00:00.000Z',
      event_ts: '2026-03-02T08:59:55.000Z',
    });
  });

  it('uses the occurred time when the client sent no send time', () => {
    const { event } = accepted(
      recordOf({ event: 'page_viewed', user_id: 'u1', occurred_at: '2026-03-02T08:00:00.000Z' }, 'native'),
    );
    expect(event.event_ts).toBe('2026-03-02T08:00:00.000Z');
  });

  it('takes an explicit Segment timestamp sent next to originalTimestamp as event_ts, uncorrected (RudderStack back-fill)', () => {
    // RudderStack's SDKs stamp originalTimestamp (now) on every call and send timestamp only when the
    // caller set one; its server takes that timestamp as the event time, so history keeps its day.
    const { event } = accepted(
      recordOf(
        {
          type: 'page',
          userId: 'u1',
          timestamp: '2025-11-01T10:00:00.000Z',
          originalTimestamp: '2026-03-02T08:59:59.000Z',
          sentAt: '2026-03-02T09:00:59.000Z',
        },
        'segment',
      ),
    );
    expect(event).toMatchObject({
      occurred_at: '2025-11-01T10:00:00.000Z',
      sent_at: '2026-03-02T09:00:59.000Z',
      event_ts: '2025-11-01T10:00:00.000Z',
    });
  });

  it('corrects originalTimestamp sent alone for the device clock with sentAt', () => {
    const { event } = accepted(
      recordOf(
        {
          type: 'page',
          userId: 'u1',
          originalTimestamp: '2026-03-02T08:00:00.000Z',
          sentAt: '2026-03-02T08:00:05.000Z',
        },
        'segment',
      ),
    );
    expect(event).toMatchObject({
      occurred_at: '2026-03-02T08:00:00.000Z',
      event_ts: '2026-03-02T08:59:55.000Z',
    });
  });

  it('corrects a Segment timestamp sent alone for the device clock with sentAt, as Segment’s server does', () => {
    // Segment's SDKs set timestamp on every call (now, or the caller's time); its server treats it as
    // the originalTimestamp and corrects it with sentAt.
    const { event } = accepted(
      recordOf(
        {
          type: 'page',
          userId: 'u1',
          timestamp: '2026-03-02T08:00:00.000Z',
          sentAt: '2026-03-02T08:00:05.000Z',
        },
        'segment',
      ),
    );
    expect(event).toMatchObject({
      occurred_at: '2026-03-02T08:00:00.000Z',
      event_ts: '2026-03-02T08:59:55.000Z',
    });
  });

  it('uses the receipt time when the client sent no time', () => {
    expect(accepted(recordOf({ event: 'page_viewed', user_id: 'u1' }, 'native')).event.event_ts).toBe(
      RECEIVED_AT,
    );
  });
});

describe('validating Segment calls', () => {
  it.each([
    ['segment-track', 'track', 'feature_used', '1-0-1'],
    ['segment-identify', 'identify', 'identify', '1-0-0'],
    ['segment-page', 'page', 'page_viewed', '1-0-0'],
    ['segment-screen', 'screen', 'screen_viewed', '1-0-0'],
    ['segment-group', 'group', 'group', '1-0-0'],
    ['segment-alias', 'alias', 'alias', '1-0-0'],
  ])('accepts the %s fixture as a %s call named %s', (name, call, eventName, version) => {
    const { event } = accepted(recordOf(fixtureText(name), 'segment'));
    expect(event).toMatchObject({ intake: 'segment', call, event_name: eventName, schema_version: version });
  });

  it('uses messageId for dedup and skew-corrects originalTimestamp with sentAt', () => {
    const { event } = accepted(recordOf(fixtureText('segment-track'), 'segment'));
    expect(event).toMatchObject({
      event_id: 'ajs-next-1772441990250-5c0e1d2f-77a4-4b8a-9e3c-0f1d2e3c4b5a',
      event_ts: '2026-03-02T08:59:52.250Z',
      workspace_id: 'ws_acme',
      feature_id: 'editor.history.restore',
      feature_known: true,
    });
  });
});

describe('inconsistent clients', () => {
  interface Case {
    readonly client: string;
    readonly intake: 'native' | 'segment';
    readonly event: Record<string, unknown>;
    readonly expect: Partial<CanonicalEvent>;
  }
  const cases = fixture<Case[]>('inconsistent-clients');

  it.each(cases.map((c) => [c.client, c] as const))('normalises the %s', (_client, c) => {
    expect(accepted(recordOf(c.event, c.intake)).event).toMatchObject(c.expect);
  });
});

describe('retries', () => {
  const batch = [
    fixture('native-feature-used'),
    fixture('native-epoch-ms'),
    {
      event: 'page_viewed',
      anonymous_id: 'anon_1',
      occurred_at: 1772441990250,
      properties: { b: 1, a: [1, 2] },
    },
  ];

  it('gives a retried batch (new sent_at, received_at and request id) the same dedup keys', () => {
    const keysOf = (sentAt: string, receivedAt: string, requestId: string) =>
      batch.map((event) => {
        const retried = { ...event, sent_at: sentAt };
        return accepted(recordOf(retried, 'native', { received_at: receivedAt, request_id: requestId })).event
          .dedup_key;
      });

    const first = keysOf('2026-03-02T08:59:58.000Z', '2026-03-02T09:00:00.000Z', 'req_1');
    const retry = keysOf('2026-03-02T09:04:58.000Z', '2026-03-02T09:05:00.123Z', 'req_2');
    expect(retry).toEqual(first);
    expect(new Set(first).size).toBe(3);
  });

  it('keys an event without an id and without properties or traits as before they were left absent (dedup v1)', () => {
    const bare = { event: 'page_viewed', anonymous_id: 'anon_1', occurred_at: '2026-03-02T08:00:00.000Z' };
    expect(accepted(recordOf(bare, 'native')).event.dedup_key).toBe(
      accepted(recordOf({ ...bare, properties: {}, traits: {} }, 'native')).event.dedup_key,
    );
    // The value v1 always gave this event, when the normaliser substituted {} for both.
    expect(accepted(recordOf(bare, 'native')).event.dedup_key).toBe(V1_KEY_OF_BARE_PAGE_VIEW);
  });

  it('gives an event without an id the same key whatever the order of its properties', () => {
    const a = { event: 'page_viewed', anonymous_id: 'anon_1', properties: { path: '/a', title: 'A' } };
    const b = { properties: { title: 'A', path: '/a' }, anonymous_id: 'anon_1', event: 'page_viewed' };
    expect(accepted(recordOf(b, 'native')).event.dedup_key).toBe(
      accepted(recordOf(a, 'native')).event.dedup_key,
    );
  });

  it('ignores the context (library version, IP) when keying an event without an id', () => {
    const base = { event: 'page_viewed', anonymous_id: 'anon_1', occurred_at: 1772441990250 };
    const first = accepted(recordOf({ ...base, context: { ip: '203.0.113.7' } }, 'native')).event.dedup_key;
    const retry = accepted(recordOf({ ...base, context: { ip: '198.51.100.2' } }, 'native')).event.dedup_key;
    expect(retry).toBe(first);
  });
});

describe('hostile keys', () => {
  const hostile =
    '{"event":"page_viewed","user_id":"u1","__proto__":{"polluted":true,"user_id":"attacker"},' +
    '"constructor":{"prototype":{"polluted":true}},"properties":{"__proto__":{"polluted":true},"prototype":1},' +
    '"context":{"__proto__":{"groupId":"ws_attacker"},"constructor":"x"}}';

  it('keeps __proto__, constructor and prototype keys as plain data', () => {
    const { event, line } = accepted(recordOf(hostile, 'native'));
    expect(event).toMatchObject({ user_id: 'u1', workspace_id: null });
    expect(line.payload).toEqual(JSON.parse(hostile));
    expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
  });

  it('changes the prototype of nothing', () => {
    accepted(recordOf(hostile, 'native', { context: { locale: 'en-US' } }));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it('keeps a __proto__ context key as data when merging the batch context', () => {
    const { event } = accepted(recordOf(hostile, 'native', { context: { groupId: 'ws_batch' } }));
    expect(event.workspace_id).toBe('ws_batch');
    expect(({} as Record<string, unknown>).groupId).toBeUndefined();
  });
});
