/**
 * The activation tables computed the plain way, for the specs to compare the SQL with: per user, walk
 * every period from their first one to the as-of period and apply DESIGN section 7 literally. Shares no
 * code with lambdas/core/activation (its own calendar, its own dedup and filter), on purpose.
 */
import type { FactDeclaration } from '#core/activation/fact.ts';
import { DEFAULT_TRANSFORM_SETTINGS } from '#core/warehouse/settings.ts';

export type RefGrain = 'day' | 'week' | 'month';

/** What the reference needs of an event (a ValidatedLine's fields). */
export interface RefEvent {
  readonly dedupKey: string;
  readonly eventName: string;
  readonly eventTs: string;
  readonly receivedAt: string;
  readonly userId: string | null;
  readonly anonymousId: string | null;
  readonly featureId: string | null;
}

export interface StateRow {
  period_start: string;
  user_key: string;
  state: string;
  previous_state: string | null;
  transition: string;
  is_churned: boolean;
  active_streak: number;
  return_interval: number | null;
  inactive_duration: number | null;
  first_active_period: string;
  last_active_period: string | null;
}

export interface SummaryRow {
  period_start: string;
  active_users: number;
  new_users: number;
  retained_users: number;
  reactivated_users: number;
  churned_users: number;
  inactive_users: number;
  previous_active_users: number;
  none_to_new: number;
  new_to_retained: number;
  retained_to_retained: number;
  reactivated_to_retained: number;
  inactive_to_reactivated: number;
  new_to_inactive: number;
  retained_to_inactive: number;
  reactivated_to_inactive: number;
  inactive_to_inactive: number;
  quick_ratio: number | null;
  retention_rate: number | null;
}

export interface FirstLastRow {
  user_key: string;
  snapshot_date: string;
  snapshot_grain: 'day' | 'month';
  first_active_date: string;
  last_active_date: string;
  period_first_active_date: string;
  active_days: number;
}

/** user key -> the days (YYYY-MM-DD) the user was active for the fact. */
export type Activity = Map<string, Set<string>>;

// --- calendar -------------------------------------------------------------------------------------

const DAY = 86_400_000;
const dayNumber = (date: string): number =>
  Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / DAY;
const dateOfDay = (n: number): string => new Date(n * DAY).toISOString().slice(0, 10);

/** Period number of a day: the day itself, its ISO week (Monday 1970-01-05 = 0), or year * 12 + month. */
export const refPeriodOf = (grain: RefGrain, date: string): number => {
  if (grain === 'day') return dayNumber(date);
  if (grain === 'week') {
    const n = dayNumber(date);
    const weekday = (new Date(n * DAY).getUTCDay() + 6) % 7; // Monday 0 .. Sunday 6
    return (n - weekday - 4) / 7;
  }
  return +date.slice(0, 4) * 12 + +date.slice(5, 7);
};

/** First day of a period number. */
export const refPeriodStart = (grain: RefGrain, period: number): string => {
  if (grain === 'day') return dateOfDay(period);
  if (grain === 'week') return dateOfDay(period * 7 + 4);
  const year = Math.floor((period - 1) / 12);
  const month = period - year * 12;
  return `${year}-${String(month).padStart(2, '0')}-01`;
};

// --- activity ---------------------------------------------------------------------------------------

const inFact = (fact: FactDeclaration, event: RefEvent, catalog: ReadonlySet<string>): boolean => {
  if (fact.eventNames && !fact.eventNames.includes(event.eventName)) return false;
  if (fact.requireFeature && event.featureId === null) return false;
  if (fact.featureFamily) {
    const id = event.featureId;
    if (id === null || !catalog.has(id)) return false;
    if (id !== fact.featureFamily && !id.startsWith(`${fact.featureFamily}.`)) return false;
  }
  return true;
};

