import type { Duration } from 'aws-cdk-lib';
import { GraphWidget, type IWidget, MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { QualityCheck } from '#core/quality/check.ts';
import type { CuratedFreshnessParams } from '#core/quality/checks/freshness-curated.ts';
import type { FreshnessP95Params } from '#core/quality/checks/freshness-p95.ts';
import type { RawFreshnessParams } from '#core/quality/checks/freshness-raw.ts';
import {
  CHECK_ERRORS_METRIC,
  CHECK_FAILURES_METRIC,
  QUALITY_METRICS_NAMESPACE,
  QUALITY_SERVICE,
} from '#core/quality/metric-names.ts';
import {
  allChecksQuery,
  checkMetric,
  checkOwnMetricQuery,
  QUALITY_SERVICE_DIMENSION,
} from './quality-metrics.ts';

export interface QualityWidgetsProps {
  /** Every declared check (their CheckFailures lines). */
  readonly checks: readonly QualityCheck[];
  /** The raw freshness check: its metric and its limit. */
  readonly rawFreshness: QualityCheck<RawFreshnessParams>;
  /** The curated freshness check: its metric (per model) and its limit. */
  readonly curatedFreshness: QualityCheck<CuratedFreshnessParams>;
  /** The per-event freshness check: its 95th percentiles per layer and their limits. */
  readonly freshnessP95: QualityCheck<FreshnessP95Params>;
  /** Between two quality runs: one datapoint per period. */
  readonly interval: Duration;
}

const WIDTH = 6;

/**
 * The quality row of the dashboard: failing buckets per check, checks that could not run, and the two
 * freshness measures against their targets. A widget holds at most one Metrics Insights query.
 */
export const qualityWidgets = ({
  checks,
  rawFreshness,
  curatedFreshness,
  freshnessP95,
  interval,
}: QualityWidgetsProps): IWidget[] => [
  new GraphWidget({
    title: 'Quality: failing buckets per check',
    width: WIDTH,
    left: checks.map((check) =>
      checkMetric(CHECK_FAILURES_METRIC, check.name, interval).with({ label: check.name }),
    ),
    leftYAxis: { min: 0 },
  }),
  new GraphWidget({
    title: 'Quality: checks that could not run',
    width: WIDTH,
    left: [
      new MathExpression({
        expression: allChecksQuery(CHECK_ERRORS_METRIC, { perCheck: true }),
        label: '',
        period: interval,
      }),
    ],
    leftYAxis: { min: 0 },
  }),
  new GraphWidget({
    title: `Quality: ${rawFreshness.name} (s)`,
    width: WIDTH,
    left: [
      new Metric({
        namespace: QUALITY_METRICS_NAMESPACE,
        metricName: rawFreshness.metric.name,
        dimensionsMap: { [QUALITY_SERVICE_DIMENSION]: QUALITY_SERVICE },
        statistic: 'Maximum',
        period: interval,
        label: 'newest raw load age',
      }),
    ],
    leftAnnotations: [{ value: rawFreshness.params.maxAgeSeconds, label: 'target' }],
    leftYAxis: { min: 0 },
  }),
  new GraphWidget({
    title: `Quality: ${curatedFreshness.name} (s)`,
    width: WIDTH,
    left: [
      new MathExpression({ expression: checkOwnMetricQuery(curatedFreshness), label: '', period: interval }),
    ],
    leftAnnotations: [{ value: curatedFreshness.params.maxAgeSeconds, label: 'target' }],
    leftYAxis: { min: 0 },
  }),
  new GraphWidget({
    title: 'Quality: receipt to raw and to curated, p95 (s)',
    width: WIDTH,
    left: [
      new MathExpression({ expression: checkOwnMetricQuery(freshnessP95), label: '', period: interval }),
    ],
    leftAnnotations: [
      { value: freshnessP95.params.rawMaxSeconds, label: 'raw target' },
      { value: freshnessP95.params.curatedMaxSeconds, label: 'curated target' },
    ],
    leftYAxis: { min: 0 },
  }),
];
