import { randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { createCollectorHttpHandler } from '#adapters/aws/handlers/collector-http-handler.ts';
import { createDuckDbWarehouse } from '#adapters/duckdb/duckdb-warehouse.ts';
import { removeTemporaryFiles } from '#adapters/local/atomic-file.ts';
import { BucketLoader } from '#adapters/local/bucket-loader.ts';
import { DurableLogStream } from '#adapters/local/durable-log-stream.ts';
import { FileWriteKeyStore } from '#adapters/local/file-write-key-store.ts';
import { type HttpGateway, type HttpGatewayOptions, startHttpGateway } from '#adapters/local/http-gateway.ts';
import { SegmentLog } from '#adapters/local/segment-log.ts';
import { gunzipBody } from '#adapters/node/gunzip-body.ts';
import { REPO_SQL_DIR } from '#adapters/node/repo-assets.ts';
import { loadSqlLibrary } from '#adapters/node/sql-files.ts';
import { createCollector } from '#core/collector/collector.ts';
import { WriteKeyDocumentError } from '#core/collector/errors.ts';
import type { EventStream } from '#core/collector/ports.ts';
import { resolveCollectorSettings } from '#core/collector/settings.ts';
import { applyPipelineDdl } from '#core/pipeline/pipeline-ddl.ts';
import type { Row, SqlParam, Warehouse } from '#core/warehouse/ports.ts';
import type { SqlLibrary } from '#core/warehouse/sql-library.ts';
import { type AdminServer, startAdminServer } from './admin-server.ts';
import { WarehouseCollectorCounts } from './collector-counts-store.ts';
import { CountingStream } from './counting-stream.ts';
import { clearDevState, openWarehouseClaim, writeDevState } from './dev-state.ts';
import { freeBytes, isDiskFull } from './disk-full.ts';
import { DiskFullError, LocalConfigError } from './errors.ts';
import { ensureLocalWriteKeys, type PlainWriteKeys } from './local-write-keys.ts';
import { ProblemLog } from './problem-log.ts';
import { type ScheduledJob, Scheduler } from './scheduler.ts';
import { brief, FreshnessReader, type StackStatus } from './stack-status.ts';
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
  /** Folder of the SQL library, read once for the whole stack. @default the repository's `sql/` */
  readonly sqlDir?: string;
  /** The local Firehose buffer. @default 4 MiB, 1000 ms */
  readonly bufferBytes?: number;
  readonly bufferIntervalMs?: number;
  /** Scheduled warehouse jobs (transform, quality checks), built once the warehouse is open. */
  readonly jobs?: (warehouse: Warehouse, library: SqlLibrary) => Promise<readonly ScheduledJob[]>;
  /** Collector log level (`WARN` keeps the terminal for the status line). @default 'WARN' */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  /**
   * Told about problems worth a line on the terminal. A lasting fault (a full disk, refused requests) is
   * told once when it starts and then once per `problemIntervalMs` with counts, never per failure.
   */
  readonly onProblem?: (message: string) => void;
  /**
   * Wraps the stream the collector writes to, e.g. to refuse a write in a test of SDK retries.
   * @default the stream as is
   */
  readonly collectorStream?: (stream: EventStream) => EventStream;
  /** @default 5000 */
  readonly problemIntervalMs?: number;
  /** First wait between attempts to reopen a warehouse a fatal error invalidated (doubles up to 5 s). @default 100 */
  readonly reopenDelayMs?: number;
}

