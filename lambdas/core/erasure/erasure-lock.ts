import { type LockHandle, releaseLock, renewLock, tryAcquireLock } from '#core/warehouse/run-lock.ts';
import type { ErasureDb } from './erasure-db.ts';
import { ErasureLockedError } from './errors.ts';

/** The row of ops.locks the erasure takes (seeded by sql/ddl/ops/locks.sql). */
export const ERASURE_LOCK = 'erasure';

export interface ErasureLock {
  readonly db: ErasureDb;
  readonly owner: string;
  readonly ttlMinutes: number;
}

const handle = (lock: ErasureLock): LockHandle => ({
  warehouse: lock.db.warehouse,
  sql: lock.db.sql,
  owner: lock.owner,
  ttlMinutes: lock.ttlMinutes,
  name: ERASURE_LOCK,
});

/**
 * Takes the erasure lock (the transform's lock mechanism, sql/ops/locks.sql, on the `erasure` row): one
 * erasure run at a time, so two runs never rewrite the same raw object at once. A crashed run's lock expires.
 */
export const acquireErasureLock = async (lock: ErasureLock, now: Date): Promise<void> => {
  const holder = await tryAcquireLock(handle(lock), now);
  if (holder !== null) throw new ErasureLockedError(holder.owner, holder.expiresAt);
};

/** Extends the lock between long steps; false when another run took it over (this run must stop). */
export const renewErasureLock = (lock: ErasureLock, now: Date): Promise<boolean> =>
  renewLock(handle(lock), now);

export const releaseErasureLock = (lock: ErasureLock): Promise<void> => releaseLock(handle(lock));
