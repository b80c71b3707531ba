/**
 * Finding a value in parsed JSON by a test on its leaves. Used only to explain a rejection the
 * text already hinted at (a cheap pre-filter runs first), so it may allocate; it is iterative, so
 * no nesting overflows the call stack.
 */

/** A string value, an object key, or a number: what a {@link LeafTest} is asked about. */
export type JsonLeaf = string | number;

/** True for a leaf that makes the value unacceptable. Keys are passed as strings. */
export type LeafTest = (leaf: JsonLeaf) => boolean;

interface Visit {
  readonly value: unknown;
  readonly at: string;
  /** The key the value sits under (tested before the value), absent for array items and the root. */
  readonly key?: string;
}

/**
 * JSON pointer (RFC 6901) of the first leaf, in document order, that `bad` holds for: a key's
 * pointer is that of the value under it. `prefix` is put before every pointer. Null when none.
 */
export const findLeaf = (root: unknown, bad: LeafTest, prefix = ''): string | null => {
  const stack: Visit[] = [{ value: root, at: prefix }];
  for (let visit = stack.pop(); visit !== undefined; visit = stack.pop()) {
    const { value, at, key } = visit;
    if (key !== undefined && bad(key)) return at;
    if (typeof value === 'string' || typeof value === 'number') {
      if (bad(value)) return at;
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], at: `${at}/${i}` });
    } else if (typeof value === 'object' && value !== null) {
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) {
        const name = keys[i]!;
        stack.push({
          value: (value as Record<string, unknown>)[name],
          at: `${at}/${escapePointer(name)}`,
          key: name,
        });
      }
    }
  }
  return null;
};

/** A key as a JSON pointer token: `~` and `/` escaped. */
export const escapePointer = (key: string): string =>
  key.includes('~') || key.includes('/') ? key.replace(/~/g, '~0').replace(/\//g, '~1') : key;
