import { loadValidator } from '#adapters/node/load-validator.ts';
import type { RejectReasonCode } from '#core/contract/envelope.ts';
import type { RecordValidator } from '#core/validator/validate-record.ts';
import { BothLoadPaths, type EmittedLines, validateRecords } from '../../support/validator-lines.ts';
import { transform } from '../../support/warehouse-pipeline.ts';
import { accepted, collectorHarness, post } from '../collector/support/harness.ts';

/**
 * The hostile requests of issue 14, sent through the real collector and validator, their lines
 * loaded through both raw load paths and the transform: each hostile event is rejected with its
 * documented reason, and the good event sent beside it lands in raw.events and the fact.
 */

/** When the collector receives the requests; the lines load at 09:10, the transform runs at 09:15. */
const RECEIVED_AT = '2026-03-02T09:00:00.000Z';

let validate: RecordValidator;
let paths: BothLoadPaths;
beforeAll(async () => {
  validate = await loadValidator({ schemasDir: 'schemas', build: 'test' });
  paths = await BothLoadPaths.open();
});
afterAll(() => paths.close());

const victim = (id: string) =>
  `{"event_name":"feature_used","event_id":"${id}","user_id":"u2","workspace_id":"w1","feature_id":"editor"}`;

/** Posts a body, validates what the collector put on the stream, and loads the lines through both paths. */
const send = async (path: string, body: string, name: string) => {
  const { collector, stream, clock } = collectorHarness();
  clock.ms = Date.parse(RECEIVED_AT);
  const outcome = accepted(await collector.collect(post(path, body)));
  const records = stream.calls.flat().map((record) => record.data);
  const lines = await validateRecords(validate, records);
  await paths.load(name, lines);
  return { outcome, lines };
};

const rejectedOf = (lines: EmittedLines) =>
  lines.rejected.map((line) => JSON.parse(line) as { reason: { code: RejectReasonCode; path?: string } });

/** event ids in the fact after a transform, from each load path. */
const factEventIds = async (): Promise<string[][]> => {
  const ids: string[][] = [];
  for (const warehouse of [paths.warehouses.auto, paths.warehouses.lines]) {
    await transform(warehouse, '2026-03-02T09:15:00.000Z');
    const rows = await warehouse.query<{ event_id: string }>(
      'SELECT event_id FROM curated.fct_feature_events ORDER BY event_id',
    );
    ids.push(rows.map((row) => row.event_id));
  }
  return ids;
};

const cases: [string, string, string, RejectReasonCode, string][] = [
  [
    'epoch milliseconds in year 10000',
    '/v1/events',
    `{"events":[{"event_name":"feature_used","event_id":"poison-1","user_id":"u1","workspace_id":"w1","feature_id":"editor","occurred_at":253402300800000},${victim('victim-1')}]}`,
    'INVALID_TIMESTAMP',
    '/occurred_at',
  ],
  [
    'epoch milliseconds before year 0',
    '/v1/events',
    `{"events":[{"event_name":"feature_used","user_id":"u1","workspace_id":"w1","occurred_at":-62198755200000},${victim('victim-2')}]}`,
    'INVALID_TIMESTAMP',
    '/occurred_at',
  ],
  [
    'a time whose offset makes it year -1',
    '/v1/events',
    `{"events":[{"event_name":"feature_used","user_id":"u1","workspace_id":"w1","sent_at":"0000-01-01T00:00:00+00:01"},${victim('victim-3')}]}`,
    'INVALID_TIMESTAMP',
    '/sent_at',
  ],
  [
    'a skew correction that lands before year 0',
    '/v1/events',
    `{"events":[{"event_name":"feature_used","user_id":"u1","workspace_id":"w1","feature_id":"editor","occurred_at":"1600-01-01T00:00:00Z","sent_at":"9999-01-01T00:00:00Z"},${victim('victim-4')}]}`,
    'INVALID_TIMESTAMP',
    '',
  ],
  [
    'a lone surrogate in a user id',
    '/v1/events',
    `{"events":[{"event_name":"feature_used","user_id":"u1\\ud800","workspace_id":"w1","feature_id":"editor"},${victim('victim-5')}]}`,
    'INVALID_UNICODE',
    '/user_id',
  ],
  [
    'a lone surrogate in a key',
    '/v1/events',
    `{"events":[{"event_name":"feature_used","user_id":"u1","workspace_id":"w1","properties":{"\\udc00":1}},${victim('victim-6')}]}`,
    'INVALID_UNICODE',
    '/properties/\ufffd',
  ],
  [
    'a lone surrogate in a Segment event name',
    '/v1/batch',
    `{"batch":[{"type":"track","event":"Feature Used\\ud83d","userId":"u1"},{"type":"track","event":"Feature Used","messageId":"victim-7","userId":"u2","properties":{"feature_id":"editor","workspace_id":"w1"}}]}`,
    'INVALID_UNICODE',
    '/event',
  ],
  [
    'a lone surrogate in an event without a schema (a rejected line that must load)',
    '/v1/events',
    `{"events":[{"event_name":"no_such_event\\udbff","user_id":"\\udfff"},${victim('victim-8')}]}`,
    'INVALID_UNICODE',
    '/event_name',
  ],
  [
    '"occurred_at":1e400',
    '/v1/events',
    `{"events":[{"event_name":"feature_used","user_id":"u1","workspace_id":"w1","occurred_at":1e400},${victim('victim-9')}]}`,
    'NUMBER_OUT_OF_RANGE',
    '',
  ],
];

describe('hostile requests from issue 14', () => {
  const sent = new Map<string, Awaited<ReturnType<typeof send>>>();
  beforeAll(async () => {
    for (const [what, route, body] of cases) sent.set(what, await send(route, body, `case-${sent.size}`));
  });

  it.each(cases)(
    'rejects %s with its reason and loads both lines on both paths',
    async (what, _route, _body, code, path) => {
      const { outcome, lines } = sent.get(what)!;
      const name = `case-${[...sent.keys()].indexOf(what)}`;

      expect(outcome.received).toBe(2);
      expect(rejectedOf(lines).map((line) => line.reason)).toEqual([
        expect.objectContaining({ code, ...(path ? { path } : {}) }),
      ]);
      expect(await paths.rowCounts('events', name)).toEqual([1, 1]);
      expect(await paths.rowCounts('rejected', name)).toEqual([1, 1]);
    },
  );

  it('lands every good neighbour in the fact, whichever path loaded it', async () => {
    const victims = cases.map(([, , body]) => body.match(/victim-\d+/)![0]).sort();

    expect(await factEventIds()).toEqual([victims, victims]);
  });

  it('tells the client which event held 1e400, and why', async () => {
    const { collector } = collectorHarness();
    const body = `{"events":[{"event_name":"feature_used","user_id":"u1","workspace_id":"w1","occurred_at":1e400},${victim('victim-told')}]}`;

    const outcome = accepted(await collector.collect(post('/v1/events', body)));

    expect(outcome).toMatchObject({ received: 2, accepted: 1 });
    expect(outcome.rejected).toEqual([
      expect.objectContaining({ index: 0, code: 'NUMBER_OUT_OF_RANGE', path: '/occurred_at' }),
    ]);
  });
});
