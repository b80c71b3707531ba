import { randomUUID } from 'node:crypto';
import { EPOCH } from '#core/warehouse/runner.ts';
import { addMinutes, toSqlTimestamp } from '#core/warehouse/time.ts';
import { readNumber, readString, readTimestamp } from '#core/warehouse/values.ts';
import type { ErasureContext } from './erasure-context.ts';
import { exec, query } from './erasure-db.ts';
import { newRequest } from './new-request.ts';
import { insertRequest, requestsForSubject } from './request-store.ts';
import { idHash } from './subject.ts';

/** An erased id whose events were loaded after its erasure. */
export interface LateSubject {
  readonly kind: 'user' | 'anonymous';
  readonly subjectHash: string;
  readonly workspaceId: string | null;
  readonly events: number;
  /** The request that erases them: an open one for the same id and scope, or one the sweep created. */
  readonly requestId: string;
  readonly created: boolean;
}

export interface SweepReport {
  readonly runId: string;
  /** Raw loads covered: loaded_at in (loadedAfter, loadedUntil]; null until when nothing was ever loaded. */
  readonly loadedAfter: Date;
  readonly loadedUntil: Date | null;
  readonly subjects: readonly LateSubject[];
  readonly events: number;
}

/**
 * Finds events of erased users that were loaded after their erasure (late events, or queued ones the
 * erasure could not see) and queues their erasure: for each id found, an open request for the same id and
 * scope takes them, else a new request (source `sweep`) is created. Counts go to ops.erasure_suppressions.
 * Reads only the loads since the previous sweep (less an overlap); the caller holds the erasure lock and
 * runs the open requests afterwards.
 */
export const sweepLateEvents = async (ctx: ErasureContext): Promise<SweepReport> => {
  const runId = randomUUID();
  const now = ctx.clock();
  const [last] = await query(ctx.db, 'sweep', 'last_loaded_until');
  const previous = readTimestamp(last?.loaded_until);
  const loadedAfter = previous ? addMinutes(previous, -ctx.settings.sweepOverlapMinutes) : EPOCH;
  const [newest] = await query(ctx.db, 'sweep', 'newest_load');
  const loadedUntil = readTimestamp(newest?.loaded_at);
  const subjects: LateSubject[] = [];
  if (loadedUntil !== null) {
    const found = await query(ctx.db, 'sweep', 'late_subjects', {
      loaded_after: toSqlTimestamp(loadedAfter),
      loaded_until: toSqlTimestamp(loadedUntil),
    });
    for (const row of found) {
      const kind = readString(row.id_kind) === 'anonymous' ? 'anonymous' : 'user';
      const id = readString(row.id) ?? '';
      const workspaceId = readString(row.scope);
      const events = readNumber(row.events) ?? 0;
      const subjectHash = idHash(id);
      const open = (await requestsForSubject(ctx.db, subjectHash, workspaceId)).find(
        (r) => r.status !== 'completed',
      );
      let requestId = open?.requestId;
      if (requestId === undefined) {
        // An anonymous id found alone is erased as its own subject: the id in both roles.
        const request = newRequest(
          { userId: id, workspaceId, source: 'sweep', anonymousIds: kind === 'anonymous' ? [id] : [] },
          now,
          ctx.settings,
        );
        await insertRequest(ctx.db, request);
        requestId = request.requestId;
      }
      await exec(ctx.db, 'sweep', 'record_suppression', {
        suppressed_at: toSqlTimestamp(now),
        run_id: runId,
        subject_hash: subjectHash,
        events,
        request_id: requestId,
      });
      subjects.push({ kind, subjectHash, workspaceId, events, requestId, created: open === undefined });
    }
  }
  const events = subjects.reduce((sum, s) => sum + s.events, 0);
  await exec(ctx.db, 'sweep', 'record_sweep', {
    run_id: runId,
    swept_at: toSqlTimestamp(now),
    loaded_after: toSqlTimestamp(loadedAfter),
    loaded_until: loadedUntil === null ? null : toSqlTimestamp(loadedUntil),
    subjects_found: subjects.length,
    events_found: events,
  });
  return { runId, loadedAfter, loadedUntil, subjects, events };
};
