import { jsonStrings, jsonStringTokens } from './json-tokens.ts';
import type { ErasureSubject } from './subject.ts';

/** Why a line belongs to the subject: its identity fields, or only the id appearing as a string value elsewhere. */
export type MatchKind = 'identity' | 'mention';

/** What the matcher says of one NDJSON line of the raw bucket. */
export type LineVerdict =
  | { readonly match: false }
  | {
      readonly match: true;
      readonly by: MatchKind;
      /** The event's dedup_key (validated lines), so the warehouse can find a mention-only row. */
      readonly dedupKey: string | null;
      /** The line's anonymous_id when the line carries the user id: an anonymous id linked to the user. */
      readonly linkedAnonymousId: string | null;
    };

const NO_MATCH: LineVerdict = { match: false };
type Obj = Record<string, unknown>;

const parseObject = (text: string): Obj | null => {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : null;
  } catch {
    return null;
  }
};

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * Decides which lines of `events/` (ValidatedLine) and `rejected/` (RejectedLine) objects hold the
 * subject's data. Ids match as whole JSON string values only, so erasing `u-12` never touches `u-123`.
 *
 * A validated line matches when its `user_id` is the user (identity), when it has no user_id and its
 * `anonymous_id` is linked to the user (identity), or when the user id appears as any string value of
 * the line, payload included (mention: personal data of the user inside another event, removed whole).
 * A rejected line matches when its `user_id` is the user, or when its original record text holds the user
 * id (or, without a parsed user, a linked anonymous id) as a JSON string token. With a workspace scope,
 * lines of another workspace never match; a rejected line whose workspace is unknown does (privacy first).
 */
export class SubjectMatcher {
  private readonly userId: string;
  private readonly anonymous: ReadonlySet<string>;
  private readonly scope: string | null;
  private readonly needles: readonly string[];
  private readonly prefilter: boolean;

  constructor(subject: ErasureSubject) {
    this.userId = subject.userId;
    this.anonymous = new Set(subject.anonymousIds);
    this.scope = subject.workspaceId;
    this.needles = [subject.userId, ...subject.anonymousIds];
    // Ids that JSON writes as they are can be looked for as plain text before parsing a line.
    this.prefilter = this.needles.every((id) => JSON.stringify(id) === `"${id}"`);
  }

  /** A line of an `events/` object. */
  eventLine(text: string): LineVerdict {
    if (this.cannotHold(text)) return NO_MATCH;
    const line = parseObject(text);
    if (!line) return NO_MATCH;
    if (this.scope !== null && line.workspace_id !== this.scope) return NO_MATCH;
    const userId = str(line.user_id);
    const anonymousId = str(line.anonymous_id);
    const dedupKey = str(line.dedup_key);
    if (userId === this.userId)
      return { match: true, by: 'identity', dedupKey, linkedAnonymousId: anonymousId };
    if (userId === null && anonymousId !== null && this.anonymous.has(anonymousId)) {
      return { match: true, by: 'identity', dedupKey, linkedAnonymousId: null };
    }
    for (const value of jsonStrings(line)) {
      if (value === this.userId || (userId === null && this.anonymous.has(value))) {
        return { match: true, by: 'mention', dedupKey, linkedAnonymousId: null };
      }
    }
    return NO_MATCH;
  }

  /** A line of a `rejected/` object. */
  rejectedLine(text: string): LineVerdict {
    if (this.cannotHold(text)) return NO_MATCH;
    const line = parseObject(text);
    if (!line) return NO_MATCH;
    const workspaceId = str(line.workspace_id);
    if (this.scope !== null && workspaceId !== null && workspaceId !== this.scope) return NO_MATCH;
    const userId = str(line.user_id);
    if (userId === this.userId)
      return { match: true, by: 'identity', dedupKey: null, linkedAnonymousId: null };
    return this.recordHolds(line, userId === null)
      ? { match: true, by: 'mention', dedupKey: null, linkedAnonymousId: null }
      : NO_MATCH;
  }

  /** Whether a rejected row (raw.rejected_events columns) matches, by the same rule as {@link rejectedLine}. */
  rejectedRow(row: {
    readonly user_id: string | null;
    readonly workspace_id: string | null;
    readonly raw_record: string;
  }): boolean {
    if (this.scope !== null && row.workspace_id !== null && row.workspace_id !== this.scope) return false;
    if (row.user_id === this.userId) return true;
    return this.recordHolds({ raw_record: row.raw_record }, row.user_id === null);
  }

  private recordHolds(line: Obj, anonymousToo: boolean): boolean {
    const texts = [str(line.raw_record) ?? ''];
    const base64 = str(line.raw_record_base64);
    if (base64 !== null) texts.push(Buffer.from(base64, 'base64').toString('utf8'));
    for (const text of texts) {
      for (const token of jsonStringTokens(text)) {
        if (token === this.userId || (anonymousToo && this.anonymous.has(token))) return true;
      }
    }
    return false;
  }

  /** True when the line cannot hold any of the ids, without parsing it. */
  private cannotHold(text: string): boolean {
    if (!this.prefilter || text.includes('\\u') || text.includes('"raw_record_base64"')) return false;
    return !this.needles.some((id) => text.includes(id));
  }
}
