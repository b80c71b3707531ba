import { describe, expect, it } from '@jest/globals';
import { Duration } from 'aws-cdk-lib';
import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { declaredChecks } from '#core/quality/registry.ts';
import { qualityAlarms } from '../../lib/quality-alarm-specs.ts';

const periodMinutes = (metric: unknown): number => {
  if (metric instanceof Metric || metric instanceof MathExpression) return metric.period.toMinutes();
  throw new Error('not a metric or expression');
};

describe('qualityAlarms', () => {
  it('follow the quality schedule: error checks over two runs, warn checks and errors per run', () => {
    const specs = qualityAlarms(declaredChecks(), Duration.minutes(5));
    const byId = new Map(specs.map((s) => [s.id, periodMinutes(s.metric)]));

    expect(byId.get('QualityFreshnessRaw')).toBe(10);
    expect(byId.get('QualityDuplicateRate')).toBe(5);
    expect(byId.get('QualityCheckErrors')).toBe(5);
  });

  it('give each declared check one alarm with its own runbook, plus one for checks that could not run', () => {
    const checks = declaredChecks();
    const specs = qualityAlarms(checks, Duration.minutes(15));

    expect(specs.map((s) => s.runbook)).toEqual([...checks.map((c) => c.name), 'quality-check-errors']);
    expect(new Set(specs.map((s) => s.id)).size).toBe(specs.length);
  });
});
