import { FACTS } from '#core/activation/facts.ts';
import { createReadApi } from '#core/console/read-api.ts';
import type { ReportSource } from '#core/console/report.ts';
import { consoleReports } from '#core/console/reports/index.ts';
import { declaredChecks } from '#core/quality/registry.ts';
import { defaultSqlLibrary } from '#core/warehouse/sql-library.ts';
import { buildConsoleBundle, type ConsoleBundle } from './console-bundle.ts';
import { type ConsoleServer, startConsoleServer } from './console-server.ts';

export interface LocalConsoleOptions {
  /** Where the reports read: the running stack's warehouse, or a stopped stack's file. */
  readonly source: ReportSource;
  /** The app's folder (`console/`: index.html, src/). */
  readonly appDir: string;
  /** The app built from `appDir` already (`tally dev` builds it while the stack starts). */
  readonly bundle?: ConsoleBundle;
  /** `docs/runbooks/`. */
  readonly runbooksDir: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly host?: string;
}

/**
 * The Tally Console in local mode (`tally dev`, `tally console`): builds the app, and serves it with the
 * read API over the declared activation facts and quality checks.
 */
export const startLocalConsole = async (options: LocalConsoleOptions): Promise<ConsoleServer> => {
  const bundle = options.bundle ?? (await buildConsoleBundle(options.appDir));
  const api = createReadApi({
    source: options.source,
    sql: defaultSqlLibrary(options.source.dialect),
    reports: consoleReports({ facts: FACTS, checks: declaredChecks() }),
  });
  return startConsoleServer({
    api,
    bundle,
    runbooksDir: options.runbooksDir,
    port: options.port,
    ...(options.host === undefined ? {} : { host: options.host }),
  });
};
