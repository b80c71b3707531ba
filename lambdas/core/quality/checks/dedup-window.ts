import { addDays, startOfDay, toSqlDate } from '#core/warehouse/time.ts';
import { num, queryCheck } from './check-sql.ts';
import { atMost, defineCheck, sampleOf } from './define-check.ts';
import { nonNegative, positive } from './params.ts';

export interface DedupWindowParams {
  /** Fact rows dated in the last this many days (the run's day included) are searched for a second copy. */
  readonly lookbackDays: number;
  /** Most keys held twice that still pass. */
  readonly maxKeys: number;
}

/** A week: more than twice the dedup window, so copies just outside it show. */
export const DEDUP_WINDOW_DEFAULTS: DedupWindowParams = { lookbackDays: 7, maxKeys: 0 };

const TABLE = 'curated.fct_feature_events';

/**
 * dedup-window: keys the fact holds more than once among the lookback's events. The transform dedups
 * within an event-date window (TransformSettings.dedupWindowDays) so that it never reads the whole fact;
 * a copy further from the stored one than that becomes a second row, counted twice everywhere. This
 * check counts such keys (the ones whose copies both fall in the lookback). Offending keys: the keys, most
 * copies first.
 */
export const dedupWindowCheck = defineCheck<DedupWindowParams>(
  {
    name: 'dedup-window',
    description:
      'Events the fact holds twice: a copy that arrived outside the dedup window of the stored one.',
    severity: 'warn',
    metric: { name: 'DedupWindowCopies', unit: 'Count', dimensions: ['Table'] },
    rules: { lookbackDays: positive, maxKeys: nonNegative },
    async run(context, params) {
      const from = toSqlDate(addDays(startOfDay(context.now), 1 - params.lookbackDays));
      const rows = await queryCheck(context, 'dedup_window', 'copies', { dates_from: from });
      const keys = num(rows[0]?.offending);
      const detail = `${keys} event(s) stored twice among events dated from ${from}`;
      return [
        { result: atMost(TABLE, keys, params.maxKeys, sampleOf(context, rows), detail), dimensions: [TABLE] },
      ];
    },
  },
  DEDUP_WINDOW_DEFAULTS,
);
