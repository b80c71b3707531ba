import type { CheckResult } from '#core/quality/check.ts';
import { formatRun } from '#core/quality/report.ts';
import type { QualityRun } from '#core/quality/runner.ts';

const result = (
  check: string,
  bucket: string,
  status: CheckResult['status'],
  extra: Partial<CheckResult> = {},
) => ({
  check,
  bucket,
  status,
  severity: 'error' as const,
  observed: 0,
  expectedMin: 0,
  expectedMax: 0,
  sample: [],
  runId: 'r',
  checkedAt: new Date(0),
  ...extra,
});
const run: QualityRun = {
  runId: 'r',
  startedAt: new Date(0),
  metrics: [],
  errors: [],
  results: [
    result('freshness-raw', 'raw', 'pass', { observed: 31, expectedMax: 120 }),
    result('null-keys', 'raw.events.user_key', 'fail', {
      observed: 2,
      sample: ['dk-1', 'dk-2'],
      detail: '2 row(s) loaded in the last 60 min without user_key',
    }),
    result('null-keys', 'raw.events.feature_id', 'pass'),
    result('volume-daily', 'event=x|platform=web|day=2026-03-09', 'skipped', {
      observed: 12.5,
      expectedMin: null,
      expectedMax: null,
    }),
  ],
};

describe('formatRun', () => {
  it('prints one line per check with its worst status and bucket counts', () => {
    const lines = formatRun(run).split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'CHECK          STATUS   SEVERITY  BUCKETS',
      'freshness-raw  pass     error     1 pass',
      'null-keys      FAIL     error     1 fail, 1 pass',
      'volume-daily   skipped  error     1 skipped',
    ]);
  });

  it('details failing buckets with observed value, pass range, detail and offending keys', () => {
    expect(formatRun(run)).toContain(
      [
        'null-keys:',
        '  FAIL    raw.events.user_key  observed 2  expected 0..0',
        '          2 row(s) loaded in the last 60 min without user_key',
        '          offending: dk-1, dk-2',
      ].join('\n'),
    );
    expect(formatRun(run)).not.toContain('raw.events.feature_id');
  });

  it('details every bucket with all, open ranges as -', () => {
    expect(formatRun(run, { all: true })).toContain(
      '  SKIPPED event=x|platform=web|day=2026-03-09  observed 12.5  expected -',
    );
  });
});
