import { factDays, loadedWindow, num, queryCheck } from './check-sql.ts';
import { atMost, defineCheck, sampleOf } from './define-check.ts';
import { nonNegative, positive } from './params.ts';

export interface ReferentialIntegrityParams {
  /** Fact rows loaded in the last this many hours are checked. */
  readonly lookbackHours: number;
  /** Most orphan fact rows that still pass. */
  readonly maxRows: number;
}

export const REFERENTIAL_INTEGRITY_DEFAULTS: ReferentialIntegrityParams = { lookbackHours: 24, maxRows: 0 };

const TABLE = 'curated.fct_feature_events';

/**
 * referential-integrity: fact rows flagged as a known feature whose feature id has no row in
 * curated.dim_feature; they vanish from every per-feature aggregate joined to the catalog.
 * Offending keys: the orphan feature ids, most rows first.
 */
export const referentialIntegrityCheck = defineCheck<ReferentialIntegrityParams>(
  {
    name: 'referential-integrity',
    description: 'Fact rows of known features whose feature id is missing from curated.dim_feature.',
    severity: 'error',
    metric: { name: 'OrphanRows', unit: 'Count', dimensions: ['Table'] },
    rules: { lookbackHours: positive, maxRows: nonNegative },
    async run(context, params) {
      const window = loadedWindow(context.now, params.lookbackHours * 60);
      const rows = await queryCheck(context, 'referential_integrity', 'fct_feature_id', {
        ...window,
        ...(await factDays(context, window)),
      });
      const orphans = num(rows[0]?.offending);
      const detail = `${orphans} fact row(s) name ${rows.length} feature id(s) missing from curated.dim_feature`;
      const result = atMost(`${TABLE}.feature_id`, orphans, params.maxRows, sampleOf(context, rows), detail);
      return [{ result, dimensions: [TABLE] }];
    },
  },
  REFERENTIAL_INTEGRITY_DEFAULTS,
);
