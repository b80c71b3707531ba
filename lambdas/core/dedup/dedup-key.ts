import { hash } from 'node:crypto';
import { stableStringify } from './stable-json.ts';

/**
 * Version of the dedup key algorithm, recorded in every row's lineage. Change it (and keep
 * the old code path for replays) whenever the key of an unchanged event would change.
 */
export const DEDUP_ALGO = 'v1';

/** Hex characters kept of the SHA-256 digest: 128 bits, collision-free in practice at any scale we meet. */
export const DEDUP_KEY_LENGTH = 32;

/** Length-prefixed parts: unambiguous however the parts themselves are spelt (the last part runs to the end). */
const frame = (part: string): string => `${part.length}:${part}`;

/** Events of a batch share their source: its framed prefix is built once, not per event. */
let lastSource = '';
let lastIdPrefix = `${DEDUP_ALGO}|id|0:|`;
const idPrefix = (sourceId: string): string => {
  if (sourceId !== lastSource) {
    lastSource = sourceId;
    lastIdPrefix = `${DEDUP_ALGO}|id|${frame(sourceId)}|`;
  }
  return lastIdPrefix;
};

const digest = (text: string): string => hash('sha256', text, 'hex').slice(0, DEDUP_KEY_LENGTH);

/**
 * The key of an event that carries a client event id (Segment `messageId`): SDKs keep the
 * id across retries, so every retry of the event gets this same key. Scoped by source and
 * workspace so two sources reusing an id never collide.
 */
export const eventIdDedupKey = (sourceId: string, workspaceId: string | null, eventId: string): string =>
  digest(`${idPrefix(sourceId)}${frame(workspaceId ?? '')}|${eventId}`);

/**
 * What an event without an id is recognised by: its content as the client wrote it. Nothing
 * that changes when a client retries belongs here: not `sent_at`, `received_at`, request
 * ids, nor `context` (transport details such as the library version or IP address).
 */
export interface DedupContent {
  readonly event_name: string;
  /** Client event time, normalised to ISO-8601 UTC (so epoch ms and ISO spellings agree). */
  readonly occurred_at: string | null;
  readonly user_id: string | null;
  readonly anonymous_id: string | null;
  readonly workspace_id: string | null;
  /** The feature as the client named it, before alias resolution (catalog edits must not re-key events). */
  readonly feature: string | null;
  readonly name: string | null;
  readonly previous_id: string | null;
  readonly properties: unknown;
  readonly traits: unknown;
}

/**
 * The key of an event without an event id: a hash of its canonical content, with object
 * keys sorted so key order does not matter. Two events identical in all of
 * {@link DedupContent} are treated as one; SDKs should send an event id (or at least a
 * client timestamp) to tell repeats from retries.
 */
export const contentDedupKey = (sourceId: string, content: DedupContent): string =>
  digest(
    `${DEDUP_ALGO}|content|${frame(sourceId)}|${stableStringify([
      content.event_name,
      content.occurred_at,
      content.user_id,
      content.anonymous_id,
      content.workspace_id,
      content.feature,
      content.name,
      content.previous_id,
      content.properties,
      content.traits,
    ])}`,
  );
