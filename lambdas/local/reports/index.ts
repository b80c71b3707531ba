import { adoptionReport } from './adoption-report.ts';
import { lastSeenReport } from './last-seen-report.ts';
import type { ReportDefinition } from './report.ts';
import { usageReport } from './usage-report.ts';

/** Every report `tally report` knows, by name. */
export const REPORTS: readonly ReportDefinition[] = [usageReport, adoptionReport, lastSeenReport];
