import { LocalConfigError } from './errors.ts';
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

/** `tally status`: the running stack's counters, and what the warehouse holds. */
export const runStatus = async (home: TallyHome, json: boolean): Promise<string> => {
  const reader = await openWarehouseReader(home);
  try {
    return await formatStatusReport(reader, json);
  } finally {
    await reader.close();
  }
};
