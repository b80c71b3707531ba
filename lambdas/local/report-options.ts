import { LocalConfigError } from './errors.ts';
import { isOutputFormat, OUTPUT_FORMATS, type OutputFormat } from './output-format.ts';
import { REPORTS } from './reports/index.ts';
import type { ReportDefinition, ReportFilters } from './reports/report.ts';

export interface RawReportOptions {
  readonly workspace?: string;
  readonly feature?: string;
  readonly from?: string;
  readonly to?: string;
  readonly limit: string;
  readonly format: string;
}

export interface ReportRequest {
  readonly report: ReportDefinition;
  readonly filters: ReportFilters;
  readonly format: OutputFormat;
}

/** Checks the report name and every option; all problems in one LocalConfigError that says what to type. */
export const parseReportRequest = (name: string, raw: RawReportOptions): ReportRequest => {
  const problems: string[] = [];
  const report = REPORTS.find((r) => r.name === name);
  if (!report)
    problems.push(`unknown report "${name}"; choose one of: ${REPORTS.map((r) => r.name).join(', ')}`);
  const date = (flag: string, value: string | undefined): string | null => {
    if (value === undefined) return null;
    const parsed = new Date(`${value}T00:00:00Z`);
    if (
      !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
      Number.isNaN(parsed.getTime()) ||
      parsed.toISOString().slice(0, 10) !== value
    ) {
      problems.push(`${flag} must be a date like 2025-03-09, got ${JSON.stringify(value)}`);
      return null;
    }
    return value;
  };
  const from = date('--from', raw.from);
  const to = date('--to', raw.to);
  if (from !== null && to !== null && from > to) problems.push(`--from ${from} is after --to ${to}`);
  if (report && !report.dated && (raw.from !== undefined || raw.to !== undefined)) {
    problems.push(
      `the ${report.name} report is a snapshot (28 days to each workspace's latest day); drop --from/--to`,
    );
  }
  const limit = Number(raw.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) {
    problems.push(`--limit must be an integer from 1 to 100000, got ${JSON.stringify(raw.limit)}`);
  }
  const format: OutputFormat | null = isOutputFormat(raw.format) ? raw.format : null;
  if (format === null) {
    problems.push(`--format must be one of ${OUTPUT_FORMATS.join(', ')}, got ${JSON.stringify(raw.format)}`);
  }
  if (problems.length > 0 || !report || format === null) throw new LocalConfigError(problems);
  return {
    report,
    filters: { workspace: raw.workspace ?? null, feature: raw.feature ?? null, from, to, limit },
    format,
  };
};
