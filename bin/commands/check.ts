import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { createDuckDbWarehouse } from '#adapters/duckdb/duckdb-warehouse.ts';
import { REPO_SQL_DIR } from '#adapters/node/repo-assets.ts';
import { loadSqlLibrary } from '#adapters/node/sql-files.ts';
import { applyPipelineDdl } from '#core/pipeline/pipeline-ddl.ts';
import type { CheckResult } from '#core/quality/check.ts';
import type { AcceptedCounts } from '#core/quality/ports.ts';
import { runQualityJob } from '#core/quality/quality-job.ts';
import { declaredChecks, selectChecks } from '#core/quality/registry.ts';
import { formatRun } from '#core/quality/report.ts';
import { exitCodeOf, statusLine } from '#core/quality/verdict.ts';
import { WarehouseAcceptedCounts } from '#core/quality/warehouse-accepted-counts.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import type { SqlLibrary } from '#core/warehouse/sql-library.ts';
import { AdminClient } from '../../lambdas/local/admin-client.ts';
import { readDevState } from '../../lambdas/local/dev-state.ts';
import { tallyHome } from '../../lambdas/local/tally-home.ts';

interface CheckFlags {
  readonly home?: string;
  readonly db?: string;
  readonly all?: boolean;
  readonly json?: boolean;
  readonly record: boolean;
  readonly list?: boolean;
  readonly at?: string;
}

/** `tally check [checks...]`: runs the data quality checks against the local warehouse. */
export const register = (program: Command): void => {
  program
    .command('check')
    .description(
      'Run the data quality checks (all, or those named) against the local warehouse, record the results in ' +
        'ops.quality_results and print them. Exit code 1 when an error-severity check fails, 2 when a check ' +
        'could not run: usable from cron or CI.',
    )
    .argument('[checks...]', 'check names (default: every check; see --list)')
    .option('--list', 'list the checks with severity, metric and runbook, and exit')
    .option('--all', 'print every bucket, not only failing ones')
    .option('--json', 'print the results as JSON')
    .option('--no-record', 'do not write the results to ops.quality_results')
    .option('--at <time>', 'run as of this ISO time instead of now (windows are computed from it)')
    .option('--db <path>', 'DuckDB warehouse file (default: <home>/warehouse.duckdb)')
    .option('--home <dir>', 'local state folder (default: $TALLY_HOME or ./.tally)')
    .addHelpText(
      'after',
      '\nExamples:\n  tally check                          every check\n' +
        '  tally check freshness-raw reconciliation\n' +
        '  tally check --json > quality.json     for CI\n' +
        '\nWhile `tally dev` runs, its scheduler runs the checks every minute (status line); `tally check` then ' +
        'runs through it without recording.',
    )
    .action(async (names: string[], flags: CheckFlags) => {
      if (flags.list) {
        console.log(listChecks());
        return;
      }
      const checks = selectChecks(names);
      const now = flags.at === undefined ? new Date() : parseTime(flags.at);
      const opened = await openWarehouse(flags);
      try {
        const run = await runQualityJob({
          warehouse: opened.warehouse,
          sql: opened.library,
          checks,
          now,
          record: flags.record && opened.canRecord,
          ...((await opened.acceptedCounts()) ?? {}),
        });
        console.log(
          flags.json ? JSON.stringify(run.results.map(toJson), null, 2) : formatRun(run, { all: flags.all }),
        );
        if (!flags.json) console.log(`\n${statusLine(run)}${opened.note ? ` (${opened.note})` : ''}`);
        process.exitCode = exitCodeOf(run);
      } finally {
        await opened.warehouse.close();
      }
    });
};

const listChecks = (): string =>
  declaredChecks()
    .map(
      (c) =>
        `${c.name.padEnd(22)} ${c.severity.padEnd(5)} ${c.metric.name}[${c.metric.dimensions.join(', ')}]  ` +
        `docs/runbooks/${c.name}.md\n${''.padEnd(29)}${c.description}`,
    )
    .join('\n');

const parseTime = (text: string): Date => {
  const time = new Date(text);
  if (Number.isNaN(time.getTime()))
    throw new Error(`--at must be an ISO time such as 2026-03-10T15:05:00Z, got ${text}`);
  return time;
};

const toJson = (r: CheckResult) => ({ ...r, checkedAt: r.checkedAt.toISOString() });

interface OpenedWarehouse {
  readonly warehouse: Warehouse;
  readonly library: SqlLibrary;
  readonly canRecord: boolean;
  readonly note?: string;
  /** `{ acceptedCounts }` when the collector's counts are fed (ops.collector_counts has rows), else null. */
  acceptedCounts(): Promise<{ acceptedCounts: AcceptedCounts } | null>;
}

/**
 * The local warehouse: through a running `tally dev` (DuckDB lets one process open the file; results
 * are not recorded, the stack's own scheduled run records them), else the file itself.
 */
const openWarehouse = async (flags: CheckFlags): Promise<OpenedWarehouse> => {
  const home = tallyHome(flags.home);
  const running = flags.db === undefined ? await readDevState(home.devStateFile) : null;
  const warehouse = running
    ? readOnlyThrough(new AdminClient(running))
    : await openFile(flags.db ?? home.warehouseFile);
  const library = loadSqlLibrary('duckdb', REPO_SQL_DIR);
  if (!running) await applyPipelineDdl(warehouse, { library });
  return {
    warehouse,
    library,
    canRecord: !running,
    ...(running ? { note: `read through the running tally dev, pid ${running.pid}; not recorded` } : {}),
    acceptedCounts: async () => {
      const [row] = await warehouse.query<{ n: number }>('SELECT COUNT(*) AS n FROM ops.collector_counts');
      return Number(row?.n ?? 0) > 0
        ? { acceptedCounts: new WarehouseAcceptedCounts(warehouse, library) }
        : null;
    },
  };
};

const openFile = async (path: string): Promise<Warehouse> => {
  if (!existsSync(path)) {
    throw new Error(`no warehouse at ${path}: run \`tally dev\` first, or pass --db <path> / --home <dir>`);
  }
  return createDuckDbWarehouse({ path }).catch((cause: unknown) => {
    throw new Error(
      `cannot open ${path} (is another process holding it? DuckDB allows one): ${String(cause)}`,
    );
  });
};

/** Queries through the admin endpoint of a running stack; the checks only read. */
const readOnlyThrough = (client: AdminClient): Warehouse => {
  const warehouse: Warehouse = {
    dialect: 'duckdb',
    query: async <T>(sql: string, params?: readonly (string | number | boolean | null)[]) =>
      (await client.query(sql, params)) as T[],
    execute: async () => {
      throw new Error('read-only: the running tally dev records its own quality runs');
    },
    transaction: (work) => work(warehouse),
    close: async () => undefined,
  };
  return warehouse;
};
