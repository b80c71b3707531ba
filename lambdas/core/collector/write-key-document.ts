import type { TrackingPlanMode } from '#core/contract/envelope.ts';
import { DEFAULT_TRACKING_PLAN } from '#core/contract/envelope.ts';
import { isTrackingPlanMode } from '#core/contract/tracking-plan.ts';
import { WriteKeyDocumentError } from './errors.ts';
import { locateJsonSyntaxError } from './json-syntax.ts';
import type { WriteKeyRecord } from './ports.ts';

/**
 * The write-key document both key-store adapters read (an SSM parameter on AWS, a JSON file
 * locally). Only digests are stored; rotating a key = add the new entry, move clients over, then
 * set `revoked: true` on the old one (or delete it).
 *
 * `tracking_plan` is the source's mode (docs/EVENTS.md, Tracking plans): `"allow"` accepts events whose
 * name has no schema, flagged unplanned; `"strict"` rejects them. An entry without it is
 * {@link DEFAULT_TRACKING_PLAN} (`allow`). Every entry of one source must come to the same mode, so
 * which of its keys a client uses never changes what is accepted.
 *
 * ```json
 * { "keys": [ { "source_id": "web", "key_sha256": "<64 hex>", "revoked": false, "tracking_plan": "strict" } ] }
 * ```
 */
export interface WriteKeyDocument {
  readonly keys: readonly {
    readonly source_id: string;
    readonly key_sha256: string;
    readonly revoked?: boolean;
    readonly tracking_plan?: TrackingPlanMode;
  }[];
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Parses and validates a write-key document into digest -> record. Throws WriteKeyDocumentError
 * listing every problem (`where` names the parameter or file). Digests are matched case-insensitively.
 */
export const parseWriteKeyDocument = (text: string, where: string): ReadonlyMap<string, WriteKeyRecord> => {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    // V8's message quotes the text, which may hold secrets pasted by mistake: give only the position.
    const at = locateJsonSyntaxError(text)?.index ?? 0;
    throw new WriteKeyDocumentError(where, [`not valid JSON (syntax error at character ${at})`]);
  }
  const keys = isObject(document) ? document.keys : undefined;
  if (!Array.isArray(keys))
    throw new WriteKeyDocumentError(where, ['expected an object with a "keys" array']);
  const problems: string[] = [];
  const records = new Map<string, WriteKeyRecord>();
  /** The first entry of each source, for the one-mode-per-source rule. */
  const modes = new Map<string, { readonly index: number; readonly mode: TrackingPlanMode }>();
  keys.forEach((entry: unknown, i) => {
    if (!isObject(entry)) {
      problems.push(`keys[${i}] must be an object`);
      return;
    }
    const {
      source_id: sourceId,
      key_sha256: digest,
      revoked = false,
      tracking_plan: trackingPlan = DEFAULT_TRACKING_PLAN,
    } = entry;
    const before = problems.length;
    if (typeof sourceId !== 'string' || sourceId.trim() === '') {
      problems.push(`keys[${i}].source_id must be a non-empty string`);
    }
    const normalised = typeof digest === 'string' ? digest.toLowerCase() : '';
    if (!SHA256_HEX.test(normalised)) {
      problems.push(
        `keys[${i}].key_sha256 must be 64 hex characters (sha256 of the key, never the key itself)`,
      );
    } else if (records.has(normalised)) {
      problems.push(`keys[${i}].key_sha256 appears more than once`);
    }
    if (typeof revoked !== 'boolean') problems.push(`keys[${i}].revoked must be a boolean when present`);
    const source = typeof sourceId === 'string' ? sourceId.trim() : '';
    const named = source === '' ? '' : ` (source ${JSON.stringify(source)})`;
    if (!isTrackingPlanMode(trackingPlan)) {
      problems.push(
        `keys[${i}]${named}: tracking_plan must be "allow" or "strict" when present, got ${shown(trackingPlan)}`,
      );
    } else if (source !== '') {
      const first = modes.get(source);
      if (first === undefined) modes.set(source, { index: i, mode: trackingPlan });
      else if (first.mode !== trackingPlan) {
        problems.push(
          `keys[${i}]${named}: tracking_plan is "${trackingPlan}" but keys[${first.index}] of the same source is "${first.mode}" ` +
            `(an entry without tracking_plan is "${DEFAULT_TRACKING_PLAN}"); a source has one mode, whichever key a client uses`,
        );
      }
    }
    if (problems.length === before) {
      records.set(normalised, {
        sourceId: source,
        revoked: revoked as boolean,
        trackingPlan: trackingPlan as TrackingPlanMode,
      });
    }
  });
  if (problems.length > 0) throw new WriteKeyDocumentError(where, problems);
  return records;
};

/**
 * A bad mode as the message shows it: a short string quoted (a typo such as "Allow" is then plain to
 * see), anything else by its type, so a secret pasted in by mistake is not repeated in logs.
 */
const shown = (value: unknown): string =>
  typeof value === 'string' && value.length <= 16 && /^[\w -]*$/.test(value)
    ? JSON.stringify(value)
    : typeof value === 'string'
      ? 'another string'
      : value === null
        ? 'null'
        : Array.isArray(value)
          ? 'an array'
          : `a ${typeof value}`;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
