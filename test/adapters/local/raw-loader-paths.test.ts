import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, createGzip, gzipSync } from 'node:zlib';
import { loadEventsFile, loadRejectedFile } from '#adapters/local/raw-loader.ts';
import { loadValidator } from '#adapters/node/load-validator.ts';
import { encodeCollectedRecord } from '#core/contract/collected-record.ts';
import type { CollectMeta } from '#core/contract/envelope.ts';
import type { Row, Warehouse } from '#core/warehouse/ports.ts';
import { canLoadRawFiles } from '#core/warehouse/raw-file-loading.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import { freshWarehouse } from '../../support/warehouse-db.ts';
import { eventLine, featureUsedFixture, rejectedFixture } from '../../support/warehouse-events.ts';

/**
 * The two ways the raw loader loads a file (DuckDB reading the file itself, and lines read and checked
 * in JavaScript then inserted in chunks) must store the same rows, and route the same lines to
 * raw.rejected_events as UNLOADABLE_LINE.
 */

const LOADED_AT = new Date('2026-03-10T09:20:00.000Z');
const FILE = 'events/dt=2026-03-10/hr=09/tally-events-1-2026-03-10-09-19-58-paths.json.gz';
const json = (value: unknown): string => JSON.stringify(value);

let fileWarehouse: Warehouse;
let lineWarehouse: Warehouse;
let validated: { events: string[]; rejected: string[] };
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'tally-paths-'));
  const validate = await loadValidator({ schemasDir: 'schemas', build: 'test' });
  const received = '2026-03-10T09:19:57.125Z';
  const meta = (intake: CollectMeta['intake']): CollectMeta => ({
    v: 1,
    source_id: intake === 'native' ? 'web-app' : 'segment-web',
    received_at: received,
    request_id: 'req-paths',
    intake,
  });
  const native: unknown[] = JSON.parse(readFileSync('test/fixtures/local/native-events.json', 'utf8'));
  const segment = readdirSync('test/fixtures/events')
    .filter((f) => f.startsWith('segment-'))
    .map((f) => JSON.parse(readFileSync(join('test/fixtures/events', f), 'utf8')));
  const outcomes = [
    ...native.map((e) => validate(encodeCollectedRecord(meta('native'), json(e)), received)),
    ...segment.map((e) => validate(encodeCollectedRecord(meta('segment'), json(e)), received)),
    // an unplanned event from a source whose tracking plan is allow: planned = false
    validate(
      encodeCollectedRecord(
        { ...meta('segment'), tracking_plan: 'allow' },
        json({ type: 'track', event: 'Button Clicked', userId: 'u1', messageId: 'unplanned-1' }),
      ),
      received,
    ),
    validate(encodeCollectedRecord(meta('native'), '{"event_name":'), received),
  ];
  validated = {
    events: outcomes.filter((o) => o.ok).map((o) => o.line),
    rejected: outcomes.filter((o) => !o.ok).map((o) => o.line),
  };
});

afterAll(() => rm(folder, { recursive: true, force: true }));

beforeEach(async () => {
  fileWarehouse = await freshWarehouse();
  lineWarehouse = await freshWarehouse();
});
afterEach(async () => {
  await fileWarehouse.close();
  await lineWarehouse.close();
});

const writeLines = async (name: string, lines: readonly string[]): Promise<string> => {
  const path = join(await mkdtemp(join(folder, 'file-')), name);
  const text = `${lines.join('\n')}\n`;
  await writeFile(path, name.endsWith('.gz') ? gzipSync(text) : text);
  return path;
};

/** Every column, JSON columns also as their stored text (so `1.0` vs `1` or key order would show). */
const contents = (warehouse: Warehouse, table: string): Promise<Row[]> =>
  warehouse.query(
    `SELECT *, CAST(lineage AS VARCHAR) AS lineage_text${table === 'raw.events' ? ', CAST(payload AS VARCHAR) AS payload_text' : ''}
     FROM ${table} ORDER BY file_row`,
  );

