import type { CheckOutput, QualityCheck } from '#core/quality/check.ts';
import { CheckExecutionError } from '#core/quality/errors.ts';
import { runChecks, WHOLE_CHECK_BUCKET } from '#core/quality/runner.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { duckdbSql } from '#test/support/sql-library.ts';

const now = new Date('2026-03-10T15:05:00.000Z');
const context = { warehouse: {} as Warehouse, sql: duckdbSql, now, sampleSize: 10 };

const fixed = (name: string, output: CheckOutput, severity: 'error' | 'warn' = 'error'): QualityCheck => ({
  name,
  description: name,
  severity,
  params: {},
  metric: { name: 'Things', unit: 'Count', dimensions: ['Table'] },
  run: async () => output,
});
const bucket = (name: string, status: 'pass' | 'fail') => ({
  bucket: name,
  status,
  observed: status === 'fail' ? 3 : 0,
  expectedMin: 0,
  expectedMax: 0,
  sample: status === 'fail' ? ['k1'] : [],
});

describe('runChecks', () => {
  it('stamps every bucket with its check, severity, run id and the run clock', async () => {
    const run = await runChecks(
      [fixed('a', { buckets: [bucket('t1', 'pass')], metrics: [] }, 'warn')],
      context,
      'run-1',
    );
    expect(run.results).toEqual([
      { ...bucket('t1', 'pass'), check: 'a', severity: 'warn', runId: 'run-1', checkedAt: now },
    ]);
  });

  it('adds CheckFailures (failing bucket count) and CheckErrors 0 after the metrics of each check that ran', async () => {
    const own = { name: 'Things', unit: 'Count' as const, dimensions: { Table: 't1' }, value: 3 };
    const run = await runChecks(
      [
        fixed('a', {
          buckets: [bucket('t1', 'fail'), bucket('t2', 'fail'), bucket('t3', 'pass')],
          metrics: [own],
        }),
      ],
      context,
    );
    expect(run.metrics).toEqual([
      own,
      { name: 'CheckFailures', unit: 'Count', dimensions: { Check: 'a' }, value: 2 },
      { name: 'CheckErrors', unit: 'Count', dimensions: { Check: 'a' }, value: 0 },
    ]);
  });

  it('records a check with nothing to judge in its window as one skipped result, not as no result', async () => {
    const run = await runChecks([fixed('quiet', { buckets: [], metrics: [] })], context, 'run-1');
    expect(run.results).toEqual([
      {
        check: 'quiet',
        severity: 'error',
        runId: 'run-1',
        checkedAt: now,
        bucket: WHOLE_CHECK_BUCKET,
        status: 'skipped',
        observed: null,
        expectedMin: null,
        expectedMax: null,
        sample: [],
        detail: 'nothing to judge: no data in the window yet',
      },
    ]);
    expect(run.metrics).toContainEqual({
      name: 'CheckFailures',
      unit: 'Count',
      dimensions: { Check: 'quiet' },
      value: 0,
    });
  });

  it('records a check that throws as one error result and keeps running the others', async () => {
    const broken: QualityCheck = {
      ...fixed('broken', { buckets: [], metrics: [] }),
      run: async () => {
        throw new Error('Catalog Error: Table with name quality_results does not exist');
      },
    };
    const run = await runChecks(
      [broken, fixed('b', { buckets: [bucket('t', 'pass')], metrics: [] })],
      context,
    );
    expect(run.results.map((r) => [r.check, r.bucket, r.status])).toEqual([
      ['broken', WHOLE_CHECK_BUCKET, 'error'],
      ['b', 't', 'pass'],
    ]);
    expect(run.results[0]?.detail).toBe(
      'check broken could not run: Catalog Error: Table with name quality_results does not exist',
    );
    expect(run.errors).toEqual([expect.any(CheckExecutionError)]);
    expect(run.metrics).toContainEqual({
      name: 'CheckErrors',
      unit: 'Count',
      dimensions: { Check: 'broken' },
      value: 1,
    });
    expect(run.metrics.filter((m) => m.dimensions.Check === 'broken' && m.name === 'CheckFailures')).toEqual(
      [],
    );
  });
});
