import { activationModels } from '#core/activation/models.ts';
import { cohortRetentionModel } from '#core/cohorts/cohort-retention-model.ts';
import { TransformArgumentError } from '../errors.ts';
import type { ModelDefinition } from '../model.ts';
import { dimFeature, featureClosure } from './catalog.ts';
import { fctFeatureEvents } from './fct-feature-events.ts';
import { featureUsageDaily, featureUsageWeekly } from './feature-usage.ts';
import { featureAdoptionByWorkspace, userFeatureLastSeen, workspaceUserLastSeen } from './last-seen.ts';
import { retentionModel } from './retention.ts';
import { userIndex } from './user-index.ts';

/** The warehouse's own models: catalog, fact, user index, usage, last-seen and adoption. */
const WAREHOUSE_MODELS: readonly ModelDefinition[] = [
  dimFeature,
  featureClosure,
  fctFeatureEvents,
  userIndex,
  featureUsageDaily,
  featureUsageWeekly,
  userFeatureLastSeen,
  workspaceUserLastSeen,
  featureAdoptionByWorkspace,
];

/**
 * The transform's model list: the warehouse's own models, then `layers` (models built on the fact table,
 * such as the activation models), then retention, which depends on every one of them so that it runs last.
 */
export const composeModels = (layers: readonly ModelDefinition[]): ModelDefinition[] => {
  const models = [...WAREHOUSE_MODELS, ...layers];
  return [...models, retentionModel(models.map((m) => m.name))];
};

/**
 * Every model of the transform: the warehouse's, the activation models of every declared fact
 * (`#core/activation/facts.ts`), the cohort model and retention. Run order comes from dependencies
 * (orderModels), not from this list.
 */
export const MODELS: readonly ModelDefinition[] = composeModels([
  ...activationModels(),
  cohortRetentionModel,
]);

/**
 * Models in dependency order (stable: ties keep list order). A name given twice runs once, in its last
 * definition, at the place of its first (a caller adding models built with other settings to the runner's
 * list replaces the runner's own). Unknown dependencies and cycles are errors.
 */
export const orderModels = (listed: readonly ModelDefinition[]): ModelDefinition[] => {
  const byName = new Map<string, ModelDefinition>();
  // a Map keeps the position of a key's first insertion and the value of its last
  for (const m of listed) byName.set(m.name, m);
  const models = [...byName.values()];
  const problems = models.flatMap((m) =>
    m.dependsOn.filter((d) => !byName.has(d)).map((d) => `model ${m.name} depends on unknown model ${d}`),
  );
  if (problems.length > 0) throw new TransformArgumentError(problems);
  const ordered: ModelDefinition[] = [];
  const done = new Set<string>();
  while (ordered.length < models.length) {
    const next = models.find((m) => !done.has(m.name) && m.dependsOn.every((d) => done.has(d)));
    if (!next) {
      const stuck = models.filter((m) => !done.has(m.name)).map((m) => m.name);
      throw new TransformArgumentError([`dependency cycle among ${stuck.join(', ')}`]);
    }
    ordered.push(next);
    done.add(next.name);
  }
  return ordered;
};
