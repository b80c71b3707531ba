import type { CheckResult } from '#core/quality/check.ts';
import type { QualityRun } from '#core/quality/runner.ts';
import {
  EXIT_CHECK_ERRORED,
  EXIT_CHECK_FAILED,
  EXIT_OK,
  exitCodeOf,
  failingChecks,
  statusLine,
} from '#core/quality/verdict.ts';

const result = (
  check: string,
  status: CheckResult['status'],
  severity: CheckResult['severity'] = 'error',
): CheckResult => ({
  check,
  severity,
  status,
  bucket: 'b',
  observed: null,
  expectedMin: null,
  expectedMax: null,
  sample: [],
  runId: 'r',
  checkedAt: new Date(0),
});
const runOf = (...results: CheckResult[]): QualityRun => ({
  runId: 'r',
  startedAt: new Date(0),
  results,
  metrics: [],
  errors: [],
});

describe('exitCodeOf', () => {
  it('is 0 when nothing fails, warnings and skipped buckets included', () => {
    expect(exitCodeOf(runOf(result('a', 'pass'), result('b', 'skipped'), result('c', 'fail', 'warn')))).toBe(
      EXIT_OK,
    );
  });

  it('is 1 when an error-severity check fails, even if another could not run', () => {
    expect(exitCodeOf(runOf(result('a', 'fail'), result('b', 'error')))).toBe(EXIT_CHECK_FAILED);
  });

  it('is 2 when a check could not run and no error-severity check failed', () => {
    expect(exitCodeOf(runOf(result('a', 'pass'), result('b', 'error', 'warn')))).toBe(EXIT_CHECK_ERRORED);
  });
});

describe('statusLine', () => {
  it('says ok with the number of checks when nothing fails', () => {
    expect(statusLine(runOf(result('a', 'pass'), result('a', 'pass'), result('b', 'skipped')))).toBe(
      'quality ok (2 checks)',
    );
  });

  it('names failing checks, error severity first, then warnings and checks that could not run', () => {
    const run = runOf(
      result('duplicate-rate', 'fail', 'warn'),
      result('freshness-raw', 'fail'),
      result('freshness-raw', 'fail'),
      result('volume-hourly', 'fail'),
      result('reconciliation', 'error'),
    );
    expect(statusLine(run)).toBe(
      'quality FAILING freshness-raw, volume-hourly; warn duplicate-rate; could not run reconciliation',
    );
    expect(failingChecks(run)).toEqual(['freshness-raw', 'volume-hourly', 'duplicate-rate']);
  });
});
