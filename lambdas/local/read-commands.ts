import { REPO_SQL_DIR } from '#adapters/node/repo-assets.ts';
import { loadSqlLibrary } from '#adapters/node/sql-files.ts';
import { type ActivationReportOptions, activationReport } from '#core/activation/report.ts';
import { LocalConfigError, LocalRuntimeError } from './errors.ts';
import { formatRows, isOutputFormat, OUTPUT_FORMATS } from './output-format.ts';
import type { ReportRequest } from './report-options.ts';
import { formatStatusReport } from './status-report.ts';
import type { TallyHome } from './tally-home.ts';
import { openWarehouseReader } from './warehouse-reader.ts';

/** `tally query "SQL"`: runs one statement against the local warehouse and prints the rows. */
export const runQuery = async (home: TallyHome, sql: string, format: string): Promise<string> => {
  if (!isOutputFormat(format)) {
    throw new LocalConfigError([
      `--format must be one of ${OUTPUT_FORMATS.join(', ')}, got ${JSON.stringify(format)}`,
    ]);
  }
  if (sql.trim() === '')
    throw new LocalConfigError(['give the SQL to run, e.g. tally query "SELECT COUNT(*) FROM raw.events"']);
  const reader = await openWarehouseReader(home);
  try {
    return formatRows(await reader.query(sql), format);
  } finally {
    await reader.close();
  }
};

/** `tally report <name>`: one of the curated reports, filtered. */
export const runReport = async (home: TallyHome, request: ReportRequest): Promise<string> => {
  const reader = await openWarehouseReader(home);
  try {
    const { sql, params } = request.report.build(request.filters);
    return formatRows(await reader.query(sql, params), request.format);
  } finally {
    await reader.close();
  }
};

/**
 * `tally report activation`: the activation summary of a fact at a grain, through the running `tally dev`
 * when there is one, else from the warehouse file.
 */
export const runActivationReport = async (
  home: TallyHome,
  options: ActivationReportOptions,
): Promise<string> => {
  const reader = await openWarehouseReader(home);
  try {
    return await activationReport(reader, options, loadSqlLibrary('duckdb', REPO_SQL_DIR));
  } catch (error) {
    if (
      error instanceof Error &&
      /activation_summary/.test(error.message) &&
      /not exist/i.test(error.message)
    ) {
      throw new LocalRuntimeError(
        `${home.warehouseFile} has no activation tables yet: start \`tally dev\` once (it creates every table and runs the transform)`,
        { cause: error },
      );
    }
    throw error;
  } finally {
    await reader.close();
  }
};

/** `tally status`: the running stack's counters, and what the warehouse holds. */
export const runStatus = async (home: TallyHome, json: boolean): Promise<string> => {
  const reader = await openWarehouseReader(home);
  try {
    return await formatStatusReport(reader, json);
  } finally {
    await reader.close();
  }
};
