import { idHash } from '#core/erasure/subject.ts';
import { applyWarehouseDdl } from '#core/warehouse/ddl.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { queryStatement, runStatement } from '#core/warehouse/sql-exec.ts';
import { duckdbSql, testSqlLibrary } from '#test/support/sql-library.ts';
import { duckdbStatements, explain } from '../../support/sql-statements.ts';
import { freshWarehouse } from '../../support/warehouse-db.ts';
import { eventLine } from '../../support/warehouse-events.ts';
import { load } from '../../support/warehouse-pipeline.ts';

/** The per-table statements of user_tables.sql name a placeholder table: they are planned on a real one. */
const onRealTable = (sql: string) =>
  sql
    .replace(/\berasure_target\b/g, 'curated.fct_feature_events')
    .replace(/\berasure_workspace\b/g, 'workspace_key');
const statements = duckdbStatements((f) => f.startsWith('erasure/'));

let warehouse: Warehouse;
beforeAll(async () => {
  warehouse = await freshWarehouse();
});
afterAll(() => warehouse.close());

describe('DuckDB rendering of sql/erasure', () => {
  it('creates the erasure tables and the erasure lock twice without error (idempotent DDL)', async () => {
    await applyWarehouseDdl(warehouse, duckdbSql);

    expect(await warehouse.query('SELECT lock_name FROM ops.locks ORDER BY lock_name')).toEqual([
      { lock_name: 'erasure' },
      { lock_name: 'transform' },
    ]);
  });

  it.each(statements)('%s binds and plans against the DDL', async (_name, statement) => {
    await expect(explain(warehouse, onRealTable(statement.sql), statement.params)).resolves.toBeDefined();
  });

  it('hashes ids in SQL exactly as node:crypto does, so staging can match the suppression list', async () => {
    const ids = ['usr_0001_0003', 'ü-ñ 名前', '5c0e1d2f-77a4-4b8a-9e3c-0f1d2e3c4b5a'];

    const rows = await warehouse.query<{ h: string }>(
      `SELECT SHA1(v) AS h FROM (SELECT unnest(CAST(? AS VARCHAR[])) AS v) ORDER BY v`,
      [JSON.stringify(ids)],
    );

    expect(rows.map((r) => r.h).sort()).toEqual(ids.map(idHash).sort());
  });
});

const at = (i: number) => `2026-03-10T09:0${i}:00.000Z`;

/**
 * A warehouse with one load of six events (2026-03-10 10:00) and four erased ids: u-12 everywhere and in
 * ws-other, anon-12 everywhere, u-9 in ws-elsewhere.
 */
const erasedWarehouse = async (): Promise<Warehouse> => {
  const wh = await freshWarehouse();
  await load(wh, 'events/dt=2026-03-10/hr=09/a.json.gz', '2026-03-10T10:00:00.000Z', [
    eventLine({ id: 'e1', at: at(1), user: 'u-12' }),
    eventLine({ id: 'e2', at: at(2), user: 'u-12', workspace: 'ws-other' }),
    eventLine({ id: 'e3', at: at(3), user: 'u-123' }),
    eventLine({ id: 'e4', at: at(4), user: null, anonymousId: 'anon-12' }),
    eventLine({ id: 'e5', at: at(5), user: 'u-77', anonymousId: 'anon-12' }),
    eventLine({ id: 'e6', at: at(6), user: 'u-9', workspace: 'ws-scoped' }),
  ]);
  const add = (id: string, kind: string, workspace: string | null) =>
    wh.execute('INSERT INTO ops.erased_users VALUES (?, ?, ?, ?, CAST(? AS TIMESTAMP))', [
      idHash(id),
      kind,
      workspace,
      'req-1',
      '2026-03-09 00:00:00',
    ]);
  await add('u-12', 'user', null);
  await add('u-12', 'user', 'ws-other');
  await add('anon-12', 'anonymous', null);
  await add('u-9', 'user', 'ws-elsewhere');
  return wh;
};

