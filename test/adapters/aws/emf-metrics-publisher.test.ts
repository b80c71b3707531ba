import { Metrics } from '@aws-lambda-powertools/metrics';
import { jest } from '@jest/globals';
import { EmfMetricsPublisher } from '#adapters/aws/emf-metrics-publisher.ts';
import type { MetricDatum } from '#core/quality/check.ts';
import { QUALITY_METRICS_NAMESPACE, QUALITY_SERVICE } from '#core/quality/metric-names.ts';

/** Publishes and returns the EMF documents written to stdout, parsed. */
const emfOf = (datapoints: readonly MetricDatum[]): Record<string, unknown>[] => {
  const lines: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    const metrics = new Metrics({ namespace: QUALITY_METRICS_NAMESPACE, serviceName: QUALITY_SERVICE });
    new EmfMetricsPublisher(metrics).publish(datapoints);
  } finally {
    write.mockRestore();
  }
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
};

describe('EmfMetricsPublisher', () => {
  it('writes one EMF document per dimension set, with namespace, service, names, units and values', () => {
    const docs = emfOf([
      { name: 'CheckFailures', unit: 'Count', dimensions: { Check: 'freshness-raw' }, value: 1 },
      { name: 'CheckErrors', unit: 'Count', dimensions: { Check: 'freshness-raw' }, value: 0 },
      { name: 'DataAgeSeconds', unit: 'Seconds', dimensions: { Layer: 'raw' }, value: 187 },
      {
        name: 'RejectionRate',
        unit: 'Percent',
        dimensions: { SourceId: 'web', Reason: 'SCHEMA_VIOLATION' },
        value: 2.5,
      },
    ]);

    expect(docs).toHaveLength(3);
    expect(docs[0]).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'Tally',
            Dimensions: [['service', 'Check']],
            Metrics: [
              { Name: 'CheckFailures', Unit: 'Count' },
              { Name: 'CheckErrors', Unit: 'Count' },
            ],
          },
        ],
      },
      service: 'quality',
      Check: 'freshness-raw',
      CheckFailures: 1,
      CheckErrors: 0,
    });
    expect(docs[1]).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'Tally',
            Dimensions: [['service', 'Layer']],
            Metrics: [{ Name: 'DataAgeSeconds', Unit: 'Seconds' }],
          },
        ],
      },
      Layer: 'raw',
      DataAgeSeconds: 187,
    });
    expect(docs[2]).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Dimensions: [['service', 'SourceId', 'Reason']],
            Metrics: [{ Name: 'RejectionRate', Unit: 'Percent' }],
          },
        ],
      },
      SourceId: 'web',
      Reason: 'SCHEMA_VIOLATION',
      RejectionRate: 2.5,
    });
  });

  it('stamps every document with a millisecond timestamp', () => {
    const before = Date.now();
    const [doc] = emfOf([
      { name: 'CheckFailures', unit: 'Count', dimensions: { Check: 'null-keys' }, value: 0 },
    ]);
    const { Timestamp: timestamp } = doc!._aws as { Timestamp: number };
    expect(timestamp).toBeGreaterThanOrEqual(before);
    expect(timestamp).toBeLessThanOrEqual(Date.now());
  });

  it('maps the None unit to CloudWatch NoUnit', () => {
    const [doc] = emfOf([
      { name: 'VolumeZScore', unit: 'None', dimensions: { Grain: 'hourly' }, value: -6.2 },
    ]);
    expect(doc).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Metrics: [{ Name: 'VolumeZScore', Unit: 'None' }] }] },
      VolumeZScore: -6.2,
    });
  });

  it('writes nothing when there is nothing to publish', () => {
    expect(emfOf([])).toEqual([]);
  });
});
