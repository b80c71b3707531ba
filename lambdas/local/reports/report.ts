import type { SqlParam } from '#core/warehouse/ports.ts';

/** Filters every report accepts (each report says which apply). */
export interface ReportFilters {
  readonly workspace: string | null;
  /** A feature id: the report keeps it and its descendants. */
  readonly feature: string | null;
  /** Inclusive `YYYY-MM-DD` bounds. */
  readonly from: string | null;
  readonly to: string | null;
  readonly limit: number;
}

export interface ReportQuery {
  readonly sql: string;
  readonly params: readonly SqlParam[];
}

/** A named report over the curated tables. */
export interface ReportDefinition {
  readonly name: string;
  readonly summary: string;
  /** Whether --from/--to mean something for this report. */
  readonly dated: boolean;
  build(filters: ReportFilters): ReportQuery;
}

/** `feature_id` is the feature or below it (`editor` keeps `editor.comments.mention`). */
export const featureClause = (column: string, feature: string | null): { sql: string; params: SqlParam[] } =>
  feature === null
    ? { sql: 'TRUE', params: [] }
    : { sql: `(${column} = ? OR ${column} LIKE ?)`, params: [feature, `${feature}.%`] };
