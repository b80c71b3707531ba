import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricUnit as Unit } from '@aws-lambda-powertools/metrics/types';
import type { MetricDatum, QualityMetricUnit } from '#core/quality/check.ts';
import type { QualityMetricsPublisher } from '#core/quality/ports.ts';

const UNITS: Readonly<Record<QualityMetricUnit, Unit>> = {
  Count: MetricUnit.Count,
  Percent: MetricUnit.Percent,
  Seconds: MetricUnit.Seconds,
  None: MetricUnit.NoUnit,
};

/**
 * Publishes quality datapoints as CloudWatch Embedded Metric Format through Powertools: one EMF
 * document per distinct dimension set (Powertools puts one dimension set per document), each
 * carrying every metric of that set. No AWS call: CloudWatch Logs extracts the metrics.
 */
export class EmfMetricsPublisher implements QualityMetricsPublisher {
  readonly #metrics: Metrics;

  /** `metrics` carries the namespace and the `service` default dimension. */
  constructor(metrics: Metrics) {
    this.#metrics = metrics;
  }

  publish(datapoints: readonly MetricDatum[]): void {
    const groups = new Map<string, MetricDatum[]>();
    for (const point of datapoints) {
      const key = JSON.stringify(Object.entries(point.dimensions).sort(([a], [b]) => a.localeCompare(b)));
      groups.set(key, [...(groups.get(key) ?? []), point]);
    }
    for (const points of groups.values()) {
      for (const [name, value] of Object.entries(points[0]!.dimensions))
        this.#metrics.addDimension(name, value);
      for (const point of points) this.#metrics.addMetric(point.name, UNITS[point.unit], point.value);
      this.#metrics.publishStoredMetrics();
    }
  }
}
