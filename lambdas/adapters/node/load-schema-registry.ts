import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SchemaRegistryError } from '#core/schema/errors.ts';
import {
  createSchemaRegistry,
  type SchemaDocument,
  type SchemaRegistry,
} from '#core/schema/schema-registry.ts';

/**
 * Reads every `<event_name>/<MODEL-REVISION-ADDITION>.json` under `eventsDir` (the
 * repository's `schemas/events`). Files that are not JSON are reported together with every
 * other problem; the directory layout is the single source of an event's name and version.
 */
export const readSchemaDocuments = async (eventsDir: string): Promise<SchemaDocument[]> => {
  let names: string[];
  try {
    names = (await readdir(eventsDir, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    throw new SchemaRegistryError(
      [`${eventsDir}: cannot read the schema directory (${(error as Error).message})`],
      {
        cause: error,
      },
    );
  }
  const documents: SchemaDocument[] = [];
  const problems: string[] = [];
  for (const eventName of names) {
    const files = (await readdir(join(eventsDir, eventName))).sort();
    for (const file of files) {
      const source = join(eventsDir, eventName, file);
      if (!file.endsWith('.json')) {
        problems.push(`${source}: not a .json schema file`);
        continue;
      }
      try {
        const schema: unknown = JSON.parse(await readFile(source, 'utf8'));
        if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
          problems.push(`${source}: a schema must be a JSON object`);
          continue;
        }
        documents.push({
          eventName,
          version: file.slice(0, -'.json'.length),
          schema: schema as Record<string, unknown>,
          source,
        });
      } catch (error) {
        problems.push(`${source}: ${(error as Error).message}`);
      }
    }
  }
  if (problems.length > 0) throw new SchemaRegistryError(problems);
  return documents;
};

/** Loads and compiles every event schema under `eventsDir` (e.g. `schemas/events`). Call once per process. */
export const loadSchemaRegistry = async (eventsDir: string): Promise<SchemaRegistry> =>
  createSchemaRegistry(await readSchemaDocuments(eventsDir));
