import { readFile } from 'node:fs/promises';
import { FeatureCatalogError } from '#core/schema/errors.ts';
import { createFeatureCatalog, type FeatureCatalog } from '#core/schema/feature-catalog.ts';

/** Reads and validates the feature catalog file (the repository's `schemas/features.json`). */
export const loadFeatureCatalog = async (file: string): Promise<FeatureCatalog> => {
  let document: unknown;
  try {
    document = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new FeatureCatalogError(file, [`cannot read it as JSON: ${(error as Error).message}`], {
      cause: error,
    });
  }
  return createFeatureCatalog(document, file);
};
