import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFeatureCatalog } from '#adapters/node/load-feature-catalog.ts';
import { loadSchemaRegistry } from '#adapters/node/load-schema-registry.ts';
import { encodeCollectedRecord } from '#core/contract/collected-record.ts';
import type { CollectMeta, IntakeFormat } from '#core/contract/envelope.ts';
import type { FeatureCatalog } from '#core/schema/feature-catalog.ts';
import type { SchemaRegistry } from '#core/schema/schema-registry.ts';

/** Repository root, for the real `schemas/` folder and `test/fixtures/`. */
export const REPO_ROOT = join(import.meta.dirname, '..', '..', '..', '..');
export const SCHEMAS_DIR = join(REPO_ROOT, 'schemas');
const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'events');

/** The text of one event fixture (`test/fixtures/events/<name>.json`). */
export const fixtureText = (name: string): string => readFileSync(join(FIXTURES, `${name}.json`), 'utf8');

/** One event fixture, parsed. */
export const fixture = <T = Record<string, unknown>>(name: string): T => JSON.parse(fixtureText(name)) as T;

export const RECEIVED_AT = '2026-03-02T09:00:00.000Z';

/** The collector meta of a record received at {@link RECEIVED_AT}. */
export const metaFor = (intake: IntakeFormat, overrides: Partial<CollectMeta> = {}): CollectMeta => ({
  v: 1,
  source_id: intake === 'native' ? 'src_web_app' : 'src_segment',
  received_at: RECEIVED_AT,
  request_id: 'req_0001',
  intake,
  ...overrides,
});

/** A collected record as the collector writes it: meta line, newline, the event serialised compactly. */
export const recordOf = (
  event: unknown,
  intake: IntakeFormat,
  overrides: Partial<CollectMeta> = {},
): string =>
  encodeCollectedRecord(
    metaFor(intake, overrides),
    typeof event === 'string' ? event : JSON.stringify(event),
  );

export interface RepoSchemas {
  readonly registry: SchemaRegistry;
  readonly catalog: FeatureCatalog;
}

let loaded: Promise<RepoSchemas> | undefined;

/** The repository's event schemas and feature catalog, loaded once per test file. */
export const repoSchemas = (): Promise<RepoSchemas> => {
  loaded ??= Promise.all([
    loadSchemaRegistry(join(SCHEMAS_DIR, 'events')),
    loadFeatureCatalog(join(SCHEMAS_DIR, 'features.json')),
  ]).then(([registry, catalog]) => ({ registry, catalog }));
  return loaded;
};
