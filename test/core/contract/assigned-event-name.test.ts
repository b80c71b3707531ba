import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildStreamRecords } from '#core/collector/stream-records.ts';
import { eventNameOf } from '#core/contract/assigned-event-name.ts';
import { decodeCollectedRecord } from '#core/contract/collected-record.ts';
import type { IntakeFormat, SegmentCallType } from '#core/contract/envelope.ts';
import { MAX_EVENT_BYTES } from '#core/contract/limits.ts';
import { type ValidatorDeps, validateRecord } from '#core/validator/validate-record.ts';
import { REPO_ROOT, repoSchemas } from './support/events.ts';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'events');
const RECEIVED_AT = '2026-03-02T09:00:00.000Z';

interface Case {
  readonly name: string;
  readonly intake: IntakeFormat;
  readonly event: unknown;
  /** Single Segment call routes (`/v1/page`) name the call. */
  readonly call?: SegmentCallType;
}

/** Every fixture of test/fixtures/events: one event per file, or the inconsistent clients' list. */
const fixtureCases = (): Case[] =>
  readdirSync(FIXTURES)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .flatMap((file): Case[] => {
      const content: unknown = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));
      if (Array.isArray(content)) {
        return content.map((c: { client: string; intake: IntakeFormat; event: unknown }) => ({
          name: `${file}: ${c.client}`,
          intake: c.intake,
          event: c.event,
        }));
      }
      return [{ name: file, intake: file.startsWith('segment') ? 'segment' : 'native', event: content }];
    });

const native = { event_id: 'e-1', user_id: 'usr_1', workspace_id: 'ws_1' };
const deep = (depth: number): unknown => (depth === 0 ? 1 : { a: deep(depth - 1) });

/** Events the validator rejects at every stage, and names it derives in every way. */
const spoiledCases: Case[] = [
  { name: 'native without a user (collector precheck)', intake: 'native', event: { event: 'feature_used' } },
  { name: 'native with a numeric name', intake: 'native', event: { ...native, event: 42 } },
  {
    name: 'native with an empty event and an event_name',
    intake: 'native',
    event: { ...native, event: '', event_name: 'feature_used' },
  },
  { name: 'native name as given, no schema', intake: 'native', event: { ...native, event: 'Feature Used' } },
  {
    name: 'native with a bad time',
    intake: 'native',
    event: { ...native, event: 'feature_used', occurred_at: 'yesterday' },
  },
  {
    name: 'native with an unknown schema version',
    intake: 'native',
    event: { ...native, event: 'feature_used', schema_version: '9-0-0' },
  },
  {
    name: 'native failing its schema',
    intake: 'native',
    event: { ...native, event: 'feature_used', properties: 'not an object' },
  },
  {
    name: 'native too large',
    intake: 'native',
    event: { ...native, event: 'feature_used', properties: { note: 'x'.repeat(MAX_EVENT_BYTES) } },
  },
  {
    name: 'native nested too deep',
    intake: 'native',
    event: { ...native, event: 'feature_used', properties: deep(40) },
  },
  { name: 'not an object', intake: 'native', event: 'feature_used' },
  {
    name: 'Segment track name in snake_case',
    intake: 'segment',
    event: { type: 'track', userId: 'u', event: 'Checkout-Started v2' },
  },
  {
    name: 'Segment track with a name of no letters',
    intake: 'segment',
    event: { type: 'track', userId: 'u', event: '?!' },
  },
  {
    name: 'Segment type in capitals',
    intake: 'segment',
    event: { type: 'TRACK', userId: 'u', event: 'featureUsed' },
  },
  {
    name: 'Segment page from the route',
    intake: 'segment',
    call: 'page',
    event: { userId: 'u', name: 'Home' },
  },
  { name: 'Segment unknown type', intake: 'segment', event: { type: 'purchase', userId: 'u' } },
  {
    name: 'native name with a lone surrogate',
    intake: 'native',
    event: { ...native, event: 'feature_used\ud800' },
  },
  {
    name: 'Segment track name with a lone surrogate',
    intake: 'segment',
    event: { type: 'track', userId: 'u', event: 'Feature Used\udc00' },
  },
  {
    name: 'native with a time after 9999',
    intake: 'native',
    event: { ...native, event: 'feature_used', occurred_at: 253402300800000 },
  },
  {
    name: 'native with a number that read as Infinity (collector precheck)',
    intake: 'native',
    event: { ...native, event: 'feature_used', properties: { n: Number.POSITIVE_INFINITY } },
  },
  {
    name: 'Segment track without an id (collector precheck)',
    intake: 'segment',
    event: { type: 'track', event: 'Feature Used' },
  },
];

/** The name on the validator's output line for the record ('' when the rejected line has none). */
const validatorName = (record: string, deps: ValidatorDeps): string => {
  const outcome = validateRecord(record, RECEIVED_AT, deps);
  if (outcome.ok) return outcome.event.event_name;
  return (JSON.parse(outcome.line) as { event_name: string | null }).event_name ?? '';
};

/** The collected record the collector puts on the stream for the event. */
const collect = (c: Case): string => {
  const { records } = buildStreamRecords(
    { intake: c.intake, events: [c.event], wrapped: false, ...(c.call ? { call: c.call } : {}) },
    { sourceId: 'src_test', receivedAt: RECEIVED_AT, requestId: 'req-1' },
    MAX_EVENT_BYTES,
  );
  return Buffer.from(records[0]!.data).toString('utf8');
};

const nameOf = (record: string): string => {
  const { meta, eventText } = decodeCollectedRecord(record);
  if (meta === null) throw new Error('the collector wrote a record without meta');
  return eventNameOf(meta, eventText);
};

describe('eventNameOf', () => {
  let deps: ValidatorDeps;
  beforeAll(async () => {
    deps = { ...(await repoSchemas()), build: 'test' };
  });

  it.each(fixtureCases().map((c) => [c.name, c] as const))(
    'gives the name the validator assigns to %s',
    (_name, c) => {
      const record = collect(c);
      expect(nameOf(record)).toBe(validatorName(record, deps));
    },
  );

  it.each(spoiledCases.map((c) => [c.name, c] as const))('agrees with the validator on %s', (_name, c) => {
    const record = collect(c);
    expect(nameOf(record)).toBe(validatorName(record, deps));
  });

  it('names native events as given and Segment calls as the normalisers do', () => {
    const names = Object.fromEntries(spoiledCases.map((c) => [c.name, nameOf(collect(c))]));

    expect(names).toMatchObject({
      'native with an empty event and an event_name': 'feature_used',
      'native name as given, no schema': 'Feature Used',
      'native with a bad time': 'feature_used',
      'Segment track name in snake_case': 'checkout_started_v2',
      'Segment type in capitals': 'feature_used',
      'Segment page from the route': 'page_viewed',
      'native name with a lone surrogate': 'feature_used\ufffd',
      'Segment track name with a lone surrogate': 'feature_used',
      'native with a time after 9999': 'feature_used',
    });
  });

  it('gives no name to what the validator rejects before reading one', () => {
    const unnamed = [
      'native without a user (collector precheck)',
      'native with a numeric name',
      'native too large',
      'native nested too deep',
      'not an object',
      'Segment track with a name of no letters',
      'Segment unknown type',
      'Segment track without an id (collector precheck)',
      'native with a number that read as Infinity (collector precheck)',
    ];
    for (const name of unnamed) {
      const c = spoiledCases.find((s) => s.name === name)!;
      expect([name, nameOf(collect(c))]).toEqual([name, '']);
    }
  });
});
