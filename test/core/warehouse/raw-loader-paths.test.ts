import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, createGzip, gzipSync } from 'node:zlib';
import { encodeCollectedRecord } from '#core/contract/collected-record.ts';
import type { CollectMeta } from '#core/contract/envelope.ts';
import { loadValidator } from '#core/validator/load-validator.ts';
import { LoadFileError } from '#core/warehouse/errors.ts';
import type { Row, Warehouse } from '#core/warehouse/ports.ts';
import { canLoadRawFiles } from '#core/warehouse/raw-file-loading.ts';
import { loadEventsFile, loadRejectedFile } from '#core/warehouse/raw-loader.ts';
import { freshWarehouse } from '../../support/warehouse-db.ts';
import { eventLine, featureUsedFixture, rejectedFixture } from '../../support/warehouse-events.ts';

/**
 * The two ways the raw loader loads a file (DuckDB reading the file itself, and lines read and checked
 * in JavaScript then inserted in chunks) must store the same rows and refuse the same lines.
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
  const byFile = await load(fileWarehouse, path, FILE, LOADED_AT).catch((e: unknown) => e);
  const byLines = await load(lineWarehouse, path, FILE, LOADED_AT, { reader: 'lines' }).catch(
    (e: unknown) => e,
  );
  return { byFile, byLines };
};

const expectSameRows = async (table: 'raw.events' | 'raw.rejected_events', expected: number) => {
  const fromFile = await contents(fileWarehouse, table);
  expect(fromFile).toHaveLength(expected);
  expect(fromFile).toEqual(await contents(lineWarehouse, table));
};

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
    expect(byFile).toBe(validated.events.length + 1);
    expect(byLines).toBe(byFile);
    await expectSameRows('raw.events', validated.events.length + 1);
  });

  it('store the same rows for zone offsets, minute-only and sub-millisecond times, nulls and odd types', async () => {
    const base = featureUsedFixture();
    const lines = [
      json({ ...base, occurred_at: '2026-03-10T11:15:00.1239+02:00', sent_at: '2026-03-10T09:15Z' }),
      json({ ...base, event_ts: '2026-03-10T04:15:00.5-0500', sent_at: null, occurred_at: undefined }),
      json({ ...base, received_at: '2026-03-11T00:00:00.999999999Z', feature_known: null }),
      json({ ...base, feature_known: false, user_id: 42, anonymous_id: 1.5, workspace_id: true }),
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
    expect(byFile).toBe(lines.length);
    expect(byLines).toBe(lines.length);
    await expectSameRows('raw.events', lines.length);
  });

  it('store the same rows for a plain (not gzip) file whatever its name says', async () => {
    const lines = [json(eventLine({ id: 'a', at: '2026-03-10T09:00:00.000Z' })), json(featureUsedFixture())];
    const { byFile } = await loadBoth('raw.events', 'plain.json.gz.txt', lines);
    expect(byFile).toBe(2);
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
    expect(byFile).toBe(lines.length - 1);
    expect(byLines).toBe(byFile);
    await expectSameRows('raw.rejected_events', lines.length - 1);
  });

  it('skip a byte order mark that opens the file', async () => {
    const lines = [`\uFEFF${json(featureUsedFixture())}`];
    const { byFile, byLines } = await loadBoth('raw.events', 'bom.json', lines);
    expect([byFile, byLines]).toEqual([1, 1]);
    await expectSameRows('raw.events', 1);
  });

  it('refuse a gzip file cut short right after a whole line, loading nothing', async () => {
    const cut = await gzipCutAfterFirstLine([
      good,
      json(eventLine({ id: 'b', at: '2026-03-10T09:00:00.000Z' })),
    ]);
    const path = await writeBytes('cut.json.gz', cut);
    for (const [warehouse, reader] of [
      [fileWarehouse, 'auto'],
      [lineWarehouse, 'lines'],
    ] as const) {
      await expect(loadEventsFile(warehouse, path, FILE, LOADED_AT, { reader })).rejects.toThrow(
        'unexpected end of file',
      );
      expect(await contents(warehouse, 'raw.events')).toEqual([]);
    }
  });

  const badEvents: [string, string, string][] = [
    ['a truncated line', '{"dedup_key": "x", ', 'not valid JSON'],
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
      'a numeric timestamp',
      json({ ...featureUsedFixture(), sent_at: 1773134100000 }),
      'sent_at is not an ISO-8601 timestamp with a zone: 1773134100000',
    ],
    [
      'a string feature_known',
      json({ ...featureUsedFixture(), feature_known: 'true' }),
      'feature_known must be a boolean',
    ],
  ];

  it.each(badEvents)(
    'refuse an events file with %s, naming the same line and reason',
    async (_what, bad, reason) => {
      const { byFile, byLines } = await loadBoth('raw.events', 'bad.json.gz', [good, '', bad, good]);
      for (const error of [byFile, byLines]) {
        expect(error).toBeInstanceOf(LoadFileError);
        expect(error).toMatchObject({ fileName: FILE, line: 3, reason });
      }
      expect(await contents(fileWarehouse, 'raw.events')).toEqual([]);
      expect(await contents(lineWarehouse, 'raw.events')).toEqual([]);
    },
  );

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
  ];

  it.each(badRejected)(
    'refuse a rejected file with %s, naming the same line and reason',
    async (_what, bad, reason) => {
      const { byFile, byLines } = await loadBoth('raw.rejected_events', 'bad.json.gz', [
        json(rejectedFixture()),
        bad,
      ]);
      for (const error of [byFile, byLines])
        expect(error).toMatchObject({ name: 'LoadFileError', line: 2, reason });
      expect(await contents(fileWarehouse, 'raw.rejected_events')).toEqual([]);
    },
  );
});
