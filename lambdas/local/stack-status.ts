import type { Warehouse } from '#core/warehouse/ports.ts';
import type { JobStatus } from './scheduler.ts';

/** How far behind now the newest event visible in a table is (null: the table is empty or missing). */
export interface Freshness {
  /** Seconds between now and the newest `received_at` in raw.events. */
  readonly rawSeconds: number | null;
  /** Seconds between now and the newest `received_at` in curated.fct_feature_events. */
  readonly curatedSeconds: number | null;
  /**
   * Why the warehouse could not be read just now, if it could not: the ages are then those of the last
   * reading (nothing was loaded since: the warehouse was unavailable), null where there was none.
   */
  readonly unreadable?: string;
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

/** Epoch ms of the newest `received_at` per table; null when empty (or missing). */
interface Newest {
  readonly raw: number | null;
  readonly curated: number | null;
}

/**
 * Reads freshness from the warehouse; a table that does not exist yet counts as empty. Remembers the
 * last reading, so while the warehouse cannot be read (reopened after a fatal error) the ages still grow
 * from what it last held instead of reading as empty.
 */
export class FreshnessReader {
  #last: Newest | null = null;

  constructor(private readonly warehouse: Warehouse) {}

  async read(now: number = Date.now()): Promise<Freshness> {
    let unreadable: string | undefined;
    try {
      this.#last = {
        raw: await newest(this.warehouse, 'raw.events'),
        curated: await newest(this.warehouse, 'curated.fct_feature_events'),
      };
    } catch (error) {
      unreadable = error instanceof Error ? error.message : String(error);
    }
    const age = (ms: number | null | undefined) =>
      ms === null || ms === undefined ? null : Math.max(0, Math.round((now - ms) / 1000));
    return {
      rawSeconds: age(this.#last?.raw),
      curatedSeconds: age(this.#last?.curated),
      ...(unreadable === undefined ? {} : { unreadable }),
    };
  }
}

const MISSING_TABLE = /Catalog Error: Table with name .* does not exist/;

/** The error of a query on a table not created yet (it holds nothing), as opposed to a warehouse that cannot answer. */
export const isMissingTable = (error: unknown): boolean =>
  MISSING_TABLE.test(error instanceof Error ? error.message : String(error));

const newest = async (warehouse: Warehouse, table: string): Promise<number | null> => {
  try {
    const [row] = await warehouse.query<{ newest: string | null }>(
      `SELECT MAX(received_at) AS newest FROM ${table}`,
    );
    return row?.newest ? Date.parse(row.newest) : null;
  } catch (error) {
    if (isMissingTable(error)) return null;
    throw error;
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
      : `transform ${clock(transform.lastFinishedAt)} ${transform.lastError === null ? 'ok' : `FAILED (${brief(transform.lastError)})`}`;
  // '-' is an empty table; '?' one the warehouse could not say anything about yet
  const age = (seconds: number | null) =>
    seconds !== null ? formatAge(seconds) : status.freshness.unreadable === undefined ? '-' : '?';
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
  if (quality?.lastError) parts.push(`quality FAILED TO RUN (${brief(quality.lastError)})`);
  else if (quality?.lastSummary) parts.push(quality.lastSummary);
  // hourly and usually uneventful: shown only when it failed (a request left open resumes at the next run)
  const erasure = status.jobs.find((j) => j.name === 'erasure');
  if (erasure?.lastError) parts.push(`erasure FAILED (${brief(erasure.lastError)})`);
  if (status.streamLagBytes > 1024 * 1024)
    parts.push(`backlog ${(status.streamLagBytes / 1048576).toFixed(1)} MiB`);
  if (status.problems.length > 0) parts.push(`! ${status.problems[0]}`);
  return parts.join('  ');
};

const clock = (date: Date): string => date.toISOString().slice(11, 19);

/** A failure's reason on one line, short enough for the status line (the whole text is in `tally status --json`). */
export const brief = (reason: string, max = 140): string => {
  const oneLine = reason.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
};

const formatAge = (seconds: number): string =>
  seconds < 120
    ? `${seconds}s`
    : seconds < 7200
      ? `${Math.round(seconds / 60)}m`
      : `${Math.round(seconds / 3600)}h`;
