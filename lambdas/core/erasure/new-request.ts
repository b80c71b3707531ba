import { randomUUID } from 'node:crypto';
import { addDays } from '#core/warehouse/time.ts';
import type { ErasureRequest, ErasureSource } from './request-record.ts';
import type { ErasureSettings } from './settings.ts';
import { idHash } from './subject.ts';

/** What asks for an erasure. Ids are checked by parseSubjectIds first. */
export interface ErasureIntake {
  readonly userId: string;
  readonly workspaceId: string | null;
  readonly source: ErasureSource;
  /** Who asked (operator, ticket); kept for the audit. */
  readonly requestedBy?: string | null;
  /** Anonymous ids known to be the user's from the start (the sweep's anonymous hits). */
  readonly anonymousIds?: readonly string[];
}

/** A request as received: due `dueDays` later, at its first step. */
export const newRequest = (intake: ErasureIntake, now: Date, settings: ErasureSettings): ErasureRequest => ({
  requestId: randomUUID(),
  subjectHash: idHash(intake.userId),
  userId: intake.userId,
  workspaceId: intake.workspaceId,
  source: intake.source,
  requestedBy: intake.requestedBy ?? null,
  receivedAt: now,
  dueAt: addDays(now, settings.dueDays),
  status: 'in_progress',
  step: 'suppress',
  attempts: 0,
  anonymousIds: intake.anonymousIds && intake.anonymousIds.length > 0 ? [...intake.anonymousIds] : null,
  mentionKeys: [],
  scan: null,
  objectsCursor: null,
  suppressedAt: null,
  objectsDoneAt: null,
  objectsScanned: 0,
  objectsRewritten: 0,
  objectsDeleted: 0,
  linesRemoved: 0,
  warehouseDoneAt: null,
  rowsRemoved: 0,
  rowsByTable: null,
  verifiedAt: null,
  verification: null,
  completedAt: null,
  lastError: null,
  updatedAt: now,
});
