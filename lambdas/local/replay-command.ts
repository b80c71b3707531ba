import { existsSync } from 'node:fs';
import { FolderObjectStore } from '#adapters/local/folder-object-store.ts';
import { LocalFirehose } from '#adapters/local/local-firehose.ts';
import { loadValidator } from '#adapters/node/load-validator.ts';
import { REPO_SQL_DIR } from '#adapters/node/repo-assets.ts';
import { loadSqlLibrary } from '#adapters/node/sql-files.ts';
import { type RejectedReplayReport, replayRejected } from '#core/replay/rejected-replay.ts';
import { parseRejectedReplayRequest, type RejectedReplayRequest } from '#core/replay/request.ts';
import type { LineSink } from '#core/validator/ports.ts';
import { LocalRuntimeError } from './errors.ts';
import { tallyHome } from './tally-home.ts';
import { openWarehouseReader } from './warehouse-reader.ts';

/** `tally replay`'s flags, as commander gives them. */
export interface ReplayFlags {
  readonly reason?: string;
  readonly event?: string;
  readonly from?: string;
  readonly to?: string;
  readonly lagHours?: string;
  readonly dryRun?: boolean;
  readonly home?: string;
  readonly schemas: string;
  /** The run's clock (tests); now by default. */
  readonly now?: () => Date;
}

/** The local Firehose stream name of replayed files: `events/.../tally-replay-1-...json.gz` says where a row came from. */
export const REPLAY_DELIVERY_STREAM = 'tally-replay';

/**
 * `tally replay`: replays the local stack's rejected events after a fix (docs/LOCAL.md, Replaying rejected
 * events). It reads the bucket folder's `rejected/` files, validates with the schemas as they are now and
 * writes events that pass, unless already stored, as new files under `events/`: a running `tally dev` loads
 * them within a second, otherwise its next start does. The warehouse is asked which dedup keys it has
 * through the running stack, or from the file. Returns the report; prints a summary.
 */
export const runReplayCommand = async (
  flags: ReplayFlags,
  print: (line: string) => void,
): Promise<RejectedReplayReport> => {
  const now = flags.now?.() ?? new Date();
  const request = parseRejectedReplayRequest(
    {
      reasons: flags.reason,
      event_names: flags.event,
      from: flags.from,
      to: flags.to,
      lag_hours: flags.lagHours,
      dry_run: flags.dryRun ?? false,
    },
    now,
  );
  const home = tallyHome(flags.home);
  if (!existsSync(home.bucketDir)) {
    throw new LocalRuntimeError(
      `no bucket folder at ${home.bucketDir}: nothing was ever rejected here (pass --home <dir> for another state folder)`,
    );
  }
  const validate = await loadValidator({ schemasDir: flags.schemas, build: 'local' });
  const reader = await openWarehouseReader(home);
  const firehose = new LocalFirehose({
    root: home.bucketDir,
    prefix: 'events',
    deliveryStream: REPLAY_DELIVERY_STREAM,
  });
  try {
    print(describeRequest(request));
    const report = await replayRejected(
      {
        objects: new FolderObjectStore(home.bucketDir),
        validate,
        events: durable(firehose),
        warehouse: { dialect: 'duckdb', query: (sql, params) => reader.query(sql, params) },
        sql: loadSqlLibrary('duckdb', REPO_SQL_DIR),
      },
      request,
    );
    for (const line of describeReport(report, reader.via)) print(line);
    return report;
  } finally {
    await reader.close();
  }
};

/** Each batch of lines becomes one file, on disk before it counts as replayed. */
const durable = (firehose: LocalFirehose): LineSink => ({
  write: async (lines) => {
    const result = await firehose.write(lines);
    await firehose.flush();
    return result;
  },
});

const describeRequest = (r: RejectedReplayRequest): string =>
  `${r.dryRun ? 'dry run: ' : ''}replaying rejected events received ${r.from.toISOString()} to ${r.to.toISOString()}` +
  ` (${r.reasons.length > 0 ? `reasons ${r.reasons.join(', ')}` : 'every reason'}; ` +
  `${r.eventNames.length > 0 ? `events ${r.eventNames.join(', ')}` : 'every event name'})`;

const describeReport = (report: RejectedReplayReport, via: 'running' | 'file'): string[] => {
  const still = Object.entries(report.stillRejected).sort(([a], [b]) => a.localeCompare(b));
  const stillCount = still.reduce((sum, [, n]) => sum + n, 0);
  return [
    `read ${report.files} rejected file(s): ${report.matched} matching line(s)`,
    `  ${report.dryRun ? 'would replay' : 'replayed'}: ${report.replayed}` +
      (report.replayed > 0 && !report.dryRun
        ? via === 'running'
          ? ' (written under events/; the running tally dev loads them now, the next transform counts them)'
          : ' (written under events/; the next `tally dev` loads them)'
        : ''),
    `  already in the warehouse: ${report.alreadyPresent}`,
    `  still rejected: ${stillCount}${still.length > 0 ? ` (${still.map(([code, n]) => `${code} ${n}`).join(', ')})` : ''}`,
    ...(report.unreadable > 0 ? [`  unreadable lines skipped: ${report.unreadable}`] : []),
    ...(report.failed > 0
      ? [
          `  NOT stored: ${report.failed} (${report.sinkError ?? 'validator error'}); run the same replay again`,
        ]
      : []),
  ];
};
