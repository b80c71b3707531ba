import { join } from 'node:path';
import { loadFeatureCatalog } from '#adapters/node/load-feature-catalog.ts';
import { loadSchemaRegistry } from '#adapters/node/load-schema-registry.ts';
import { type RecordValidator, type ValidatorDeps, validateRecord } from '#core/validator/validate-record.ts';

export interface LoadValidatorOptions {
  /** Folder holding `events/<name>/<version>.json` and `features.json`. */
  readonly schemasDir: string;
  readonly build: string;
  readonly maxEventBytes?: number;
}

/**
 * Loads and compiles the schemas and the feature catalog, once per process, and returns the
 * record validator bound to them. Throws (SchemaRegistryError, FeatureCatalogError) listing
 * every problem when the folder is not valid, so a bad deployment fails at start-up.
 */
export const loadValidator = async (options: LoadValidatorOptions): Promise<RecordValidator> => {
  const [registry, catalog] = await Promise.all([
    loadSchemaRegistry(join(options.schemasDir, 'events')),
    loadFeatureCatalog(join(options.schemasDir, 'features.json')),
  ]);
  const deps: ValidatorDeps = {
    registry,
    catalog,
    build: options.build,
    ...(options.maxEventBytes === undefined ? {} : { maxEventBytes: options.maxEventBytes }),
  };
  return (recordText, arrivedAt) => validateRecord(recordText, arrivedAt, deps);
};
