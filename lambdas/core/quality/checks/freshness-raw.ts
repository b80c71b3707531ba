import { readTimestamp } from '#core/warehouse/values.ts';
import type { BucketResult, CheckContext } from '../check.ts';
import { loadedWindow, queryCheck } from './check-sql.ts';
import { defineCheck } from './define-check.ts';
import { positive } from './params.ts';

export interface RawFreshnessParams {
  /** The raw tables may lag receipt by at most this (DESIGN: queryable < 2 min after receipt). */
  readonly maxAgeSeconds: number;
  /** How far back to look for the newest load. */
  readonly scanHours: number;
}

export const RAW_FRESHNESS_DEFAULTS: RawFreshnessParams = { maxAgeSeconds: 120, scanHours: 24 };

const MINUTE_MS = 60_000;

/**
 * freshness-raw: seconds since the newest load into raw.events / raw.rejected_events. A quiet
 * pipeline is not a stale one: when the collector's accepted counts are available, a stale raw layer
 * passes as idle if the collector accepted nothing after the newest loaded event (older than the limit).
 * Without those counts a stale raw layer fails.
 */
export const rawFreshnessCheck = defineCheck<RawFreshnessParams>(
  {
    name: 'freshness-raw',
    description: 'Seconds since the newest load into the raw tables, against the 2-minute target.',
    severity: 'error',
    metric: { name: 'RawFreshnessSeconds', unit: 'Seconds', dimensions: [] },
    rules: { maxAgeSeconds: positive, scanHours: positive },
    async run(context, params) {
      const [row] = await queryCheck(context, 'freshness', 'newest_raw_load', {
        loaded_after: loadedWindow(context.now, params.scanHours * 60).loaded_after,
      });
      const newestLoad = readTimestamp(row?.newest_loaded_at);
      const newestReceived = readTimestamp(row?.newest_received_at);
      const age = newestLoad
        ? Math.max(0, Math.round((context.now.getTime() - newestLoad.getTime()) / 1000))
        : null;
      const base = {
        bucket: 'raw',
        observed: age,
        expectedMin: 0,
        expectedMax: params.maxAgeSeconds,
        sample: newestLoad ? [newestLoad.toISOString()] : [],
      };
      if (age !== null && age <= params.maxAgeSeconds) {
        return [{ result: { ...base, status: 'pass', detail: `newest load ${age} s ago` }, dimensions: [] }];
      }
      const since = newestLoad ? `newest load ${age} s ago` : `nothing loaded in ${params.scanHours} h`;
      return [{ result: await judgeStale(context, params, newestReceived, base, since), dimensions: [] }];
    },
  },
  RAW_FRESHNESS_DEFAULTS,
);

/** A stale raw layer: idle (pass) when the collector accepted nothing that should have landed by now. */
const judgeStale = async (
  context: CheckContext,
  params: RawFreshnessParams,
  newestReceived: Date | null,
  base: Omit<BucketResult, 'status'>,
  since: string,
): Promise<BucketResult> => {
  if (!context.acceptedCounts) {
    return { ...base, status: 'fail', detail: `${since} (no collector counts to tell idle from stuck)` };
  }
  const scanFrom = context.now.getTime() - params.scanHours * 3_600_000;
  const from = newestReceived
    ? Math.floor(newestReceived.getTime() / MINUTE_MS) * MINUTE_MS + MINUTE_MS
    : Math.floor(scanFrom / MINUTE_MS) * MINUTE_MS;
  const until = context.now.getTime() - params.maxAgeSeconds * 1000;
  const waiting =
    from < until
      ? (await context.acceptedCounts.between(new Date(from), new Date(until))).reduce(
          (s, c) => s + c.accepted,
          0,
        )
      : 0;
  if (waiting === 0) {
    return { ...base, status: 'pass', detail: `${since}; idle: the collector accepted nothing since` };
  }
  return {
    ...base,
    status: 'fail',
    detail: `${since}; ${waiting} event(s) the collector accepted between ${new Date(from).toISOString()} and ${new Date(until).toISOString()} are not in raw`,
  };
};
