import { WarehouseConflictError } from '#core/warehouse/errors.ts';
import { addMinutes, toSqlTimestamp } from '#core/warehouse/time.ts';
import { readString, readTimestamp } from '#core/warehouse/values.ts';
import { type ErasureDb, exec, query } from './erasure-db.ts';
import { ErasureLockedError } from './errors.ts';

/** The row of ops.locks the erasure takes (seeded by sql/erasure/ddl/erasure_lock.sql). */
export const ERASURE_LOCK = 'erasure';

export interface ErasureLock {
  readonly db: ErasureDb;
  readonly owner: string;
  readonly ttlMinutes: number;
}

/**
 * Takes the erasure lock (the conditional UPDATEs of sql/ops/locks.sql, on the `erasure` row): one erasure
 * run at a time, so two runs never rewrite the same raw object at once. A crashed run's lock expires.
 */
export const acquireErasureLock = async (lock: ErasureLock, now: Date): Promise<void> => {
  let changed = 0;
  try {
    changed = await exec(lock.db, 'ops/locks', 'acquire', {
      lock_name: ERASURE_LOCK,
      owner: lock.owner,
      now: toSqlTimestamp(now),
      expires_at: toSqlTimestamp(addMinutes(now, lock.ttlMinutes)),
    });
  } catch (error) {
    if (!(error instanceof WarehouseConflictError)) throw error;
  }
  if (changed === 1) return;
  const [row] = await query(lock.db, 'ops/locks', 'read', { lock_name: ERASURE_LOCK });
  throw new ErasureLockedError(
    readString(row?.owner) ?? '(unknown)',
    readTimestamp(row?.expires_at)?.toISOString() ?? '(unknown)',
  );
};

/** Extends the lock between long steps; false when another run took it over (this run must stop). */
export const renewErasureLock = async (lock: ErasureLock, now: Date): Promise<boolean> =>
  (await exec(lock.db, 'ops/locks', 'renew', {
    lock_name: ERASURE_LOCK,
    owner: lock.owner,
    expires_at: toSqlTimestamp(addMinutes(now, lock.ttlMinutes)),
  })) === 1;

export const releaseErasureLock = async (lock: ErasureLock): Promise<void> => {
  await exec(lock.db, 'ops/locks', 'release', { lock_name: ERASURE_LOCK, owner: lock.owner });
};
