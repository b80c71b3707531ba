import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSchemaRegistry } from '#adapters/node/load-schema-registry.ts';
import { SchemaRegistryError } from '#core/schema/errors.ts';
import { createSchemaRegistry, type SchemaDocument, violationReason } from '#core/schema/schema-registry.ts';
import { repoSchemas } from '../contract/support/events.ts';

const objectSchema = (properties: Record<string, unknown> = {}, required: string[] = []) => ({
  type: 'object',
  required,
  properties,
});

const doc = (
  eventName: string,
  version: string,
  schema: Record<string, unknown> = objectSchema(),
): SchemaDocument => ({
  eventName,
  version,
  schema,
});

describe('the schema registry', () => {
  it('loads every starter schema of the repository', async () => {
    const { registry } = await repoSchemas();
    expect(registry.eventNames()).toEqual([
      'alias',
      'feature_used',
      'group',
      'identify',
      'page_viewed',
      'screen_viewed',
      'session_started',
    ]);
    expect(registry.versions('feature_used')).toEqual(['1-0-0', '1-0-1']);
  });

  it('picks the latest version when the event names none', () => {
    const registry = createSchemaRegistry([doc('feature_used', '1-0-0'), doc('feature_used', '1-0-1')]);
    expect(registry.resolve('feature_used', null)).toMatchObject({ ok: true, version: '1-0-1' });
  });

  it('picks exactly the version the event names', () => {
    const registry = createSchemaRegistry([doc('feature_used', '1-0-0'), doc('feature_used', '1-0-1')]);
    expect(registry.resolve('feature_used', '1-0-0')).toMatchObject({ ok: true, version: '1-0-0' });
  });

  it('orders versions numerically, so 1-0-10 is later than 1-0-9', () => {
    const registry = createSchemaRegistry([doc('x', '1-0-9'), doc('x', '1-0-10'), doc('x', '1-1-0')]);
    expect(registry.versions('x')).toEqual(['1-0-9', '1-0-10', '1-1-0']);
    expect(registry.resolve('x', null)).toMatchObject({ version: '1-1-0' });
  });

  it('answers UNKNOWN_SCHEMA for an event name without schemas', () => {
    const registry = createSchemaRegistry([doc('feature_used', '1-0-0')]);
    const miss = {
      ok: false,
      reason: {
        code: 'UNKNOWN_SCHEMA',
        message: `no schema for event "checkout_started" (the source's tracking plan is strict)`,
      },
    };
    expect(registry.resolve('checkout_started', null)).toEqual(miss);
    expect(registry.resolve('checkout_started', null, 'strict')).toEqual(miss);
  });

  describe('under the allow tracking plan', () => {
    const registry = createSchemaRegistry([
      doc('feature_used', '1-0-0', objectSchema({ feature_id: { type: 'string' } }, ['feature_id'])),
    ]);

    it('answers the built-in permissive schema, version 0-0-0 and not planned, for a name without schemas', () => {
      const match = registry.resolve('checkout_started', null, 'allow');
      if (!match.ok) throw new Error(`expected a match, got ${match.reason.message}`);
      expect(match).toMatchObject({ version: '0-0-0', planned: false });
      expect(match.validate({ event_name: 'checkout_started', properties: { plan: 'team' } })).toBe(true);
    });

    it('lets in only names a schema could have, and object properties and traits', () => {
      const match = registry.resolve('x', null, 'allow');
      if (!match.ok) throw new Error('expected a match');
      expect(match.validate({ event_name: 'Checkout Started' })).toBe(false);
      expect(match.validate.errors?.[0]).toMatchObject({
        instancePath: '/event_name',
        keyword: 'pattern',
      });
      expect(match.validate({ event_name: `a${'b'.repeat(255)}` })).toBe(false);
      expect(match.validate({ event_name: 'a', properties: 'text' })).toBe(false);
      expect(match.validate({ event_name: 'a', traits: [] })).toBe(false);
      expect(match.validate({ event_name: 'a', properties: {}, traits: {}, anything: 1 })).toBe(true);
    });

    it('still answers a planned name with its own schema', () => {
      expect(registry.resolve('feature_used', null, 'allow')).toMatchObject({
        ok: true,
        version: '1-0-0',
        planned: true,
      });
    });

    it('answers UNKNOWN_SCHEMA_VERSION when an unplanned event names a version: a version is never guessed', () => {
      expect(registry.resolve('checkout_started', '1-0-0', 'allow')).toEqual({
        ok: false,
        reason: {
          code: 'UNKNOWN_SCHEMA_VERSION',
          message:
            'no schema checkout_started 1-0-0: "checkout_started" has no schema, so it names no version (an unplanned event is accepted without schema_version)',
          path: '/schema_version',
        },
      });
      expect(registry.resolve('feature_used', '1-0-7', 'allow')).toMatchObject({
        ok: false,
        reason: { code: 'UNKNOWN_SCHEMA_VERSION' },
      });
    });
  });

  it('answers UNKNOWN_SCHEMA_VERSION for a version that does not exist, never guessing a neighbour', () => {
    const registry = createSchemaRegistry([doc('feature_used', '1-0-0'), doc('feature_used', '1-0-1')]);
    expect(registry.resolve('feature_used', '1-0-2')).toEqual({
      ok: false,
      reason: {
        code: 'UNKNOWN_SCHEMA_VERSION',
        message: 'no schema feature_used 1-0-2; known versions: 1-0-0, 1-0-1',
        path: '/schema_version',
      },
    });
  });

  it('compiles each schema once: the same validator serves every lookup', () => {
    const registry = createSchemaRegistry([doc('feature_used', '1-0-0')]);
    const first = registry.resolve('feature_used', null);
    const second = registry.resolve('feature_used', '1-0-0');
    expect(first.ok && second.ok && first.validate === second.validate).toBe(true);
  });

  it('can be built from embedded documents, as a bundled Lambda would', () => {
    const registry = createSchemaRegistry([
      doc('feature_used', '1-0-0', objectSchema({ feature_id: { type: 'string' } }, ['feature_id'])),
    ]);
    const match = registry.resolve('feature_used', null);
    if (!match.ok) throw new Error('expected a match');
    expect(match.validate({ feature_id: 'editor' })).toBe(true);
    expect(match.validate({})).toBe(false);
  });

  it('reports every bad document at once', () => {
    const attempt = () =>
      createSchemaRegistry([
        doc('Feature Used', '1-0-0'),
        doc('feature_used', '1.0.0'),
        doc('page_viewed', '1-0-0', { type: 'array' }),
        doc('alias', '1-0-0', { type: 'object', properties: { user_id: { type: 'strin' } } }),
        doc('group', '1-0-0'),
        doc('group', '1-0-0'),
      ]);
    expect(attempt).toThrow(SchemaRegistryError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as SchemaRegistryError).problems;
      expect(problems).toHaveLength(5);
      expect(problems.join('\n')).toMatch(/"Feature Used" is not lower snake_case/);
      expect(problems.join('\n')).toMatch(/"1\.0\.0" is not SchemaVer/);
      expect(problems.join('\n')).toMatch(/must have "type": "object"/);
      expect(problems.join('\n')).toMatch(/alias\/1-0-0: schema is invalid: .*\/properties\/user_id\/type/);
      expect(problems.join('\n')).toMatch(/group 1-0-0 is defined twice/);
    }
  });

  it('refuses unknown keywords (Ajv strict mode), which are usually typos', () => {
    expect(() => createSchemaRegistry([doc('x', '1-0-0', { type: 'object', requried: ['a'] })])).toThrow(
      /unknown keyword: "requried"/,
    );
  });
});

