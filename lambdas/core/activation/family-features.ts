import type { ModelContext, RunState } from '#core/warehouse/model.ts';
import { query } from '#core/warehouse/model.ts';
import { readString } from '#core/warehouse/values.ts';
import type { FactDeclaration } from './fact.ts';

export const FAMILY_FEATURES_FILE = 'activation/family_features';

/** Per run (its RunState), per feature family: the JSON list the fact_filter fragment takes. */
const readings = new WeakMap<RunState, Map<string, Promise<string>>>();

/**
 * The `family_features` parameter of a fact's filter: a JSON array of { id } for the features its family
 * counts, or null when the fact names no family. Read from curated.feature_closure once per run and family
 * (the closure model runs before every activation model; nothing changes it later in the run), where each
 * activation statement used to read the closure itself, a cost per statement that no history bounds.
 */
export const familyFeatures = (ctx: ModelContext, fact: FactDeclaration): Promise<string | null> => {
  const family = fact.featureFamily;
  if (family === undefined) return Promise.resolve(null);
  let families = readings.get(ctx.run);
  if (families === undefined) {
    families = new Map();
    readings.set(ctx.run, families);
  }
  let reading = families.get(family);
  if (reading === undefined) {
    reading = query(ctx, FAMILY_FEATURES_FILE, 'read', { feature_family: family }).then((rows) =>
      JSON.stringify(rows.map((row) => ({ id: readString(row.feature_id) }))),
    );
    families.set(family, reading);
  }
  return reading;
};
