import { WriteKeyDocumentError } from './errors.ts';
import { locateJsonSyntaxError } from './json-syntax.ts';
import type { WriteKeyRecord } from './ports.ts';

/**
 * The write-key document both key-store adapters read (an SSM parameter on AWS, a JSON file
 * locally). Only digests are stored; rotating a key = add the new entry, move clients over, then
 * set `revoked: true` on the old one (or delete it).
 *
 * ```json
 * { "keys": [ { "source_id": "web", "key_sha256": "<64 hex>", "revoked": false } ] }
 * ```
 */
export interface WriteKeyDocument {
  readonly keys: readonly {
    readonly source_id: string;
    readonly key_sha256: string;
    readonly revoked?: boolean;
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
  keys.forEach((entry: unknown, i) => {
    if (!isObject(entry)) {
      problems.push(`keys[${i}] must be an object`);
      return;
    }
    const { source_id: sourceId, key_sha256: digest, revoked = false } = entry;
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
    if (problems.length === before) {
      records.set(normalised, { sourceId: (sourceId as string).trim(), revoked: revoked as boolean });
    }
  });
  if (problems.length > 0) throw new WriteKeyDocumentError(where, problems);
  return records;
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
