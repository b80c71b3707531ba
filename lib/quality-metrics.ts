import type { Duration } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { QualityCheck } from '#core/quality/check.ts';
import { CHECK_DIMENSION, QUALITY_METRICS_NAMESPACE, QUALITY_SERVICE } from '#core/quality/metric-names.ts';

/** Powertools' default dimension on every quality metric (`service = quality`). */
export const QUALITY_SERVICE_DIMENSION = 'service';

/** `CheckFailures` or `CheckErrors` of one check, as the quality Lambda publishes it (EMF). */
export const checkMetric = (metricName: string, check: string, period: Duration): Metric =>
  new Metric({
    namespace: QUALITY_METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { [QUALITY_SERVICE_DIMENSION]: QUALITY_SERVICE, [CHECK_DIMENSION]: check },
    statistic: 'Maximum',
    period,
  });

/** A Metrics Insights name: bare when it can be, else double-quoted. */
const name = (value: string): string => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(value) ? value : `"${value}"`);

/**
 * Metrics Insights query of the maximum of a quality metric with dimensions `service` + `dimensions`:
 * one series across them all, or one per combination of the `groupBy` dimensions.
 */
const insightsQuery = (metricName: string, dimensions: readonly string[], groupBy: readonly string[]) => {
  const service = name(QUALITY_SERVICE_DIMENSION);
  const schema = [QUALITY_METRICS_NAMESPACE, QUALITY_SERVICE_DIMENSION, ...dimensions].map(name).join(', ');
  const grouped = groupBy.length > 0 ? ` GROUP BY ${groupBy.map(name).join(', ')}` : '';
  return `SELECT MAX(${name(metricName)}) FROM SCHEMA(${schema}) WHERE ${service} = '${QUALITY_SERVICE}'${grouped}`;
};

/**
 * `CheckFailures` or `CheckErrors` of every check in one query: the maximum across checks, or one
 * series per check with `perCheck`. Alarm math takes at most 10 metrics; one query spans all checks.
 */
export const allChecksQuery = (metricName: string, options: { perCheck?: boolean } = {}): string =>
  insightsQuery(metricName, [CHECK_DIMENSION], options.perCheck ? [CHECK_DIMENSION] : []);

/** A check's own metric, one series per value of its dimensions. */
export const checkOwnMetricQuery = (check: QualityCheck): string =>
  insightsQuery(check.metric.name, check.metric.dimensions, check.metric.dimensions);
