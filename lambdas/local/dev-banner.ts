/** What the banner of `tally dev` names. */
export interface DevBannerFacts {
  /** Collector endpoint, e.g. `http://127.0.0.1:4318`. */
  readonly url: string;
  /** The write key of source "local". */
  readonly key: string;
  readonly plainWriteKeysFile: string;
  readonly stateRoot: string;
}

/**
 * The lines `tally dev` prints once the stack is up. The `try` line is a command to paste as is:
 * the collector refuses a body without a JSON Content-Type (415), so the command sends one, and
 * test/docs/curl-examples.test.ts runs it against a real stack to keep it that way.
 */
export const devBanner = (facts: DevBannerFacts): string[] => [
  'Tally local mode is up',
  `  collector   ${facts.url}  (POST /v1/events, Segment /v1/batch /v1/track ...)`,
  `  write key   ${facts.key}  (source "local"; all keys in ${facts.plainWriteKeysFile})`,
  `  state       ${facts.stateRoot}`,
  `  try         curl -s ${facts.url}/v1/events -H 'X-Tally-Write-Key: ${facts.key}' -H 'Content-Type: application/json' \\`,
  `                -d '{"event_name":"feature_used","user_id":"u1","workspace_id":"w1","feature_id":"editor.comments.mention"}'`,
  '  read        npx tally report usage   |   npx tally query "SELECT ..."   |   npx tally status',
];
