import type { Warehouse } from '#core/warehouse/ports.ts';

/** One row of curated.cohort_retention, as the tests compare them. */
export interface CohortRow {
  readonly cohort_week: string;
  readonly platform: string;
  readonly app_version: string;
  readonly locale: string;
  readonly weeks_since: number;
  readonly week_start: string;
  readonly cohort_users: number;
  readonly active_users: number;
  readonly retained_share: number;
}

interface FactRow {
  readonly user_key: string;
  readonly event_ts: string;
  readonly dedup_key: string;
  readonly week_start: string;
  readonly platform_key: string;
  readonly app_version: string | null;
  readonly locale: string | null;
}

const DAY_MS = 86_400_000;
const key = (r: CohortRow): string =>
  [r.cohort_week, r.platform, r.app_version, r.locale, String(r.weeks_since).padStart(4, '0')].join('|');

/** Rows in key order, the share rounded to 9 places (floating point of two engines). */
export const sorted = (rows: readonly CohortRow[]): CohortRow[] =>
  [...rows]
    .map((r) => ({ ...r, retained_share: Math.round(r.retained_share * 1e9) / 1e9 }))
    .sort((a, b) => key(a).localeCompare(key(b)));

/**
 * The cohort table as its definition states it, computed in JavaScript from the whole fact table: each
 * user's first event (earliest event_ts, then dedup_key) gives the cohort week and cell; every week with
 * an event counts the user active; cells are counted, shares divided. Nothing incremental about it.
 */
export const referenceCohorts = async (warehouse: Warehouse): Promise<CohortRow[]> => {
  const facts = await warehouse.query<FactRow & Record<string, unknown>>(
    `SELECT user_key, CAST(event_ts AS VARCHAR) AS event_ts, dedup_key, CAST(week_start AS VARCHAR) AS week_start,
       platform_key, app_version, locale
     FROM curated.fct_feature_events WHERE user_key IS NOT NULL`,
  );
  const first = new Map<string, FactRow>();
  const weeks = new Map<string, Set<string>>();
  for (const f of facts) {
    const known = first.get(f.user_key);
    if (
      !known ||
      f.event_ts < known.event_ts ||
      (f.event_ts === known.event_ts && f.dedup_key < known.dedup_key)
    ) {
      first.set(f.user_key, f);
    }
    weeks.set(f.user_key, (weeks.get(f.user_key) ?? new Set()).add(f.week_start));
  }
  const cells = new Map<
    string,
    {
      cell: Omit<
        CohortRow,
        'weeks_since' | 'week_start' | 'cohort_users' | 'active_users' | 'retained_share'
      >;
      users: number;
      active: Map<string, number>;
    }
  >();
  for (const [user, f] of first) {
    const cell = {
      cohort_week: f.week_start,
      platform: f.platform_key,
      app_version: f.app_version ?? '(none)',
      locale: f.locale ?? '(none)',
    };
    const id = JSON.stringify(cell);
    const entry = cells.get(id) ?? { cell, users: 0, active: new Map<string, number>() };
    entry.users += 1;
    for (const week of weeks.get(user) ?? []) entry.active.set(week, (entry.active.get(week) ?? 0) + 1);
    cells.set(id, entry);
  }
  const rows: CohortRow[] = [];
  for (const { cell, users, active } of cells.values()) {
    for (const [week, n] of active) {
      rows.push({
        ...cell,
        weeks_since: Math.round((Date.parse(week) - Date.parse(cell.cohort_week)) / (7 * DAY_MS)),
        week_start: week,
        cohort_users: users,
        active_users: n,
        retained_share: n / users,
      });
    }
  }
  return sorted(rows);
};

/** curated.cohort_retention as the model keeps it. */
export const cohortTable = async (warehouse: Warehouse): Promise<CohortRow[]> =>
  sorted(
    await warehouse.query<CohortRow & Record<string, unknown>>(
      `SELECT CAST(cohort_week AS VARCHAR) AS cohort_week, platform, app_version, locale, weeks_since,
         CAST(week_start AS VARCHAR) AS week_start, cohort_users, active_users, retained_share
       FROM curated.cohort_retention`,
    ),
  );
