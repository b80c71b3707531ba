import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBMaterializedResult,
  type DuckDBResultReader,
  DuckDBTypeId,
  type DuckDBValue,
} from '@duckdb/node-api';
import { type RetryPolicy, retry } from '#core/retry/retry.ts';
import { sleep } from '#core/retry/sleep.ts';
import {
  WarehouseConflictError,
  WarehouseError,
  WarehouseQueryError,
  WarehouseUnavailableError,
} from '#core/warehouse/errors.ts';
import type { Row, SqlParam, Warehouse } from '#core/warehouse/ports.ts';
import type { RawFileLoad, RawFileLoading } from '#core/warehouse/raw-file-loading.ts';
import { toSqlTimestamp } from '#core/warehouse/time.ts';
import { rawFileSql } from './raw-file-sql.ts';

/** Where the DuckDB database lives. */
export interface DuckDbWarehouseOptions {
  /** Database file (parent folders are created), or `:memory:` (the default) for a throwaway database. */
  readonly path?: string;
  /** Worker threads; DuckDB's default (all cores) when omitted. */
  readonly threads?: number;
  /**
   * Most memory DuckDB may use for its buffer cache and operators, e.g. `'1GB'`; DuckDB's default (80% of
   * RAM) when omitted. Above it DuckDB spills to a temporary folder beside the database file or fails.
   */
  readonly memoryLimit?: string;
  /**
   * Write-ahead log size after which a commit checkpoints (writes the changed row groups, compressed, to
   * the database file), e.g. `'256MB'`; DuckDB's default (16 MiB) when omitted. A stream of small loads
   * rewrites the table's last, growing row group at every checkpoint: a larger threshold rewrites it
   * less often (less CPU per loaded row) and leaves a longer log to replay after a crash.
   */
  readonly checkpointThreshold?: string;
  /**
   * Rows per row group of the database file (DuckDB's default: 122,880), the unit its zone maps prune.
   * Needs a file `path`: DuckDB keeps it for attached files only, so the file is attached under the name
   * `tally` and every connection uses it. The scan benchmark sets it so that a day of events spans
   * several row groups, as a day spans many micro-partitions on Snowflake.
   */
  readonly rowGroupSize?: number;
  /** First wait before reopening an invalidated database again after a failed attempt; doubles. @default 100 */
  readonly reopenDelayMs?: number;
  /** Longest wait between reopen attempts. @default 5000 */
  readonly reopenMaxDelayMs?: number;
  /** Told when a fatal error invalidated the database (calls fail with WarehouseUnavailableError from then on). */
  readonly onFault?: (fault: WarehouseFault) => void;
  /** Told once the database is open again, with the fault it recovered from. */
  readonly onReopen?: (fault: WarehouseFault) => void;
}

const SIZE = /^\d+(\.\d+)?\s*(B|[KMGT]i?B)$/i;

/** Every invalid option, so one message lists them all. */
const optionProblems = (options: DuckDbWarehouseOptions): string[] => [
  ...(options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads > 0)
    ? [`threads must be a positive integer, got ${options.threads}`]
    : []),
  ...(options.rowGroupSize !== undefined &&
  !(Number.isInteger(options.rowGroupSize) && options.rowGroupSize >= 2048 && options.path !== undefined)
    ? [`rowGroupSize must be an integer of at least 2048, with a file path, got ${options.rowGroupSize}`]
    : []),
  ...(['memoryLimit', 'checkpointThreshold'] as const)
    .filter((name) => options[name] !== undefined && !SIZE.test(options[name] ?? ''))
    .map((name) => `${name} must be a size such as '1GB' or '512MiB', got '${options[name]}'`),
];

/** The Warehouse port on DuckDB, which also reads raw NDJSON files itself (the raw loader's fast path). */
export type DuckDbWarehouse = Warehouse & RawFileLoading;

/** Why an invalidated database is not usable yet, since when, and how reopening it goes. */
export interface WarehouseFault {
  /** The fatal error that invalidated the database. */
  readonly reason: string;
  readonly since: Date;
  /** Reopen attempts that failed so far. */
  readonly failedAttempts: number;
  /** Why the latest reopen attempt failed; null before the first. */
  readonly lastAttemptError: string | null;
}

/** The database handle `createDuckDbWarehouse` returns: the port, and whether the database is usable now. */
export interface OpenDuckDbWarehouse extends DuckDbWarehouse {
  /** Null while the database is usable; else why not, until the adapter has reopened it. */
  readonly fault: WarehouseFault | null;
}

/**
 * How DuckDB says it invalidated the database: a fatal error (a checkpoint that could not write the file,
 * e.g. on a full disk), after which every statement fails until the instance is opened again.
 */
