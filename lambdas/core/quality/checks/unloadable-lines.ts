import type { Row } from '#core/warehouse/ports.ts';
import { loadedWindow, num, queryCheck } from './check-sql.ts';
import { atMost, defineCheck, sampleOf } from './define-check.ts';
import { nonNegative, positive } from './params.ts';

export interface UnloadableLinesParams {
  readonly lookbackMinutes: number;
  /** Most unloadable lines a source may have in the window and pass. */
  readonly maxLines: number;
}

export const UNLOADABLE_LINES_DEFAULTS: UnloadableLinesParams = { lookbackMinutes: 60, maxLines: 0 };

/** Bucket (and SourceId) of the total over every source. */
export const ALL_SOURCES = 'ALL';

/**
 * unloadable-lines: lines of the sinks' files that the warehouse could not load (reason UNLOADABLE_LINE
 * in raw.rejected_events), per source and in total. The validator should never write one, so any is a
 * contract bug to fix and an event to replay: the event is not lost (its line is kept, and the
 * reconciliation counts it), but it is in no curated table. Offending keys: `file#line: problem`. On
 * Snowflake the lines come from the pipes' error tables, copied by the quality job just before; when that
 * copy failed, this check reports its error.
 */
export const unloadableLinesCheck = defineCheck<UnloadableLinesParams>(
  {
    name: 'unloadable-lines',
    description: 'Lines of the events and rejected files that the warehouse could not load, per source.',
    severity: 'error',
    metric: { name: 'UnloadableLines', unit: 'Count', dimensions: ['SourceId'] },
    rules: { lookbackMinutes: positive, maxLines: nonNegative },
    async run(context, params) {
      const copy = context.unloadableCopy;
      if (copy && 'error' in copy) throw copy.error;
      const window = loadedWindow(context.now, params.lookbackMinutes);
      const counts = await queryCheck(context, 'unloadable_lines', 'unloadable_by_source', window);
      const samples = await queryCheck(context, 'unloadable_lines', 'unloadable_sample', window);
      const bySource = counts
        .map((c) => ({ source: String(c.source_id), lines: num(c.lines) }))
        .sort((a, b) => a.source.localeCompare(b.source));
      const judge = (source: string, lines: number, sampled: readonly Row[]) => {
        const detail = `${lines} line(s) could not be loaded in the last ${params.lookbackMinutes} minutes`;
        const result = atMost(`source=${source}`, lines, params.maxLines, sampleOf(context, sampled), detail);
        return { result, dimensions: [source] };
      };
      return [
        ...bySource.map((s) =>
          judge(
            s.source,
            s.lines,
            samples.filter((r) => r.source_id === s.source),
          ),
        ),
        judge(
          ALL_SOURCES,
          bySource.reduce((sum, s) => sum + s.lines, 0),
          samples,
        ),
      ];
    },
  },
  UNLOADABLE_LINES_DEFAULTS,
);
