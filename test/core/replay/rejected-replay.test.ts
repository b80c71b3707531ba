import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { FolderObjectStore } from '#adapters/local/folder-object-store.ts';
import { loadValidator } from '#adapters/node/load-validator.ts';
import { encodeCollectedRecord } from '#core/contract/collected-record.ts';
import type { CollectMeta } from '#core/contract/envelope.ts';
import { ReplayRequestError } from '#core/replay/errors.ts';
import { type RejectedReplayDeps, replayRejected } from '#core/replay/rejected-replay.ts';
import { parseRejectedReplayRequest, type RejectedReplayRequest } from '#core/replay/request.ts';
import type { LineSink } from '#core/validator/ports.ts';
import type { RecordValidator } from '#core/validator/validate-record.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import { freshWarehouse } from '../../support/warehouse-db.ts';

const NOW = new Date('2026-03-10T15:00:00.000Z');
const NEW_VERSION = '1-0-2';

const meta = (receivedAt: string): CollectMeta => ({
  v: 1,
  source_id: 'web',
  received_at: receivedAt,
  request_id: `req-${receivedAt}`,
  intake: 'native',
});

/** The collected record of a feature_used event asking for a schema version. */
const record = (eventId: string, receivedAt: string, extra: Record<string, unknown> = {}): string =>
  encodeCollectedRecord(
    meta(receivedAt),
    JSON.stringify({
      event_name: 'feature_used',
      schema_version: NEW_VERSION,
      event_id: eventId,
      user_id: 'u1',
      workspace_id: 'w1',
      feature_id: 'editor.comments.mention',
      ...extra,
    }),
  );

/** The key of a rejected file in the partition of `at`. */
const rejectedKey = (at: string, name: string) =>
  `rejected/dt=${at.slice(0, 10)}/hr=${at.slice(11, 13)}/tally-rejected-1-${name}.json.gz`;

