/** Writing times: every time the pipeline emits is `toISOString` text (ISO-8601 UTC, milliseconds). */

const PAD2 = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));
/** 10000-01-01T00:00:00Z: beyond it `toISOString` switches to six-digit years. */
const YEAR_10000_MS = 253_402_300_800_000;

/**
 * ISO-8601 UTC with milliseconds (`toISOString` text), the one time format every output
 * uses. Years 1970 to 9999 are formatted by integer arithmetic, several times faster than
 * `Date#toISOString`, which matters at one to three calls per event; other times fall back to it.
 */
export const formatTime = (ms: number): string => {
  if (!(ms >= 0 && ms < YEAR_10000_MS)) return new Date(ms).toISOString();
  const days = Math.floor(ms / 86_400_000);
  let rest = ms - days * 86_400_000;
  if (days !== cachedDays) {
    cachedDays = days;
    cachedPrefix = datePrefix(days);
  }
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  return `${cachedPrefix}${PAD2[hour]}:${PAD2[minute]}:${PAD2[second]}.${PAD3[rest - second * 1000]}Z`;
};

/** The day last formatted (days since the epoch) and its `YYYY-MM-DDT` text: times of one batch share a day. */
let cachedDays = -1;
let cachedPrefix = '';

/** `YYYY-MM-DDT` of a day number, by Howard Hinnant's days-to-civil algorithm. */
const datePrefix = (days: number): string => {
  const shifted = days + 719_468; // days since 0000-03-01
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${year}-${PAD2[month]}-${PAD2[day]}T`;
};

/**
 * The ISO text of a client time that `parseClientTime` accepted: the client's own
 * string when it already is `toISOString` text (most SDKs send exactly that), formatted otherwise.
 */
export const canonicalTimeText = (value: unknown, ms: number): string =>
  typeof value === 'string' &&
  value.length === 24 &&
  value.charCodeAt(10) === 84 /* T */ &&
  value.charCodeAt(19) === 46 /* . */ &&
  value.charCodeAt(23) === 90 /* Z */
    ? value
    : formatTime(ms);
