import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ValidatedLine } from '#core/contract/envelope.ts';
import { createFeatureCatalog, type FeatureCatalog } from '#core/schema/feature-catalog.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`../core/warehouse/fixtures/${name}`, import.meta.url), 'utf8');

/** The small test catalog: editor > editor.comments > editor.comments.{mention,reply}, editor.formatting.bold, sharing.link. */
export const testCatalog = (): FeatureCatalog => createFeatureCatalog(JSON.parse(fixture('features.json')));

/** A real ValidatedLine (test/core/warehouse/fixtures/feature-used.json). */
export const featureUsedFixture = (): ValidatedLine => JSON.parse(fixture('feature-used.json'));

/** A real RejectedLine. */
export const rejectedFixture = (): Record<string, unknown> => JSON.parse(fixture('rejected.json'));

export interface EventSpec {
  /** Identity of the event: the dedup key is derived from it, so copies share it. */
  readonly id: string;
  /** When it happened (event_ts); ISO. */
  readonly at: string;
  /** When the collector received it; defaults to `at` + 2 s. */
  readonly receivedAt?: string;
  readonly user?: string | null;
  readonly anonymousId?: string | null;
  readonly workspace?: string | null;
  readonly feature?: string | null;
  readonly known?: boolean;
  readonly platform?: ValidatedLine['platform'];
}

/** A ValidatedLine built from the fixture, with the fields a scenario cares about. */
export const eventLine = (spec: EventSpec): ValidatedLine => {
  const base = featureUsedFixture();
  const received = spec.receivedAt ?? new Date(Date.parse(spec.at) + 2000).toISOString();
  const feature = spec.feature === undefined ? 'editor.comments.mention' : spec.feature;
  return {
    ...base,
    dedup_key: `dk-${spec.id}`,
    event_id: spec.id,
    occurred_at: spec.at,
    sent_at: null,
    received_at: received,
    event_ts: spec.at,
    user_id: spec.user === undefined ? 'user-1' : spec.user,
    anonymous_id: spec.anonymousId === undefined ? null : spec.anonymousId,
    workspace_id: spec.workspace === undefined ? 'ws-acme' : spec.workspace,
    feature_id: feature,
    feature_known: spec.known ?? feature !== null,
    platform: spec.platform === undefined ? 'web' : spec.platform,
    payload: { ...(base.payload as object), messageId: spec.id, feature },
  };
};

/** Writes lines as an NDJSON file (gzip when the name ends in .gz) in a fresh temp folder; returns its path. */
export const writeNdjson = async (name: string, lines: readonly unknown[]): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'tally-wh-'));
  const text = `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;
  const path = join(dir, name);
  await writeFile(path, name.endsWith('.gz') ? gzipSync(text) : text);
  return path;
};
