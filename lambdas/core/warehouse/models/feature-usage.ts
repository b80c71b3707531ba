import type { ModelContext, ModelDefinition } from '../model.ts';
import { queryStatement, runStatement, type SqlValues } from '../sql-exec.ts';
import { fillTemplate } from '../template.ts';
import { addDays, parseSqlDate, toSqlDate } from '../time.ts';
import { readString } from '../values.ts';

const FILE = 'models/feature_usage';

/** What makes the daily and the weekly usage models differ: the period, and the days one period spans. */
interface UsagePeriod {
  readonly name: 'feature_usage_daily' | 'feature_usage_weekly';
  /** The period column of the fact, of work.fct_delta and of the usage table. */
  readonly column: 'event_date' | 'week_start';
  readonly days: number;
}

/** Runs a template of sql/models/feature_usage.sql filled for one period. */
const run = (ctx: ModelContext, period: UsagePeriod, name: string, values: SqlValues = {}) =>
  runStatement(ctx.tx, statement(ctx, period, name), values);

const statement = (ctx: ModelContext, period: UsagePeriod, name: string) => {
  const template = ctx.sql.template(FILE, name);
  const slots = { usage_table: `curated.${period.name}`, period_column: period.column };
  return fillTemplate(
    template,
    Object.fromEntries(Object.entries(slots).filter(([slot]) => template.slots.includes(slot))),
  );
};

/**
 * A usage aggregate (daily or weekly, one SQL source) recomputed for the (period, workspace, feature) keys
 * of work.fct_delta, reading the fact on the touched periods' days only.
 */
const usageModel = (period: UsagePeriod): ModelDefinition => ({
  name: period.name,
  dependsOn: ['fct_feature_events', 'feature_closure'],
  sqlFiles: [FILE],
  selectable: true,
  async run(ctx) {
    if (ctx.run.deltaRows === 0) return { rowsRead: 0, rowsWritten: 0 };
    await run(ctx, period, 'clear_keys');
    await run(ctx, period, 'stage_keys');
    const [bounds] = await queryStatement(ctx.tx, statement(ctx, period, 'key_periods'));
    const last = parseSqlDate(readString(bounds?.periods_to) ?? '');
    const values = {
      periods_from: readString(bounds?.periods_from),
      periods_to: readString(bounds?.periods_to),
      facts_to: last ? toSqlDate(addDays(last, period.days - 1)) : null,
    };
    await run(ctx, period, 'delete_affected', values);
    const written = await run(ctx, period, 'insert_affected', values);
    return { rowsRead: ctx.run.deltaRows, rowsWritten: written, loads: ctx.run.loads };
  },
  clear: async (ctx) => void (await run(ctx, period, 'delete_all')),
});

/** curated.feature_usage_daily. */
export const featureUsageDaily = usageModel({ name: 'feature_usage_daily', column: 'event_date', days: 1 });

/** curated.feature_usage_weekly (ISO weeks). */
export const featureUsageWeekly = usageModel({ name: 'feature_usage_weekly', column: 'week_start', days: 7 });
