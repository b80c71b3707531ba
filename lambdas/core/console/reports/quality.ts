import { readNumber, readString } from '#core/warehouse/values.ts';
import type { ConsoleReport } from '../report.ts';
import { checkWindow, STATUSES, summariseChecks } from './checks.ts';
import type { CheckDeclaration } from './meta.ts';

const FILE = 'console/quality';

/** JSON arrays come back parsed from DuckDB and as text from some drivers. */
const keysOf = (value: unknown): string[] => {
  const list = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(list) ? list.map(String) : [];
};

/**
 * `quality`: every declared check's latest result and its history per `grain` (hour or day) over the
 * range (default the last 7 days); with `check`, that check's buckets at its latest run (observed value,
 * pass range, offending keys, detail) and its observed values per period.
 */
export const qualityReport = (checks: readonly CheckDeclaration[]): ConsoleReport => ({
  name: 'quality',
  summary: "every check's latest result and history; one check's buckets, offending keys and observed values",
  prepare(params, { today }) {
    const range = params.range(today, 7);
    const grain = params.oneOf('grain', ['hour', 'day'] as const, 'day');
    const names = checks.map((c) => c.name);
    const check = params.key('check');
    if (check !== null && !names.includes(check)) {
      params.problem('check', `must be one of ${names.join(', ')}, got ${JSON.stringify(check)}`);
    }
    return {
      params: { ...range, grain, check },
      async run(reads) {
        const window = checkWindow(range);
        const latest = summariseChecks(checks, await reads.statement(FILE, 'latest_checks', window));
        const history = (await reads.statement(FILE, 'history', { ...window, grain })).map((r) => ({
          period: String(r.period),
          check: String(r.check_name),
          runs: readNumber(r.runs) ?? 0,
          failingRuns: readNumber(r.failing_runs) ?? 0,
          failingBuckets: readNumber(r.failing_buckets) ?? 0,
          status: STATUSES[readNumber(r.worst) ?? 0] ?? 'pass',
        }));
        if (check === null) return { checks: latest, history, check: null };
        const buckets = await reads.statement(FILE, 'buckets', { ...window, check });
        const observed = await reads.statement(FILE, 'observed', { ...window, grain, check });
        return {
          checks: latest,
          history,
          check: {
            name: check,
            buckets: buckets.map((b) => ({
              bucket: String(b.bucket),
              status: String(b.status),
              observed: readNumber(b.observed),
              expectedMin: readNumber(b.expected_min),
              expectedMax: readNumber(b.expected_max),
              offendingKeys: keysOf(b.offending_keys),
              detail: readString(b.detail),
              checkedAt: readString(b.checked_at),
            })),
            observed: observed.map((o) => ({
              period: String(o.period),
              highest: readNumber(o.highest),
              failingResults: readNumber(o.failing_results) ?? 0,
            })),
          },
        };
      },
    };
  },
});
