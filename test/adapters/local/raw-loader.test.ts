import { insertEventLines, loadEventsFile, loadRejectedFile } from '#adapters/local/raw-loader.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import { freshWarehouse } from '../../support/warehouse-db.ts';
import {
  eventLine,
  featureUsedFixture,
  rejectedFixture,
  writeNdjson,
} from '../../support/warehouse-events.ts';

const LOADED_AT = new Date('2026-03-10T09:20:00.000Z');

describe('raw loader', () => {
  let warehouse: Warehouse;
  beforeEach(async () => {
    warehouse = await freshWarehouse();
  });
  afterEach(() => warehouse.close());

  it('loads a gzip events file into raw.events with typed columns, the payload and where each row came from', async () => {
    const path = await writeNdjson('events-1.ndjson.gz', [featureUsedFixture()]);
    expect(
      await loadEventsFile(warehouse, path, 'events/dt=2026-03-10/hr=09/events-1.ndjson.gz', LOADED_AT, {
        library: duckdbSql,
      }),
    ).toEqual({ rows: 1, unloadable: 0 });
    expect(await warehouse.query('SELECT * FROM raw.events')).toEqual([
      {
        dedup_key: '5f0c2a61c8a94f3f9d1e7b2a4c6e8d01',
        event_id: '0b8d3c2e-6f1a-4e5b-9c7d-2a1b3c4d5e6f',
        event_name: 'feature_used',
        schema_version: '1-0-0',
        occurred_at: '2026-03-10T09:15:00.000Z',
        sent_at: '2026-03-10T09:15:02.000Z',
        received_at: '2026-03-10T09:15:02.350Z',
        event_ts: '2026-03-10T09:15:00.350Z',
        user_id: 'user-1',
        anonymous_id: 'anon-1',
        workspace_id: 'ws-acme',
        feature_id: 'editor.comments.mention',
        feature_known: true,
        platform: 'web',
        app_version: '4.2.0',
        locale: 'en-GB',
        source_id: 'src-web',
        intake: 'native',
        call_type: 'event',
        lineage: { validator_build: 'test', dedup_algo: 'sha256-v1', schema_version: '1-0-0' },
        payload: featureUsedFixture().payload,
        file_name: 'events/dt=2026-03-10/hr=09/events-1.ndjson.gz',
        file_row: 1,
        loaded_at: '2026-03-10T09:20:00.000Z',
        // the fixture was written before tracking plans: no planned field, so planned
        planned: true,
      },
    ]);
  });

  it.each([
    ['by the file', {}],
    ['by lines', { reader: 'lines' as const }],
  ])(
    'stores planned as the line says, and true for a line without it (written before tracking plans), %s',
    async (_how, options) => {
      const unplanned = { ...featureUsedFixture(), dedup_key: 'dk-unplanned', planned: false };
      const planned = { ...featureUsedFixture(), dedup_key: 'dk-planned', planned: true };
      const older = { ...featureUsedFixture(), dedup_key: 'dk-older' };
      const path = await writeNdjson('events-planned.ndjson.gz', [unplanned, planned, older]);
      await loadEventsFile(
        warehouse,
        path,
        'events/dt=2026-03-10/hr=09/events-planned.ndjson.gz',
        LOADED_AT,
        { library: duckdbSql, ...options },
      );
      expect(await warehouse.query('SELECT dedup_key, planned FROM raw.events ORDER BY file_row')).toEqual([
        { dedup_key: 'dk-unplanned', planned: false },
        { dedup_key: 'dk-planned', planned: true },
        { dedup_key: 'dk-older', planned: true },
      ]);
    },
  );

  it('loads plain NDJSON and numbers rows by line, counting the blank lines it skips', async () => {
    const lines = [
      eventLine({ id: 'a', at: '2026-03-10T09:00:00.000Z' }),
      '',
      eventLine({ id: 'b', at: '2026-03-10T09:01:00.000Z' }),
    ];
    const text = lines.map((l) => (l === '' ? '' : JSON.stringify(l)));
    expect(
      await insertEventLines(warehouse, text, 'events-2.ndjson', LOADED_AT, { library: duckdbSql }),
    ).toEqual({
      rows: 2,
      unloadable: 0,
    });
    expect(await warehouse.query('SELECT dedup_key, file_row FROM raw.events ORDER BY file_row')).toEqual([
      { dedup_key: 'dk-a', file_row: 1 },
      { dedup_key: 'dk-b', file_row: 3 },
    ]);
  });

  it('stores timestamps sent with a zone offset as UTC', async () => {
    const line = { ...featureUsedFixture(), occurred_at: '2026-03-10T11:15:00+02:00' };
    await insertEventLines(warehouse, [JSON.stringify(line)], 'events-3.ndjson', LOADED_AT, {
      library: duckdbSql,
    });
    expect(await warehouse.query('SELECT occurred_at FROM raw.events')).toEqual([
      { occurred_at: '2026-03-10T09:15:00.000Z' },
    ]);
  });

  it('loads every other line of a file with a poison line in the middle, which becomes an UNLOADABLE_LINE row with its file and line', async () => {
    const lines = ['a', 'b', 'c', 'd', 'e'].map((id) => eventLine({ id, at: '2026-03-10T09:00:00.000Z' }));
    const poison = { ...lines[2]!, event_ts: '+010000-01-01T00:00:00.000Z' };
    const path = await writeNdjson('events-4.ndjson.gz', [lines[0], lines[1], poison, lines[3], lines[4]]);
    const file = 'events/dt=2026-03-10/hr=09/events-4.ndjson.gz';

    expect(await loadEventsFile(warehouse, path, file, LOADED_AT, { library: duckdbSql })).toEqual({
      rows: 4,
      unloadable: 1,
    });
    expect(await warehouse.query('SELECT dedup_key, file_row FROM raw.events ORDER BY file_row')).toEqual([
      { dedup_key: 'dk-a', file_row: 1 },
      { dedup_key: 'dk-b', file_row: 2 },
      { dedup_key: 'dk-d', file_row: 4 },
      { dedup_key: 'dk-e', file_row: 5 },
    ]);
    expect(
      await warehouse.query(
        'SELECT reason_code, reason_message, event_id, file_name, file_row, raw_record FROM raw.rejected_events',
      ),
    ).toEqual([
      {
        reason_code: 'UNLOADABLE_LINE',
        reason_message: 'event_ts is not an ISO-8601 timestamp with a zone: "+010000-01-01T00:00:00.000Z"',
        event_id: 'c',
        file_name: file,
        file_row: 3,
        raw_record: JSON.stringify(poison),
      },
    ]);
  });

  it.each([
    ['a truncated line', '{"dedup_key": ', 'not valid JSON ('],
    ['an array', '[1, 2]', 'not a JSON object'],
    [
      'an empty dedup key',
      JSON.stringify({ ...featureUsedFixture(), dedup_key: '' }),
      'dedup_key must be a non-empty string',
    ],
    [
      'a string feature_known',
      JSON.stringify({ ...featureUsedFixture(), feature_known: 'yes' }),
      'feature_known must be a boolean',
    ],
    [
      'a line nested deeper than a row can be written with (JSON.stringify overflows near 10,000 levels)',
      `{"payload":${'['.repeat(20_000)}${']'.repeat(20_000)}}`,
      'nests objects or arrays deeper than 1000 levels',
    ],
    [
      'a raw lone surrogate in a string',
      JSON.stringify({ ...featureUsedFixture(), user_id: undefined }).replace('{', '{"user_id":"u\ud800",'),
      'user_id holds a lone UTF-16 surrogate',
    ],
  ])('routes %s to raw.rejected_events, naming the problem', async (_what, line, reason) => {
    expect(
      await insertEventLines(warehouse, [line], 'events-5.ndjson', LOADED_AT, {
        library: duckdbSql,
        chunkSize: 1,
      }),
    ).toEqual({
      rows: 0,
      unloadable: 1,
    });
    const [row] = await warehouse.query('SELECT reason_code, reason_message FROM raw.rejected_events');
    expect(row?.reason_code).toBe('UNLOADABLE_LINE');
    expect(String(row?.reason_message)).toContain(reason);
  });

  it('loads a rejected file into raw.rejected_events with the reason and the record for replay', async () => {
    const path = await writeNdjson('rejected-1.ndjson.gz', [rejectedFixture()]);
    expect(
      await loadRejectedFile(
        warehouse,
        path,
        'rejected/dt=2026-03-10/hr=09/rejected-1.ndjson.gz',
        LOADED_AT,
        { library: duckdbSql },
      ),
    ).toEqual({ rows: 1, unloadable: 0 });
    const [row] = await warehouse.query('SELECT * FROM raw.rejected_events');
    expect(row).toMatchObject({
      reason_code: 'SCHEMA_VIOLATION',
      reason_message: "must have required property 'feature'",
      reason_path: '/feature',
      reason_keyword: 'required',
      received_at: '2026-03-10T09:16:00.120Z',
      event_id: 'a1b2c3d4-0000-4000-8000-000000000007',
      raw_record: rejectedFixture().raw_record,
      file_row: 1,
      loaded_at: '2026-03-10T09:20:00.000Z',
    });
  });

  it('inserts the same file twice when asked to (raw keeps what was loaded; models count it once)', async () => {
    const path = await writeNdjson('events-6.ndjson', [featureUsedFixture()]);
    await loadEventsFile(warehouse, path, 'events-6.ndjson', LOADED_AT, { library: duckdbSql });
    await loadEventsFile(warehouse, path, 'events-6.ndjson', new Date('2026-03-10T09:25:00.000Z'), {
      library: duckdbSql,
    });
    expect(await warehouse.query('SELECT count(*) AS n FROM raw.events')).toEqual([{ n: 2 }]);
  });
});
