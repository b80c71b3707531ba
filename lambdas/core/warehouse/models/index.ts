import { TransformArgumentError } from '../errors.ts';
import type { ModelDefinition } from '../model.ts';
import { dimFeature, featureClosure } from './catalog.ts';
import { fctFeatureEvents } from './fct-feature-events.ts';
import { featureUsageDaily, featureUsageWeekly } from './feature-usage.ts';
import { featureAdoptionByWorkspace, userFeatureLastSeen, workspaceUserLastSeen } from './last-seen.ts';
import { retention } from './retention.ts';

/** Every model of the transform. Run order comes from dependencies (orderModels), not from this list. */
export const MODELS: readonly ModelDefinition[] = [
  dimFeature,
  featureClosure,
  fctFeatureEvents,
  featureUsageDaily,
  featureUsageWeekly,
  userFeatureLastSeen,
  workspaceUserLastSeen,
  featureAdoptionByWorkspace,
  retention,
];

/** Models in dependency order (stable: ties keep list order). Unknown dependencies and cycles are errors. */
export const orderModels = (models: readonly ModelDefinition[]): ModelDefinition[] => {
  const byName = new Map(models.map((m) => [m.name, m]));
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
