/** UTC date and timestamp helpers shared by the loader and the model runner. */

const DAY_MS = 86_400_000;

/** ISO-8601 date-time with a zone (`Z` or `+hh:mm`), as the contract writes timestamps. */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Parses a contract timestamp; null when it is not ISO-8601 with a zone. */
export const parseIsoTimestamp = (text: string): Date | null => {
  if (!ISO_WITH_ZONE.test(text)) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
};

/** `YYYY-MM-DD HH:MM:SS.mmm` in UTC: how timestamps are bound as parameters (both dialects cast it). */
export const toSqlTimestamp = (date: Date): string => date.toISOString().replace('T', ' ').replace('Z', '');

/** `YYYY-MM-DD` of the UTC day. */
export const toSqlDate = (date: Date): string => date.toISOString().slice(0, 10);

/** Parses `YYYY-MM-DD` as a UTC midnight; null when malformed or not a real day. */
export const parseSqlDate = (text: string): Date | null => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const date = new Date(`${text}T00:00:00.000Z`);
  return Number.isNaN(date.getTime()) || toSqlDate(date) !== text ? null : date;
};

export const addDays = (date: Date, days: number): Date => new Date(date.getTime() + days * DAY_MS);

export const addMinutes = (date: Date, minutes: number): Date => new Date(date.getTime() + minutes * 60_000);

/** UTC midnight of the day holding `date`. */
export const startOfDay = (date: Date): Date => new Date(Math.floor(date.getTime() / DAY_MS) * DAY_MS);

/** Monday (UTC midnight) of the ISO week holding `date`. */
export const isoWeekStart = (date: Date): Date => {
  const day = startOfDay(date);
  const isoDow = ((day.getUTCDay() + 6) % 7) + 1;
  return addDays(day, 1 - isoDow);
};
