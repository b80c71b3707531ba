import { loadedWindow, num, percent, queryCheck } from './check-sql.ts';
import {
  atMost,
  bySource,
  defineCheck,
  type RateParams,
  rateFails,
  rateRules,
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
    rules: rateRules,
    async run(context, params) {
      const window = loadedWindow(context.now, params.lookbackMinutes);
      const totals = await queryCheck(context, 'duplicate_rate', 'rows_by_source', window);
      const copied = await queryCheck(context, 'duplicate_rate', 'most_copied', window);
      return bySource(totals, copied).map(([source, total, copies]) => {
        const rows = num(total.loaded_rows);
        const extra = rows - num(total.distinct_keys);
        const rate = percent(extra, rows);
        const fails = rateFails(rate, params.maxPercent, extra, params.minCount);
        const detail = `${extra} of ${rows} loaded rows repeat an event`;
        const sample = sampleOf(context, copies, 'dedup_key');
        return {
          result: atMost(`source=${source}`, rate, params.maxPercent, sample, detail, fails),
          dimensions: [source],
        };
      });
    },
  },
  DUPLICATE_RATE_DEFAULTS,
);
