import { queryStatement } from '#core/warehouse/sql-exec.ts';
import type { SqlLibrary } from '#core/warehouse/sql-library.ts';
import { fillTemplate, type RenderedStatement } from '#core/warehouse/template.ts';
import { factDays, loadedWindow, num } from './check-sql.ts';
import { atMost, defineCheck, type Judged, sampleOf } from './define-check.ts';
import { nonNegative, positive } from './params.ts';

export interface NullKeysParams {
  /** Rows loaded in the last this many minutes are checked. */
  readonly lookbackMinutes: number;
  /** The event that must name a feature and a workspace. */
  readonly featureEvent: string;
  /** Most rows with a missing key a bucket may have and still pass. */
  readonly maxRows: number;
}

export const NULL_KEYS_DEFAULTS: NullKeysParams = {
  lookbackMinutes: 60,
  featureEvent: 'feature_used',
  maxRows: 0,
};

const FILE = 'quality/null_keys';

/**
 * The keys checked: the ones the contract requires but the table cannot declare NOT NULL. raw.events'
 * are one template (slot `missing`), the fact's a statement of its own (it reads the fact's days too).
 */
const TARGETS = [
  { table: 'raw.events', column: 'user_key' },
  { table: 'raw.events', column: 'feature_id' },
  { table: 'raw.events', column: 'workspace_id' },
  { table: 'curated.fct_feature_events', column: 'user_key' },
] as const;

const statementFor = (sql: SqlLibrary, { table, column }: (typeof TARGETS)[number]): RenderedStatement =>
  table === 'raw.events'
    ? {
        ...fillTemplate(sql.template(FILE, 'raw_events_missing'), { missing: column }),
        name: `raw_events_missing(${column})`,
      }
    : sql.statement(FILE, 'fct_user_key');

/** null-keys: rows without a user (user_id and anonymous_id both missing), feature events without a feature or workspace. */
export const nullKeysCheck = defineCheck<NullKeysParams>(
  {
    name: 'null-keys',
    description:
      'Rows whose identifying keys are missing: no user, or a feature event without feature or workspace.',
    severity: 'error',
    metric: { name: 'NullKeyRows', unit: 'Count', dimensions: ['Table', 'Column'] },
    rules: (params) => [
      positive('lookbackMinutes', params.lookbackMinutes),
      nonNegative('maxRows', params.maxRows),
      [params.featureEvent.length > 0, 'featureEvent must name an event'],
    ],
    async run(context, params) {
      const window = loadedWindow(context.now, params.lookbackMinutes);
      const values = {
        ...window,
        ...(await factDays(context, window)),
        feature_event: params.featureEvent,
      };
      const judged: Judged[] = [];
      for (const target of TARGETS) {
        const { table, column } = target;
        const rows = await queryStatement(context.warehouse, statementFor(context.sql, target), values);
        const offending = num(rows[0]?.offending);
        const detail = `${offending} row(s) loaded in the last ${params.lookbackMinutes} min without ${column}`;
        const result = atMost(
          `${table}.${column}`,
          offending,
          params.maxRows,
          sampleOf(context, rows),
          detail,
        );
        judged.push({ result, dimensions: [table, column] });
      }
      return judged;
    },
  },
  NULL_KEYS_DEFAULTS,
);
