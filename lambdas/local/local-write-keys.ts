import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '#adapters/local/atomic-file.ts';
import { hashWriteKey } from '#core/collector/write-key.ts';
import { parseWriteKeyDocument, type WriteKeyDocument } from '#core/collector/write-key-document.ts';
import { DEFAULT_TRACKING_PLAN, type TrackingPlanMode } from '#core/contract/envelope.ts';
import { DEMO_SOURCES, DEMO_TRACKING_PLAN } from '#demo/demo-sources.ts';
import { LocalStateError } from './errors.ts';

/** Plain write keys by source id, as local clients and the demo use them. */
export type PlainWriteKeys = Readonly<Record<string, string>>;

/**
 * The tracking plan a local source starts with: the demo's sources are strict (their workload expects
 * UNKNOWN_SCHEMA rejections, `demo-sources.ts`); any other source, `local` included, is new and gets
 * the default, `allow`.
 */
export const localTrackingPlan = (source: string): TrackingPlanMode =>
  (DEMO_SOURCES as readonly string[]).includes(source) ? DEMO_TRACKING_PLAN : DEFAULT_TRACKING_PLAN;

/**
 * Makes sure every source in `sources` has a write key: keeps the keys already issued, issues
 * new random ones for missing sources, and writes both files: the digest document the
 * collector reads (the same format as the SSM parameter, only hashes) and the plain keys
 * (local only, file mode 0600) so `tally dev` can print them and the demo can use them.
 *
 * Every entry of the digest document states its source's `tracking_plan`: the one the document
 * already gives (edit `.tally/write-keys.json` to change it; the collector reads the file on every
 * lookup), else `trackingPlanOf(source)`. A value that is no mode is kept as written and refused:
 * throws WriteKeyDocumentError naming the entry. A document from before tracking plans is rewritten once
 * with them, so the demo's sources stay strict there too; a `revoked` flag set by hand is kept.
 */
export const ensureLocalWriteKeys = async (
  digestFile: string,
  plainFile: string,
  sources: readonly string[],
  trackingPlanOf: (source: string) => TrackingPlanMode = localTrackingPlan,
): Promise<PlainWriteKeys> => {
  const existing = await readPlainKeys(plainFile);
  const keys: Record<string, string> = { ...existing };
  let changed = false;
  for (const source of sources) {
    if (keys[source] === undefined) {
      keys[source] = `wk_local_${source.replace(/[^a-z0-9]/gi, '')}_${randomBytes(12).toString('hex')}`;
      changed = true;
    }
  }
  if (changed || existing === null) {
    await writeFileAtomic(plainFile, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  }
  const { text: digestText, stated } = await readDigestEntries(digestFile);
  const document: WriteKeyDocument = {
    keys: Object.entries(keys).map(([source_id, key]) => {
      const before = stated.get(source_id);
      return {
        source_id,
        key_sha256: hashWriteKey(key),
        ...(before?.revoked === true ? { revoked: true } : {}),
        // kept as written, even a value that is no mode (refused below, naming the entry): choosing a
        // mode here would silently overrule the person who wrote it
        tracking_plan: (before?.trackingPlan ?? trackingPlanOf(source_id)) as TrackingPlanMode,
      };
    }),
  };
  const text = `${JSON.stringify(document, null, 2)}\n`;
  if (text !== digestText) await writeFileAtomic(digestFile, text);
  // a mode mistyped by hand stops the start with the collector's own message (WriteKeyDocumentError,
  // naming the entry), rather than a stack whose collector answers every request 503
  parseWriteKeyDocument(text, `in file ${digestFile}`);
  return keys;
};

interface StatedEntry {
  /** The entry's `tracking_plan` as written (undefined when absent). */
  readonly trackingPlan?: unknown;
  readonly revoked?: boolean;
}

/**
 * The digest document's text and what its entries state per source, read leniently: it is derived
 * from the plain keys and rewritten from them, so a missing or unreadable one just states nothing.
 */
const readDigestEntries = async (
  file: string,
): Promise<{ text: string | null; stated: ReadonlyMap<string, StatedEntry> }> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { text: null, stated: new Map() };
    throw error;
  }
  const stated = new Map<string, StatedEntry>();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { text, stated };
  }
  const entries = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(entries)) return { text, stated };
  for (const entry of entries as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { source_id: source, tracking_plan: plan, revoked } = entry as Record<string, unknown>;
    if (typeof source !== 'string' || stated.has(source)) continue;
    stated.set(source, {
      ...(plan === undefined ? {} : { trackingPlan: plan }),
      ...(revoked === true ? { revoked: true } : {}),
    });
  }
  return { text, stated };
};

const readPlainKeys = async (file: string): Promise<Record<string, string> | null> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new LocalStateError(file, 'not JSON; delete it to issue new keys', error);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new LocalStateError(
      file,
      'expected a JSON object of source id -> write key; delete it to issue new keys',
    );
  }
  return Object.fromEntries(
    Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
};
