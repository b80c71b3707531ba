/**
 * The string literals of a JSON text, decoded, in order; also for text that is not valid JSON (a
 * rejected record may be truncated or malformed), where it reads every `"..."` it can delimit. Used to
 * find an id as a whole JSON string value: `"u-12"` is a token, `"u-123"` and `"see u-12"` are not.
 */
export function* jsonStringTokens(text: string): Generator<string> {
  let i = text.indexOf('"');
  while (i >= 0 && i < text.length) {
    let j = i + 1;
    let escaped = false;
    while (j < text.length && text[j] !== '"') {
      if (text[j] === '\\') {
        escaped = true;
        j += 2;
      } else {
        j += 1;
      }
    }
    if (j >= text.length) return;
    const body = text.slice(i + 1, j);
    yield escaped ? decode(body) : body;
    i = text.indexOf('"', j + 1);
  }
}

const decode = (body: string): string => {
  try {
    return JSON.parse(`"${body}"`) as string;
  } catch {
    return body;
  }
};

/** Every string in a parsed JSON value, object keys included (an id used as a key is still the id). */
export function* jsonStrings(value: unknown): Generator<string> {
  if (typeof value === 'string') {
    yield value;
  } else if (Array.isArray(value)) {
    for (const item of value) yield* jsonStrings(item);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      yield key;
      yield* jsonStrings(item);
    }
  }
}
