import { queryStatement } from '#core/warehouse/sql-exec.ts';
import { fillTemplate, type RenderedStatement, type SqlTemplate } from '#core/warehouse/template.ts';
import { addDays, isoWeekStart, startOfDay, toSqlDate } from '#core/warehouse/time.ts';
import { loadedWindow, num } from './check-sql.ts';
import { atMost, defineCheck, type Judged, sampleOf } from './define-check.ts';
import { positive } from './params.ts';
import { KEYED_TABLES, type TableKey } from './table-keys.ts';

export interface KeyUniquenessParams {
  /** Rows stamped in the last this many hours are checked in raw, the fact, the run log and quality results. */
  readonly lookbackHours: number;
  /**
   * Aggregates keyed by date are checked from this many days back (weekly: from that week's Monday;
   * activation periods: from the first of that month).
   */
  readonly lookbackDays: number;
}

export const KEY_UNIQUENESS_DEFAULTS: KeyUniquenessParams = { lookbackHours: 24, lookbackDays: 3 };

/** The check's statement for one table: the template with the table's identifiers in its slots. */
export const keyStatement = (
  template: SqlTemplate,
  { table, key, touched }: TableKey,
): RenderedStatement => ({
  ...fillTemplate(template, {
    key_table: table,
    key_columns: key,
    after_column: touched && 'after' in touched ? touched.after : undefined,
    keys_after_column: touched && 'keysAfter' in touched ? touched.keysAfter : undefined,
    date_column: touched && 'date' in touched ? touched.date : undefined,
  }),
  name: `duplicated_keys(${table})`,
});

/**
 * key-uniqueness: no table holds two rows with the same key. A duplicate means a MERGE or a load ran
 * twice where it must not, and every count built on the table is inflated. Offending keys: the
 * duplicated keys, most copies first (key columns joined with `|`, raw keys as file#row).
 */
export const keyUniquenessCheck = defineCheck<KeyUniquenessParams>(
  {
    name: 'key-uniqueness',
    description: 'Duplicated keys in every table with a key (raw, curated and ops).',
    severity: 'error',
    metric: { name: 'DuplicateKeys', unit: 'Count', dimensions: ['Table'] },
    rules: { lookbackHours: positive, lookbackDays: positive },
    async run(context, params) {
      const dateFrom = startOfDay(addDays(context.now, -params.lookbackDays));
      const from = {
        day: toSqlDate(dateFrom),
        week: toSqlDate(isoWeekStart(dateFrom)),
        month: toSqlDate(new Date(Date.UTC(dateFrom.getUTCFullYear(), dateFrom.getUTCMonth(), 1))),
      };
      const touchedAfter = loadedWindow(context.now, params.lookbackHours * 60).loaded_after;
      const library = context.sql;
      const template = library.template('quality/key_uniqueness', 'duplicated_keys');
      const judged: Judged[] = [];
      for (const keyed of KEYED_TABLES) {
        const { table, key, separator = '|', touched } = keyed;
        const rows = await queryStatement(context.warehouse, keyStatement(template, keyed), {
          key_separator: separator,
          touched_after: touchedAfter,
          touched_from: touched && 'from' in touched ? from[touched.from] : null,
        });
        const duplicated = num(rows[0]?.offending);
        const detail = `${duplicated} duplicated key(s) (${key.join(', ')})`;
        judged.push({
          result: atMost(table, duplicated, 0, sampleOf(context, rows), detail),
          dimensions: [table],
        });
      }
      return judged;
    },
  },
  KEY_UNIQUENESS_DEFAULTS,
);
