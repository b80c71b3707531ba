import { FACTS } from '#core/activation/facts.ts';
import { createReadApi } from '#core/console/read-api.ts';
import type { ReportSource } from '#core/console/report.ts';
import { consoleReports } from '#core/console/reports/index.ts';
import { declaredChecks } from '#core/quality/registry.ts';
import type { SqlLibrary } from '#core/warehouse/sql-library.ts';
import { buildConsoleBundle } from './console-bundle.ts';
import { type ConsoleServer, startConsoleServer } from './console-server.ts';

export interface LocalConsoleOptions {
  /** Where the reports read: the running stack's warehouse, or a stopped stack's file. */
  readonly source: ReportSource;
  /** The SQL library of the source's dialect. */
  readonly sql: SqlLibrary;
  /** The app's folder (`console/`: index.html, src/). */
  readonly appDir: string;
  /** `docs/runbooks/`. */
  readonly runbooksDir: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly host?: string;
}

/**
 * The Tally Console in local mode (`tally dev`, `tally console`): serves the app (built at its first request) with the
 * read API over the declared activation facts and quality checks.
 */
export const startLocalConsole = async (options: LocalConsoleOptions): Promise<ConsoleServer> => {
  const api = createReadApi({
    source: options.source,
    sql: options.sql,
    reports: consoleReports({ facts: FACTS, checks: declaredChecks() }),
  });
  return startConsoleServer({
    api,
    bundle: () => buildConsoleBundle(options.appDir),
    runbooksDir: options.runbooksDir,
    port: options.port,
    ...(options.host === undefined ? {} : { host: options.host }),
  });
};
