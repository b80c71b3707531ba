import type { ClosureRow } from '../catalog-rows.ts';
import { exec, type ModelDefinition, query } from '../model.ts';
import { readNumber, readString } from '../values.ts';

const DIM = 'models/dim_feature';
const CLOSURE = 'models/feature_closure';

/** curated.dim_feature from the catalog; rewritten only when the catalog's fingerprint changes. */
export const dimFeature: ModelDefinition = {
  name: 'dim_feature',
  dependsOn: [],
  sqlFiles: [DIM],
  selectable: false,
  async run(ctx) {
    const { features, featuresFingerprint } = ctx.catalog;
    if (ctx.previousState === featuresFingerprint)
      return { rowsRead: 0, rowsWritten: 0, state: featuresFingerprint };
    await exec(ctx, DIM, 'delete_all');
    const written = await exec(ctx, DIM, 'insert_catalog', { features: JSON.stringify(features) });
    return { rowsRead: features.length, rowsWritten: written, state: featuresFingerprint };
  },
  clear: async (ctx) => void (await exec(ctx, DIM, 'delete_all')),
};

const ancestorsByFeature = (rows: readonly ClosureRow[]): Map<string, string> => {
  const sets = new Map<string, string[]>();
  for (const row of rows)
    sets.set(row.feature_id, [...(sets.get(row.feature_id) ?? []), `${row.ancestor_id}:${row.distance}`]);
  return new Map([...sets].map(([id, list]) => [id, list.sort().join(',')]));
};

/**
 * curated.feature_closure from the catalog. Features whose ancestors changed (new, removed or moved ids)
 * are handed to the fact model, which queues their events' keys for recomputation.
 */
export const featureClosure: ModelDefinition = {
  name: 'feature_closure',
  dependsOn: [],
  sqlFiles: [CLOSURE],
  selectable: false,
  async run(ctx) {
    const { closure, closureFingerprint } = ctx.catalog;
    if (ctx.previousState === closureFingerprint)
      return { rowsRead: 0, rowsWritten: 0, state: closureFingerprint };
    const stored = (await query(ctx, CLOSURE, 'read_all')).map(
      (r): ClosureRow => ({
        feature_id: readString(r.feature_id) ?? '',
        ancestor_id: readString(r.ancestor_id) ?? '',
        distance: readNumber(r.distance) ?? 0,
      }),
    );
    const before = ancestorsByFeature(stored);
    const after = ancestorsByFeature(closure);
    ctx.run.changedFeatures = [...new Set([...before.keys(), ...after.keys()])]
      .filter((id) => before.get(id) !== after.get(id))
      .sort();
    await exec(ctx, CLOSURE, 'delete_all');
    const written = await exec(ctx, CLOSURE, 'insert_pairs', { pairs: JSON.stringify(closure) });
    return { rowsRead: closure.length, rowsWritten: written, state: closureFingerprint };
  },
  clear: async (ctx) => void (await exec(ctx, CLOSURE, 'delete_all')),
};
