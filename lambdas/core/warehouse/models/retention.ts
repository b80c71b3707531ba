import { exec, type ModelDefinition } from '../model.ts';
import type { TransformSettings } from '../settings.ts';
import { addDays, isoWeekStart, startOfDay, toSqlDate, toSqlTimestamp } from '../time.ts';

const FILE = 'models/retention';

const STATEMENTS = [
  'raw_events',
  'raw_rejected_events',
  'fct_feature_events',
  'feature_usage_daily',
  'feature_usage_weekly',
  'user_feature_last_seen',
  'workspace_user_last_seen',
  'feature_adoption_by_workspace',
  'user_index',
] as const;

/** Name of the retention model. */
export const RETENTION_MODEL = 'retention';

/** First event date the fact keeps: the Monday on or before `asOf - factRetentionDays`, so weeks are whole. */
export const factHorizon = (asOf: Date, settings: TransformSettings): Date =>
  isoWeekStart(addDays(asOf, -settings.factRetentionDays));

/**
 * Deletes what is past retention, relative to the run's as-of clock; a rerun deletes nothing more. It runs
 * after `runsAfter` (every other model of the transform): a model reading the fact table, such as an
 * activation model, must see the events retention is about to delete in the same run.
 */
export const retentionModel = (runsAfter: readonly string[]): ModelDefinition => ({
  name: RETENTION_MODEL,
  dependsOn: runsAfter.filter((name) => name !== RETENTION_MODEL),
  sqlFiles: [FILE],
  selectable: true,
  async run(ctx) {
    const values = {
      raw_horizon: toSqlTimestamp(addDays(ctx.asOf, -ctx.settings.rawRetentionDays)),
      fact_horizon: toSqlDate(factHorizon(ctx.asOf, ctx.settings)),
      aggregate_horizon: toSqlDate(startOfDay(addDays(ctx.asOf, -ctx.settings.aggregateRetentionDays))),
    };
    let deleted = 0;
    for (const statement of STATEMENTS) deleted += await exec(ctx, FILE, statement, values);
    return { rowsRead: 0, rowsWritten: deleted };
  },
});
