import { join } from 'node:path';
import { readSchemaDocuments } from '#adapters/node/load-schema-registry.ts';
import { checkAdditionCompatible } from '#core/schema/compatibility.ts';
import { checkSchemaEvolution } from '#core/schema/schema-evolution.ts';
import { REPO_ROOT, SCHEMAS_DIR } from '../contract/support/events.ts';

const base = {
  type: 'object',
  required: ['feature_id'],
  properties: {
    feature_id: { type: 'string', minLength: 1, maxLength: 200 },
    properties: {
      type: 'object',
      properties: {
        action: { type: 'string', enum: ['open', 'create', 'apply'] },
        duration_ms: { type: 'integer', minimum: 0 },
        tags: { type: 'array', items: { type: 'string' } },
      },
      additionalProperties: true,
    },
  },
};

type Json = Record<string, unknown>;

/** A deep copy of the base schema with the value at each pointer replaced (`undefined` deletes it). */
const changed = (edits: Record<string, unknown>): unknown => {
  const copy = structuredClone(base) as Json;
  for (const [pointer, value] of Object.entries(edits)) {
    const keys = pointer.slice(1).split('/');
    const last = keys.pop()!;
    const parent = keys.reduce<Json>((node, key) => node[key] as Json, copy);
    if (value === undefined) delete parent[last];
    else parent[last] = value;
  }
  return copy;
};

const ACTION = '/properties/properties/properties/action';
const DURATION = '/properties/properties/properties/duration_ms';

const messages = (next: unknown): string[] =>
  checkAdditionCompatible(base, next).problems.map((p) => `${p.path}: ${p.message}`);

describe('checkAdditionCompatible', () => {
  it('accepts the same schema', () => {
    expect(checkAdditionCompatible(base, structuredClone(base))).toEqual({ compatible: true, problems: [] });
  });

  it('accepts a new optional property and looser bounds', () => {
    const next = changed({
      '/properties/properties/properties/surface': { type: 'string' },
      '/properties/feature_id/maxLength': 300,
      [`${ACTION}/enum`]: ['open', 'create', 'apply', 'delete'],
      [`${DURATION}/type`]: 'number',
    });
    expect(messages(next)).toEqual([]);
  });

  it('refuses a new required field', () => {
    expect(messages(changed({ '/required': ['feature_id', 'workspace_id'] }))).toEqual([
      '/required: "workspace_id" became required',
    ]);
  });

  it('refuses a removed property', () => {
    expect(messages(changed({ [DURATION]: undefined }))).toEqual([
      '/properties/properties/properties/duration_ms: property "duration_ms" was removed',
    ]);
  });

  it('refuses a retyped property', () => {
    expect(messages(changed({ [`${DURATION}/type`]: 'string' }))).toEqual([
      '/properties/properties/properties/duration_ms: type "integer" is no longer accepted (now "string")',
    ]);
  });

  it('refuses a narrowed enum', () => {
    expect(messages(changed({ [`${ACTION}/enum`]: ['open', 'create'] }))).toEqual([
      '/properties/properties/properties/action/enum: enum value "apply" was removed',
    ]);
  });

  it('refuses tighter bounds', () => {
    expect(
      messages(changed({ '/properties/feature_id/minLength': 3, '/properties/feature_id/maxLength': 100 })),
    ).toEqual([
      '/properties/feature_id/minLength: minLength was raised to 3 from 1',
      '/properties/feature_id/maxLength: maxLength was lowered to 100 from 200',
    ]);
  });

  it('refuses tightened additionalProperties', () => {
    expect(messages(changed({ '/properties/properties/additionalProperties': false }))).toEqual([
      '/properties/properties/additionalProperties: additionalProperties was tightened',
    ]);
  });

  it('refuses a new pattern or format', () => {
    expect(messages(changed({ '/properties/feature_id/pattern': '^[a-z.]+$' }))).toEqual([
      '/properties/feature_id/pattern: pattern was added or changed',
    ]);
  });

  it('looks into array items', () => {
    expect(messages(changed({ '/properties/properties/properties/tags/items/maxLength': 20 }))).toEqual([
      '/properties/properties/properties/tags/items/maxLength: maxLength was lowered to 20',
    ]);
  });

  it('reports changed combinators it cannot reason about', () => {
    expect(messages(changed({ '/anyOf': [{ required: ['user_id'] }] }))).toEqual([
      '/anyOf: anyOf changed; its compatibility cannot be checked, so bump REVISION or MODEL',
    ]);
  });
});

describe('schema evolution in schemas/', () => {
  it('keeps every ADDITION bump backward compatible', async () => {
    const documents = await readSchemaDocuments(join(SCHEMAS_DIR, 'events'));
    expect(checkSchemaEvolution(documents)).toEqual([]);
  });

  it('catches a breaking ADDITION bump (test/fixtures/schemas-breaking)', async () => {
    const documents = await readSchemaDocuments(
      join(REPO_ROOT, 'test', 'fixtures', 'schemas-breaking', 'events'),
    );
    const [problem, ...rest] = checkSchemaEvolution(documents);
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ eventName: 'feature_used', from: '1-0-0', to: '1-0-1' });
    expect(problem?.problems.map((p) => p.message).sort()).toEqual(
      [
        '"surface" became required',
        'additionalProperties was tightened',
        'an enum was added',
        'property "success" was removed',
        'type "integer" is no longer accepted (now "string")',
      ].sort(),
    );
  });

  it('does not compare across REVISION or MODEL bumps, which may break', () => {
    const documents = [
      { eventName: 'x', version: '1-0-0', schema: { type: 'object', properties: { a: { type: 'string' } } } },
      { eventName: 'x', version: '1-1-0', schema: { type: 'object', properties: {} } },
      { eventName: 'x', version: '2-0-0', schema: { type: 'object', required: ['b'] } },
    ];
    expect(checkSchemaEvolution(documents)).toEqual([]);
  });
});
