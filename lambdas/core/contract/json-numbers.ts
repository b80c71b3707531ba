import type { RejectReason } from './envelope.ts';
import { findLeaf } from './json-walk.ts';

/**
 * Number literals beyond the range of a double (`1e400`, `-2e308`, 400 digits) are valid JSON, but
 * JavaScript reads them as ±Infinity, which `JSON.stringify` writes as `null`: the event would no
 * longer say what the client sent (a time silently absent, a payload saying `null`). The collector,
 * which reads the client's text and serialises each event for the stream, rejects such events
 * (NUMBER_OUT_OF_RANGE), so no record holds one. Tiny literals (`1e-400`) read as 0 and are kept.
 *
 * A literal reaches ±Infinity (about 1.8e308) only with an exponent of three or more digits, or
 * with {@link RUN} or more digits before its exponent (two exponent digits add at most 99 places
 * to the 209 of a 210-digit number). The text checks below look for either, never miss one, and
 * may flag a text that holds none; the parsed value decides ({@link findNonFiniteNumber}).
 */

/** Digits before the exponent that can reach ±Infinity without a three-digit exponent. */
const RUN = 210;
/** Half of {@link RUN}: a run of RUN digits covers two positions STRIDE apart that are multiples of STRIDE. */
const STRIDE = RUN / 2;

const isDigit = (text: string, at: number): boolean => (text.charCodeAt(at) - 48) >>> 0 <= 9;

/** Whether the text right after an `e`/`E` at `at - 1` is an exponent of three or more digits (`400`, `+0400`). */
export const isLongExponent = (text: string, at: number): boolean => {
  const start = text.charCodeAt(at) === 43 /* + */ ? at + 1 : at;
  return isDigit(text, start) && isDigit(text, start + 1) && isDigit(text, start + 2);
};

/** Whether the text has {@link RUN} digits in a row. Looks at every STRIDE-th character first, so it costs little. */
export const hasLongDigitRun = (text: string): boolean => {
  for (let at = STRIDE; at < text.length; at += STRIDE) {
    if (!isDigit(text, at) || !isDigit(text, at - STRIDE)) continue;
    let start = at - STRIDE;
    while (start > 0 && isDigit(text, start - 1)) start--;
    let end = at;
    while (isDigit(text, end + 1)) end++;
    if (end - start + 1 >= RUN) return true;
  }
  return false;
};

const nonFinite = (leaf: string | number): boolean => typeof leaf === 'number' && !Number.isFinite(leaf);

/**
 * JSON pointer of the first number of a parsed JSON value that is ±Infinity (or NaN), or null.
 * `prefix` goes before the pointer (`/batch/context` for the batch-level Segment context).
 */
export const findNonFiniteNumber = (value: unknown, prefix = ''): string | null =>
  findLeaf(value, nonFinite, prefix);

/** The reject reason for a number at `path` that reads as ±Infinity. */
export const numberOutOfRange = (path: string): RejectReason & { readonly path: string } => ({
  code: 'NUMBER_OUT_OF_RANGE',
  message: `${path} is a number beyond the range of a 64-bit float (about 1.8e308): it reads as Infinity`,
  path,
});