describe('loading schemas from a directory', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tally-schemas-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names each schema by its folder and file', async () => {
    await mkdir(join(dir, 'feature_used'));
    await writeFile(join(dir, 'feature_used', '2-1-0.json'), JSON.stringify(objectSchema()));
    const registry = await loadSchemaRegistry(dir);
    expect(registry.resolve('feature_used', '2-1-0')).toMatchObject({ ok: true, version: '2-1-0' });
  });

  it('reports files that are not JSON, naming the file', async () => {
    await mkdir(join(dir, 'feature_used'));
    await writeFile(join(dir, 'feature_used', '1-0-0.json'), '{ "type": "object", }');
    await writeFile(join(dir, 'feature_used', 'notes.txt'), 'todo');
    await expect(loadSchemaRegistry(dir)).rejects.toThrow(
      expect.objectContaining({
        name: 'SchemaRegistryError',
        problems: [
          expect.stringMatching(/feature_used\/1-0-0\.json: .*JSON/),
          expect.stringMatching(/feature_used\/notes\.txt: not a \.json schema file/),
        ],
      }),
    );
  });

  it('reports a missing directory', async () => {
    await expect(loadSchemaRegistry(join(dir, 'nope'))).rejects.toThrow(/cannot read the schema directory/);
  });
});

describe('violationReason', () => {
  it('points a missing required property at the property itself', () => {
    expect(
      violationReason([
        {
          instancePath: '/properties',
          schemaPath: '#/properties/properties/required',
          keyword: 'required',
          params: { missingProperty: 'session_id' },
          message: "must have required property 'session_id'",
        },
      ]),
    ).toEqual({
      code: 'SCHEMA_VIOLATION',
      message: "/properties must have required property 'session_id'",
      path: '/properties/session_id',
      keyword: 'required',
    });
  });

  it('escapes / and ~ in property names as JSON pointers do', () => {
    expect(
      violationReason([
        {
          instancePath: '',
          schemaPath: '#/additionalProperties',
          keyword: 'additionalProperties',
          params: { additionalProperty: 'a/b~c' },
          message: 'must NOT have additional properties',
        },
      ]).path,
    ).toBe('/a~1b~0c');
  });
});
