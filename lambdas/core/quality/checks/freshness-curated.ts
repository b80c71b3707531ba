import { FACT_MODEL } from '#core/warehouse/runner.ts';
import { toSqlTimestamp } from '#core/warehouse/time.ts';
import { readTimestamp } from '#core/warehouse/values.ts';
import { num, queryCheck } from './check-sql.ts';
import { atMost, defineCheck, type Judged, sampleOf } from './define-check.ts';
import { positive } from './params.ts';

export interface CuratedFreshnessParams {
  /** A loaded raw row must be reflected in the curated layer within this (DESIGN: < 15 min). */
  readonly maxAgeSeconds: number;
  /** Models that must have a watermark (others are checked when they have one). */
  readonly requiredModels: readonly string[];
}

export const CURATED_FRESHNESS_DEFAULTS: CuratedFreshnessParams = {
  maxAgeSeconds: 900,
  requiredModels: [FACT_MODEL],
};

/**
 * freshness-curated: per incremental model, how long the oldest raw.events row loaded after the
 * model's watermark has been waiting (0 when the model has processed everything loaded). Measured from
 * loaded_at, so replayed or late events do not count as lag. Offending keys: the waiting files, oldest first.
 */
export const curatedFreshnessCheck = defineCheck<CuratedFreshnessParams>(
  {
    name: 'freshness-curated',
    description: 'Seconds the oldest loaded raw row has waited for the curated models, against 15 minutes.',
    severity: 'error',
    metric: { name: 'CuratedLagSeconds', unit: 'Seconds', dimensions: ['Model'] },
    rules: { maxAgeSeconds: positive },
    async run(context, params) {
      const marks = new Map<string, Date | null>(params.requiredModels.map((m) => [m, null]));
      for (const row of await queryCheck(context, 'freshness', 'model_watermarks')) {
        marks.set(String(row.model_name), readTimestamp(row.loaded_at_watermark));
      }
      const judged: Judged[] = [];
      for (const [model, mark] of [...marks].sort(([a], [b]) => a.localeCompare(b))) {
        const pending = await queryCheck(context, 'freshness', 'pending_after', {
          pending_from: toSqlTimestamp(new Date((mark?.getTime() ?? 0) + 1)),
          loaded_until: toSqlTimestamp(context.now),
        });
        const oldest = readTimestamp(pending[0]?.oldest_pending_loaded_at);
        const lag = oldest ? Math.max(0, Math.round((context.now.getTime() - oldest.getTime()) / 1000)) : 0;
        const rows = num(pending[0]?.pending_rows);
        const detail =
          rows === 0
            ? `up to date${mark ? ` (watermark ${mark.toISOString()})` : ''}`
            : `${rows} raw row(s) waiting, oldest loaded ${lag} s ago${mark ? '' : '; the model has never run'}`;
        const sample = sampleOf(context, pending, 'file_name');
        judged.push({
          result: atMost(`model=${model}`, lag, params.maxAgeSeconds, sample, detail),
          dimensions: [model],
        });
      }
      return judged;
    },
  },
  CURATED_FRESHNESS_DEFAULTS,
);
