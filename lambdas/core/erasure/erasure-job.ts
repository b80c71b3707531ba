import { addDays } from '#core/warehouse/time.ts';
import { type EraseUserOutcome, eraseUser } from './erase-user.ts';
import { advanceRequest, type ErasureDeps, erasureContext, withErasureLock } from './erasure-runner.ts';
import { ErasureLockedError, ErasureRequestError } from './errors.ts';
import { ERASURE_METRICS, type ErasureMetric } from './metric-names.ts';
import { openRequests, statusCounts } from './request-store.ts';
import { type SweepReport, sweepLateEvents } from './sweep.ts';

/** The admin payload of the erasure Lambda: `{ "action": "erase", "user_id": "...", "workspace_id"?: "..." }`. */
export interface EraseAction {
  readonly action: 'erase';
  readonly user_id: string;
  readonly workspace_id?: string;
  /** Who asked (ticket, operator); kept in ops.erasure_requests.requested_by. */
  readonly requested_by?: string;
}

/** Reads an invocation payload: an erase action, or anything else for the scheduled run. */
export const parseErasureEvent = (event: unknown): EraseAction | 'scheduled' => {
  if (typeof event !== 'object' || event === null || !('action' in event)) return 'scheduled';
  const e = event as Record<string, unknown>;
  const problems: string[] = [];
  if (e.action !== 'erase') problems.push(`action must be "erase", got ${JSON.stringify(e.action)}`);
  if (typeof e.user_id !== 'string') problems.push('user_id must be a string');
  if (e.workspace_id !== undefined && typeof e.workspace_id !== 'string')
    problems.push('workspace_id must be a string');
  if (e.requested_by !== undefined && typeof e.requested_by !== 'string')
    problems.push('requested_by must be a string');
  if (problems.length > 0) throw new ErasureRequestError(problems);
  return event as EraseAction;
};

/** What one invocation did, with the metrics to publish (never ids). */
export interface ErasureJobResult {
  readonly kind: 'scheduled' | 'erase';
  readonly completed: readonly string[];
  readonly failed: readonly { readonly requestId: string; readonly error: string }[];
  readonly sweep: SweepReport | null;
  readonly erase: EraseUserOutcome | null;
  readonly metrics: readonly ErasureMetric[];
}

/**
 * The scheduled run: sweeps late events of erased users, then runs every open request, oldest first, each
 * to completion or to the step that failed (the others still run). Another run holding the lock is not an
 * error: this one does nothing but report the metrics.
 */
const scheduledRun = async (deps: ErasureDeps) => {
  const ctx = erasureContext(deps);
  const completed: string[] = [];
  const failed: { requestId: string; error: string }[] = [];
  const run = async (): Promise<SweepReport> => {
    const sweep = await sweepLateEvents(ctx);
    for (const request of await openRequests(ctx.db)) {
      try {
        // A request waiting for its objects (fanned out to the queue's workers) is neither: it goes on next run.
        if ((await advanceRequest(ctx, request)).step === 'done') completed.push(request.requestId);
      } catch (error) {
        if (error instanceof Error && error.cause instanceof ErasureLockedError) throw error;
        failed.push({
          requestId: request.requestId,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    return sweep;
  };
  let sweep: SweepReport | null = null;
  try {
    sweep = await withErasureLock(ctx, run);
  } catch (error) {
    if (!(error instanceof ErasureLockedError)) throw error;
  }
  return { completed, failed, sweep };
};

/** The request counts as metrics: overdue (not complete `overdueDays` after receipt), past due, open. */
export const statusMetrics = async (deps: ErasureDeps): Promise<ErasureMetric[]> => {
  const ctx = erasureContext(deps);
  const now = ctx.clock();
  const counts = await statusCounts(ctx.db, now, addDays(now, -ctx.settings.overdueDays));
  return [
    { name: ERASURE_METRICS.overdue, value: counts.overdue },
    { name: ERASURE_METRICS.pastDue, value: counts.pastDue },
    { name: ERASURE_METRICS.open, value: counts.open },
  ];
};

/**
 * The erasure Lambda's work for one invocation: an admin erase action (erase that user now), or the
 * scheduled run. Always ends with the status metrics, so the overdue alarm sees a datapoint every day.
 */
export const runErasureJob = async (deps: ErasureDeps, event: unknown): Promise<ErasureJobResult> => {
  const parsed = parseErasureEvent(event);
  if (parsed === 'scheduled') {
    const { completed, failed, sweep } = await scheduledRun(deps);
    const metrics: ErasureMetric[] = [
      ...(await statusMetrics(deps)),
      { name: ERASURE_METRICS.completed, value: completed.length },
      { name: ERASURE_METRICS.failed, value: failed.length },
      { name: ERASURE_METRICS.lateEvents, value: sweep?.events ?? 0 },
    ];
    return { kind: 'scheduled', completed, failed, sweep, erase: null, metrics };
  }
  const outcome = await eraseUser(deps, {
    userId: parsed.user_id,
    workspaceId: parsed.workspace_id ?? null,
    source: 'admin',
    requestedBy: parsed.requested_by ?? null,
  });
  const completed =
    outcome.kind === 'completed' && outcome.request.step === 'done' ? [outcome.request.requestId] : [];
  const metrics: ErasureMetric[] = [
    ...(await statusMetrics(deps)),
    { name: ERASURE_METRICS.completed, value: completed.length },
  ];
  return { kind: 'erase', completed, failed: [], sweep: null, erase: outcome, metrics };
};

/** What a run did, for the log: request ids and counts, never user ids. */
/**
 * One line for a person reading the result of a scheduled run (`tally erase --pending`, the local
 * schedule's status): what the sweep found and how the open requests ended.
 */
export const scheduledRunLine = (result: ErasureJobResult): string =>
  result.sweep === null
    ? 'another erasure run holds the lock: nothing done'
    : `sweep: ${result.sweep.events} late event(s) of ${result.sweep.subjects.length} erased id(s); ` +
      `${result.completed.length} request(s) completed, ${result.failed.length} failed`;

export const jobSummary = (result: ErasureJobResult): Record<string, unknown> => ({
  kind: result.kind,
  completed: result.completed,
  failed: result.failed,
  outcome: result.erase?.kind ?? null,
  lateEvents: result.sweep?.events ?? 0,
  requestsFromSweep: result.sweep?.subjects.filter((s) => s.created).map((s) => s.requestId) ?? [],
  metrics: Object.fromEntries(result.metrics.map((m) => [m.name, m.value])),
});
