import type { FactDeclaration } from '#core/activation/fact.ts';
import { GRAINS, periodStart } from '#core/activation/grain.ts';
import { parseSqlDate, toSqlDate } from '#core/warehouse/time.ts';
import { readNumber } from '#core/warehouse/values.ts';
import type { ConsoleReport } from '../report.ts';

/** Most periods one answer holds (a year of days). */
const MAX_PERIODS = 366;

/**
 * `activation`: New / Retained / Reactivated / Inactive users per period of a declared fact at a grain
 * (curated.activation_summary through the same statement as `tally report activation`), with churned
 * users, the quick ratio and the retention rate. Periods that start in the range (`from`, `to`; default
 * the last 90 days).
 */
export const activationReport = (facts: readonly FactDeclaration[]): ConsoleReport => ({
  name: 'activation',
  summary: 'New / Retained / Reactivated / Inactive users per period, for any declared fact and grain',
  prepare(params, { today }) {
    const names = facts.map((f) => f.name);
    const fact = params.oneOf('fact', names, names[0] ?? '');
    const grain = params.oneOf('grain', GRAINS, 'week');
    const range = params.range(today, 90);
    return {
      params: { fact, grain, ...range },
      async run(reads) {
        const day = (text: string) => toSqlDate(periodStart(grain, parseSqlDate(text) ?? today));
        const rows = await reads.statement('activation/report', 'report', {
          fact,
          grain,
          from_period: day(range.from),
          to_period: day(range.to),
          max_periods: MAX_PERIODS,
        });
        return rows.reverse().map((r) => ({
          period: String(r.period_start),
          active: readNumber(r.active_users) ?? 0,
          new: readNumber(r.new_users) ?? 0,
          retained: readNumber(r.retained_users) ?? 0,
          reactivated: readNumber(r.reactivated_users) ?? 0,
          churned: readNumber(r.churned_users) ?? 0,
          inactive: readNumber(r.inactive_users) ?? 0,
          quickRatio: readNumber(r.quick_ratio),
          retentionRate: readNumber(r.retention_rate),
        }));
      },
    };
  },
});
