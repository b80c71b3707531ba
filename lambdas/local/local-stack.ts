import { randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { createDuckDbWarehouse } from '#adapters/duckdb/duckdb-warehouse.ts';
import { removeTemporaryFiles } from '#adapters/local/atomic-file.ts';
import { BucketLoader } from '#adapters/local/bucket-loader.ts';
import { DurableLogStream } from '#adapters/local/durable-log-stream.ts';
import { FileWriteKeyStore } from '#adapters/local/file-write-key-store.ts';
import { type HttpGateway, type HttpGatewayOptions, startHttpGateway } from '#adapters/local/http-gateway.ts';
import { SegmentLog } from '#adapters/local/segment-log.ts';
import { createCollector } from '#core/collector/collector.ts';
import type { EventStream } from '#core/collector/ports.ts';
import { resolveCollectorSettings } from '#core/collector/settings.ts';
import { applyPipelineDdl } from '#core/pipeline/pipeline-ddl.ts';
import { WarehouseAcceptedCounts } from '#core/quality/warehouse-accepted-counts.ts';
import type { Row, SqlParam, Warehouse } from '#core/warehouse/ports.ts';
import { createCollectorHttpHandler } from '../middleware/collector-http-handler.ts';
import { type AdminServer, startAdminServer } from './admin-server.ts';
import { CountingStream } from './counting-stream.ts';
import { clearDevState, openWarehouseClaim, writeDevState } from './dev-state.ts';
import { LocalConfigError } from './errors.ts';
import { ensureLocalWriteKeys, type PlainWriteKeys } from './local-write-keys.ts';
import { type ScheduledJob, Scheduler } from './scheduler.ts';
import { readFreshness, type StackStatus } from './stack-status.ts';
import type { TallyHome } from './tally-home.ts';
import { ValidatorThread } from './validator-thread.ts';

export interface LocalStackOptions {
  readonly home: TallyHome;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** 0 picks a free port. @default 4318 */
  readonly port?: number;
  /** Sources that get a write key (kept across restarts). @default ['local'] */
  readonly sources?: readonly string[];
  /** Folder with `events/` schemas and `features.json`. @default 'schemas' */
  readonly schemasDir?: string;
  /** The local Firehose buffer. @default 4 MiB, 1000 ms */
  readonly bufferBytes?: number;
  readonly bufferIntervalMs?: number;
  /** Scheduled warehouse jobs (transform, quality checks), built once the warehouse is open. */
  readonly jobs?: (warehouse: Warehouse) => Promise<readonly ScheduledJob[]>;
  /** Collector log level (`WARN` keeps the terminal for the status line). @default 'WARN' */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  /** Told about problems worth a line on the terminal. */
  readonly onProblem?: (message: string) => void;
  /**
   * Wraps the stream the collector writes to, e.g. to refuse a write in a test of SDK retries.
   * @default the stream as is
   */
  readonly collectorStream?: (stream: EventStream) => EventStream;
}

/** The whole pipeline running in this process. */
export interface LocalStack {
  /** Collector endpoint, e.g. `http://127.0.0.1:4318`. */
  readonly url: string;
  readonly adminUrl: string;
  readonly writeKeys: PlainWriteKeys;
  readonly warehouse: Warehouse;
  status(): Promise<StackStatus>;
  query(sql: string, params?: readonly SqlParam[]): Promise<Row[]>;
  /** Runs a scheduled job now (e.g. `transform`). */
  runJob(name: string): Promise<string>;
  /**
   * Waits until everything accepted so far is validated, delivered to the bucket folder
   * and loaded into raw (it does not run the transform).
   */
  settle(): Promise<void>;
  /** Clean stop: stop accepting, finish and flush every stage, commit the checkpoint, close. */
  stop(): Promise<void>;
}

/** Rate limit for the single local "container": far above the reference peak, so it never shapes a benchmark. */
const LOCAL_RATE_LIMIT = { eventsPerSecond: 1_000_000, burstEvents: 2_000_000 };

/**
 * Local mode's composition root: the same collector handler and validator core as the
 * Lambdas, wired to local adapters (HTTP gateway, durable log, local Firehose, bucket
 * loader, DuckDB) and an in-process scheduler. Resumes from `.tally/` where the last run
 * stopped, cleanly or not.
 */
export const startLocalStack = async (options: LocalStackOptions): Promise<LocalStack> => {
  const { home } = options;
  const problem = options.onProblem ?? (() => undefined);
  // the claim on the state folder: DuckDB's lock on the file, held exactly while this process lives.
  // A 256 MB checkpoint threshold halves the loader's CPU per row (DuckDB's 16 MB default recompresses
  // the growing row group at every checkpoint); 2 GB bounds DuckDB's share of a laptop; one thread per
  // query leaves the other cores to the collector, the validator and the loader while a transform runs,
  // which costs the transform nothing measurable and saves ~10% CPU per event (BENCHMARKS.md, End to end)
  const warehouse = await openWarehouseClaim(home.devStateFile, home.warehouseFile, () =>
    createDuckDbWarehouse({
      path: home.warehouseFile,
      checkpointThreshold: '256MB',
      memoryLimit: '2GB',
      threads: 1,
    }),
  );

  const cleanup: (() => Promise<void>)[] = [];
  /** Registers how to undo a started component; stop runs them in reverse start order. */
  const started = (close: () => Promise<void>): void => {
    cleanup.unshift(close);
  };
  /** Runs every close even when one fails (a stage left open would leave the WAL and dev.json behind). */
  const closeAll = async (): Promise<void> => {
    const failures: unknown[] = [];
    for (const close of cleanup) await close().catch((error: unknown) => failures.push(error));
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, failures.map(message).join('; '));
  };
  try {
    // removed last: while the file exists the CLI talks to this process instead of opening the locked database
    started(() => clearDevState(home.devStateFile));
    started(() => warehouse.close());
    // an atomic write interrupted by a crash leaves a temporary file that nothing refers to
    await removeTemporaryFiles(home.root);
    const writeKeys = await ensureLocalWriteKeys(
      home.writeKeysFile,
      home.plainWriteKeysFile,
      options.sources ?? ['local'],
    );
    // every table of every layer (warehouse, activation, quality, erasure): a fresh .tally/ is complete
    await applyPipelineDdl(warehouse);
    const log = await SegmentLog.open(home.streamDir);
    started(() => log.close());
    // the admin endpoint serves the CLI until every stage has stopped; it starts last, closes late
    let closeAdmin = async (): Promise<void> => undefined;
    started(() => closeAdmin());
    const stream = new DurableLogStream(log);

    const loader = new BucketLoader({
      warehouse,
      root: home.bucketDir,
      onError: (file, error) => problem(`loader: ${file}: ${message(error)}`),
    });
    await loader.start();
    started(() => loader.stop());

    // validation, the local Firehose and the validator's checkpoint live in their own thread
    const validator = await ValidatorThread.start({
      log,
      checkpointFile: home.validatorCheckpoint,
      bucketDir: home.bucketDir,
      schemasDir: options.schemasDir ?? 'schemas',
      bufferBytes: options.bufferBytes ?? 4 * 1024 * 1024,
      bufferIntervalMs: options.bufferIntervalMs ?? 1000,
      onFile: () => loader.notify(),
      onProblem: problem,
    });
    started(() => validator.stop());

    const scheduler = new Scheduler((await options.jobs?.(warehouse)) ?? [], (job, error) =>
      problem(`${job}: ${message(error)}`),
    );
    scheduler.start();
    started(() => scheduler.stop());

    const startedAt = new Date();
    const requests = new Map<number, number>();
    let url = '';
    const status = async (): Promise<StackStatus> => {
      const validation = validator.stats;
      return {
        url,
        startedAt: startedAt.toISOString(),
        requests: Object.fromEntries(requests),
        received: stream.recordsAccepted,
        validated: validation.counts.validated,
        rejected: validation.counts.rejected,
        rejectedByReason: validation.counts.rejectedByReason,
        streamLagBytes: Math.max(0, log.durableEnd - validation.position),
        linesBuffered: validation.linesBuffered,
        filesLoaded: loader.stats.filesLoaded,
        rowsLoaded: loader.stats.rowsLoaded,
        jobs: scheduler.status,
        freshness: await readFreshness(warehouse),
        problems: [validation.lastError, loader.stats.lastError].filter((p): p is string => p !== null),
      };
    };
    const runJob = async (name: string): Promise<string> => {
      const result = await scheduler.runNow(name);
      if (result.lastError !== null) throw new Error(`${name} failed: ${result.lastError}`);
      return result.lastSummary ?? '';
    };
    const query = (sql: string, params: readonly SqlParam[] = []) => warehouse.query(sql, params);
    // what the stream acknowledged, per source, event name and minute: the quality reconciliation's left side
    const counted = new CountingStream(stream, new WarehouseAcceptedCounts(warehouse), {
      flushIntervalMs: options.bufferIntervalMs ?? 1000,
      onError: (error) => problem(`collector counts: ${message(error)}`),
    });
    counted.start();
    started(() => counted.stop());
    const settle = async (): Promise<void> => {
      await counted.flush();
      await validator.drain();
      await loader.loadPending();
    };
    const token = randomBytes(24).toString('hex');
    const admin: AdminServer = await startAdminServer({
      token,
      identity: { pid: process.pid, startedAt: startedAt.toISOString() },
      status,
      query,
      runJob,
      settle,
    });
    closeAdmin = () => admin.close();

    const collector = createCollector({
      stream: options.collectorStream?.(counted) ?? counted,
      writeKeys: new FileWriteKeyStore(home.writeKeysFile),
      settings: resolveCollectorSettings({ rateLimit: LOCAL_RATE_LIMIT }),
    });
    const gateway: HttpGateway = await listenOrExplain(options.port ?? 4318, {
      handler: createCollectorHttpHandler(
        collector,
        new Logger({ serviceName: 'tally-collector', logLevel: options.logLevel ?? 'WARN' }),
      ),
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 4318,
      // a body over API Gateway's payload limit is refused like one over the collector's, naming the latter
      advertisedBodyLimitBytes: collector.settings.limits.maxBodyBytes,
      onAnswer: (code) => requests.set(code, (requests.get(code) ?? 0) + 1),
      onHandlerError: (error) => problem(`collector: ${message(error)}`),
    });
    started(() => gateway.close());
    url = gateway.url;

    await writeDevState(home.devStateFile, {
      pid: process.pid,
      url: gateway.url,
      adminUrl: admin.url,
      token,
      startedAt: startedAt.toISOString(),
    });

    let stopping: Promise<void> | null = null;
    return {
      url: gateway.url,
      adminUrl: admin.url,
      writeKeys,
      warehouse,
      status,
      query,
      runJob,
      settle,
      stop: () => {
        stopping ??= closeAll();
        return stopping;
      },
    };
  } catch (error) {
    await closeAll().catch(() => undefined);
    throw error;
  }
};

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Starts the gateway, turning a taken port into an error that says what to do. */
const listenOrExplain = async (port: number, gatewayOptions: HttpGatewayOptions): Promise<HttpGateway> => {
  try {
    return await startHttpGateway(gatewayOptions);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new LocalConfigError([
        `port ${port} on 127.0.0.1 is already in use (another tally dev?); pick another with --port <n>, or --port 0 for any free port`,
      ]);
    }
    throw error;
  }
};
