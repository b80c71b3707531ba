import type { BucketResult, CheckContext, MetricSpec, QualityCheck } from '../check.ts';
import { datum } from '../check.ts';
import { loadedWindow, num, queryCheck } from './check-sql.ts';
import { assertParams, nonNegative, positive } from './params.ts';

export interface UnloadableLinesParams {
  readonly lookbackMinutes: number;
  /** Most unloadable lines a prefix may have in the window (0: any one fails). */
  readonly maxLines: number;
}

export const UNLOADABLE_LINES_DEFAULTS: UnloadableLinesParams = { lookbackMinutes: 60, maxLines: 0 };

/**
 * The reason the raw loaders give a line they could not load. Written here, not imported from the
 * contract's reason list: the check must count these rows whichever loader wrote them.
 */
export const UNLOADABLE_LINE = 'UNLOADABLE_LINE';

/** The two prefixes a raw file lives under, each its own bucket. */
const PREFIXES = ['events', 'rejected'] as const;

const METRIC: MetricSpec = { name: 'UnloadableLines', unit: 'Count', dimensions: ['Prefix'] };

/**
 * unloadable-lines: lines of raw files the warehouse could not load, per prefix. A file is loaded line by
 * line past a bad line (Snowpipe with ON_ERROR = CONTINUE, the local loader), so its neighbours are safe,
 * but the bad line itself is in no table but raw.rejected_events (reason UNLOADABLE_LINE): Snowpipe sends
 * no error notification under CONTINUE, so this check is what makes such a line loud. The validator only
 * writes lines the loaders accept, so any one is a defect. Offending keys: `file#line`.
 */
export const unloadableLinesCheck = (
  params: UnloadableLinesParams = UNLOADABLE_LINES_DEFAULTS,
): QualityCheck<UnloadableLinesParams> => {
  assertParams('unloadable-lines', [
    positive('lookbackMinutes', params.lookbackMinutes),
    nonNegative('maxLines', params.maxLines),
  ]);
  return {
    name: 'unloadable-lines',
    description:
      'Lines of events/ and rejected/ files the warehouse could not load (reason UNLOADABLE_LINE).',
    severity: 'error',
    params,
    metric: METRIC,
    async run(context: CheckContext) {
      const values = { ...loadedWindow(context.now, params.lookbackMinutes), reason: UNLOADABLE_LINE };
      const counts = new Map(
        (await queryCheck(context, 'unloadable_lines', 'unloadable_by_prefix', values)).map((r) => [
          String(r.prefix),
          num(r.lines),
        ]),
      );
      const lines =
        counts.size > 0 ? await queryCheck(context, 'unloadable_lines', 'unloadable_lines', values) : [];
      const buckets: BucketResult[] = PREFIXES.map((prefix) => {
        const count = counts.get(prefix) ?? 0;
        return {
          bucket: `prefix=${prefix}`,
          status: count > params.maxLines ? 'fail' : 'pass',
          observed: count,
          expectedMin: 0,
          expectedMax: params.maxLines,
          sample: lines
            .filter((l) => l.prefix === prefix)
            .slice(0, context.sampleSize)
            .map((l) => `${String(l.file_name)}#${num(l.file_row)}`),
          detail:
            count === 0
              ? `every line of ${prefix}/ loaded in the last ${params.lookbackMinutes} min`
              : `${count} line(s) of ${prefix}/ files could not be loaded in the last ${params.lookbackMinutes} min`,
        };
      });
      return { buckets, metrics: PREFIXES.map((p) => datum(METRIC, [p], counts.get(p) ?? 0)) };
    },
  };
};
