import { hasLongDigitRun, isLongExponent } from '#core/contract/json-numbers.ts';
import { MalformedJsonError, NestingTooDeepError, UnsupportedContentTypeError } from './errors.ts';
import { locateJsonSyntaxError } from './json-syntax.ts';
import { ACCEPTED_CONTENT_TYPES, type BodyText } from './request-body.ts';

export interface ParsedBody {
  readonly value: unknown;
  /** Deepest object/array nesting in the body (`{}` is 1, a scalar 0). */
  readonly depth: number;
  /**
   * Whether a number literal may have read as ±Infinity (json-numbers.ts): false guarantees none did,
   * so only then do the events need a look (serialising writes such a number as `null`).
   */
  readonly mayHoldNonFiniteNumber: boolean;
}

/**
 * Parses the body text as JSON. Nesting is measured first, on the text, so a deeply nested
 * payload is refused (NestingTooDeepError) before any parser or serialiser recurses into it.
 * Syntax errors are located by byte offset (from the start of the inflated body), line and column;
 * in a body whose Content-Type did not declare JSON (gzip, read anyway) they mean "not JSON": 415.
 */
export const parseJsonBody = (body: BodyText, maxDepth: number): ParsedBody => {
  const { text } = body;
  const scan = measureDepth(text, maxDepth, (index) => bytePosition(body, index));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    if (body.undeclared !== undefined) {
      throw new UnsupportedContentTypeError(body.undeclared, ACCEPTED_CONTENT_TYPES, 'not JSON');
    }
    const located = locateJsonSyntaxError(text) ?? { index: 0, problem: 'invalid JSON' };
    const { line, column } = lineAndColumn(text, located.index);
    throw new MalformedJsonError(located.problem, bytePosition(body, located.index), line, column);
  }
  return {
    value,
    depth: scan.deepest,
    mayHoldNonFiniteNumber: scan.longExponent || hasLongDigitRun(text),
  };
};

/** Throws NestingTooDeepError (with the byte position) when the body nests deeper than `limit`. */
export const assertNestingDepth = (body: BodyText, limit: number): void => {
  measureDepth(body.text, limit, (index) => bytePosition(body, index));
};

/**
 * Maximum bracket depth outside strings, and whether a number outside strings has an exponent of three
 * or more digits (an `e` outside strings is otherwise in `true` or `false`); throws as soon as the
 * depth passes `limit`.
 */
const measureDepth = (
  text: string,
  limit: number,
  position: (index: number) => number,
): { deepest: number; longExponent: boolean } => {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  let longExponent = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c) i++;
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x7b || code === 0x5b) {
      depth++;
      if (depth > limit) throw new NestingTooDeepError(limit, position(i));
      if (depth > deepest) deepest = depth;
    } else if (code === 0x7d || code === 0x5d) {
      depth--;
    } else if ((code === 0x65 || code === 0x45) && !longExponent) {
      longExponent = isLongExponent(text, i + 1);
    }
  }
  return { deepest, longExponent };
};

const bytePosition = (body: BodyText, index: number): number =>
  body.offsetBytes + Buffer.byteLength(body.text.slice(0, index), 'utf8');

const lineAndColumn = (text: string, index: number): { line: number; column: number } => {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: index - lineStart + 1 };
};
