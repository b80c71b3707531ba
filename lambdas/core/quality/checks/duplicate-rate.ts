import { num, percent } from './check-sql.ts';
import {
  defineCheck,
  judgeRate,
  loadedBySource,
  RATE_RULES,
  type RateParams,
  sampleOf,
} from './define-check.ts';

/** maxPercent: highest share of a source's loaded rows that may be extra copies of an event. */
export type DuplicateRateParams = RateParams;

export const DUPLICATE_RATE_DEFAULTS: DuplicateRateParams = {
  lookbackMinutes: 60,
  maxPercent: 5,
  minCount: 10,
};

/**
 * duplicate-rate: per source, the share of raw rows that are extra copies of an event already in the
 * window (client retries, a file loaded twice). The models count each event once; a high rate means
 * clients retry too eagerly or a loader replays files. Offending keys: the most copied dedup keys.
 */
export const duplicateRateCheck = defineCheck<DuplicateRateParams>(
  {
    name: 'duplicate-rate',
    description: 'Share of loaded rows that repeat an event (same dedup_key) of the same window, per source.',
    severity: 'warn',
    metric: { name: 'DuplicateRate', unit: 'Percent', dimensions: ['SourceId'] },
    rules: RATE_RULES,
    async run(context, params) {
      const sources = await loadedBySource(context, params.lookbackMinutes, 'duplicate_rate', [
        'rows_by_source',
        'most_copied',
      ]);
      return sources.map(([source, total, copies]) => {
        const rows = num(total.loaded_rows);
        const extra = rows - num(total.distinct_keys);
        const detail = `${extra} of ${rows} loaded rows repeat an event`;
        const sample = sampleOf(context, copies, 'dedup_key');
        return judgeRate(`source=${source}`, [source], [percent(extra, rows), extra], params, sample, detail);
      });
    },
  },
  DUPLICATE_RATE_DEFAULTS,
);