const loadBoth = async (
  table: 'raw.events' | 'raw.rejected_events',
  name: string,
  lines: readonly string[],
) => {
  const path = await writeLines(name, lines);
  const load = table === 'raw.events' ? loadEventsFile : loadRejectedFile;
  const byFile = await load(fileWarehouse, path, FILE, LOADED_AT, { library: duckdbSql });
  const byLines = await load(lineWarehouse, path, FILE, LOADED_AT, { library: duckdbSql, reader: 'lines' });
  return { byFile, byLines };
};

const expectSameRows = async (table: 'raw.events' | 'raw.rejected_events', expected: number) => {
  const fromFile = await contents(fileWarehouse, table);
  expect(fromFile).toHaveLength(expected);
  expect(fromFile).toEqual(await contents(lineWarehouse, table));
  return fromFile;
};

const loaded = (rows: number, unloadable = 0) => ({ rows, unloadable });

const writeBytes = async (name: string, bytes: Buffer): Promise<string> => {
  const path = join(await mkdtemp(join(folder, 'file-')), name);
  await writeFile(path, bytes);
  return path;
};

/** A gzip stream of the lines flushed after the first one and cut there: inflating it yields line 1 and stops. */
const gzipCutAfterFirstLine = (lines: readonly string[]): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const gzip = createGzip();
    const chunks: Buffer[] = [];
    gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
    gzip.on('error', reject);
    gzip.write(`${lines[0]}\n`);
    gzip.flush(constants.Z_FULL_FLUSH, () => {
      const cut = Buffer.concat(chunks);
      gzip.end(`${lines.slice(1).join('\n')}\n`, () => resolve(cut));
    });
  });

const good = json(featureUsedFixture());

