import type { CheckResult, CheckStatus } from './check.ts';
import type { QualityRun } from './runner.ts';

export interface ReportOptions {
  /** Print every bucket, not only failing and erroring ones. */
  readonly all?: boolean;
}

const STATUS_ORDER: readonly CheckStatus[] = ['error', 'fail', 'pass', 'skipped'];

const number = (n: number | null): string => {
  if (n === null) return '-';
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/\.?0+$/, '');
};

const range = (r: CheckResult): string =>
  r.expectedMin === null && r.expectedMax === null
    ? '-'
    : `${number(r.expectedMin)}..${number(r.expectedMax)}`;

const pad = (rows: readonly string[][]): string[] => {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
};

/**
 * The run as a table for a terminal: one line per check (its worst status and bucket counts), then its
 * failing and erroring buckets (every bucket with `all`) with observed value, pass range, detail and
 * offending keys.
 */
export const formatRun = (run: QualityRun, options: ReportOptions = {}): string => {
  const checks = [...new Set(run.results.map((r) => r.check))];
  const summary: string[][] = [['CHECK', 'STATUS', 'SEVERITY', 'BUCKETS']];
  const details: string[] = [];
  for (const check of checks) {
    const results = run.results.filter((r) => r.check === check);
    const worst = STATUS_ORDER.find((s) => results.some((r) => r.status === s)) ?? 'pass';
    const counts = STATUS_ORDER.filter((s) => results.some((r) => r.status === s)).map(
      (s) => `${results.filter((r) => r.status === s).length} ${s}`,
    );
    summary.push([
      check,
      worst === 'fail' || worst === 'error' ? worst.toUpperCase() : worst,
      results[0]?.severity ?? '',
      counts.join(', '),
    ]);
    const shown = results.filter((r) => options.all || r.status === 'fail' || r.status === 'error');
    if (shown.length === 0) continue;
    details.push('', `${check}:`);
    for (const r of shown) {
      details.push(
        `  ${r.status.toUpperCase().padEnd(7)} ${r.bucket}  observed ${number(r.observed)}  expected ${range(r)}`,
      );
      if (r.detail) details.push(`          ${r.detail}`);
      if (r.sample.length > 0) details.push(`          offending: ${r.sample.join(', ')}`);
    }
  }
  return [...pad(summary), ...details].join('\n');
};
