import type { Warehouse } from '#core/warehouse/ports.ts';

/** The warehouse, recording the text of every statement it is given (inside transactions too). */
export const recordingWarehouse = (target: Warehouse, seen: string[]): Warehouse => ({
  dialect: target.dialect,
  execute: (sql, params) => {
    seen.push(sql);
    return target.execute(sql, params);
  },
  query: (sql, params) => {
    seen.push(sql);
    return target.query(sql, params);
  },
  transaction: (work) => target.transaction((tx) => work(recordingWarehouse(tx, seen))),
  close: () => target.close(),
});
