import { createHash } from 'node:crypto';
import type { SqlValues } from '#core/warehouse/sql-exec.ts';
import { FactDeclarationError } from './errors.ts';
import { GRAINS, type Grain } from './grain.ts';

/**
 * An activation fact: which events make a user "active". Declared as data, never as SQL: the activation
 * statements filter curated.fct_feature_events with these fields, bound as parameters, so a declaration
 * cannot inject SQL and every fact runs the same reviewed statements. Omitted filters do not filter:
 * a fact with none counts every event (an app visit).
 */
export interface FactDeclaration {
  /** Lower-case identifier; names the views `curated.<name>_activation_<grain>` and the models. */
  readonly name: string;
  /** One line for analysts (docs, report header). */
  readonly description: string;
  /** Only events with one of these names count. */
  readonly eventNames?: readonly string[];
  /** Only events of this feature or any feature below it in the catalog (curated.feature_closure). */
  readonly featureFamily?: string;
  /** Only events that carry a feature id (known to the catalog or not). */
  readonly requireFeature?: boolean;
  /** Grains to build; all three by default. */
  readonly grains?: readonly Grain[];
}

const NAME = /^[a-z][a-z0-9_]{0,39}$/;
const EVENT_NAME = /^[a-z][a-z0-9_]*$/;
const FEATURE_ID = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;

/** Every problem of one declaration (empty when it is valid). */
export const factProblems = (fact: FactDeclaration): string[] => {
  const problems: string[] = [];
  const where = `fact ${JSON.stringify(fact.name)}`;
  if (!NAME.test(fact.name)) {
    problems.push(
      `${where}: name must be lower-case letters, digits and _ (1 to 40, starting with a letter)`,
    );
  }
  if (fact.description.trim() === '') problems.push(`${where}: description is empty`);
  if (fact.eventNames !== undefined) {
    if (fact.eventNames.length === 0)
      problems.push(`${where}: eventNames is empty (omit it to count every event)`);
    for (const name of fact.eventNames) {
      if (!EVENT_NAME.test(name)) problems.push(`${where}: ${JSON.stringify(name)} is not an event name`);
    }
  }
  if (fact.featureFamily !== undefined && !FEATURE_ID.test(fact.featureFamily)) {
    problems.push(`${where}: featureFamily ${JSON.stringify(fact.featureFamily)} is not a dotted feature id`);
  }
  if (fact.grains !== undefined) {
    if (fact.grains.length === 0) problems.push(`${where}: grains is empty (omit it for all three)`);
    for (const grain of fact.grains) {
      if (!GRAINS.includes(grain)) problems.push(`${where}: unknown grain ${JSON.stringify(grain)}`);
    }
  }
  return problems;
};

/** Checks a list of declarations (each valid, names unique); throws FactDeclarationError listing every problem. */
export const validateFacts = (facts: readonly FactDeclaration[]): void => {
  const problems = facts.flatMap(factProblems);
  const seen = new Set<string>();
  for (const fact of facts) {
    if (seen.has(fact.name)) problems.push(`fact ${JSON.stringify(fact.name)} is declared twice`);
    seen.add(fact.name);
  }
  if (problems.length > 0) throw new FactDeclarationError(problems);
};

/** The grains a fact is built at. */
export const factGrains = (fact: FactDeclaration): readonly Grain[] => fact.grains ?? GRAINS;

/** The fact's filter as the named parameters of the activation statements. */
export const factValues = (fact: FactDeclaration): SqlValues => ({
  fact: fact.name,
  event_names: fact.eventNames ? JSON.stringify([...fact.eventNames].sort().map((name) => ({ name }))) : null,
  feature_family: fact.featureFamily ?? null,
  feature_required: fact.requireFeature === true,
});

/**
 * A short hash of what decides which events count. Stored as the models' state: when a declaration's
 * filter changes, its tables are rebuilt from the fact table instead of mixing two definitions.
 */
export const factFingerprint = (fact: FactDeclaration, extra: Record<string, unknown> = {}): string =>
  createHash('sha256')
    .update(JSON.stringify({ v: 1, ...factValues(fact), ...extra }))
    .digest('hex')
    .slice(0, 16);
