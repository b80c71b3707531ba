import type { ObjectStore } from '#core/erasure/ports.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { toSqlTimestamp } from '#core/warehouse/time.ts';

/** The error a fault raises: what a process dying at that point would leave behind. */
export class InjectedCrash extends Error {
  constructor(where: string) {
    super(`injected crash at ${where}`);
    this.name = 'InjectedCrash';
  }
}

type StoreMethod = 'replace' | 'delete' | 'purgeOldVersions' | 'countOldVersions' | 'list';

/** A real store whose `method` fails on its `nth` call (1-based), once. */
export const crashingStore = (store: ObjectStore, method: StoreMethod, nth: number): ObjectStore => {
  let calls = 0;
  const guard = async <T>(name: StoreMethod, work: () => Promise<T>): Promise<T> => {
    if (name === method) {
      calls += 1;
      if (calls === nth) throw new InjectedCrash(`ObjectStore.${method} call ${nth}`);
    }
    return work();
  };
  return {
    list: (p) => guard('list', () => store.list(p)),
    read: (k) => store.read(k),
    lines: (b) => store.lines(b),
    writer: () => store.writer(),
    replace: (k, b) => guard('replace', () => store.replace(k, b)),
    delete: (k) => guard('delete', () => store.delete(k)),
    purgeOldVersions: (k) => guard('purgeOldVersions', () => store.purgeOldVersions(k)),
    countOldVersions: (k) => guard('countOldVersions', () => store.countOldVersions(k)),
  };
};

/** The innermost cause of an error. */
export const rootCause = (error: unknown): unknown =>
  error instanceof Error && error.cause !== undefined ? rootCause(error.cause) : error;

/** A real warehouse that fails the first statement whose SQL contains `fragment`, inside transactions too. */
export const crashingWarehouse = (warehouse: Warehouse, fragment: string): Warehouse => {
  let crashed = false;
  const wrap = (inner: Warehouse): Warehouse => ({
    dialect: inner.dialect,
    execute: async (sql, params) => {
      if (!crashed && sql.includes(fragment)) {
        crashed = true;
        throw new InjectedCrash(`statement containing ${fragment}`);
      }
      return inner.execute(sql, params);
    },
    query: (sql, params) => inner.query(sql, params),
    transaction: (work) => inner.transaction((tx) => work(wrap(tx))),
    close: () => inner.close(),
  });
  return wrap(warehouse);
};

/**
 * What a killed process leaves in ops.locks: its locks still held (a thrown error released them in
 * `finally`; a crash would not), until they expire `ttlMinutes` after `at`.
 */
export const leaveLocksHeld = async (warehouse: Warehouse, at: number, ttlMinutes = 20): Promise<void> => {
  await warehouse.execute(
    `UPDATE ops.locks SET owner = 'killed-run', acquired_at = CAST(? AS TIMESTAMP), expires_at = CAST(? AS TIMESTAMP)
     WHERE lock_name IN ('erasure', 'transform')`,
    [toSqlTimestamp(new Date(at)), toSqlTimestamp(new Date(at + ttlMinutes * 60_000))],
  );
};
