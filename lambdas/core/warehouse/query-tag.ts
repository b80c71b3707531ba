import type { Warehouse } from './ports.ts';

/** A warehouse that can label its statements (Snowflake's QUERY_TAG); DuckDB cannot and runs them unlabelled. */
export interface QueryTagging {
  withQueryTag(suffix: string): Warehouse;
}

/** `warehouse` with statements tagged `<its tag>:<suffix>` when it supports tags, else itself. */
export const withQueryTag = (warehouse: Warehouse, suffix: string): Warehouse => {
  const tagging = warehouse as Warehouse & Partial<QueryTagging>;
  return typeof tagging.withQueryTag === 'function' ? tagging.withQueryTag(suffix) : warehouse;
};
