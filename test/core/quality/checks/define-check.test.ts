import type { CheckContext, MetricSpec } from '#core/quality/check.ts';
import {
  atMost,
  bySource,
  defineCheck,
  RATE_RULES,
  rateFails,
  sampleOf,
} from '#core/quality/checks/define-check.ts';
import { positive } from '#core/quality/checks/params.ts';
import { CheckParamsError } from '#core/quality/errors.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import type { SqlLibrary } from '#core/warehouse/sql-library.ts';

// the helpers never touch the warehouse: the checks' own specs run them against DuckDB
const context: CheckContext = {
  warehouse: {} as Warehouse,
  sql: {} as SqlLibrary,
  now: new Date('2024-03-12T15:05:00Z'),
  sampleSize: 2,
};
const metric: MetricSpec = { name: 'Probe', unit: 'Count', dimensions: ['Table'] };

const probeCheck = defineCheck<{ readonly max: number }>(
  {
    name: 'probe',
    description: 'A check for the skeleton only.',
    severity: 'warn',
    metric,
    rules: (params) => [positive('max', params.max)],
    run: async (_context, params) => [
      { result: atMost('a', 3, params.max, [], 'three'), dimensions: ['a'] },
      { result: { ...atMost('b', 0, params.max, [], 'none'), observed: null } },
    ],
  },
  { max: 5 },
);

describe('defineCheck', () => {
  it('builds the check with its default parameters when given none', () => {
    const check = probeCheck();
    expect([check.name, check.description, check.severity, check.params, check.metric]).toEqual([
      'probe',
      'A check for the skeleton only.',
      'warn',
      { max: 5 },
      metric,
    ]);
  });

  it('refuses parameters that break a rule, naming the check and every problem', () => {
    expect(() => probeCheck({ max: -1 })).toThrow(CheckParamsError);
    expect(() => probeCheck({ max: -1 })).toThrow(
      'check probe has invalid parameters: max must be a positive number (got -1)',
    );
  });

  it('publishes a datapoint of the metric for each judged bucket with dimensions and an observed value', async () => {
    const output = await probeCheck({ max: 2 }).run(context);
    expect(output.buckets.map((b) => [b.bucket, b.status])).toEqual([
      ['a', 'fail'],
      ['b', 'pass'],
    ]);
    expect(output.metrics).toEqual([{ name: 'Probe', unit: 'Count', dimensions: { Table: 'a' }, value: 3 }]);
  });

  it('passes an output the check built itself through unchanged', async () => {
    const output = { buckets: [atMost('x', 1, 1, [], 'one')], metrics: [] };
    const check = defineCheck({ ...probeCheckDefinition(), run: async () => output }, { max: 1 })();
    expect(await check.run(context)).toBe(output);
  });
});

const probeCheckDefinition = () => ({
  name: 'probe',
  description: 'd',
  severity: 'warn' as const,
  metric,
  rules: () => [],
  run: async () => [],
});

describe('atMost', () => {
  it('expects the observed value in [0, max] and fails above it', () => {
    expect(atMost('t', 4, 3, ['k'], 'four')).toEqual({
      bucket: 't',
      status: 'fail',
      observed: 4,
      expectedMin: 0,
      expectedMax: 3,
      sample: ['k'],
      detail: 'four',
    });
    expect(atMost('t', 3, 3, [], 'three').status).toBe('pass');
  });

  it('takes the verdict of the caller when given one', () => {
    expect(atMost('t', 9, 3, [], 'noise', false).status).toBe('pass');
  });
});

describe('rate helpers', () => {
  it('fails a rate over its limit only from the minimum count of offending events', () => {
    expect(rateFails(10, 5, 9, 10)).toBe(false);
    expect(rateFails(10, 5, 10, 10)).toBe(true);
    expect(rateFails(5, 5, 100, 10)).toBe(false);
  });

  it('checks every rate parameter against its rule, reporting the broken ones in order', () => {
    const rateCheck = defineCheck(
      { ...probeCheckDefinition(), rules: RATE_RULES },
      { lookbackMinutes: 60, maxPercent: 5, minCount: 10 },
    );
    expect(() => rateCheck({ lookbackMinutes: 0, maxPercent: 101, minCount: -1 })).toThrow(
      'check probe has invalid parameters: lookbackMinutes must be a positive number (got 0); ' +
        'maxPercent must be a percentage between 0 and 100 (got 101); minCount must be a number >= 0 (got -1)',
    );
  });
});

describe('row helpers', () => {
  it('samples the first sampleSize offending keys, or the column named', () => {
    const rows = [
      { offending_key: 'k1', file: 'f1' },
      { offending_key: 'k2', file: 'f2' },
      { offending_key: 'k3' },
    ];
    expect(sampleOf(context, rows)).toEqual(['k1', 'k2']);
    expect(sampleOf(context, rows, 'file')).toEqual(['f1', 'f2']);
  });

  it('pairs each source, in name order, with its total and its own detail rows', () => {
    const totals = [
      { source_id: 'web', n: 2 },
      { source_id: 'ios', n: 1 },
    ];
    const details = [
      { source_id: 'web', k: 'w1' },
      { source_id: 'ios', k: 'i1' },
      { source_id: 'web', k: 'w2' },
    ];
    expect(bySource(totals, details)).toEqual([
      ['ios', totals[1], [details[1]]],
      ['web', totals[0], [details[0], details[2]]],
    ]);
  });
});
