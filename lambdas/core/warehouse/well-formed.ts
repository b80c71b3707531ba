// one definition of a lone surrogate and its repair, the validator's
import { wellFormed } from '../contract/unicode.ts';

/**
 * Text the warehouses can store. A JavaScript string may hold a lone UTF-16 surrogate (half of a pair,
 * e.g. from `"\ud800"` in a client's JSON); UTF-8 cannot encode one. DuckDB's JSON reader refuses the
 * escape (`no low surrogate in string`) and fails the whole statement, so one client-derived string
 * would wedge every writer that sends rows as JSON text. Plain string parameters are safe already
 * (drivers encode a lone surrogate as U+FFFD); JSON text needs its escapes mended too.
 */

const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
/**
 * In JSON text: an escaped backslash (kept, so `\\ud800` stays the six characters it stands for), an
 * escaped pair (kept), or a lone escaped surrogate (mended).
 */
const JSON_ESCAPE =
  /\\\\|\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|\\u[dD][89a-fA-F][0-9a-fA-F]{2}/g;

/**
 * JSON text a warehouse's JSON parser accepts: lone surrogates, raw or escaped (`\ud800`, as
 * `JSON.stringify` writes them), become U+FFFD. Anything else is unchanged.
 */
export const wellFormedJson = (json: string): string => {
  const text = wellFormed(json);
  return SURROGATE_ESCAPE.test(text)
    ? text.replace(JSON_ESCAPE, (match) => (match.length === 6 ? '\\ufffd' : match))
    : text;
};