describe('replayRejected', () => {
  let root: string;
  let bucket: string;
  let warehouse: Warehouse;
  let unfixed: RecordValidator;
  let fixed: RecordValidator;
  let written: string[];
  const sink: LineSink = {
    write: async (lines) => {
      written.push(...lines);
      return { failed: [] };
    },
  };

  /** Writes a rejected file of the lines the validator (before the fix) gives `records`, plus raw lines. */
  const rejectedFile = async (key: string, records: readonly string[], rawLines: readonly string[] = []) => {
    const lines = records.map((r) => {
      const outcome = unfixed(r, NOW.toISOString());
      expect(outcome.ok).toBe(false);
      return outcome.line;
    });
    const path = join(bucket, ...key.split('/'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, gzipSync(`${[...lines, ...rawLines].join('\n')}\n`));
  };

  const deps = (overrides: Partial<RejectedReplayDeps> = {}): RejectedReplayDeps => ({
    objects: new FolderObjectStore(bucket),
    validate: fixed,
    events: sink,
    warehouse,
    sql: duckdbSql,
    ...overrides,
  });
  const request = (overrides: Partial<RejectedReplayRequest> = {}): RejectedReplayRequest => ({
    ...parseRejectedReplayRequest({ from: '2026-03-10T00:00:00Z' }, NOW),
    ...overrides,
  });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'tally-replay-core-'));
    const schemas = join(root, 'schemas');
    await cp('schemas', schemas, { recursive: true });
    unfixed = await loadValidator({ schemasDir: schemas, build: 'test' });
    const previous = JSON.parse(
      await readFile(join(schemas, 'events', 'feature_used', '1-0-1.json'), 'utf8'),
    );
    await writeFile(
      join(schemas, 'events', 'feature_used', `${NEW_VERSION}.json`),
      JSON.stringify({ ...previous, title: `feature_used ${NEW_VERSION}` }),
    );
    fixed = await loadValidator({ schemasDir: schemas, build: 'test' });
  });
  beforeEach(async () => {
    bucket = await mkdtemp(join(root, 'bucket-'));
    warehouse = await freshWarehouse();
    written = [];
  });
  afterEach(() => warehouse.close());
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('replays from raw_record_base64 when the line keeps the exact bytes, not from raw_record', async () => {
    const exact = record('exact-1', '2026-03-10T09:00:00.000Z');
    const line = JSON.parse(unfixed(exact, NOW.toISOString()).line);
    const key = rejectedKey('2026-03-10T09', 'exact');
    await rejectedFile(
      key,
      [],
      [
        JSON.stringify({
          ...line,
          raw_record: 'lossy text',
          raw_record_base64: Buffer.from(exact).toString('base64'),
        }),
      ],
    );

    const report = await replayRejected(deps(), request());

    expect(report).toMatchObject({ matched: 1, replayed: 1, unreadable: 0 });
    expect(JSON.parse(written[0]!)).toMatchObject({ event_id: 'exact-1', schema_version: NEW_VERSION });
  });

  it('takes only lines of the requested reasons, event names and receipt window', async () => {
    await rejectedFile(rejectedKey('2026-03-10T09', 'mixed'), [
      record('in-1', '2026-03-10T09:00:00.000Z'),
      record('in-2', '2026-03-10T09:30:00.000Z'),
      record('late-to', '2026-03-10T14:59:00.000Z'),
      encodeCollectedRecord(meta('2026-03-10T09:10:00.000Z'), '{"event_name":"feature_used","event_id":'),
      encodeCollectedRecord(
        meta('2026-03-10T09:20:00.000Z'),
        JSON.stringify({ event_name: 'report_exported', event_id: 'other-name', user_id: 'u1' }),
      ),
    ]);

    const report = await replayRejected(
      deps(),
      request({
        reasons: ['UNKNOWN_SCHEMA_VERSION', 'UNKNOWN_SCHEMA'],
        eventNames: ['feature_used'],
        to: new Date('2026-03-10T14:00:00Z'),
      }),
    );

    expect(report).toMatchObject({ files: 1, matched: 2, replayed: 2 });
    expect(written.map((l) => JSON.parse(l).event_id).sort()).toEqual(['in-1', 'in-2']);
  });

  it("reads only the partitions of the window and the validator's lag", async () => {
    await rejectedFile(rejectedKey('2026-03-10T12', 'in-lag'), [
      record('lagged', '2026-03-10T09:00:00.000Z'),
    ]);
    await rejectedFile(rejectedKey('2026-03-11T09', 'next-day'), [record('far', '2026-03-10T09:00:00.000Z')]);
    await rejectedFile(rejectedKey('2026-03-09T23', 'day-before'), [
      record('before', '2026-03-09T23:00:00.000Z'),
    ]);

    const report = await replayRejected(
      deps(),
      request({ from: new Date('2026-03-10T00:00:00Z'), to: new Date('2026-03-10T10:00:00Z'), lagHours: 6 }),
    );

    expect(report).toMatchObject({ files: 1, matched: 1, replayed: 1 });
    expect(JSON.parse(written[0]!).event_id).toBe('lagged');
  });

  it('writes an event once when it was rejected more than once (a client retry)', async () => {
    await rejectedFile(rejectedKey('2026-03-10T09', 'retries'), [
      record('retried', '2026-03-10T09:00:00.000Z'),
      record('retried', '2026-03-10T09:00:02.000Z'),
    ]);

    const report = await replayRejected(deps(), request());

    expect(report).toMatchObject({ matched: 2, replayed: 1, alreadyPresent: 1 });
    expect(written).toHaveLength(1);
  });

  it('skips an event whose dedup key raw holds after the watermark, or the fact holds on its date', async () => {
    await rejectedFile(rejectedKey('2026-03-10T09', 'stored'), [
      record('in-raw', '2026-03-10T09:00:00.000Z'),
      record('in-fact', '2026-03-10T09:00:00.000Z'),
      record('new', '2026-03-10T09:00:00.000Z'),
    ]);
    const lineOf = (id: string) =>
      JSON.parse(fixed(record(id, '2026-03-10T09:00:00.000Z'), NOW.toISOString()).line);
    await warehouse.execute(
      `INSERT INTO raw.events (dedup_key, event_name, schema_version, received_at, event_ts, source_id, file_name, file_row, loaded_at)
       VALUES (?, 'feature_used', '1-0-2', TIMESTAMP '2026-03-10 09:00:00', TIMESTAMP '2026-03-10 09:00:00', 'web', 'events/x.json.gz', 1, TIMESTAMP '2026-03-10 09:01:00')`,
      [lineOf('in-raw').dedup_key],
    );
    await warehouse.execute(
      `INSERT INTO curated.fct_feature_events (dedup_key, event_name, schema_version, event_ts, event_date, week_start,
         received_at, is_late_beyond_window, event_ts_clamped, source_id, workspace_key, platform_key, file_name, file_row, loaded_at)
       VALUES (?, 'feature_used', '1-0-2', TIMESTAMP '2026-03-10 09:00:00', DATE '2026-03-10', DATE '2026-03-09',
         TIMESTAMP '2026-03-10 09:00:00', FALSE, FALSE, 'web', 'w1', '(none)', 'events/y.json.gz', 1, TIMESTAMP '2026-03-10 09:01:00')`,
      [lineOf('in-fact').dedup_key],
    );

    const report = await replayRejected(deps(), request());

    expect(report).toMatchObject({ matched: 3, replayed: 1, alreadyPresent: 2 });
    expect(JSON.parse(written[0]!).event_id).toBe('new');
  });

  it('stops between files when asked, says where, and a run resumed after that file finishes the rest', async () => {
    const first = rejectedKey('2026-03-10T09', 'a');
    await rejectedFile(first, [record('first', '2026-03-10T09:00:00.000Z')]);
    await rejectedFile(rejectedKey('2026-03-10T10', 'b'), [record('second', '2026-03-10T10:00:00.000Z')]);

    const stopped = await replayRejected(deps({ shouldStop: () => true }), request());
    const resumed = await replayRejected(deps(), request({ afterFile: stopped.resumeAfter }));

    expect(stopped).toMatchObject({ files: 1, replayed: 1, resumeAfter: first });
    expect(resumed).toMatchObject({ files: 1, replayed: 1, resumeAfter: null });
    expect(written.map((l) => JSON.parse(l).event_id)).toEqual(['first', 'second']);
  });

  it('reports lines the sink did not store, and the same replay run again stores them', async () => {
    await rejectedFile(rejectedKey('2026-03-10T09', 'refused'), [
      record('r-1', '2026-03-10T09:00:00.000Z'),
      record('r-2', '2026-03-10T09:00:01.000Z'),
    ]);
    const refusing: LineSink = {
      write: async () => {
        throw new Error('ServiceUnavailableException: slow down');
      },
    };

    const failed = await replayRejected(deps({ events: refusing }), request());
    const again = await replayRejected(deps(), request());

    expect(failed).toMatchObject({
      replayed: 0,
      failed: 2,
      sinkError: 'ServiceUnavailableException: slow down',
    });
    expect(again).toMatchObject({ replayed: 2, failed: 0 });
  });

  it('skips lines of a rejected file that are not rejected lines, counting them', async () => {
    await rejectedFile(
      rejectedKey('2026-03-10T09', 'odd'),
      [record('fine', '2026-03-10T09:00:00.000Z')],
      ['not json', '{"reason":{"code":"X"}}'],
    );

    const report = await replayRejected(deps(), request());

    expect(report).toMatchObject({ matched: 1, replayed: 1, unreadable: 2 });
  });

  it('writes nothing in a dry run, and says what it would replay', async () => {
    await rejectedFile(rejectedKey('2026-03-10T09', 'dry'), [record('d-1', '2026-03-10T09:00:00.000Z')]);

    const report = await replayRejected(deps(), request({ dryRun: true }));

    expect(report).toMatchObject({ replayed: 1, dryRun: true });
    expect(written).toEqual([]);
  });
});

