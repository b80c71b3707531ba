/**
 * Whether valid JSON text nests objects/arrays deeper than `maxDepth` (a top-level object
 * is depth 1). Works on the text so it costs no allocation: most events have fewer
 * brackets than the limit in total, which a few native `indexOf` calls prove; only the
 * rest are scanned character by character (skipping brackets inside strings).
 */
export const exceedsNestingDepth = (text: string, maxDepth: number): boolean => {
  if (countBracketsUpTo(text, maxDepth + 1) <= maxDepth) return false;
  return scanDepth(text, maxDepth);
};

const countBracketsUpTo = (text: string, limit: number): number => {
  let count = 0;
  let at = text.indexOf('{');
  while (at >= 0 && count < limit) {
    count++;
    at = text.indexOf('{', at + 1);
  }
  at = text.indexOf('[');
  while (at >= 0 && count < limit) {
    count++;
    at = text.indexOf('[', at + 1);
  }
  return count;
};

const scanDepth = (text: string, maxDepth: number): boolean => {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 92 /* \ */) i++;
      else if (code === 34 /* " */) inString = false;
    } else if (code === 34) {
      inString = true;
    } else if (code === 123 /* { */ || code === 91 /* [ */) {
      if (++depth > maxDepth) return true;
    } else if (code === 125 /* } */ || code === 93 /* ] */) {
      depth--;
    }
  }
  return false;
};
