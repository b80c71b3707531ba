import type { Row, SqlParam } from '#core/warehouse/ports.ts';
import { bindParams } from '#core/warehouse/sql-exec.ts';
import type { SqlLibrary } from '#core/warehouse/sql-library.ts';
import { parseSqlDate, toSqlDate } from '#core/warehouse/time.ts';
import { SUMMARY_COUNT_COLUMNS } from './ddl.ts';
import { ActivationReportError } from './errors.ts';
import type { FactDeclaration } from './fact.ts';
import { FACTS } from './facts.ts';
import { GRAINS, type Grain, isGrain, periodStart } from './grain.ts';

/** What the report reads through: the Warehouse port, or the local CLI's warehouse reader. */
export interface ActivationReportSource {
  query(sql: string, params?: readonly SqlParam[]): Promise<Row[]>;
}

export const REPORT_FORMATS = ['table', 'csv', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ActivationReportOptions {
  readonly fact: string;
  readonly grain: string;
  /** First period to show, `YYYY-MM-DD` (any day of it); default: the latest periods. */
  readonly from?: string;
  /** Last period to show, `YYYY-MM-DD` (any day of it). */
  readonly to?: string;
  readonly format?: string;
  /** Most periods shown (newest kept); 24 by default. */
  readonly maxPeriods?: number;
  /** Declared facts (default: FACTS). */
  readonly facts?: readonly FactDeclaration[];
}

/** A checked request: every problem of the options reported at once, each saying what to type. */
export interface ActivationReportRequest {
  readonly fact: FactDeclaration;
  readonly grain: Grain;
  readonly from: string | null;
  readonly to: string | null;
  readonly format: ReportFormat;
  readonly maxPeriods: number;
}

export const parseActivationReport = (options: ActivationReportOptions): ActivationReportRequest => {
  const facts = options.facts ?? FACTS;
  const problems: string[] = [];
  const fact = facts.find((f) => f.name === options.fact);
  if (!fact) {
    problems.push(
      `--fact ${JSON.stringify(options.fact)} is not declared; choose one of: ${facts.map((f) => f.name).join(', ')}`,
    );
  }
  const grain = isGrain(options.grain) ? options.grain : null;
  if (!grain)
    problems.push(`--grain must be one of ${GRAINS.join(', ')}, got ${JSON.stringify(options.grain)}`);
  const date = (flag: string, value: string | undefined): Date | null => {
    if (value === undefined) return null;
    const parsed = parseSqlDate(value);
    if (!parsed) problems.push(`${flag} must be a date like 2025-03-09, got ${JSON.stringify(value)}`);
    return parsed;
  };
  const from = date('--from', options.from);
  const to = date('--to', options.to);
  if (from && to && from > to) problems.push(`--from ${options.from} is after --to ${options.to}`);
  const format = options.format ?? 'table';
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
    problems.push(`--format must be one of ${REPORT_FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
  }
  const maxPeriods = options.maxPeriods ?? 24;
  if (!Number.isInteger(maxPeriods) || maxPeriods < 1) problems.push(`maxPeriods must be a positive integer`);
  if (problems.length > 0 || !fact || !grain) throw new ActivationReportError(problems);
  return {
    fact,
    grain,
    from: from ? toSqlDate(periodStart(grain, from)) : null,
    to: to ? toSqlDate(periodStart(grain, to)) : null,
    format: format as ReportFormat,
    maxPeriods,
  };
};

/** Columns of the table format (csv and json carry every transition too). */
const TABLE_COLUMNS = [...SUMMARY_COUNT_COLUMNS, 'quick_ratio', 'retention_rate'];

/** The summary rows of a request, oldest period first. */
export const activationReportRows = async (
  source: ActivationReportSource,
  request: ActivationReportRequest,
  library: SqlLibrary,
): Promise<Row[]> => {
  const statement = library.statement('activation/report');
  const params = bindParams(statement, {
    fact: request.fact.name,
    grain: request.grain,
    from_period: request.from,
    to_period: request.to,
    max_periods: request.maxPeriods,
  });
  return (await source.query(statement.sql, params)).reverse();
};

/**
 * `tally report activation --fact F --grain day|week|month [--from D] [--to D] [--format table|csv|json]`:
 * per period, users by state, churned and inactive users, quick ratio ((New + Reactivated) / Churned) and
 * retention rate (Retained / Active of the previous period). The as-of period is still in progress.
 */
export const activationReport = async (
  source: ActivationReportSource,
  options: ActivationReportOptions,
  library: SqlLibrary,
): Promise<string> => {
  const request = parseActivationReport(options);
  const rows = await activationReportRows(source, request, library);
  if (request.format === 'json') return JSON.stringify(rows, null, 2);
  if (request.format === 'csv') return toCsv(rows);
  const title = `${request.fact.name} activation by ${request.grain}: ${request.fact.description}`;
  if (rows.length === 0) return `${title}\n(no periods yet: run the transform, or widen --from/--to)`;
  return `${title}\n${toTable(rows.map((r) => Object.fromEntries(TABLE_COLUMNS.map((c) => [c, r[c]]))))}`;
};

const RATIOS = new Set(['quick_ratio', 'retention_rate']);

const cell = (value: unknown, column: string): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return RATIOS.has(column) ? value.toFixed(3) : String(value);
  return String(value);
};

const toCsv = (rows: readonly Row[]): string => {
  const columns = Object.keys(rows[0] ?? {});
  const quote = (text: string) => (/[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  return [columns.join(','), ...rows.map((r) => columns.map((c) => quote(cell(r[c], c))).join(','))].join(
    '\n',
  );
};

const toTable = (rows: readonly Row[]): string => {
  const columns = Object.keys(rows[0] ?? {});
  const cells = rows.map((r) => columns.map((c) => cell(r[c], c)));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]?.length ?? 0)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (i === 0 ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
};
