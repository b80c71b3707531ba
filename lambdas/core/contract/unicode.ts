import { findLeaf } from './json-walk.ts';

/**
 * Well-formed Unicode in what the pipeline writes. A string holding a lone UTF-16 surrogate (a
 * high one not followed by a low one, or a low one alone) cannot be written as UTF-8; JSON text
 * can still spell it as an escape (`"\ud800"`), and DuckDB's JSON reader refuses such text ("no
 * low surrogate in string"), failing the whole file it sits in. So events holding one are
 * rejected (INVALID_UNICODE), and every string a rejected line carries is made well-formed.
 *
 * Records reach the validator as UTF-8 bytes decoded to text, which cannot hold a lone surrogate
 * as such (an invalid byte sequence decodes to U+FFFD, and undecodable records keep their bytes
 * in `raw_record_base64`): only an escape in the JSON text can make one, so text without a
 * backslash needs no look.
 */

/** `String#isWellFormed` / `toWellFormed` (ES2024): Node 20 has them; the project's `lib` is ES2023. */
interface WellFormedText {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/** Whether a string holds no lone surrogate. */
export const isWellFormed = (text: string): boolean => (text as unknown as WellFormedText).isWellFormed();

/** The string with each lone surrogate replaced by U+FFFD; the same string when it has none. */
export const wellFormed = (text: string): string =>
  isWellFormed(text) ? text : (text as unknown as WellFormedText).toWellFormed();

/** A `\u` escape of a surrogate (D800 to DFFF), in either case. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/**
 * Whether JSON text may spell a lone surrogate: it has an escaped surrogate (paired or not, or a
 * backslash that only looks like one). Cheap; {@link findLoneSurrogate} decides on the parsed value.
 *
 * @param hasBackslash whether the text has a backslash at all (the caller usually knows already)
 */
export const mayHoldLoneSurrogate = (text: string, hasBackslash: boolean): boolean =>
  hasBackslash && SURROGATE_ESCAPE.test(text);

const notWellFormed = (leaf: string | number): boolean => typeof leaf === 'string' && !isWellFormed(leaf);

/**
 * JSON pointer of the first string value or key of a parsed JSON value that holds a lone surrogate,
 * or null. `prefix` goes before the pointer (`/batch/context` for the batch-level Segment context).
 */
export const findLoneSurrogate = (value: unknown, prefix = ''): string | null =>
  findLeaf(value, notWellFormed, prefix);

/**
 * `JSON.stringify` replacer that writes every string value well-formed (keys are the caller's
 * own). For lines that carry what is known of a rejected event: whatever the event held, the line
 * must load.
 */
export const wellFormedStrings = (_key: string, value: unknown): unknown =>
  typeof value === 'string' ? wellFormed(value) : value;
