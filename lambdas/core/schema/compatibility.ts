/**
 * Whether a schema can replace another under an ADDITION bump (`1-0-0` -> `1-0-1`): every
 * event the old schema accepted must still be accepted. Checked structurally, keyword by
 * keyword, and conservatively: what cannot be proven compatible is reported.
 */

/** One reason a new schema version is not a backward-compatible addition. */
export interface CompatibilityProblem {
  /** JSON pointer into the schema where the difference is. */
  readonly path: string;
  readonly message: string;
}

export interface CompatibilityReport {
  readonly compatible: boolean;
  readonly problems: readonly CompatibilityProblem[];
}

type Schema = Readonly<Record<string, unknown>> | boolean;

/** Bounds that may only be loosened (lowered). */
const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'] as const;
/** Bounds that may only be loosened (raised). */
const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'] as const;
/** Keywords whose changes this checker does not reason about: any change to them is reported. */
const OPAQUE = [
  '$ref',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
  'dependencies',
  'dependentRequired',
  'dependentSchemas',
  'patternProperties',
  'propertyNames',
  'contains',
  'definitions',
  '$defs',
] as const;

/**
 * Compares two versions of an event schema. Compatible means: no new required fields, no
 * removed or retyped properties, no narrowed enums, consts, bounds, patterns or formats, and
 * `additionalProperties` not tightened, at any depth. New optional properties are allowed.
 */
export const checkAdditionCompatible = (oldSchema: unknown, newSchema: unknown): CompatibilityReport => {
  const problems: CompatibilityProblem[] = [];
  compare(asSchema(oldSchema), asSchema(newSchema), '', problems);
  return { compatible: problems.length === 0, problems };
};

const asSchema = (value: unknown): Schema =>
  typeof value === 'boolean' ? value : typeof value === 'object' && value !== null ? (value as Schema) : true;

const isEmpty = (schema: Schema): boolean =>
  schema === true || (typeof schema === 'object' && Object.keys(schema).length === 0);

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const typesOf = (schema: Readonly<Record<string, unknown>>): readonly string[] | null => {
  const type = schema.type;
  if (type === undefined) return null;
  return Array.isArray(type) ? (type as string[]) : [String(type)];
};

const compare = (
  oldSchema: Schema,
  newSchema: Schema,
  path: string,
  problems: CompatibilityProblem[],
): void => {
  const report = (at: string, message: string) => problems.push({ path: at === '' ? '/' : at, message });
  if (newSchema === true || isEmpty(newSchema)) return;
  if (newSchema === false) {
    if (oldSchema !== false) report(path, 'the schema now rejects everything');
    return;
  }
  if (oldSchema === false) return;
  const before: Readonly<Record<string, unknown>> = oldSchema === true ? {} : oldSchema;
  const after = newSchema;

  const oldTypes = typesOf(before);
  const newTypes = typesOf(after);
  if (newTypes !== null) {
    if (oldTypes === null) report(path, `type ${JSON.stringify(after.type)} was added`);
    else {
      for (const type of oldTypes) {
        const kept = newTypes.includes(type) || (type === 'integer' && newTypes.includes('number'));
        if (!kept) report(path, `type "${type}" is no longer accepted (now ${JSON.stringify(after.type)})`);
      }
    }
  }

  const oldRequired = new Set((before.required as string[] | undefined) ?? []);
  for (const name of (after.required as string[] | undefined) ?? []) {
    if (!oldRequired.has(name)) report(`${path}/required`, `"${name}" became required`);
  }

  const oldProperties = (before.properties ?? {}) as Record<string, Schema>;
  const newProperties = (after.properties ?? {}) as Record<string, Schema>;
  for (const name of Object.keys(oldProperties)) {
    const at = `${path}/properties/${name}`;
    if (!Object.hasOwn(newProperties, name)) report(at, `property "${name}" was removed`);
    else compare(oldProperties[name]!, newProperties[name]!, at, problems);
  }

  if (Object.hasOwn(after, 'additionalProperties')) {
    const oldExtra = asSchema(before.additionalProperties);
    const newExtra = asSchema(after.additionalProperties);
    if (oldExtra !== false) {
      if (isEmpty(oldExtra) && !isEmpty(newExtra)) {
        report(`${path}/additionalProperties`, 'additionalProperties was tightened');
      } else compare(oldExtra, newExtra, `${path}/additionalProperties`, problems);
    }
  }

  if (Object.hasOwn(after, 'items')) {
    compare(asSchema(before.items), asSchema(after.items), `${path}/items`, problems);
  }

  if (Array.isArray(after.enum)) {
    if (!Array.isArray(before.enum)) report(`${path}/enum`, 'an enum was added');
    else {
      const allowed = new Set(after.enum.map((value) => JSON.stringify(value)));
      for (const value of before.enum) {
        if (!allowed.has(JSON.stringify(value)))
          report(`${path}/enum`, `enum value ${JSON.stringify(value)} was removed`);
      }
    }
  }
  if (Object.hasOwn(after, 'const') && !(Object.hasOwn(before, 'const') && same(before.const, after.const))) {
    report(`${path}/const`, 'const was added or changed');
  }

  for (const keyword of LOWER_BOUNDS) {
    const now = after[keyword];
    const was = before[keyword];
    if (typeof now === 'number' && (typeof was !== 'number' || now > was)) {
      report(
        `${path}/${keyword}`,
        `${keyword} was raised to ${now}${typeof was === 'number' ? ` from ${was}` : ''}`,
      );
    }
  }
  for (const keyword of UPPER_BOUNDS) {
    const now = after[keyword];
    const was = before[keyword];
    if (typeof now === 'number' && (typeof was !== 'number' || now < was)) {
      report(
        `${path}/${keyword}`,
        `${keyword} was lowered to ${now}${typeof was === 'number' ? ` from ${was}` : ''}`,
      );
    }
  }
  const multiple = after.multipleOf;
  if (
    typeof multiple === 'number' &&
    !(typeof before.multipleOf === 'number' && before.multipleOf % multiple === 0)
  ) {
    report(`${path}/multipleOf`, 'multipleOf was added or narrowed');
  }
  for (const keyword of ['pattern', 'format'] as const) {
    if (Object.hasOwn(after, keyword) && before[keyword] !== after[keyword]) {
      report(`${path}/${keyword}`, `${keyword} was added or changed`);
    }
  }
  if (after.uniqueItems === true && before.uniqueItems !== true)
    report(`${path}/uniqueItems`, 'uniqueItems was added');

  for (const keyword of OPAQUE) {
    if (!same(before[keyword], after[keyword])) {
      report(
        `${path}/${keyword}`,
        `${keyword} changed; its compatibility cannot be checked, so bump REVISION or MODEL`,
      );
    }
  }
};
