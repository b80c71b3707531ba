import type { Row } from '#core/warehouse/ports.ts';
import type { SqlValues } from '#core/warehouse/sql-exec.ts';
import type {
  BucketResult,
  CheckContext,
  CheckOutput,
  MetricSpec,
  QualityCheck,
  Severity,
} from '../check.ts';
import { datum } from '../check.ts';
import { loadedWindow, queryCheck } from './check-sql.ts';
import { assertParams, nonNegative, percentage, positive, type Rule } from './params.ts';

/** One judged bucket and, when it publishes a datapoint, its dimension values (the value is what it observed). */
export interface Judged {
  readonly result: BucketResult;
  readonly dimensions?: readonly string[];
}

/** A rule (positive, nonNegative, percentage...) for each numeric parameter it constrains, in report order. */
export type RuleMap<P> = {
  readonly [K in keyof P as P[K] extends number ? K : never]?: (name: string, value: number) => Rule;
};

/** What a check declares once; {@link defineCheck} turns it into the factory every check exports. */
export interface CheckDefinition<P> {
  readonly name: string;
  readonly description: string;
  readonly severity: Severity;
  readonly metric: MetricSpec;
  /**
   * The rules its parameters must keep, as a rule per numeric parameter (`{ maxRows: nonNegative }`) or
   * as a list; broken ones are reported together when the check is built.
   */
  readonly rules: RuleMap<P> | ((params: P) => readonly Rule[]);
  /** Judged buckets (each with its datapoint), or the output itself when its metrics are not one per bucket. */
  readonly run: (context: CheckContext, params: P) => Promise<CheckOutput | readonly Judged[]>;
}

/**
 * The shared skeleton of a check: a factory taking its parameters (the defaults when omitted) that
 * validates them and returns the declared check, so each check file keeps only what it alone knows.
 */
export const defineCheck =
  <P>(definition: CheckDefinition<P>, defaults: P) =>
  (params: P = defaults): QualityCheck<P> => {
    const { name, description, severity, metric, rules, run } = definition;
    assertParams(name, typeof rules === 'function' ? rules(params) : ruleList(rules, params));
    return {
      name,
      description,
      severity,
      params,
      metric,
      async run(context: CheckContext) {
        const output = await run(context, params);
        return isOutput(output) ? output : outputOf(metric, output);
      },
    };
  };

const ruleList = <P>(rules: RuleMap<P>, params: P): Rule[] =>
  Object.entries(rules).map(([key, rule]) =>
    (rule as (name: string, value: number) => Rule)(key, params[key as keyof P] as number),
  );

const isOutput = (output: CheckOutput | readonly Judged[]): output is CheckOutput => !Array.isArray(output);

/** Buckets in order, and a datapoint of `metric` for each one that has dimensions and an observed value. */
export const outputOf = (metric: MetricSpec, judged: readonly Judged[]): CheckOutput => ({
  buckets: judged.map((j) => j.result),
  metrics: judged.flatMap(({ result, dimensions }) =>
    dimensions && result.observed !== null ? [datum(metric, dimensions, result.observed)] : [],
  ),
});

/**
 * A bucket expected in [0, max]: it fails when `observed` is over `max`, unless the caller judges
 * otherwise (a rate below its noise floor passes).
 */
export const atMost = (
  bucket: string,
  observed: number,
  max: number,
  sample: readonly string[],
  detail: string,
  fails = observed > max,
): BucketResult => ({
  bucket,
  status: fails ? 'fail' : 'pass',
  observed,
  expectedMin: 0,
  expectedMax: max,
  sample,
  detail,
});

/** The first `context.sampleSize` rows' `column` (their offending key by default), as the bucket's sample. */
export const sampleOf = (context: CheckContext, rows: readonly Row[], column = 'offending_key'): string[] =>
  rows.slice(0, context.sampleSize).map((r) => String(r[column]));

/** Each source of `totals` in name order, with its total row and its rows of `details`. */
export const bySource = (
  totals: readonly Row[],
  details: readonly Row[],
): [source: string, total: Row, details: Row[]][] =>
  [...totals]
    .sort((a, b) => String(a.source_id).localeCompare(String(b.source_id)))
    .map((total) => [String(total.source_id), total, details.filter((d) => d.source_id === total.source_id)]);

/**
 * Each source of the loads of the last `lookbackMinutes` (see {@link bySource}): the `totals` and `details`
 * statements of `sql/quality/<file>.sql`, both given the window, `details` with `extra` values too.
 */
export const loadedBySource = async (
  context: CheckContext,
  lookbackMinutes: number,
  file: string,
  [totals, details]: readonly [string, string],
  extra: SqlValues = {},
): Promise<[source: string, total: Row, details: Row[]][]> => {
  const window = loadedWindow(context.now, lookbackMinutes);
  const totalRows = await queryCheck(context, file, totals, window);
  return bySource(totalRows, await queryCheck(context, file, details, { ...window, ...extra }));
};

/** Thresholds of a per-source rate over the loads of the last minutes. */
export interface RateParams {
  readonly lookbackMinutes: number;
  /** Highest share (percent) of a source's events that may offend. */
  readonly maxPercent: number;
  /** Fewer offending events than this never fail, whatever the rate (small sources are noisy). */
  readonly minCount: number;
}

export const RATE_RULES: RuleMap<RateParams> = {
  lookbackMinutes: positive,
  maxPercent: percentage,
  minCount: nonNegative,
};

/** A rate bucket and its datapoint: it fails over `limits.maxPercent` only from `limits.minCount` offending events. */
export const judgeRate = (
  bucket: string,
  dimensions: readonly string[],
  [rate, count]: readonly [rate: number, count: number],
  limits: Pick<RateParams, 'maxPercent' | 'minCount'>,
  sample: readonly string[],
  detail: string,
): Judged => {
  const fails = rateFails(rate, limits.maxPercent, count, limits.minCount);
  return { result: atMost(bucket, rate, limits.maxPercent, sample, detail, fails), dimensions };
};

/** A rate bucket's verdict: over its limit, and by enough events to tell from noise. */
export const rateFails = (rate: number, max: number, count: number, minCount: number): boolean =>
  rate > max && count >= minCount;
