import type { Range } from './controls.ts';

const HOUR_MS = 3_600_000;

/**
 * Every period of a range at an hour or day grain, named as the API names them (`2026-03-09T00:00:00.000Z`),
 * so a trend shows the whole range: a period without a run or an event is a gap, not a missing tick.
 */
export const periodsOf = (range: Range, grain: string): string[] => {
  const start = Date.parse(`${range.from}T00:00:00Z`);
  const end = Date.parse(`${range.to}T00:00:00Z`) + 24 * HOUR_MS;
  const step = grain === 'hour' ? HOUR_MS : 24 * HOUR_MS;
  const out: string[] = [];
  for (let t = start; t < end; t += step) out.push(new Date(t).toISOString());
  return out;
};

/** Rows for each period of the axis: the API's row for it, or `empty(period)`. */
export const onAxis = <T extends { period: string }>(
  axis: readonly string[],
  rows: readonly T[],
  empty: (period: string) => T,
): T[] => {
  const byPeriod = new Map(rows.map((r) => [r.period, r]));
  return axis.map((period) => byPeriod.get(period) ?? empty(period));
};
