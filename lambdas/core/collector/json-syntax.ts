/**
 * Locates the first JSON syntax error in a text. V8's JSON.parse messages do not always carry a
 * position ("Unexpected end of JSON input"), so the collector runs this checker, only after
 * JSON.parse has failed, to tell the client exactly where its body broke. Iterative (an explicit
 * stack), so no input can overflow the call stack.
 */

export interface JsonSyntaxProblem {
  /** UTF-16 index into the text. */
  readonly index: number;
  readonly problem: string;
}

type Mode = 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'colon' | 'commaOrClose' | 'end';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;

/** The first syntax problem, or undefined when the text is valid JSON. */
export const locateJsonSyntaxError = (text: string): JsonSyntaxProblem | undefined => {
  const n = text.length;
  const stack: string[] = [];
  let mode: Mode = 'value';
  let i = 0;
  const afterValue = (): Mode => (stack.length === 0 ? 'end' : 'commaOrClose');
  /** Steps over the bracket that closes the innermost container. */
  const close = (): Mode => {
    stack.pop();
    i++;
    return afterValue();
  };
  const fail = (index: number, problem: string): JsonSyntaxProblem => ({ index, problem });

  for (;;) {
    while (i < n && isWhitespace(text.charCodeAt(i))) i++;
    if (i >= n) return mode === 'end' ? undefined : fail(n, 'unexpected end of input');
    const ch = text[i] as string;
    switch (mode) {
      case 'end':
        return fail(i, `unexpected ${describe(text, i)} after the JSON value`);
      case 'value':
      case 'valueOrClose': {
        if (mode === 'valueOrClose' && ch === ']') {
          mode = close();
        } else if (ch === '{') {
          stack.push('}');
          i++;
          mode = 'keyOrClose';
        } else if (ch === '[') {
          stack.push(']');
          i++;
          mode = 'valueOrClose';
        } else if (ch === '"') {
          const end = scanString(text, i);
          if (typeof end !== 'number') return end;
          i = end;
          mode = afterValue();
        } else if (ch === '-' || (ch >= '0' && ch <= '9')) {
          NUMBER.lastIndex = i;
          const match = NUMBER.exec(text);
          if (match === null) return fail(i, 'invalid number');
          i += match[0].length;
          mode = afterValue();
        } else {
          const literal = ['true', 'false', 'null'].find((l) => text.startsWith(l, i));
          if (literal === undefined) return fail(i, `unexpected ${describe(text, i)}; expected a value`);
          i += literal.length;
          mode = afterValue();
        }
        break;
      }
      case 'key':
      case 'keyOrClose': {
        if (mode === 'keyOrClose' && ch === '}') {
          mode = close();
        } else if (ch === '"') {
          const end = scanString(text, i);
          if (typeof end !== 'number') return end;
          i = end;
          mode = 'colon';
        } else {
          return fail(i, `unexpected ${describe(text, i)}; expected a property name in double quotes`);
        }
        break;
      }
      case 'colon':
        if (ch !== ':')
          return fail(i, `unexpected ${describe(text, i)}; expected ':' after the property name`);
        i++;
        mode = 'value';
        break;
      case 'commaOrClose': {
        const closing = stack[stack.length - 1] as string;
        if (ch === ',') {
          i++;
          mode = closing === '}' ? 'key' : 'value';
        } else if (ch === closing) {
          mode = close();
        } else {
          return fail(i, `unexpected ${describe(text, i)}; expected ',' or '${closing}'`);
        }
        break;
      }
    }
  }
};

/** Index after the closing quote of the string starting at `start`, or the problem inside it. */
const scanString = (text: string, start: number): number | JsonSyntaxProblem => {
  let j = start + 1;
  for (;;) {
    if (j >= text.length) return { index: text.length, problem: 'unterminated string' };
    const code = text.charCodeAt(j);
    if (code === 0x22) return j + 1;
    if (code < 0x20) return { index: j, problem: 'unescaped control character in string' };
    if (code === 0x5c) {
      const next = text[j + 1];
      if (next !== undefined && '"\\/bfnrt'.includes(next)) j += 2;
      else if (next === 'u' && HEX4.test(text.slice(j + 2, j + 6))) j += 6;
      else return { index: j, problem: 'invalid escape sequence in string' };
    } else {
      j++;
    }
  }
};

const isWhitespace = (code: number): boolean =>
  code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;

/** Names one character without echoing more of the client's content. */
const describe = (text: string, i: number): string => {
  const code = text.codePointAt(i) ?? 0;
  return code >= 0x21 && code <= 0x7e
    ? `character '${String.fromCodePoint(code)}'`
    : `character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
};
