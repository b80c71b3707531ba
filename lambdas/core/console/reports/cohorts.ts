import { isoWeekStart, parseSqlDate, toSqlDate } from '#core/warehouse/time.ts';
import { readNumber, readString } from '#core/warehouse/values.ts';
import type { ConsoleReport } from '../report.ts';

/** What a cohort can be split by (curated.cohort_retention's cell columns), or `none`. */
export const COHORT_SPLITS = ['none', 'platform', 'app_version', 'locale'] as const;

const WEEK_MS = 7 * 86_400_000;

interface Cohort {
  readonly cohortWeek: string;
  readonly segment: string;
  readonly users: number;
  /** Every week since the cohort week up to the latest week with data; weeks without an active member are 0. */
  readonly weeks: { readonly weeksSince: number; readonly active: number; readonly share: number }[];
}

/**
 * `cohorts`: the retention triangle of weekly cohorts (first-seen weeks in the range, default the last 12
 * weeks) from curated.cohort_retention: per cohort (and segment of the `split`: platform, app version or
 * locale), its users and, for every week since, the active members and their share. `segment` keeps one
 * value of the split; without it every segment is listed, with its users, for the selector.
 */
export const cohortsReport: ConsoleReport = {
  name: 'cohorts',
  summary:
    'weekly cohorts by first-seen week, split by platform, app version or locale: the retention triangle',
  prepare(params, { today }) {
    const range = params.range(today, 84);
    const split = params.oneOf('split', COHORT_SPLITS, 'none');
    const segment = params.key('segment');
    if (segment !== null && split === 'none')
      params.problem('segment', 'needs a split (platform, app_version or locale)');
    return {
      params: { ...range, split, segment },
      async run(reads) {
        const fromWeek = toSqlDate(isoWeekStart(parseSqlDate(range.from) ?? today));
        const rows = await reads.statement('console/cohorts', 'triangle', {
          split,
          segment,
          from_week: fromWeek,
          to_day: range.to,
        });
        const [latest] = await reads.statement('console/cohorts', 'latest_week');
        const latestWeek = readString(latest?.latest_week);
        const byCohort = new Map<string, Map<number, number>>();
        for (const r of rows) {
          const id = `${String(r.cohort_week)}|${String(r.segment)}`;
          const weeks = byCohort.get(id) ?? new Map<number, number>();
          weeks.set(readNumber(r.weeks_since) ?? 0, readNumber(r.active_users) ?? 0);
          byCohort.set(id, weeks);
        }
        const cohorts: Cohort[] = [...byCohort].map(([id, weeks]) => {
          const [cohortWeek = '', seg = ''] = id.split('|');
          const users = weeks.get(0) ?? 0;
          const span =
            latestWeek === null ? 0 : Math.round((Date.parse(latestWeek) - Date.parse(cohortWeek)) / WEEK_MS);
          return {
            cohortWeek,
            segment: seg,
            users,
            weeks: Array.from({ length: span + 1 }, (_, k) => ({
              weeksSince: k,
              active: weeks.get(k) ?? 0,
              share: users === 0 ? 0 : (weeks.get(k) ?? 0) / users,
            })),
          };
        });
        const segments = await reads.statement('console/cohorts', 'segments', {
          split,
          from_week: fromWeek,
          to_day: range.to,
        });
        return {
          latestWeek,
          segments: segments.map((s) => ({ segment: String(s.segment), users: readNumber(s.users) ?? 0 })),
          cohorts,
        };
      },
    };
  },
};