describe('suppression at staging (sql/erasure/suppression.sql)', () => {
  const window = {
    loaded_after: '2026-03-10 00:00:00.000',
    loaded_until: '2026-03-11 00:00:00.000',
    event_from: '2026-01-01 00:00:00.000',
    event_before: '2027-01-01 00:00:00.000',
    future_tolerance_minutes: 5,
  };
  const stamp = (runId: string) => ({ run_id: runId, suppressed_at: '2026-03-10 10:05:00.000' });
  const sql = testSqlLibrary('duckdb');
  const run = (wh: Warehouse, name: string, values = {}) =>
    runStatement(wh, sql.statement('erasure/suppression', name), values);
  const stagedRows = (wh: Warehouse) =>
    wh.query('SELECT file_row, subject_hash, run_id FROM ops.erasure_staged_rows ORDER BY file_row');

  let wh: Warehouse;
  beforeEach(async () => {
    wh = await erasedWarehouse();
  });
  afterEach(() => wh.close());

  it('records the rows of erased ids once each, and counts them per erased id', async () => {
    const marked = await run(wh, 'mark_staged', { ...window, ...stamp('run-1') });
    await run(wh, 'record_staged', stamp('run-1'));

    expect(marked).toBe(3);
    expect(await stagedRows(wh)).toEqual([
      { file_row: 1, subject_hash: idHash('u-12'), run_id: 'run-1' },
      { file_row: 2, subject_hash: idHash('u-12'), run_id: 'run-1' },
      { file_row: 4, subject_hash: idHash('anon-12'), run_id: 'run-1' },
    ]);
    expect(
      await wh.query(
        'SELECT stage, run_id, subject_hash, events, request_id FROM ops.erasure_suppressions ORDER BY events',
      ),
    ).toEqual([
      { stage: 'staging', run_id: 'run-1', subject_hash: idHash('anon-12'), events: 1, request_id: null },
      { stage: 'staging', run_id: 'run-1', subject_hash: idHash('u-12'), events: 2, request_id: null },
    ]);
  });

  it('counts nothing for rows an earlier run recorded, when the window reads them again', async () => {
    await run(wh, 'mark_staged', { ...window, ...stamp('run-1') });
    await run(wh, 'record_staged', stamp('run-1'));

    const marked = await run(wh, 'mark_staged', { ...window, ...stamp('run-2') });
    await run(wh, 'record_staged', stamp('run-2'));

    expect(marked).toBe(0);
    expect(await wh.query("SELECT run_id FROM ops.erasure_suppressions WHERE run_id = 'run-2'")).toEqual([]);
  });

  it('forgets the recorded rows whose raw row is gone, and keeps the others', async () => {
    await run(wh, 'mark_staged', { ...window, ...stamp('run-1') });
    await wh.execute("DELETE FROM raw.events WHERE user_id = 'u-12'");

    await run(wh, 'forget_erased_rows');

    expect(await stagedRows(wh)).toEqual([{ file_row: 4, subject_hash: idHash('anon-12'), run_id: 'run-1' }]);
  });
});

describe("the sweep's late subjects (sql/erasure/sweep.sql)", () => {
  const sql = testSqlLibrary('duckdb');
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await erasedWarehouse();
    // loaded after the window: not read
    await load(wh, 'events/dt=2026-03-11/hr=09/b.json.gz', '2026-03-11T10:00:00.000Z', [
      eventLine({ id: 'e7', at: at(7), user: 'u-12' }),
    ]);
    const rejected = (row: number, user: string | null, workspace: string | null) =>
      wh.execute(
        `INSERT INTO raw.rejected_events (reason_code, received_at, workspace_id, user_id, raw_record, file_name, file_row, loaded_at)
         VALUES ('SCHEMA', TIMESTAMP '2026-03-10 09:00:00', ?, ?, '{}', 'rejected/a.json.gz', ?, TIMESTAMP '2026-03-10 10:00:00')`,
        [workspace, user, row],
      );
    await rejected(1, 'u-12', null);
    await rejected(2, 'u-9', null);
    await rejected(3, 'u-9', 'ws-scoped');
    await rejected(4, null, null);
  });
  afterAll(() => wh.close());

  it('finds events by user_id, else by anonymous id, and rejected rows by user_id, each within the erased scope', async () => {
    const rows = await queryStatement(wh, sql.statement('erasure/sweep', 'late_subjects'), {
      loaded_after: '2026-03-10 00:00:00.000',
      loaded_until: '2026-03-11 00:00:00.000',
    });

    const found = rows.map((r) => [r.id_kind, r.id, r.scope, Number(r.events)]).sort();
    expect(found).toEqual([
      ['anonymous', 'anon-12', null, 1],
      // e1, e2 and rejected row 1
      ['user', 'u-12', null, 3],
      // e2 in the scope, and rejected row 1, which names no workspace
      ['user', 'u-12', 'ws-other', 2],
      // rejected row 2 names no workspace; e6 and rejected row 3 are of another one
      ['user', 'u-9', 'ws-elsewhere', 1],
    ]);
  });
});
