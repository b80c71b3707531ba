/**
 * Reads typed values from CDK context, collecting every problem instead of stopping at the first,
 * so one synth run reports all of them. Values given with `-c key=value` arrive as strings, so
 * numbers and booleans are accepted in both forms.
 */
export type ContextLookup = (key: string) => unknown;

export interface IntRange {
  readonly min: number;
  readonly max: number;
}

export class ContextReader {
  readonly problems: string[] = [];
  /** Every key read so far (without the prefix): what a settings block may hold. */
  readonly keys = new Set<string>();

  /**
   * `prefix` is prepended to every key to look it up. `name` says where a key's value came from in
   * problems (default: the prefixed key), e.g. a per-stage block of `cdk.json`.
   */
  constructor(
    private readonly lookup: ContextLookup,
    private readonly prefix = '',
    private readonly name: (key: string) => string = (key) => `${prefix}${key}`,
  ) {}

  private get(key: string): unknown {
    this.keys.add(key);
    return this.lookup(`${this.prefix}${key}`);
  }

  private report(key: string, message: string): void {
    this.problems.push(`${this.name(key)}: ${message}`);
  }

  /** A string; `fallback` when unset. `pattern` and `hint` describe what is accepted. */
  string(key: string, fallback: string, pattern?: RegExp, hint?: string): string {
    const value = this.optionalString(key, pattern, hint);
    return value ?? fallback;
  }

  /** A string that may be left unset (undefined). Empty strings count as unset. */
  optionalString(key: string, pattern?: RegExp, hint?: string): string | undefined {
    const raw = this.get(key);
    if (raw === undefined || raw === null || raw === '') return undefined;
    if (typeof raw !== 'string') {
      this.report(key, `expected a string, got ${JSON.stringify(raw)}`);
      return undefined;
    }
    if (pattern && !pattern.test(raw)) {
      this.report(key, `${JSON.stringify(raw)} is not ${hint ?? `matching ${pattern}`}`);
      return undefined;
    }
    return raw;
  }

  /** An integer within `range`; `fallback` when unset. */
  int(key: string, fallback: number, range: IntRange): number {
    const raw = this.get(key);
    if (raw === undefined || raw === null || raw === '') return fallback;
    const value = typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
      this.report(key, `expected an integer from ${range.min} to ${range.max}, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return value;
  }

  /** An integer within `range`, or undefined when unset. */
  optionalInt(key: string, range: IntRange): number | undefined {
    const raw = this.get(key);
    if (raw === undefined || raw === null || raw === '') return undefined;
    const value = this.int(key, Number.NaN, range);
    return Number.isNaN(value) ? undefined : value;
  }

  /** A boolean (`true`/`false`, also as strings); `fallback` when unset. */
  bool(key: string, fallback: boolean): boolean {
    const raw = this.get(key);
    if (raw === undefined || raw === null || raw === '') return fallback;
    if (raw === true || raw === 'true') return true;
    if (raw === false || raw === 'false') return false;
    this.report(key, `expected true or false, got ${JSON.stringify(raw)}`);
    return fallback;
  }

  /** One of `choices`; `fallback` when unset. */
  oneOf<T extends string>(key: string, fallback: T, choices: readonly T[]): T {
    const raw = this.get(key);
    if (raw === undefined || raw === null || raw === '') return fallback;
    const found = choices.find((choice) => choice === raw);
    if (found === undefined) {
      this.report(key, `expected one of ${choices.join(', ')}, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return found;
  }

  /** Records a problem with `key` found by a check across several values. */
  problem(key: string, message: string): void {
    this.report(key, message);
  }
}
