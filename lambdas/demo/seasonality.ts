/**
 * How busy a B2B product is at a given moment, relative to its weekly average (1.0): a
 * working-hours curve over the UTC day (customers mostly in Europe and the Americas, peak
 * in the early afternoon UTC, trough at night) and quiet weekends.
 */
const HOURLY = [
  0.25, 0.2, 0.18, 0.18, 0.22, 0.35, 0.6, 0.95, 1.3, 1.55, 1.7, 1.75, 1.75, 1.85, 1.95, 1.9, 1.7, 1.45, 1.15,
  0.9, 0.7, 0.55, 0.42, 0.32,
] as const;
/** Sunday first, as `Date.getUTCDay()` counts. */
const WEEKDAY = [0.3, 1.12, 1.15, 1.15, 1.12, 1.0, 0.35] as const;

const HOURLY_MEAN = HOURLY.reduce((s, v) => s + v, 0) / HOURLY.length;
const WEEKDAY_MEAN = WEEKDAY.reduce((s, v) => s + v, 0) / WEEKDAY.length;

/** Activity at `ms` (epoch milliseconds) relative to the weekly mean; averages 1.0 over a week. */
export const activityFactor = (ms: number): number => {
  const date = new Date(ms);
  const hour = date.getUTCHours();
  const minute = date.getUTCMinutes();
  // interpolate between hours so the curve has no steps
  const here = HOURLY[hour]!;
  const next = HOURLY[(hour + 1) % 24]!;
  const hourly = here + ((next - here) * minute) / 60;
  return (hourly / HOURLY_MEAN) * (WEEKDAY[date.getUTCDay()]! / WEEKDAY_MEAN);
};
