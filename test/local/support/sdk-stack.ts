import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFeatureCatalog } from '#adapters/node/load-feature-catalog.ts';
import type { EventStream, PutRecordsResult, StreamRecord } from '#core/collector/ports.ts';
import { decodeCollectedRecord } from '#core/contract/collected-record.ts';
import { type LocalStack, startLocalStack } from '#local/local-stack.ts';
import { tallyHome } from '#local/tally-home.ts';
import { warehouseJobs } from '#local/warehouse-jobs.ts';

/**
 * The stream in front of the local stack's own: it notes how many records each request put on the
 * stream (by the request id in each record's meta), and can refuse one write the way a throttled
 * stream does, after taking part of it, so the collector answers 503 with some events already on
 * the stream and the client's retry sends them again.
 */
export class TappedStream implements EventStream {
  /** Records the stream took, per request id. */
  readonly recordsPerRequest = new Map<string, number>();
  readonly #inner: EventStream;
  #refuseNext = false;

  constructor(inner: EventStream) {
    this.#inner = inner;
  }

  /** The next write takes the first half of its records, then fails (the collector answers 503). */
  refuseNextWrite(): void {
    this.#refuseNext = true;
  }

  async putRecords(records: readonly StreamRecord[]): Promise<PutRecordsResult> {
    if (this.#refuseNext) {
      this.#refuseNext = false;
      const taken = records.slice(0, Math.floor(records.length / 2));
      if (taken.length > 0) this.#note(taken, await this.#inner.putRecords(taken));
      throw new Error('the stream refused the write (fault injected by the test)');
    }
    const result = await this.#inner.putRecords(records);
    this.#note(records, result);
    return result;
  }

  #note(records: readonly StreamRecord[], result: PutRecordsResult): void {
    records.forEach((record, i) => {
      if (result.failed.includes(i)) return;
      const { meta } = decodeCollectedRecord(Buffer.from(record.data).toString('utf8'));
      const id = meta?.request_id ?? '?';
      this.recordsPerRequest.set(id, (this.recordsPerRequest.get(id) ?? 0) + 1);
    });
  }
}

export interface SdkStack {
  readonly stack: LocalStack;
  readonly tap: TappedStream;
  /** Write key of the `local` source. */
  readonly key: string;
  /** Events of these users in raw.events, one row each, ordered by event name and event id. */
  rawEvents(userIds: readonly string[]): Promise<RawEventRow[]>;
  /** How often each event id of these users is in the fact (after a transform run). */
  factCopies(userIds: readonly string[]): Promise<Map<string, number>>;
  /** Rejected lines of these users, reason and message (empty when all is well). */
  rejected(userIds: readonly string[]): Promise<string[]>;
  close(): Promise<void>;
}

export interface RawEventRow {
  readonly event_id: string;
  readonly event_name: string;
  readonly call_type: string;
  readonly user_id: string | null;
  readonly anonymous_id: string | null;
  readonly workspace_id: string | null;
  readonly feature_id: string | null;
  readonly occurred_ms: number | null;
  readonly event_ms: number;
  readonly received_ms: number;
  readonly payload: Record<string, unknown>;
}

/** The whole local pipeline on a free port and a temporary home, with the transform run on demand. */
export const startSdkStack = async (): Promise<SdkStack> => {
  const root = await mkdtemp(join(tmpdir(), 'tally-sdk-'));
  const catalog = await loadFeatureCatalog('schemas/features.json');
  let tap: TappedStream | undefined;
  const stack = await startLocalStack({
    home: tallyHome(root),
    port: 0,
    logLevel: 'SILENT',
    jobs: (warehouse, library) =>
      warehouseJobs(warehouse, { library, catalog, transformIntervalMs: 3_600_000, qualityIntervalMs: 0 }),
    collectorStream: (stream) => {
      tap = new TappedStream(stream);
      return tap;
    },
  });
  if (tap === undefined) throw new Error('the local stack did not build its collector stream');
  const users = (userIds: readonly string[]) => userIds.map((_, i) => `$${i + 1}`).join(', ');
  return {
    stack,
    tap,
    key: stack.writeKeys.local ?? '',
    rawEvents: async (userIds) => {
      const rows = await stack.warehouse.query<Record<string, unknown>>(
        `SELECT event_id, event_name, call_type, user_id, anonymous_id, workspace_id, feature_id,
                epoch_ms(occurred_at) AS occurred_ms, epoch_ms(event_ts) AS event_ms,
                epoch_ms(received_at) AS received_ms, CAST(payload AS VARCHAR) AS payload
         FROM raw.events WHERE user_id IN (${users(userIds)}) ORDER BY event_name, event_id`,
        userIds,
      );
      return rows.map((row) => ({
        ...(row as unknown as RawEventRow),
        occurred_ms: row.occurred_ms === null ? null : Number(row.occurred_ms),
        event_ms: Number(row.event_ms),
        received_ms: Number(row.received_ms),
        payload: JSON.parse(String(row.payload)) as Record<string, unknown>,
      }));
    },
    factCopies: async (userIds) => {
      const rows = await stack.warehouse.query<{ event_id: string; n: number | bigint }>(
        `SELECT event_id, COUNT(*) AS n FROM curated.fct_feature_events
         WHERE user_id IN (${users(userIds)}) GROUP BY event_id`,
        userIds,
      );
      return new Map(rows.map((row) => [row.event_id, Number(row.n)]));
    },
    rejected: async (userIds) => {
      const rows = await stack.warehouse.query<{ reason: string }>(
        `SELECT reason_code || ': ' || COALESCE(reason_message, '') AS reason FROM raw.rejected_events
         WHERE user_id IN (${users(userIds)})`,
        userIds,
      );
      return rows.map((row) => row.reason);
    },
    close: async () => {
      await stack.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
};
