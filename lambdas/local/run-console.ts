import { REPO_SQL_DIR } from '#adapters/node/repo-assets.ts';
import { loadSqlLibrary } from '#adapters/node/sql-files.ts';
import type { ReportSource } from '#core/console/report.ts';
import { CONSOLE_APP_DIR, RUNBOOKS_DIR } from './console-paths.ts';
import { startLocalConsole } from './local-console.ts';
import type { TallyHome } from './tally-home.ts';
import { openWarehouseReader } from './warehouse-reader.ts';

export interface ConsoleCommandOptions {
  readonly home: TallyHome;
  /** 0 picks a free port. */
  readonly port: number;
  readonly print: (line: string) => void;
  /** Resolves when the console should stop. @default the first SIGINT or SIGTERM */
  readonly until?: Promise<void>;
}

const signalled = (): Promise<void> =>
  new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });

/**
 * `tally console`: the Tally Console over a state folder: through the running `tally dev` when there is
 * one (it holds the database), else on the warehouse file of a stopped stack. Serves until stopped.
 */
export const runConsole = async (options: ConsoleCommandOptions): Promise<void> => {
  const reader = await openWarehouseReader(options.home);
  const source: ReportSource = {
    dialect: 'duckdb',
    read: (work) => work((sql, params) => reader.query(sql, params)),
  };
  try {
    const server = await startLocalConsole({
      source,
      sql: loadSqlLibrary('duckdb', REPO_SQL_DIR),
      appDir: CONSOLE_APP_DIR,
      runbooksDir: RUNBOOKS_DIR,
      port: options.port,
    });
    options.print(`console: ${server.url}`);
    options.print(
      `  reading     ${reader.via === 'running' ? 'the running tally dev' : options.home.warehouseFile}  (Ctrl-C stops)`,
    );
    await (options.until ?? signalled());
    await server.close();
  } finally {
    await reader.close();
  }
};
