import { insertRejectedLines } from '#adapters/local/raw-loader.ts';
import { FACTS } from '#core/activation/facts.ts';
import { createReadApi, type ReadApi } from '#core/console/read-api.ts';
import { consoleReports } from '#core/console/reports/index.ts';
import { warehouseSource } from '#core/console/warehouse-source.ts';
import type { ValidatedLine } from '#core/contract/envelope.ts';
import { runQualityJob } from '#core/quality/quality-job.ts';
import { declaredChecks } from '#core/quality/registry.ts';
import type { Row, Warehouse } from '#core/warehouse/ports.ts';
import { duckdbSql, testSqlLibrary } from '#test/support/sql-library.ts';
import { freshWarehouse } from '#test/support/warehouse-db.ts';
import { eventLine, rejectedFixture } from '#test/support/warehouse-events.ts';
import { load, transform } from '#test/support/warehouse-pipeline.ts';

/** The clock of the console warehouse: the day after the events, at noon (UTC). */
export const TODAY = new Date('2026-03-12T12:00:00.000Z');

/**
 * A small warehouse with numbers a person can count by hand, built by the real transform and quality job
 * (test catalog: editor > editor.comments > {mention, reply}, editor.formatting > bold, sharing > link):
 *
 * | day        | ws-acme                                                      | ws-globex                  |
 * | 2026-03-09 | u1 mention web x2, u2 mention ios, u1 bold web               | u3 link web                |
 * | 2026-03-10 | u1 reply web, u2 mention web                                 | u3 mention android, u3 ghost.feature web (unknown) |
 * | 2026-03-11 | u2 bold ios                                                  |                            |
 *
 * Two rejected events (SCHEMA_VIOLATION feature_used, UNKNOWN_SCHEMA button_clicked) loaded on 03-10.
 */
export const CONSOLE_EVENTS: readonly ValidatedLine[] = [
  ['e1', '2026-03-09T09:00:00Z', 'u1', 'ws-acme', 'editor.comments.mention', 'web'],
  ['e2', '2026-03-09T10:00:00Z', 'u1', 'ws-acme', 'editor.comments.mention', 'web'],
  ['e3', '2026-03-09T11:00:00Z', 'u2', 'ws-acme', 'editor.comments.mention', 'ios'],
  ['e4', '2026-03-09T12:00:00Z', 'u1', 'ws-acme', 'editor.formatting.bold', 'web'],
  ['e5', '2026-03-09T13:00:00Z', 'u3', 'ws-globex', 'sharing.link', 'web'],
  ['e6', '2026-03-10T09:00:00Z', 'u1', 'ws-acme', 'editor.comments.reply', 'web'],
  ['e7', '2026-03-10T10:00:00Z', 'u2', 'ws-acme', 'editor.comments.mention', 'web'],
  ['e8', '2026-03-10T11:00:00Z', 'u3', 'ws-globex', 'editor.comments.mention', 'android'],
  ['e9', '2026-03-10T12:00:00Z', 'u3', 'ws-globex', 'ghost.feature', 'web'],
  ['e10', '2026-03-11T09:00:00Z', 'u2', 'ws-acme', 'editor.formatting.bold', 'ios'],
].map(([id, at, user, workspace, feature, platform]) =>
  eventLine({
    id: id ?? '',
    at: at ?? '',
    user: user ?? null,
    workspace: workspace ?? null,
    feature: feature ?? null,
    known: feature !== 'ghost.feature',
    platform: platform as ValidatedLine['platform'],
  }),
);

const rejected = (id: string, code: string, event: string): Record<string, unknown> => {
  const base = rejectedFixture();
  return {
    ...base,
    event_id: id,
    event_name: event,
    received_at: '2026-03-10T09:16:00.120Z',
    reason: { ...(base.reason as object), code },
  };
};

/** Builds the warehouse: one load per day (loaded at 18:00 that day), a transform and a quality run after each. */
export const buildConsoleWarehouse = async (): Promise<Warehouse> => {
  const warehouse = await freshWarehouse();
  for (const day of ['2026-03-09', '2026-03-10', '2026-03-11']) {
    const lines = CONSOLE_EVENTS.filter((e) => e.event_ts.startsWith(day));
    await load(warehouse, `events/dt=${day}/hr=18/console.json.gz`, `${day}T18:00:00Z`, lines);
    if (day === '2026-03-10') {
      await insertRejectedLines(
        warehouse,
        [
          JSON.stringify(rejected('r1', 'SCHEMA_VIOLATION', 'feature_used')),
          JSON.stringify(rejected('r2', 'UNKNOWN_SCHEMA', 'button_clicked')),
        ],
        `rejected/dt=${day}/hr=18/console.json.gz`,
        new Date(`${day}T18:00:00Z`),
        { library: duckdbSql },
      );
    }
    await transform(warehouse, `${day}T18:05:00Z`);
    await runQualityJob({
      sql: duckdbSql,
      warehouse,
      checks: declaredChecks(),
      now: new Date(`${day}T18:10:00Z`),
    });
  }
  return warehouse;
};

/** The read API over the warehouse, with its clock on TODAY. */
export const consoleApi = (warehouse: Warehouse, options: { versionTtlMs?: number } = {}): ReadApi =>
  createReadApi({
    source: warehouseSource(warehouse),
    sql: testSqlLibrary('duckdb'),
    reports: consoleReports({ facts: FACTS, checks: declaredChecks() }),
    clock: () => TODAY,
    versionTtlMs: options.versionTtlMs ?? 0,
  });

/** The `data` of an answer, parsed. */
export const answerData = async <T = Row>(
  api: ReadApi,
  report: string,
  params: Record<string, string> = {},
): Promise<T> => JSON.parse((await api.answer(report, params)).body).data as T;

export { warehouseSource };
