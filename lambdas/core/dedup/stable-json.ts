/**
 * JSON text with object keys in sorted order at every level, so two parses of the same
 * content, whatever their key order, give the same text. Input is parsed JSON (the caller
 * has already bounded its depth); like JSON.stringify, undefined members are skipped.
 */
export const stableStringify = (value: unknown): string => {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += value[i] === undefined ? 'null' : stableStringify(value[i]);
    }
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = object[key];
    if (member === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(key)}:${stableStringify(member)}`;
  }
  return `${out}}`;
};
