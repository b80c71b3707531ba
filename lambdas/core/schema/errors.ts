import { TallyError } from '#core/errors/tally-error.ts';

/**
 * Errors of the schema area: loading the event schemas and the feature catalog. They are
 * configuration errors (a bad file under `schemas/`), raised at start-up, never per event;
 * each lists every problem found so one fix-and-retry round is enough.
 */

/** Base of every schema-area error. */
export class SchemaError extends TallyError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SchemaError';
  }
}

/** The event schemas cannot be loaded: bad file names, unreadable JSON, schemas Ajv refuses. */
export class SchemaRegistryError extends SchemaError {
  /** One line per problem, each naming the file it is about. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[], options?: ErrorOptions) {
    super(`invalid event schemas (${problems.length} problem(s)):\n  - ${problems.join('\n  - ')}`, options);
    this.name = 'SchemaRegistryError';
    this.problems = problems;
  }
}

/** The feature catalog cannot be loaded: duplicate ids, missing parents, colliding aliases. */
export class FeatureCatalogError extends SchemaError {
  /** One line per problem, each naming the feature or alias it is about. */
  readonly problems: readonly string[];

  constructor(source: string, problems: readonly string[], options?: ErrorOptions) {
    super(
      `invalid feature catalog ${source} (${problems.length} problem(s)):\n  - ${problems.join('\n  - ')}`,
      options,
    );
    this.name = 'FeatureCatalogError';
    this.problems = problems;
  }
}
