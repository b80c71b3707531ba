import { applyWarehouseDdl } from '#core/warehouse/ddl.ts';
import { ModelRunError, TransformArgumentError } from '#core/warehouse/errors.ts';
import type { ModelDefinition } from '#core/warehouse/model.ts';
import { MODELS, orderModels } from '#core/warehouse/models/index.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import { CURATED_TABLES, freshWarehouse, snapshot } from '../../support/warehouse-db.ts';
import { eventLine } from '../../support/warehouse-events.ts';
import { load, rebuild, transform } from '../../support/warehouse-pipeline.ts';

describe('model runner', () => {
  let warehouse: Warehouse;
  beforeEach(async () => {
    warehouse = await freshWarehouse();
  });
  afterEach(() => warehouse.close());

  it('runs the models in dependency order, the activation and cohort models after the fact and retention last', () => {
    expect(orderModels(MODELS).map((m) => m.name)).toEqual([
      'dim_feature',
      'feature_closure',
      'fct_feature_events',
      'user_index',
      'feature_usage_daily',
      'feature_usage_weekly',
      'user_feature_last_seen',
      'workspace_user_last_seen',
      'feature_adoption_by_workspace',
      'app_visit_first_last',
      'app_visit_activation_day',
      'app_visit_activation_week',
      'app_visit_activation_month',
      'app_visit_first_last_span',
      'feature_used_first_last',
      'feature_used_activation_day',
      'feature_used_activation_week',
      'feature_used_activation_month',
      'feature_used_first_last_span',
      'editor_comments_first_last',
      'editor_comments_activation_day',
      'editor_comments_activation_week',
      'editor_comments_activation_month',
      'editor_comments_first_last_span',
      'cohort_retention',
      'retention',
    ]);
  });

  it('names every model once', () => {
    const names = MODELS.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('runs a model given twice once, in its last definition, at the place of its first', () => {
    const model = (name: string, dependsOn: string[], selectable = true): ModelDefinition => ({
      name,
      dependsOn,
      sqlFiles: [],
      selectable,
      run: async () => ({ rowsRead: 0, rowsWritten: 0 }),
    });
    const replacement = model('b', ['a'], false);
    const ordered = orderModels([model('a', []), model('b', ['a']), model('c', ['b']), replacement]);
    expect(ordered.map((m) => m.name)).toEqual(['a', 'b', 'c']);
    expect(ordered[1]).toBe(replacement);
  });

  it('refuses a dependency cycle, naming the models in it', () => {
    const model = (name: string, dependsOn: string[]): ModelDefinition => ({
      name,
      dependsOn,
      sqlFiles: [],
      selectable: true,
      run: async () => ({ rowsRead: 0, rowsWritten: 0 }),
    });
    expect(() => orderModels([model('a', ['b']), model('b', ['a'])])).toThrow(TransformArgumentError);
    expect(() => orderModels([model('a', ['b']), model('b', ['a'])])).toThrow('dependency cycle among a, b');
  });

  it('logs every model of a run with rows read and written, duration, watermarks and the loads that fed it', async () => {
    await load(warehouse, 'events/a.ndjson.gz', '2026-03-10T12:00:00.000Z', [
      eventLine({ id: 'a', at: '2026-03-10T09:00:00.000Z' }),
    ]);
    await load(warehouse, 'events/b.ndjson.gz', '2026-03-10T12:01:00.000Z', [
      eventLine({ id: 'a', at: '2026-03-10T09:00:00.000Z' }),
      eventLine({ id: 'b', at: '2026-03-10T10:00:00.000Z', user: 'u2' }),
    ]);
    const report = await transform(warehouse, '2026-03-10T12:05:00.000Z');
    const runs = await warehouse.query(
      `SELECT run_id, model_name, mode, status, rows_read, rows_written, duration_ms, watermark_from, watermark_to, loads
       FROM ops.model_runs WHERE model_name IN ('fct_feature_events', 'feature_usage_daily') ORDER BY model_name`,
    );
    expect(runs).toEqual([
      expect.objectContaining({
        run_id: report.runId,
        model_name: 'fct_feature_events',
        mode: 'incremental',
        status: 'succeeded',
        rows_read: 3,
        rows_written: 2,
        watermark_from: null,
        watermark_to: '2026-03-10T12:01:00.000Z',
        loads: ['events/a.ndjson.gz', 'events/b.ndjson.gz'],
      }),
      expect.objectContaining({
        model_name: 'feature_usage_daily',
        rows_written: 6,
        loads: ['events/a.ndjson.gz', 'events/b.ndjson.gz'],
      }),
    ]);
    expect(runs.every((r) => typeof r.duration_ms === 'number' && r.duration_ms >= 0)).toBe(true);
    expect(await warehouse.query('SELECT count(*) AS n FROM ops.model_runs')).toEqual([{ n: MODELS.length }]);
  });

  it('moves the watermark only with the writes: a failed model rolls back the run and logs the failure', async () => {
    await load(warehouse, 'events/a.ndjson.gz', '2026-03-10T12:00:00.000Z', [
      eventLine({ id: 'a', at: '2026-03-10T09:00:00.000Z' }),
    ]);
    await transform(warehouse, '2026-03-10T12:05:00.000Z');
    await load(warehouse, 'events/b.ndjson.gz', '2026-03-10T13:00:00.000Z', [
      eventLine({ id: 'b', at: '2026-03-10T12:30:00.000Z' }),
    ]);
    const before = await snapshot(warehouse, [...CURATED_TABLES, 'ops.watermarks']);
    await warehouse.execute('DROP TABLE curated.feature_adoption_by_workspace');

    const error = await transform(warehouse, '2026-03-10T13:05:00.000Z').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelRunError);
    expect(error).toMatchObject({ model: 'feature_adoption_by_workspace' });
    await applyWarehouseDdl(warehouse, duckdbSql);
    expect(await snapshot(warehouse, [...CURATED_TABLES, 'ops.watermarks'])).toEqual({
      ...before,
      'curated.feature_adoption_by_workspace': [],
    });
    expect(
      await warehouse.query("SELECT model_name, error FROM ops.model_runs WHERE status = 'failed'"),
    ).toEqual([
      {
        model_name: 'feature_adoption_by_workspace',
        error: expect.stringContaining('feature_adoption_by_workspace'),
      },
    ]);

    await transform(warehouse, '2026-03-10T13:10:00.000Z');
    expect(
      await warehouse.query(
        "SELECT loaded_at_watermark FROM ops.watermarks WHERE model_name = 'fct_feature_events'",
      ),
    ).toEqual([{ loaded_at_watermark: '2026-03-10T13:00:00.000Z' }]);
  });

  it('picks up a load that committed late with a loaded_at inside the overlap', async () => {
    await load(warehouse, 'events/a.ndjson.gz', '2026-03-10T12:00:00.000Z', [
      eventLine({ id: 'a', at: '2026-03-10T09:00:00.000Z' }),
    ]);
    await transform(warehouse, '2026-03-10T12:05:00.000Z');
    await load(warehouse, 'events/slow.ndjson.gz', '2026-03-10T11:55:00.000Z', [
      eventLine({ id: 's', at: '2026-03-10T11:50:00.000Z' }),
    ]);
    await transform(warehouse, '2026-03-10T12:10:00.000Z');
    expect(
      await warehouse.query("SELECT count(*) AS n FROM curated.fct_feature_events WHERE dedup_key = 'dk-s'"),
    ).toEqual([{ n: 1 }]);
  });

  it('leaves out of the fact events older than its retention horizon (they stay in raw)', async () => {
    await load(warehouse, 'events/a.ndjson.gz', '2026-03-10T12:00:00.000Z', [
      eventLine({ id: 'ancient', at: '2025-06-01T09:00:00.000Z', receivedAt: '2026-03-10T11:00:00.000Z' }),
      eventLine({ id: 'recent', at: '2026-03-10T09:00:00.000Z' }),
    ]);
    await transform(warehouse, '2026-03-10T12:05:00.000Z');
    expect(await warehouse.query('SELECT dedup_key FROM curated.fct_feature_events')).toEqual([
      { dedup_key: 'dk-recent' },
    ]);
    expect(await warehouse.query('SELECT count(*) AS n FROM raw.events')).toEqual([{ n: 2 }]);
  });

  it('re-derives the same tables in a rebuild after many small runs', async () => {
    for (let hour = 8; hour < 12; hour++) {
      const hh = String(hour).padStart(2, '0');
      await load(warehouse, `events/${hh}.ndjson.gz`, `2026-03-10T${hh}:59:00.000Z`, [
        eventLine({ id: `h${hh}`, at: `2026-03-10T${hh}:10:00.000Z`, user: `u${hour % 2}` }),
      ]);
      await transform(warehouse, `2026-03-10T${hh}:59:30.000Z`);
    }
    const incremental = await snapshot(warehouse, CURATED_TABLES);
    await rebuild(warehouse, '2026-03-10T12:00:00.000Z');
    expect(await snapshot(warehouse, CURATED_TABLES)).toEqual(incremental);
  });
});
