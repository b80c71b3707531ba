import { factHorizon } from '#core/warehouse/models/retention.ts';
import type { TransformSettings } from '#core/warehouse/settings.ts';
import { addDays, startOfDay } from '#core/warehouse/time.ts';
import { addPeriods, firstPeriodFrom, type Grain, periodStart } from './grain.ts';
import type { ActivationSettings } from './settings.ts';

/**
 * Where a run's recomputation may reach, relative to its as-of clock. The fact table holds events from
 * the fact horizon on (a Monday, DESIGN section 6); a period that starts before it can no longer be
 * recomputed, so its rows are history that runs keep as they are.
 */

/**
 * First period a run may recompute: the first one starting on or after firstLastKeepFrom, so that the
 * activation tables and curated.user_first_last treat the same days as history (the fact table's partial
 * first month included). Rows before it are kept as earlier runs built them.
 */
export const floorPeriod = (grain: Grain, asOf: Date, settings: TransformSettings): Date =>
  firstPeriodFrom(grain, firstLastKeepFrom(asOf, settings));

/** First period the fact table holds entirely: no period before it is ever built from the fact table. */
export const factFloorPeriod = (grain: Grain, asOf: Date, settings: TransformSettings): Date =>
  firstPeriodFrom(grain, factHorizon(asOf, settings));

/** The as-of period: the last one a run materialises (still in progress). */
export const currentPeriod = (grain: Grain, asOf: Date): Date => periodStart(grain, asOf);

/** First day after the as-of period (exclusive bound on event dates). */
export const currentPeriodEnd = (grain: Grain, asOf: Date): Date =>
  addPeriods(grain, currentPeriod(grain, asOf), 1);

/** curated.user_first_last rows from this date on are derived from the fact table (first whole month it holds). */
export const firstLastKeepFrom = (asOf: Date, settings: TransformSettings): Date =>
  firstPeriodFrom('month', factHorizon(asOf, settings));

/** curated.user_first_last keeps day rows from this date on (first of a month), month rows before it. */
export const firstLastDailyFrom = (asOf: Date, settings: ActivationSettings): Date =>
  periodStart('month', addDays(startOfDay(asOf), -settings.dailySnapshotDays));

/** Aggregates older than this period are deleted (the aggregate retention of DESIGN section 2). */
export const retentionPeriod = (grain: Grain, asOf: Date, settings: TransformSettings): Date =>
  periodStart(grain, addDays(startOfDay(asOf), -settings.aggregateRetentionDays));
