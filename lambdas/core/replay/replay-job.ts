import { ReplayRequestError } from './errors.ts';
import { type FailedBatchReplayDeps, replayFailedBatches } from './failed-batches.ts';
import { type RejectedReplayDeps, replayRejected } from './rejected-replay.ts';
import { parseRejectedReplayRequest } from './request.ts';

/** What the replay Lambda runs, built once per container (the time budget is per invocation). */
export interface ReplayJobDeps {
  readonly rejected: Omit<RejectedReplayDeps, 'shouldStop'>;
  readonly failedBatches: Omit<FailedBatchReplayDeps, 'shouldStop'>;
  readonly now: () => Date;
}

/**
 * The replay Lambda's work for one invocation (docs/DEPLOY.md, Replay). The payload says what:
 * `{"action": "rejected", "from": ..., "reasons": [...], ...}` replays rejected events
 * ({@link parseRejectedReplayRequest}); `{"action": "failed-batches", "max_batches"?: n}` replays the
 * validator's failure queue. Returns the report with snake_case keys, as the invocation answers it.
 * `shouldStop` says when the invocation's time is nearly up: the work stops between files or batches
 * and says how to go on.
 */
export const runReplayJob = async (
  deps: ReplayJobDeps,
  payload: unknown,
  shouldStop: () => boolean,
): Promise<Record<string, unknown>> => {
  const input = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>;
  if (input.action === 'rejected') {
    const request = parseRejectedReplayRequest(input, deps.now());
    const report = await replayRejected({ ...deps.rejected, shouldStop }, request);
    return {
      action: 'rejected',
      from: request.from.toISOString(),
      to: request.to.toISOString(),
      reasons: request.reasons,
      event_names: request.eventNames,
      files: report.files,
      matched: report.matched,
      replayed: report.replayed,
      already_present: report.alreadyPresent,
      still_rejected: report.stillRejected,
      failed: report.failed,
      sink_error: report.sinkError,
      unreadable: report.unreadable,
      dry_run: report.dryRun,
      resume_after: report.resumeAfter,
    };
  }
  if (input.action === 'failed-batches') {
    const max = input.max_batches ?? 1000;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1) {
      throw new ReplayRequestError([`max_batches must be a positive integer, got ${JSON.stringify(max)}`]);
    }
    const report = await replayFailedBatches({ ...deps.failedBatches, maxBatches: max, shouldStop });
    const left = (b: (typeof report.failed)[number]) => ({
      shard_id: b.shardId,
      start_sequence_number: b.startSequenceNumber,
      end_sequence_number: b.endSequenceNumber,
      detail: b.detail,
    });
    return {
      action: 'failed-batches',
      batches: report.batches,
      replayed: report.replayed,
      records: report.records,
      validated: report.validated,
      rejected: report.rejected,
      failed: report.failed.map(left),
      records_missing: report.recordsMissing.map(left),
      unreadable: report.unreadable,
      remaining: report.remaining,
      more: report.more,
    };
  }
  throw new ReplayRequestError([
    `action must be "rejected" (rejected events after a fix) or "failed-batches" (the validator's failure queue), got ${JSON.stringify(input.action)}`,
  ]);
};