describe('parseRejectedReplayRequest', () => {
  it('takes the Lambda payload (lists, times with a zone or a date), with defaults', () => {
    expect(
      parseRejectedReplayRequest(
        { reasons: ['UNKNOWN_SCHEMA'], event_names: 'report_exported, feature_used', from: '2026-03-01' },
        NOW,
      ),
    ).toEqual({
      reasons: ['UNKNOWN_SCHEMA'],
      eventNames: ['report_exported', 'feature_used'],
      from: new Date('2026-03-01T00:00:00Z'),
      to: NOW,
      lagHours: 6,
      dryRun: false,
      afterFile: null,
    });
  });

  it('takes reason codes it does not know (the validator may add some), but not other words', () => {
    expect(parseRejectedReplayRequest({ reasons: 'A_NEW_REASON', from: '2026-03-01' }, NOW).reasons).toEqual([
      'A_NEW_REASON',
    ]);
    expect(() => parseRejectedReplayRequest({ reasons: 'unknown schema', from: '2026-03-01' }, NOW)).toThrow(
      /reasons: "unknown schema" not reject reason codes/,
    );
  });

  it('reports every problem at once', () => {
    const parse = () =>
      parseRejectedReplayRequest(
        { to: '2026-03-10 12:00', lag_hours: 100, dry_run: 'yes', after_file: '../etc/passwd' },
        NOW,
      );

    expect(parse).toThrow(ReplayRequestError);
    expect(parse).toThrow(/from is required/);
    expect(parse).toThrow(/to: "2026-03-10 12:00" is not ISO-8601 with a zone/);
    expect(parse).toThrow(/lag_hours must be an integer from 0 to 72/);
    expect(parse).toThrow(/dry_run must be true or false/);
    expect(parse).toThrow(/after_file must be a key under rejected\//);
  });

  it('refuses an empty or reversed window, and one longer than the raw retention', () => {
    expect(() => parseRejectedReplayRequest({ from: '2026-03-10T15:00:00Z' }, NOW)).toThrow(
      /must be before to/,
    );
    expect(() => parseRejectedReplayRequest({ from: '2025-01-01', to: '2026-01-01' }, NOW)).toThrow(
      /more than 180 days apart/,
    );
  });
});
