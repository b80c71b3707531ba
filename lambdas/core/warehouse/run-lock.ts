import { TransformLockedError, WarehouseConflictError } from './errors.ts';
import type { Warehouse } from './ports.ts';
import { queryStatement, runStatement } from './sql-exec.ts';
import type { SqlLibrary } from './sql-library.ts';
import { addMinutes, toSqlTimestamp } from './time.ts';
import { readString, readTimestamp } from './values.ts';

/**
 * The transform lock: a row of ops.locks. Taking it is one conditional UPDATE (free, or expired), so
 * a run that crashed without releasing it blocks others only until its expiry. A run renews it inside
 * its own transaction before writing: if the lock was taken over meanwhile, the renewal changes no row
 * and the run rolls back instead of writing alongside the new owner.
 *
 * A release can fail (a full disk refuses the UPDATE's commit). An owner name that stands for one run at a
 * time (`exclusiveOwner`: the local stack, whose scheduler never overlaps its runs) then takes its lock back
 * at its next run, instead of waiting out the expiry; names shared by concurrent runs never do.
 */

export const TRANSFORM_LOCK = 'transform';

const FILE = 'ops/locks';

export interface LockHandle {
  readonly warehouse: Warehouse;
  readonly sql: SqlLibrary;
  readonly owner: string;
  readonly ttlMinutes: number;
  /** The row of ops.locks. @default TRANSFORM_LOCK */
  readonly name?: string;
  /**
   * This owner name never runs twice at once (one process whose scheduler never overlaps its runs), so a
   * lock it holds when it acquires was left by its own earlier run whose release failed: it takes it back.
   * Never set it for a name concurrent runs share; on AWS every run has its own name. @default false
   */
  readonly exclusiveOwner?: boolean;
}

/** Who holds a lock another owner could not take, and until when (ISO-8601, or `(unknown)`). */
export interface LockHolder {
  readonly owner: string;
  readonly expiresAt: string;
}

/** Takes the lock; resolves null when taken, else with who holds it. */
export const tryAcquireLock = async (lock: LockHandle, now: Date): Promise<LockHolder | null> => {
  const lockName = lock.name ?? TRANSFORM_LOCK;
  if (lock.exclusiveOwner) await releaseLock(lock);
  let changed = 0;
  try {
    changed = await runStatement(lock.warehouse, lock.sql.statement(FILE, 'acquire'), {
      lock_name: lockName,
      owner: lock.owner,
      now: toSqlTimestamp(now),
      expires_at: toSqlTimestamp(addMinutes(now, lock.ttlMinutes)),
    });
  } catch (error) {
    // Two acquirers updating the row at once: DuckDB fails one of them; it lost the race.
    if (!(error instanceof WarehouseConflictError)) throw error;
  }
  if (changed === 1) return null;
  const [row] = await queryStatement(lock.warehouse, lock.sql.statement(FILE, 'read'), {
    lock_name: lockName,
  });
  return {
    owner: readString(row?.owner) ?? '(unknown)',
    expiresAt: readTimestamp(row?.expires_at)?.toISOString() ?? '(unknown)',
  };
};

/** Takes the lock or throws TransformLockedError naming the holder. */
export const acquireLock = async (lock: LockHandle, now: Date): Promise<void> => {
  const holder = await tryAcquireLock(lock, now);
  if (holder !== null) throw new TransformLockedError(holder.owner, holder.expiresAt);
};

/** Extends the lock; false when this owner no longer holds it. Pass the run's transaction to fence its writes. */
export const renewLock = async (
  lock: LockHandle,
  now: Date,
  warehouse: Warehouse = lock.warehouse,
): Promise<boolean> =>
  (await runStatement(warehouse, lock.sql.statement(FILE, 'renew'), {
    lock_name: lock.name ?? TRANSFORM_LOCK,
    owner: lock.owner,
    expires_at: toSqlTimestamp(addMinutes(now, lock.ttlMinutes)),
  })) === 1;

/** Frees the lock if this owner still holds it. */
export const releaseLock = async (lock: LockHandle): Promise<void> => {
  await runStatement(lock.warehouse, lock.sql.statement(FILE, 'release'), {
    lock_name: lock.name ?? TRANSFORM_LOCK,
    owner: lock.owner,
  });
};
