const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const MINUTES_PER_UNIT: Readonly<Record<string, number>> = {
  minute: 1,
  minutes: 1,
  hour: 60,
  hours: 60,
  day: 1440,
  days: 1440,
};

/**
 * Minutes between two runs of a Scheduler `rate(...)` expression; undefined for a `cron(...)` or
 * anything else (their spacing varies, so no alarm period can follow them).
 */
export const rateMinutes = (expression: string): number | undefined => {
  const match = RATE.exec(expression);
  if (match === null) return undefined;
  return Number(match[1]) * (MINUTES_PER_UNIT[match[2]!] ?? Number.NaN);
};
