import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { RejectReason } from '#core/contract/envelope.ts';
import { EVENT_NAME_PATTERN } from '#core/contract/event-name.ts';
import { escapePointer } from '#core/contract/json-walk.ts';
import { SchemaRegistryError } from './errors.ts';
import { compareSchemaVer, parseSchemaVer, type SchemaVer } from './schema-ver.ts';

/** One event schema: what `schemas/events/<event_name>/<version>.json` holds, or an embedded copy. */
export interface SchemaDocument {
  readonly eventName: string;
  /** SchemaVer `MODEL-REVISION-ADDITION`. */
  readonly version: string;
  /** The JSON Schema (draft-07 keywords, Ajv strict mode). */
  readonly schema: Readonly<Record<string, unknown>>;
  /** Where it came from, for error messages (a file path, or a label for embedded schemas). */
  readonly source?: string;
}

/** A schema picked for an event: the version that validates it and its compiled validator. */
export interface SchemaMatch {
  readonly ok: true;
  readonly version: string;
  readonly validate: ValidateFunction;
}

export interface SchemaMiss {
  readonly ok: false;
  readonly reason: RejectReason;
}

/** Every event schema, compiled once; lookups cost a map read and allocate nothing on success. */
export interface SchemaRegistry {
  /**
   * The schema for an event: exactly `version` when the event names one, otherwise the
   * latest of its name. Unknown names give UNKNOWN_SCHEMA; a version that does not exist
   * (or is not SchemaVer) gives UNKNOWN_SCHEMA_VERSION: a version is never guessed.
   */
  resolve(eventName: string, version: string | null): SchemaMatch | SchemaMiss;
  /** Event names with at least one schema, sorted. */
  eventNames(): readonly string[];
  /** Versions of one event, oldest first (empty for an unknown name). */
  versions(eventName: string): readonly string[];
  /** The documents the registry was built from, by event name then version. */
  readonly documents: readonly SchemaDocument[];
}

interface EventSchemas {
  readonly byVersion: ReadonlyMap<string, SchemaMatch>;
  readonly latest: SchemaMatch;
  readonly versions: readonly string[];
}

/** The Ajv set-up every schema is compiled with; also used by tooling that checks schemas. */
export const createAjv = (): Ajv => {
  // verbose: errors carry the failing value, so a missing field reads as such (costs nothing on success).
  const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true, verbose: true });
  addFormats.default(ajv);
  return ajv;
};

/**
 * Builds a registry from in-memory documents (a bundled Lambda can embed them). Every
 * problem (bad names, bad versions, duplicates, schemas Ajv refuses) is collected into one
 * {@link SchemaRegistryError}.
 */
export const createSchemaRegistry = (documents: readonly SchemaDocument[]): SchemaRegistry => {
  const ajv = createAjv();
  const problems: string[] = [];
  const grouped = new Map<string, { version: SchemaVer; text: string; validate: ValidateFunction }[]>();
  const sorted = [...documents].sort(
    (a, b) => a.eventName.localeCompare(b.eventName) || a.version.localeCompare(b.version),
  );

  for (const doc of sorted) {
    const where = doc.source ?? `${doc.eventName}/${doc.version}`;
    if (!EVENT_NAME_PATTERN.test(doc.eventName)) {
      problems.push(`${where}: event name "${doc.eventName}" is not lower snake_case`);
      continue;
    }
    const version = parseSchemaVer(doc.version);
    if (version === null) {
      problems.push(
        `${where}: version "${doc.version}" is not SchemaVer MODEL-REVISION-ADDITION (e.g. 1-0-0)`,
      );
      continue;
    }
    if (doc.schema.type !== 'object') {
      problems.push(`${where}: the root of an event schema must have "type": "object"`);
      continue;
    }
    const list = grouped.get(doc.eventName) ?? [];
    if (list.some((entry) => entry.text === doc.version)) {
      problems.push(`${where}: ${doc.eventName} ${doc.version} is defined twice`);
      continue;
    }
    try {
      list.push({ version, text: doc.version, validate: ajv.compile(doc.schema) });
      grouped.set(doc.eventName, list);
    } catch (error) {
      problems.push(`${where}: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new SchemaRegistryError(problems);

  const events = new Map<string, EventSchemas>();
  for (const [name, list] of grouped) {
    list.sort((a, b) => compareSchemaVer(a.version, b.version));
    const byVersion = new Map<string, SchemaMatch>();
    for (const entry of list)
      byVersion.set(entry.text, { ok: true, version: entry.text, validate: entry.validate });
    const versions = list.map((entry) => entry.text);
    events.set(name, { byVersion, latest: byVersion.get(versions[versions.length - 1]!)!, versions });
  }
  const names = [...events.keys()].sort();

  return {
    documents: sorted,
    eventNames: () => names,
    versions: (eventName) => events.get(eventName)?.versions ?? [],
    resolve(eventName, version) {
      const schemas = events.get(eventName);
      if (schemas === undefined) {
        return miss('UNKNOWN_SCHEMA', `no schema for event "${eventName}"`);
      }
      if (version === null) return schemas.latest;
      return (
        schemas.byVersion.get(version) ??
        miss(
          'UNKNOWN_SCHEMA_VERSION',
          `no schema ${eventName} ${version}; known versions: ${schemas.versions.join(', ')}`,
          '/schema_version',
        )
      );
    },
  };
};

const miss = (
  code: 'UNKNOWN_SCHEMA' | 'UNKNOWN_SCHEMA_VERSION',
  message: string,
  path?: string,
): SchemaMiss => ({
  ok: false,
  reason: path === undefined ? { code, message } : { code, message, path },
});

/**
 * The reject reason for a failed validation: the JSON pointer of the failing value in the
 * canonical view (for `required`, the missing property itself) and the Ajv keyword.
 */
export const violationReason = (errors: readonly ErrorObject[] | null | undefined): RejectReason => {
  const error = errors?.[0];
  if (error === undefined)
    return { code: 'SCHEMA_VIOLATION', message: 'the event does not match its schema' };
  const at = error.instancePath;
  let path = at;
  if (error.keyword === 'required') path += `/${escapePointer(String(error.params.missingProperty))}`;
  else if (error.keyword === 'additionalProperties') {
    path += `/${escapePointer(String(error.params.additionalProperty))}`;
  }
  // Canonical fields are always in the view, null when the event lacks them: say "missing", not "must be string".
  const missing = error.keyword === 'type' && error.data === null;
  return {
    code: 'SCHEMA_VIOLATION',
    message: missing
      ? `${at} is missing (null); the schema requires ${String(error.params.type)}`
      : `${at === '' ? '/' : at} ${error.message ?? 'is invalid'}`,
    path,
    keyword: error.keyword,
  };
};
