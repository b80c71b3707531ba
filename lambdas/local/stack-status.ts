import type { Warehouse } from '#core/warehouse/ports.ts';
import type { JobStatus } from './scheduler.ts';

/** How far behind now the newest event visible in a table is (null: the table is empty or missing). */
export interface Freshness {
  /** Seconds between now and the newest `received_at` in raw.events. */
  readonly rawSeconds: number | null;
  /** Seconds between now and the newest `received_at` in curated.fct_feature_events. */
  readonly curatedSeconds: number | null;
}

/** What `tally dev` prints and `tally status` shows. Counters are since this start. */
export interface StackStatus {
  readonly url: string;
  readonly startedAt: string;
  /** HTTP answers by status code. */
  readonly requests: Readonly<Record<string, number>>;
  /** Events the collector put on the durable stream (acknowledged). */
  readonly received: number;
  readonly validated: number;
  readonly rejected: number;
  readonly rejectedByReason: Readonly<Record<string, number>>;
  readonly streamLagBytes: number;
  readonly linesBuffered: number;
  readonly filesLoaded: number;
  readonly rowsLoaded: number;
  readonly jobs: readonly JobStatus[];
  readonly freshness: Freshness;
  readonly problems: readonly string[];
}

/** Reads freshness from the warehouse; a table that does not exist yet counts as empty. */
export const readFreshness = async (warehouse: Warehouse, now: number = Date.now()): Promise<Freshness> => ({
  rawSeconds: await newestAge(warehouse, 'raw.events', now),
  curatedSeconds: await newestAge(warehouse, 'curated.fct_feature_events', now),
});

const newestAge = async (warehouse: Warehouse, table: string, now: number): Promise<number | null> => {
  try {
    const [row] = await warehouse.query<{ newest: string | null }>(
      `SELECT MAX(received_at) AS newest FROM ${table}`,
    );
    return row?.newest ? Math.max(0, Math.round((now - Date.parse(row.newest)) / 1000)) : null;
  } catch {
    return null;
  }
};

/** One terminal line: `12:00:03 received 1,204  validated 1,190  rejected 14  loaded 1,204  transform 12:00:00 ok  fresh raw 2s curated 41s`. */
export const formatStatusLine = (status: StackStatus, now: Date = new Date()): string => {
  const n = (value: number) => value.toLocaleString('en-US');
  const transform = status.jobs.find((j) => j.name === 'transform');
  const transformText = !transform
    ? 'transform -'
    : transform.lastFinishedAt === null
      ? `transform ${transform.running ? 'running' : 'pending'}`
      : `transform ${clock(transform.lastFinishedAt)} ${transform.lastError === null ? 'ok' : 'FAILED'}`;
  const age = (seconds: number | null) => (seconds === null ? '-' : formatAge(seconds));
  const parts = [
    clock(now),
    `received ${n(status.received)}`,
    `validated ${n(status.validated)}`,
    `rejected ${n(status.rejected)}`,
    `loaded ${n(status.rowsLoaded)}`,
    transformText,
    `fresh raw ${age(status.freshness.rawSeconds)} curated ${age(status.freshness.curatedSeconds)}`,
  ];
  const quality = status.jobs.find((j) => j.name === 'quality');
  if (quality?.lastSummary)
    parts.push(quality.lastError === null ? quality.lastSummary : 'quality FAILED TO RUN');
  if (status.streamLagBytes > 1024 * 1024)
    parts.push(`backlog ${(status.streamLagBytes / 1048576).toFixed(1)} MiB`);
  if (status.problems.length > 0) parts.push(`! ${status.problems[0]}`);
  return parts.join('  ');
};

const clock = (date: Date): string => date.toISOString().slice(11, 19);

const formatAge = (seconds: number): string =>
  seconds < 120
    ? `${seconds}s`
    : seconds < 7200
      ? `${Math.round(seconds / 60)}m`
      : `${Math.round(seconds / 3600)}h`;
