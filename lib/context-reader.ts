import { type ConfigLookup, ConfigReader } from '#core/config/config-reader.ts';

export type { IntRange } from '#core/config/config-reader.ts';

/**
 * Reads typed values from CDK context, collecting every problem instead of stopping at the first,
 * so one synth run reports all of them. Values given with `-c key=value` arrive as strings, so
 * numbers and booleans are accepted in both forms. The same reader as the Lambdas' environment
 * (`#core/config/config-reader.ts`), naming keys as `<prefix><key>: <problem>`.
 */
export type ContextLookup = ConfigLookup;

export class ContextReader extends ConfigReader {
  /**
   * `prefix` is prepended to every key to look it up. `name` says where a key's value came from in
   * problems (default: the prefixed key), e.g. a per-stage block of `cdk.json`.
   */
  constructor(lookup: ContextLookup, prefix = '', name?: (key: string) => string) {
    super(lookup, { prefix, separator: ': ', ...(name === undefined ? {} : { displayName: name }) });
  }
}
