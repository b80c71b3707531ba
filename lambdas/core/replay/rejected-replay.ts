import { dayPartition, partitionHour, RAW_PREFIXES } from '#core/contract/bucket-layout.ts';
import type { LineSink } from '#core/validator/ports.ts';
import { processKinesisBatch } from '#core/validator/process-batch.ts';
import { type StreamedRecord, toStreamedRecord } from '#core/validator/streamed-record.ts';
import type { RecordValidator } from '#core/validator/validate-record.ts';
import { FACT_MODEL } from '#core/warehouse/runner.ts';
import type { SqlLibrary } from '#core/warehouse/sql-library.ts';
import { KnownKeys, type ReplayCandidate } from './known-keys.ts';
import type { RawObjectReader, ReplayWarehouse } from './ports.ts';
import type { RejectedReplayRequest } from './request.ts';

/** The raw bucket's prefix of rejected lines (`rejected/dt=YYYY-MM-DD/hr=HH/...`). */
export const REJECTED_PREFIX = RAW_PREFIXES.rejected;

export interface RejectedReplayDeps {
  /** The raw bucket, whose `rejected/` files hold every rejected line with its whole record. */
  readonly objects: RawObjectReader;
  /** The validator as it is now (the fixed schemas): the same core the validator Lambda runs. */
  readonly validate: RecordValidator;
  /** Where the lines of events that now pass go: the events Firehose stream, or the local one. */
  readonly events: LineSink;
  /** Where the dedup keys already stored are looked up. */
  readonly warehouse: ReplayWarehouse;
  readonly sql: SqlLibrary;
  /** Records validated, looked up and written together. @default 500 */
  readonly batchSize?: number;
  /** Asked between files: true stops the replay there (a Lambda's time budget); it reports where. */
  readonly shouldStop?: () => boolean;
}

/** What a replay of rejected events did. */
export interface RejectedReplayReport {
  /** `rejected/` files read. */
  readonly files: number;
  /** Rejected lines that matched the request (reason, event name, receipt time). */
  readonly matched: number;
  /** Events that pass now, written to the events sink (or that would be, in a dry run). */
  readonly replayed: number;
  /** Events that pass now whose dedup key the warehouse (or this replay) already has: not written again. */
  readonly alreadyPresent: number;
  /** Events still rejected, by their reason now. */
  readonly stillRejected: Readonly<Record<string, number>>;
  /** Lines the events sink did not store (and records the validator threw on); run the same replay again. */
  readonly failed: number;
  /** The last error the events sink gave, when it failed. */
  readonly sinkError: string | null;
  /** Lines of rejected files that are not rejected lines (not JSON, no record): skipped. */
  readonly unreadable: number;
  readonly dryRun: boolean;
  /** Null when every file was read; else the last file read, to resume after (`after_file`). */
  readonly resumeAfter: string | null;
}

/**
 * Replays rejected events after a fix (a schema version added, a validator bug fixed): reads the
 * `rejected/` files of the requested receipt window, takes the lines matching the request, and runs each
 * line's original record (its exact bytes when `raw_record_base64` holds them) through the validator's
 * batch core, as the validator Lambda would. Events that pass now are written to the events sink unless
 * their dedup key is already stored, so a second replay writes nothing and the transform counts each
 * event once; events still rejected are counted, not written again (their lines are in `rejected/`
 * already). Nothing is deleted: the rejected lines stay, as the record of what was refused and when.
 */
export const replayRejected = async (
  deps: RejectedReplayDeps,
  request: RejectedReplayRequest,
): Promise<RejectedReplayReport> => {
  const known = new KnownKeys(deps.warehouse, FACT_MODEL, deps.sql);
  const batchSize = deps.batchSize ?? 500;
  const written = new Set<string>();
  const totals = { files: 0, matched: 0, replayed: 0, alreadyPresent: 0, failed: 0, unreadable: 0 };
  const stillRejected: Record<string, number> = {};
  const pending: StreamedRecord[] = [];
  let sinkError: string | null = null;

  const flush = async (): Promise<void> => {
    const records = pending.splice(0);
    if (records.length === 0) return;
    const lines: string[] = [];
    const result = await processKinesisBatch(records, {
      validate: deps.validate,
      events: collect(lines),
      rejected: discard,
    });
    for (const [code, count] of Object.entries(result.counts.rejected)) {
      stillRejected[code] = (stillRejected[code] ?? 0) + (count ?? 0);
    }
    // a record the validator threw on (a bug, not data) is neither replayed nor rejected: report it
    totals.failed += result.batchItemFailures.length;
    const candidates = new Map<string, { line: string; candidate: ReplayCandidate }>();
    for (const line of lines) {
      const candidate = candidateOf(line);
      if (written.has(candidate.dedupKey) || candidates.has(candidate.dedupKey)) totals.alreadyPresent++;
      else candidates.set(candidate.dedupKey, { line, candidate });
    }
    const stored = await known.of([...candidates.values()].map((c) => c.candidate));
    const fresh = [...candidates.values()].filter((c) => !stored.has(c.candidate.dedupKey));
    totals.alreadyPresent += candidates.size - fresh.length;
    const outcome = request.dryRun
      ? { failed: new Set<number>(), error: null }
      : await write(
          deps.events,
          fresh.map((c) => c.line),
        );
    fresh.forEach((c, i) => {
      if (outcome.failed.has(i)) return;
      written.add(c.candidate.dedupKey);
      totals.replayed++;
    });
    totals.failed += outcome.failed.size;
    sinkError = outcome.error ?? sinkError;
  };

  let resumeAfter: string | null = null;
  const files = await rejectedFiles(deps.objects, request);
  for (const [index, key] of files.entries()) {
    if (index > 0 && deps.shouldStop?.()) {
      resumeAfter = files[index - 1]!;
      break;
    }
    totals.files++;
    const body = await deps.objects.read(key);
    if (body === null) continue;
    let row = 0;
    for await (const { text } of deps.objects.lines(body)) {
      if (text === '') continue;
      row++;
      const record = matchingRecord(text, `${key}#${row}`, request);
      if (record === 'unreadable') totals.unreadable++;
      else if (record !== null) {
        totals.matched++;
        pending.push(record);
        if (pending.length >= batchSize) await flush();
      }
    }
    await flush();
  }
  return { ...totals, stillRejected, sinkError, dryRun: request.dryRun, resumeAfter };
};