describe('raw file load and line load', () => {
  it('are two different paths: DuckDB offers the file load, the option forces lines', () => {
    expect(canLoadRawFiles(fileWarehouse)).toBe(true);
  });

  it('store the same rows for an events file as the validator writes it, blank lines counted', async () => {
    const lines = [
      ...validated.events.slice(0, 2),
      '',
      ...validated.events.slice(2),
      '  \t',
      validated.events[0]!,
    ];
    const { byFile, byLines } = await loadBoth('raw.events', 'events.json.gz', lines);
    expect(byFile).toEqual(loaded(validated.events.length + 1));
    expect(byLines).toEqual(byFile);
    await expectSameRows('raw.events', validated.events.length + 1);
  });

  it('store the same rows for zone offsets, minute-only and sub-millisecond times, nulls and odd types', async () => {
    const base = featureUsedFixture();
    const lines = [
      json({ ...base, occurred_at: '2026-03-10T11:15:00.1239+02:00', sent_at: '2026-03-10T09:15Z' }),
      json({ ...base, event_ts: '2026-03-10T04:15:00.5-0500', sent_at: null, occurred_at: undefined }),
      json({ ...base, received_at: '2026-03-11T00:00:00.999999999Z', feature_known: null }),
      json({ ...base, feature_known: false, user_id: 42, anonymous_id: 1.5, workspace_id: true }),
      json({ ...base, planned: false }),
      json({ ...base, planned: null }),
      json({ ...base, platform: { os: 'ios' }, locale: ['en'], app_version: null, lineage: null }),
      json({
        ...base,
        payload: { text: 'é \u00e9 \\n "q" \u2028', n: [1, 2.5, -0, 1e21], nested: { z: null } },
      }),
      json({
        dedup_key: 'dk-min',
        event_name: 'x',
        schema_version: '1-0-0',
        source_id: 's',
        received_at: base.received_at,
        event_ts: base.event_ts,
      }),
    ];
    const { byFile, byLines } = await loadBoth('raw.events', 'odd.json.gz', lines);
    expect(byFile).toEqual(loaded(lines.length));
    expect(byLines).toEqual(loaded(lines.length));
    await expectSameRows('raw.events', lines.length);
  });

  it('store the same rows for a plain (not gzip) file whatever its name says', async () => {
    const lines = [json(eventLine({ id: 'a', at: '2026-03-10T09:00:00.000Z' })), json(featureUsedFixture())];
    const { byFile } = await loadBoth('raw.events', 'plain.json.gz.txt', lines);
    expect(byFile).toEqual(loaded(2));
    await expectSameRows('raw.events', 2);
  });

  it('store the same rows for a rejected file', async () => {
    const lines = [
      ...validated.rejected,
      '',
      json(rejectedFixture()),
      json({
        ...rejectedFixture(),
        reason: { code: '', message: 7 },
        received_at: '2026-03-10T10:16:00+01:00',
      }),
      json({ ...rejectedFixture(), lineage: null, user_id: null, event_id: 12 }),
    ];
    const { byFile, byLines } = await loadBoth('raw.rejected_events', 'rejected.json.gz', lines);
    expect(byFile).toEqual(loaded(lines.length - 1));
    expect(byLines).toEqual(byFile);
    await expectSameRows('raw.rejected_events', lines.length - 1);
  });

  it('skip a byte order mark that opens the file', async () => {
    const lines = [`\uFEFF${json(featureUsedFixture())}`];
    const { byFile, byLines } = await loadBoth('raw.events', 'bom.json', lines);
    expect([byFile, byLines]).toEqual([loaded(1), loaded(1)]);
    await expectSameRows('raw.events', 1);
  });

  /** The UNLOADABLE_LINE rows of raw.rejected_events, as both paths stored them (checked equal). */
  const unloadableRows = async (expected: number) =>
    (await expectSameRows('raw.rejected_events', expected)).filter(
      (r) => r.reason_code === 'UNLOADABLE_LINE',
    );

  it('load what a gzip file cut short holds, and record where it stops as an unloadable line', async () => {
    const second = json(eventLine({ id: 'b', at: '2026-03-10T09:00:00.000Z' }));
    const cut = await gzipCutAfterFirstLine([good, second]);
    const path = await writeBytes('cut.json.gz', cut);
    const byFile = await loadEventsFile(fileWarehouse, path, FILE, LOADED_AT, { library: duckdbSql });
    const byLines = await loadEventsFile(lineWarehouse, path, FILE, LOADED_AT, {
      library: duckdbSql,
      reader: 'lines',
    });

    expect([byFile, byLines]).toEqual([loaded(1, 1), loaded(1, 1)]);
    await expectSameRows('raw.events', 1);
    expect(await unloadableRows(1)).toEqual([
      expect.objectContaining({
        file_name: FILE,
        file_row: 2,
        raw_record: '',
        reason_message: expect.stringContaining('unexpected end of file'),
        received_at: '2026-03-10T09:20:00.000Z',
      }),
    ]);
  });

  it('record a file that is not gzip inside as one unloadable line, and load nothing else from it', async () => {
    const path = await writeBytes('broken.json.gz', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xff, 0x00]));
    const { byFile, byLines } = {
      byFile: await loadEventsFile(fileWarehouse, path, FILE, LOADED_AT, { library: duckdbSql }),
      byLines: await loadEventsFile(lineWarehouse, path, FILE, LOADED_AT, {
        library: duckdbSql,
        reader: 'lines',
      }),
    };

    expect([byFile, byLines]).toEqual([loaded(0, 1), loaded(0, 1)]);
    expect(await unloadableRows(1)).toEqual([
      expect.objectContaining({ file_row: 1, reason_message: expect.stringContaining('gzip stream') }),
    ]);
  });

  const badEvents: [string, string, string][] = [
    ['a truncated line', '{"dedup_key": "x", ', 'not valid JSON ('],
    ['an array', '[1, 2]', 'not a JSON object'],
    ['a number', '42', 'not a JSON object'],
    [
      'an empty dedup key',
      json({ ...featureUsedFixture(), dedup_key: '' }),
      'dedup_key must be a non-empty string',
    ],
    [
      'a numeric dedup key',
      json({ ...featureUsedFixture(), dedup_key: 7 }),
      'dedup_key must be a non-empty string',
    ],
    [
      'a missing source',
      json({ ...featureUsedFixture(), source_id: undefined }),
      'source_id must be a non-empty string',
    ],
    [
      'a missing received_at',
      json({ ...featureUsedFixture(), received_at: null }),
      'received_at is required',
    ],
    [
      'a timestamp without a zone',
      json({ ...featureUsedFixture(), event_ts: '2026-03-10T09:15:00' }),
      'event_ts is not an ISO-8601 timestamp with a zone: "2026-03-10T09:15:00"',
    ],
    [
      'a day the calendar does not have',
      json({ ...featureUsedFixture(), occurred_at: '2026-02-30T09:15:00Z' }),
      'occurred_at is not an ISO-8601 timestamp with a zone: "2026-02-30T09:15:00Z"',
    ],
    [
      'a six-digit year (JSON.stringify of a time past 9999)',
      json({ ...featureUsedFixture(), event_ts: '+010000-01-01T00:00:00.000Z' }),
      'event_ts is not an ISO-8601 timestamp with a zone: "+010000-01-01T00:00:00.000Z"',
    ],
    [
      'a time that is before year 0000 in UTC',
      json({ ...featureUsedFixture(), occurred_at: '0000-01-01T00:00:00+00:01' }),
      'occurred_at is outside the years 0000-9999 in UTC: "0000-01-01T00:00:00+00:01"',
    ],
    [
      'a time that is after year 9999 in UTC',
      json({ ...featureUsedFixture(), sent_at: '9999-12-31T23:30:00-01:00' }),
      'sent_at is outside the years 0000-9999 in UTC: "9999-12-31T23:30:00-01:00"',
    ],
    [
      'a numeric timestamp',
      json({ ...featureUsedFixture(), sent_at: 1773134100000 }),
      'sent_at is not an ISO-8601 timestamp with a zone: 1773134100000',
    ],
    [
      'a string feature_known',
      json({ ...featureUsedFixture(), feature_known: 'true' }),
      'feature_known must be a boolean',
    ],
    ['a string planned', json({ ...featureUsedFixture(), planned: 'false' }), 'planned must be a boolean'],
    [
      'a lone surrogate in a value (DuckDB: no low surrogate)',
      json({ ...featureUsedFixture(), user_id: 'u1\ud800' }),
      'user_id holds a lone UTF-16 surrogate',
    ],
    [
      'a lone surrogate in a key of the payload',
      json({ ...featureUsedFixture(), payload: { properties: { 'k\udc00': 1 } } }),
      'payload.properties.k\uFFFD holds a lone UTF-16 surrogate',
    ],
  ];

  it.each(badEvents)(
    'load every other line of an events file with %s, which goes to raw.rejected_events as UNLOADABLE_LINE',
    async (_what, bad, reason) => {
      const { byFile, byLines } = await loadBoth('raw.events', 'bad.json.gz', [good, '', bad, good]);
      expect([byFile, byLines]).toEqual([loaded(2, 1), loaded(2, 1)]);
      expect((await expectSameRows('raw.events', 2)).map((r) => r.file_row)).toEqual([1, 4]);
      const [row] = await unloadableRows(1);
      expect(row).toMatchObject({ file_name: FILE, file_row: 3, reason_path: null, lineage: null });
      expect(String(row?.reason_message)).toContain(reason);
      expect(row?.raw_record).toBe(bad);
    },
  );

  it('keep what can be read of the event in an unloadable line, so it counts where the collector counted it', async () => {
    const bad = { ...featureUsedFixture(), event_id: 'poison-1', event_ts: '+010000-01-01T00:00:00.000Z' };
    await loadBoth('raw.events', 'poison.json.gz', [good, json(bad), good]);
    expect(await unloadableRows(1)).toEqual([
      expect.objectContaining({
        reason_code: 'UNLOADABLE_LINE',
        source_id: bad.source_id,
        event_name: bad.event_name,
        event_id: 'poison-1',
        workspace_id: bad.workspace_id,
        user_id: bad.user_id,
        received_at: new Date(bad.received_at).toISOString(),
        raw_record: json(bad),
        file_row: 2,
      }),
    ]);
  });

  it('route a line that is not UTF-8, showing its bad bytes as U+FFFD', async () => {
    const bad = Buffer.concat([Buffer.from('{"dedup_key":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const text = Buffer.concat([Buffer.from(`${good}\n`), bad, Buffer.from(`\n${good}\n`)]);
    const path = await writeBytes('latin.json.gz', gzipSync(text));
    const byFile = await loadEventsFile(fileWarehouse, path, FILE, LOADED_AT, { library: duckdbSql });
    const byLines = await loadEventsFile(lineWarehouse, path, FILE, LOADED_AT, {
      library: duckdbSql,
      reader: 'lines',
    });

    expect([byFile, byLines]).toEqual([loaded(2, 1), loaded(2, 1)]);
    await expectSameRows('raw.events', 2);
    expect(await unloadableRows(1)).toEqual([
      expect.objectContaining({
        file_row: 2,
        raw_record: '{"dedup_key":"\uFFFD\uFFFD"}',
        reason_message: expect.stringContaining('not valid UTF-8'),
      }),
    ]);
  });

  it('route a line longer than 16 MiB, keeping its first MiB', async () => {
    const huge = json({ ...featureUsedFixture(), payload: { blob: 'x'.repeat(17 * 1024 * 1024) } });
    const { byFile, byLines } = await loadBoth('raw.events', 'huge.json.gz', [good, huge, good]);

    expect([byFile, byLines]).toEqual([loaded(2, 1), loaded(2, 1)]);
    const [row] = await unloadableRows(1);
    expect(row).toMatchObject({ file_row: 2, raw_record: huge.slice(0, 1024 * 1024) });
    expect(String(row?.reason_message)).toMatch(/^the line is \d+ bytes long, more than the 16777216/);
    expect(String(row?.reason_message)).toContain('(raw_record keeps its first 1048576 bytes)');
  });

  const badRejected: [string, string, string][] = [
    ['no reason code', json({ ...rejectedFixture(), reason: { message: 'm' } }), 'reason.code is required'],
    [
      'a reason that is a string',
      json({ ...rejectedFixture(), reason: 'SCHEMA' }),
      'reason.code is required',
    ],
    [
      'a raw record that is an object',
      json({ ...rejectedFixture(), raw_record: { v: 1 } }),
      'raw_record must be a string',
    ],
    ['no received_at', json({ ...rejectedFixture(), received_at: undefined }), 'received_at is required'],
    [
      'a lone surrogate in the raw record',
      json({ ...rejectedFixture(), raw_record: 'x\udfff' }),
      'raw_record holds a lone UTF-16 surrogate',
    ],
  ];

  it.each(badRejected)(
    'load the other lines of a rejected file with %s, which becomes an UNLOADABLE_LINE row',
    async (_what, bad, reason) => {
      const { byFile, byLines } = await loadBoth('raw.rejected_events', 'bad.json.gz', [
        json(rejectedFixture()),
        bad,
      ]);
      expect([byFile, byLines]).toEqual([loaded(1, 1), loaded(1, 1)]);
      const [row] = await unloadableRows(2);
      expect(row).toMatchObject({ file_name: FILE, file_row: 2 });
      expect(String(row?.reason_message)).toContain(reason);
    },
  );
});
