import { ReplayRequestError } from './errors.ts';

/** Which rejected events to replay, and how. */
export interface RejectedReplayRequest {
  /** Reject reason codes to replay (`UNKNOWN_SCHEMA_VERSION`, ...); empty: every reason. */
  readonly reasons: readonly string[];
  /** Event names to replay; empty: every name (and events without one). */
  readonly eventNames: readonly string[];
  /** Events received at or after this. */
  readonly from: Date;
  /** Events received before this. */
  readonly to: Date;
  /**
   * Hours of `rejected/` partitions read past `to`: a file is partitioned by when its first line reached
   * Firehose, which is later than receipt by the validator's lag (normally seconds; hours in a backlog).
   */
  readonly lagHours: number;
  /** Validate and count, write nothing. */
  readonly dryRun: boolean;
  /** Resume after this file (the `resume_after` of a replay that stopped on its time budget). */
  readonly afterFile: string | null;
}

/** The longest range one replay reads: the raw retention. */
export const MAX_REPLAY_DAYS = 180;
export const DEFAULT_LAG_HOURS = 6;

const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const RAW_KEY = /^rejected\/[\w=./-]+$/;

/**
 * Parses a rejected-replay request: the replay Lambda's payload (`reasons`, `event_names`, `from`, `to`,
 * `lag_hours`, `dry_run`, `after_file`) or the CLI's flags in the same shape. Times are ISO-8601 with a
 * zone, or a date (UTC midnight). Reasons are not checked against a list: the validator may add reasons,
 * and the replay of a reason no line carries finds nothing. Every problem is reported at once.
 */
export const parseRejectedReplayRequest = (
  input: Readonly<Record<string, unknown>>,
  now: Date,
): RejectedReplayRequest => {
  const problems: string[] = [];
  const list = (key: string, pattern: RegExp | null, hint: string): string[] => {
    const raw = input[key];
    if (raw === undefined || raw === null || raw === '') return [];
    const values = typeof raw === 'string' ? raw.split(',').map((v) => v.trim()) : raw;
    if (!Array.isArray(values) || !values.every((v) => typeof v === 'string' && v !== '')) {
      problems.push(`${key} must be a list of ${hint}`);
      return [];
    }
    const bad = values.filter((v) => pattern !== null && !pattern.test(v));
    if (bad.length > 0) problems.push(`${key}: ${bad.map((v) => JSON.stringify(v)).join(', ')} not ${hint}`);
    return [...new Set(values as string[])];
  };
  const time = (key: string, fallback: Date | null): Date => {
    const raw = input[key];
    if (raw === undefined || raw === null || raw === '') {
      if (fallback === null) problems.push(`${key} is required (ISO-8601 with a zone, or YYYY-MM-DD)`);
      return fallback ?? now;
    }
    const text = String(raw);
    const parsed = DAY.test(text)
      ? Date.parse(`${text}T00:00:00Z`)
      : ZONED.test(text)
        ? Date.parse(text)
        : Number.NaN;
    if (Number.isNaN(parsed)) {
      problems.push(
        `${key}: ${JSON.stringify(text)} is not ISO-8601 with a zone (2026-03-10T15:00:00Z) or YYYY-MM-DD`,
      );
      return now;
    }
    return new Date(parsed);
  };

  const reasons = list('reasons', CODE, 'reject reason codes (UNKNOWN_SCHEMA_VERSION, ...)');
  const eventNames = list('event_names', null, 'event names');
  const from = time('from', null);
  const to = time('to', now);
  if (from.getTime() >= to.getTime())
    problems.push(`from (${from.toISOString()}) must be before to (${to.toISOString()})`);
  if (to.getTime() - from.getTime() > MAX_REPLAY_DAYS * 86_400_000) {
    problems.push(
      `from and to are more than ${MAX_REPLAY_DAYS} days apart (the raw retention): replay in parts`,
    );
  }
  const lagRaw = input.lag_hours ?? DEFAULT_LAG_HOURS;
  const lagHours = typeof lagRaw === 'string' && /^\d+$/.test(lagRaw) ? Number(lagRaw) : lagRaw;
  if (typeof lagHours !== 'number' || !Number.isInteger(lagHours) || lagHours < 0 || lagHours > 72) {
    problems.push(`lag_hours must be an integer from 0 to 72, got ${JSON.stringify(lagRaw)}`);
  }
  const dryRun = input.dry_run ?? false;
  if (typeof dryRun !== 'boolean')
    problems.push(`dry_run must be true or false, got ${JSON.stringify(dryRun)}`);
  const afterFile = input.after_file ?? null;
  if (afterFile !== null && (typeof afterFile !== 'string' || !RAW_KEY.test(afterFile))) {
    problems.push(`after_file must be a key under rejected/, got ${JSON.stringify(afterFile)}`);
  }
  if (problems.length > 0) throw new ReplayRequestError(problems);
  return {
    reasons,
    eventNames,
    from,
    to,
    lagHours: lagHours as number,
    dryRun: dryRun as boolean,
    afterFile: afterFile as string | null,
  };
};
