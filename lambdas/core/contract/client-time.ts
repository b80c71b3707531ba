/**
 * Client timestamps arrive as ISO-8601 strings or epoch milliseconds, depending on the SDK.
 * This parser is strict and allocation-free: `Date.parse` accepts implementation-specific
 * formats, rolls 30 February over into March and reads offset-less times in the host's
 * time zone, any of which would make a replay on another machine disagree.
 */

/** Largest magnitude a JavaScript Date can hold, in milliseconds. */
const MAX_DATE_MS = 8.64e15;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/**
 * Epoch milliseconds of a client time, or `NaN` when it cannot be read.
 *
 * Accepted: a finite number of epoch milliseconds (fractions truncated), or an ISO-8601
 * date-time `YYYY-MM-DD(T| )HH:MM[:SS[.fraction]][Z|±HH[:MM]]`. A date-time without an
 * offset is read as UTC, never as the host's local time. Call it only for present values
 * (`null`/`undefined` mean "absent" and are the caller's business).
 */
export const parseClientTime = (value: unknown): number => {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return Number.NaN;
    const ms = Math.trunc(value);
    return ms >= -MAX_DATE_MS && ms <= MAX_DATE_MS ? ms : Number.NaN;
  }
  if (typeof value === 'string') return parseIsoDateTime(value);
  return Number.NaN;
};

/**
 * The event's best time on the server's clock: `received - (sent - occurred)` removes the
 * device's clock offset when the client reported both its times; otherwise the client's
 * occurred time as is; otherwise the receipt time.
 */
export const deriveEventTime = (
  receivedMs: number,
  sentMs: number | null,
  occurredMs: number | null,
): number => {
  if (occurredMs === null) return receivedMs;
  if (sentMs === null) return occurredMs;
  return receivedMs - (sentMs - occurredMs);
};

const digit = (text: string, at: number): number => {
  const code = text.charCodeAt(at) - 48;
  return code >= 0 && code <= 9 ? code : -1;
};

/** Reads `count` digits at `at`, or -1 when any is missing. */
const digits = (text: string, at: number, count: number): number => {
  let value = 0;
  for (let i = 0; i < count; i++) {
    const d = digit(text, at + i);
    if (d < 0) return -1;
    value = value * 10 + d;
  }
  return value;
};

const isLeap = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/**
 * The last date (`YYYY-MM-DD`) parsed and its midnight in epoch ms. Events of one batch
 * share a day, so the date part is usually validated once per day, not once per event.
 */
let cachedDate = '';
let cachedDayMs = 0;

const parseIsoDateTime = (text: string): number => {
  const length = text.length;
  if (length < 16 || length > 40) return Number.NaN;
  let dayMs: number;
  if (cachedDate !== '' && text.startsWith(cachedDate)) {
    dayMs = cachedDayMs;
  } else {
    dayMs = parseDate(text);
    if (Number.isNaN(dayMs)) return dayMs;
    cachedDate = text.slice(0, 10);
    cachedDayMs = dayMs;
  }
  if (length === 24) {
    const fast = canonicalTimeOfDay(text);
    if (fast >= 0) return dayMs + fast;
  }
  const sep = text.charCodeAt(10);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  if (
    (sep !== 84 /* T */ && sep !== 116 /* t */ && sep !== 32) /* space */ ||
    hour < 0 ||
    hour > 23 ||
    text.charCodeAt(13) !== 58 /* : */ ||
    minute < 0 ||
    minute > 59
  ) {
    return Number.NaN;
  }

  let at = 16;
  let second = 0;
  let millis = 0;
  if (text.charCodeAt(at) === 58 /* : */) {
    second = digits(text, at + 1, 2);
    if (second < 0 || second > 59) return Number.NaN;
    at += 3;
    if (text.charCodeAt(at) === 46 /* . */ || text.charCodeAt(at) === 44 /* , */) {
      at++;
      const start = at;
      while (at < length && digit(text, at) >= 0) {
        // Only the first three fraction digits count; finer precision is truncated.
        if (at - start < 3) millis = millis * 10 + digit(text, at);
        at++;
      }
      const read = at - start;
      if (read === 0 || read > 9) return Number.NaN;
      if (read === 1) millis *= 100;
      else if (read === 2) millis *= 10;
    }
  }

  let offsetMinutes = 0;
  if (at < length) {
    const sign = text.charCodeAt(at);
    if (sign === 90 /* Z */ || sign === 122 /* z */) {
      at++;
    } else if (sign === 43 /* + */ || sign === 45 /* - */) {
      const offsetHours = digits(text, at + 1, 2);
      if (offsetHours < 0 || offsetHours > 23) return Number.NaN;
      at += 3;
      let offsetMins = 0;
      if (at < length) {
        if (text.charCodeAt(at) === 58) at++;
        offsetMins = digits(text, at, 2);
        if (offsetMins < 0 || offsetMins > 59) return Number.NaN;
        at += 2;
      }
      offsetMinutes = (offsetHours * 60 + offsetMins) * (sign === 43 ? 1 : -1);
    } else {
      return Number.NaN;
    }
  }
  if (at !== length) return Number.NaN;
  return dayMs + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + millis;
};

/**
 * Milliseconds into the day of `toISOString` text (`....-..-..THH:MM:SS.mmmZ`), the form
 * nearly every SDK sends, read at fixed positions; -1 when the text has another form (the
 * general parser then decides).
 */
const canonicalTimeOfDay = (text: string): number => {
  if (
    text.charCodeAt(10) !== 84 /* T */ ||
    text.charCodeAt(13) !== 58 /* : */ ||
    text.charCodeAt(16) !== 58 ||
    text.charCodeAt(19) !== 46 /* . */ ||
    text.charCodeAt(23) !== 90 /* Z */
  ) {
    return -1;
  }
  const h1 = text.charCodeAt(11) - 48;
  const h2 = text.charCodeAt(12) - 48;
  const m1 = text.charCodeAt(14) - 48;
  const m2 = text.charCodeAt(15) - 48;
  const s1 = text.charCodeAt(17) - 48;
  const s2 = text.charCodeAt(18) - 48;
  const f1 = text.charCodeAt(20) - 48;
  const f2 = text.charCodeAt(21) - 48;
  const f3 = text.charCodeAt(22) - 48;
  if (
    // Unsigned shift turns negatives into large numbers: one comparison checks each digit is 0..9.
    h1 >>> 0 > 2 ||
    h2 >>> 0 > 9 ||
    m1 >>> 0 > 5 ||
    m2 >>> 0 > 9 ||
    s1 >>> 0 > 5 ||
    s2 >>> 0 > 9 ||
    f1 >>> 0 > 9 ||
    f2 >>> 0 > 9 ||
    f3 >>> 0 > 9
  ) {
    return -1;
  }
  const hour = h1 * 10 + h2;
  if (hour > 23) return -1;
  return ((hour * 60 + m1 * 10 + m2) * 60 + s1 * 10 + s2) * 1000 + f1 * 100 + f2 * 10 + f3;
};

/** Midnight UTC of the `YYYY-MM-DD` that starts `text`, or NaN when it is not a real date. */
const parseDate = (text: string): number => {
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  if (
    year < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45
  ) {
    return Number.NaN;
  }
  const monthDays = month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
  if (day > monthDays) return Number.NaN;
  return daysFromCivil(year, month, day) * 86_400_000;
};

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days-from-civil). */
const daysFromCivil = (year: number, month: number, day: number): number => {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
};
