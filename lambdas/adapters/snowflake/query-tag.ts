/**
 * QUERY_TAG values the adapter sends: `tally:<stage>` for the process, `tally:<stage>:<model>` for a model's
 * statements. Restricted to a plain alphabet so tags stay easy to filter on in QUERY_HISTORY.
 */

/** Snowflake accepts up to 2000 characters; the adapter keeps well below so suffixes always fit. */
export const MAX_QUERY_TAG_LENGTH = 1000;

const QUERY_TAG = /^[A-Za-z0-9_.:/@=-]+$/;

/** Why `tag` is not a valid query tag, or undefined when it is. */
export const queryTagProblem = (tag: string): string | undefined => {
  if (tag.length === 0) return 'is empty';
  if (tag.length > MAX_QUERY_TAG_LENGTH) return `is longer than ${MAX_QUERY_TAG_LENGTH} characters`;
  if (!QUERY_TAG.test(tag)) return 'may only contain letters, digits and _ . : / @ = -';
  return undefined;
};

/** `base:suffix`, validated; throws a RangeError naming the bad suffix (a programming error, not config). */
export const appendQueryTag = (base: string, suffix: string): string => {
  const tag = `${base}:${suffix}`;
  const problem = queryTagProblem(suffix) ?? queryTagProblem(tag);
  if (problem !== undefined) throw new RangeError(`query tag suffix ${JSON.stringify(suffix)} ${problem}`);
  return tag;
};
