import { createHash } from 'node:crypto';
import { ErasureRequestError } from './errors.ts';

/**
 * Whose data an erasure removes: a user id, optionally limited to one workspace, and the anonymous ids
 * the user's own events tie to them (pre-login device ids). Events count as the user's when they carry
 * the user id, or carry no user id and one of the linked anonymous ids (an anonymous id on another
 * user's event stays: it was a shared device).
 */
export interface ErasureSubject {
  readonly userId: string;
  /** Only this workspace's data; null for every workspace. */
  readonly workspaceId: string | null;
  readonly anonymousIds: readonly string[];
}

/** Longest id accepted (ids are client strings; anything longer is a mistake, not a user id). */
export const MAX_ID_LENGTH = 1024;

/**
 * SHA-1 (hex) of an id's UTF-8 bytes: how ops.erased_users and ops.erasure_requests name an erased
 * user once the erasure is done, so the suppression list holds no ids. SHA-1 because both warehouses
 * compute it under the same name (`SHA1()`), so staging can match incoming events in plain SQL; what
 * protects the list is that ids are not guessable from it, which SHA-1's preimage resistance (intact)
 * gives as well as SHA-256 would. See docs/ERASURE.md.
 */
export const idHash = (id: string): string => createHash('sha1').update(id, 'utf8').digest('hex');

/** The `user_key` values of the subject's rows in curated tables: the user id, and `anon:<id>` per anonymous id. */
export const userKeys = (subject: ErasureSubject): string[] => [
  subject.userId,
  ...subject.anonymousIds.map((id) => `anon:${id}`),
];

const idProblem = (label: string, value: unknown): string | null => {
  if (typeof value !== 'string' || value === '') return `${label} must be a non-empty string`;
  // The value is not echoed: messages reach logs, and ids are personal data.
  if (value.trim() !== value) return `${label} has leading or trailing spaces`;
  if (value.length > MAX_ID_LENGTH) return `${label} is longer than ${MAX_ID_LENGTH} characters`;
  return null;
};

/** Checks a user id and optional workspace; throws ErasureRequestError listing every problem. */
export const parseSubjectIds = (
  userId: unknown,
  workspaceId: unknown,
): { readonly userId: string; readonly workspaceId: string | null } => {
  const problems = [
    idProblem('user id', userId),
    workspaceId === undefined || workspaceId === null ? null : idProblem('workspace id', workspaceId),
  ].filter((p): p is string => p !== null);
  if (problems.length > 0) throw new ErasureRequestError(problems);
  return { userId: userId as string, workspaceId: (workspaceId as string | null | undefined) ?? null };
};