/** The fact's activity: one copy per dedup key (the earliest received), users by user_id else anonymous_id. */
export const activityOf = (
  events: readonly RefEvent[],
  fact: FactDeclaration,
  catalog: ReadonlySet<string>,
): Activity => {
  const kept = new Map<string, RefEvent>();
  for (const event of events) {
    const held = kept.get(event.dedupKey);
    if (!held || Date.parse(event.receivedAt) < Date.parse(held.receivedAt)) kept.set(event.dedupKey, event);
  }
  const activity: Activity = new Map();
  for (const event of kept.values()) {
    const user = event.userId ?? (event.anonymousId === null ? null : `anon:${event.anonymousId}`);
    if (user === null || !inFact(fact, event, catalog)) continue;
    const days = activity.get(user) ?? new Set<string>();
    // the fact never dates an event after its receipt plus the future tolerance (a device clock ahead)
    const latest = Date.parse(event.receivedAt) + DEFAULT_TRANSFORM_SETTINGS.futureToleranceMinutes * 60_000;
    days.add(new Date(Math.min(Date.parse(event.eventTs), latest)).toISOString().slice(0, 10));
    activity.set(user, days);
  }
  return activity;
};

// --- activation_states ------------------------------------------------------------------------------

interface Walked {
  readonly rows: StateRow[];
  /** period -> state, for every period from the first one (listed or not). */
  readonly states: Map<number, string>;
  readonly first: number;
}

const walkUser = (
  user: string,
  days: ReadonlySet<string>,
  grain: RefGrain,
  asOf: Date,
  horizon: number,
): Walked => {
  const active = new Set([...days].map((d) => refPeriodOf(grain, d)));
  const first = Math.min(...active);
  const current = refPeriodOf(grain, asOf.toISOString().slice(0, 10));
  const rows: StateRow[] = [];
  const states = new Map<number, string>();
  let last: number | null = null;
  let previous: string | null = null;
  let streak = 0;
  for (let p = first; p <= current; p += 1) {
    const isActive = active.has(p);
    let state: string;
    if (isActive && p === first) state = 'New';
    else if (isActive && last === p - 1) state = 'Retained';
    else if (isActive) state = 'Reactivated';
    else state = 'Inactive';
    streak = isActive ? streak + 1 : 0;
    states.set(p, state);
    const listed = isActive || (last !== null && p - last <= horizon);
    if (listed) {
      rows.push({
        period_start: refPeriodStart(grain, p),
        user_key: user,
        state,
        previous_state: previous,
        transition: `${previous ?? 'None'} -> ${state}`,
        is_churned: state === 'Inactive' && last === p - 1,
        active_streak: streak,
        return_interval: state === 'Reactivated' && last !== null ? p - last : null,
        inactive_duration: state === 'Inactive' && last !== null ? p - last : null,
        first_active_period: refPeriodStart(grain, first),
        last_active_period: last === null ? null : refPeriodStart(grain, last),
      });
    }
    previous = state;
    if (isActive) last = p;
  }
  return { rows, states, first };
};

/** Rows of curated.<fact>_activation_<grain> at `asOf`, sorted by user then period. */
export const referenceStates = (
  activity: Activity,
  grain: RefGrain,
  asOf: Date,
  horizon: number,
): StateRow[] =>
  [...activity.keys()]
    .sort()
    .flatMap((user) => walkUser(user, activity.get(user) ?? new Set(), grain, asOf, horizon).rows)
    .sort((a, b) =>
      a.user_key < b.user_key ? -1 : a.user_key > b.user_key ? 1 : a.period_start < b.period_start ? -1 : 1,
    );

// --- activation_summary -----------------------------------------------------------------------------

