import type { Warehouse } from '#core/warehouse/ports.ts';
import type { ReportSource } from './report.ts';

/** The Warehouse port as a report source: each report's reads in one transaction (one snapshot). */
export const warehouseSource = (warehouse: Warehouse): ReportSource => ({
  dialect: warehouse.dialect,
  read: (work) => warehouse.transaction((tx) => work((sql, params) => tx.query(sql, params))),
});
