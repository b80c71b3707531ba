import type { BucketResult, CheckContext, MetricDatum, MetricSpec, QualityCheck } from '../check.ts';
import { datum } from '../check.ts';
import { loadedWindow, num, queryCheck } from './check-sql.ts';
import { assertParams, nonNegative, positive } from './params.ts';

export interface UnloadableLinesParams {
  readonly lookbackMinutes: number;
  /** Most unloadable lines a source may have in the window and pass. */
  readonly maxLines: number;
}

export const UNLOADABLE_LINES_DEFAULTS: UnloadableLinesParams = { lookbackMinutes: 60, maxLines: 0 };

/** Bucket (and SourceId) of the total over every source. */
export const ALL_SOURCES = 'ALL';

const METRIC: MetricSpec = { name: 'UnloadableLines', unit: 'Count', dimensions: ['SourceId'] };

/**
 * unloadable-lines: lines of the sinks' files that the warehouse could not load (reason UNLOADABLE_LINE
 * in raw.rejected_events), per source and in total. The validator should never write one, so any is a
 * contract bug to fix and an event to replay: the event is not lost (its line is kept, and the
 * reconciliation counts it), but it is in no curated table. Offending keys: `file#line: problem`. On
 * Snowflake the lines come from the pipes' error tables, copied by the quality job just before; when that
 * copy failed, this check reports its error.
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
    description: 'Lines of the events and rejected files that the warehouse could not load, per source.',
    severity: 'error',
    params,
    metric: METRIC,
    async run(context: CheckContext) {
      const copy = context.unloadableCopy;
      if (copy && 'error' in copy) throw copy.error;
      const window = loadedWindow(context.now, params.lookbackMinutes);
      const counts = await queryCheck(context, 'unloadable_lines', 'unloadable_by_source', window);
      const samples = await queryCheck(context, 'unloadable_lines', 'unloadable_sample', window);
      const bySource = counts
        .map((c) => ({ source: String(c.source_id), lines: num(c.lines) }))
        .sort((a, b) => a.source.localeCompare(b.source));
      const sampleOf = (source?: string) =>
        samples
          .filter((s) => source === undefined || s.source_id === source)
          .slice(0, context.sampleSize)
          .map((s) => String(s.offending_key));
      const bucketOf = (source: string, lines: number, sample: string[]): BucketResult => ({
        bucket: `source=${source}`,
        status: lines > params.maxLines ? 'fail' : 'pass',
        observed: lines,
        expectedMin: 0,
        expectedMax: params.maxLines,
        sample,
        detail: `${lines} line(s) could not be loaded in the last ${params.lookbackMinutes} minutes`,
      });
      const total = bySource.reduce((sum, s) => sum + s.lines, 0);
      const buckets = [
        ...bySource.map((s) => bucketOf(s.source, s.lines, sampleOf(s.source))),
        bucketOf(ALL_SOURCES, total, sampleOf()),
      ];
      const metrics: MetricDatum[] = [
        ...bySource.map((s) => datum(METRIC, [s.source], s.lines)),
        datum(METRIC, [ALL_SOURCES], total),
      ];
      return { buckets, metrics };
    },
  };
};