const FATAL = /FATAL Error|database has been invalidated/;
/** The fatal error DuckDB raises after a commit whose write-ahead log write succeeded: the data is kept. */
const DURABLE_COMMIT = /Transaction COMMIT succeeded and is durable/;

/** The instance statements run on now; replaced when an invalidated database is reopened. */
interface Generation {
  readonly instance: DuckDBInstance;
  readonly main: DuckDBConnection;
  readonly open: Set<DuckDBConnection>;
  /** Statements running on this instance's connections (closed only once none runs). */
  running: number;
}

/**
 * The Warehouse port on DuckDB, for local mode and tests.
 *
 * Values come back as plain JSON-friendly JS: integers as numbers (strings past 2^53), DECIMAL and
 * DOUBLE as numbers, DATE as `YYYY-MM-DD`, TIMESTAMP as ISO-8601 UTC (`...Z`, millisecond precision),
 * JSON parsed. Each transaction runs on its own connection, so concurrent work in the same process
 * gets DuckDB's MVCC isolation; write-write conflicts surface as WarehouseConflictError. Inside a
 * transaction's work every call joins it, on the transaction's handle or the outer one (as on Snowflake).
 *
 * A fatal DuckDB error (a checkpoint that hit a full disk) invalidates the database: every later
 * statement would fail until the instance is opened again, and DuckDB asks for exactly that. The adapter
 * does it itself: it closes the instance and opens the file again, retrying with a growing delay while
 * that fails, and meanwhile answers every call at once with WarehouseUnavailableError (`fault` says why).
 * A transaction whose COMMIT succeeded before the checkpoint failed is committed (DuckDB says so), so it
 * resolves with its result. A file database only: an invalidated in-memory database stays unavailable.
 */