/** Rows of curated.<fact>_activation_<grain>_summary at `asOf`, by period. */
export const referenceSummary = (
  activity: Activity,
  grain: RefGrain,
  asOf: Date,
  horizon: number,
): SummaryRow[] => {
  const walks = [...activity.entries()].map(([user, days]) => walkUser(user, days, grain, asOf, horizon));
  if (walks.length === 0) return [];
  const current = refPeriodOf(grain, asOf.toISOString().slice(0, 10));
  const start = Math.min(...walks.map((w) => w.first));
  const isActive = (state: string | undefined) =>
    state === 'New' || state === 'Retained' || state === 'Reactivated';
  const out: SummaryRow[] = [];
  const byPeriod = new Map<string, StateRow[]>();
  for (const row of walks.flatMap((w) => w.rows)) {
    byPeriod.set(row.period_start, [...(byPeriod.get(row.period_start) ?? []), row]);
  }
  for (let p = start; p <= current; p += 1) {
    const rows = byPeriod.get(refPeriodStart(grain, p)) ?? [];
    const count = (test: (r: StateRow) => boolean) => rows.filter(test).length;
    const byTransition = (t: string) => count((r) => r.transition === t);
    const newUsers = count((r) => r.state === 'New');
    const retained = count((r) => r.state === 'Retained');
    const reactivated = count((r) => r.state === 'Reactivated');
    const churned = count((r) => r.is_churned);
    const previousActive = walks.filter((w) => isActive(w.states.get(p - 1))).length;
    out.push({
      period_start: refPeriodStart(grain, p),
      active_users: walks.filter((w) => isActive(w.states.get(p))).length,
      new_users: newUsers,
      retained_users: retained,
      reactivated_users: reactivated,
      churned_users: churned,
      inactive_users: walks.filter((w) => w.states.get(p) === 'Inactive').length,
      previous_active_users: previousActive,
      none_to_new: byTransition('None -> New'),
      new_to_retained: byTransition('New -> Retained'),
      retained_to_retained: byTransition('Retained -> Retained'),
      reactivated_to_retained: byTransition('Reactivated -> Retained'),
      inactive_to_reactivated: byTransition('Inactive -> Reactivated'),
      new_to_inactive: byTransition('New -> Inactive'),
      retained_to_inactive: byTransition('Retained -> Inactive'),
      reactivated_to_inactive: byTransition('Reactivated -> Inactive'),
      inactive_to_inactive: walks.filter(
        (w) => w.states.get(p) === 'Inactive' && w.states.get(p - 1) === 'Inactive',
      ).length,
      quick_ratio: churned > 0 ? (newUsers + reactivated) / churned : null,
      retention_rate: previousActive > 0 ? retained / previousActive : null,
    });
  }
  return out;
};

// --- user_first_last ----------------------------------------------------------------------------------

/**
 * Rows of curated.user_first_last for one fact at `asOf`: a row per active day from the first of the month
 * holding `asOf - dailySnapshotDays`, one per active month before it (on the month's last day).
 */
export const referenceFirstLast = (
  activity: Activity,
  asOf: Date,
  dailySnapshotDays: number,
): FirstLastRow[] => {
  const cut = new Date(asOf.getTime() - dailySnapshotDays * DAY).toISOString().slice(0, 8).concat('01');
  const out: FirstLastRow[] = [];
  for (const user of [...activity.keys()].sort()) {
    const days = [...(activity.get(user) ?? [])].sort();
    const first = days[0] ?? '';
    const months = new Map<string, string[]>();
    for (const day of days) {
      if (day >= cut) {
        out.push({
          user_key: user,
          snapshot_date: day,
          snapshot_grain: 'day',
          first_active_date: first,
          last_active_date: day,
          period_first_active_date: day,
          active_days: 1,
        });
      } else {
        const month = day.slice(0, 7);
        months.set(month, [...(months.get(month) ?? []), day]);
      }
    }
    for (const [month, inMonth] of months) {
      const lastDay = new Date(Date.UTC(+month.slice(0, 4), +month.slice(5, 7), 0))
        .toISOString()
        .slice(0, 10);
      out.push({
        user_key: user,
        snapshot_date: lastDay,
        snapshot_grain: 'month',
        first_active_date: first,
        last_active_date: inMonth.at(-1) ?? '',
        period_first_active_date: inMonth[0] ?? '',
        active_days: inMonth.length,
      });
    }
  }
  return out.sort((a, b) =>
    a.user_key < b.user_key ? -1 : a.user_key > b.user_key ? 1 : a.snapshot_date < b.snapshot_date ? -1 : 1,
  );
};