/** The whole pipeline running in this process. */
export interface LocalStack {
  /** Collector endpoint, e.g. `http://127.0.0.1:4318`. */
  readonly url: string;
  readonly adminUrl: string;
  readonly writeKeys: PlainWriteKeys;
  readonly warehouse: Warehouse;
  /** The stack's SQL library (DuckDB), for whatever else runs on its warehouse. */
  readonly library: SqlLibrary;
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
 * stopped, cleanly or not. A full disk at start is refused with DiskFullError (one line: the
 * folder, the free space, the fix); while running, every stage retries by itself, the
 * warehouse is reopened if a checkpoint invalidated it (the collector refuses events with 503
 * meanwhile), and the terminal hears about it once per interval.
 */
export const startLocalStack = async (options: LocalStackOptions): Promise<LocalStack> => {
  const { home } = options;
  const problems = new ProblemLog({
    root: home.root,
    print: options.onProblem ?? (() => undefined),
    ...(options.problemIntervalMs === undefined ? {} : { intervalMs: options.problemIntervalMs }),
  });
  try {
    return await startStack(options, problems);
  } catch (error) {
    await problems.flush();
    if (isDiskFull(error)) throw new DiskFullError(home.root, await freeBytes(home.root), error);
    throw error;
  }
};

const startStack = async (options: LocalStackOptions, problems: ProblemLog): Promise<LocalStack> => {
  const { home } = options;
  const library = loadSqlLibrary('duckdb', options.sqlDir ?? REPO_SQL_DIR);
  const problem = (component: string, error: unknown): void => problems.report(component, error);
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
      ...(options.reopenDelayMs === undefined ? {} : { reopenDelayMs: options.reopenDelayMs }),
      onFault: (fault) =>
        problems.say(
          `warehouse: DuckDB invalidated the database (${brief(fault.reason, 240)}); reopening it, and refusing events with 503 until it is open`,
        ),
      onReopen: (fault) =>
        problems.say(
          `warehouse: reopened after ${((Date.now() - fault.since.getTime()) / 1000).toFixed(1)} s; loads, transforms and counts carry on`,
        ),
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
    started(() => problems.flush());
    started(() => warehouse.close());
    // an atomic write interrupted by a crash leaves a temporary file that nothing refers to
    await removeTemporaryFiles(home.root);
    const writeKeys = await ensureLocalWriteKeys(
      home.writeKeysFile,
      home.plainWriteKeysFile,
      options.sources ?? ['local'],
    );
    // every table of every layer (warehouse, activation, quality, erasure): a fresh .tally/ is complete
    await applyPipelineDdl(warehouse, { library });
    const log = await SegmentLog.open(home.streamDir);
    started(() => log.close());
    // the admin endpoint serves the CLI until every stage has stopped; it starts last, closes late
    let closeAdmin = async (): Promise<void> => undefined;
    started(() => closeAdmin());
    const stream = new DurableLogStream(log);

    const loader = new BucketLoader({
      warehouse,
      library,
      root: home.bucketDir,
      onError: (file, error) => problem(`loader: ${file}`, error),
    });
    await loader.start();
    started(() => loader.stop());

    // what the stream acknowledged, per source, event name and minute: the quality reconciliation's left
    // side; what was acknowledged but never written (a kill, a stop while the warehouse was down) is
    // recounted from the log, which keeps its records until they are counted
    const countsStore = new WarehouseCollectorCounts(warehouse, library);
    await countsStore.ensure();
    const counted = new CountingStream(stream, countsStore, {
      flushIntervalMs: options.bufferIntervalMs ?? 1000,
      onError: (error) => problem('collector counts', error),
      onDropped: (count, error) =>
        problems.say(
          `collector counts: dropped the count of ${count.count} event(s) (source ${count.sourceId}, event name ${JSON.stringify(count.eventName)}, minute ${count.receivedAt.toISOString()}): ${message(error)}; the reconciliation will show them as missing`,
        ),
      onUncountable: (from, to) =>
        problems.say(
          `collector counts: the stream records between positions ${from} and ${to} were deleted before they were counted; the reconciliation will show their events as unexpected`,
        ),
    });
    await counted.recount(log);
    counted.start();
    started(() => counted.stop());

    // validation, the local Firehose and the validator's checkpoint live in their own thread
    const validator = await ValidatorThread.start({
      log,
      checkpointFile: home.validatorCheckpoint,
      bucketDir: home.bucketDir,
      schemasDir: options.schemasDir ?? 'schemas',
      bufferBytes: options.bufferBytes ?? 4 * 1024 * 1024,
      bufferIntervalMs: options.bufferIntervalMs ?? 1000,
      onFile: () => loader.notify(),
      onProblem: (line) => problems.reportLine('validator', line),
      keepFrom: () => counted.countedThrough,
    });
    started(() => validator.stop());

    const scheduler = new Scheduler((await options.jobs?.(warehouse, library)) ?? [], (job, error) =>
      problem(job, error),
    );
    scheduler.start();
    started(() => scheduler.stop());

    const startedAt = new Date();
    const requests = new Map<number, number>();
    let url = '';
    const freshness = new FreshnessReader(warehouse);
    /** While the warehouse is being reopened the collector refuses events: the counts could not be written. */
    const warehouseProblem = (): string | null =>
      warehouse.fault === null
        ? null
        : `the local warehouse is being reopened after a fatal error (${brief(warehouse.fault.reason, 240)})`;
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
        freshness: await freshness.read(),
        problems: [warehouseProblem(), validation.lastError, loader.stats.lastError].filter(
          (p): p is string => p !== null,
        ),
      };
    };
    const runJob = async (name: string): Promise<string> => {
      const result = await scheduler.runNow(name);
      if (result.lastError !== null) throw new Error(`${name} failed: ${result.lastError}`);
      return result.lastSummary ?? '';
    };
    const query = (sql: string, params: readonly SqlParam[] = []) => warehouse.query(sql, params);
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
      inflate: gunzipBody,
      stream: options.collectorStream?.(counted) ?? counted,
      writeKeys: new FileWriteKeyStore(home.writeKeysFile),
      settings: resolveCollectorSettings({ rateLimit: LOCAL_RATE_LIMIT }),
      health: { problem: warehouseProblem },
    });
    const gateway: HttpGateway = await listenOrExplain(options.port ?? 4318, {
      handler: createCollectorHttpHandler(
        collector,
        new Logger({ serviceName: 'tally-collector', logLevel: options.logLevel ?? 'WARN' }),
        // under a lasting fault every request is refused: counted, and said once per interval
        {
          onServerRefusal: (error) =>
            problems.refused(error.code, error.httpStatus, withDocumentProblem(error), error),
        },
      ),
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 4318,
      // a body over API Gateway's payload limit is refused like one over the collector's, naming the latter
      advertisedBodyLimitBytes: collector.settings.limits.maxBodyBytes,
      onAnswer: (code) => requests.set(code, (requests.get(code) ?? 0) + 1),
      onHandlerError: (error) => problem('collector', error),
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
      library,
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

/**
 * A refusal's reason, with what is wrong in `.tally/write-keys.json` when that is why keys cannot be
 * checked (a mode mistyped while the stack runs): the person who edited it sees which entry.
 */
const withDocumentProblem = (error: Error & { readonly reason: string }): string =>
  error.cause instanceof WriteKeyDocumentError ? `${error.reason}: ${error.cause.message}` : error.reason;
