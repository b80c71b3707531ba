import { createHash } from 'node:crypto';
import type { Feature } from '#core/schema/feature-catalog.ts';

/** What the warehouse needs of the feature catalog (`FeatureCatalog` from `#core/schema` fits). */
export interface CatalogSource {
  readonly features: readonly Pick<
    Feature,
    'id' | 'name' | 'parent' | 'level' | 'path' | 'owner' | 'status' | 'description' | 'aliases'
  >[];
}

export interface DimFeatureRow {
  readonly feature_id: string;
  readonly feature_name: string;
  readonly parent_id: string | null;
  readonly level: number;
  readonly owner: string;
  readonly status: string;
  readonly description: string | null;
  readonly aliases: readonly string[];
}

export interface ClosureRow {
  readonly feature_id: string;
  readonly ancestor_id: string;
  readonly distance: number;
}

/** The catalog as rows of curated.dim_feature and curated.feature_closure, with a fingerprint of each. */
export interface CatalogRows {
  readonly features: readonly DimFeatureRow[];
  readonly featuresFingerprint: string;
  readonly closure: readonly ClosureRow[];
  readonly closureFingerprint: string;
}

const fingerprint = (rows: unknown): string =>
  createHash('sha256').update(JSON.stringify(rows)).digest('hex');

const byId = <T extends { feature_id: string }>(a: T, b: T): number =>
  a.feature_id < b.feature_id ? -1 : a.feature_id > b.feature_id ? 1 : 0;

/** Rows in a stable order, so equal catalogs give equal fingerprints. Closure rows include self (distance 0). */
export const toCatalogRows = (catalog: CatalogSource): CatalogRows => {
  const features = catalog.features
    .map(
      (f): DimFeatureRow => ({
        feature_id: f.id,
        feature_name: f.name,
        parent_id: f.parent,
        level: f.level,
        owner: f.owner,
        status: f.status,
        description: f.description,
        aliases: [...f.aliases],
      }),
    )
    .sort(byId);
  const closure = catalog.features
    .flatMap((f) =>
      f.path.map(
        (ancestor, i): ClosureRow => ({
          feature_id: f.id,
          ancestor_id: ancestor,
          distance: f.path.length - 1 - i,
        }),
      ),
    )
    .sort((a, b) => byId(a, b) || a.distance - b.distance);
  return {
    features,
    featuresFingerprint: fingerprint(features),
    closure,
    closureFingerprint: fingerprint(closure),
  };
};
