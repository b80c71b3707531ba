import type { ConsoleReport } from '../report.ts';
import { usageReport } from './usage.ts';

/** Every report of the read API, by name (`GET /api/<name>`). */
export const consoleReports = (): ConsoleReport[] => [usageReport];
