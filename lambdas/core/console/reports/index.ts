import type { FactDeclaration } from '#core/activation/fact.ts';
import type { ConsoleReport } from '../report.ts';
import { activationReport } from './activation.ts';
import { adoptionReport } from './adoption.ts';
import { cohortsReport } from './cohorts.ts';
import { healthReport } from './health.ts';
import { lineageReport } from './lineage.ts';
import { type CheckDeclaration, metaReport } from './meta.ts';
import { qualityReport } from './quality.ts';
import { rejectedReport } from './rejected.ts';
import { usageReport } from './usage.ts';
import { workspacesReport } from './workspaces.ts';

/** What the reports are declared over: the activation facts and the quality checks. */
export interface ReportDeclarations {
  readonly facts: readonly FactDeclaration[];
  readonly checks: readonly CheckDeclaration[];
}

/** Every report of the read API, by name (`GET /api/<name>`). */
export const consoleReports = ({ facts, checks }: ReportDeclarations): ConsoleReport[] => [
  metaReport(facts, checks),
  healthReport(checks),
  usageReport,
  adoptionReport,
  activationReport(facts),
  cohortsReport,
  qualityReport(checks),
  lineageReport,
  rejectedReport,
  workspacesReport,
];
