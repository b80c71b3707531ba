import type { ModelDefinition } from '#core/warehouse/model.ts';
import { activationModel, activationModelName } from './activation-model.ts';
import { type FactDeclaration, factGrains, validateFacts } from './fact.ts';
import { FACTS } from './facts.ts';
import { firstLastModel, spanModel } from './first-last-model.ts';
import { type ActivationSettings, DEFAULT_ACTIVATION_SETTINGS } from './settings.ts';

/**
 * The generator: for each declared fact, its FirstLast model, one activation model per grain, and the step
 * that saves the users' spans once the activation models have read the previous ones, ready for the model
 * runner's list (they depend on fct_feature_events and feature_closure).
 */
export const activationModels = (
  facts: readonly FactDeclaration[] = FACTS,
  settings: ActivationSettings = DEFAULT_ACTIVATION_SETTINGS,
): ModelDefinition[] => {
  validateFacts(facts);
  return facts.flatMap((fact) => [
    firstLastModel(fact, settings),
    ...factGrains(fact).map((grain) => activationModel(fact, grain, settings)),
    spanModel(
      fact,
      factGrains(fact).map((grain) => activationModelName(fact, grain)),
    ),
  ]);
};
