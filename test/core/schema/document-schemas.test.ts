import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import fc from 'fast-check';
import { parseWriteKeyDocument } from '#core/collector/write-key-document.ts';
import type { ValidatedLine } from '#core/contract/envelope.ts';
import { createFeatureCatalog } from '#core/schema/feature-catalog.ts';
import { validateRecord } from '#core/validator/validate-record.ts';
import { seeded } from '../../support/property.ts';
import { fixtureText, REPO_ROOT, recordOf, repoSchemas } from '../contract/support/events.ts';

/** The JSON Schemas of the documents Tally reads and writes, compiled as a tool would (ajv, draft-07). */
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const documentSchema = (name: string): { schema: Record<string, unknown>; validate: ValidateFunction } => {
  const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', 'documents', name), 'utf8'));
  return { schema, validate: ajv.compile(schema) };
};
const catalogSchema = documentSchema('feature-catalog.schema.json');
const writeKeysSchema = documentSchema('write-keys.schema.json');
const envelopeSchema = documentSchema('envelope.schema.json');

const accepts = (run: () => unknown): boolean => {
  try {
    run();
    return true;
  } catch {
    return false;
  }
};

/** A value of one field, or the field left out (undefined drops out of JSON). */
const fieldOf = (...values: unknown[]) => fc.constantFrom(...values, undefined);

describe('the feature catalog schema (schemas/documents/feature-catalog.schema.json)', () => {
  it('accepts schemas/features.json', () => {
    const document = JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', 'features.json'), 'utf8'));

    expect(catalogSchema.validate(document)).toBe(true);
  });

  it('refuses a feature exactly when the catalog loader does, for anything but the parent rule', () => {
    const feature = fc.record(
      {
        id: fc.constantFrom('editor', 'sharing', 'Editor', '', 'a.b.c.d', 'a..b', 7),
        name: fieldOf('Editor', '', '  ', 7),
        owner: fieldOf('team-editor', '', '\n', null),
        status: fieldOf('active', 'beta', 'deprecated', 'retired'),
        description: fieldOf(null, 'Writing things', 3),
        aliases: fieldOf([], ['old_editor'], ['old_editor', 'old_editor'], [''], [3], 'old_editor'),
      },
      { requiredKeys: ['id'] },
    );

    fc.assert(
      fc.property(feature, (entry) => {
        // a lone top-level feature: the loader's cross-entry rules (parents, ambiguous aliases) all hold
        const document = JSON.parse(JSON.stringify({ features: [{ parent: null, ...entry }] }));
        expect(accepts(() => createFeatureCatalog(document))).toBe(catalogSchema.validate(document));
      }),
      seeded(),
    );
  });

  it('accepts what the loader accepts even with parents', () => {
    const catalog = {
      features: [
        { id: 'editor', name: 'Editor', owner: 'team-editor', status: 'active' },
        { id: 'editor.comments', name: 'Comments', parent: 'editor', owner: 'team-editor', status: 'beta' },
      ],
    };

    expect(createFeatureCatalog(catalog).features).toHaveLength(2);
    expect(catalogSchema.validate(catalog)).toBe(true);
  });
});

describe('the write-key document schema (schemas/documents/write-keys.schema.json)', () => {
  const digest = (c: string) => c.repeat(64);

  it('accepts a document exactly when the parser does, digests repeated in any case aside', () => {
    const entry = fc.record(
      {
        source_id: fieldOf('web', ' ios ', '', '   ', 5),
        key_sha256: fieldOf(digest('a'), digest('A'), digest('b'), digest('g'), 'a'.repeat(63), 42),
        revoked: fieldOf(true, false, null, 'false'),
      },
      { requiredKeys: [] },
    );
    const document = fc.oneof(
      { weight: 9, arbitrary: fc.record({ keys: fc.array(entry, { maxLength: 3 }) }) },
      fc.constantFrom({}, { keys: {} }, [], 'keys', null),
    );

    fc.assert(
      fc.property(document, (generated) => {
        const text = JSON.stringify(generated);
        const parsed = JSON.parse(text);
        const digests = Array.isArray(parsed?.keys)
          ? parsed.keys.map((k: { key_sha256?: unknown }) => String(k.key_sha256).toLowerCase())
          : [];
        const repeated = new Set(digests).size !== digests.length;
        expect(accepts(() => parseWriteKeyDocument(text, 'test'))).toBe(
          writeKeysSchema.validate(parsed) && !repeated,
        );
      }),
      seeded(),
    );
  });
});

describe('the envelope schema (schemas/documents/envelope.schema.json)', () => {
  it('names exactly the fields of ValidatedLine, in its order', () => {
    const fields: Record<keyof ValidatedLine, true> = {
      dedup_key: true,
      event_id: true,
      event_name: true,
      schema_version: true,
      planned: true,
      occurred_at: true,
      sent_at: true,
      received_at: true,
      event_ts: true,
      user_id: true,
      anonymous_id: true,
      workspace_id: true,
      feature_id: true,
      feature_known: true,
      platform: true,
      app_version: true,
      locale: true,
      source_id: true,
      intake: true,
      call: true,
      lineage: true,
      payload: true,
    };

    expect(envelopeSchema.schema.required).toEqual(Object.keys(fields));
    expect(Object.keys(envelopeSchema.schema.properties as object)).toEqual(Object.keys(fields));
  });

  it.each([
    ['native-feature-used', 'native'],
    ['native-session-started', 'native'],
    ['native-epoch-ms', 'native'],
    ['segment-track', 'segment'],
    ['segment-identify', 'segment'],
    ['segment-page', 'segment'],
    ['segment-screen', 'segment'],
    ['segment-group', 'segment'],
    ['segment-alias', 'segment'],
  ] as const)('holds for the line the validator writes for %s', async (name, intake) => {
    const outcome = validateRecord(recordOf(fixtureText(name), intake), '2026-03-02T09:00:01.000Z', {
      ...(await repoSchemas()),
      build: 'test-build',
    });
    if (!outcome.ok) throw new Error(`expected ${name} to validate, got ${outcome.reason.code}`);

    expect(envelopeSchema.validate(JSON.parse(outcome.line))).toBe(true);
    expect(envelopeSchema.validate.errors ?? []).toEqual([]);
  });

  it('refuses a line with a field missing, a field added or a time not in UTC milliseconds', async () => {
    const outcome = validateRecord(
      recordOf(fixtureText('native-feature-used'), 'native'),
      '2026-03-02T09:00:01.000Z',
      {
        ...(await repoSchemas()),
        build: 'test-build',
      },
    );
    if (!outcome.ok) throw new Error('expected the fixture to validate');
    const { locale: _locale, ...withoutLocale } = JSON.parse(outcome.line) as ValidatedLine;

    expect(envelopeSchema.validate(withoutLocale)).toBe(false);
    expect(envelopeSchema.validate({ ...JSON.parse(outcome.line), unexpected: true })).toBe(false);
    expect(envelopeSchema.validate({ ...JSON.parse(outcome.line), event_ts: '2026-03-02T09:00:01Z' })).toBe(
      false,
    );
  });
});
