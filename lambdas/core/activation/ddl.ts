import { DIALECT_HELPERS } from '#core/warehouse/dialect.ts';
import type { Dialect, Warehouse } from '#core/warehouse/ports.ts';
import type { SqlLibrary } from '#core/warehouse/sql-library.ts';
import { activationModelName } from './activation-model.ts';
import { type FactDeclaration, factGrains, validateFacts } from './fact.ts';
import { FACTS } from './facts.ts';
import type { Grain } from './grain.ts';

const STATE_COLUMNS = [
  'period_start',
  'user_key',
  'state',
  'previous_state',
  'transition',
  'is_churned',
  'active_streak',
  'return_interval',
  'inactive_duration',
  'first_active_period',
  'last_active_period',
];

/** The period and its user counts per state: what every view of curated.activation_summary starts with. */
export const SUMMARY_COUNT_COLUMNS = [
  'period_start',
  'active_users',
  'new_users',
  'retained_users',
  'reactivated_users',
  'churned_users',
  'inactive_users',
] as const;

const SUMMARY_COLUMNS = [
  ...SUMMARY_COUNT_COLUMNS,
  'previous_active_users',
  'quick_ratio',
  'retention_rate',
  'none_to_new',
  'new_to_retained',
  'retained_to_retained',
  'reactivated_to_retained',
  'inactive_to_reactivated',
  'new_to_inactive',
  'retained_to_inactive',
  'reactivated_to_inactive',
  'inactive_to_inactive',
];

/**
 * The analyst-facing views of one fact at one grain: `curated.<fact>_activation_<grain>` over
 * curated.activation_states and `curated.<fact>_activation_<grain>_summary` over curated.activation_summary.
 * Plain SQL both dialects accept (Snowflake keeps the views' grants when they are replaced); the names
 * come from validated declarations only.
 */
export const activationViewDdl = (fact: FactDeclaration, grain: Grain, dialect: Dialect): string[] => {
  const view = `curated.${activationModelName(fact, grain)}`;
  const where = `WHERE fact = '${fact.name}' AND grain = '${grain}'`;
  const grants = DIALECT_HELPERS.copy_grants.render(dialect);
  return [
    `CREATE OR REPLACE VIEW ${view}${grants} AS\nSELECT ${STATE_COLUMNS.join(', ')}\nFROM curated.activation_states\n${where}`,
    `CREATE OR REPLACE VIEW ${view}_summary${grants} AS\nSELECT ${SUMMARY_COLUMNS.join(', ')}\nFROM curated.activation_summary\n${where}`,
  ];
};

/**
 * The views of every declared fact, for one dialect (its tables are in sql/ddl/curated and sql/ddl/work
 * with every other table). Idempotent (OR REPLACE): what a setup script or applyActivationDdl runs.
 */
export const activationDdl = (library: SqlLibrary, facts: readonly FactDeclaration[] = FACTS): string[] => {
  validateFacts(facts);
  return [
    ...facts.flatMap((fact) =>
      factGrains(fact).flatMap((grain) => activationViewDdl(fact, grain, library.dialect)),
    ),
  ];
};

/**
 * Creates the views of every declared fact. Run after applyWarehouseDdl (which creates the activation
 * tables), and again whenever a fact is added; outside any transaction, as all DDL.
 */
export const applyActivationDdl = async (
  warehouse: Warehouse,
  library: SqlLibrary,
  facts: readonly FactDeclaration[] = FACTS,
): Promise<void> => {
  for (const sql of activationDdl(library, facts)) {
    await warehouse.execute(sql);
  }
};
