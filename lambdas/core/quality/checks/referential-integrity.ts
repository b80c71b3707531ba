import type { CheckContext, MetricSpec, QualityCheck } from '../check.ts';
import { datum } from '../check.ts';
import { factDays, loadedWindow, num, queryCheck } from './check-sql.ts';
import { assertParams, nonNegative, positive } from './params.ts';

export interface ReferentialIntegrityParams {
  /** Fact rows loaded in the last this many hours are checked. */
  readonly lookbackHours: number;
  /** Most orphan fact rows that still pass. */
  readonly maxRows: number;
}

export const REFERENTIAL_INTEGRITY_DEFAULTS: ReferentialIntegrityParams = { lookbackHours: 24, maxRows: 0 };

const METRIC: MetricSpec = { name: 'OrphanRows', unit: 'Count', dimensions: ['Table'] };
const TABLE = 'curated.fct_feature_events';

/**
 * referential-integrity: fact rows flagged as a known feature whose feature id has no row in
 * curated.dim_feature; they vanish from every per-feature aggregate joined to the catalog.
 * Offending keys: the orphan feature ids, most rows first.
 */
export const referentialIntegrityCheck = (
  params: ReferentialIntegrityParams = REFERENTIAL_INTEGRITY_DEFAULTS,
): QualityCheck<ReferentialIntegrityParams> => {
  assertParams('referential-integrity', [
    positive('lookbackHours', params.lookbackHours),
    nonNegative('maxRows', params.maxRows),
  ]);
  return {
    name: 'referential-integrity',
    description: 'Fact rows of known features whose feature id is missing from curated.dim_feature.',
    severity: 'error',
    params,
    metric: METRIC,
    async run(context: CheckContext) {
      const window = loadedWindow(context.now, params.lookbackHours * 60);
      const rows = await queryCheck(context, 'referential_integrity', 'fct_feature_id', {
        ...window,
        ...(await factDays(context, window)),
      });
      const orphans = num(rows[0]?.offending);
      return {
        buckets: [
          {
            bucket: `${TABLE}.feature_id`,
            status: orphans > params.maxRows ? 'fail' : 'pass',
            observed: orphans,
            expectedMin: 0,
            expectedMax: params.maxRows,
            sample: rows.slice(0, context.sampleSize).map((r) => String(r.offending_key)),
            detail: `${orphans} fact row(s) name ${rows.length} feature id(s) missing from curated.dim_feature`,
          },
        ],
        metrics: [datum(METRIC, [TABLE], orphans)],
      };
    },
  };
};