export const createDuckDbWarehouse = async (
  options: DuckDbWarehouseOptions = {},
): Promise<OpenDuckDbWarehouse> => {
  const problems = optionProblems(options);
  if (problems.length > 0) throw new WarehouseError(`DuckDB warehouse options: ${problems.join('; ')}`);
  const path = options.path ?? ':memory:';
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  // raw file loads number lines with WITH ORDINALITY, which needs scans to keep the file's order
  const config: Record<string, string> = { preserve_insertion_order: 'true' };
  if (options.threads !== undefined) config.threads = String(options.threads);
  if (options.memoryLimit !== undefined) config.memory_limit = options.memoryLimit;
  if (options.checkpointThreshold !== undefined) config.checkpoint_threshold = options.checkpointThreshold;
  // DuckDB checkpoints at commit once a transaction wrote more than checkpoint_threshold; in memory that
  // recompresses every table (cost grows with the database, not the write) and persists nothing.
  if (path === ':memory:') config.checkpoint_threshold = '1TB';

  // a chosen row-group size holds for an attached file only: attach it, and have every connection use it
  const attached = options.rowGroupSize !== undefined;
  const connectTo = async (instance: DuckDBInstance): Promise<DuckDBConnection> => {
    const connection = await instance.connect();
    if (attached) await run(connection, 'USE tally', []);
    return connection;
  };

  const openGeneration = async (): Promise<Generation> => {
    const instance = await DuckDBInstance.create(attached ? ':memory:' : path, config);
    try {
      if (attached) {
        const setup = await instance.connect();
        try {
          await run(setup, `ATTACH ${sqlString(path)} AS tally (ROW_GROUP_SIZE ${options.rowGroupSize})`, []);
        } finally {
          setup.closeSync();
        }
      }
      const main = await connectTo(instance);
      return { instance, main, open: new Set([main]), running: 0 };
    } catch (error) {
      instance.closeSync();
      throw error;
    }
  };

  let current = await openGeneration();
  let fault: WarehouseFault | null = null;
  let closed = false;
  const stopReopening = new AbortController();
  // one loop with nothing competing for the database: waits double without jitter, for ever until closed
  const reopenPolicy: RetryPolicy = {
    maxAttempts: Number.POSITIVE_INFINITY,
    baseDelayMs: options.reopenDelayMs ?? 100,
    maxDelayMs: options.reopenMaxDelayMs ?? 5000,
    jitter: 'none',
  };

  const unavailable = (): WarehouseUnavailableError | null =>
    closed
      ? new WarehouseUnavailableError('the warehouse was closed', new Date())
      : fault === null
        ? null
        : new WarehouseUnavailableError(fault.reason, fault.since);

  /** The database is invalidated: stop using it and reopen it in the background. */
  const invalidated = (generation: Generation, error: unknown): void => {
    if (generation !== current || fault !== null || closed) return;
    fault = { reason: messageOf(error), since: new Date(), failedAttempts: 0, lastAttemptError: null };
    options.onFault?.(fault);
    if (path !== ':memory:') void reopen(generation);
  };

  const reopen = async (old: Generation): Promise<void> => {
    // statements still running on the old instance fail at once (it is invalidated); let them end first
    for (let waited = 0; old.running > 0 && waited < 5000; waited += 10) await sleep(10);
    closeGeneration(old);
    let next: Generation;
    try {
      next = await retry(() => openGeneration(), {
        policy: reopenPolicy,
        isRetryable: () => true,
        onRetry: ({ error }) => {
          if (fault)
            fault = {
              ...fault,
              failedAttempts: fault.failedAttempts + 1,
              lastAttemptError: messageOf(error),
            };
        },
        signal: stopReopening.signal,
        // a reopen in the background must not keep the process alive on its own
        sleep: (ms, signal) => sleep(ms, signal, { ref: false }),
      });
    } catch {
      return; // only once the warehouse is closed: the retries end no other way
    }
    if (closed) {
      closeGeneration(next);
      return;
    }
    current = next;
    const recovered = fault;
    fault = null;
    if (recovered) options.onReopen?.(recovered);
  };

  /** Runs one statement on `generation`, noticing a fatal error. */
  const guarded = async <R>(
    generation: Generation,
    sql: string,
    statement: (connection: DuckDBConnection) => Promise<R>,
    connection: DuckDBConnection,
  ): Promise<R> => {
    const down = unavailable();
    if (down) throw down;
    // a transaction begun before a reopen holds a connection of the closed instance
    if (generation !== current) {
      throw new WarehouseUnavailableError('the warehouse was reopened during this transaction', new Date());
    }
    generation.running += 1;
    try {
      return await statement(connection);
    } catch (error) {
      if (FATAL.test(messageOf(error))) invalidated(generation, error);
      throw toWarehouseError(error, sql);
    } finally {
      generation.running -= 1;
    }
  };

  const on = (generation: Generation, connection: DuckDBConnection): Statements => ({
    run: (sql, params) => guarded(generation, sql, (c) => run(c, sql, params), connection),
    read: (sql, params) => guarded(generation, sql, (c) => read(c, sql, params), connection),
  });

  /**
   * The transaction whose work is running, found through the async context as the Snowflake adapter does:
   * a call on the outer handle from inside a transaction's work joins that transaction, on both adapters
   * (the port's contract, test/adapters/warehouse-contract.test.ts).
   */
  const transactionOf = new AsyncLocalStorage<OpenTransaction>();

  const transaction = async <T>(work: (tx: DuckDbWarehouse) => Promise<T>): Promise<T> => {
    const enclosing = transactionOf.getStore();
    if (enclosing !== undefined) return work(enclosing.handle);
    const down = unavailable();
    if (down) throw down;
    const generation = current;
    const connection = await connectTo(generation.instance);
    generation.open.add(connection);
    let ended = false;
    const statements = endable(on(generation, connection), () => ended);
    const handle: DuckDbWarehouse = onStatements(statements, (inner) => inner(handle));
    const open: OpenTransaction = { statements, handle };
    try {
      await open.statements.run('BEGIN TRANSACTION', []);
      let result: T;
      try {
        result = await transactionOf.run(open, () => work(open.handle));
      } catch (error) {
        if (generation === current && fault === null) await connection.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
      try {
        await open.statements.run('COMMIT', []);
      } catch (error) {
        // the commit is in the write-ahead log; only the checkpoint after it failed (the reopen replays it)
        if (DURABLE_COMMIT.test(messageOf(error))) return result;
        if (generation === current && fault === null) await connection.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
      return result;
    } finally {
      ended = true;
      // a reopen closes every connection of the invalidated instance, this one included
      if (generation.open.delete(connection)) closeConnection(connection);
    }
  };

  // the port's calls outside a transaction run on the current instance's main connection
  const mainStatements: Statements = {
    run: (sql, params) =>
      (transactionOf.getStore()?.statements ?? on(current, current.main)).run(sql, params),
    read: (sql, params) =>
      (transactionOf.getStore()?.statements ?? on(current, current.main)).read(sql, params),
  };
  const warehouse = onStatements(mainStatements, transaction);
  return {
    ...warehouse,
    get fault() {
      return fault;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      stopReopening.abort();
      if (fault === null || path === ':memory:') closeGeneration(current);
    },
  };
};

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const closeConnection = (connection: DuckDBConnection): void => {
  try {
    connection.closeSync();
  } catch {
    // its instance is already closed
  }
};

/** Closes an instance and every connection on it. */
const closeGeneration = (generation: Generation): void => {
  for (const connection of generation.open) closeConnection(connection);
  generation.open.clear();
  try {
    generation.instance.closeSync();
  } catch {
    // already closed
  }
};

/** Statement runners bound to one connection (or to whichever main connection is current). */
interface Statements {
  run(sql: string, params: readonly SqlParam[]): Promise<DuckDBMaterializedResult>;
  read(sql: string, params: readonly SqlParam[]): Promise<DuckDBResultReader>;
}

/** A transaction in progress: its statements (refused once it ended) and the handle its work gets. */
interface OpenTransaction {
  readonly statements: Statements;
  readonly handle: DuckDbWarehouse;
}

/** `statements` that refuse to run once `ended()`: a late call must not run outside the transaction it meant. */
const endable = (statements: Statements, ended: () => boolean): Statements => {
  const refuse = (sql: string) =>
    Promise.reject(new WarehouseError(`statement issued after its transaction ended: ${sql.trim()}`));
  return {
    run: (sql, params) => (ended() ? refuse(sql) : statements.run(sql, params)),
    read: (sql, params) => (ended() ? refuse(sql) : statements.read(sql, params)),
  };
};

const sqlString = (text: string): string => `'${text.replace(/'/g, "''")}'`;

type TransactionFn = <T>(work: (tx: DuckDbWarehouse) => Promise<T>) => Promise<T>;

const onStatements = (statements: Statements, transaction: TransactionFn): DuckDbWarehouse => ({
  dialect: 'duckdb',
  execute: async (sql, params = []) => (await statements.run(sql, params)).rowsChanged,
  query: async <T extends Row = Row>(sql: string, params: readonly SqlParam[] = []) => {
    const reader = await statements.read(sql, params);
    return toRows(reader) as T[];
  },
  transaction,
  loadRawFile: (load) => loadRawFile(statements, load),
  close: async () => undefined,
});

const loadRawFile = async (statements: Statements, load: RawFileLoad): Promise<number> => {
  const sql = rawFileSql(load.table, load.compression);
  try {
    const result = await statements.run(sql, [load.path, load.fileName, toSqlTimestamp(load.loadedAt)]);
    return result.rowsChanged;
  } catch (error) {
    if (!(error instanceof WarehouseQueryError)) throw error;
    const message = `${load.fileName}: ${error.message}`;
    throw error instanceof WarehouseConflictError
      ? new WarehouseConflictError(message, sql, { cause: error })
      : new WarehouseQueryError(message, sql, { cause: error });
  }
};

/** Runs a statement; errors are the driver's (the caller maps them). */
const run = (connection: DuckDBConnection, sql: string, params: readonly SqlParam[]) =>
  connection.run(sql, params.length > 0 ? (params as DuckDBValue[]) : undefined);

const read = (connection: DuckDBConnection, sql: string, params: readonly SqlParam[]) =>
  connection.runAndReadAll(sql, params.length > 0 ? (params as DuckDBValue[]) : undefined);

const toWarehouseError = (error: unknown, sql: string): Error => {
  const message = error instanceof Error ? error.message : String(error);
  if (/conflict/i.test(message)) return new WarehouseConflictError(message, sql, { cause: error });
  return new WarehouseQueryError(message, sql, { cause: error });
};

const INTEGER_TYPES = new Set([
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UHUGEINT,
]);
const TIMESTAMP_TYPES = new Set([
  DuckDBTypeId.TIMESTAMP,
  DuckDBTypeId.TIMESTAMP_S,
  DuckDBTypeId.TIMESTAMP_MS,
  DuckDBTypeId.TIMESTAMP_NS,
  DuckDBTypeId.TIMESTAMP_TZ,
]);

type Convert = (value: unknown) => unknown;

const converterFor = (typeId: DuckDBTypeId, alias: string | undefined): Convert => {
  if (alias === 'JSON') return (v) => (typeof v === 'string' ? JSON.parse(v) : v);
  if (INTEGER_TYPES.has(typeId)) {
    return (v) => (typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v);
  }
  if (typeId === DuckDBTypeId.DATE) return (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v);
  if (TIMESTAMP_TYPES.has(typeId)) return (v) => (v instanceof Date ? v.toISOString() : v);
  return (v) => v;
};

const toRows = (reader: DuckDBResultReader): Row[] => {
  const names = reader.deduplicatedColumnNames();
  const converters = reader.columnTypes().map((type) => converterFor(type.typeId, type.alias));
  return reader.getRowsJS().map((values) => {
    const row: Row = {};
    values.forEach((value, i) => {
      row[(names[i] ?? `column${i}`).toLowerCase()] =
        value === null ? null : (converters[i] ?? ((v) => v))(value);
    });
    return row;
  });
};
