/**
 * Reads typed settings from the environment or from CDK context, gathering every problem instead of
 * stopping at the first, so that one message (one failed cold start, one synth run) names all of them.
 * Each problem names the variable or key it is about.
 */

/** Where values come from: an environment variable or a context key by its full name. */
export type ConfigLookup = (key: string) => unknown;

type Env = Readonly<Record<string, string | undefined>>;

export interface IntRange {
  readonly min: number;
  readonly max: number;
}

/** What a parse function says of one value: the value, or what is wrong with it. */
export type Parsed<T> = { readonly value: T } | { readonly problem: string };

export interface ConfigReaderOptions {
  /** Prepended to every key, both to look it up and to name it in problems (`tally:`). @default '' */
  readonly prefix?: string;
  /**
   * Between a key's name and what is wrong with it: `' '` reads `TALLY_X must be ...` (environment),
   * `': '` reads `tally:x: expected ...` (context). @default ' '
   */
  readonly separator?: string;
  /**
   * How a problem names `key` when it should not read as its lookup name, e.g. a key found in a
   * per-stage block of `cdk.json` (`tally:stages.prod.shards`). @default prefix + key
   */
  readonly displayName?: (key: string) => string;
}

export class ConfigReader {
  readonly problems: string[] = [];
  /** Every key read so far (without the prefix): what a settings block may hold. */
  readonly keys = new Set<string>();
  private readonly prefix: string;
  private readonly separator: string;
  private readonly displayName: ((key: string) => string) | undefined;

  constructor(
    private readonly lookup: ConfigLookup,
    options: ConfigReaderOptions = {},
  ) {
    this.prefix = options.prefix ?? '';
    this.separator = options.separator ?? ' ';
    this.displayName = options.displayName;
  }

  /** A reader of environment variables: values are trimmed, so blank counts as unset. */
  static env(env: Env): ConfigReader {
    return new ConfigReader((name) => env[name]?.trim());
  }

  /** The name of `key` as problems show it. */
  name(key: string): string {
    return this.displayName?.(key) ?? `${this.prefix}${key}`;
  }

  /** Records what is wrong with `key`. */
  problem(key: string, message: string): void {
    this.problems.push(`${this.name(key)}${this.separator}${message}`);
  }

  /** Records a problem in its own words (a check across several keys, each named in `message`). */
  note(message: string): void {
    this.problems.push(message);
  }

  /** The value of `key`, or undefined when it is unset, null or an empty string. */
  value(key: string): unknown {
    this.keys.add(key);
    const raw = this.lookup(`${this.prefix}${key}`);
    return raw === undefined || raw === null || raw === '' ? undefined : raw;
  }

  /**
   * A string that must be set; `missing` says so when it is not (`is required`). `check` returns what
   * is wrong with a value that is set, if anything; the value is then quoted after it.
   */
  required(
    key: string,
    options: { missing?: string; check?: (value: string) => string | undefined } = {},
  ): string {
    const raw = this.value(key);
    if (raw === undefined) {
      this.problem(key, options.missing ?? 'is required');
      return '';
    }
    if (typeof raw !== 'string') {
      this.problem(key, `must be a string, got ${quote(raw)}`);
      return '';
    }
    const problem = options.check?.(raw);
    if (problem !== undefined) this.problem(key, `${problem}, got ${quote(raw)}`);
    return raw;
  }

  /** An optional value: `fallback` when unset, else what `parse` makes of it (the value is quoted after a problem). */
  optional<T>(key: string, fallback: T, parse: (value: string) => Parsed<NoInfer<T>>): NoInfer<T> {
    const raw = this.value(key);
    if (raw === undefined) return fallback;
    const parsed = parse(typeof raw === 'string' ? raw : JSON.stringify(raw));
    if ('problem' in parsed) {
      this.problem(key, `${parsed.problem}, got ${quote(raw)}`);
      return fallback;
    }
    return parsed.value;
  }

  /** A string; `fallback` when unset. `pattern` and `hint` describe what is accepted. */
  string(key: string, fallback: string, pattern?: RegExp, hint?: string): string {
    return this.optionalString(key, pattern, hint) ?? fallback;
  }

  /** A string that may be left unset (undefined). Empty strings count as unset. */
  optionalString(key: string, pattern?: RegExp, hint?: string): string | undefined {
    const raw = this.value(key);
    if (raw === undefined) return undefined;
    if (typeof raw !== 'string') {
      this.problem(key, `expected a string, got ${JSON.stringify(raw)}`);
      return undefined;
    }
    if (pattern && !pattern.test(raw)) {
      this.problem(key, `${JSON.stringify(raw)} is not ${hint ?? `matching ${pattern}`}`);
      return undefined;
    }
    return raw;
  }

  /** An integer within `range` (a number, or its digits as a string); `fallback` when unset. */
  int(key: string, fallback: number, range: IntRange): number {
    const raw = this.value(key);
    if (raw === undefined) return fallback;
    const value = typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
      this.problem(key, `expected an integer from ${range.min} to ${range.max}, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return value;
  }

  /** An integer within `range`, or undefined when unset or wrong (the problem recorded). */
  optionalInt(key: string, range: IntRange): number | undefined {
    if (this.value(key) === undefined) return undefined;
    const value = this.int(key, Number.NaN, range);
    return Number.isNaN(value) ? undefined : value;
  }

  /** A boolean (`true`/`false`, also as strings); `fallback` when unset. */
  bool(key: string, fallback: boolean): boolean {
    const raw = this.value(key);
    if (raw === undefined) return fallback;
    if (raw === true || raw === 'true') return true;
    if (raw === false || raw === 'false') return false;
    this.problem(key, `expected true or false, got ${JSON.stringify(raw)}`);
    return fallback;
  }

  /** One of `choices`; `fallback` when unset. */
  oneOf<T extends string>(key: string, fallback: T, choices: readonly T[]): T {
    const raw = this.value(key);
    if (raw === undefined) return fallback;
    const found = choices.find((choice) => choice === raw);
    if (found === undefined) {
      this.problem(key, `expected one of ${choices.join(', ')}, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return found;
  }

  /** Throws the area's configuration error, listing every problem, when there is any. */
  throwIfAny(error: (problems: readonly string[]) => Error): void {
    if (this.problems.length > 0) throw error(this.problems);
  }
}

/** A value as a problem quotes it: JSON, and long strings cut (a misplaced secret should not reach the log whole). */
const quote = (value: unknown): string =>
  typeof value === 'string' && value.length > 80
    ? JSON.stringify(`${value.slice(0, 80)}...`)
    : JSON.stringify(value);