/** The `rejected/` files of the request's receipt window and lag, in key order, after `afterFile`. */
const rejectedFiles = async (objects: RawObjectReader, request: RejectedReplayRequest): Promise<string[]> => {
  const first = floorHour(request.from.getTime());
  const last = floorHour(request.to.getTime() - 1 + request.lagHours * 3_600_000);
  const keys: string[] = [];
  for (let day = floorDay(first); day <= last; day += 86_400_000) {
    const prefix = dayPartition('rejected', new Date(day).toISOString().slice(0, 10));
    for (const key of await objects.list(prefix)) {
      const hour = partitionHour(key);
      if (hour !== null && hour >= first && hour <= last) keys.push(key);
    }
  }
  return keys.sort().filter((key) => request.afterFile === null || key > request.afterFile);
};

const floorHour = (ms: number): number => Math.floor(ms / 3_600_000) * 3_600_000;
const floorDay = (ms: number): number => Math.floor(ms / 86_400_000) * 86_400_000;

/**
 * The record of a rejected line that matches the request, as the stream gave it to the validator; null
 * when the line does not match; `unreadable` when it is not a rejected line.
 */
const matchingRecord = (
  text: string,
  id: string,
  request: RejectedReplayRequest,
): StreamedRecord | null | 'unreadable' => {
  let line: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'unreadable';
    line = parsed as Record<string, unknown>;
  } catch {
    return 'unreadable';
  }
  const reason = line.reason as { code?: unknown } | undefined;
  const code = typeof reason?.code === 'string' ? reason.code : null;
  const receivedAt = typeof line.received_at === 'string' ? line.received_at : null;
  const rawRecord = typeof line.raw_record === 'string' ? line.raw_record : null;
  if (code === null || receivedAt === null || rawRecord === null) return 'unreadable';
  const received = Date.parse(receivedAt);
  if (Number.isNaN(received) || received < request.from.getTime() || received >= request.to.getTime())
    return null;
  if (request.reasons.length > 0 && !request.reasons.includes(code)) return null;
  const eventName = typeof line.event_name === 'string' ? line.event_name : null;
  if (request.eventNames.length > 0 && (eventName === null || !request.eventNames.includes(eventName)))
    return null;
  // the exact bytes when the line keeps them (a record that was not UTF-8, a lone surrogate): replay from those
  if (typeof line.raw_record_base64 === 'string') {
    return toStreamedRecord(id, Buffer.from(line.raw_record_base64, 'base64'), receivedAt);
  }
  return { sequenceNumber: id, data: rawRecord, arrivedAt: receivedAt };
};

/** The dedup key and event date of a validated line (the validator wrote it: both are there). */
const candidateOf = (line: string): ReplayCandidate => {
  const { dedup_key, event_ts } = JSON.parse(line) as { dedup_key: string; event_ts: string };
  return { dedupKey: dedup_key, eventDate: new Date(Date.parse(event_ts)).toISOString().slice(0, 10) };
};

/** A sink that keeps the lines in memory: the replay decides what to write after looking keys up. */
const collect = (into: string[]): LineSink => ({
  write: async (lines) => {
    into.push(...lines);
    return { failed: [] };
  },
});

/** Still-rejected lines are counted by the batch core and not written again. */
const discard: LineSink = { write: async () => ({ failed: [] }) };

/** Writes lines; resolves with the indexes not stored (all of them when the sink throws) and why. */
const write = async (
  sink: LineSink,
  lines: readonly string[],
): Promise<{ failed: Set<number>; error: string | null }> => {
  if (lines.length === 0) return { failed: new Set(), error: null };
  try {
    const failed = new Set((await sink.write(lines)).failed);
    return { failed, error: failed.size > 0 ? `${failed.size} line(s) refused by the sink` : null };
  } catch (error) {
    return { failed: new Set(lines.keys()), error: error instanceof Error ? error.message : String(error) };
  }
};
