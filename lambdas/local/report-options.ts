import { ActivationReportError } from '#core/activation/errors.ts';
import { FACTS } from '#core/activation/facts.ts';
import { type ActivationReportOptions, parseActivationReport } from '#core/activation/report.ts';
import { LocalConfigError } from './errors.ts';
import { isOutputFormat, OUTPUT_FORMATS, type OutputFormat } from './output-format.ts';
import { REPORTS } from './reports/index.ts';
import type { ReportDefinition, ReportFilters } from './reports/report.ts';

/** The report over the activation tables (`#core/activation/report.ts`), beside the curated REPORTS. */
export const ACTIVATION_REPORT = 'activation';

/** Every report `tally report` knows. */
export const REPORT_NAMES: readonly string[] = [...REPORTS.map((r) => r.name), ACTIVATION_REPORT];

/** Rows printed by default; the activation report prints its 24 latest periods. */
const DEFAULT_LIMIT = '30';
const DEFAULT_ACTIVATION_PERIODS = 24;
const DEFAULT_GRAIN = 'week';

export interface RawReportOptions {
  readonly workspace?: string;
  readonly feature?: string;
  readonly from?: string;
  readonly to?: string;
  readonly limit?: string;
  readonly format: string;
  /** Activation report only: the declared fact. */
  readonly fact?: string;
  /** Activation report only: day, week or month. */
  readonly grain?: string;
}

export interface ReportRequest {
  readonly report: ReportDefinition;
  readonly filters: ReportFilters;
  readonly format: OutputFormat;
}

const parseLimit = (flag: string, raw: string, problems: string[]): number => {
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) {
    problems.push(`${flag} must be an integer from 1 to 100000, got ${JSON.stringify(raw)}`);
  }
  return limit;
};

/** Checks the report name and every option; all problems in one LocalConfigError that says what to type. */
export const parseReportRequest = (name: string, raw: RawReportOptions): ReportRequest => {
  const problems: string[] = [];
  const report = REPORTS.find((r) => r.name === name);
  if (!report) problems.push(`unknown report "${name}"; choose one of: ${REPORT_NAMES.join(', ')}`);
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
  if (raw.fact !== undefined || raw.grain !== undefined) {
    problems.push(`--fact and --grain belong to the ${ACTIVATION_REPORT} report; drop them for ${name}`);
  }
  const limit = parseLimit('--limit', raw.limit ?? DEFAULT_LIMIT, problems);
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

/**
 * Checks the options of `tally report activation` (fact, grain, dates, format, --limit as the most
 * periods shown) before any warehouse is opened; all problems in one LocalConfigError.
 */
export const parseActivationRequest = (raw: RawReportOptions): ActivationReportOptions => {
  const problems: string[] = [];
  if (raw.workspace !== undefined || raw.feature !== undefined) {
    problems.push(
      '--workspace and --feature do not apply to the activation report (a fact declares which events count, ' +
        'across workspaces); choose the fact with --fact',
    );
  }
  if (raw.fact === undefined) {
    problems.push(`give the fact with --fact <name>: one of ${FACTS.map((f) => f.name).join(', ')}`);
  }
  const maxPeriods =
    raw.limit === undefined ? DEFAULT_ACTIVATION_PERIODS : parseLimit('--limit', raw.limit, problems);
  const options: ActivationReportOptions = {
    // a missing fact is reported above; a declared placeholder keeps the other checks going
    fact: raw.fact ?? FACTS[0]?.name ?? '',
    grain: raw.grain ?? DEFAULT_GRAIN,
    format: raw.format,
    maxPeriods: Number.isInteger(maxPeriods) && maxPeriods > 0 ? maxPeriods : DEFAULT_ACTIVATION_PERIODS,
    ...(raw.from === undefined ? {} : { from: raw.from }),
    ...(raw.to === undefined ? {} : { to: raw.to }),
  };
  try {
    parseActivationReport(options);
  } catch (error) {
    if (!(error instanceof ActivationReportError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length > 0) throw new LocalConfigError(problems);
  return options;
};
